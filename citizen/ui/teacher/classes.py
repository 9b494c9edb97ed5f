"""Provides the classes screen: the signed-in teacher's classes with join codes.

A counselor sees every class, and two more keys: find a student, and who needs attention.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from citizen.classroom import ClassView, format_code
from citizen.ui.teacher.common import BAND_LABELS, OpenTable, ResizeAware
from citizen.ui.widgets import TooSmall


class ClassesScreen(ResizeAware, Screen[None]):
    """Lists the teacher's classes; `n` makes a new one, Enter opens one.

    A counselor sees every class and also has `f` (find a student) and `a` (needs attention).
    """

    BINDINGS = [
        Binding("n", "new_class", "New class"),
        Binding("f", "find_student", "Find a student"),
        Binding("a", "needs_attention", "Needs attention"),
        Binding("escape", "sign_out", "Sign out"),
    ]
    COUNSELOR_ACTIONS = ("find_student", "needs_attention")
    """Actions offered to counselors only (hidden from the Footer for anyone else)."""

    def __init__(self) -> None:
        super().__init__()
        self.class_views: list[ClassView] = []
        """The classes on screen, in table order."""

    def compose(self) -> ComposeResult:
        yield TooSmall()
        yield Static("", id="classes-title", classes="title", markup=False)
        yield OpenTable(id="classes")
        yield Static("", id="classes-empty", classes="notice", markup=False)
        yield Static("Enter opens a class. n makes a new class (students join it with its "
                     "code).", id="classes-hint", classes="hint", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#classes", DataTable)
        table.add_column("Class", key="name")
        table.add_column("Grades", key="band")
        table.add_column("Join code", key="code")
        table.add_column("Students", key="count")
        self.reload()
        table.focus()

    def on_screen_resume(self) -> None:
        if self.is_mounted:
            self.reload()

    def reload(self) -> None:
        """Reads the classes again and redraws the table, keeping the cursor."""
        app = self.app
        staffroom = app.staffroom  # type: ignore[attr-defined]
        staff = app.staff  # type: ignore[attr-defined]
        if staff is None:
            return
        if self.counselor:
            self.query_one("#classes-title", Static).update(
                f"citizen · counselor · {staff.name} · all classes")
            self.query_one("#classes-hint", Static).update(
                "Enter opens a class · f finds a student · a lists who needs attention")
        else:
            self.query_one("#classes-title", Static).update(
                f"citizen · teacher mode · {staff.name} · your classes")
        self.class_views = staffroom.classes(staff)
        table = self.query_one("#classes", DataTable)
        row = table.cursor_row
        table.clear()
        for cls in self.class_views:
            count = len(staffroom.classroom.roster(cls.id))
            table.add_row(Text(cls.name), BAND_LABELS.get(cls.band, cls.band),
                          format_code(cls.join_code), str(count), key=str(cls.id))
        if self.class_views:
            table.move_cursor(row=min(row, len(self.class_views) - 1))
        empty = self.query_one("#classes-empty", Static)
        empty.update("" if self.class_views else "No classes yet. Press n to make one.")
        empty.display = not self.class_views

    @on(DataTable.RowSelected, "#classes")
    def open_class(self, event: DataTable.RowSelected) -> None:
        from citizen.ui.teacher.class_screen import ClassScreen

        cls = next((c for c in self.class_views if str(c.id) == event.row_key.value), None)
        if cls is not None:
            self.app.push_screen(ClassScreen(cls))

    def action_new_class(self) -> None:
        from citizen.ui.teacher.new_class import NewClassDialog

        self.app.push_screen(NewClassDialog(), callback=self._created)

    def _created(self, cls: ClassView | None) -> None:
        self.reload()
        if cls is None:
            return
        row = next((i for i, c in enumerate(self.class_views) if c.id == cls.id), None)
        if row is not None:
            self.query_one("#classes", DataTable).move_cursor(row=row)

    @property
    def counselor(self) -> bool:
        """Whether a counselor is signed in."""
        staff = self.app.staff  # type: ignore[attr-defined]
        return staff is not None and staff.role == "counselor"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.COUNSELOR_ACTIONS:
            return self.counselor
        return True

    def action_find_student(self) -> None:
        from citizen.ui.teacher.counselor_find import FindStudentScreen

        if self.counselor:
            self.app.push_screen(FindStudentScreen())

    def action_needs_attention(self) -> None:
        from citizen.ui.teacher.counselor_attention import NeedsAttentionScreen

        if self.counselor:
            self.app.push_screen(NeedsAttentionScreen())

    def action_sign_out(self) -> None:
        self.app.sign_out()  # type: ignore[attr-defined]
