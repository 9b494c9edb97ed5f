"""Provides the first-run screen: create the first teacher account, then sign in."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Center, Middle, Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Static
from textual.worker import Worker

from citizen import auth
from citizen.staffroom import StaffView
from citizen.ui.teacher.common import ResizeAware, auth_result, start_auth
from citizen.ui.widgets import TooSmall, plain


class SetUpScreen(ResizeAware, Screen[None]):
    """Asks for the teacher's name and a passphrase (twice) when no staff account exists."""

    def compose(self) -> ComposeResult:
        yield TooSmall()
        yield Static("citizen · teacher mode · first-time set-up", classes="title")
        with Middle():
            with Center():
                with Vertical(id="setup-box", classes="form"):
                    yield plain("No teacher account yet. Create yours:")
                    yield Input(placeholder="Your name, e.g. Ms. Rivera", id="name",
                                max_length=40)
                    yield Input(placeholder=f"Passphrase (at least {auth.MIN_LENGTH} "
                                "characters)", password=True, id="pass1")
                    yield Input(placeholder="The same passphrase again", password=True,
                                id="pass2")
                    yield Static("", id="setup-error", classes="error", markup=False)
                    yield Button("Create account and sign in", id="create", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#name", Input).focus()

    @on(Input.Submitted, "#name")
    def _to_first(self) -> None:
        self.query_one("#pass1", Input).focus()

    @on(Input.Submitted, "#pass1")
    def _to_second(self) -> None:
        self.query_one("#pass2", Input).focus()

    @on(Input.Submitted, "#pass2")
    @on(Button.Pressed, "#create")
    def create(self) -> None:
        name = self.query_one("#name", Input).value
        first = self.query_one("#pass1", Input).value
        second = self.query_one("#pass2", Input).value
        if first != second:
            self.show_error("The two passphrases differ. Type them again.")
            self._clear_passphrases()
            return
        staffroom = self.app.staffroom  # type: ignore[attr-defined]

        def call() -> StaffView:
            staffroom.add_staff(name, "teacher", first)
            return staffroom.sign_in(name, first)

        self.query_one("#create", Button).disabled = True
        self.show_error("Creating your account…", error=False)
        start_auth(self, call)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        result = auth_result(event)
        if result is None:
            return
        self.query_one("#create", Button).disabled = False
        if isinstance(result, str):
            self.show_error(result)
            self._clear_passphrases()
            return
        self.app.signed_in(result)  # type: ignore[attr-defined]

    def show_error(self, text: str, error: bool = True) -> None:
        """Shows why the account was not created (or that it is being created)."""
        box = self.query_one("#setup-error", Static)
        box.set_classes("error" if error else "hint")
        box.update(text)

    def _clear_passphrases(self) -> None:
        self.query_one("#pass1", Input).value = ""
        self.query_one("#pass2", Input).value = ""
        self.query_one("#pass1", Input).focus()
