"""Provides the live results tab: students x modules, updated in place as answers arrive."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import DataTable, Static

from citizen.staffroom import LiveTable
from citizen.ui.teacher.common import OpenTable, truncate

LEGEND = "✔ mastered · ✘ done, not yet mastered · 2/4… answering now · · not started"
"""What the cell symbols mean (symbols and words, never colour alone)."""


class LivePane(Vertical):
    """The live table. Set `table`; only the cells that changed are redrawn."""

    table: reactive[LiveTable | None] = reactive(None, init=False)
    """Students x modules as they stand (set by the class screen every 2 s)."""

    class StudentChosen(Message):
        """Enter on a student's row; handled by `on_live_pane_student_chosen`."""

        def __init__(self, student_id: int) -> None:
            super().__init__()
            self.student_id = student_id
            """Whose history to open."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._columns: list[str] = []
        self._rows: list[str] = []
        self._texts: dict[tuple[str, str], str] = {}

    def compose(self) -> ComposeResult:
        yield Static(LEGEND, classes="hint", markup=False)
        yield OpenTable(id="live-table")
        yield Static("", id="live-empty", classes="notice", markup=False)
        yield Static("Enter on a student shows their history. Updates every 2 seconds.",
                     classes="hint", markup=False)

    def watch_table(self, table: LiveTable | None) -> None:
        if table is None:
            return
        grid = self.query_one("#live-table", DataTable)
        columns = [mid for mid, _ in table.modules]
        rows = [str(s.id) for s, _ in table.rows]
        names = {str(s.id): s.name for s, _ in table.rows}
        if columns != self._columns or rows != self._rows or names != self._names(grid):
            self._rebuild(grid, table)
        else:
            for student, cells in table.rows:
                for mid, cell in zip(columns, cells):
                    key = (str(student.id), mid)
                    if self._texts.get(key) != cell.text:
                        self._texts[key] = cell.text
                        grid.update_cell(key[0], mid, Text(cell.text), update_width=True)
        empty = self.query_one("#live-empty", Static)
        if not table.rows:
            empty.update("No students in this class yet. Add them in the Roster tab.")
        elif not table.modules:
            empty.update("Nothing assigned and no answers yet. Assign a module in the "
                         "Assign tab.")
        empty.display = not (table.rows and table.modules)
        grid.display = not empty.display

    def _names(self, grid: DataTable) -> dict[str, str]:
        return {key: str(grid.get_cell(key, "name")) for key in self._rows}

    def _rebuild(self, grid: DataTable, table: LiveTable) -> None:
        row = grid.cursor_row
        grid.clear(columns=True)
        grid.add_column("Student", key="name")
        for mid, title in table.modules:
            grid.add_column(Text(truncate(title, 18)), key=mid)
        self._texts.clear()
        for student, cells in table.rows:
            for (mid, _), cell in zip(table.modules, cells):
                self._texts[(str(student.id), mid)] = cell.text
            grid.add_row(Text(student.name), *(Text(c.text) for c in cells),
                         key=str(student.id))
        self._columns = [mid for mid, _ in table.modules]
        self._rows = [str(s.id) for s, _ in table.rows]
        if table.rows:
            grid.move_cursor(row=min(row, len(table.rows) - 1))

    @on(DataTable.RowSelected, "#live-table")
    def _chosen(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value:
            self.post_message(self.StudentChosen(int(event.row_key.value)))
