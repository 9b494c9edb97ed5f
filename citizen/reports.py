"""Provides CSV exports that open safely in spreadsheets and never leave a partial file.

Every file: the csv module, UTF-8 with BOM, CRLF line ends, written to a temporary file in the
target folder (mode 0600) and moved into place with os.replace. A text cell that begins with
`= + - @`, a tab, CR or LF gets a leading `'` so a spreadsheet shows it instead of running it;
numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
import itertools
import os
from contextlib import contextmanager
from operator import itemgetter
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

DANGEROUS = ("=", "+", "-", "@", "\t", "\r", "\n")
"""First characters a spreadsheet may treat as a formula (OWASP CSV injection)."""

KINDS = ("answers", "summary", "canvas", "roster", "assignments")
"""Export kinds."""

COLUMNS: dict[str, tuple[str, ...]] = {
    "answers": ("class", "student", "student_code", "band", "module", "part", "attempt",
                "question_id", "chosen", "correct", "answered_at"),
    "summary": ("class", "student", "student_code", "band", "module", "best_score_percent",
                "attempts", "mastered", "last_activity"),
    "roster": ("class", "join_code", "student", "student_code", "band"),
    "assignments": ("class", "student", "student_code", "module", "part", "due", "done_at",
                    "note", "assigned_by"),
}
"""Column names of each export (canvas adds one column per module)."""

CANVAS_FIXED = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
"""The columns Canvas's gradebook import expects first."""


class ExportError(Exception):
    """An export could not be written; nothing was left behind."""


def safe_cell(value: Any) -> Any:
    """Returns a cell value a spreadsheet will not execute (text prefixed with `'`)."""
    if isinstance(value, str) and value and value[0] in DANGEROUS:
        return "'" + value
    return value


@contextmanager
def _atomic(out: Path) -> Iterator[Any]:
    """Opens a temporary file beside `out` (0600, UTF-8 with BOM) and moves it into place.

    Raises:
        ExportError: missing or unwritable folder, or a full disk; nothing partial is left.
    """
    folder = out.parent
    if not folder.is_dir():
        raise ExportError(f"cannot write {out}: the folder {folder} does not exist")
    tmp = folder / f".{out.name}.{os.getpid()}.tmp"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    except OSError as exc:
        raise ExportError(f"cannot write {out}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8-sig", newline="", buffering=1 << 20) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ExportError(f"cannot write {out}: {exc.strerror or exc}") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_csv(out: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Writes a CSV export atomically, each cell through `safe_cell`.

    Args:
        out: the file to write.
        header: column names.
        rows: the rows, streamed (not held in memory).

    Returns:
        The number of data rows written.

    Raises:
        ExportError: the folder is missing or not writable, or the disk is full; no partial
            file is left.
    """
    count = 0
    with _atomic(out) as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow([safe_cell(h) for h in header])
        for row in rows:
            writer.writerow([safe_cell(v) for v in row])
            count += 1
    return count


def csv_prefix(cells: Sequence[Any]) -> str:
    """Formats leading cells of a row exactly as write_csv would, ending with a comma."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="").writerow([safe_cell(v) for v in cells])
    return buf.getvalue() + ","


def write_lines(out: Path, header: Sequence[str], lines: Iterable[tuple[str]]) -> int:
    """Writes a CSV export whose data lines are already formatted (see csv_prefix).

    Args:
        out: the file to write.
        header: column names.
        lines: one-element rows, each a complete CRLF-ended CSV line, streamed.

    Returns:
        The number of data lines written.
    """
    counter = itertools.count(1)
    with _atomic(out) as fh:
        csv.writer(fh, lineterminator="\r\n").writerow([safe_cell(h) for h in header])
        # C-speed all the way: zip counts, itemgetter takes the line out of its 1-tuple.
        fh.writelines(map(itemgetter(0), map(itemgetter(0), zip(lines, counter))))
    return next(counter) - 1
