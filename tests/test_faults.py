"""Faults: network filesystems, unwritable or damaged data, a full disk, odd terminals."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from citizen import paths as paths_mod
from citizen.cli import main
from citizen.store import SQLiteStore


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "citizen", *args], capture_output=True,
                          text=True, timeout=60, env={**os.environ, **(env or {})})


def test_network_filesystem_is_refused_with_its_type(tmp_path, monkeypatch, capsys):
    share = tmp_path / "share"
    share.mkdir()
    share = Path(os.path.realpath(share))
    data = share / "citizen"
    mounts = tmp_path / "mounts"
    mounts.write_text(f"/dev/sda1 / ext4 rw 0 0\nserver:/export {share} nfs4 rw 0 0\n")
    monkeypatch.setattr(paths_mod, "MOUNTS", mounts)
    assert paths_mod.network_filesystem(data) == "nfs4"
    assert main(["--data-dir", str(data), "class", "list"]) == 2
    err = capsys.readouterr().err
    assert "network filesystem (nfs4)" in err and err.count("\n") == 1
    assert not data.exists()
    mounts.write_text(f"/dev/sda1 / ext4 rw 0 0\n//nas/s {share} cifs rw 0 0\n")
    assert paths_mod.network_filesystem(data) == "cifs"
    mounts.write_text("/dev/sda1 / ext4 rw 0 0\n")
    assert paths_mod.network_filesystem(data) == ""


def test_unwritable_data_folder_is_one_clear_line(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    out = run_cli("--data-dir", str(blocker / "data"), "class", "list")
    assert out.returncode == 2 and out.stderr.startswith("citizen: cannot use the data folder")
    assert "Traceback" not in out.stderr and out.stderr.count("\n") == 1


def test_damaged_database_names_file_and_backup_and_is_kept(tmp_path):
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    store = SQLiteStore(data / "citizen.sqlite3")
    store.create_class.__self__  # the store opened fine
    (data / "backups").mkdir()
    store.backup(data / "backups" / "citizen-20261120-070000.sqlite3")
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    db = data / "citizen.sqlite3"
    raw = bytearray(db.read_bytes())
    raw[100:4096] = b"\xff" * (4096 - 100)  # overwrite the schema page
    db.write_bytes(bytes(raw))
    before = db.read_bytes()
    out = run_cli("--data-dir", str(data), "class", "list")
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert str(db) in out.stderr and "citizen-20261120-070000.sqlite3" in out.stderr
    assert db.read_bytes() == before


@pytest.fixture(params=["tmpfs", "page-cap"])
def tiny_disk(request, tmp_path):
    """A 600 KB tmpfs where the machine allows mounting one (CI runs as root); else None,
    and the test caps the database's size instead. Both ways run where both are possible."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    ok = request.param == "tmpfs" and subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=600k", "tmpfs", str(mount)],
        capture_output=True).returncode == 0
    yield mount if ok else None
    if ok:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def fill(folder: Path) -> Path:
    """Writes a filler file until the filesystem is full; returns it."""
    filler = folder / "filler"
    with open(filler, "wb", buffering=0) as fh:
        for block in (65536, 4096, 512, 1):
            try:
                while fh.write(b"\0" * block):
                    pass
            except OSError:
                pass
    return filler


async def test_disk_full_while_answering_says_so_and_saves_once_there_is_room(tiny_disk, library,
                                                                             clock, tmp_path):
    import random

    from citizen.classroom import Classroom
    from citizen.ui.app import build_app
    from citizen.ui.screens.quiz import QuizScreen
    from test_app import SIZE, text_of, wait_for

    folder = (tiny_disk or tmp_path) / "data"
    folder.mkdir(mode=0o700)
    store = SQLiteStore(folder / "citizen.sqlite3")
    classroom = Classroom(store, library=library, clock=clock, rng=random.Random(1))
    cls = classroom.create_class("Room", "3-5")
    ava = classroom.add_student(cls.id, "Ava R.")
    quiz = classroom.begin(ava.id, "alpha")
    if tiny_disk is not None:
        filler = fill(tiny_disk)  # a real full disk: SQLite gets ENOSPC writing the WAL
    else:  # no mount here: a database that may not grow fails the same way (SQLITE_FULL)
        filler = None
        db = store.db
        db.execute(f"PRAGMA max_page_count = {db.execute('PRAGMA page_count').fetchone()[0]}")
        position = 1000
        for width in (50, 10, 1):  # big rows, then smaller ones into what room is left
            try:
                while True:
                    store.record_answer(quiz.attempt_id, position, "pad", ["x"] * width,
                                        False, clock())
                    position += 1
            except Exception:
                pass
    app = build_app(classroom)
    async with app.run_test(size=SIZE) as pilot:
        screen = QuizScreen(ava.id, quiz)
        await app.push_screen(screen)
        await pilot.pause()
        item = screen.item
        right = [n for n, c in enumerate(item.choices, 1) if c.correct]
        keys = [str(n) for n in right] + (["enter"] if item.question.kind == "select_all"
                                          else [])
        await pilot.press(*keys)
        await wait_for(pilot, lambda: "Could not save" in text_of(app, "#save-error"))
        assert "Tell your teacher" in text_of(app, "#save-error")
        assert screen.feedback is None and app.is_running          # the quiz did not move on
        assert [a.position for a in store.answers(quiz.attempt_id)
                if a.position < 100] == []
        if filler is not None:
            filler.unlink()                                          # room again
        else:
            store.db.execute("PRAGMA max_page_count = 1073741823")
        if item.question.kind == "select_all":
            await pilot.press("enter")
        else:
            await pilot.press(keys[0])
        await wait_for(pilot, lambda: screen.feedback is not None)
        assert text_of(app, "#verdict") == "✔ Right!"
    saved = [a for a in store.answers(quiz.attempt_id) if a.position < 100]
    assert len(saved) == 1 and saved[0].correct
    assert store.integrity_check() == "ok"
    store.close()


def test_non_utf8_terminal_gets_a_plain_ascii_message(tmp_path):
    out = subprocess.run([sys.executable, "-X", "utf8=0", "-m", "citizen", "--data-dir",
                          str(tmp_path / "d")], capture_output=True, timeout=60,
                         env={**os.environ, "LANG": "C", "LC_ALL": "C", "PYTHONIOENCODING":
                              "ascii", "PYTHONUTF8": "0"})
    assert out.returncode == 2
    out.stderr.decode("ascii")  # plain ASCII, no garbage
    assert b"UTF-8 terminal" in out.stderr and b"Traceback" not in out.stderr
