"""Provides small reusable widgets of the student app."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Center, Middle
from textual.widgets import Static


class TooSmall(Middle):
    """Shown instead of a screen's content when the window is smaller than about 40x12."""

    DEFAULT_CSS = """
    TooSmall { display: none; width: 100%; height: 100%; }
    TooSmall Static { width: auto; text-align: center; }
    """

    def compose(self) -> ComposeResult:
        with Center():
            yield Static("Please make the window bigger.", markup=False)


def plain(text: str) -> Static:
    """A Static that shows text exactly as written (no markup, so no injected actions)."""
    return Static(text, markup=False)
