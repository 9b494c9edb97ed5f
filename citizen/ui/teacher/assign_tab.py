"""Provides the assign tab: a module, an optional due date, the whole class or some students."""

from __future__ import annotations

import re
from datetime import datetime, time, timezone

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Button, Input, Select, SelectionList, Static
from textual.widgets.selection_list import Selection

from citizen.classroom import StudentView
from citizen.ui.teacher.common import plural
from citizen.ui.widgets import plain

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_due(text: str) -> datetime | None:
    """Reads a due date `YYYY-MM-DD` as the end of that day (UTC), like the CLI does.

    Raises:
        ValueError: anything that is not an empty string or a real date in that form.
    """
    text = text.strip()
    if not text:
        return None
    if not _DATE.match(text):
        raise ValueError(text)
    day = datetime.strptime(text, "%Y-%m-%d").date()
    return datetime.combine(day, time(23, 59), tzinfo=timezone.utc)


class AssignPane(Vertical):
    """Picks what to assign and to whom; the class screen does the assigning."""

    students: reactive[tuple[StudentView, ...]] = reactive((), init=False)
    """The roster to pick from."""

    class AssignRequested(Message):
        """The Assign button; handled by `on_assign_pane_assign_requested`."""

        def __init__(self, module_id: str, title: str, due: datetime | None,
                     student_ids: list[int] | None) -> None:
            super().__init__()
            self.module_id = module_id
            """Module to assign."""
            self.title = title
            """Its title."""
            self.due = due
            """Due date, if any."""
            self.student_ids = student_ids
            """Only these students, or None for the whole class."""

    def __init__(self, modules: list[tuple[str, str]], *, id: str | None = None) -> None:
        """Args:
            modules: (id, title) of the modules of the class's grades.
        """
        super().__init__(id=id)
        self.modules = modules
        """What can be assigned."""

    def compose(self) -> ComposeResult:
        with Horizontal():
            with Vertical(id="assign-left"):
                yield plain("Module:")
                yield Select([(Content(t), m) for m, t in self.modules],
                             prompt="Pick a module", id="assign-module")
                yield plain("Due date (optional):")
                yield Input(placeholder="YYYY-MM-DD", id="assign-due", max_length=10)
                yield Button("Assign to the whole class", id="assign", variant="primary")
                yield Static("", id="assign-result", markup=False)
            with Vertical(id="assign-right"):
                yield plain("Tick students to assign only to them:")
                yield SelectionList[int](id="assign-students")

    def watch_students(self, students: tuple[StudentView, ...]) -> None:
        picks = self.query_one("#assign-students", SelectionList)
        keep = set(picks.selected)
        picks.clear_options()
        picks.add_options([Selection(Content(s.name), s.id, s.id in keep) for s in students])
        self._label()

    @on(SelectionList.SelectedChanged, "#assign-students")
    def _label(self) -> None:
        ticked = len(self.query_one("#assign-students", SelectionList).selected)
        self.query_one("#assign", Button).label = (
            f"Assign to {plural(ticked, 'student')}" if ticked else
            f"Assign to the whole class ({len(self.students)})")

    @on(Input.Submitted, "#assign-due")
    @on(Button.Pressed, "#assign")
    def _assign(self) -> None:
        module = self.query_one("#assign-module", Select).selection
        if module is None:
            self.show_result("Pick a module first.", error=True)
            return
        try:
            due = parse_due(self.query_one("#assign-due", Input).value)
        except ValueError:
            self.show_result("Type the due date as YYYY-MM-DD (e.g. 2026-10-01), or leave "
                             "it empty.", error=True)
            return
        ticked = list(self.query_one("#assign-students", SelectionList).selected)
        title = dict(self.modules).get(str(module), str(module))
        self.post_message(self.AssignRequested(str(module), title, due, ticked or None))

    def show_result(self, text: str, error: bool = False) -> None:
        """Shows what the last Assign did, or why it did nothing."""
        box = self.query_one("#assign-result", Static)
        box.set_classes("error" if error else "notice")
        box.update(text)
