"""Provides the counselor's assign dialog: a module, lesson or review, a due date, a note."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Footer, Input, Select, Static, TextArea

from citizen.ui.teacher.assign_tab import parse_due
from citizen.ui.teacher.common import ResizeAware
from citizen.ui.widgets import TooSmall, plain

NOTE_LIMIT = 2000
"""The longest note the facade keeps."""
PARTS = [("Lesson and quiz", "lesson"), ("Review", "review")]
"""What can be assigned of a module."""


@dataclass(frozen=True)
class AssignRequest:
    """What the counselor asked for; the caller hands it to the facade."""

    module_id: str
    """Module to assign."""
    title: str
    """Its title (for messages)."""
    part: str
    """lesson or review."""
    due: datetime | None
    """Due date (end of that day), if any."""
    note: str
    """The private note ('' for none)."""
    shared: bool
    """Whether the class teacher may read the note."""


class AssignStudentDialog(ResizeAware, ModalScreen[AssignRequest | None]):
    """Asks what to assign one student. Dismisses an `AssignRequest`, or None.

    Dates and the note's length are checked here; the caller calls the facade and opens
    the dialog again with `start` and `error` if it refuses.
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, student_name: str, modules: list[tuple[str, str]], today: date,
                 start: AssignRequest | None = None, error: str = "") -> None:
        """Args:
            student_name: who it is for (shown in the title).
            modules: (id, title) of the modules of the student's grades.
            today: the facade's date; earlier due dates are refused.
            start: what to show in the fields (after a refusal).
            error: why the last try was refused.
        """
        super().__init__()
        self.student_name = student_name
        """Who it is for."""
        self.modules = modules
        """What can be assigned."""
        self.today = today
        """The first day a due date may be."""
        self.start = start
        """The values to start with."""
        self.error = error
        """Why the last try was refused."""

    def compose(self) -> ComposeResult:
        start = self.start
        yield TooSmall()
        with Vertical(classes="dialog", id="counselor-assign"):
            yield Static(f"Assign to {self.student_name}", classes="title", markup=False)
            yield plain("Module:")
            yield Select([(Content(t), m) for m, t in self.modules], prompt="Pick a module",
                         id="counselor-module",
                         value=start.module_id if start else Select.NULL)
            with Horizontal(id="counselor-when"):
                with Vertical():
                    yield plain("Part:")
                    yield Select(PARTS, allow_blank=False, id="counselor-part",
                                 value=start.part if start else "lesson")
                with Vertical():
                    yield plain("Due date (optional):")
                    yield Input(start.due.date().isoformat() if start and start.due else "",
                                placeholder="YYYY-MM-DD", id="counselor-due", max_length=10)
            yield plain("Private note (the student never sees it):")
            yield TextArea(start.note if start else "", id="counselor-note",
                           placeholder="Why, and what to look out for")
            shared = start.shared if start else False
            yield Checkbox(_share_label(shared), shared, id="counselor-share", compact=True)
            yield Static(self.error, id="counselor-error", classes="error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Assign", id="ok", variant="primary")
                yield Button("Cancel", id="cancel")
        yield Footer()

    def on_mount(self) -> None:
        target = "#counselor-module" if self.start is None else "#ok"
        self.query_one(target).focus()

    @on(Checkbox.Changed, "#counselor-share")
    def _shared(self, event: Checkbox.Changed) -> None:
        event.checkbox.label = _share_label(event.value)

    def refuse(self, message: str, widget: Widget) -> None:
        """Shows why the form cannot be sent and puts the focus where the fix is."""
        self.query_one("#counselor-error", Static).update(message)
        widget.focus()

    @on(Input.Submitted, "#counselor-due")
    @on(Button.Pressed, "#ok")
    def ok(self) -> None:
        module = self.query_one("#counselor-module", Select)
        if module.selection is None:
            self.refuse("Pick a module.", module)
            return
        due_box = self.query_one("#counselor-due", Input)
        try:
            due = parse_due(due_box.value)
        except ValueError:
            self.refuse(f"Type the due date as YYYY-MM-DD (e.g. {self.today.isoformat()}), "
                        "or leave it empty.", due_box)
            return
        if due is not None and due.date() < self.today:
            self.refuse(f"{due.date():%a %d %b %Y} has passed. Pick today or a later day.",
                        due_box)
            return
        note_box = self.query_one("#counselor-note", TextArea)
        note = note_box.text.strip()
        if len(note) > NOTE_LIMIT:
            self.refuse(f"A note can be at most {NOTE_LIMIT} characters; this one has "
                        f"{len(note)}.", note_box)
            return
        module_id = str(module.selection)
        self.dismiss(AssignRequest(
            module_id, dict(self.modules).get(module_id, module_id),
            str(self.query_one("#counselor-part", Select).selection or "lesson"), due, note,
            self.query_one("#counselor-share", Checkbox).value))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


def _share_label(shared: bool) -> str:
    """The checkbox's label, with its state in words (the box alone shows it by colour)."""
    return ("Share the note with the class teacher: yes, they can read it" if shared else
            "Share the note with the class teacher: no, counselors only")
