"""Provides the lock screen shown after 15 minutes idle: the same passphrase unlocks it."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Middle, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static
from textual.worker import Worker

from citizen.staffroom import StaffView
from citizen.ui.teacher.common import ResizeAware, auth_result, plural, start_auth
from citizen.ui.widgets import TooSmall


class LockScreen(ResizeAware, ModalScreen[bool]):
    """Hides everything until the signed-in staff member types their passphrase again.

    Dismisses True when unlocked (the screen underneath is exactly as it was), or False
    when they choose to sign out instead.
    """

    BINDINGS = [
        Binding("escape", "nothing", show=False),
    ]

    def __init__(self, staff: StaffView) -> None:
        super().__init__()
        self.staff = staff
        """Who must unlock."""

    def compose(self) -> ComposeResult:
        seconds = round(self.app.idle_lock.total_seconds())  # type: ignore[attr-defined]
        idle = plural(seconds // 60, "minute") if seconds >= 60 else plural(seconds, "second")
        yield TooSmall()
        yield Static("citizen · teacher mode · locked", classes="title")
        with Middle():
            with Center():
                with Vertical(id="lock-box", classes="form"):
                    yield Static(f"Locked after {idle} without use. {self.staff.name}, "
                                 "type your passphrase to carry on where you were.",
                                 id="lock-who", markup=False)
                    yield Input(password=True, id="passphrase", placeholder="Passphrase")
                    yield Static("", id="lock-error", classes="error", markup=False)
                    yield Button("Unlock", id="unlock", variant="primary")
                    yield Button("Sign out", id="sign-out")

    def on_mount(self) -> None:
        self.query_one("#passphrase", Input).focus()

    def action_nothing(self) -> None:
        """Escape does not close the lock."""

    @on(Input.Submitted, "#passphrase")
    @on(Button.Pressed, "#unlock")
    def unlock(self) -> None:
        box = self.query_one("#passphrase", Input)
        passphrase, box.value = box.value, ""
        staffroom = self.app.staffroom  # type: ignore[attr-defined]
        name = self.staff.name
        self.query_one("#unlock", Button).disabled = True
        status = self.query_one("#lock-error", Static)
        status.set_classes("hint")
        status.update("Checking…")
        start_auth(self, lambda: staffroom.sign_in(name, passphrase))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        result = auth_result(event)
        if result is None:
            return
        self.query_one("#unlock", Button).disabled = False
        if isinstance(result, StaffView) and result.id == self.staff.id:
            self.dismiss(True)
            return
        status = self.query_one("#lock-error", Static)
        status.set_classes("error")
        status.update(result if isinstance(result, str) else "That is not who locked this screen.")
        self.query_one("#passphrase", Input).focus()

    @on(Button.Pressed, "#sign-out")
    def sign_out(self) -> None:
        self.dismiss(False)
