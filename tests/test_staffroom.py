"""Staff facade: sign-in and lockout, rosters, assignments, results, exports, deletion."""

from __future__ import annotations

import csv
import os
import sqlite3
import stat
from datetime import timedelta
from pathlib import Path

import pytest

from citizen import auth, reports
from citizen.classroom import Classroom, ClassroomError
from citizen.staffroom import AuthError, Staffroom
from citizen.store import SQLiteStore

FAST = auth.ScryptParams(n=2**10, r=8, p=1)
ONEROSTER_HEADER = ("sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,"
                    "userIds,givenName,familyName,middleName,identifier,email,sms,phone,"
                    "agentSourcedIds,grades,password")


@pytest.fixture
def room(classroom) -> Staffroom:
    return Staffroom(classroom, hash_params=FAST)


def read_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


# -- hashing and lockout -------------------------------------------------------------------

def test_hash_records_algorithm_and_parameters_and_verifies():
    h = auth.hash_passphrase("correct horse battery", FAST)
    assert h.startswith("scrypt$n=1024,r=8,p=1$")
    assert auth.verify("correct horse battery", h) and not auth.verify("wrong horse", h)
    assert h != auth.hash_passphrase("correct horse battery", FAST)  # salted
    assert not auth.verify("x", "md5$nonsense") and not auth.verify("x", "garbage")
    assert auth.OWASP == auth.ScryptParams(2**17, 8, 1)


def test_owasp_hash_really_runs():
    h = auth.hash_passphrase("a passphrase of some length")
    assert h.startswith("scrypt$n=131072,r=8,p=1$") and auth.verify("a passphrase of some length", h)


def test_delays_double_to_five_minutes():
    assert [auth.delay_after(n) for n in range(1, 12)] == [1, 2, 4, 8, 16, 32, 64, 128, 256,
                                                           300, 300]


def test_weak_passphrase_refused(room):
    with pytest.raises(ClassroomError, match="at least 10"):
        room.add_staff("Ms Rivera", "teacher", "short")


def test_wrong_tries_delay_survives_restart_then_right_one_works(room, store, library, clock):
    room.add_staff("Ms Rivera", "teacher", "river stones at dawn")
    with pytest.raises(AuthError) as first:
        room.sign_in("Ms Rivera", "wrong one here")
    assert str(first.value) == auth.FAILURE_MESSAGE and first.value.wait == 1
    with pytest.raises(AuthError, match="Please wait 1 second before"):
        room.sign_in("Ms Rivera", "river stones at dawn")  # too soon, even if right
    for n in range(2, 21):
        clock.advance(seconds=auth.delay_after(n - 1))
        with pytest.raises(AuthError) as info:
            room.sign_in("ms rivera", f"wrong {n} passphrase")
        assert str(info.value) == auth.FAILURE_MESSAGE
    assert store.failures("staff:ms rivera")[0] == 20
    # a restart (new facade, same database) keeps the count and the wait
    again = Staffroom(Classroom(store, library=library, clock=clock), hash_params=FAST)
    assert again.wait_left("Ms Rivera") == 300
    with pytest.raises(AuthError, match="Please wait"):
        again.sign_in("Ms Rivera", "river stones at dawn")
    clock.advance(seconds=300)
    assert again.sign_in("Ms Rivera", "river stones at dawn").role == "teacher"
    assert store.failures("staff:ms rivera")[0] == 0


def test_unknown_name_gets_the_same_message_and_delay(room):
    with pytest.raises(AuthError) as info:
        room.sign_in("Nobody", "any passphrase at all")
    assert str(info.value) == auth.FAILURE_MESSAGE and info.value.wait == 1


def test_teacher_sees_own_classes_counselor_sees_all(room):
    t1 = room.add_staff("Ms Rivera", "teacher", "river stones at dawn")
    t2 = room.add_staff("Mr Chen", "teacher", "chen passphrase 42")
    c = room.add_staff("Dr Okafor", "counselor", "counsel me kindly")
    a = room.create_class("Room 1", "3-5", t1)
    b = room.create_class("Room 2", "3-5", t2)
    assert [x.id for x in room.classes(t1)] == [a.id]
    assert {x.id for x in room.classes(c)} == {a.id, b.id}


# -- rosters -------------------------------------------------------------------------------

def test_plain_import_dry_run_then_apply_with_row_errors(room):
    cls = room.create_class("Room 12", "3-5")
    data = ("display_name,student_code\nAva R.,S1\nBen T.,\nava r.,S9\n,S5\n"
            "Cy\x07D.,S6\nDee E.,S7,extra\n").encode()
    dry = room.import_roster(cls.id, data, dry_run=True)
    assert dry.added == ["Ava R.", "Ben T."] and not dry.applied
    assert [r for r, _ in dry.errors] == [4, 5, 6, 7]
    assert "row 4" in "\n".join(dry.lines()) and "nothing was changed" in "\n".join(dry.lines())
    assert room.classroom.roster(cls.id) == []
    done = room.import_roster(cls.id, data)
    assert [s.name for s in room.classroom.roster(cls.id)] == ["Ava R.", "Ben T."]
    again = room.import_roster(cls.id, b"Ava R.,S1b\nBen T.\n")
    assert again.added == [] and again.updated == ["Ava R."] and again.unchanged == ["Ben T."]
    assert done.applied


def test_oneroster_import_keeps_first_name_and_initial_only(room, store):
    cls = room.create_class("Room 7", "6-8")
    rows = [ONEROSTER_HEADER,
            "u1,active,2026-08-01,true,org1,student,zoe.q,,Zoe,Quinn,,SIS001,zoe@example.org,,"
            "555-0100,,07,pw",
            "u2,active,2026-08-01,true,org1,teacher,t.smith,,Tina,Smith,,T9,t@example.org,,,,,",
            "u3,tobedeleted,2026-08-01,true,org1,student,old,,Old,Kid,,SIS003,,,,,07,",
            "u4,active,2026-08-01,true,org1,student,max,,Max,,,,,,,,07,"]
    report = room.import_roster(cls.id, ("\n".join(rows) + "\n").encode())
    assert report.kind == "oneroster" and report.added == ["Zoe Q.", "Max"]
    assert report.skipped == 2
    assert {"email", "phone", "password", "username"} <= set(report.ignored_columns)
    assert "ignored and not stored: " in "\n".join(report.lines())
    codes = {s.display_name: s.code for s in store.students(cls.id)}
    assert codes == {"Zoe Q.": "SIS001", "Max": "u4"}
    dump = "\n".join(store.db.iterdump())
    assert "example.org" not in dump and "555-0100" not in dump and "Quinn" not in dump


def test_latin1_roster_is_refused_clearly(room):
    cls = room.create_class("Room 3", "3-5")
    with pytest.raises(ClassroomError, match="not UTF-8"):
        room.import_roster(cls.id, "Jos\xe9 M.\n".encode("latin-1"))


# -- results -------------------------------------------------------------------------------

def answer(classroom, student_id, module, picks):
    """Answers a new attempt: picks[i] is 'right', 'wrong' or None (stop)."""
    quiz = classroom.begin(student_id, module)
    for item, pick in zip(quiz.items, picks):
        if pick is None:
            break
        ids = [c.id for c in item.choices if c.correct == (pick == "right")][:1]
        if pick == "right":
            ids = [c.id for c in item.choices if c.correct]
        classroom.answer(quiz.attempt_id, item.position, ids)
    return quiz


def test_live_table_and_item_analysis_on_known_data(room, demo):
    classroom, cls, (ava, ben) = demo
    room.assign(cls.id, "alpha", classroom.clock() + timedelta(days=2))
    qa = answer(classroom, ava.id, "alpha", ["right"] * 4)
    classroom.finish(qa.attempt_id)
    qb = answer(classroom, ben.id, "alpha", ["wrong", None])
    table = room.live(cls.id)
    assert table.modules == [("alpha", "Alpha module")]
    cells = {s.name: c[0] for s, c in table.rows}
    assert cells["Ava R."].status == "mastered" and cells["Ava R."].text == "100% ✔"
    assert cells["Ben T."].status == "in progress" and cells["Ben T."].text == "1/4…"
    stats = {s.question_id: s for s in room.item_analysis(cls.id, "alpha")}
    ben_q = qb.items[0].question
    s = stats[ben_q.id]
    assert s.answered == 2 and s.percent_correct == 50
    wrong_text = [c.text for c in qb.items[0].choices if not c.correct][0]
    assert s.top_wrong == wrong_text and s.top_wrong_count == 1
    assert room.mastery_bars(cls.id) == [("Alpha module", 1, 2)]


def test_assignment_reaches_the_student_home(room, demo):
    classroom, cls, (ava, ben) = demo
    due = classroom.clock() + timedelta(days=3)
    assert room.assign(cls.id, "beta", due, student_ids=[ben.id]) == 1
    card = classroom.home(ben.id).cards[0]
    assert card.module_id == "beta" and card.assigned and card.due == due
    assert not classroom.home(ava.id).cards[0].assigned
    with pytest.raises(ClassroomError):
        room.assign(cls.id, "nope", None)


# -- exports -------------------------------------------------------------------------------

def test_exports_read_back_with_injection_and_non_ascii(room, demo, tmp_path):
    classroom, cls, (ava, ben) = demo
    evil = room.classroom.store.add_student(cls.id, "=HYPERLINK(\"x\")", "+1 555", "3-5",
                                            classroom.clock())
    # clean_name refuses newlines; the CSV must still survive one that got in another way
    nino = room.classroom.store.add_student(cls.id, "Niño Ø., \"Q\"\nline", "", "3-5",
                                            classroom.clock())
    for sid in (ava.id, evil.id, nino.id):
        q = answer(classroom, sid, "alpha", ["right"] * 4)
        classroom.finish(q.attempt_id)
    out = tmp_path / "answers.csv"
    assert room.export(cls.id, "answers", out) == 12
    rows = read_csv(out)
    assert tuple(rows[0]) == reports.COLUMNS["answers"]
    names = {r[1] for r in rows[1:]}
    assert "'=HYPERLINK(\"x\")" in names and 'Niño Ø., "Q"\nline' in names
    assert {r[2] for r in rows[1:]} >= {"'+1 555"}
    assert {r[9] for r in rows[1:]} == {"1"}
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    summary = read_csv(room.export(cls.id, "summary", tmp_path / "s.csv") and tmp_path / "s.csv")
    assert summary[0][5] == "best_score_percent"
    assert {(r[1], r[5], r[7]) for r in summary[1:]} >= {("Ava R.", "100", "1")}
    canvas = read_csv((room.export(cls.id, "canvas", tmp_path / "c.csv"), tmp_path / "c.csv")[1])
    assert canvas[0][:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    assert canvas[0][5:] == ["Alpha module (alpha)", "Beta module (beta)"]
    assert canvas[1][:6] == ["Points Possible", "", "", "", "", "100"]
    ava_row = [r for r in canvas if r[0] == "Ava R."][0]
    assert ava_row[4] == "Room 12" and ava_row[5] == "100" and ava_row[6] == ""
    roster = read_csv((room.export(cls.id, "roster", tmp_path / "r.csv"), tmp_path / "r.csv")[1])
    assert [r[1] for r in roster[1:]] == [cls.join_code] * 4


def test_failed_export_leaves_nothing(room, demo, tmp_path):
    classroom, cls, _ = demo
    with pytest.raises(reports.ExportError, match="does not exist"):
        room.export(cls.id, "roster", tmp_path / "missing" / "x.csv")
    locked = tmp_path / "locked"
    locked.mkdir()
    os.chmod(locked, 0o500)
    try:
        if os.access(locked, os.W_OK):  # root ignores modes; use a file in the way instead
            target = locked / "x.csv"
            target.mkdir()
            with pytest.raises(reports.ExportError):
                room.export(cls.id, "roster", target)
        else:
            with pytest.raises(reports.ExportError, match="cannot write"):
                room.export(cls.id, "roster", locked / "x.csv")
    finally:
        os.chmod(locked, 0o700)
    leftovers = [p for p in locked.rglob("*") if p.is_file()]
    assert leftovers == []


# -- privacy -------------------------------------------------------------------------------

def test_student_record_export_is_complete(room, demo, tmp_path):
    classroom, cls, (ava, _) = demo
    answer(classroom, ava.id, "alpha", ["right", "wrong", None])
    out = tmp_path / "ava.json"
    room.export_student(ava.id, out)
    import json

    data = json.loads(out.read_text("utf-8"))
    assert data["student"]["display_name"] == "Ava R."
    assert len(data["attempts"][0]["answers"]) == 2
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_deleting_a_student_leaves_no_trace_in_db_or_wal(room, demo):
    classroom, cls, (ava, ben) = demo
    unique = classroom.add_student(cls.id, "Xylophonia Q.")
    q = answer(classroom, unique.id, "alpha", ["right"] * 4)
    classroom.finish(q.attempt_id)
    store = classroom.store
    counts = room.remove_student(unique.id)
    assert counts["students"] == 1 and counts["answers"] == 4 and counts["attempts"] == 1
    blob = b""
    for p in store.path.parent.iterdir():
        if p.name.startswith(store.path.name):
            blob += p.read_bytes()
    assert b"Xylophonia" not in blob
    assert store.integrity_check() == "ok"
    assert [s.name for s in classroom.roster(cls.id)] == ["Ava R.", "Ben T."]


def test_purge_class_really_deletes(room, demo):
    classroom, cls, (ava, ben) = demo
    answer(classroom, ava.id, "alpha", ["right", None])
    counts = room.store.purge_class(cls.id)
    assert counts["classes"] == 1 and counts["students"] == 2 and counts["answers"] == 1
    blob = b"".join(p.read_bytes() for p in room.store.path.parent.iterdir()
                    if p.name.startswith("citizen.sqlite3"))
    assert b"Ava R." not in blob and b"Room 12" not in blob


def test_migration_from_v1_keeps_data(tmp_path):
    from citizen import store as store_mod

    path = tmp_path / "old.sqlite3"
    con = sqlite3.connect(str(path))
    con.executescript(store_mod._SCHEMA_V1 + "PRAGMA user_version = 1;")
    con.execute("INSERT INTO classes(name, band, join_code, created_at) VALUES "
                "('Old', '3-5', 'ACDEFG', '2026-01-01T00:00:00+00:00')")
    con.execute("INSERT INTO students(class_id, display_name, band, created_at) VALUES "
                "(1, 'Ava R.', '3-5', '2026-01-01T00:00:00+00:00')")
    con.execute("INSERT INTO content_versions VALUES ('v', 'alpha', '3-5', '{}')")
    con.execute("INSERT INTO attempts(student_id, module_id, band, part, version, seed, plan, "
                "mastery, started_at) VALUES (1, 'alpha', '3-5', 'lesson', 'v', 1, "
                "'{\"q\": [\"q1\"], \"c\": [[\"x\", \"y\"]]}', 0.8, '2026-01-01T00:00:00+00:00')")
    con.execute("INSERT INTO answers(attempt_id, position, question_id, chosen, correct, "
                "answered_at) VALUES (1, 0, 'q1', '[\"x\", \"y\"]', 1, "
                "'2026-01-01T00:00:00+00:00')")
    con.commit()
    con.close()
    s = SQLiteStore(path)
    assert s.db.execute("PRAGMA user_version").fetchone()[0] == store_mod.SCHEMA_VERSION
    assert [c.name for c in s.classes()] == ["Old"]
    assert s.staff() == []
    assert s.answers(1)[0].chosen == ("x", "y")  # v3 turned JSON into space-separated ids
    assert s.integrity_check() == "ok"
    s.close()
