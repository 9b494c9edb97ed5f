"""Provides the home screen: the student's modules, assigned and waiting ones first."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from citizen.classroom import ClassroomError, HomeView, ModuleCard
from citizen.ui.widgets import TooSmall

STATUS = {
    "new": "○ New",
    "in progress": "◐ In progress",
    "done": "● Done, not yet mastered",
    "mastered": "✔ Mastered",
}
"""Status badges: a symbol and a word, never colour alone."""


def card_line(card: ModuleCard) -> Content:
    """Renders one module as two plain-text lines (no markup from content reaches the screen)."""
    parts = [STATUS.get(card.status, card.status)]
    if card.progress:
        parts[0] += f" {card.progress}"
    if card.best_percent is not None:
        parts.append(f"best {card.best_percent}%")
    if card.assigned:
        due = f", due {card.due:%a %d %b}" if card.due else ""
        parts.insert(0, f"★ Assigned to you{due}")
    if card.todo == "review" and not card.progress:
        parts.append("↻ review waiting")
    elif card.todo == "check" and not card.progress:
        parts.append("↻ quick check waiting")
    return Content(f"{card.title}\n   " + " · ".join(parts))


class HomeScreen(Screen[None]):
    """The modules of the student's band, with progress and mastery badges."""

    BINDINGS = [
        Binding("escape", "sign_out", "Sign out"),
    ]

    def __init__(self, student_id: int) -> None:
        super().__init__()
        self.student_id = student_id
        self.cards: tuple[ModuleCard, ...] = ()

    def compose(self) -> ComposeResult:
        yield TooSmall()
        yield Static("", id="home-title", classes="title", markup=False)
        yield Static("", id="home-age", classes="hint", markup=False)
        yield Static("", id="home-assigned", classes="notice", markup=False)
        yield Static("", id="home-notice", classes="notice", markup=False)
        yield OptionList(id="modules")
        yield Static("Arrows to move, Enter to open a module.", classes="hint", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_cards()
        self.query_one("#modules", OptionList).focus()

    def on_screen_resume(self) -> None:
        self.refresh_cards()

    def refresh_cards(self) -> None:
        """Reloads the home view from the classroom and redraws the list in place."""
        classroom = self.app.classroom  # type: ignore[attr-defined]
        view: HomeView = classroom.home(self.student_id)
        who = view.student.name + (f" · {view.student.class_name}"
                                   if view.student.class_name else "")
        self.query_one("#home-title", Static).update(f"citizen · {who}")
        self.query_one("#home-age", Static).update(view.age_message)
        assigned = self.query_one("#home-assigned", Static)
        assigned.update("\n".join(view.assigned[:3]) + (
            f"\n(and {len(view.assigned) - 3} more)" if len(view.assigned) > 3 else ""))
        assigned.display = bool(view.assigned)
        notice = classroom.lesson_notice()
        box = self.query_one("#home-notice", Static)
        box.update(notice)
        box.display = bool(notice)
        self.cards = view.cards
        options = self.query_one("#modules", OptionList)
        keep = options.highlighted
        options.clear_options()
        options.add_options([Option(card_line(c), id=c.module_id) for c in view.cards])
        if not view.cards:
            options.add_option(Option(Content("No lessons are available for your grades yet."),
                                      disabled=True))
        if view.cards:
            options.highlighted = min(keep or 0, len(view.cards) - 1)

    @on(OptionList.OptionSelected, "#modules")
    def open_module(self, event: OptionList.OptionSelected) -> None:
        card = next((c for c in self.cards if c.module_id == event.option.id), None)
        if card is None:
            return
        from citizen.ui.screens.lesson import LessonScreen
        from citizen.ui.screens.quiz import QuizScreen

        classroom = self.app.classroom  # type: ignore[attr-defined]
        try:
            if card.progress or card.todo_part == "check":
                quiz = classroom.begin(self.student_id, card.module_id, card.todo_part)
                self.app.push_screen(QuizScreen(self.student_id, quiz))
                return
            pages = classroom.pages(self.student_id, card.module_id, card.todo_part)
        except ClassroomError as exc:
            self.notify(str(exc), severity="error")
            return
        self.app.push_screen(LessonScreen(self.student_id, card.module_id, card.title,
                                          card.todo_part, pages))

    def action_sign_out(self) -> None:
        self.app.sign_out()  # type: ignore[attr-defined]
