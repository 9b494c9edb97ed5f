"""Provides the teacher app and `build_teacher_app`, the one factory the CLI and tests call."""

from __future__ import annotations

from datetime import timedelta

from textual import events
from textual.app import App
from textual.screen import Screen

from citizen.ui.lockdown import APP_BINDINGS, LockedDown

from citizen import auth
from citizen.staffroom import Staffroom, StaffView

IDLE_CHECK_SECONDS = 5.0
"""How often the idle lock is checked."""


class TeacherApp(LockedDown, App[None]):
    """Teacher mode: sign in with a passphrase, then classes, rosters, results and exports.

    Like the student app, it has no command palette, no system commands (no screenshots) and
    no screen-switching actions, so only its own flow opens screens. It locks itself after
    `idle_lock` without a key press or click, measured on the facade's clock.
    """

    CSS_PATH = "teacher.tcss"
    TITLE = "citizen · teacher"
    BINDINGS = APP_BINDINGS

    def __init__(self, staffroom: Staffroom, idle_lock: timedelta = auth.IDLE_LOCK) -> None:
        """Builds the app.

        Args:
            staffroom: the facade every screen calls.
            idle_lock: how long without a key press or click before the app locks.
        """
        super().__init__()
        self.staffroom = staffroom
        """The staff facade."""
        self.idle_lock = idle_lock
        """Idle time that locks the app."""
        self.staff: StaffView | None = None
        """Who is signed in, if anyone."""
        self.locked = False
        """Whether the lock screen is up."""
        self.last_activity = staffroom.classroom.clock()
        """When the last key press or click came (facade clock)."""

    def get_default_screen(self) -> Screen:
        from citizen.ui.teacher.setup import SetUpScreen
        from citizen.ui.teacher.signin import StaffSignInScreen

        return StaffSignInScreen() if self.staffroom.has_staff() else SetUpScreen()

    def on_mount(self) -> None:
        self.set_interval(IDLE_CHECK_SECONDS, self.check_idle_lock)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown)):
            self.touch()
        await super().on_event(event)

    # -- idle lock

    def touch(self) -> None:
        """Records activity now (a key press or click)."""
        self.last_activity = self.staffroom.classroom.clock()

    def check_idle_lock(self) -> bool:
        """Locks the app if a signed-in staff member has been idle too long.

        Returns:
            Whether the app is locked now.
        """
        if self.staff is None or self.locked:
            return self.locked
        if self.staffroom.classroom.clock() - self.last_activity >= self.idle_lock:
            self.lock()
        return self.locked

    def lock(self) -> None:
        """Covers whatever is on screen with the lock screen; unlocking returns right there."""
        from citizen.ui.teacher.lock import LockScreen

        if self.staff is None or self.locked:
            return
        self.locked = True
        self.push_screen(LockScreen(self.staff), callback=self._unlocked)

    def _unlocked(self, unlocked: bool | None) -> None:
        self.locked = False
        self.touch()
        if not unlocked:
            self.sign_out()

    # -- navigation (screens call these)

    def signed_in(self, staff: StaffView) -> None:
        """Opens the classes of a staff member who has just signed in."""
        from citizen.ui.teacher.classes import ClassesScreen

        self.staff = staff
        self.touch()
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(ClassesScreen())
        warning = self.staffroom.classroom.settings_warning
        if warning:  # staff only: a child is never shown a settings file's problems
            self.notify(warning, title="District settings not used", severity="warning",
                        timeout=30, markup=False)

    def sign_out(self) -> None:
        """Forgets who is signed in and returns to the sign-in screen."""
        from citizen.ui.teacher.signin import StaffSignInScreen

        self.staff = None
        while len(self.screen_stack) > 1:
            self.pop_screen()
        if not isinstance(self.screen_stack[0], StaffSignInScreen):
            self.push_screen(StaffSignInScreen())  # first run: the set-up screen is below


def build_teacher_app(staffroom: Staffroom, idle_lock: timedelta = auth.IDLE_LOCK) -> TeacherApp:
    """Builds the teacher app from its services (the CLI and the tests both call this).

    Args:
        staffroom: the staff facade.
        idle_lock: idle time before the app locks (15 minutes).

    Returns:
        The app, not yet running.
    """
    return TeacherApp(staffroom, idle_lock=idle_lock)


__all__ = ["TeacherApp", "build_teacher_app"]
