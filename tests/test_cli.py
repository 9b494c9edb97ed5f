"""The command line as a user meets it: paths, version, one-line errors, broken lessons shown."""

from __future__ import annotations

import random
import shutil

from citizen import __version__
from citizen.classroom import Classroom
from citizen.cli import main
from citizen.ui.app import build_app
from citizen.ui.screens.home import HomeScreen
from conftest import FIXTURE_LESSONS
from pilotkit import text_of, wait_for
from test_app import SIZE, sign_in


def test_where_prints_paths_from_the_environment(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CITIZEN_DATA_DIR", str(tmp_path / "here"))
    assert main(["where"]) == 0
    out = capsys.readouterr().out
    assert f"data:     {tmp_path / 'here'}" in out
    assert f"database: {tmp_path / 'here' / 'citizen.sqlite3'}" in out
    assert main(["--data-dir", str(tmp_path / "flag"), "where"]) == 0
    assert str(tmp_path / "flag") in capsys.readouterr().out
    assert not (tmp_path / "here").exists()  # nothing touches the disk for `where`


def test_version_and_one_line_usage_errors(capsys):
    import pytest

    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0 and capsys.readouterr().out.strip() == f"citizen {__version__}"
    assert main(["lessons", "frobnicate"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("citizen: ") and err.count("\n") == 1
    assert main(["lessons", "check", "/no/such/file.yaml"]) == 2


async def test_broken_lesson_files_are_named_on_the_home_screen(store, clock, tmp_path):
    lib = tmp_path / "lessons"
    shutil.copytree(FIXTURE_LESSONS, lib)
    (lib / "beta" / "3-5.yaml").write_text("title: [", "utf-8")
    classroom = Classroom(store, lessons_dir=lib, clock=clock, rng=random.Random(1))
    cls = classroom.create_class("Room", "3-5")
    classroom.add_student(cls.id, "Ava R.")
    app = build_app(classroom)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, app, cls.join_code)
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        notice = text_of(app, "#home-notice")
        assert "1 lesson file(s) could not be used: beta/3-5.yaml" in notice
        assert [c.module_id for c in app.screen.cards] == ["alpha"]  # the good one still works
