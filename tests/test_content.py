"""Lesson loading and checking: each broken-lesson case with its message and position."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from citizen import content
from citizen.content import check_paths, lint_module, load_library, load_module, load_registry
from conftest import FIXTURE_LESSONS

GOOD = (FIXTURE_LESSONS / "alpha" / "3-5.yaml").read_text("utf-8")


@pytest.fixture
def lib(tmp_path: Path) -> Path:
    """A writable copy of the fixture library."""
    dest = tmp_path / "lessons"
    shutil.copytree(FIXTURE_LESSONS, dest)
    return dest


def write(lib: Path, text: str, module: str = "alpha", band: str = "3-5") -> Path:
    path = lib / module / f"{band}.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, "utf-8")
    return path


def problems_of(lib: Path, path: Path) -> list[str]:
    registry, _ = load_registry(lib)
    module, problems = load_module(path, registry)
    assert module is None
    return [str(p) for p in problems]


def test_fixture_module_loads_with_its_parts(lib):
    registry, _ = load_registry(lib)
    module, problems = load_module(lib / "alpha" / "3-5.yaml", registry)
    assert problems == []
    assert module.id == "alpha" and module.band == "3-5" and module.mastery == 0.8
    assert len(module.lesson.questions) == 6 and module.lesson.draw == 4
    assert module.review.draw == 3
    q = module.lesson.questions[0]
    assert q.kind == "single" and q.scenario == "Mia sees a game."
    assert q.correct_ids == {"a"} and q.cites == ("testdist: Student Guidelines 1",)
    assert len(module.version) == 16


@pytest.mark.parametrize("old, new, where, words", [
    ('title: "Alpha module"', "title: yes", (4, 8),
     "title must be text, but YAML reads 'yes' as bool True; put it in quotes"),
    ('title: "Alpha module"', "title: NO", (4, 8), "as bool False"),
    ('title: "Alpha module"', "title: 1.10", (4, 8), "as float 1.1"),
    ('title: "Alpha module"', "title: 12:30", (4, 8), "as int 750"),
    ('summary: "A test module."', 'summary: "A test module."\ncolour: red', (6, 1),
     "unknown key 'colour' in the file"),
    ('summary: "A test module."', 'sumary: "A test module."', (5, 1),
     "unknown key 'sumary' in the file (did you mean 'summary'?)"),
    ('      cites: ["testdist: Student Guidelines 1"]\n',
     '      cites: ["testdist: Student Guidelines 9"]\n', (None, None),
     "is not a clause in lessons/clauses.yaml (did you mean 'testdist: Student Guidelines"),
    ("    - id: alpha.35.q01\n", "    - kind_of: x\n", (None, None),
     "missing required key 'id'"),
    ("format_version: 1", "format_version: 2", (1, 17), "format_version must be 1"),
    ('band: "3-5"', 'band: "5-7"', (3, 7), "band '5-7' is not one of k-2, 3-5, 6-8, 9-12"),
    ("  draw: 4", "  draw: 40", (None, None), "draw is 40 but the pool has only 6 questions"),
    ("    - id: alpha.35.q01", "    - id: Alpha Q1", (None, None), "is not a valid id"),
])
def test_each_broken_case_has_its_message_and_position(lib, old, new, where, words):
    assert old in GOOD
    path = write(lib, GOOD.replace(old, new, 1))
    found = problems_of(lib, path)
    match = [p for p in found if words in p]
    assert match, found
    line, col = where
    if line is not None:
        assert match[0].startswith(f"{path}:{line}:{col}: "), match[0]
    else:
        assert match[0].startswith(f"{path}:") and match[0].split(":")[1].isdigit()


def test_wrong_number_of_correct_answers(lib):
    text = GOOD.replace("          text: \"Ask a grown-up\"\n          correct: true\n",
                        "          text: \"Ask a grown-up\"\n", 1)
    found = problems_of(lib, write(lib, text))
    assert any("needs exactly one choice with `correct: true` (found 0)" in p for p in found)


def test_true_false_ids_may_be_written_bare(lib):
    text = GOOD.replace('- id: true\n', "- id: true\n")  # fixture already uses bare true/false
    registry, _ = load_registry(lib)
    module, problems = load_module(write(lib, text), registry)
    assert problems == [] and module.lesson.questions[1].correct_ids == {"false"}


def test_file_must_sit_at_module_and_band(lib):
    path = write(lib, GOOD, module="gamma")
    assert any("belongs in alpha/3-5.yaml" in p for p in problems_of(lib, path))


@pytest.mark.parametrize("data, words", [
    (b"\xef\xbb\xbf" + GOOD.encode(), None),                     # BOM accepted
    (GOOD.replace("A test module.", "Caf\xe9").encode("latin-1"), "not UTF-8"),
    (b"a: [\n", "YAML syntax"),
    (b"a: !!python/object/apply:os.system [echo hi]\n", "tags"),
    (b"a: &x 1\nb: *x\n", "anchors"),
    (b"[" * 3000 + b"]" * 3000, "nested deeper"),
    (b"x: 1\n" + b"#" * (300 * 1024), "at most 262,144 bytes"),
])
def test_bad_files_are_reported_fast_and_the_rest_still_load(lib, data, words):
    import tracemalloc

    path = lib / "alpha" / "3-5.yaml"
    path.write_bytes(data)
    registry, _ = load_registry(lib)
    tracemalloc.start()
    start = time.perf_counter()
    load_module(path, registry)
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert elapsed < 1.0, elapsed              # refused within a second
    assert peak < 20 * 1024 * 1024, peak       # memory bounded (no alias expansion)
    library = load_library(lib)
    if words is None:
        assert ("alpha", "3-5") in library.modules and not library.problems
        return
    assert str(path) in library.broken_files
    assert any(words in p.message and p.path == str(path) for p in library.problems)
    assert ("beta", "3-5") in library.modules and ("alpha", "k-2") in library.modules


def test_all_broken_files_are_listed_at_once(lib):
    (lib / "alpha" / "3-5.yaml").write_text("title: [", "utf-8")
    (lib / "beta" / "k-2.yaml").write_text("a: 1\na: 2\n", "utf-8")
    library = load_library(lib)
    assert set(library.broken_files) == {str(lib / "alpha" / "3-5.yaml"),
                                         str(lib / "beta" / "k-2.yaml")}
    assert len(library.modules) == 2


def test_question_ids_are_unique_across_the_library(lib):
    beta = (lib / "beta" / "3-5.yaml").read_text("utf-8").replace("beta.35.q01", "alpha.35.q01")
    (lib / "beta" / "3-5.yaml").write_text(beta, "utf-8")
    library = load_library(lib)
    assert any("already used" in p.message for p in library.problems)


def test_cache_is_used_and_invalidated_by_edits(lib, tmp_path):
    cache = tmp_path / "cache.json"
    first = load_library(lib, cache)
    assert cache.exists()
    again = load_library(lib, cache)
    assert again.modules == first.modules
    path = lib / "alpha" / "3-5.yaml"
    path.write_text(path.read_text("utf-8").replace("Alpha module", "Alpha changed"), "utf-8")
    changed = load_library(lib, cache)
    assert changed.get("alpha", "3-5").title == "Alpha changed"
    assert changed.get("alpha", "3-5").version != first.get("alpha", "3-5").version
    cache.write_text("{not json", "utf-8")
    assert load_library(lib, cache).get("alpha", "3-5").title == "Alpha changed"


def test_lint_checks_pool_pages_and_reading_level(library):
    module = library.get("alpha", "3-5")
    problems, grade = lint_module(module)
    messages = " ".join(p.message for p in problems)
    assert "pool has 6 questions; band 3-5 needs at least 8" in messages
    assert "lesson.draw is 4; band 3-5 quizzes draw 5" in messages
    assert 0 < grade < 12


def test_reading_level_ceiling_fails_hard_text(lib):
    hard = GOOD.replace("This is page 1. Keep your name safe.",
                        "Comprehensive institutional confidentiality considerations necessitate "
                        "extraordinarily deliberate consideration of interpersonal communication.")
    path = write(lib, hard, band="k-2").rename(lib / "alpha" / "k-2.yaml")
    text = path.read_text("utf-8").replace('band: "3-5"', 'band: "k-2"').replace(".35.", ".k2x.")
    path.write_text(text, "utf-8")
    problems, grades, _ = check_paths([path])
    assert any("reading level is grade" in p.message and "k-2 allows at most 3.0" in p.message
               for p in problems)
    assert grades[str(path)] > 3.0


def test_coverage_maps_clauses_to_questions(library):
    registry, _ = load_registry(FIXTURE_LESSONS)
    rows = {r.clause.ref: r for r in content.coverage(library, registry)}
    assert "alpha/3-5" in rows["testdist: Student Guidelines 1"].modules
    assert rows["testdist: Staff Rules 1"].questions == ()


def test_check_accepts_a_module_folder_and_refuses_an_empty_one(lib, tmp_path):
    problems, grades, _ = check_paths([lib / "alpha"], lint=False)
    assert problems == [] and grades == {}
    problems, grades, _ = check_paths([lib / "alpha"])
    assert len(grades) == 2
    (lib / "alpha" / "3-5.yaml").write_text("a: [", "utf-8")
    problems, _, _ = check_paths([lib / "alpha"], lint=False)
    assert any("YAML syntax" in p.message for p in problems)
    empty = tmp_path / "empty"
    empty.mkdir()
    problems, _, _ = check_paths([empty], lint=False)
    assert problems and "no lesson files found" in problems[0].message
