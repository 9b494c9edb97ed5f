"""Provides the lesson screen: a module's short pages, then the way into its quiz."""

from __future__ import annotations

import re

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Markdown, Static

from citizen.classroom import ClassroomError
from citizen.ui.widgets import TooSmall


_LIST_ITEM = re.compile(r"^\s*([-*+]|\d+[.)])\s")


def page_markdown(body: str) -> str:
    """Turns an authored page into Markdown where every line stands on its own.

    Authors write one sentence per line (lessons/README.md); plain Markdown would run those
    lines together and glue a sentence after a list onto its last bullet. Consecutive list
    items stay one list.
    """
    out: list[str] = []
    prev_item = False
    for line in body.strip().splitlines():
        if not line.strip():
            prev_item = False
            continue
        item = bool(_LIST_ITEM.match(line))
        if out:
            out.append("\n" if item and prev_item else "\n\n")
        out.append(line.rstrip())
        prev_item = item
    return "".join(out)


class LessonScreen(Screen[None]):
    """Shows lesson (or review) pages one at a time; the last page leads to the quiz."""

    BINDINGS = [
        Binding("right,n,enter", "next", "Next"),
        Binding("left,p", "previous", "Back a page"),
        Binding("escape", "home", "Home"),
    ]

    def __init__(self, student_id: int, module_id: str, title: str, part: str,
                 pages: list[tuple[str, str]]) -> None:
        super().__init__()
        self.student_id = student_id
        self.module_id = module_id
        self.module_title = title
        self.part = part
        self.pages = pages or [("", "")]
        self.index = 0

    def compose(self) -> ComposeResult:
        yield TooSmall()
        yield Static("", id="lesson-title", classes="title", markup=False)
        with VerticalScroll(id="page"):
            yield Markdown("", id="page-body", open_links=False)
        yield Static("", id="lesson-hint", classes="hint", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.show_page()

    def show_page(self) -> None:
        """Draws the current page in place."""
        title, body = self.pages[self.index]
        label = "Review" if self.part == "review" else "Lesson"
        self.query_one("#lesson-title", Static).update(
            f"{self.module_title} · {label} page {self.index + 1} of {len(self.pages)}")
        text = page_markdown(body)
        self.query_one("#page-body", Markdown).update(f"## {title}\n\n{text}" if title else text)
        last = self.index == len(self.pages) - 1
        self.query_one("#lesson-hint", Static).update(
            "Press Enter to start the quiz." if last else "Press Enter or → for the next page.")
        self.query_one("#page", VerticalScroll).scroll_home(animate=False)

    def action_next(self) -> None:
        if self.index < len(self.pages) - 1:
            self.index += 1
            self.show_page()
            return
        from citizen.ui.screens.quiz import QuizScreen

        try:
            quiz = self.app.classroom.begin(  # type: ignore[attr-defined]
                self.student_id, self.module_id, self.part)
        except ClassroomError as exc:
            self.notify(str(exc), severity="error")
            return
        self.app.switch_screen(QuizScreen(self.student_id, quiz))

    def action_previous(self) -> None:
        if self.index > 0:
            self.index -= 1
            self.show_page()

    def action_home(self) -> None:
        self.app.pop_screen()
