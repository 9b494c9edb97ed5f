"""Provides the counselor's student overview: mastery, assignments with notes, and history.

`n` assigns a module or its review to this one student, with a private note.
"""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static, TabbedContent, TabPane

from citizen.classroom import ClassroomError, StoreError
from citizen.staffroom import AssignmentLine, Staffroom, StudentOverview
from citizen.ui.teacher.common import BAND_LABELS, ResizeAware, plural, sentence, truncate
from citizen.ui.teacher.counselor_assign import AssignRequest, AssignStudentDialog
from citizen.ui.teacher.history import PARTS
from citizen.ui.widgets import TooSmall

TABS = [("tab-mastery", "#overview-mastery"), ("tab-assignments", "#overview-assignments"),
        ("tab-history", "#overview-history")]
"""The tabs in order (keys 1-3), each with the table that gets the focus."""
ASSIGNED_PARTS = {"lesson": "Lesson", "review": "Review"}
"""How assigned parts are named."""


class StudentOverviewScreen(ResizeAware, Screen[None]):
    """One student as a counselor sees them, in three tabs; `n` assigns them something."""

    BINDINGS = [
        Binding("n", "assign", "Assign"),
        Binding("1", "tab(1)", "Tabs", key_display="1-3"),
        *[Binding(str(n), f"tab({n})", show=False) for n in (2, 3)],
        Binding("escape", "back", "Back"),
    ]

    overview: reactive[StudentOverview | None] = reactive(None, init=False)
    """What the facade said about the student, last time it was asked."""

    def __init__(self, student_id: int) -> None:
        super().__init__()
        self.student_id = student_id
        """Whose overview."""
        self.assignments: list[AssignmentLine] = []
        """The assignments in table order (newest first)."""

    @property
    def staffroom(self) -> Staffroom:
        """The facade."""
        return self.app.staffroom  # type: ignore[attr-defined, no-any-return]

    def compose(self) -> ComposeResult:
        yield TooSmall()
        yield Static("Student overview", id="overview-title", classes="title", markup=False)
        yield Static("", id="overview-summary", classes="hint", markup=False)
        with TabbedContent(id="overview-tabs"):
            with TabPane("Mastery", id="tab-mastery"):
                yield DataTable(id="overview-mastery", cursor_type="row", zebra_stripes=True)
                yield Static("✔ mastered · ✘ tried, not yet mastered · · not started",
                             classes="hint", markup=False)
            with TabPane("Assignments", id="tab-assignments"):
                yield DataTable(id="overview-assignments", cursor_type="row",
                                zebra_stripes=True)
                with VerticalScroll(id="overview-note-box"):
                    yield Static("", id="overview-note", classes="body", markup=False)
            with TabPane("History", id="tab-history"):
                yield DataTable(id="overview-history", cursor_type="row", zebra_stripes=True)
                yield Static("No attempts yet.", id="overview-history-empty", classes="notice",
                             markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#overview-mastery", DataTable).add_columns(
            "Module", "Best score", "Mastery")
        self.query_one("#overview-assignments", DataTable).add_columns(
            "Module", "Part", "Due", "Status", "Note")
        self.query_one("#overview-history", DataTable).add_columns(
            "Started", "Module", "Part", "Result", "Mastered")
        self.reload()
        self.query_one("#overview-mastery").focus()

    def on_screen_resume(self) -> None:
        if self.is_mounted:
            self.reload()

    def reload(self) -> None:
        """Asks the facade for the overview again (notes as this staff member may see them)."""
        try:
            self.overview = self.staffroom.overview(
                self.app.staff, self.student_id)  # type: ignore[attr-defined]
        except (ClassroomError, StoreError) as exc:
            self.query_one("#overview-summary", Static).update(sentence(str(exc)))

    def watch_overview(self, overview: StudentOverview | None) -> None:
        if overview is None:
            return
        student = overview.student
        modules = self.staffroom.classroom.library.for_band(student.band)
        titles = {m.id: m.title for m in modules}
        self.query_one("#overview-title", Static).update(
            f"{student.name} · {student.class_name or 'no class'} · "
            f"{BAND_LABELS.get(student.band, student.band)}")
        mastered = sum(1 for _, _, ok in overview.mastery if ok)
        open_ = sum(1 for a in overview.assignments if a.done_at is None)
        self.query_one("#overview-summary", Static).update(
            f"{mastered} of {plural(len(modules), 'module')} mastered · "
            f"{plural(len(overview.history), 'attempt')} · "
            f"{plural(open_, 'open assignment')}")
        self._mastery(overview, [m.title for m in modules])
        self._assignments(overview, titles)
        self._history(overview)

    def _mastery(self, overview: StudentOverview, titles: list[str]) -> None:
        table = self.query_one("#overview-mastery", DataTable)
        table.clear()
        tried = {title: (best, ok) for title, best, ok in overview.mastery}
        # every module of the grades, in curriculum order; then any no longer in the library
        for title in titles + [t for t in tried if t not in titles]:
            if title in tried:
                best, ok = tried[title]
                table.add_row(Text(truncate(title, 36)), f"{best}%",
                              "✔ mastered" if ok else "✘ not yet")
            else:
                table.add_row(Text(truncate(title, 36)), "—", "· not started")

    def _assignments(self, overview: StudentOverview, titles: dict[str, str]) -> None:
        table = self.query_one("#overview-assignments", DataTable)
        row = table.cursor_row
        table.clear()
        now = self.staffroom.now()
        self.assignments = sorted(overview.assignments, key=lambda a: a.id, reverse=True)
        for a in self.assignments:
            table.add_row(Text(truncate(titles.get(a.module_id, a.module_id), 24)),
                          ASSIGNED_PARTS.get(a.part, a.part),
                          f"{a.due_at:%a %d %b}" if a.due_at else "—", _status(a, now),
                          Text(truncate(a.note, 20) if a.note else "—"), key=str(a.id))
        if self.assignments:
            table.move_cursor(row=min(max(row, 0), len(self.assignments) - 1))
        self._note(table.cursor_row)

    def _history(self, overview: StudentOverview) -> None:
        table = self.query_one("#overview-history", DataTable)
        table.clear()
        for a in overview.history:
            mastered = ("… not finished" if a.mastered is None else
                        "✔ yes" if a.mastered else "✘ not yet")
            table.add_row(f"{a.started_at.astimezone():%Y-%m-%d %H:%M}",
                          Text(truncate(a.title, 28)), PARTS.get(a.part, a.part),
                          a.progress, mastered)
        self.query_one("#overview-history-empty", Static).display = not overview.history

    @on(DataTable.RowHighlighted, "#overview-assignments")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._note(event.cursor_row)

    def _note(self, row: int) -> None:
        """Shows the whole note of the assignment on row `row`."""
        box = self.query_one("#overview-note", Static)
        if not self.assignments:
            box.update("No assignments yet. Press n to assign a module or its review.")
            return
        a = self.assignments[min(max(row, 0), len(self.assignments) - 1)]
        by = f" from {a.assigned_by}" if a.assigned_by else ""
        if not a.note:
            box.update(f"No note{by}.")
            return
        seen = "shared with the class teacher" if a.shared else "private: teachers do not see it"
        box.update(f"Note{by} ({seen}): {a.note}")

    # -- keys

    def action_tab(self, n: int) -> None:
        """Shows tab n (1-3) and puts the focus in it."""
        pane, target = TABS[n - 1]
        self.query_one("#overview-tabs", TabbedContent).active = pane
        self.call_after_refresh(lambda: self.query_one(target).focus())

    def action_assign(self, request: AssignRequest | None = None, error: str = "") -> None:
        """Asks what to assign (again, with the reason, if the facade refused it)."""
        overview = self.overview
        if overview is None:
            return
        student = overview.student
        modules = [(m.id, m.title)
                   for m in self.staffroom.classroom.library.for_band(student.band)]

        def answered(answer: AssignRequest | None) -> None:
            if answer is None:
                return
            try:
                self.staffroom.assign_student(
                    self.app.staff, student.id, answer.module_id,  # type: ignore[attr-defined]
                    answer.part, answer.due, answer.note, answer.shared)
            except (ClassroomError, StoreError) as exc:
                self.action_assign(answer, sentence(str(exc)))
                return
            self.reload()
            self.action_tab(2)
            what = answer.title + (" (review)" if answer.part == "review" else "")
            due = f", due {answer.due:%a %d %b %Y}" if answer.due else ""
            self.notify(f"Assigned {what} to {student.name}{due}", markup=False)

        self.app.push_screen(AssignStudentDialog(student.name, modules,
                                                 self.staffroom.now().astimezone().date(),
                                                 request, error),
                             callback=answered)

    def action_back(self) -> None:
        self.app.pop_screen()


def _status(a: AssignmentLine, now: datetime) -> str:
    """Done, overdue or open, in words."""
    if a.done_at is not None:
        return f"✔ done {a.done_at:%d %b}"
    if a.due_at is not None and a.due_at < now:
        return "! overdue"
    return "open"
