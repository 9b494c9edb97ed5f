"""Provides the roster import dialog: a file path, a dry run, then the import."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Static

from citizen.classroom import ClassroomError, ClassView, StoreError
from citizen.ui.teacher.common import ResizeAware, sentence
from citizen.ui.widgets import TooSmall, plain

MAX_BYTES = 5 * 1024 * 1024
"""Largest roster file read (a class list is a few kilobytes)."""


def read_roster_file(text: str) -> bytes:
    """Reads the file a teacher typed, or says plainly why it cannot be read.

    Raises:
        ClassroomError: no path, no such file, a folder, unreadable, or too big.
    """
    if not text.strip():
        raise ClassroomError("Type the path of a CSV file.")
    path = Path(text.strip()).expanduser()
    try:
        if path.is_dir():
            raise ClassroomError(f"{path} is a folder. Type the path of a CSV file in it.")
        if path.stat().st_size > MAX_BYTES:
            raise ClassroomError(f"{path} is too big for a class list (over 5 MB).")
        return path.read_bytes()
    except FileNotFoundError:
        raise ClassroomError(f"There is no file {path}. Check the path.") from None
    except OSError as exc:
        raise ClassroomError(f"Cannot read {path}: {exc.strerror or exc}.") from None


class ImportDialog(ResizeAware, ModalScreen[bool]):
    """Imports a plain `display_name[,student_code]` CSV or a OneRoster users.csv.

    "Dry run" shows what would change; "Import" changes it. Dismisses whether anything was
    imported, so the caller knows to reload the roster.
    """

    BINDINGS = [Binding("escape", "close", "Close")]

    def __init__(self, cls: ClassView) -> None:
        super().__init__()
        self.cls = cls
        """The class to import into."""
        self.applied = False
        """Whether an import wrote anything."""

    def compose(self) -> ComposeResult:
        yield TooSmall()
        with Vertical(classes="dialog", id="import-box"):
            yield Static(f"Import students into {self.cls.name}", classes="title",
                         markup=False)
            yield plain("CSV file (display_name[,student_code], or OneRoster users.csv):")
            yield Input(placeholder="e.g. ~/Downloads/users.csv", id="import-path")
            with VerticalScroll(id="import-report"):
                yield Static("Try a dry run first: it shows what would change.",
                             id="import-lines", classes="hint", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Dry run", id="dry-run", variant="primary")
                yield Button("Import", id="import", variant="warning")
                yield Button("Close", id="close")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#import-path", Input).focus()

    @on(Input.Submitted, "#import-path")
    @on(Button.Pressed, "#dry-run")
    def dry_run(self) -> None:
        self.run_import(dry_run=True)

    @on(Button.Pressed, "#import")
    def do_import(self) -> None:
        self.run_import(dry_run=False)

    def run_import(self, dry_run: bool) -> None:
        """Reads the file and imports it (or only reports, on a dry run)."""
        lines = self.query_one("#import-lines", Static)
        try:
            data = read_roster_file(self.query_one("#import-path", Input).value)
            report = self.app.staffroom.import_roster(  # type: ignore[attr-defined]
                self.cls.id, data, dry_run=dry_run)
        except (ClassroomError, StoreError) as exc:
            lines.set_classes("error")
            lines.update(sentence(str(exc)))
            return
        if report.applied and (report.added or report.updated):
            self.applied = True
        lines.set_classes("body")
        lines.update("\n".join(report.lines()))

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.dismiss(self.applied)
