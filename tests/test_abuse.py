"""Abuse and privacy: fuzzed lessons, every student key, no network, nothing that identifies."""

from __future__ import annotations

import getpass
import os
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citizen.content import load_module, load_registry
from citizen.ui.app import build_app
from citizen.ui.screens.home import HomeScreen
from citizen.ui.screens.lesson import LessonScreen
from citizen.ui.screens.quiz import QuizScreen
from citizen.ui.screens.result import ResultScreen
from citizen.ui.screens.signin import PickNameScreen, PracticeScreen, SignInScreen
from conftest import FIXTURE_LESSONS
from test_app import SIZE, sign_in

GOOD = (FIXTURE_LESSONS / "alpha" / "3-5.yaml").read_text("utf-8")
REGISTRY, _ = load_registry(FIXTURE_LESSONS)
TOKENS = ["a:", " ", "\n", "  ", "- ", "[", "]", "{", "}", ",", ":", "&x", "*x", "!!str",
          "!!python/object:os.system", "'", '"', "|", ">", "#", "---", "...", "yes", "NO",
          "1.10", "12:30", "~", "null", "id:", "kind:", "choices:", "\t", "\x00", "é", "\ufeff",
          "? ", "%YAML 1.1\n", "<<: *x", "\\u263a"]


def check(path: Path, data: bytes) -> None:
    module, problems = load_module(path, REGISTRY, data=data)
    assert (module is None) == bool(problems)
    for p in problems:
        assert p.path == str(path) and p.line >= 1 and p.col >= 1 and p.message


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(TOKENS), max_size=60))
def test_fuzzed_yaml_tokens_never_crash_the_loader(tokens):
    check(FIXTURE_LESSONS / "alpha" / "3-5.yaml", "".join(tokens).encode("utf-8", "replace"))


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_fuzzed_bytes_never_crash_the_loader(blob):
    check(FIXTURE_LESSONS / "alpha" / "3-5.yaml", blob)


@settings(max_examples=200, deadline=None)
@given(st.integers(0, len(GOOD) - 1), st.integers(1, 40), st.sampled_from(TOKENS))
def test_mutated_real_lessons_never_crash_the_loader(at, cut, token):
    text = GOOD[:at] + token + GOOD[at + cut:]
    check(FIXTURE_LESSONS / "alpha" / "3-5.yaml", text.encode("utf-8"))


STUDENT_SCREENS = (SignInScreen, PickNameScreen, PracticeScreen, HomeScreen, LessonScreen,
                   QuizScreen, ResultScreen)
EXTRA_KEYS = ["ctrl+p", "ctrl+s", "ctrl+t", "ctrl+backslash", "f1", "f12", "ctrl+shift+p",
              "tab", "shift+tab", "escape", "ctrl+c", "ctrl+z"]


async def test_every_key_of_every_student_screen_stays_in_the_students_own_work(demo):
    """Walks every binding (and the usual escape hatches) on each student screen."""
    classroom, cls, (ava, ben) = demo
    quiz = classroom.begin(ben.id, "alpha")
    classroom.answer(quiz.attempt_id, 0, [c.id for c in quiz.items[0].choices if c.correct])
    app = build_app(classroom)
    seen_screens = set()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, app, cls.join_code)   # Ava
        for _ in range(6):
            keys = sorted(set(app.active_bindings) | set(EXTRA_KEYS))
            for key in keys:
                if key in ("ctrl+q",):
                    continue
                await pilot.press(key)
                await pilot.pause()
                assert app.is_running, key
                current = app.screen
                seen_screens.add(type(current).__name__)
                assert isinstance(current, STUDENT_SCREENS) or type(current).__name__ in (
                    "Toast", "ToastRack"), (key, type(current))
                if isinstance(current, QuizScreen):
                    assert current.student_id == ava.id  # never Ben's quiz
                if isinstance(current, HomeScreen):
                    assert current.student_id == ava.id
            if not isinstance(app.screen, HomeScreen):
                break
    assert "HomeScreen" in seen_screens


def test_subprocesses_get_the_network_guard():
    out = subprocess.run([sys.executable, "-c", "import socket; "
                          "print(socket.socket.connect.__name__)"], capture_output=True,
                         text=True, timeout=30)
    assert out.stdout.strip() == "guarded_connect"


def test_in_process_connections_off_machine_are_blocked():
    s = socket.socket()
    try:
        with pytest.raises(OSError, match="blocked"):
            s.connect(("192.0.2.1", 9))  # refused before any packet is sent
    finally:
        s.close()


def test_nothing_stored_identifies_the_device_or_os_account(demo, tmp_path):
    classroom, cls, (ava, _) = demo
    quiz = classroom.begin(ava.id, "alpha")
    classroom.answer(quiz.attempt_id, 0, [c.id for c in quiz.items[0].choices if c.correct])
    classroom.store.backup(tmp_path / "b.sqlite3")
    blob = b"".join(p.read_bytes() for p in classroom.store.path.parent.iterdir() if p.is_file())
    blob += (tmp_path / "b.sqlite3").read_bytes()
    for secret in {getpass.getuser(), socket.gethostname(), str(Path.home())}:
        if len(secret) >= 4:  # a one-letter user name would match anything
            assert secret.encode() not in blob, secret


def test_file_modes_folder_database_wal_backups_exports(demo, tmp_path, capsys):
    from citizen.cli import main

    classroom, cls, (ava, _) = demo
    data = Path(os.environ["CITIZEN_DATA_DIR"])
    assert main(["class", "create", "Modes", "--band", "3-5"]) == 0
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    for p in data.iterdir():
        if p.is_file():
            assert stat.S_IMODE(p.stat().st_mode) == 0o600, p
    assert main(["backup", str(data / "backups-out.sqlite3")]) == 0
    assert stat.S_IMODE((data / "backups-out.sqlite3").stat().st_mode) == 0o600
    code = capsys.readouterr().out.split()[0]
    assert main(["export", code, "--kind", "roster", "--out", str(tmp_path / "r.csv")]) == 0
    assert stat.S_IMODE((tmp_path / "r.csv").stat().st_mode) == 0o600
