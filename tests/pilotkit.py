"""Provides the Pilot helpers the UI tests share: read a widget's text, wait on a fact."""

from __future__ import annotations

from textual.widgets import Static


def text_of(app, selector: str) -> str:
    """The rendered text of a Static on the current screen."""
    return str(app.screen.query_one(selector, Static).render())


async def wait_for(pilot, predicate, tries: int = 300) -> None:
    """Waits on a fact, never a fixed sleep (up to about 3 s of polling)."""
    for _ in range(tries):
        if predicate():
            return
        await pilot.pause(0.01)
    raise AssertionError("condition never became true")
