"""Provides `Staffroom`, the facade for teachers and counselors (and the headless CLI).

Sign-in with hashed passphrases and a lockout counted in the database; classes and rosters;
assignments; the live results table; item analysis; CSV exports; one student's full record;
real deletion. Built on the same store and library as the student `Classroom`.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Iterator

from citizen import auth, reports
from citizen.classroom import Classroom, ClassroomError, ClassView, StudentView, clean_name
from citizen.engine import Attention, AttemptFact, needs_attention
from citizen.roster import decode_roster, parse_roster
from citizen.store import AttemptRow, StaffRow

ROLES = ("teacher", "counselor")
"""Staff roles."""


class AuthError(ClassroomError):
    """A refused sign-in; `wait` is the seconds left before another try is allowed."""

    def __init__(self, message: str, wait: int = 0) -> None:
        super().__init__(message)
        self.wait = wait
        """Seconds to wait before trying again."""


@dataclass(frozen=True)
class StaffView:
    """A signed-in staff member."""

    id: int
    """Staff id."""
    name: str
    """Name."""
    role: str
    """teacher or counselor."""


@dataclass(frozen=True)
class ImportReport:
    """What a roster import would do (dry run) or did."""

    kind: str
    """plain or oneroster."""
    added: list[str]
    """Names added (or to add)."""
    updated: list[str]
    """Names whose student code changed."""
    unchanged: list[str]
    """Names already on the roster as they are."""
    errors: list[tuple[int, str]]
    """(row, reason) for rows not imported."""
    ignored_columns: list[str]
    """Columns not kept (email, phone, birth dates, ...)."""
    skipped: int
    """Non-student rows skipped."""
    applied: bool
    """Whether the changes were written."""

    def lines(self) -> list[str]:
        """The report as lines for a person to read."""
        verb = "added" if self.applied else "would add"
        out = [f"{self.kind} roster: {verb} {len(self.added)}, "
               f"{'updated' if self.applied else 'would update'} {len(self.updated)} code(s), "
               f"{len(self.unchanged)} already there, {len(self.errors)} row(s) with errors"]
        out += [f"  + {n}" for n in self.added]
        out += [f"  ~ {n} (new student code)" for n in self.updated]
        out += [f"  row {row}: {msg}" for row, msg in self.errors]
        if self.skipped:
            out.append(f"  {self.skipped} row(s) are not students (teachers, staff) and were "
                       "skipped")
        if self.ignored_columns:
            out.append("  ignored and not stored: " + ", ".join(self.ignored_columns))
        if not self.applied:
            out.append("  dry run: nothing was changed")
        return out


@dataclass(frozen=True)
class Cell:
    """One student x module cell of the live table."""

    status: str
    """not started, in progress, done, mastered."""
    text: str
    """What the cell shows (e.g. `3/5`, `80% ✔`)."""


@dataclass(frozen=True)
class LiveTable:
    """Students x assigned modules."""

    modules: list[tuple[str, str]]
    """(module id, title) columns."""
    rows: list[tuple[StudentView, list[Cell]]]
    """Each student with one cell per module."""


@dataclass(frozen=True)
class ItemStat:
    """How a class did on one question."""

    question_id: str
    """Question id."""
    prompt: str
    """Question text."""
    answered: int
    """Answers given."""
    percent_correct: int
    """Share right."""
    top_wrong: str
    """Text of the most-chosen wrong choice ('' if none)."""
    top_wrong_count: int
    """How many chose it."""


@dataclass(frozen=True)
class AttemptLine:
    """One attempt in a student's history."""

    module_id: str
    """Module."""
    title: str
    """Module title."""
    part: str
    """lesson, review or check."""
    started_at: datetime
    """Start."""
    progress: str
    """`n/m` answered, or the score."""
    mastered: bool | None
    """None while open."""


@dataclass(frozen=True)
class AssignmentLine:
    """An assignment as one staff member may see it."""

    id: int
    """Assignment id."""
    student_id: int
    """Who."""
    module_id: str
    """Module."""
    part: str
    """lesson or review."""
    due_at: datetime | None
    """Due date."""
    done_at: datetime | None
    """When completed (None while open)."""
    note: str
    """The private note, or '' when this viewer may not see it."""
    assigned_by: str
    """Who assigned it, or '' when this viewer may not see it."""
    shared: bool = False
    """Whether the author let the class teacher see the note."""


@dataclass(frozen=True)
class StudentOverview:
    """What a counselor sees about one student."""

    student: StudentView
    """The student."""
    history: list[AttemptLine]
    """Attempts, newest first."""
    mastery: list[tuple[str, int, bool]]
    """(module title, best %, mastered) per module tried."""
    assignments: list[AssignmentLine]
    """Assignments (notes as the viewer may see them)."""


@dataclass
class Staffroom:
    """The staff facade."""

    classroom: Classroom
    """The student facade (library, store, clock)."""
    hash_params: auth.ScryptParams = field(default_factory=lambda: auth.OWASP)
    """scrypt cost for new hashes (tests use a small one)."""

    @property
    def store(self) -> Any:
        return self.classroom.store

    def now(self) -> datetime:
        return self.classroom.clock()

    # -- accounts and sign-in

    def has_staff(self) -> bool:
        """Whether any staff account exists (first run asks for one)."""
        return bool(self.store.staff())

    def add_staff(self, name: str, role: str, passphrase: str) -> StaffView:
        """Creates a staff account.

        Raises:
            ClassroomError: a bad name or role, a name in use, or a weak passphrase.
        """
        name = clean_name(name)
        if role not in ROLES:
            raise ClassroomError(f"role must be one of {', '.join(ROLES)}")
        problem = auth.check_new(passphrase)
        if problem:
            raise ClassroomError(problem)
        if self.store.staff_by_name(name):
            raise ClassroomError(f"there is already a staff account named {name!r}")
        row = self.store.add_staff(name, role, auth.hash_passphrase(passphrase, self.hash_params),
                                   self.now())
        return StaffView(row.id, row.name, row.role)

    def staff_names(self) -> list[str]:
        """Names offered at the staff sign-in."""
        return [s.name for s in self.store.staff()]

    def set_passphrase(self, name: str, passphrase: str) -> None:
        """Replaces a staff member's passphrase (from the OS account that owns the data)."""
        problem = auth.check_new(passphrase)
        if problem:
            raise ClassroomError(problem)
        row = self.store.staff_by_name(name)
        if row is None:
            raise ClassroomError(f"no staff account named {name!r}")
        self.store.set_pass_hash(row.id, auth.hash_passphrase(passphrase, self.hash_params))
        self.store.clear_failures(self._scope(name))

    @staticmethod
    def _scope(name: str) -> str:
        return "staff:" + " ".join(name.split()).casefold()

    def wait_left(self, name: str) -> int:
        """Seconds before this name may try again."""
        failures, last = self.store.failures(self._scope(name))
        return auth.wait_left(failures, last, self.now())

    def sign_in(self, name: str, passphrase: str) -> StaffView:
        """Checks a name and passphrase.

        Every wrong name or passphrase gets the same message and a growing delay (1 s
        doubling to 5 minutes), counted in the database so a restart does not reset it.

        Raises:
            AuthError: wrong, or too soon after a wrong try (with the seconds to wait).
        """
        scope = self._scope(name)
        wait = self.wait_left(name)
        if wait:
            unit = "second" if wait == 1 else "seconds"
            raise AuthError(f"Please wait {wait} {unit} before trying again.", wait)
        row: StaffRow | None = self.store.staff_by_name(name)
        stored = row.pass_hash if row else auth.hash_passphrase("x" * 12, self.hash_params)
        ok = auth.verify(passphrase, stored) and row is not None
        if not ok:
            failures = self.store.record_failure(scope, self.now())
            raise AuthError(auth.FAILURE_MESSAGE, auth.delay_after(failures))
        self.store.clear_failures(scope)
        assert row is not None
        return StaffView(row.id, row.name, row.role)

    # -- classes and rosters

    def classes(self, staff: StaffView) -> list[ClassView]:
        """Classes a staff member sees: a teacher their own (and unowned), a counselor all."""
        views = self.classroom.classes()
        if staff.role == "counselor":
            return views
        return [c for c in views if self.store.class_staff(c.id) in (None, staff.id)]

    def create_class(self, name: str, band: str, staff: StaffView | None = None) -> ClassView:
        """Creates a class (with a fresh join code) owned by a teacher."""
        cls = self.classroom.create_class(name, band)
        if staff is not None:
            self.store.set_class_staff(cls.id, staff.id)
        return cls

    def find_class(self, ref: str) -> ClassView:
        """Finds a class by join code or exact name (for the CLI).

        Raises:
            ClassroomError: no class, or several with that name.
        """
        found = self.classroom.find_class(ref)
        if found:
            return found
        named = [c for c in self.classroom.classes() if c.name.casefold() == ref.casefold()]
        if len(named) == 1:
            return named[0]
        if named:
            raise ClassroomError(f"several classes are named {ref!r}; use the join code")
        raise ClassroomError(f"no class with the join code or name {ref!r} "
                             "(see `citizen class list`)")

    def rename_student(self, student_id: int, name: str) -> StudentView:
        """Renames a student (names stay unique in the class)."""
        student = self.classroom.student(student_id)
        clean = clean_name(name)
        row = self.store.student(student_id)
        for other in self.store.students(row.class_id):
            if other.id != student_id and other.display_name.casefold() == clean.casefold():
                raise ClassroomError(f"{clean!r} is already in this class")
        self.store.rename_student(student_id, clean)
        return StudentView(student.id, clean, student.band, student.practice, student.class_name)

    def remove_student(self, student_id: int) -> dict[str, int]:
        """Removes a student and really deletes their records; returns what was removed."""
        self.classroom.student(student_id)
        return self.store.delete_student(student_id)

    def import_roster(self, class_id: int, data: bytes, dry_run: bool = False) -> ImportReport:
        """Imports a plain or OneRoster CSV into a class.

        Good rows are applied together in one transaction; a bad row is reported with its row
        number and never half-applied. A name already in the class is left as it is (its
        code is updated if the file gives a different one).
        """
        cls = self.store.class_by_id(class_id)
        if cls is None:
            raise ClassroomError("no such class")
        parsed = parse_roster(decode_roster(data))
        existing = {s.display_name.casefold(): s for s in self.store.students(class_id)}
        added, updated, unchanged = [], [], []
        add_rows, code_rows = [], []
        for row in parsed.rows:
            old = existing.get(row.name.casefold())
            if old is None:
                added.append(row.name)
                add_rows.append((row.name, row.code))
            elif row.code and row.code != old.code:
                updated.append(row.name)
                code_rows.append((old.id, row.code))
            else:
                unchanged.append(row.name)
        if not dry_run and (add_rows or code_rows):
            self.store.apply_roster(class_id, cls.band, add_rows, code_rows, self.now())
        return ImportReport(parsed.kind, added, updated, unchanged, parsed.errors,
                            parsed.ignored_columns, parsed.skipped, not dry_run)

    # -- assignments

    def assign(self, class_id: int, module_id: str, due: datetime | None = None,
               student_ids: list[int] | None = None, part: str = "lesson",
               staff: StaffView | None = None, note: str = "", shared: bool = False) -> int:
        """Assigns a module (or its review) to a class or some of its students.

        Returns:
            How many students it was assigned to.
        """
        cls = self.store.class_by_id(class_id)
        if cls is None:
            raise ClassroomError("no such class")
        if self.classroom.library.get(module_id, cls.band) is None:
            raise ClassroomError(f"no module {module_id!r} for band {cls.band} "
                                 "(see `citizen lessons list`)")
        if part not in ("lesson", "review"):
            raise ClassroomError("part must be lesson or review")
        roster = {s.id for s in self.store.students(class_id)}
        targets = roster if student_ids is None else set(student_ids)
        if not targets <= roster:
            raise ClassroomError("some of those students are not in this class")
        for sid in sorted(targets):
            self.store.assign_detail(sid, module_id, cls.band, part, due,
                                     staff.id if staff else None, note, shared, self.now())
        return len(targets)

    # -- counselors

    def assign_student(self, staff: StaffView, student_id: int, module_id: str,
                       part: str = "lesson", due: datetime | None = None, note: str = "",
                       shared: bool = False) -> None:
        """Assigns a module (or its review) to one student, with a private note.

        The student sees the module and due date, never the note. Teachers see the assignment
        but not the note or who made it, unless `shared`.
        """
        student = self.classroom.student(student_id)
        if self.classroom.library.get(module_id, student.band) is None:
            raise ClassroomError(f"no module {module_id!r} for band {student.band}")
        if part not in ("lesson", "review"):
            raise ClassroomError("part must be lesson or review")
        if len(note) > 2000:
            raise ClassroomError("a note can be at most 2000 characters")
        self.store.assign_detail(student_id, module_id, student.band, part, due, staff.id,
                                 note.strip(), shared, self.now())

    def assignments_seen_by(self, viewer: StaffView | None,
                            student_ids: list[int]) -> list[AssignmentLine]:
        """Assignments of some students as a staff member may see them.

        A counselor, or whoever made the assignment, sees the note and the author; anyone
        else (a teacher, or the headless exports) sees them only if the author shared them.
        """
        names = {s.id: s.name for s in self.store.staff()}
        out = []
        for a in self.store.assignment_details(student_ids):
            visible = a.shared or (viewer is not None and (viewer.role == "counselor"
                                                           or viewer.id == a.staff_id))
            out.append(AssignmentLine(a.id, a.student_id, a.module_id, a.part, a.due_at,
                                      a.done_at, a.note if visible else "",
                                      names.get(a.staff_id, "") if visible and a.staff_id
                                      else "", bool(a.shared)))
        return out

    def overview(self, viewer: StaffView | None, student_id: int) -> StudentOverview:
        """A student's history, mastery by module, and assignments (for a counselor)."""
        student = self.classroom.student(student_id)
        attempts = self.store.attempts(student_id)
        mastery = []
        for m in self.classroom.library.for_band(student.band):
            mine = [a for a in attempts if a.module_id == m.id and a.finished_at is not None
                    and a.part in ("lesson", "review")]
            if mine:
                best = max(round(100 * (a.right or 0) / (a.total or 1)) for a in mine)
                mastery.append((m.title, best, any(a.mastered for a in mine)))
        return StudentOverview(student, self.history(student_id), mastery,
                               self.assignments_seen_by(viewer, [student_id]))

    def needs_attention(self, viewer: StaffView) -> list[tuple[StudentView, Attention]]:
        """Students who missed mastery in 2+ modules or have an overdue assignment, with why.

        A counselor sees every class; a teacher their own.
        """
        now = self.now()
        out = []
        for cls in self.classes(viewer):
            for s in self.store.students(cls.id):
                facts = [AttemptFact(a.module_id, a.part, bool(a.mastered), a.finished_at)
                         for a in self.store.attempts(s.id) if a.finished_at is not None]
                open_ = [(a.module_id, a.due_at) for a in self.store.assignments(s.id)]
                why = needs_attention(facts, open_, now)
                if why:
                    out.append((self.classroom.student_view(s), why))
        return out

    # -- results

    def live(self, class_id: int) -> LiveTable:
        """Students x modules (assigned ones, and any with activity), as they stand now."""
        cls = self.store.class_by_id(class_id)
        if cls is None:
            raise ClassroomError("no such class")
        students = self.store.students(class_id)
        attempts = self.store.class_attempts(class_id)
        assigned = self.store.assignment_details([s.id for s in students])
        wanted = {a.module_id for a in assigned} | {a.module_id for a in attempts}
        library = self.classroom.library
        modules = [(m.id, m.title) for m in library.for_band(cls.band) if m.id in wanted]
        known = {m for m, _ in modules}
        modules += [(m, m) for m in sorted(wanted - known)]
        counts = self.store.answer_counts([a.id for a in attempts if a.finished_at is None])
        rows = []
        for s in students:
            cells = []
            for mid, _ in modules:
                mine = [a for a in attempts if a.student_id == s.id and a.module_id == mid]
                cells.append(self._cell(mine, counts))
            rows.append((self.classroom.student_view(s), cells))
        return LiveTable(modules, rows)

    @staticmethod
    def _cell(mine: list[AttemptRow], counts: dict[int, int]) -> Cell:
        if not mine:
            return Cell("not started", "·")
        open_ = [a for a in mine if a.finished_at is None]
        done = [a for a in mine if a.finished_at is not None and a.part in ("lesson", "review")]
        best = max((round(100 * a.right / a.total) for a in done if a.total), default=None)
        mastered = any(a.mastered for a in done)
        if open_:
            a = open_[-1]
            return Cell("in progress", f"{counts.get(a.id, 0)}/{len(a.plan.question_ids)}…")
        if mastered:
            return Cell("mastered", f"{best}% ✔")
        return Cell("done", f"{best}% ✘" if best is not None else "done")

    def history(self, student_id: int) -> list[AttemptLine]:
        """A student's attempts, newest first."""
        student = self.classroom.student(student_id)
        rows = self.store.attempts(student_id)
        counts = self.store.answer_counts([a.id for a in rows if a.finished_at is None])
        out = []
        for a in reversed(rows):
            m = self.classroom.library.get(a.module_id, student.band)
            if a.finished_at is None:
                progress = f"{counts.get(a.id, 0)}/{len(a.plan.question_ids)} answered"
            else:
                progress = f"{a.right}/{a.total} ({round(100 * (a.right or 0) / (a.total or 1))}%)"
            out.append(AttemptLine(a.module_id, m.title if m else a.module_id, a.part,
                                   a.started_at, progress, a.mastered))
        return out

    def item_analysis(self, class_id: int, module_id: str) -> list[ItemStat]:
        """Per question of a module: share right and the most-chosen wrong choice."""
        cls = self.store.class_by_id(class_id)
        if cls is None:
            raise ClassroomError("no such class")
        module = self.classroom.library.get(module_id, cls.band)
        if module is None:
            raise ClassroomError(f"no module {module_id!r} for band {cls.band}")
        answers = self.store.class_answers(class_id, module_id, "lesson")
        stats = []
        for q in module.lesson.questions:
            mine = [a for a in answers if a[0] == q.id]
            if not mine:
                stats.append(ItemStat(q.id, q.prompt, 0, 0, "", 0))
                continue
            right = sum(1 for a in mine if a[2])
            wrong = Counter(c for _, chosen, ok in mine if not ok for c in chosen
                            if c not in q.correct_ids)
            top, n = wrong.most_common(1)[0] if wrong else ("", 0)
            choice = q.choice(top)
            stats.append(ItemStat(q.id, q.prompt, len(mine), round(100 * right / len(mine)),
                                  choice.text if choice else top, n))
        return stats

    def mastery_bars(self, class_id: int) -> list[tuple[str, int, int]]:
        """(module title, students who mastered it, class size) for the bar view."""
        table = self.live(class_id)
        size = len(table.rows)
        out = []
        for i, (_, title) in enumerate(table.modules):
            out.append((title, sum(1 for _, cells in table.rows if cells[i].status == "mastered"),
                        size))
        return out

    # -- exports

    def export(self, class_id: int, kind: str, out: Path,
               viewer: StaffView | None = None) -> int:
        """Writes one of the CSV exports (see reports.COLUMNS); returns the data rows written.

        Raises:
            reports.ExportError: the file could not be written (nothing partial is left).
            ClassroomError: unknown class or kind.
        """
        cls = self.store.class_by_id(class_id)
        if cls is None:
            raise ClassroomError("no such class")
        if kind == "answers":
            prefixes = {s.id: reports.csv_prefix((cls.name, s.display_name, s.code, s.band))
                        for s in self.store.students(class_id)}
            return reports.write_lines(out, reports.COLUMNS["answers"],
                                       self.store.iter_answer_lines(class_id, prefixes))
        if kind == "summary":
            return reports.write_csv(out, reports.COLUMNS["summary"], self._summary_rows(cls))
        if kind == "roster":
            rows = [(cls.name, cls.join_code, s.display_name, s.code, s.band)
                    for s in self.store.students(class_id)]
            return reports.write_csv(out, reports.COLUMNS["roster"], rows)
        if kind == "assignments":
            students = {s.id: s for s in self.store.students(class_id)}
            rows = [(cls.name, students[a.student_id].display_name, students[a.student_id].code,
                     a.module_id, a.part, a.due_at.date().isoformat() if a.due_at else "",
                     a.done_at.isoformat(timespec="seconds") if a.done_at else "", a.note,
                     a.assigned_by)
                    for a in self.assignments_seen_by(viewer, list(students))]
            return reports.write_csv(out, reports.COLUMNS["assignments"], rows)
        if kind == "canvas":
            modules = self.classroom.library.for_band(cls.band)
            header = [*reports.CANVAS_FIXED, *(f"{m.title} ({m.id})" for m in modules)]
            best = self._best_scores(class_id)
            rows: list[list[Any]] = [["Points Possible", "", "", "", "", *([100] * len(modules))]]
            for s in self.store.students(class_id):
                rows.append([s.display_name, "", s.code, "", cls.name,
                             *(best.get((s.id, m.id), "") for m in modules)])
            return reports.write_csv(out, header, rows) - 1
        raise ClassroomError(f"kind must be one of {', '.join(reports.KINDS)}")

    def _best_scores(self, class_id: int) -> dict[tuple[int, str], int]:
        best: dict[tuple[int, str], int] = {}
        for a in self.store.class_attempts(class_id):
            if a.finished_at is not None and a.part == "lesson" and a.total:
                key = (a.student_id, a.module_id)
                best[key] = max(best.get(key, 0), round(100 * a.right / a.total))
        return best

    def _summary_rows(self, cls: Any) -> Iterator[tuple[Any, ...]]:
        attempts = self.store.class_attempts(cls.id)
        best = self._best_scores(cls.id)
        for s in self.store.students(cls.id):
            mine = [a for a in attempts if a.student_id == s.id]
            for mid in sorted({a.module_id for a in mine}):
                ms = [a for a in mine if a.module_id == mid]
                last = max((a.finished_at or a.started_at) for a in ms)
                yield (cls.name, s.display_name, s.code, s.band, mid, best.get((s.id, mid), ""),
                       sum(1 for a in ms if a.part == "lesson"),
                       int(any(a.mastered for a in ms if a.finished_at is not None)),
                       last.isoformat(timespec="seconds"))

    # -- privacy

    def student_record(self, student_id: int) -> dict[str, Any]:
        """Everything kept about one student (for a parent's request)."""
        student = self.classroom.student(student_id)
        row = self.store.student(student_id)
        attempts = []
        for a in self.store.attempts(student_id):
            attempts.append({
                "module": a.module_id, "band": a.band, "part": a.part, "version": a.version,
                "started_at": a.started_at.isoformat(),
                "finished_at": a.finished_at.isoformat() if a.finished_at else None,
                "right": a.right, "total": a.total, "mastered": a.mastered,
                "answers": [{"position": x.position, "question": x.question_id,
                             "chosen": list(x.chosen), "correct": x.correct,
                             "answered_at": x.answered_at.isoformat()}
                            for x in self.store.answers(a.id)]})
        assigned = [{"module": a.module_id, "part": a.part,
                     "due": a.due_at.isoformat() if a.due_at else None,
                     "created_at": a.created_at.isoformat(),
                     "done_at": a.done_at.isoformat() if a.done_at else None}
                    for a in self.store.assignment_details([student_id])]
        return {"student": {"display_name": student.name, "code": row.code,
                            "band": student.band, "class": student.class_name},
                "attempts": attempts, "assignments": assigned,
                "queue": [{"module": q.module_id, "part": q.part, "due": q.due_at.isoformat(),
                           "reason": q.reason} for q in self.store.queue(student_id)]}

    def export_student(self, student_id: int, out: Path) -> None:
        """Writes one student's complete record as JSON (mode 0600, atomically)."""
        data = json.dumps(self.student_record(student_id), ensure_ascii=False, indent=2)
        if not out.parent.is_dir():
            raise reports.ExportError(f"cannot write {out}: the folder {out.parent} does not "
                                      "exist")
        tmp = out.parent / f".{out.name}.{os.getpid()}.tmp"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(data + "\n")
            os.replace(tmp, out)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise reports.ExportError(f"cannot write {out}: {exc.strerror or exc}") from None

    def find_students(self, query: str) -> list[StudentView]:
        """Students across classes whose name contains the query, or whose student code does
        (part of a code only from 3 characters on, so "1" does not list half the school)."""
        q = query.strip().casefold()
        out = []
        for cls in self.classroom.classes():
            for s in self.store.students(cls.id):
                code = s.code.casefold()
                if q and (q in s.display_name.casefold() or q == code
                          or (len(q) >= 3 and q in code)):
                    out.append(self.classroom.student_view(s))
        return out


__all__ = ["Staffroom", "StaffView", "AuthError", "ImportReport"]
