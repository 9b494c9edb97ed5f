"""Provides the quiz screen: one question at a time, feedback after each saved answer."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, OptionList, ProgressBar, SelectionList, Static
from textual.widgets.option_list import Option
from textual.widgets.selection_list import Selection

from citizen.classroom import ClassroomError, Feedback, QuizItem, QuizView
from citizen.ui.widgets import TooSmall


class PickAll(SelectionList[str]):
    """A select-all list: Space or a click toggles, Enter checks the answer.

    While `locked` (the answer is saved and its feedback shown), ticks cannot change.
    """

    BINDINGS = [
        Binding("enter", "submit", "Check / next", show=True),
        Binding("space", "select", "Tick", show=True),
    ]

    locked = False
    """Set by the quiz screen once the answer is saved."""

    class Submitted(Message):
        """Posted when the student presses Enter; handled by `on_pick_all_submitted`."""

    def action_submit(self) -> None:
        self.post_message(self.Submitted())

    def action_select(self) -> None:
        if not self.locked:
            super().action_select()

    def _on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        # A click or Enter on an option toggles it, unless the answer is already saved.
        if self.locked:
            event.stop()
            return
        super()._on_option_list_option_selected(event)


def feedback_text(fb: Feedback) -> tuple[str, str]:
    """Returns the verdict line and the explanation for a saved answer."""
    verdict = "✔ Right!" if fb.correct else "✘ Not quite."
    lines = []
    for c in fb.chosen:
        lines.append(f"You chose: {c.text}\n  {c.feedback}")
    if not fb.correct:
        for c in fb.right:
            lines.append(f"The right answer: {c.text}\n  {c.feedback}")
    lines.append("Policy: " + "; ".join(fb.cites))
    return verdict, "\n".join(lines)


class QuizScreen(Screen[None]):
    """Asks the questions of one attempt; every answer is saved before its feedback shows."""

    BINDINGS = [
        Binding("1", "pick(1)", "Answer", key_display="1-9"),
        *[Binding(str(n), f"pick({n})", show=False) for n in range(2, 10)],
        Binding("enter", "next", "Next", show=False),
        Binding("escape", "home", "Home (saved)"),
    ]

    def __init__(self, student_id: int, quiz: QuizView) -> None:
        super().__init__()
        self.student_id = student_id
        self.quiz = quiz
        self.position = quiz.next_position if quiz.next_position is not None else 0
        self.feedback: Feedback | None = None

    def compose(self) -> ComposeResult:
        yield TooSmall()
        yield Static("", id="quiz-title", classes="title", markup=False)
        with Horizontal(id="quiz-progress"):
            yield Static("", id="quiz-count", markup=False)
            yield ProgressBar(total=len(self.quiz.items), show_eta=False,
                              show_percentage=False, id="bar")
        with VerticalScroll(id="question"):
            yield Static("", id="scenario", markup=False)
            yield Static("", id="prompt", markup=False)
            yield OptionList(id="choices")
            yield PickAll(id="choices-all")
            yield Static("", id="save-error", classes="error", markup=False)
            with VerticalScroll(id="feedback"):
                yield Static("", id="verdict", markup=False)
                yield Static("", id="explanation", markup=False)
        yield Static("", id="quiz-hint", classes="hint", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        if self.quiz.notice:
            self.notify(self.quiz.notice, timeout=8)
        if self.quiz.next_position is None:
            self.call_after_refresh(self.show_result)
            return
        self.show_question()

    @property
    def item(self) -> QuizItem:
        """The question on screen."""
        return self.quiz.items[self.position]

    def show_question(self) -> None:
        """Draws the current question in place (no new widgets per question)."""
        item = self.item
        q = item.question
        total = len(self.quiz.items)
        label = {"review": "Review", "check": "Quick check"}.get(self.quiz.part, "Quiz")
        self.query_one("#quiz-title", Static).update(f"{self.quiz.title} · {label}")
        self.query_one("#quiz-count", Static).update(f"Question {self.position + 1} of {total} ")
        self.query_one("#bar", ProgressBar).update(progress=self.position)
        scenario = self.query_one("#scenario", Static)
        scenario.update(q.scenario)
        scenario.display = bool(q.scenario)
        extra = " (pick every right answer)" if q.kind == "select_all" else ""
        self.query_one("#prompt", Static).update(q.prompt + extra)
        single = self.query_one("#choices", OptionList)
        many = self.query_one("#choices-all", PickAll)
        numbered = [Content(f"{n}. {c.text}") for n, c in enumerate(item.choices, 1)]
        if q.kind == "select_all":
            single.display = False
            many.display = True
            many.locked = False
            many.remove_class("-locked")
            many.clear_options()
            many.add_options([Selection(t, c.id) for t, c in zip(numbered, item.choices)])
            many.highlighted = 0
            many.focus()
            hint = "Space or a number ticks an answer. Enter checks your answer."
        else:
            many.display = False
            single.display = True
            single.remove_class("-locked")
            single.clear_options()
            single.add_options([Option(t, id=c.id) for t, c in zip(numbered, item.choices)])
            single.highlighted = 0
            single.focus()
            hint = "Press a number, or use the arrows and Enter."
        self.feedback = None
        self.query_one("#save-error", Static).update("")
        self.query_one("#feedback").remove_class("-shown", "-right", "-wrong")
        self.query_one("#quiz-hint", Static).update(hint)

    # -- answering

    def submit(self, chosen: list[str]) -> None:
        """Saves the answer (durably) and only then shows its feedback."""
        if self.feedback is not None:
            return
        if not chosen:
            self.query_one("#save-error", Static).update("Tick at least one answer first.")
            return
        try:
            fb = self.app.classroom.answer(  # type: ignore[attr-defined]
                self.quiz.attempt_id, self.position, chosen, student_id=self.student_id)
        except ClassroomError as exc:
            self.query_one("#save-error", Static).update(str(exc))
            return
        self.feedback = fb
        answers = dict(self.quiz.answers)
        answers[self.position] = fb.answer
        self.quiz = QuizView(self.quiz.attempt_id, self.quiz.module_id, self.quiz.title,
                             self.quiz.part, self.quiz.items, answers, "")
        self.show_feedback(fb)

    def show_feedback(self, fb: Feedback) -> None:
        """Draws the verdict, the why, and the clause, then waits for Enter."""
        verdict, explanation = feedback_text(fb)
        self.query_one("#verdict", Static).update(verdict)
        self.query_one("#explanation", Static).update(explanation)
        box = self.query_one("#feedback")
        box.add_class("-shown", "-right" if fb.correct else "-wrong")
        self.query_one("#save-error", Static).update("")
        self.query_one("#bar", ProgressBar).update(progress=self.position + 1)
        # Keep focus where it is: moving it (or disabling the list) changes the active key
        # bindings, and the Footer then rebuilds itself, which was most of an answer's cost.
        self.query_one("#choices", OptionList).add_class("-locked")
        many = self.query_one("#choices-all", PickAll)
        many.locked = True
        many.add_class("-locked")
        last = self.quiz.next_position is None
        self.query_one("#quiz-hint", Static).update(
            "Your answer is saved. Press Enter to see your result." if last else
            "Your answer is saved. Press Enter for the next question.")
        box.scroll_visible(animate=False)

    @on(OptionList.OptionSelected, "#choices")
    def chose_one(self, event: OptionList.OptionSelected) -> None:
        if self.feedback is not None:
            self.advance()  # Enter on the list after the answer: next question
            return
        self.submit([event.option.id or ""])

    @on(PickAll.Submitted)
    def chose_all(self) -> None:
        if self.feedback is not None:
            self.advance()
            return
        self.submit(list(self.query_one("#choices-all", PickAll).selected))

    def action_pick(self, n: int) -> None:
        if self.feedback is not None or n > len(self.item.choices):
            return
        choice = self.item.choices[n - 1]
        if self.item.question.kind == "select_all":
            # number keys tick; the list keeps focus
            many = self.query_one("#choices-all", PickAll)
            many.toggle(choice.id)
            many.highlighted = n - 1
        else:
            self.query_one("#choices", OptionList).highlighted = n - 1
            self.submit([choice.id])

    def action_next(self) -> None:
        if self.feedback is not None:
            self.advance()

    def advance(self) -> None:
        """Moves to the next unanswered question, or to the result."""
        nxt = self.quiz.next_position
        if nxt is None:
            self.show_result()
            return
        self.position = nxt
        self.show_question()

    def show_result(self) -> None:
        from citizen.ui.screens.result import ResultScreen

        try:
            result = self.app.classroom.finish(self.quiz.attempt_id)  # type: ignore[attr-defined]
        except ClassroomError as exc:
            self.notify(str(exc), severity="error")
            return
        self.app.switch_screen(ResultScreen(result))

    def action_home(self) -> None:
        self.app.pop_screen()
