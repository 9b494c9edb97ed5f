"""Provides one student's history: every attempt, newest first."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from citizen.classroom import ClassroomError
from citizen.ui.teacher.common import ResizeAware, truncate
from citizen.ui.widgets import TooSmall

PARTS = {"lesson": "Quiz", "review": "Review", "check": "Quick check"}
"""How attempt parts are named."""


class HistoryScreen(ResizeAware, Screen[None]):
    """A student's attempts: when, which module, which part, the result, mastery."""

    BINDINGS = [Binding("escape", "back", "Back")]

    def __init__(self, student_id: int, name: str) -> None:
        super().__init__()
        self.student_id = student_id
        """Whose history."""
        self.student_name = name
        """Their display name."""

    def compose(self) -> ComposeResult:
        yield TooSmall()
        yield Static(f"{self.student_name} · history", classes="title", markup=False)
        yield DataTable(id="history", cursor_type="row", zebra_stripes=True)
        yield Static("", id="history-empty", classes="notice", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#history", DataTable)
        table.add_columns("Started", "Module", "Part", "Result", "Mastered")
        empty = self.query_one("#history-empty", Static)
        try:
            lines = self.app.staffroom.history(self.student_id)  # type: ignore[attr-defined]
        except ClassroomError as exc:
            empty.update(str(exc))
            return
        for a in lines:
            mastered = ("… not finished" if a.mastered is None else
                        "✔ yes" if a.mastered else "✘ not yet")
            table.add_row(f"{a.started_at.astimezone():%Y-%m-%d %H:%M}",
                          Text(truncate(a.title, 28)), PARTS.get(a.part, a.part),
                          a.progress, mastered)
        empty.update("" if lines else "No attempts yet.")
        empty.display = not lines
        table.focus()

    def action_back(self) -> None:
        self.app.pop_screen()
