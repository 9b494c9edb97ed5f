"""Provides the small roster dialogs: a student's name (and code), and a yes/no question."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Static

from citizen.ui.teacher.common import ResizeAware
from citizen.ui.widgets import TooSmall, plain


class StudentDialog(ResizeAware, ModalScreen[tuple[str, str] | None]):
    """Asks for a display name (and, when adding, an optional student code).

    Dismisses (name, code) as typed, or None. The caller checks them with the facade and
    opens the dialog again with `error` if they are refused.
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, name: str = "", code: str = "", error: str = "",
                 ask_code: bool = True) -> None:
        super().__init__()
        self.heading = title
        """The dialog's title."""
        self.name_value = name
        """The name to start with."""
        self.code_value = code
        """The code to start with."""
        self.error = error
        """Why the last try was refused."""
        self.ask_code = ask_code
        """Whether to ask for a student code."""

    def compose(self) -> ComposeResult:
        yield TooSmall()
        with Vertical(classes="dialog"):
            yield Static(self.heading, classes="title", markup=False)
            yield plain("Display name (first name and last initial, no email):")
            yield Input(self.name_value, id="student-name", max_length=40)
            if self.ask_code:
                yield plain("Student code (optional, from your school system):")
                yield Input(self.code_value, id="student-code", max_length=64)
            yield Static(self.error, id="student-error", classes="error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("OK", id="ok", variant="primary")
                yield Button("Cancel", id="cancel")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#student-name", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def ok(self) -> None:
        name = self.query_one("#student-name", Input).value
        code = self.query_one("#student-code", Input).value if self.ask_code else ""
        if not name.strip():
            self.query_one("#student-error", Static).update("Type a name.")
            return
        self.dismiss((name, code))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmDialog(ResizeAware, ModalScreen[bool]):
    """A yes/no question; Cancel has the focus, so Enter alone never deletes anything."""

    BINDINGS = [Binding("escape", "no", "Cancel")]

    def __init__(self, title: str, question: str, yes: str) -> None:
        super().__init__()
        self.heading = title
        """The dialog's title."""
        self.question = question
        """What is asked, in full."""
        self.yes = yes
        """The label of the button that does it."""

    def compose(self) -> ComposeResult:
        yield TooSmall()
        with Vertical(classes="dialog"):
            yield Static(self.heading, classes="title", markup=False)
            yield Static(self.question, id="confirm-question", classes="body", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(self.yes, id="yes", variant="error")
                yield Button("Cancel", id="no")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    @on(Button.Pressed, "#yes")
    def _yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#no")
    def action_no(self) -> None:
        self.dismiss(False)
