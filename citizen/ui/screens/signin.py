"""Provides sign-in: a class join code and a name from the class list, or practice by band."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Middle, Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from citizen.classroom import ClassView, format_code
from citizen.model import BANDS
from citizen.ui.widgets import TooSmall, plain

BAND_LABELS = {"k-2": "Grades K-2", "3-5": "Grades 3-5", "6-8": "Grades 6-8",
               "9-12": "Grades 9-12"}
"""How bands are named to students."""


class SignInScreen(Screen[None]):
    """The first screen: type a join code, or practise without a class."""

    BINDINGS = [
        Binding("f2", "practice", "Practice"),
    ]

    def compose(self) -> ComposeResult:
        yield TooSmall()
        yield Static("citizen · being a good digital citizen", classes="title")
        with Middle():
            with Center():
                with Vertical(id="signin-box"):
                    yield plain("Type your class join code:")
                    yield Input(placeholder="e.g. KDM-47P", id="code", max_length=12)
                    yield Static("", id="signin-error", classes="error", markup=False)
                    yield Button("Join my class", id="join", variant="primary")
                    yield Button("Practice without a class (F2)", id="practice")
                    demo = self.app.demo_code  # type: ignore[attr-defined]
                    if demo:
                        yield Static(f"Demo class code: {format_code(demo)}", classes="hint",
                                     markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#code", Input).focus()

    @on(Input.Submitted, "#code")
    @on(Button.Pressed, "#join")
    def join(self) -> None:
        code = self.query_one("#code", Input).value
        error = self.query_one("#signin-error", Static)
        if not code.strip():
            error.update("Type the code your teacher gave you.")
            return
        found = self.app.classroom.find_class(code)  # type: ignore[attr-defined]
        if found is None:
            error.update("No class has that code. Check it with your teacher.")
            return
        error.update("")
        self.query_one("#code", Input).value = ""
        self.app.push_screen(PickNameScreen(found))

    @on(Button.Pressed, "#practice")
    def action_practice(self) -> None:
        self.app.push_screen(PracticeScreen())


class PickNameScreen(Screen[None]):
    """Pick your name from the class list."""

    BINDINGS = [
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, cls: ClassView) -> None:
        super().__init__()
        self.cls = cls

    def compose(self) -> ComposeResult:
        yield TooSmall()
        yield Static(f"{self.cls.name} · pick your name", classes="title", markup=False)
        roster = self.app.classroom.roster(self.cls.id)  # type: ignore[attr-defined]
        if roster:
            yield OptionList(*[Option(s.name, id=str(s.id)) for s in roster], id="names")
            yield Static("Arrows to move, Enter to choose. Not on the list? Tell your teacher.",
                         classes="hint", markup=False)
        else:
            yield Static("This class has no students yet. Ask your teacher to add you.",
                         classes="notice", markup=False)
        yield Footer()

    @on(OptionList.OptionSelected, "#names")
    def picked(self, event: OptionList.OptionSelected) -> None:
        self.app.sign_in(int(event.option.id or 0))  # type: ignore[attr-defined]

    def action_back(self) -> None:
        self.app.pop_screen()


class PracticeScreen(Screen[None]):
    """Practise without a class: pick a grade band."""

    BINDINGS = [
        Binding("escape", "back", "Back"),
    ]

    def compose(self) -> ComposeResult:
        yield TooSmall()
        yield Static("Practice · pick your grades", classes="title")
        yield OptionList(*[Option(BAND_LABELS[b], id=b) for b in BANDS], id="bands")
        yield Static("Practice progress is saved on this computer and shared by everyone "
                     "who practises here.", classes="hint", markup=False)
        yield Footer()

    @on(OptionList.OptionSelected, "#bands")
    def picked(self, event: OptionList.OptionSelected) -> None:
        student = self.app.classroom.practice(event.option.id)  # type: ignore[attr-defined]
        self.app.sign_in(student.id)  # type: ignore[attr-defined]

    def action_back(self) -> None:
        self.app.pop_screen()
