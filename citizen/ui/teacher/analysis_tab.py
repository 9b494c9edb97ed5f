"""Provides the item analysis tab: how the class did on each question, and mastery bars."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import DataTable, Select, Static

from citizen.staffroom import ItemStat
from citizen.ui.teacher.common import truncate

BAR_WIDTH = 10
"""Cells in a mastery bar."""


def bar_line(title: str, mastered: int, size: int) -> str:
    """One mastery bar, e.g. `Alpha module    ████░░░░░░ 3/8 mastered`."""
    filled = round(BAR_WIDTH * mastered / size) if size else 0
    return (f"{truncate(title, 24):<24} {'█' * filled}{'░' * (BAR_WIDTH - filled)} "
            f"{mastered}/{size} mastered")


class AnalysisPane(Vertical):
    """Pick a module to see its questions; the class screen fills in the numbers."""

    class ModuleChosen(Message):
        """A module was picked; handled by `on_analysis_pane_module_chosen`."""

        def __init__(self, module_id: str) -> None:
            super().__init__()
            self.module_id = module_id
            """The module to analyse."""

    def __init__(self, modules: list[tuple[str, str]], *, id: str | None = None) -> None:
        """Args:
            modules: (id, title) of the modules of the class's grades.
        """
        super().__init__(id=id)
        self.modules = modules
        """What can be analysed."""

    def compose(self) -> ComposeResult:
        with Horizontal(id="analysis-top"):
            yield Static("Module:", classes="label", markup=False)
            yield Select([(Content(t), m) for m, t in self.modules], allow_blank=False,
                         id="analysis-module") if self.modules else \
                Static("No modules for these grades.", classes="notice", markup=False)
        yield DataTable(id="analysis-table", cursor_type="row", zebra_stripes=True)
        yield Static("Mastery by module (students who mastered it / class size):",
                     classes="hint", markup=False)
        with VerticalScroll(id="mastery"):
            yield Static("", id="mastery-bars", markup=False)

    def on_mount(self) -> None:
        table = self.query_one("#analysis-table", DataTable)
        table.add_column("Question", key="prompt")
        table.add_column("Answers", key="answered")
        table.add_column("% right", key="right")
        table.add_column("Most-chosen wrong answer", key="wrong")

    @property
    def module_id(self) -> str | None:
        """The module picked."""
        if not self.modules:
            return None
        value = self.query_one("#analysis-module", Select).selection
        return str(value) if value is not None else None

    @on(Select.Changed, "#analysis-module")
    def _picked(self, event: Select.Changed) -> None:
        event.stop()
        if self.module_id:
            self.post_message(self.ModuleChosen(self.module_id))

    def show(self, stats: list[ItemStat], bars: list[tuple[str, int, int]]) -> None:
        """Draws one module's questions and the class's mastery bars."""
        table = self.query_one("#analysis-table", DataTable)
        table.clear()
        for s in stats:
            wrong = (f"{truncate(s.top_wrong, 20)} ({s.top_wrong_count})"
                     if s.top_wrong_count else "—")
            table.add_row(Text(truncate(s.prompt, 28)), str(s.answered),
                          f"{s.percent_correct}%" if s.answered else "—", Text(wrong),
                          key=s.question_id)
        self.query_one("#mastery-bars", Static).update(
            "\n".join(bar_line(*b) for b in bars) if bars else
            "No results yet: nothing assigned or answered.")
