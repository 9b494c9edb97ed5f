"""Provides `LockedDown`, the App mixin that keeps both apps inside their own flow.

Ctrl+Q quits (Ctrl+C says how), screens get the too-small breakpoint classes, and: no command
palette, no system commands, no screenshots (they would hold student data), and no
screen- or mode-switching actions, so no key, link or markup can open a screen the app's own
flow did not.
"""

from __future__ import annotations

from typing import Iterable

from textual.app import SystemCommand
from textual.binding import Binding
from textual.screen import Screen


APP_BINDINGS = [
    Binding("ctrl+q", "quit", "Quit", show=True, priority=True),
    Binding("ctrl+c", "help_quit", show=False, system=True),  # says how to quit
]
"""Both apps' own bindings. Each App must assign them as `BINDINGS = APP_BINDINGS`: Textual
merges BINDINGS only from DOM classes along the MRO, so on this mixin they would be ignored."""


class LockedDown:
    """Mix into an App before `App` (e.g. `class CitizenApp(LockedDown, App[None])`)."""

    ENABLE_COMMAND_PALETTE = False
    # Screens get -narrow / -short below about 40x12; the stylesheets then show TooSmall.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (40, "-wide-enough")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (12, "-tall-enough")]

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        return ()

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        """Screenshots are not offered."""

    async def action_push_screen(self, screen: str) -> None:
        """Disabled: screens are opened by the app's own flow only."""

    async def action_switch_screen(self, screen: str) -> None:
        """Disabled: screens are opened by the app's own flow only."""

    async def action_switch_mode(self, mode: str) -> None:
        """Disabled: one mode."""

    def action_command_palette(self) -> None:
        """Disabled."""
