"""Provides the roster tab: the class list with add, rename, remove and import keys."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from citizen.classroom import StudentView
from citizen.ui.teacher.common import plural


class RosterPane(Vertical):
    """The students of a class. Set `students`; the keys ask the class screen for changes."""

    BINDINGS = [
        Binding("a", "add", "Add"),
        Binding("r", "rename", "Rename"),
        Binding("d", "remove", "Remove"),
        Binding("i", "import", "Import CSV"),
    ]

    students: reactive[tuple[StudentView, ...]] = reactive((), init=False)
    """The roster, in class order."""

    class AddStudent(Message):
        """`a`: add a student; handled by `on_roster_pane_add_student`."""

    class ImportRoster(Message):
        """`i`: import a roster file; handled by `on_roster_pane_import_roster`."""

    class RenameStudent(Message):
        """`r` on a student; handled by `on_roster_pane_rename_student`."""

        def __init__(self, student: StudentView) -> None:
            super().__init__()
            self.student = student
            """Who to rename."""

    class RemoveStudent(Message):
        """`d` on a student; handled by `on_roster_pane_remove_student`."""

        def __init__(self, student: StudentView) -> None:
            super().__init__()
            self.student = student
            """Who to remove."""

    def compose(self) -> ComposeResult:
        yield Static("", id="roster-count", classes="hint", markup=False)
        yield OptionList(id="roster-list")
        yield Static("a add · r rename · d remove (deletes their records) · i import a CSV",
                     classes="hint", markup=False)

    def watch_students(self, students: tuple[StudentView, ...]) -> None:
        names = self.query_one("#roster-list", OptionList)
        keep = names.highlighted
        names.clear_options()
        names.add_options([Option(Content(s.name), id=str(s.id)) for s in students])
        if students:
            names.highlighted = min(keep or 0, len(students) - 1)
        self.query_one("#roster-count", Static).update(
            plural(len(students), "student") if students else
            "No students yet. Press a to add one or i to import a class list.")

    @property
    def highlighted(self) -> StudentView | None:
        """The student under the cursor."""
        index = self.query_one("#roster-list", OptionList).highlighted
        if index is None or not 0 <= index < len(self.students):
            return None
        return self.students[index]

    def action_add(self) -> None:
        self.post_message(self.AddStudent())

    def action_import(self) -> None:
        self.post_message(self.ImportRoster())

    def action_rename(self) -> None:
        student = self.highlighted
        if student is not None:
            self.post_message(self.RenameStudent(student))

    def action_remove(self) -> None:
        student = self.highlighted
        if student is not None:
            self.post_message(self.RemoveStudent(student))
