"""Provides the immutable domain values: modules, parts, questions, choices, and results.

Everything here is a frozen dataclass built by `citizen.content` from lesson files, or by the
engine and store from saved records. Nothing here does I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

BANDS: tuple[str, ...] = ("k-2", "3-5", "6-8", "9-12")
"""The age bands, youngest first."""

UNDER_13_BANDS: frozenset[str] = frozenset({"k-2", "3-5", "6-8"})
"""Bands whose students are (mostly) under 13 and get the COPPA message."""

KINDS: tuple[str, ...] = ("single", "true_false", "select_all")
"""Question kinds: one right choice, a true/false pair, or every right choice."""

PARTS: tuple[str, ...] = ("lesson", "review", "check")
"""An attempt is on the lesson quiz, the shorter review, or a spaced follow-up check."""

DEFAULT_MASTERY = 0.8
"""Share of questions right that counts as mastered, unless a module says otherwise."""

COPPA_MESSAGE = {
    "under13": "You are under 13: use only apps and sites made for your age.",
    "13plus": "At 13 and over: use your own account, set privacy settings, and mind your footprint.",
}
"""The age message each band gets on its home screen (DESIGN.md: content)."""


def coppa_message(band: str) -> str:
    """Returns the age message for a band."""
    return COPPA_MESSAGE["under13" if band in UNDER_13_BANDS else "13plus"]


@dataclass(frozen=True)
class Choice:
    """One answer a student can pick."""

    id: str
    """Author-given id, stable across edits; answers store this, never a position."""
    text: str
    """What the student reads."""
    correct: bool
    """Whether picking it is right."""
    feedback: str
    """Why it is right or wrong, shown after the answer."""


@dataclass(frozen=True)
class Question:
    """One quiz question."""

    id: str
    """Author-given id, unique in the whole library."""
    kind: str
    """One of KINDS."""
    prompt: str
    """The question text (Markdown)."""
    choices: tuple[Choice, ...]
    """The choices in authored order; the engine shuffles them per attempt."""
    cites: tuple[str, ...]
    """Policy clauses it teaches, as `key: Section N`."""
    scenario: str = ""
    """Optional short story shown above the prompt."""
    replaces: str | None = None
    """The id of a published question this one supersedes."""

    @property
    def correct_ids(self) -> frozenset[str]:
        """The ids of the right choices."""
        return frozenset(c.id for c in self.choices if c.correct)

    def choice(self, choice_id: str) -> Choice | None:
        """Returns the choice with this id, or None."""
        for c in self.choices:
            if c.id == choice_id:
                return c
        return None


@dataclass(frozen=True)
class Page:
    """One short lesson page."""

    id: str
    """Author-given id."""
    title: str
    """The page heading."""
    body: str
    """Markdown text."""


@dataclass(frozen=True)
class Part:
    """The lesson or the review of a module: pages to read and a pool of questions."""

    pages: tuple[Page, ...]
    """Pages shown before the quiz."""
    questions: tuple[Question, ...]
    """The pool; a quiz draws `draw` of them."""
    draw: int
    """How many questions one quiz asks."""

    def question(self, question_id: str) -> Question | None:
        """Returns the question with this id, or None."""
        for q in self.questions:
            if q.id == question_id:
                return q
        return None


@dataclass(frozen=True)
class Module:
    """One module in one band, as read from one lesson file."""

    id: str
    """Author-given module id, shared by the module's bands (e.g. `personal-info`)."""
    band: str
    """One of BANDS."""
    title: str
    """Shown on the home screen."""
    summary: str
    """One line under the title."""
    order: int
    """Curriculum order: lower comes first."""
    mastery: float
    """Share right needed to master the module (0 to 1)."""
    lesson: Part
    """The main lesson and its quiz."""
    review: Part
    """The shorter review with its own questions."""
    version: str
    """Content hash of the file this was read from; attempts record it."""
    source: str = ""
    """The lesson file's path, for messages."""

    @property
    def key(self) -> tuple[str, str]:
        """(module id, band): what identifies a module file."""
        return (self.id, self.band)

    def part(self, name: str) -> Part:
        """Returns the lesson part for `lesson` and `check`, the review for `review`."""
        return self.review if name == "review" else self.lesson


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a lesson file, located for the author."""

    path: str
    """The file."""
    line: int
    """1-based line."""
    col: int
    """1-based column."""
    message: str
    """What is wrong and, where it helps, how to fix it."""
    warning: bool = False
    """A warning is reported but does not fail the file."""

    def __str__(self) -> str:
        tag = "warning: " if self.warning else ""
        return f"{self.path}:{self.line}:{self.col}: {tag}{self.message}"


@dataclass(frozen=True)
class Library:
    """All modules that loaded, and the problems of those that did not."""

    modules: dict[tuple[str, str], Module] = field(default_factory=dict)
    """Modules by (id, band)."""
    problems: tuple[Problem, ...] = ()
    """Every error and warning found."""
    broken_files: tuple[str, ...] = ()
    """Files that could not be used at all."""

    def for_band(self, band: str) -> list[Module]:
        """Returns the band's modules in curriculum order."""
        return sorted((m for m in self.modules.values() if m.band == band),
                      key=lambda m: (m.order, m.id))

    def get(self, module_id: str, band: str) -> Module | None:
        """Returns one module, or None."""
        return self.modules.get((module_id, band))


@dataclass(frozen=True)
class Plan:
    """The questions of one attempt, in order, with each question's choice order.

    Stored with the attempt so a resumed quiz is the same quiz.
    """

    question_ids: tuple[str, ...]
    """Question ids in the order asked."""
    choice_orders: tuple[tuple[str, ...], ...]
    """For each question, its choice ids in the order shown."""


@dataclass(frozen=True)
class Answer:
    """One saved answer."""

    position: int
    """0-based index into the attempt's plan."""
    question_id: str
    """The question answered."""
    chosen: tuple[str, ...]
    """Choice ids picked, sorted."""
    correct: bool
    """Whether the answer was right."""
    answered_at: datetime
    """When it was committed."""


@dataclass(frozen=True)
class Score:
    """The outcome of a finished (or partly finished) attempt."""

    right: int
    """Questions answered right."""
    total: int
    """Questions in the attempt."""
    mastery: float
    """The threshold that applied."""

    @property
    def fraction(self) -> float:
        """Share right, 0 to 1."""
        return self.right / self.total if self.total else 0.0

    @property
    def percent(self) -> int:
        """Share right as a whole percent."""
        return round(100 * self.fraction)

    @property
    def mastered(self) -> bool:
        """Whether the threshold was met."""
        return self.total > 0 and self.fraction + 1e-9 >= self.mastery
