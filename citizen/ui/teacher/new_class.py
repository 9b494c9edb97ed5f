"""Provides the new-class dialog: a name and grades in, the new join code out."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Select, Static

from citizen.classroom import ClassroomError, ClassView, format_code
from citizen.model import BANDS
from citizen.ui.teacher.common import BAND_LABELS, ResizeAware, sentence
from citizen.ui.widgets import TooSmall, plain


class NewClassDialog(ResizeAware, ModalScreen[ClassView | None]):
    """Creates a class for the signed-in teacher and shows its join code.

    Dismisses the new class, or None if nothing was created.
    """

    BINDINGS = [Binding("escape", "close", "Close")]

    def __init__(self) -> None:
        super().__init__()
        self.created: ClassView | None = None
        """The class made here, once it exists."""

    def compose(self) -> ComposeResult:
        yield TooSmall()
        with Vertical(classes="dialog"):
            yield Static("New class", classes="title")
            yield plain("Name (students see it):")
            yield Input(placeholder="e.g. Room 5", id="class-name", max_length=40)
            yield plain("Grades:")
            yield Select([(label, band) for band, label in BAND_LABELS.items()
                          if band in BANDS], prompt="Pick the grades", id="class-band")
            yield Static("", id="new-class-result", classes="error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Create", id="create", variant="primary")
                yield Button("Cancel", id="cancel")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#class-name", Input).focus()

    @on(Input.Submitted, "#class-name")
    def _to_band(self) -> None:
        self.query_one("#class-band", Select).focus()

    @on(Select.Changed, "#class-band")
    def _to_create(self) -> None:
        if self.query_one("#class-band", Select).selection:
            self.query_one("#create", Button).focus()

    @on(Button.Pressed, "#create")
    def create(self) -> None:
        if self.created is not None:
            self.dismiss(self.created)
            return
        name = self.query_one("#class-name", Input).value
        band = self.query_one("#class-band", Select).selection
        staffroom, staff = self.app.staffroom, self.app.staff  # type: ignore[attr-defined]
        result = self.query_one("#new-class-result", Static)
        if band is None:
            result.update("Pick the grades.")
            return
        try:
            cls = staffroom.create_class(name, str(band), staff)
        except ClassroomError as exc:
            result.update(sentence(str(exc)))
            return
        self.created = cls
        result.set_classes("notice")
        result.update(f"Created {cls.name}.\nJoin code: {format_code(cls.join_code)}  "
                      "(students type it to join)")
        self.query_one("#class-name", Input).disabled = True
        self.query_one("#class-band", Select).disabled = True
        self.query_one("#create", Button).label = "Done"
        self.query_one("#cancel", Button).display = False
        self.query_one("#create", Button).focus()

    @on(Button.Pressed, "#cancel")
    def action_close(self) -> None:
        self.dismiss(self.created)
