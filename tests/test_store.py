"""The SQLite store: durability settings, file modes, migrations, and answer commits."""

import os
import sqlite3
import stat
from datetime import datetime, timezone

import pytest

from citizen.model import Plan
from citizen.store import SCHEMA_VERSION, SQLiteStore, StoreError

NOW = datetime(2026, 9, 8, 13, 0, tzinfo=timezone.utc)
PLAN = Plan(("q1", "q2"), (("a", "b"), ("true", "false")))


def make_attempt(store):
    cls = store.create_class("Room", "3-5", "ACDEFG", NOW)
    st = store.add_student(cls.id, "Ava R.", "", "3-5", NOW)
    store.save_version("v1", "alpha", "3-5", "{}")
    return st, store.create_attempt(st.id, "alpha", "3-5", "lesson", 0, "v1", 9, PLAN, 0.8, NOW)


def test_pragmas_and_file_modes(store):
    db = store.db
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    make_attempt(store)
    for path in store.path.parent.iterdir():
        if path.name.startswith("citizen.sqlite3"):
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_answer_is_visible_to_another_connection_when_record_returns(store):
    st, att = make_attempt(store)
    store.record_answer(att.id, 0, "q1", ["a"], True, NOW)
    other = sqlite3.connect(str(store.path))
    assert other.execute("SELECT question_id, chosen, correct FROM answers").fetchall() == [
        ("q1", "a", 1)]
    other.close()


def test_a_second_answer_at_the_same_position_keeps_the_first(store):
    st, att = make_attempt(store)
    store.record_answer(att.id, 0, "q1", ["a"], True, NOW)
    again = store.record_answer(att.id, 0, "q1", ["b"], False, NOW)
    assert again.chosen == ("a",) and again.correct
    assert len(store.answers(att.id)) == 1


def test_one_open_attempt_per_module_part(store):
    st, att = make_attempt(store)
    with pytest.raises(sqlite3.IntegrityError):
        store.create_attempt(st.id, "alpha", "3-5", "lesson", 0, "v1", 1, PLAN, 0.8, NOW)
    store.finish_attempt(att.id, 1, 2, False, NOW)
    assert store.open_attempt(st.id, "alpha", "3-5", "lesson") is None
    store.create_attempt(st.id, "alpha", "3-5", "lesson", 0, "v1", 1, PLAN, 0.8, NOW)


def test_queue_never_piles_up(store):
    st, _ = make_attempt(store)
    assert store.schedule(st.id, "alpha", "3-5", "review", 0, NOW, "missed", NOW)
    assert not store.schedule(st.id, "alpha", "3-5", "review", 0, NOW, "missed", NOW)
    assert len(store.queue(st.id)) == 1
    store.close_queue(st.id, "alpha", "3-5", "review", NOW)
    assert store.queue(st.id) == []


def test_reopen_keeps_data_and_version(store):
    make_attempt(store)
    path = store.path
    store.close()
    again = SQLiteStore(path)
    assert [c.name for c in again.classes()] == ["Room"]
    again.close()


def test_newer_schema_is_refused(store):
    path = store.path
    store.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    store.close()
    with pytest.raises(StoreError, match="newer citizen"):
        SQLiteStore(path)


def test_damaged_file_is_named_with_newest_backup_and_left_alone(store, tmp_path):
    make_attempt(store)
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    backups = store.path.parent / "backups"
    backups.mkdir()
    store.backup(backups / "citizen-2026-09-01.sqlite3")
    path = store.path
    store.close()
    data = bytearray(path.read_bytes())
    data[4096:4096 + 2000] = os.urandom(2000)
    path.write_bytes(bytes(data))
    before = path.read_bytes()
    with pytest.raises(StoreError) as info:
        SQLiteStore(path)
    msg = str(info.value)
    assert str(path) in msg and "citizen-2026-09-01.sqlite3" in msg and "damaged" in msg
    assert path.read_bytes() == before


def test_backup_is_a_consistent_copy(store, tmp_path):
    st, att = make_attempt(store)
    store.record_answer(att.id, 0, "q1", ["a"], True, NOW)
    out = tmp_path / "copy.sqlite3"
    store.backup(out)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    copy = sqlite3.connect(str(out))
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert copy.execute("SELECT count(*) FROM answers").fetchone()[0] == 1
    copy.close()
