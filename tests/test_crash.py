"""Kill -9 in the middle of a quiz, many times: nothing reported saved is ever lost."""

from __future__ import annotations

import random
import sqlite3
import time
from pathlib import Path

from citizen.classroom import Classroom
from citizen.content import load_library
from citizen.store import SQLiteStore
from conftest import FIXTURE_LESSONS
from ptyapp import PtyApp

ROUNDS = 20


def ensure_open_attempt(db: Path, student_id: int, n: int) -> tuple[int, int]:
    """Opens an attempt if the student has none; returns (attempt id, question count)."""
    store = SQLiteStore(db)
    try:
        classroom = Classroom(store, library=load_library(FIXTURE_LESSONS))
        quiz = classroom.open_quiz(student_id)
        if quiz is None:
            module, part = [("alpha", "lesson"), ("beta", "lesson"), ("alpha", "review"),
                            ("beta", "review")][n % 4]
            quiz = classroom.begin(student_id, module, part)
        return quiz.attempt_id, len(quiz.items)
    finally:
        store.close()


def saved_positions(db: Path, attempt_id: int) -> set[int]:
    con = sqlite3.connect(str(db))
    try:
        return {r[0] for r in con.execute("SELECT position FROM answers WHERE attempt_id = ?",
                                          (attempt_id,))}
    finally:
        con.close()


def test_sigkill_mid_quiz_never_loses_a_reported_answer(tmp_path):
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    db = data / "citizen.sqlite3"
    store = SQLiteStore(db)
    classroom = Classroom(store, library=load_library(FIXTURE_LESSONS))
    cls = classroom.create_class("Crash class", "3-5")
    ava = classroom.add_student(cls.id, "Ava R.")
    store.close()
    env = {"CITIZEN_DATA_DIR": str(data), "CITIZEN_LESSONS_DIR": str(FIXTURE_LESSONS)}
    rng = random.Random(2026)
    total_reported = 0
    for n in range(ROUNDS):
        attempt_id, count = ensure_open_attempt(db, ava.id, n)
        before = saved_positions(db, attempt_id)
        app = PtyApp([], env)
        if not set(range(count)) - before:
            # Killed after the last answer: signing in again shows the result and closes it.
            try:
                app.wait_for("Type your class join code")
                app.press(cls.join_code, "enter")
                app.wait_for("pick your name")
                app.press("enter")
                app.wait_for("your result")
            finally:
                app.kill()
            con = sqlite3.connect(str(db))
            assert con.execute("SELECT finished_at IS NOT NULL FROM attempts WHERE id = ?",
                               (attempt_id,)).fetchone()[0] == 1
            con.close()
            continue
        expected_first = min(set(range(count)) - before) + 1
        try:
            app.wait_for("Type your class join code")
            app.press(cls.join_code, "enter")
            app.wait_for("pick your name")
            app.press("enter")
            m = app.wait_for(r"Question (\d+) of (\d+)")
            assert int(m.group(1)) == expected_first, (n, m.group(0), before)
            reported: set[int] = set()
            position = expected_first - 1
            kill_after = rng.randint(1, 3)
            shown = m.start()
            for step in range(kill_after):
                hint = app.wait_for(r"(Press a number|Space or a number ticks)", since=shown)
                mark = len(app.raw)
                app.press("1")
                if hint.group(1).startswith("Space"):
                    app.press("enter")  # select-all: tick one, then check
                if step == kill_after - 1 and rng.random() < 0.5:
                    time.sleep(rng.uniform(0, 0.05))  # kill while the answer may be in flight
                    break
                app.wait_for("Your answer is saved", since=mark)
                reported.add(position)
                if position + 1 >= count:
                    break
                mark = len(app.raw)
                app.press("enter")
                # Answers go in order, so the next one is position + 1. (Waiting for any
                # "Question N" could match a repaint of the current one: the progress bar
                # animates in the same row.)
                m = app.wait_for(rf"Question {position + 2} of", since=mark)
                position += 1
                shown = m.start()
            time.sleep(rng.uniform(0, 0.1))
        finally:
            app.kill()
        after = saved_positions(db, attempt_id)
        assert reported <= after, (n, reported, after)
        assert before <= after
        total_reported += len(reported)
        con = sqlite3.connect(str(db))
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        con.close()
    assert total_reported >= ROUNDS  # the driver really answered through the app
