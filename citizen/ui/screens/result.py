"""Provides the result screen: score, mastery, a review of each question, what to do next."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from citizen.classroom import ResultView
from citizen.ui.widgets import TooSmall


def review_lines(result: ResultView) -> str:
    """Returns the per-question review as plain text."""
    out = []
    for item in result.items:
        answer = result.answers.get(item.position)
        by_id = {c.id: c for c in item.question.choices}
        mark = "✔ right" if answer and answer.correct else "✘ wrong"
        out.append(f"{item.position + 1}. {mark}: {item.question.prompt}")
        if answer:
            out.append("   You chose: " + "; ".join(by_id[c].text for c in answer.chosen
                                                    if c in by_id))
        if not (answer and answer.correct):
            out.append("   Right answer: " + "; ".join(c.text for c in item.choices if c.correct))
    return "\n".join(out)


class ResultScreen(Screen[None]):
    """The end of a quiz."""

    BINDINGS = [
        Binding("enter,escape", "home", "Home"),
    ]

    def __init__(self, result: ResultView) -> None:
        super().__init__()
        self.result = result

    def compose(self) -> ComposeResult:
        r = self.result
        s = r.score
        badge = "✔ Mastered!" if s.mastered else "✘ Not yet mastered"
        yield TooSmall()
        yield Static(f"{r.title} · your result", classes="title", markup=False)
        yield Static(f"{s.right} of {s.total} right ({s.percent}%) · {badge} "
                     f"(mastery is {round(100 * s.mastery)}%)", id="result-summary",
                     markup=False)
        yield Static(r.next_step, classes="notice", markup=False)
        with VerticalScroll(id="result-review"):
            yield Static(review_lines(r), markup=False)
        yield Static("Press Enter to go home.", classes="hint", markup=False)
        yield Footer()

    def action_home(self) -> None:
        self.app.pop_screen()
