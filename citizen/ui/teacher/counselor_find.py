"""Provides the counselor's find-a-student screen: type a name or code, pick from every class."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static

from citizen.classroom import ClassroomError, StoreError, StudentView
from citizen.ui.teacher.common import BAND_LABELS, OpenTable, ResizeAware, plural, sentence
from citizen.ui.widgets import TooSmall

START_HINT = "Type part of a name, or a whole student code."
"""What the count line says before anything is typed."""


class FindStudentScreen(ResizeAware, Screen[None]):
    """Searches every class as the counselor types; Enter opens the student's overview."""

    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("down", "to_results", show=False),
    ]

    found: reactive[tuple[StudentView, ...]] = reactive((), init=False)
    """The students matching what is typed, in class order."""

    def compose(self) -> ComposeResult:
        yield TooSmall()
        yield Static("Find a student · every class", classes="title", markup=False)
        yield Input(placeholder="Name or student code", id="find-query", max_length=64)
        yield Static(START_HINT, id="find-count", classes="hint", markup=False)
        yield OpenTable(id="find-results")
        yield Static("Type to search · ↓ goes to the list · Enter opens the student",
                     classes="hint", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#find-results", DataTable)
        table.add_column("Student", key="name")
        table.add_column("Class", key="class")
        table.add_column("Grades", key="band")
        table.display = False
        self.query_one("#find-query", Input).focus()

    def on_screen_resume(self) -> None:
        if self.is_mounted:  # a name may have changed meanwhile
            self.search(self.query_one("#find-query", Input).value)

    @on(Input.Changed, "#find-query")
    def _typed(self, event: Input.Changed) -> None:
        self.search(event.value)

    def search(self, query: str) -> None:
        """Asks the facade for the students matching `query` (empty finds nobody)."""
        try:
            found = self.app.staffroom.find_students(query)  # type: ignore[attr-defined]
        except (ClassroomError, StoreError) as exc:
            self.notify(sentence(str(exc)), severity="error", markup=False)
            return
        self.found = tuple(found)
        self._count(query)

    def watch_found(self, found: tuple[StudentView, ...]) -> None:
        table = self.query_one("#find-results", DataTable)
        table.clear()
        for s in found:
            table.add_row(Text(s.name), Text(s.class_name or "—"),
                          BAND_LABELS.get(s.band, s.band), key=str(s.id))
        table.display = bool(found)

    def _count(self, query: str) -> None:
        box = self.query_one("#find-count", Static)
        if not query.strip():
            box.update(START_HINT)
        elif self.found:
            box.update(f"{plural(len(self.found), 'student')} found")
        else:
            box.update("Nobody matches. Names match in part; codes must be typed in full.")

    def action_to_results(self) -> None:
        table = self.query_one("#find-results", DataTable)
        if table.display:
            table.focus()

    @on(Input.Submitted, "#find-query")
    def _enter(self) -> None:
        table = self.query_one("#find-results", DataTable)
        if self.found:
            self.open(self.found[max(table.cursor_row, 0)].id)

    @on(DataTable.RowSelected, "#find-results")
    def _chosen(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value:
            self.open(int(event.row_key.value))

    def open(self, student_id: int) -> None:
        """Opens a student's overview."""
        from citizen.ui.teacher.counselor_overview import StudentOverviewScreen

        self.app.push_screen(StudentOverviewScreen(student_id))

    def action_back(self) -> None:
        self.app.pop_screen()
