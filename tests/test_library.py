"""The real lesson library: structure, citations, reading level, coverage, and the wheel."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from citizen import content
from citizen.cli import main
from citizen.model import BANDS
from conftest import REAL_LESSONS

MODULES = ["personal-info", "age-limits", "cyberbullying", "copyright", "impersonation",
           "digital-footprint", "photos-consent", "respectful-communication",
           "links-and-tools", "passwords-accounts", "trusted-adults", "lawful-use"]


@pytest.fixture(scope="module")
def checked():
    return content.check_paths([REAL_LESSONS])


def test_lessons_check_passes_on_the_real_library(checked):
    problems, grades, library = checked
    assert [str(p) for p in problems] == []
    assert len(grades) == 48
    for source, grade in grades.items():
        assert grade <= content.READING_CEILING[Path(source).stem]


def test_every_module_in_every_band(checked):
    _, _, library = checked
    for module in MODULES:
        for band in BANDS:
            m = library.get(module, band)
            assert m is not None, (module, band)
            assert len(m.review.questions) >= 3 and m.review.pages
            kinds = {q.kind for q in m.lesson.questions}
            assert kinds == {"single", "true_false", "select_all"}, (module, band, kinds)
            assert all(c.feedback for q in m.lesson.questions for c in q.choices)
            assert all(q.cites for part in (m.lesson, m.review) for q in part.questions)


def test_coverage_command_passes_and_covers_every_student_clause(capsys):
    assert main(["--lessons", str(REAL_LESSONS), "lessons", "coverage"]) == 0
    out = capsys.readouterr().out
    assert "NOT COVERED" not in out and "128/128 student-facing clauses covered" in out


def test_coverage_fails_when_a_clause_is_uncovered(tmp_path, capsys):
    import shutil

    lib = tmp_path / "lessons"
    shutil.copytree(REAL_LESSONS, lib)
    shutil.rmtree(lib / "links-and-tools")
    assert main(["--lessons", str(lib), "lessons", "coverage"]) == 1
    assert "dracut: General Guidelines 11: NOT COVERED" in capsys.readouterr().out


def test_wheel_ships_the_lessons(tmp_path):
    repo = REAL_LESSONS.parent
    out = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                          "-q", "-w", str(tmp_path), str(repo)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    [wheel] = tmp_path.glob("citizen-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "citizen/_lessons/clauses.yaml" in names
    assert "citizen/_lessons/personal-info/k-2.yaml" in names
    assert "citizen/ui/citizen.tcss" in names
    assert "citizen/ui/serve_templates/app_index.html" in names  # the served page
    # every module of the source tree is in the wheel (a missing subpackage once slipped by)
    source = {str(p.relative_to(repo)) for p in (repo / "citizen").rglob("*.py")}
    assert source <= names, sorted(source - names)
    assert sum(n.endswith(".yaml") and n.startswith("citizen/_lessons/") for n in names) == 49
    # installed (not editable), the app finds and loads the shipped lessons
    target = tmp_path / "site"
    out = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "-q",
                          "--target", str(target), str(wheel)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    code = ("import citizen, sys; from citizen.paths import bundled_lessons_dir; "
            "from citizen.content import load_library; d = bundled_lessons_dir(); "
            "lib = load_library(d); print(citizen.__file__, d, len(lib.modules), "
            "len(lib.problems))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(target)})
    assert out.returncode == 0, out.stderr
    where, lessons, modules, problems = out.stdout.split()
    assert where.startswith(str(target)) and lessons == str(target / "citizen" / "_lessons")
    assert (modules, problems) == ("48", "0")
