"""Provides the staff sign-in screen: pick your name, type your passphrase."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Center, Middle, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Select, Static
from textual.worker import Worker

from citizen.staffroom import StaffView
from citizen.ui.teacher.common import ResizeAware, auth_result, start_auth
from citizen.ui.widgets import TooSmall, plain


class StaffSignInScreen(ResizeAware, Screen[None]):
    """Sign-in for teachers. Every refusal shows the facade's one message (or its wait)."""

    def compose(self) -> ComposeResult:
        names = self.app.staffroom.staff_names()  # type: ignore[attr-defined]
        yield TooSmall()
        yield Static("citizen · staff sign in (teachers and counselors)", classes="title")
        with Middle():
            with Center():
                with Vertical(id="signin-box", classes="form"):
                    yield plain("Your name:")
                    yield Select([(Content(n), n) for n in names], allow_blank=len(names) != 1,
                                 prompt="Pick your name", id="who")
                    yield plain("Your passphrase:")
                    yield Input(password=True, id="passphrase", placeholder="Passphrase")
                    yield Static("", id="signin-error", classes="error", markup=False)
                    yield Button("Sign in", id="sign-in", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        who = self.query_one("#who", Select)
        (self.query_one("#passphrase", Input) if who.selection else who).focus()

    @on(Select.Changed, "#who")
    def _picked(self) -> None:
        if self.query_one("#who", Select).selection:
            self.query_one("#passphrase", Input).focus()

    @on(Input.Submitted, "#passphrase")
    @on(Button.Pressed, "#sign-in")
    def sign_in(self) -> None:
        name = self.query_one("#who", Select).selection
        box = self.query_one("#passphrase", Input)
        if not name:
            self.show_error("Pick your name first.")
            return
        passphrase = box.value
        box.value = ""
        staffroom = self.app.staffroom  # type: ignore[attr-defined]
        self.query_one("#sign-in", Button).disabled = True
        self.show_error("Checking…", error=False)
        start_auth(self, lambda: staffroom.sign_in(name, passphrase))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        result = auth_result(event)
        if result is None:
            return
        self.query_one("#sign-in", Button).disabled = False
        if isinstance(result, StaffView):
            self.show_error("")
            self.app.signed_in(result)  # type: ignore[attr-defined]
            return
        self.show_error(result)
        self.query_one("#passphrase", Input).focus()

    def show_error(self, text: str, error: bool = True) -> None:
        """Shows the facade's refusal (the same for every wrong name or passphrase)."""
        box = self.query_one("#signin-error", Static)
        box.set_classes("error" if error else "hint")
        box.update(text)
