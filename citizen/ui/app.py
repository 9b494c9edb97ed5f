"""Provides the student app and `build_app`, the one factory the CLI and the tests call."""

from __future__ import annotations

import os

from textual.app import App
from textual.screen import Screen

from citizen.ui.lockdown import APP_BINDINGS, LockedDown

from citizen.classroom import Classroom, ClassroomError


class CitizenApp(LockedDown, App[None]):
    """The student app: sign in, read lessons, take quizzes, see results.

    Nothing reachable from here opens teacher or counselor views: the command palette is off,
    there are no system commands (no screenshots), and screen-switching actions are disabled,
    so no key, link or markup can reach another screen.
    """

    CSS_PATH = "citizen.tcss"
    TITLE = "citizen"
    BINDINGS = APP_BINDINGS

    def __init__(self, classroom: Classroom, demo_code: str = "") -> None:
        """Builds the app.

        Args:
            classroom: the facade every screen calls.
            demo_code: a join code to show as a hint on the sign-in screen (`citizen demo`).
        """
        super().__init__()
        self.classroom = classroom
        """The facade over lessons, rules and storage."""
        self.demo_code = demo_code
        """Join code of the demo class, shown on sign-in."""
        self.student_id: int | None = None
        """Who is signed in, if anyone."""

    def get_default_screen(self) -> Screen:
        from citizen.ui.screens.signin import SignInScreen

        return SignInScreen()

    def on_mount(self) -> None:
        # Parse lessons in a thread once the first frame is out, so start-up stays light. A
        # served tab skips this: when a whole class opens the page at once, thirty processes
        # parsing lessons would slow every tab's first frame; the home screen loads them.
        if not os.environ.get("TEXTUAL_DRIVER", "").endswith("WebDriver"):
            self.call_after_refresh(self.set_timer, 0.05, self._start_warm_up)

    def _start_warm_up(self) -> None:
        self.run_worker(self._warm_library, thread=True, exclusive=True, group="library")

    def _warm_library(self) -> None:
        notice = self.classroom.lesson_notice()
        if notice:
            self.call_from_thread(self.notify, notice, title="Some lessons are missing",
                                  severity="warning", timeout=10)

    # -- navigation (screens call these; they never build each other's data)

    def sign_in(self, student_id: int) -> None:
        """Opens a student's home screen, and resumes an unfinished quiz straight away."""
        from citizen.ui.screens.home import HomeScreen
        from citizen.ui.screens.quiz import QuizScreen

        self.student_id = student_id
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(HomeScreen(student_id))
        try:
            quiz = self.classroom.open_quiz(student_id)
        except ClassroomError as exc:
            self.notify(str(exc), severity="error")
            return
        if quiz is not None:
            self.push_screen(QuizScreen(student_id, quiz))

    def sign_out(self) -> None:
        """Returns to the sign-in screen."""
        self.student_id = None
        while len(self.screen_stack) > 1:
            self.pop_screen()


def build_app(classroom: Classroom, demo_code: str = "") -> CitizenApp:
    """Builds the student app from its services (the CLI and the tests both call this).

    Args:
        classroom: the facade.
        demo_code: a join code hint for `citizen demo`.

    Returns:
        The app, not yet running.
    """
    return CitizenApp(classroom, demo_code=demo_code)


__all__ = ["CitizenApp", "build_app"]
