"""Provides the counselor's needs-attention list: who, in which class, and why."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from citizen.classroom import ClassroomError, StoreError, StudentView
from citizen.ui.teacher.common import OpenTable, ResizeAware, plural, sentence, truncate
from citizen.ui.widgets import TooSmall

RULE = "On the list: mastery missed in 2 or more modules, or an assignment overdue."
"""What puts a student on the list (the facade's rule, in words)."""
WHY_WIDTH = 44
"""Characters of the reasons shown in the table; the rest shows under it."""


class NeedsAttentionScreen(ResizeAware, Screen[None]):
    """Students of every class who need a counselor; Enter opens one's overview."""

    BINDINGS = [Binding("escape", "back", "Back")]

    students: reactive[tuple[tuple[StudentView, tuple[str, ...]], ...]] = reactive(
        (), init=False)
    """Each student on the list with why (module ids shown as titles)."""

    def compose(self) -> ComposeResult:
        yield TooSmall()
        yield Static("Needs attention · every class", classes="title", markup=False)
        yield Static("", id="attention-count", classes="hint", markup=False)
        yield OpenTable(id="attention")
        yield Static("", id="attention-why", classes="body", markup=False)
        yield Static(RULE, classes="hint", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#attention", DataTable)
        table.add_column("Student", key="name")
        table.add_column("Class", key="class")
        table.add_column("Why", key="why")
        self.reload()
        table.focus()

    def on_screen_resume(self) -> None:
        if self.is_mounted:  # an assignment made meanwhile may take someone off the list
            self.reload()

    def reload(self) -> None:
        """Asks the facade who needs attention now."""
        app = self.app
        try:
            found = app.staffroom.needs_attention(app.staff)  # type: ignore[attr-defined]
        except (ClassroomError, StoreError) as exc:
            self.query_one("#attention-count", Static).update(sentence(str(exc)))
            return
        library = app.staffroom.classroom.library  # type: ignore[attr-defined]
        titles = {band: {m.id: m.title for m in library.for_band(band)}
                  for band in {s.band for s, _ in found}}
        self.students = tuple(
            (s, tuple(sentence(r) for r in why.reasons(lambda m: titles[s.band].get(m, m))))
            for s, why in found)

    def watch_students(self, students: tuple[tuple[StudentView, tuple[str, ...]], ...]) -> None:
        table = self.query_one("#attention", DataTable)
        row = table.cursor_row
        table.clear()
        for s, reasons in students:
            table.add_row(Text(truncate(s.name, 20)), Text(truncate(s.class_name or "—", 16)),
                          Text(truncate("; ".join(reasons), WHY_WIDTH)),
                          key=str(s.id))
        if students:
            table.move_cursor(row=min(max(row, 0), len(students) - 1))
        table.display = bool(students)
        self.query_one("#attention-count", Static).update(
            f"{plural(len(students), 'student')} · Enter opens a student" if students else
            "Nobody needs attention right now.")
        self._why(table.cursor_row)

    @on(DataTable.RowHighlighted, "#attention")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._why(event.cursor_row)

    def _why(self, row: int) -> None:
        """Shows every reason of the student on row `row` in full."""
        box = self.query_one("#attention-why", Static)
        if not self.students or not 0 <= row < len(self.students):
            box.display = False
            return
        student, reasons = self.students[row]
        whole = "; ".join(reasons)
        box.display = whole != truncate(whole, WHY_WIDTH)  # only when the table cut it
        box.update(f"{student.name}: {whole}.")

    @on(DataTable.RowSelected, "#attention")
    def _chosen(self, event: DataTable.RowSelected) -> None:
        from citizen.ui.teacher.counselor_overview import StudentOverviewScreen

        if event.row_key.value:
            self.app.push_screen(StudentOverviewScreen(int(event.row_key.value)))

    def action_back(self) -> None:
        self.app.pop_screen()
