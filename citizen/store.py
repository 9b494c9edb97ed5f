"""Provides persistence: the `Store` interface and its SQLite implementation.

This is the only module that touches SQL. Every write is one short `BEGIN IMMEDIATE`
transaction committed with `synchronous=FULL` in WAL mode, so an answer is on disk before
`record_answer` returns. A PostgreSQL store would implement the same `Store` protocol.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator, Protocol, Sequence

from citizen.model import Answer, Plan

SCHEMA_VERSION = 3
"""The schema this code writes; older databases are migrated up at open."""


class StoreError(Exception):
    """The database cannot be used; the message names the file and what to do."""


class SaveError(StoreError):
    """A write failed (disk full, read-only); nothing was half-written."""


# --------------------------------------------------------------------------- records

@dataclass(frozen=True)
class ClassRow:
    """A class."""

    id: int
    """Row id."""
    name: str
    """The teacher's name for it."""
    band: str
    """Its age band."""
    join_code: str
    """What students type to sign in."""
    created_at: datetime
    """When it was made."""


@dataclass(frozen=True)
class StudentRow:
    """A student: a display name or code in a class, or a practice profile."""

    id: int
    """Row id."""
    class_id: int | None
    """The class, or None for practice."""
    display_name: str
    """First name and last initial, or a code."""
    code: str
    """Optional teacher-assigned code ('' if none)."""
    band: str
    """Age band."""
    practice: bool
    """Whether this is a shared practice profile."""


@dataclass(frozen=True)
class AttemptRow:
    """One attempt at a module part."""

    id: int
    """Row id."""
    student_id: int
    """Who."""
    module_id: str
    """Module id."""
    band: str
    """Band of the module file."""
    part: str
    """lesson, review or check."""
    step: int
    """For checks, the interval index."""
    version: str
    """Content hash of the module it was taken on."""
    seed: int
    """Shuffle seed."""
    plan: Plan
    """Questions and choice orders."""
    mastery: float
    """Threshold in force when it started."""
    started_at: datetime
    """Start time."""
    finished_at: datetime | None
    """End time, or None while open."""
    right: int | None
    """Questions right, once finished."""
    total: int | None
    """Questions asked, once finished."""
    mastered: bool | None
    """Whether mastered, once finished."""


@dataclass(frozen=True)
class QueueRow:
    """Something scheduled for a student: a review, or a spaced check."""

    id: int
    """Row id."""
    student_id: int
    """Who."""
    module_id: str
    """Module id."""
    band: str
    """Band."""
    part: str
    """review or check."""
    step: int
    """Check interval index."""
    due_at: datetime
    """When it is due."""
    reason: str
    """Why it was scheduled."""


@dataclass(frozen=True)
class AssignmentRow:
    """A module a teacher or counselor assigned to a student."""

    id: int
    """Row id."""
    student_id: int
    """Who."""
    module_id: str
    """Module id."""
    band: str
    """Band."""
    part: str
    """lesson or review."""
    due_at: datetime | None
    """Due date, if any."""
    created_at: datetime
    """When assigned."""


@dataclass(frozen=True)
class StaffRow:
    """A teacher or counselor account."""

    id: int
    """Row id."""
    name: str
    """Name shown at sign-in."""
    role: str
    """teacher or counselor."""
    pass_hash: str
    """The passphrase hash (algorithm and parameters included)."""


@dataclass(frozen=True)
class AssignmentDetail:
    """An assignment as staff see it (the note is for counselors only)."""

    id: int
    """Row id."""
    student_id: int
    """Who."""
    module_id: str
    """Module id."""
    band: str
    """Band."""
    part: str
    """lesson or review."""
    due_at: datetime | None
    """Due date."""
    created_at: datetime
    """When assigned."""
    done_at: datetime | None
    """When completed."""
    staff_id: int | None
    """Who assigned it."""
    note: str
    """Private note."""
    shared: bool
    """Whether the counselor shared it with the class's teacher."""


# --------------------------------------------------------------------------- interface

class Store(Protocol):
    """What the classroom needs from persistence; small enough for a second backend."""

    def close(self) -> None: ...
    def create_class(self, name: str, band: str, join_code: str, now: datetime) -> ClassRow: ...
    def class_by_code(self, join_code: str) -> ClassRow | None: ...
    def class_by_id(self, class_id: int) -> ClassRow | None: ...
    def classes(self) -> list[ClassRow]: ...
    def add_student(self, class_id: int | None, display_name: str, code: str, band: str,
                    now: datetime, practice: bool = False) -> StudentRow: ...
    def students(self, class_id: int) -> list[StudentRow]: ...
    def student(self, student_id: int) -> StudentRow | None: ...
    def practice_student(self, band: str) -> StudentRow | None: ...
    def save_version(self, version: str, module_id: str, band: str, data: str) -> None: ...
    def version_data(self, version: str) -> str | None: ...
    def create_attempt(self, student_id: int, module_id: str, band: str, part: str, step: int,
                       version: str, seed: int, plan: Plan, mastery: float,
                       now: datetime) -> AttemptRow: ...
    def open_attempt(self, student_id: int, module_id: str, band: str,
                     part: str) -> AttemptRow | None: ...
    def open_attempts(self, student_id: int) -> list[AttemptRow]: ...
    def attempt(self, attempt_id: int) -> AttemptRow | None: ...
    def attempts(self, student_id: int) -> list[AttemptRow]: ...
    def record_answer(self, attempt_id: int, position: int, question_id: str,
                      chosen: Sequence[str], correct: bool, now: datetime) -> Answer: ...
    def answers(self, attempt_id: int) -> list[Answer]: ...
    def finish_attempt(self, attempt_id: int, right: int, total: int, mastered: bool,
                       now: datetime) -> None: ...
    def schedule(self, student_id: int, module_id: str, band: str, part: str, step: int,
                 due_at: datetime, reason: str, now: datetime) -> bool: ...
    def queue(self, student_id: int) -> list[QueueRow]: ...
    def close_queue(self, student_id: int, module_id: str, band: str, part: str,
                    now: datetime) -> None: ...
    def assign(self, student_id: int, module_id: str, band: str, part: str,
               due_at: datetime | None, now: datetime) -> AssignmentRow: ...
    def assignments(self, student_id: int) -> list[AssignmentRow]: ...
    def complete_assignments(self, student_id: int, module_id: str, band: str, part: str,
                             now: datetime) -> None: ...


# --------------------------------------------------------------------------- SQLite

_SCHEMA_V1 = """
CREATE TABLE classes(
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    band TEXT NOT NULL,
    join_code TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);
CREATE TABLE students(
    id INTEGER PRIMARY KEY,
    class_id INTEGER REFERENCES classes(id) ON DELETE CASCADE,
    display_name TEXT NOT NULL,
    code TEXT NOT NULL DEFAULT '',
    band TEXT NOT NULL,
    practice INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX students_name ON students(class_id, display_name) WHERE class_id IS NOT NULL;
CREATE UNIQUE INDEX students_practice ON students(band) WHERE practice = 1;
CREATE TABLE content_versions(
    version TEXT PRIMARY KEY,
    module_id TEXT NOT NULL,
    band TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE TABLE attempts(
    id INTEGER PRIMARY KEY,
    student_id INTEGER NOT NULL REFERENCES students(id) ON DELETE CASCADE,
    module_id TEXT NOT NULL,
    band TEXT NOT NULL,
    part TEXT NOT NULL,
    step INTEGER NOT NULL DEFAULT 0,
    version TEXT NOT NULL REFERENCES content_versions(version),
    seed INTEGER NOT NULL,
    plan TEXT NOT NULL,
    mastery REAL NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    right_count INTEGER,
    total INTEGER,
    mastered INTEGER
);
CREATE UNIQUE INDEX attempts_open ON attempts(student_id, module_id, band, part)
    WHERE finished_at IS NULL;
CREATE INDEX attempts_student ON attempts(student_id);
CREATE TABLE answers(
    id INTEGER PRIMARY KEY,
    attempt_id INTEGER NOT NULL REFERENCES attempts(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    question_id TEXT NOT NULL,
    chosen TEXT NOT NULL,
    correct INTEGER NOT NULL,
    answered_at TEXT NOT NULL,
    UNIQUE(attempt_id, position)
);
CREATE TABLE queue(
    id INTEGER PRIMARY KEY,
    student_id INTEGER NOT NULL REFERENCES students(id) ON DELETE CASCADE,
    module_id TEXT NOT NULL,
    band TEXT NOT NULL,
    part TEXT NOT NULL,
    step INTEGER NOT NULL DEFAULT 0,
    due_at TEXT NOT NULL,
    reason TEXT NOT NULL,
    created_at TEXT NOT NULL,
    done_at TEXT
);
CREATE UNIQUE INDEX queue_open ON queue(student_id, module_id, band, part) WHERE done_at IS NULL;
CREATE TABLE assignments(
    id INTEGER PRIMARY KEY,
    student_id INTEGER NOT NULL REFERENCES students(id) ON DELETE CASCADE,
    module_id TEXT NOT NULL,
    band TEXT NOT NULL,
    part TEXT NOT NULL DEFAULT 'lesson',
    due_at TEXT,
    created_at TEXT NOT NULL,
    done_at TEXT
);
CREATE INDEX assignments_student ON assignments(student_id);
"""

_SCHEMA_V2 = """
CREATE TABLE staff(
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('teacher', 'counselor')),
    pass_hash TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX staff_name ON staff(name COLLATE NOCASE);
CREATE TABLE auth_failures(
    scope TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    last_failed_at TEXT NOT NULL
);
ALTER TABLE classes ADD COLUMN staff_id INTEGER REFERENCES staff(id) ON DELETE SET NULL;
ALTER TABLE assignments ADD COLUMN staff_id INTEGER REFERENCES staff(id) ON DELETE SET NULL;
ALTER TABLE assignments ADD COLUMN note TEXT NOT NULL DEFAULT '';
ALTER TABLE assignments ADD COLUMN shared INTEGER NOT NULL DEFAULT 0;
CREATE INDEX students_class ON students(class_id);
"""

_SCHEMA_V3 = """
CREATE TABLE answers_v3(
    attempt_id INTEGER NOT NULL REFERENCES attempts(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    question_id TEXT NOT NULL,
    chosen TEXT NOT NULL,
    correct INTEGER NOT NULL,
    answered_at TEXT NOT NULL,
    PRIMARY KEY (attempt_id, position)
) WITHOUT ROWID;
INSERT INTO answers_v3(attempt_id, position, question_id, chosen, correct, answered_at)
    SELECT attempt_id, position, question_id,
           replace(replace(trim(chosen, '[]'), '"', ''), ', ', ' '), correct, answered_at
    FROM answers;
DROP TABLE answers;
ALTER TABLE answers_v3 RENAME TO answers;
"""
"""Answers are always read by attempt: clustering them on (attempt, position) turns an export's
million index-then-row lookups into sequential reads (bench/export_answers.py: 5.5 s -> 3.4 s
for the query). `chosen` becomes space-separated choice ids (ids never contain spaces) instead
of JSON, so the export writes it as it is."""

_MIGRATIONS: dict[int, str] = {1: _SCHEMA_V1, 2: _SCHEMA_V2, 3: _SCHEMA_V3}
"""user_version N is reached by running _MIGRATIONS[N] on a database at N-1."""


def _ts(dt: datetime | None) -> str | None:
    if dt is None:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(timezone.utc).isoformat(timespec="microseconds")


def _dt(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _plan_json(plan: Plan) -> str:
    return json.dumps({"q": list(plan.question_ids), "c": [list(o) for o in plan.choice_orders]})


def _plan(text: str) -> Plan:
    d = json.loads(text)
    return Plan(tuple(d["q"]), tuple(tuple(o) for o in d["c"]))


def newest_backup(db_path: Path) -> Path | None:
    """Returns the newest backup file beside a database, or None."""
    folder = db_path.parent / "backups"
    try:
        found = sorted(folder.glob("*.sqlite3"), key=lambda p: p.stat().st_mtime)
    except OSError:
        return None
    return found[-1] if found else None


def _damaged(path: Path, detail: str) -> StoreError:
    backup = newest_backup(path)
    where = (f"the newest backup is {backup}" if backup else
             "there is no backup in the backups folder")
    return StoreError(f"the database {path} is damaged ({detail}); it was not changed. Ask IT to "
                      f"restore it: {where}.")


class SQLiteStore:
    """The default store: one SQLite file in the data folder."""

    def __init__(self, path: Path, check: bool = True) -> None:
        """Opens (creating if needed) the database and migrates it.

        Args:
            path: the database file; created with mode 0600.
            check: run `PRAGMA quick_check` first.

        Raises:
            StoreError: the file is damaged, newer than this code, or cannot be opened.
        """
        self.path = path
        try:
            if not path.exists():
                fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
                os.close(fd)
            elif stat.S_IMODE(path.stat().st_mode) & 0o077:
                os.chmod(path, 0o600)
            self.db = sqlite3.connect(str(path), isolation_level=None, timeout=10.0,
                                      check_same_thread=False)
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"cannot open the database {path}: {exc}") from None
        try:
            self.db.execute("PRAGMA busy_timeout = 10000")
            if check:
                rows = self.db.execute("PRAGMA quick_check").fetchall()
                if [r[0] for r in rows] != ["ok"]:
                    self.db.close()
                    raise _damaged(path, rows[0][0])
            self.db.execute("PRAGMA journal_mode = WAL")
            self.db.execute("PRAGMA synchronous = FULL")
            self.db.execute("PRAGMA foreign_keys = ON")
            self.db.execute("PRAGMA secure_delete = ON")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            self.db.close()
            if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
                raise StoreError(f"the database {path} is busy; try again") from None
            raise _damaged(path, str(exc)) from None

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(f"the database {self.path} was made by a newer citizen (schema "
                             f"{version}); upgrade citizen")
        while version < SCHEMA_VERSION:
            version += 1
            # One script, one transaction: a crash mid-migration leaves the old version intact.
            try:
                self.db.executescript(f"BEGIN IMMEDIATE;{_MIGRATIONS[version]}"
                                      f"PRAGMA user_version = {version}; COMMIT;")
            except sqlite3.Error:
                if self.db.in_transaction:
                    self.db.execute("ROLLBACK")
                raise

    def close(self) -> None:
        """Closes the connection."""
        self.db.close()

    @contextmanager
    def tx(self) -> Iterator[sqlite3.Connection]:
        """One short write transaction (`BEGIN IMMEDIATE` ... `COMMIT`).

        Raises:
            SaveError: if it could not be committed (disk full, read-only, I/O error).
        """
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise SaveError(f"could not save: {exc}") from None
        try:
            yield self.db
            self.db.execute("COMMIT")
        except BaseException as exc:
            try:
                self.db.execute("ROLLBACK")
            except sqlite3.Error:
                pass
            if isinstance(exc, sqlite3.IntegrityError):
                raise
            if isinstance(exc, sqlite3.Error):
                raise SaveError(f"could not save: {exc}") from None
            raise

    def _one(self, sql: str, args: tuple[Any, ...] = ()) -> Any:
        return self.db.execute(sql, args).fetchone()

    # -- classes and students

    @staticmethod
    def _class(r: Any) -> ClassRow:
        return ClassRow(r[0], r[1], r[2], r[3], _dt(r[4]))  # type: ignore[arg-type]

    @staticmethod
    def _student(r: Any) -> StudentRow:
        return StudentRow(r[0], r[1], r[2], r[3], r[4], bool(r[5]))

    def create_class(self, name: str, band: str, join_code: str, now: datetime) -> ClassRow:
        """Creates a class (the join code must be unique)."""
        with self.tx() as db:
            cur = db.execute("INSERT INTO classes(name, band, join_code, created_at) "
                             "VALUES (?, ?, ?, ?)", (name, band, join_code, _ts(now)))
        return ClassRow(cur.lastrowid or 0, name, band, join_code, now)

    def class_by_code(self, join_code: str) -> ClassRow | None:
        """Returns the class with this join code."""
        r = self._one("SELECT id, name, band, join_code, created_at FROM classes "
                      "WHERE join_code = ?", (join_code,))
        return self._class(r) if r else None

    def class_by_id(self, class_id: int) -> ClassRow | None:
        """Returns a class by id."""
        r = self._one("SELECT id, name, band, join_code, created_at FROM classes WHERE id = ?",
                      (class_id,))
        return self._class(r) if r else None

    def classes(self) -> list[ClassRow]:
        """Returns every class, by name."""
        return [self._class(r) for r in self.db.execute(
            "SELECT id, name, band, join_code, created_at FROM classes ORDER BY name, id")]

    def add_student(self, class_id: int | None, display_name: str, code: str, band: str,
                    now: datetime, practice: bool = False) -> StudentRow:
        """Adds a student (display names are unique within a class)."""
        with self.tx() as db:
            cur = db.execute("INSERT INTO students(class_id, display_name, code, band, practice, "
                             "created_at) VALUES (?, ?, ?, ?, ?, ?)",
                             (class_id, display_name, code, band, int(practice), _ts(now)))
        return StudentRow(cur.lastrowid or 0, class_id, display_name, code, band, practice)

    def students(self, class_id: int) -> list[StudentRow]:
        """Returns a class's students by display name."""
        return [self._student(r) for r in self.db.execute(
            "SELECT id, class_id, display_name, code, band, practice FROM students "
            "WHERE class_id = ? ORDER BY display_name COLLATE NOCASE, id", (class_id,))]

    def student(self, student_id: int) -> StudentRow | None:
        """Returns one student."""
        r = self._one("SELECT id, class_id, display_name, code, band, practice FROM students "
                      "WHERE id = ?", (student_id,))
        return self._student(r) if r else None

    def practice_student(self, band: str) -> StudentRow | None:
        """Returns the shared practice profile of a band, if made."""
        r = self._one("SELECT id, class_id, display_name, code, band, practice FROM students "
                      "WHERE practice = 1 AND band = ?", (band,))
        return self._student(r) if r else None

    # -- content versions

    def save_version(self, version: str, module_id: str, band: str, data: str) -> None:
        """Keeps a snapshot of a module version (once per content hash)."""
        with self.tx() as db:
            db.execute("INSERT OR IGNORE INTO content_versions(version, module_id, band, data) "
                       "VALUES (?, ?, ?, ?)", (version, module_id, band, data))

    def version_data(self, version: str) -> str | None:
        """Returns the snapshot of a module version."""
        r = self._one("SELECT data FROM content_versions WHERE version = ?", (version,))
        return r[0] if r else None

    # -- attempts and answers

    _ATTEMPT = ("SELECT id, student_id, module_id, band, part, step, version, seed, plan, mastery, "
                "started_at, finished_at, right_count, total, mastered FROM attempts ")

    @staticmethod
    def _attempt(r: Any) -> AttemptRow:
        return AttemptRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], _plan(r[8]), r[9],
                          _dt(r[10]), _dt(r[11]), r[12], r[13],  # type: ignore[arg-type]
                          None if r[14] is None else bool(r[14]))

    def create_attempt(self, student_id: int, module_id: str, band: str, part: str, step: int,
                       version: str, seed: int, plan: Plan, mastery: float,
                       now: datetime) -> AttemptRow:
        """Starts an attempt; at most one is open per student, module, band and part."""
        with self.tx() as db:
            cur = db.execute(
                "INSERT INTO attempts(student_id, module_id, band, part, step, version, seed, "
                "plan, mastery, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (student_id, module_id, band, part, step, version, seed, _plan_json(plan),
                 mastery, _ts(now)))
        return AttemptRow(cur.lastrowid or 0, student_id, module_id, band, part, step, version,
                          seed, plan, mastery, now, None, None, None, None)

    def open_attempt(self, student_id: int, module_id: str, band: str,
                     part: str) -> AttemptRow | None:
        """Returns the open attempt of a student at a module part."""
        r = self._one(self._ATTEMPT + "WHERE student_id = ? AND module_id = ? AND band = ? AND "
                      "part = ? AND finished_at IS NULL", (student_id, module_id, band, part))
        return self._attempt(r) if r else None

    def open_attempts(self, student_id: int) -> list[AttemptRow]:
        """Returns a student's unfinished attempts, newest first."""
        return [self._attempt(r) for r in self.db.execute(
            self._ATTEMPT + "WHERE student_id = ? AND finished_at IS NULL ORDER BY id DESC",
            (student_id,))]

    def attempt(self, attempt_id: int) -> AttemptRow | None:
        """Returns one attempt."""
        r = self._one(self._ATTEMPT + "WHERE id = ?", (attempt_id,))
        return self._attempt(r) if r else None

    def attempts(self, student_id: int) -> list[AttemptRow]:
        """Returns every attempt of a student, oldest first."""
        return [self._attempt(r) for r in self.db.execute(
            self._ATTEMPT + "WHERE student_id = ? ORDER BY id", (student_id,))]

    def record_answer(self, attempt_id: int, position: int, question_id: str,
                      chosen: Sequence[str], correct: bool, now: datetime) -> Answer:
        """Commits one answer durably before returning.

        An answer already saved at that position is kept and returned (a double key press
        cannot change a committed answer).

        Raises:
            SaveError: if it could not be saved; the caller must not move on.
        """
        with self.tx() as db:
            existing = db.execute("SELECT position, question_id, chosen, correct, answered_at "
                                  "FROM answers WHERE attempt_id = ? AND position = ?",
                                  (attempt_id, position)).fetchone()
            if existing is None:
                db.execute("INSERT INTO answers(attempt_id, position, question_id, chosen, "
                           "correct, answered_at) VALUES (?, ?, ?, ?, ?, ?)",
                           (attempt_id, position, question_id, " ".join(chosen),
                            int(correct), _ts(now)))
        if existing is not None:
            return self._answer(existing)
        return Answer(position, question_id, tuple(chosen), correct, now)

    @staticmethod
    def _answer(r: Any) -> Answer:
        return Answer(r[0], r[1], tuple(r[2].split()), bool(r[3]),
                      _dt(r[4]))  # type: ignore[arg-type]

    def answers(self, attempt_id: int) -> list[Answer]:
        """Returns an attempt's answers by position."""
        return [self._answer(r) for r in self.db.execute(
            "SELECT position, question_id, chosen, correct, answered_at FROM answers "
            "WHERE attempt_id = ? ORDER BY position", (attempt_id,))]

    def finish_attempt(self, attempt_id: int, right: int, total: int, mastered: bool,
                       now: datetime) -> None:
        """Closes an attempt with its score (once; later calls change nothing)."""
        with self.tx() as db:
            db.execute("UPDATE attempts SET finished_at = ?, right_count = ?, total = ?, "
                       "mastered = ? WHERE id = ? AND finished_at IS NULL",
                       (_ts(now), right, total, int(mastered), attempt_id))

    # -- queue and assignments

    def schedule(self, student_id: int, module_id: str, band: str, part: str, step: int,
                 due_at: datetime, reason: str, now: datetime) -> bool:
        """Queues a review or check unless one is already open for that module part.

        Returns:
            Whether a new item was queued.
        """
        with self.tx() as db:
            cur = db.execute(
                "INSERT OR IGNORE INTO queue(student_id, module_id, band, part, step, due_at, "
                "reason, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (student_id, module_id, band, part, step, _ts(due_at), reason, _ts(now)))
        return cur.rowcount == 1

    def queue(self, student_id: int) -> list[QueueRow]:
        """Returns a student's open queue items, soonest first."""
        return [QueueRow(r[0], r[1], r[2], r[3], r[4], r[5], _dt(r[6]), r[7])  # type: ignore
                for r in self.db.execute(
                    "SELECT id, student_id, module_id, band, part, step, due_at, reason FROM "
                    "queue WHERE student_id = ? AND done_at IS NULL ORDER BY due_at",
                    (student_id,))]

    def close_queue(self, student_id: int, module_id: str, band: str, part: str,
                    now: datetime) -> None:
        """Marks a student's open queue item for a module part done."""
        with self.tx() as db:
            db.execute("UPDATE queue SET done_at = ? WHERE student_id = ? AND module_id = ? AND "
                       "band = ? AND part = ? AND done_at IS NULL",
                       (_ts(now), student_id, module_id, band, part))

    def assign(self, student_id: int, module_id: str, band: str, part: str,
               due_at: datetime | None, now: datetime) -> AssignmentRow:
        """Assigns a module part to a student."""
        with self.tx() as db:
            cur = db.execute("INSERT INTO assignments(student_id, module_id, band, part, due_at, "
                             "created_at) VALUES (?, ?, ?, ?, ?, ?)",
                             (student_id, module_id, band, part, _ts(due_at), _ts(now)))
        return AssignmentRow(cur.lastrowid or 0, student_id, module_id, band, part, due_at, now)

    def assignments(self, student_id: int) -> list[AssignmentRow]:
        """Returns a student's open assignments, soonest due first."""
        return [AssignmentRow(r[0], r[1], r[2], r[3], r[4], _dt(r[5]),
                              _dt(r[6]))  # type: ignore[arg-type]
                for r in self.db.execute(
                    "SELECT id, student_id, module_id, band, part, due_at, created_at FROM "
                    "assignments WHERE student_id = ? AND done_at IS NULL "
                    "ORDER BY due_at IS NULL, due_at, id", (student_id,))]

    def complete_assignments(self, student_id: int, module_id: str, band: str, part: str,
                             now: datetime) -> None:
        """Marks a student's open assignments of a module part done."""
        with self.tx() as db:
            db.execute("UPDATE assignments SET done_at = ? WHERE student_id = ? AND "
                       "module_id = ? AND band = ? AND part = ? AND done_at IS NULL",
                       (_ts(now), student_id, module_id, band, part))

    # -- maintenance

    def integrity_check(self) -> str:
        """Runs `PRAGMA integrity_check` and returns its first line ('ok' when sound)."""
        return self.db.execute("PRAGMA integrity_check").fetchone()[0]

    def backup(self, out: Path) -> None:
        """Copies the live database to `out` with the SQLite backup API (mode 0600).

        Works while students are answering: the backup API copies a consistent snapshot.
        """
        tmp = out.with_name(out.name + ".tmp")
        fd = os.open(tmp, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o600)
        os.close(fd)
        try:
            target = sqlite3.connect(str(tmp))
            with target:
                self.db.backup(target)
            target.close()
            os.replace(tmp, out)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise


    # -- staff and sign-in (teacher mode)

    @staticmethod
    def _staff(r: Any) -> StaffRow:
        return StaffRow(r[0], r[1], r[2], r[3])

    def add_staff(self, name: str, role: str, pass_hash: str, now: datetime) -> StaffRow:
        """Adds a staff account (names are unique, case-insensitive)."""
        with self.tx() as db:
            cur = db.execute("INSERT INTO staff(name, role, pass_hash, created_at) "
                             "VALUES (?, ?, ?, ?)", (name, role, pass_hash, _ts(now)))
        return StaffRow(cur.lastrowid or 0, name, role, pass_hash)

    def staff(self) -> list[StaffRow]:
        """Returns every staff account by name."""
        return [self._staff(r) for r in self.db.execute(
            "SELECT id, name, role, pass_hash FROM staff ORDER BY name COLLATE NOCASE")]

    def staff_by_name(self, name: str) -> StaffRow | None:
        """Returns a staff account by name (case-insensitive)."""
        r = self._one("SELECT id, name, role, pass_hash FROM staff WHERE name = ? "
                      "COLLATE NOCASE", (name,))
        return self._staff(r) if r else None

    def set_pass_hash(self, staff_id: int, pass_hash: str) -> None:
        """Replaces a staff account's passphrase hash."""
        with self.tx() as db:
            db.execute("UPDATE staff SET pass_hash = ? WHERE id = ?", (pass_hash, staff_id))

    def failures(self, scope: str) -> tuple[int, datetime | None]:
        """Returns (wrong tries in a row, time of the last) for a sign-in scope."""
        r = self._one("SELECT failures, last_failed_at FROM auth_failures WHERE scope = ?",
                      (scope,))
        return (r[0], _dt(r[1])) if r else (0, None)

    def record_failure(self, scope: str, now: datetime) -> int:
        """Counts one more wrong try; returns the new count."""
        with self.tx() as db:
            db.execute("INSERT INTO auth_failures(scope, failures, last_failed_at) "
                       "VALUES (?, 1, ?) ON CONFLICT(scope) DO UPDATE SET "
                       "failures = failures + 1, last_failed_at = excluded.last_failed_at",
                       (scope, _ts(now)))
            return db.execute("SELECT failures FROM auth_failures WHERE scope = ?",
                              (scope,)).fetchone()[0]

    def clear_failures(self, scope: str) -> None:
        """Resets the count after a right passphrase."""
        with self.tx() as db:
            db.execute("DELETE FROM auth_failures WHERE scope = ?", (scope,))

    # -- rosters

    def set_class_staff(self, class_id: int, staff_id: int | None) -> None:
        """Records which teacher a class belongs to."""
        with self.tx() as db:
            db.execute("UPDATE classes SET staff_id = ? WHERE id = ?", (staff_id, class_id))

    def class_staff(self, class_id: int) -> int | None:
        """Returns the teacher a class belongs to."""
        r = self._one("SELECT staff_id FROM classes WHERE id = ?", (class_id,))
        return r[0] if r else None

    def apply_roster(self, class_id: int, band: str, add: Sequence[tuple[str, str]],
                     codes: Sequence[tuple[int, str]], now: datetime) -> None:
        """Adds students and updates codes in one transaction: all of it or none."""
        with self.tx() as db:
            for name, code in add:
                db.execute("INSERT INTO students(class_id, display_name, code, band, practice, "
                           "created_at) VALUES (?, ?, ?, ?, 0, ?)",
                           (class_id, name, code, band, _ts(now)))
            for student_id, code in codes:
                db.execute("UPDATE students SET code = ? WHERE id = ?", (code, student_id))

    def rename_student(self, student_id: int, name: str, code: str | None = None) -> None:
        """Renames a student (and optionally sets the code)."""
        with self.tx() as db:
            db.execute("UPDATE students SET display_name = ?, code = COALESCE(?, code) "
                       "WHERE id = ?", (name, code, student_id))

    def _erase(self, where: str, args: tuple[Any, ...]) -> dict[str, int]:
        counts: dict[str, int] = {}
        with self.tx() as db:
            ids = [r[0] for r in db.execute(f"SELECT id FROM students WHERE {where}", args)]
            marks = ",".join("?" * len(ids)) or "NULL"
            counts["answers"] = db.execute(
                f"DELETE FROM answers WHERE attempt_id IN (SELECT id FROM attempts WHERE "
                f"student_id IN ({marks}))", ids).rowcount
            for table in ("attempts", "queue", "assignments"):
                counts[table] = db.execute(f"DELETE FROM {table} WHERE student_id IN ({marks})",
                                           ids).rowcount
            counts["students"] = db.execute(f"DELETE FROM students WHERE id IN ({marks})",
                                            ids).rowcount
        # secure_delete zeroed the freed pages; a TRUNCATE checkpoint moves them into the
        # database and empties the WAL, so no copy of the rows is left in either file.
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return counts

    def delete_student(self, student_id: int) -> dict[str, int]:
        """Really deletes a student and everything about them; returns what was removed."""
        return self._erase("id = ?", (student_id,))

    def purge_class(self, class_id: int) -> dict[str, int]:
        """Really deletes a class, its students and all their records."""
        counts = self._erase("class_id = ?", (class_id,))
        with self.tx() as db:
            counts["classes"] = db.execute("DELETE FROM classes WHERE id = ?",
                                           (class_id,)).rowcount
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return counts

    # -- assignments (staff view)

    def assign_detail(self, student_id: int, module_id: str, band: str, part: str,
                      due_at: datetime | None, staff_id: int | None, note: str, shared: bool,
                      now: datetime) -> int:
        """Assigns a module part with who assigned it and a private note; returns its id."""
        with self.tx() as db:
            cur = db.execute("INSERT INTO assignments(student_id, module_id, band, part, due_at, "
                             "created_at, staff_id, note, shared) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                             (student_id, module_id, band, part, _ts(due_at), _ts(now), staff_id,
                              note, int(shared)))
        return cur.lastrowid or 0

    def assignment_details(self, student_ids: Sequence[int]) -> list[AssignmentDetail]:
        """Returns every assignment (open and done) of some students."""
        if not student_ids:
            return []
        marks = ",".join("?" * len(student_ids))
        return [AssignmentDetail(r[0], r[1], r[2], r[3], r[4], _dt(r[5]),
                                 _dt(r[6]), _dt(r[7]), r[8], r[9],  # type: ignore[arg-type]
                                 bool(r[10]))
                for r in self.db.execute(
                    "SELECT id, student_id, module_id, band, part, due_at, created_at, done_at, "
                    f"staff_id, note, shared FROM assignments WHERE student_id IN ({marks}) "
                    "ORDER BY id", list(student_ids))]

    # -- reporting

    def class_attempts(self, class_id: int) -> list[AttemptRow]:
        """Returns every attempt of every student of a class, oldest first."""
        return [self._attempt(r) for r in self.db.execute(
            self._ATTEMPT + "WHERE student_id IN (SELECT id FROM students WHERE class_id = ?) "
            "ORDER BY id", (class_id,))]

    def answer_counts(self, attempt_ids: Sequence[int]) -> dict[int, int]:
        """Returns how many answers each attempt has."""
        if not attempt_ids:
            return {}
        marks = ",".join("?" * len(attempt_ids))
        return dict(self.db.execute(f"SELECT attempt_id, count(*) FROM answers WHERE attempt_id "
                                    f"IN ({marks}) GROUP BY attempt_id", list(attempt_ids)))

    def class_answers(self, class_id: int, module_id: str,
                      part: str = "lesson") -> list[tuple[str, tuple[str, ...], bool]]:
        """Returns (question id, chosen ids, correct) for every answer of a class on a module."""
        return [(r[0], tuple(r[1].split()), bool(r[2])) for r in self.db.execute(
            "SELECT a.question_id, a.chosen, a.correct FROM answers a JOIN attempts t ON "
            "t.id = a.attempt_id JOIN students s ON s.id = t.student_id WHERE s.class_id = ? "
            "AND t.module_id = ? AND t.part = ?", (class_id, module_id, part))]

    def iter_answer_lines(self, class_id: int, prefixes: dict[int, str], sep: str = ",",
                          end: str = "\r\n") -> Iterator[tuple[str]]:
        """Streams one text line per answer of a class, for the `answers` export.

        Each line is the student's `prefixes[student_id]` (the caller formats the free-text
        columns, once per student) followed by module, part, attempt, question, chosen ids
        (space-separated), correct (0/1) and answered_at, joined by `sep` and ended by `end`.
        Those columns are ids (lowercase letters, digits, `.`, `_`, `-`), whole numbers and ISO
        timestamps, which never need quoting or an injection prefix, so SQLite can build the
        lines itself and a million rows stream with no Python per row. Rows come by student,
        attempt and position, straight from the indexes (no sort); nothing is held in memory.
        """
        self.db.execute("CREATE TEMP TABLE IF NOT EXISTS export_prefix("
                        "student_id INTEGER PRIMARY KEY, prefix TEXT NOT NULL)")
        self.db.execute("DELETE FROM temp.export_prefix")
        self.db.executemany("INSERT INTO temp.export_prefix(student_id, prefix) VALUES (?, ?)",
                            list(prefixes.items()))
        return self.db.execute(
            "SELECT p.prefix || t.module_id || :sep || t.part || :sep || t.id || :sep || "
            "a.question_id || :sep || a.chosen || :sep || a.correct || :sep || a.answered_at "
            "|| :end FROM temp.export_prefix p JOIN students s ON s.id = p.student_id "
            "JOIN attempts t ON t.student_id = p.student_id "
            "JOIN answers a ON a.attempt_id = t.id WHERE s.class_id = :cls",
            {"sep": sep, "end": end, "cls": class_id})
