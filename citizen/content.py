"""Provides loading and checking of lesson files (format_version 1) and the clause registry.

The format is documented for authors in `lessons/README.md`. Every problem is a `Problem` with
`path:line:col`; a broken file is left out of the library and named, and the rest still load.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

from citizen.model import (BANDS, DEFAULT_MASTERY, KINDS, Choice, Library, Module, Page, Part,
                           Problem, Question)
from citizen.safeyaml import YamlError, YMap, YNode, YScalar, YSeq, decode, parse, plain

FORMAT_VERSION = 1
"""The only lesson format this version reads."""
CLAUSES_FILE = "clauses.yaml"
"""The registry of citable policy clauses, at the top of the lessons folder."""
ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
"""What an author-given id looks like."""

READING_CEILING = {"k-2": 3.0, "3-5": 5.5, "6-8": 8.5, "9-12": 11.0}
"""Highest Flesch-Kincaid grade a band's student-facing text may reach."""
MIN_POOL = {"k-2": 6, "3-5": 8, "6-8": 8, "9-12": 8}
"""Smallest lesson question pool per band (library rule, checked by `lessons check`)."""
QUIZ_DRAW = {"k-2": 4, "3-5": 5, "6-8": 5, "9-12": 5}
"""How many questions a lesson quiz draws, per band (library rule)."""


# --------------------------------------------------------------------------- clause registry

@dataclass(frozen=True)
class Clause:
    """One citable clause of a district policy."""

    key: str
    """Policy key, e.g. `duxbury`."""
    cite: str
    """Section and number as printed, e.g. `Social Media Guidelines for Students 3`."""
    summary: str
    """One sentence in our words."""
    student_facing: bool
    """Whether the library must teach it."""
    why_not: str = ""
    """Why a clause is not student-facing."""

    @property
    def ref(self) -> str:
        """The citation string lessons use: `key: cite`."""
        return f"{self.key}: {self.cite}"


@dataclass(frozen=True)
class Registry:
    """Every clause of the source policies, by citation string."""

    clauses: dict[str, Clause]
    """`key: cite` -> clause."""
    titles: dict[str, str]
    """Policy key -> document title."""

    def suggest(self, ref: str) -> str:
        """Returns a ' (did you mean ...?)' hint for an unknown citation, or ''."""
        close = difflib.get_close_matches(ref, list(self.clauses), n=1, cutoff=0.6)
        return f" (did you mean {close[0]!r}?)" if close else ""


def load_registry(lessons_dir: Path) -> tuple[Registry | None, list[Problem]]:
    """Reads `clauses.yaml` from the lessons folder.

    Returns:
        The registry (None if missing or broken) and its problems.
    """
    path = lessons_dir / CLAUSES_FILE
    if not path.is_file():
        return None, []
    try:
        root = parse(decode(path.read_bytes()))
    except YamlError as exc:
        return None, [Problem(str(path), exc.line, exc.col, exc.message)]
    data = plain(root) or {}
    clauses: dict[str, Clause] = {}
    titles: dict[str, str] = {}
    problems: list[Problem] = []
    for key, policy in (data.get("policies") or {}).items():
        titles[key] = str(policy.get("title", key))
        for item in policy.get("clauses") or []:
            clause = Clause(key, str(item.get("cite", "")), str(item.get("summary", "")),
                            bool(item.get("student_facing")), str(item.get("why_not", "") or ""))
            if clause.ref in clauses:
                problems.append(Problem(str(path), 1, 1, f"duplicate clause {clause.ref!r}"))
            clauses[clause.ref] = clause
    return Registry(clauses, titles), problems


# --------------------------------------------------------------------------- validation

class _Checker:
    """Walks one file's node tree, collecting problems with positions."""

    def __init__(self, path: str, registry: Registry | None) -> None:
        self.path = path
        self.registry = registry
        self.problems: list[Problem] = []

    def error(self, node: Any, message: str) -> None:
        line, col = (node.line, node.col) if node is not None else (1, 1)
        self.problems.append(Problem(self.path, line, col, message))

    def mapping(self, node: YNode | None, where: str, required: Iterable[str],
                optional: Iterable[str], parent: Any = None) -> YMap | None:
        if not isinstance(node, YMap):
            self.error(node or parent, f"{where} must be a mapping of `key: value` lines")
            return None
        allowed = set(required) | set(optional)
        for key, (knode, _) in node.items.items():
            if key not in allowed:
                close = difflib.get_close_matches(key, sorted(allowed), n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else (
                    f"; allowed: {', '.join(sorted(allowed))}")
                self.error(knode, f"unknown key {key!r} in {where}{hint}")
        for key in required:
            if key not in node.items:
                self.error(node, f"{where} is missing required key {key!r}")
        return node

    def get(self, m: YMap, key: str) -> YNode | None:
        entry = m.items.get(key)
        return entry[1] if entry else None

    def text(self, m: YMap, key: str, where: str, default: str | None = None) -> str:
        node = self.get(m, key)
        if node is None:
            return default if default is not None else ""
        if not isinstance(node, YScalar):
            self.error(node, f"{where}.{key} must be text, not a list or mapping")
            return ""
        if not isinstance(node.value, str):
            self.error(node, f"{where}.{key} must be text, but YAML reads {node.raw!r} as "
                       f"{node.tag} {node.value!r}; put it in quotes")
            return ""
        if not node.value.strip():
            self.error(node, f"{where}.{key} is empty")
        return node.value.strip()

    def ident(self, m: YMap, key: str, where: str) -> str:
        node = self.get(m, key)
        if isinstance(node, YScalar) and not node.quoted:
            # An id is a name, never a boolean or number: take it as written, so `id: true`
            # on a true/false choice or `id: 1.10` means what the author typed.
            value = node.raw.strip()
        else:
            value = self.text(m, key, where)
        if value and not ID_RE.match(value):
            self.error(node, f"{where}.{key} {value!r} is not a valid id: use lowercase letters, "
                       "digits, '.', '_' and '-' (at most 64)")
        return value

    def integer(self, m: YMap, key: str, where: str, default: int) -> int:
        node = self.get(m, key)
        if node is None:
            return default
        if not isinstance(node, YScalar) or node.tag != "int":
            self.error(node, f"{where}.{key} must be a whole number")
            return default
        return int(node.value)

    def boolean(self, m: YMap, key: str, where: str, default: bool) -> bool:
        node = self.get(m, key)
        if node is None:
            return default
        if not isinstance(node, YScalar) or node.tag != "bool":
            self.error(node, f"{where}.{key} must be true or false")
            return default
        if node.raw not in ("true", "false"):
            self.error(node, f"{where}.{key}: write `true` or `false`, not {node.raw!r}")
        return bool(node.value)

    def seq(self, m: YMap, key: str, where: str) -> list[YNode]:
        node = self.get(m, key)
        if node is None:
            return []
        if not isinstance(node, YSeq):
            self.error(node, f"{where}.{key} must be a list (lines starting with `- `)")
            return []
        return node.items

    # -- the format

    def module(self, root: YNode | None) -> dict[str, Any] | None:
        m = self.mapping(root, "the file", ["format_version", "module", "band", "title", "lesson",
                                            "review"],
                         ["summary", "order", "mastery", "band_note"])
        if m is None:
            return None
        fv = self.get(m, "format_version")
        if fv is not None and not (isinstance(fv, YScalar) and fv.value == FORMAT_VERSION
                                   and fv.tag == "int"):
            self.error(fv, f"format_version must be {FORMAT_VERSION} (this citizen reads "
                       f"format {FORMAT_VERSION} only)")
            return None
        band_node = self.get(m, "band")
        band = self.text(m, "band", "the file")
        if band and band not in BANDS:
            self.error(band_node, f"band {band!r} is not one of {', '.join(BANDS)}"
                       " (quote it: band: \"3-5\")")
        mastery_node = self.get(m, "mastery")
        mastery = DEFAULT_MASTERY
        if mastery_node is not None:
            if (isinstance(mastery_node, YScalar) and mastery_node.tag in ("float", "int")
                    and 0 < float(mastery_node.value) <= 1):
                mastery = float(mastery_node.value)
            else:
                self.error(mastery_node, "mastery must be a number above 0 and at most 1 "
                           "(e.g. 0.8 for 80%)")
        info = {
            "id": self.ident(m, "module", "the file"),
            "band": band,
            "title": self.text(m, "title", "the file"),
            "summary": self.text(m, "summary", "the file", default=""),
            "order": self.integer(m, "order", "the file", 100),
            "mastery": mastery,
        }
        self.text(m, "band_note", "the file", default="")
        info["lesson"] = self.part(self.get(m, "lesson"), "lesson", m)
        info["review"] = self.part(self.get(m, "review"), "review", m)
        return info

    def part(self, node: YNode | None, where: str, parent: Any) -> Part | None:
        m = self.mapping(node, where, ["pages", "questions", "draw"], [], parent)
        if m is None:
            return None
        pages = [p for p in (self.page(n, f"{where}.pages[{i + 1}]")
                             for i, n in enumerate(self.seq(m, "pages", where))) if p]
        if not pages:
            self.error(m, f"{where} needs at least one page")
        seen: dict[str, int] = {}
        for page, n in zip(pages, self.seq(m, "pages", where)):
            if page.id in seen:
                self.error(n, f"{where}: page id {page.id!r} is used twice")
            seen[page.id] = 1
        qnodes = self.seq(m, "questions", where)
        questions = []
        for i, n in enumerate(qnodes):
            q = self.question(n, f"{where}.questions[{i + 1}]")
            if q is not None:
                questions.append((q, n))
        draw = self.integer(m, "draw", where, 1)
        if draw < 1:
            self.error(self.get(m, "draw"), f"{where}.draw must be at least 1")
        elif len(qnodes) and draw > len(qnodes):
            self.error(self.get(m, "draw"), f"{where}.draw is {draw} but the pool has only "
                       f"{len(qnodes)} questions")
        if not qnodes:
            self.error(m, f"{where} needs at least one question")
        return Part(tuple(pages), tuple(q for q, _ in questions), max(draw, 1))

    def page(self, node: YNode, where: str) -> Page | None:
        m = self.mapping(node, where, ["id", "title", "body"], [])
        if m is None:
            return None
        return Page(self.ident(m, "id", where), self.text(m, "title", where),
                    self.text(m, "body", where))

    def question(self, node: YNode, where: str) -> Question | None:
        m = self.mapping(node, where, ["id", "kind", "prompt", "choices", "cites"],
                         ["scenario", "replaces"])
        if m is None:
            return None
        qid = self.ident(m, "id", where)
        where = f"question {qid!r}" if qid else where
        kind_node = self.get(m, "kind")
        kind = self.text(m, "kind", where)
        if kind and kind not in KINDS:
            self.error(kind_node, f"{where}: kind {kind!r} is not one of {', '.join(KINDS)}")
        prompt = self.text(m, "prompt", where)
        scenario = self.text(m, "scenario", where, default="")
        replaces = self.get(m, "replaces")
        replaces_id = self.ident(m, "replaces", where) if replaces is not None else None
        cites = self.cites(m, where)
        choices: list[Choice] = []
        cnodes = self.seq(m, "choices", where)
        for i, cn in enumerate(cnodes):
            c = self.choice(cn, f"{where} choice {i + 1}")
            if c is None:
                continue
            if c.id and any(c.id == o.id for o in choices):
                self.error(cn, f"{where}: choice id {c.id!r} is used twice")
            choices.append(c)
        right = sum(c.correct for c in choices)
        anchor = self.get(m, "choices") or m
        if kind == "true_false" and len(cnodes) != 2:
            self.error(anchor, f"{where}: a true_false question has exactly 2 choices")
        elif kind in ("single", "select_all") and len(cnodes) < 2:
            self.error(anchor, f"{where}: needs at least 2 choices")
        if kind in ("single", "true_false") and len(choices) == len(cnodes) and right != 1:
            self.error(anchor, f"{where}: a {kind} question needs exactly one choice with "
                       f"`correct: true` (found {right})")
        if kind == "select_all" and len(choices) == len(cnodes) and right < 1:
            self.error(anchor, f"{where}: a select_all question needs at least one correct "
                       "choice")
        return Question(qid, kind, prompt, tuple(choices), tuple(cites), scenario, replaces_id)

    def choice(self, node: YNode, where: str) -> Choice | None:
        m = self.mapping(node, where, ["id", "text", "feedback"], ["correct"])
        if m is None:
            return None
        return Choice(self.ident(m, "id", where), self.text(m, "text", where),
                      self.boolean(m, "correct", where, False), self.text(m, "feedback", where))

    def cites(self, m: YMap, where: str) -> list[str]:
        node = self.get(m, "cites")
        items = [node] if isinstance(node, YScalar) else self.seq(m, "cites", where)
        refs: list[str] = []
        for n in items:
            if not isinstance(n, YScalar) or not isinstance(n.value, str):
                self.error(n, f"{where}: each citation is text like "
                           "'duxbury: Social Media Guidelines for Students 3'")
                continue
            ref = " ".join(n.value.split())
            if ":" not in ref:
                self.error(n, f"{where}: citation {ref!r} needs a policy key, e.g. "
                           "'dracut: Student Guidelines 2'")
                continue
            if self.registry is not None and ref not in self.registry.clauses:
                self.error(n, f"{where}: citation {ref!r} is not a clause in "
                           f"lessons/{CLAUSES_FILE}{self.registry.suggest(ref)}")
            refs.append(ref)
        if node is not None and not refs and not any(
                p.line == getattr(node, "line", 0) for p in self.problems):
            self.error(node, f"{where}: cite at least one policy clause")
        return refs


def load_module(path: Path, registry: Registry | None = None,
                data: bytes | None = None) -> tuple[Module | None, list[Problem]]:
    """Reads and validates one lesson file.

    Args:
        path: the file; its folder must be the module id and its name the band.
        registry: the clause registry to check citations against (None skips that check).
        data: the file's bytes, if already read.

    Returns:
        The module (None if it has errors) and the problems found.
    """
    spath = str(path)
    try:
        if data is None:
            size = path.stat().st_size
            if size > 256 * 1024:
                return None, [Problem(spath, 1, 1, f"file is {size:,} bytes; lesson files may "
                                      "be at most 262,144 bytes (split the module)")]
            data = path.read_bytes()
        root = parse(decode(data))
    except YamlError as exc:
        return None, [Problem(spath, exc.line, exc.col, exc.message)]
    except OSError as exc:
        return None, [Problem(spath, 1, 1, f"cannot read: {exc.strerror or exc}")]
    checker = _Checker(spath, registry)
    info = checker.module(root)
    problems = checker.problems
    if info is not None and not problems:
        if info["id"] != path.parent.name or info["band"] != path.stem:
            problems.append(Problem(spath, 1, 1, f"module {info['id']!r} band {info['band']!r} "
                                    f"belongs in {info['id']}/{info['band']}.yaml"))
    if problems or info is None:
        return None, problems
    version = hashlib.sha256(data).hexdigest()[:16]
    return Module(version=version, source=spath, **info), []


def lesson_files(lessons_dir: Path) -> list[Path]:
    """Returns the lesson files under a folder (`<module>/<band>.yaml`), sorted."""
    if not lessons_dir.is_dir():
        return []
    return sorted(p for p in lessons_dir.glob("*/*.yaml") if p.is_file())


class LessonCache:
    """Parsed modules kept between runs, keyed by file path, mtime and size.

    The cache is JSON in the data folder; a corrupt or stale cache is ignored and rewritten.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.entries: dict[str, Any] = {}
        self.dirty = False
        if path is not None:
            try:
                data = json.loads(path.read_text("utf-8"))
                if data.get("format") == FORMAT_VERSION:
                    self.entries = data.get("files", {})
            except (OSError, ValueError, AttributeError):
                self.entries = {}

    def get(self, path: Path, stamp: list[int], registry_stamp: str) -> Module | None:
        entry = self.entries.get(str(path))
        if not entry or entry.get("stamp") != stamp or entry.get("registry") != registry_stamp:
            return None
        try:
            return module_from_dict(entry["module"])
        except (KeyError, TypeError, ValueError):
            return None

    def put(self, path: Path, stamp: list[int], registry_stamp: str, module: Module) -> None:
        self.entries[str(path)] = {"stamp": stamp, "registry": registry_stamp,
                                   "module": module_to_dict(module)}
        self.dirty = True

    def save(self) -> None:
        if self.path is None or not self.dirty:
            return
        tmp = self.path.with_suffix(".tmp")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump({"format": FORMAT_VERSION, "files": self.entries}, fh)
            os.replace(tmp, self.path)
        except OSError:
            pass  # a cache is an optimisation; the lessons still loaded


def module_to_dict(m: Module) -> dict[str, Any]:
    """Returns a Module as plain JSON-ready values."""
    from dataclasses import asdict
    return asdict(m)


def _part_from_json(d: dict[str, Any]) -> Part:
    return Part(tuple(Page(**p) for p in d["pages"]),
                tuple(Question(q["id"], q["kind"], q["prompt"],
                               tuple(Choice(**c) for c in q["choices"]), tuple(q["cites"]),
                               q.get("scenario", ""), q.get("replaces"))
                      for q in d["questions"]), d["draw"])


def module_from_dict(d: dict[str, Any]) -> Module:
    """Rebuilds a Module from `module_to_dict` output (cache and stored versions)."""
    return Module(d["id"], d["band"], d["title"], d["summary"], d["order"], d["mastery"],
                  _part_from_json(d["lesson"]), _part_from_json(d["review"]), d["version"],
                  d["source"])


def load_library(lessons_dir: Path, cache_path: Path | None = None) -> Library:
    """Loads every lesson file under a folder, keeping the good ones.

    Args:
        lessons_dir: the lessons folder (with `clauses.yaml` and `<module>/<band>.yaml` files).
        cache_path: where to keep parsed lessons between runs, or None for no cache.

    Returns:
        The library, with problems and broken files listed.
    """
    registry, problems = load_registry(lessons_dir)
    reg_path = lessons_dir / CLAUSES_FILE
    reg_stamp = ""
    if reg_path.is_file():
        st = reg_path.stat()
        reg_stamp = f"{st.st_mtime_ns}:{st.st_size}"
    cache = LessonCache(cache_path)
    modules: dict[tuple[str, str], Module] = {}
    broken: list[str] = []
    question_owner: dict[str, str] = {}
    for path in lesson_files(lessons_dir):
        try:
            st = path.stat()
        except OSError as exc:
            problems.append(Problem(str(path), 1, 1, f"cannot read: {exc.strerror}"))
            broken.append(str(path))
            continue
        stamp = [st.st_mtime_ns, st.st_size]
        module = cache.get(path, stamp, reg_stamp)
        if module is None:
            module, found = load_module(path, registry)
            if found:
                problems.extend(found)
                broken.append(str(path))
                continue
            assert module is not None
            cache.put(path, stamp, reg_stamp, module)
        clash = [q.id for part in (module.lesson, module.review) for q in part.questions
                 if q.id in question_owner]
        if clash:
            problems.append(Problem(str(path), 1, 1, f"question id {clash[0]!r} is already used "
                                    f"in {question_owner[clash[0]]}; ids are library-wide"))
            broken.append(str(path))
            continue
        for part in (module.lesson, module.review):
            for q in part.questions:
                question_owner[q.id] = str(path)
        modules[module.key] = module
    cache.save()
    return Library(modules, tuple(problems), tuple(broken))


# --------------------------------------------------------------------------- lint (authors)

_MD = re.compile(r"[*_`#>\[\]()|]+")


def student_text(module: Module) -> str:
    """Returns all the text a student reads in a module, as sentences, Markdown stripped."""
    chunks: list[str] = [module.title, module.summary]
    for part in (module.lesson, module.review):
        for page in part.pages:
            chunks += [page.title, page.body]
        for q in part.questions:
            chunks += [q.scenario, q.prompt]
            for c in q.choices:
                chunks += [c.text, c.feedback]
    out = []
    for chunk in chunks:
        text = _MD.sub(" ", chunk or "").strip()
        if not text:
            continue
        # A title or a choice without an end mark is still one sentence for the grade formula.
        for line in text.splitlines():
            line = line.strip(" -")
            if line:
                out.append(line if line[-1] in ".!?" else line + ".")
    return " ".join(out)


def reading_grade(text: str) -> float:
    """Returns the Flesch-Kincaid grade level of English text (textstat)."""
    import textstat  # lazy: only `lessons check` needs it

    return float(textstat.flesch_kincaid_grade(text))


def lint_module(module: Module) -> tuple[list[Problem], float]:
    """Checks the library rules that go beyond the format.

    The rules: pool and draw sizes per band, 2-5 lesson pages, a mix of question kinds, and the
    band's reading-level ceiling.

    Returns:
        The problems and the module's reading grade.
    """
    path = module.source
    problems: list[Problem] = []

    def err(message: str) -> None:
        problems.append(Problem(path, 1, 1, message))

    band = module.band
    if len(module.lesson.questions) < MIN_POOL[band]:
        err(f"the lesson pool has {len(module.lesson.questions)} questions; band {band} needs at "
            f"least {MIN_POOL[band]}")
    if module.lesson.draw != QUIZ_DRAW[band]:
        err(f"lesson.draw is {module.lesson.draw}; band {band} quizzes draw {QUIZ_DRAW[band]}")
    if not 2 <= len(module.lesson.pages) <= 5:
        err(f"the lesson has {len(module.lesson.pages)} pages; write 2 to 5")
    kinds = {q.kind for q in module.lesson.questions}
    if len(kinds) < 2:
        err("the lesson pool uses only one kind of question; mix single, true_false and "
            "select_all")
    grade = reading_grade(student_text(module))
    if grade > READING_CEILING[band]:
        err(f"reading level is grade {grade:.1f}; band {band} allows at most "
            f"{READING_CEILING[band]:.1f} (shorter sentences, simpler words)")
    return problems, grade


def check_paths(paths: Iterable[Path], lint: bool = True,
                progress: Callable[[str], None] | None = None
                ) -> tuple[list[Problem], dict[str, float], Library]:
    """Checks lesson files or folders as `citizen lessons check` does.

    Args:
        paths: files or lesson folders; a folder is read as a library (with its clauses.yaml).
        lint: also apply the library rules (pools, pages, reading level).
        progress: called with each file checked.

    Returns:
        Every problem, the reading grade per file, and the library of the last folder read.
    """
    problems: list[Problem] = []
    grades: dict[str, float] = {}
    library = Library()
    for path in paths:
        if path.is_dir() and (path / CLAUSES_FILE).is_file():
            library = load_library(path)
            problems.extend(library.problems)
            modules = list(library.modules.values())
            if not modules and not library.problems:
                problems.append(Problem(str(path), 1, 1, "no lesson files found "
                                        "(expected <module>/<band>.yaml)"))
        else:
            files = sorted(path.glob("*.yaml")) if path.is_dir() else [path]
            if not files:
                problems.append(Problem(str(path), 1, 1, "no lesson files found (expected "
                                        "<band>.yaml files in a module folder)"))
            modules = []
            for file in files:
                registry, reg_problems = load_registry(file.parent.parent)
                problems.extend(reg_problems)
                module, found = load_module(file, registry)
                problems.extend(found)
                if module:
                    modules.append(module)
        for module in modules:
            if progress:
                progress(module.source)
            if lint:
                found, grade = lint_module(module)
                problems.extend(found)
                grades[module.source] = grade
    return problems, grades, library


# --------------------------------------------------------------------------- coverage

@dataclass(frozen=True)
class CoverageRow:
    """One clause and where the library teaches it."""

    clause: Clause
    """The clause."""
    modules: tuple[str, ...]
    """`module/band` files with a question citing it."""
    questions: tuple[str, ...]
    """Question ids citing it."""


def coverage(library: Library, registry: Registry) -> list[CoverageRow]:
    """Maps every clause of the registry to the modules and questions that cite it."""
    where: dict[str, tuple[set[str], list[str]]] = {ref: (set(), []) for ref in registry.clauses}
    for module in sorted(library.modules.values(), key=lambda m: (m.order, m.id, m.band)):
        for part in (module.lesson, module.review):
            for q in part.questions:
                for ref in q.cites:
                    if ref in where:
                        where[ref][0].add(f"{module.id}/{module.band}")
                        where[ref][1].append(q.id)
    return [CoverageRow(c, tuple(sorted(where[ref][0])), tuple(where[ref][1]))
            for ref, c in registry.clauses.items()]


def coverage_markdown(rows: list[CoverageRow], registry: Registry) -> str:
    """Renders coverage as the Markdown of lessons/COVERAGE.md."""
    out = ["# Policy coverage", "",
           "Generated by `citizen lessons coverage --write`. Each student-facing clause of the "
           "five source policies, with the modules and questions that teach it; then the "
           "clauses judged not student-facing, with why.", ""]
    for key, title in registry.titles.items():
        out += [f"## {key}: {title}", "", "| clause | modules | questions |", "|---|---|---|"]
        for r in rows:
            if r.clause.key == key and r.clause.student_facing:
                qs = ", ".join(r.questions[:6]) + (f" (+{len(r.questions) - 6})"
                                                   if len(r.questions) > 6 else "")
                out.append(f"| {r.clause.cite} | {', '.join(r.modules) or '**not covered**'} "
                           f"| {qs} |")
        out += ["", "Not student-facing:", ""]
        for r in rows:
            if r.clause.key == key and not r.clause.student_facing:
                out.append(f"- {r.clause.cite}: {r.clause.why_not}")
        out.append("")
    return "\n".join(out)
