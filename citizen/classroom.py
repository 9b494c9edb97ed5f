"""Provides `Classroom`, the one API the student app, teacher views and CLI call.

It joins the lesson library, the engine's rules and the store. Screens hold a Classroom and
never see SQL. Every answer is committed by `answer()` before it returns the feedback.
"""

from __future__ import annotations

import json
import random
import re
import secrets
import threading
import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from citizen import engine
from citizen.model import (BANDS, Answer, Choice, Library, Module, Question, Score,
                           coppa_message)
from citizen.store import AttemptRow, SaveError, Store, StoreError, StudentRow

Clock = Callable[[], datetime]
"""Returns the current time (UTC, timezone-aware)."""


def utc_now() -> datetime:
    """The real clock."""
    return datetime.now(timezone.utc)


class ClassroomError(Exception):
    """A request that cannot be done, with a message fit to show the person who made it."""


JOIN_ALPHABET = "ACDEFGHJKLMNPQRTUVWXY34679"
"""Join-code letters: no 0/O, 1/I/L, 2/Z, 5/S or 8/B to mix up when read aloud."""
MAX_NAME = 40
"""Longest display name accepted."""


def normalize_code(text: str) -> str:
    """Normalizes a typed join code: upper case, no spaces or dashes."""
    return re.sub(r"[\s\-]", "", text).upper()


def format_code(code: str) -> str:
    """Shows a join code in two groups of three for reading aloud (e.g. `KDM-47P`)."""
    return f"{code[:3]}-{code[3:]}" if len(code) == 6 else code


def clean_name(text: str) -> str:
    """Normalizes a display name (NFC, single spaces) or refuses it with a reason.

    Raises:
        ClassroomError: empty, too long, control characters, or what looks like an email.
    """
    name = unicodedata.normalize("NFC", text)
    if any(unicodedata.category(ch) in ("Cc", "Cs", "Co") or
           (unicodedata.category(ch) == "Cf" and ch != "\u200d") for ch in name):
        raise ClassroomError("a name cannot contain control or invisible characters")
    name = " ".join(name.split())
    if not name:
        raise ClassroomError("a name cannot be empty")
    if len(name) > MAX_NAME:
        raise ClassroomError(f"a name can be at most {MAX_NAME} characters")
    if "@" in name:
        raise ClassroomError("use a first name and last initial, not an email address")
    return name


# --------------------------------------------------------------------------- views

@dataclass(frozen=True)
class ClassView:
    """A class as a student or teacher sees it."""

    id: int
    """Class id."""
    name: str
    """Class name."""
    band: str
    """Age band."""
    join_code: str
    """Join code."""


@dataclass(frozen=True)
class StudentView:
    """A student as shown on screen."""

    id: int
    """Student id."""
    name: str
    """Display name."""
    band: str
    """Age band."""
    practice: bool = False
    """Whether this is the shared practice profile."""
    class_name: str = ""
    """The class, if any."""


@dataclass(frozen=True)
class ModuleCard:
    """One module on a student's home screen."""

    module_id: str
    """Module id."""
    title: str
    """Module title."""
    summary: str
    """One line."""
    status: str
    """new, in progress, done or mastered."""
    best_percent: int | None
    """Best lesson score, if any."""
    progress: str
    """`n/m` for an open quiz, else ''."""
    assigned: bool
    """Assigned by a teacher or counselor."""
    due: datetime | None
    """Due date of an assignment."""
    todo: str
    """What is waiting: '', 'review', 'check'."""
    todo_part: str
    """The part `start` should open: lesson, review or check."""


@dataclass(frozen=True)
class HomeView:
    """Everything the home screen shows."""

    student: StudentView
    """Who is signed in."""
    age_message: str
    """The COPPA message for the band."""
    cards: tuple[ModuleCard, ...]
    """Modules: assigned and waiting ones first, then curriculum order."""
    assigned: tuple[str, ...] = ()
    """Lines for the top of the screen: "Assigned to you: <module>, due <date>" (never a
    counselor's note: the student path does not read notes at all)."""


@dataclass(frozen=True)
class QuizItem:
    """One question of an attempt, with its choices in the order shown."""

    position: int
    """0-based position in the attempt."""
    question: Question
    """The question."""
    choices: tuple[Choice, ...]
    """Choices in shown order."""


@dataclass(frozen=True)
class QuizView:
    """An attempt in progress."""

    attempt_id: int
    """Attempt id."""
    module_id: str
    """Module id."""
    title: str
    """Module title."""
    part: str
    """lesson, review or check."""
    items: tuple[QuizItem, ...]
    """The questions in order."""
    answers: dict[int, Answer] = field(default_factory=dict)
    """Saved answers by position."""
    notice: str = ""
    """Shown once, e.g. when the lesson changed since the attempt began."""

    @property
    def next_position(self) -> int | None:
        """First unanswered position, or None when all are answered."""
        for item in self.items:
            if item.position not in self.answers:
                return item.position
        return None


@dataclass(frozen=True)
class Feedback:
    """What the student sees after an answer (already saved)."""

    position: int
    """Position answered."""
    correct: bool
    """Whether it was right."""
    chosen: tuple[Choice, ...]
    """The choices picked."""
    right: tuple[Choice, ...]
    """The right choices."""
    cites: tuple[str, ...]
    """Clauses the question teaches."""
    answer: Answer
    """The saved answer."""


@dataclass(frozen=True)
class ResultView:
    """The end of an attempt."""

    attempt_id: int
    """Attempt id."""
    title: str
    """Module title."""
    part: str
    """lesson, review or check."""
    score: Score
    """Score and mastery."""
    items: tuple[QuizItem, ...]
    """The questions asked."""
    answers: dict[int, Answer]
    """Answers by position."""
    next_step: str
    """What to do next, in words."""


def module_snapshot(module: Module) -> str:
    """Serialises a module version for the store (so old attempts stay readable)."""
    return json.dumps(asdict(module), ensure_ascii=False, sort_keys=True)


class Classroom:
    """The facade over the library, the engine and the store."""

    def __init__(self, store: Store, lessons_dir: Path | None = None,
                 library: Library | None = None, clock: Clock = utc_now,
                 rng: random.Random | None = None,
                 settings: engine.Settings = engine.DEFAULT_SETTINGS,
                 cache_path: Path | None = None) -> None:
        """Builds a classroom.

        Args:
            store: persistence.
            lessons_dir: where lessons are loaded from (lazily, on first use).
            library: an already-loaded library (tests), instead of lessons_dir.
            clock: the time source.
            rng: randomness for attempt seeds and join codes.
            settings: remediation schedule.
            cache_path: the parsed-lesson cache file.
        """
        self.store = store
        self.lessons_dir = lessons_dir
        self.cache_path = cache_path
        self._library = library
        self._lock = threading.Lock()
        self.clock = clock
        self.rng = rng or random.Random(secrets.randbits(64))
        self.settings = settings
        self.settings_warning = ""
        """Why district settings fell back to the defaults ('' if they did not)."""

    # -- library

    @property
    def library(self) -> Library:
        """The lesson library, loaded on first use (thread-safe)."""
        with self._lock:
            if self._library is None:
                from citizen.content import load_library  # lazy: keeps YAML off start-up

                self._library = (load_library(self.lessons_dir, self.cache_path)
                                 if self.lessons_dir else Library())
            return self._library

    def lesson_notice(self) -> str:
        """A one-line notice naming broken lesson files, or ''."""
        broken = self.library.broken_files
        if not broken:
            return ""
        names = ", ".join(Path(b).parent.name + "/" + Path(b).name for b in broken[:3])
        more = f" and {len(broken) - 3} more" if len(broken) > 3 else ""
        return (f"{len(broken)} lesson file(s) could not be used: {names}{more}. "
                "Tell your teacher (they can run `citizen lessons check`).")

    # -- classes and sign-in

    def new_join_code(self) -> str:
        """Returns an unused six-letter join code."""
        for _ in range(1000):
            code = "".join(self.rng.choice(JOIN_ALPHABET) for _ in range(6))
            if self.store.class_by_code(code) is None:
                return code
        raise ClassroomError("could not find a free join code")

    def create_class(self, name: str, band: str) -> ClassView:
        """Creates a class with a fresh join code."""
        if band not in BANDS:
            raise ClassroomError(f"band must be one of {', '.join(BANDS)}")
        name = clean_name(name)
        row = self.store.create_class(name, band, self.new_join_code(), self.clock())
        return ClassView(row.id, row.name, row.band, row.join_code)

    def classes(self) -> list[ClassView]:
        """Returns every class."""
        return [ClassView(c.id, c.name, c.band, c.join_code) for c in self.store.classes()]

    def find_class(self, join_code: str) -> ClassView | None:
        """Finds a class by a typed join code (case, spaces and dashes ignored)."""
        code = normalize_code(join_code)
        if not code:
            return None
        row = self.store.class_by_code(code)
        return ClassView(row.id, row.name, row.band, row.join_code) if row else None

    def add_student(self, class_id: int, display_name: str, code: str = "") -> StudentView:
        """Adds a student to a class.

        Raises:
            ClassroomError: bad name, duplicate name or unknown class.
        """
        cls = self.store.class_by_id(class_id)
        if cls is None:
            raise ClassroomError("no such class")
        name = clean_name(display_name)
        if any(s.display_name.casefold() == name.casefold() for s in self.store.students(class_id)):
            raise ClassroomError(f"{name!r} is already in {cls.name}")
        row = self.store.add_student(class_id, name, code.strip(), cls.band, self.clock())
        return self.student_view(row)

    def roster(self, class_id: int) -> list[StudentView]:
        """Returns the names a student picks from after typing the join code."""
        return [self.student_view(s) for s in self.store.students(class_id)]

    def practice(self, band: str) -> StudentView:
        """Returns (creating once) the shared practice profile of a band."""
        if band not in BANDS:
            raise ClassroomError(f"band must be one of {', '.join(BANDS)}")
        row = self.store.practice_student(band)
        if row is None:
            row = self.store.add_student(None, f"Practice ({band})", "", band, self.clock(),
                                         practice=True)
        return self.student_view(row)

    def student_view(self, row: StudentRow) -> StudentView:
        """Turns a stored student into what screens show (with the class name)."""
        cls = self.store.class_by_id(row.class_id) if row.class_id else None
        return StudentView(row.id, row.display_name, row.band, row.practice,
                           cls.name if cls else "")

    def student(self, student_id: int) -> StudentView:
        """Returns one student."""
        row = self.store.student(student_id)
        if row is None:
            raise ClassroomError("no such student")
        return self.student_view(row)

    def create_demo(self) -> ClassView:
        """Creates (once) a demo class with a few made-up students, and returns it."""
        for c in self.classes():
            if c.name == "Demo class":
                return c
        cls = self.create_class("Demo class", "3-5")
        for name in ("Ava R.", "Ben T.", "Chloe M.", "Diego S.", "Maya K."):
            self.add_student(cls.id, name)
        return cls

    # -- home

    def home(self, student_id: int) -> HomeView:
        """Returns the home screen of a student: their band's modules, what is waiting first."""
        student = self.student(student_id)
        now = self.clock()
        attempts = self.store.attempts(student_id)
        assigned = {}
        for a in self.store.assignments(student_id):
            assigned.setdefault(a.module_id, a)
        waiting = {}
        for q in self.store.queue(student_id):
            if q.due_at <= now:
                waiting.setdefault(q.module_id, q)
        cards = []
        for module in self.library.for_band(student.band):
            mine = [a for a in attempts if a.module_id == module.id and a.band == module.band]
            finished = [a for a in mine if a.finished_at is not None and a.part == "lesson"]
            best = max((round(100 * a.right / a.total) for a in finished if a.total), default=None)
            ever_mastered = any(a.mastered for a in mine if a.finished_at is not None
                                and a.part in ("lesson", "review"))
            open_ = [a for a in mine if a.finished_at is None]
            progress = ""
            if open_:
                done = len(self.store.answers(open_[0].id))
                progress = f"{done}/{len(open_[0].plan.question_ids)}"
            status = ("in progress" if open_ else "mastered" if ever_mastered
                      else "done" if finished else "new")
            a = assigned.get(module.id)
            q = waiting.get(module.id)
            todo = q.part if q else (a.part if a and a.part == "review" else "")
            todo_part = open_[0].part if open_ else (todo or "lesson")
            cards.append(ModuleCard(module.id, module.title, module.summary, status, best,
                                    progress, a is not None, a.due_at if a else None,
                                    todo, todo_part))

        def rank(c: ModuleCard) -> tuple[int, float]:
            if c.assigned:
                return (0, c.due.timestamp() if c.due else float("inf"))
            if c.progress:
                return (1, 0)
            if c.todo:
                return (2, 0)
            return (3, 0)

        cards.sort(key=rank)  # stable: curriculum order within each group
        banners = []
        titles = {c.module_id: c.title for c in cards}
        for a in self.store.assignments(student_id):
            what = titles.get(a.module_id, a.module_id) + (" (review)" if a.part == "review"
                                                           else "")
            due = f", due {a.due_at:%a %d %b}" if a.due_at else ""
            banners.append(f"Assigned to you: {what}{due}")
        return HomeView(student, coppa_message(student.band), tuple(cards), tuple(banners))

    # -- quiz

    def module(self, module_id: str, band: str) -> Module:
        """Returns a module of the current library.

        Raises:
            ClassroomError: if it is not in the library (removed or broken).
        """
        module = self.library.get(module_id, band)
        if module is None:
            raise ClassroomError(f"the module {module_id!r} ({band}) is not available right now; "
                                 "tell your teacher")
        return module

    def begin(self, student_id: int, module_id: str, part: str = "lesson") -> QuizView:
        """Resumes the open attempt at a module part, or starts a new one.

        A new attempt draws from the pool avoiding the questions of the last attempt, and is
        saved (with its plan and the module version) before the first question is shown.
        """
        student = self.student(student_id)
        open_ = self.store.open_attempt(student_id, module_id, student.band, part)
        if open_ is not None:
            return self._quiz_view(open_)
        module = self.module(module_id, student.band)
        source = module.part(part)
        previous = [a for a in self.store.attempts(student_id)
                    if a.module_id == module_id and a.band == student.band]
        avoid = previous[-1].plan.question_ids if previous else ()
        step = 0
        count = None
        if part == "check":
            count = self.settings.check_size
            due = [q for q in self.store.queue(student_id)
                   if q.module_id == module_id and q.part == "check"]
            step = due[0].step if due else 0
        seed = engine.new_seed(self.rng)
        plan = engine.plan_attempt(source, seed, count, avoid)
        self.store.save_version(module.version, module.id, module.band, module_snapshot(module))
        row = self.store.create_attempt(student_id, module_id, student.band, part, step,
                                        module.version, seed, plan, module.mastery, self.clock())
        return self._quiz_view(row)

    def _attempt_module(self, row: AttemptRow) -> tuple[Module, str]:
        current = self.library.get(row.module_id, row.band)
        if current is not None and current.version == row.version:
            return current, ""
        data = self.store.version_data(row.version)
        if data is None:
            raise ClassroomError("this quiz's lesson is missing; tell your teacher")
        notice = ("This lesson was updated after you started. You are finishing the version "
                  "you began." if current is not None else
                  "This lesson was removed after you started. You can still finish it.")
        from citizen.content import module_from_dict

        return module_from_dict(json.loads(data)), notice

    def _quiz_view(self, row: AttemptRow) -> QuizView:
        module, notice = self._attempt_module(row)
        part = module.part(row.part)
        items = []
        for pos, (qid, order) in enumerate(zip(row.plan.question_ids, row.plan.choice_orders)):
            q = part.question(qid)
            if q is None:
                raise ClassroomError("this quiz does not match its lesson; tell your teacher")
            by_id = {c.id: c for c in q.choices}
            items.append(QuizItem(pos, q, tuple(by_id[c] for c in order)))
        answers = {a.position: a for a in self.store.answers(row.id)}
        return QuizView(row.id, row.module_id, module.title, row.part, tuple(items), answers,
                        notice)

    def quiz(self, attempt_id: int) -> QuizView:
        """Returns an attempt as it stands."""
        row = self._attempt(attempt_id)
        return self._quiz_view(row)

    def _attempt(self, attempt_id: int) -> AttemptRow:
        row = self.store.attempt(attempt_id)
        if row is None:
            raise ClassroomError("no such attempt")
        return row

    def open_quiz(self, student_id: int) -> QuizView | None:
        """Returns the student's most recent unfinished quiz, to resume after sign-in."""
        for row in self.store.open_attempts(student_id):
            try:
                return self._quiz_view(row)
            except ClassroomError:
                continue
        return None

    def answer(self, attempt_id: int, position: int, chosen: list[str] | tuple[str, ...],
               student_id: int | None = None) -> Feedback:
        """Checks and saves one answer, then returns its feedback.

        The answer is committed durably before this returns. Answering a position twice keeps
        the first answer.

        Args:
            attempt_id: the attempt.
            position: which question (0-based).
            chosen: choice ids picked.
            student_id: if given, the attempt must be this student's.

        Raises:
            ClassroomError: a bad position or choice, a finished attempt, or a save failure
                (then nothing moved on; the student can try again).
        """
        row = self._attempt(attempt_id)
        if student_id is not None and row.student_id != student_id:
            raise ClassroomError("that is not your quiz")
        if row.finished_at is not None:
            raise ClassroomError("this quiz is already finished")
        view = self._quiz_view(row)
        if not 0 <= position < len(view.items):
            raise ClassroomError("no such question")
        item = view.items[position]
        try:
            picked = engine.normalize_chosen(item.question, chosen)
        except ValueError as exc:
            raise ClassroomError(str(exc)) from None
        correct = engine.is_correct(item.question, picked)
        try:
            saved = self.store.record_answer(attempt_id, position, item.question.id, picked,
                                             correct, self.clock())
        except SaveError:
            raise ClassroomError("Could not save your answer. Tell your teacher. Your answer "
                                 "is not lost: try again in a moment.") from None
        by_id = {c.id: c for c in item.question.choices}
        return Feedback(position, saved.correct, tuple(by_id[c] for c in saved.chosen),
                        tuple(c for c in item.choices if c.correct), item.question.cites, saved)

    def finish(self, attempt_id: int) -> ResultView:
        """Ends an attempt (once all questions are answered) and schedules what follows.

        Raises:
            ClassroomError: if questions are still unanswered.
        """
        row = self._attempt(attempt_id)
        view = self._quiz_view(row)
        if view.next_position is not None and row.finished_at is None:
            raise ClassroomError("answer every question first")
        result = engine.score(row.plan, list(view.answers.values()), row.mastery)
        now = self.clock()
        if row.finished_at is None:
            self.store.finish_attempt(attempt_id, result.right, result.total, result.mastered,
                                      now)
            self._follow_up(row, result, now)
        return ResultView(attempt_id, view.title, row.part, result, view.items, view.answers,
                          self._next_step(row.part, result))

    def _follow_up(self, row: AttemptRow, result: Score, now: datetime) -> None:
        sid, mid, band = row.student_id, row.module_id, row.band
        self.store.complete_assignments(sid, mid, band, row.part, now)
        if row.part in ("review", "check") or result.mastered:
            self.store.close_queue(sid, mid, band, row.part, now)
        if result.mastered and row.part in ("lesson", "review"):
            self.store.close_queue(sid, mid, band, "review", now)
        for f in engine.after_attempt(row.part, result, now, row.step, self.settings):
            self.store.schedule(sid, mid, band, f.part, f.step, f.due, f.reason, now)

    @staticmethod
    def _next_step(part: str, result: Score) -> str:
        if result.mastered:
            if part == "check":
                return "You still remember this. Well done! It will come back once more later."
            return "You mastered this module. Pick another one on your home screen."
        if part == "review":
            return "Not yet. Read the review pages again, then try the review once more."
        return ("Not yet mastered. A short review is waiting for you on your home screen. "
                "It has new questions.")

    def result(self, attempt_id: int) -> ResultView:
        """Returns the result of a finished attempt."""
        row = self._attempt(attempt_id)
        if row.finished_at is None:
            raise ClassroomError("this quiz is not finished")
        return self.finish(attempt_id)

    def pages(self, student_id: int, module_id: str, part: str = "lesson") -> list[tuple[str, str]]:
        """Returns the (title, Markdown body) pages to read before a quiz."""
        student = self.student(student_id)
        module = self.module(module_id, student.band)
        source = module.review if part == "review" else module.lesson
        if part == "check":
            return []
        return [(p.title, p.body) for p in source.pages]


__all__ = ["Classroom", "ClassroomError", "StoreError", "utc_now"]
