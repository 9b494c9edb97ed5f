"""Provides roster file parsing: a plain `display_name[,student_code]` CSV or OneRoster users.csv.

Pure: returns the rows to add and the per-row errors (with the file's row numbers); the
staffroom compares them with the class and applies them in one transaction.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from citizen.classroom import ClassroomError, clean_name

ONEROSTER_KEEP = {"sourcedId", "role", "givenName", "familyName", "identifier", "status"}
"""OneRoster v1.1 users.csv columns we read; every other column is ignored (and named)."""
MAX_ROWS = 5000
"""Largest roster file accepted."""


@dataclass(frozen=True)
class RosterRow:
    """One student from a roster file."""

    row: int
    """1-based row number in the file (the header is row 1)."""
    name: str
    """Display name (first name and last initial)."""
    code: str
    """Student code ('' if none)."""


@dataclass
class ParsedRoster:
    """What a roster file says, and what is wrong with it."""

    kind: str
    """`plain` or `oneroster`."""
    rows: list[RosterRow] = field(default_factory=list)
    """Students found."""
    errors: list[tuple[int, str]] = field(default_factory=list)
    """(row number, reason) for rows that will not be imported."""
    ignored_columns: list[str] = field(default_factory=list)
    """Columns present but not kept (e.g. email, phone, birthDate)."""
    skipped: int = 0
    """Rows that are not students (OneRoster teachers, administrators, ...)."""


def decode_roster(data: bytes) -> str:
    """Decodes a roster file (UTF-8, with or without BOM).

    Raises:
        ClassroomError: if it is not UTF-8 text.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise ClassroomError(f"row {line}: the file is not UTF-8 text; save it as "
                             "'CSV UTF-8' and try again") from None


def parse_roster(text: str) -> ParsedRoster:
    """Parses roster CSV text of either kind (detected from the header)."""
    try:
        reader = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        return ParsedRoster("plain", errors=[(1, f"not a CSV file: {exc}")])
    if len(reader) > MAX_ROWS + 1:
        return ParsedRoster("plain", errors=[(1, f"more than {MAX_ROWS} rows; split the file")])
    header = [h.strip() for h in reader[0]] if reader else []
    if {"sourcedId", "role", "givenName", "familyName"} <= set(header):
        return _oneroster(header, reader[1:])
    return _plain(reader)


def _add(parsed: ParsedRoster, row: int, name: str, code: str, seen: dict[str, int]) -> None:
    try:
        clean = clean_name(name)
    except ClassroomError as exc:
        parsed.errors.append((row, str(exc)))
        return
    code = code.strip()
    if len(code) > 64 or any(ord(ch) < 32 for ch in code):
        parsed.errors.append((row, "the student code must be at most 64 plain characters"))
        return
    key = clean.casefold()
    if key in seen:
        parsed.errors.append((row, f"{clean!r} is also on row {seen[key]}; names in a class "
                                   "must differ (add a last initial)"))
        return
    seen[key] = row
    parsed.rows.append(RosterRow(row, clean, code))


def _plain(rows: list[list[str]]) -> ParsedRoster:
    parsed = ParsedRoster("plain")
    seen: dict[str, int] = {}
    start = 0
    if rows and rows[0] and rows[0][0].strip().lower() in ("display_name", "name"):
        start = 1
    for number, cells in enumerate(rows[start:], start=start + 1):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > 2:
            parsed.errors.append((number, f"expected display_name[,student_code], found "
                                          f"{len(cells)} columns"))
            continue
        _add(parsed, number, cells[0], cells[1] if len(cells) > 1 else "", seen)
    return parsed


def _oneroster(header: list[str], rows: list[list[str]]) -> ParsedRoster:
    parsed = ParsedRoster("oneroster")
    parsed.ignored_columns = [h for h in header if h and h not in ONEROSTER_KEEP]
    col = {h: i for i, h in enumerate(header)}
    seen: dict[str, int] = {}
    for number, cells in enumerate(rows, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            parsed.errors.append((number, f"has {len(cells)} columns; the header has "
                                          f"{len(header)}"))
            continue

        def get(name: str) -> str:
            return cells[col[name]].strip() if name in col else ""

        if get("role").lower() != "student" or get("status").lower() == "tobedeleted":
            parsed.skipped += 1
            continue
        given, family = get("givenName"), get("familyName")
        if not given:
            parsed.errors.append((number, "givenName is empty"))
            continue
        name = f"{given} {family[0].upper()}." if family else given
        _add(parsed, number, name, get("identifier") or get("sourcedId"), seen)
    return parsed
