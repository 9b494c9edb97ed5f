"""Provides what the teacher screens share: labels, text helpers and the passphrase worker.

Checking a passphrase runs scrypt at OWASP cost (about a second), so it runs in a thread and
the screen shows "Checking…" meanwhile. The thread only calls the facade; its result comes
back to the screen as a `Worker.StateChanged` message.
"""

from __future__ import annotations

from typing import Callable

from textual import events
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable
from textual.worker import Worker, WorkerState

from citizen.classroom import ClassroomError, StoreError
from citizen.staffroom import StaffView
from citizen.ui.screens.signin import BAND_LABELS

AUTH_GROUP = "auth"
"""Worker group of passphrase checks (one at a time per screen)."""

__all__ = ["BAND_LABELS", "AUTH_GROUP", "start_auth", "auth_result", "truncate",
           "plural", "sentence", "OpenTable", "ResizeAware"]


def start_auth(screen: Screen, call: Callable[[], StaffView]) -> None:
    """Runs a sign-in call in a thread; the screen gets the result via `auth_result`.

    Args:
        screen: the screen that waits (its workers are cancelled if it goes away).
        call: calls the facade and returns the signed-in staff member, or raises.
    """
    def work() -> StaffView | str:
        try:
            return call()
        except (ClassroomError, StoreError) as exc:
            return str(exc)

    screen.run_worker(work, thread=True, exclusive=True, group=AUTH_GROUP, name="auth")


def auth_result(event: Worker.StateChanged) -> StaffView | str | None:
    """The outcome of a finished passphrase check: the staff member, a refusal, or None.

    None means the event is about something else (or the check has not finished yet).
    """
    if event.worker.group != AUTH_GROUP or event.state != WorkerState.SUCCESS:
        return None
    return event.worker.result


def truncate(text: str, width: int) -> str:
    """Shortens text to `width` characters, ending in `…` when cut."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[:max(width - 1, 0)].rstrip() + "…"


def sentence(text: str) -> str:
    """A facade message as a sentence: first letter upper case (the rest untouched)."""
    return text[:1].upper() + text[1:]


def plural(n: int, word: str) -> str:
    """`1 student`, `2 students`."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


class OpenTable(DataTable):
    """A row-cursor table whose Enter is shown in the Footer as "Open"."""

    BINDINGS = [Binding("enter", "select_cursor", "Open")]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)


class ResizeAware:
    """Mixin for screens: re-check the too-small breakpoints when back on top of the stack.

    Textual only updates breakpoint classes of the top screen on resize, so a screen that
    was under a dialog while the window changed size would otherwise keep stale classes.
    (Textual calls `on_screen_resume` of every class in the MRO, so subclasses that handle
    it too must not call super().)
    """

    def on_screen_resume(self) -> None:
        size = self.app.size  # type: ignore[attr-defined]
        self.post_message(events.Resize(size, size))  # type: ignore[attr-defined]
