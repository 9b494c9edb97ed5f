"""Provides the class screen: live results, roster, assign, item analysis and export tabs.

The tabs only show and ask; this screen calls the facade and hands them the answers.
"""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Input, Static, TabbedContent, TabPane, Tabs

from citizen.classroom import (ClassroomError, ClassView, StoreError, StudentView,
                               format_code)
from citizen.reports import ExportError
from citizen.staffroom import Staffroom
from citizen.ui.teacher.common import BAND_LABELS, ResizeAware, plural, sentence
from citizen.ui.teacher.analysis_tab import AnalysisPane
from citizen.ui.teacher.assign_tab import AssignPane
from citizen.ui.teacher.export_tab import ExportPane
from citizen.ui.teacher.live_tab import LivePane
from citizen.ui.teacher.roster_tab import RosterPane
from citizen.ui.widgets import TooSmall

LIVE_SECONDS = 2.0
"""How often the live table is read again."""
TABS = [("tab-live", "#live-table"), ("tab-roster", "#roster-list"),
        ("tab-assign", "#assign-module"), ("tab-analysis", "#analysis-table"),
        ("tab-export", "#export-kind")]
"""The tabs in order (keys 1-5), each with the widget that gets the focus."""


class ClassScreen(ResizeAware, Screen[None]):
    """One class, in tabs."""

    BINDINGS = [
        Binding("1", "tab(1)", "Tabs", key_display="1-5"),
        *[Binding(str(n), f"tab({n})", show=False) for n in range(2, 6)],
        Binding("escape", "back", "Classes"),
    ]

    def __init__(self, cls: ClassView) -> None:
        super().__init__()
        self.cls = cls
        """The class on screen."""

    @property
    def staffroom(self) -> Staffroom:
        """The facade."""
        return self.app.staffroom  # type: ignore[attr-defined, no-any-return]

    def compose(self) -> ComposeResult:
        modules = [(m.id, m.title)
                   for m in self.staffroom.classroom.library.for_band(self.cls.band)]
        yield TooSmall()
        yield Static(f"{self.cls.name} · {BAND_LABELS.get(self.cls.band, self.cls.band)} · "
                     f"join code {format_code(self.cls.join_code)}", classes="title",
                     markup=False)
        with TabbedContent(id="tabs"):
            with TabPane("Live results", id="tab-live"):
                yield LivePane(id="pane-live")
            with TabPane("Roster", id="tab-roster"):
                yield RosterPane(id="pane-roster")
            with TabPane("Assign", id="tab-assign"):
                yield AssignPane(modules, id="pane-assign")
            with TabPane("Item analysis", id="tab-analysis"):
                yield AnalysisPane(modules, id="pane-analysis")
            with TabPane("Export", id="tab-export"):
                yield ExportPane(self.cls.name, id="pane-export")
        yield Footer()

    def on_mount(self) -> None:
        self.reload_roster()  # also draws the live table
        self.set_interval(LIVE_SECONDS, self.refresh_live)
        self.query_one("#live-table").focus()

    def action_tab(self, n: int) -> None:
        """Shows tab n (1-5) and puts the focus in it."""
        pane, target = TABS[n - 1]
        self.query_one("#tabs", TabbedContent).active = pane
        self.call_after_refresh(lambda: self.query_one(target).focus())

    # -- live results

    def refresh_live(self) -> None:
        """Reads the live table again; the tab redraws only the cells that changed."""
        if self.app.locked:  # type: ignore[attr-defined]
            return  # nobody is looking, and the unlock check uses the database
        try:
            self.query_one(LivePane).table = self.staffroom.live(self.cls.id)
        except (ClassroomError, StoreError) as exc:
            self.notify(str(exc), severity="error", markup=False)

    @on(LivePane.StudentChosen)
    def open_history(self, event: LivePane.StudentChosen) -> None:
        from citizen.ui.teacher.history import HistoryScreen

        roster = {s.id: s for s in self.query_one(RosterPane).students}
        student = roster.get(event.student_id)
        if student is not None:
            self.app.push_screen(HistoryScreen(student.id, student.name))

    # -- roster

    def reload_roster(self) -> None:
        """Reads the class list again and hands it to the tabs that show it."""
        students = tuple(self.staffroom.classroom.roster(self.cls.id))
        self.query_one(RosterPane).students = students
        self.query_one(AssignPane).students = students
        self.refresh_live()

    @on(RosterPane.AddStudent)
    def _add(self) -> None:
        self.add_student()

    def add_student(self, name: str = "", code: str = "", error: str = "") -> None:
        """Asks for a new student (again, with the reason, if the facade refused one)."""
        from citizen.ui.teacher.dialogs import StudentDialog

        def added(answer: tuple[str, str] | None) -> None:
            if answer is None:
                return
            try:
                student = self.staffroom.classroom.add_student(self.cls.id, *answer)
            except ClassroomError as exc:
                self.add_student(*answer, error=sentence(str(exc)))
                return
            self.reload_roster()
            self.notify(f"Added {student.name} to {self.cls.name}", markup=False)

        self.app.push_screen(StudentDialog(f"Add a student to {self.cls.name}", name, code,
                                           error), callback=added)

    @on(RosterPane.RenameStudent)
    def _rename(self, event: RosterPane.RenameStudent) -> None:
        self.rename_student(event.student)

    def rename_student(self, old: StudentView, name: str = "", error: str = "") -> None:
        """Asks for a student's new name (again, with the reason, if it was refused)."""
        from citizen.ui.teacher.dialogs import StudentDialog

        def renamed(answer: tuple[str, str] | None) -> None:
            if answer is None:
                return
            try:
                student = self.staffroom.rename_student(old.id, answer[0])
            except ClassroomError as exc:
                self.rename_student(old, answer[0], sentence(str(exc)))
                return
            self.reload_roster()
            self.notify(f"Renamed {old.name} → {student.name}", markup=False)

        self.app.push_screen(StudentDialog(f"Rename {old.name}", name or old.name,
                                           error=error, ask_code=False), callback=renamed)

    @on(RosterPane.RemoveStudent)
    def remove_student(self, event: RosterPane.RemoveStudent) -> None:
        from citizen.ui.teacher.dialogs import ConfirmDialog

        student = event.student

        def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            try:
                removed = self.staffroom.remove_student(student.id)
            except (ClassroomError, StoreError) as exc:
                self.notify(sentence(str(exc)), severity="error", markup=False)
                return
            self.reload_roster()
            records = sum(n for k, n in removed.items() if k != "students")
            self.notify(f"Removed {student.name} and deleted {plural(records, 'record')}",
                        markup=False)

        self.app.push_screen(ConfirmDialog(
            "Remove a student",
            f"Remove {student.name} from {self.cls.name}?\n\nAll of their records (answers, "
            "attempts, assignments and reviews) will be deleted for good. This cannot be "
            "undone.", yes="Remove and delete records"), callback=confirmed)

    @on(RosterPane.ImportRoster)
    def import_roster(self) -> None:
        from citizen.ui.teacher.importer import ImportDialog

        def closed(applied: bool | None) -> None:
            if applied:
                self.reload_roster()

        self.app.push_screen(ImportDialog(self.cls), callback=closed)

    # -- assign

    @on(AssignPane.AssignRequested)
    def assign(self, event: AssignPane.AssignRequested) -> None:
        pane = self.query_one(AssignPane)
        staff = self.app.staff  # type: ignore[attr-defined]
        try:
            n = self.staffroom.assign(self.cls.id, event.module_id, event.due,
                                      event.student_ids, staff=staff)
        except (ClassroomError, StoreError) as exc:
            pane.show_result(sentence(str(exc)), error=True)
            return
        due = f", due {event.due:%a %d %b %Y}" if event.due else ""
        pane.show_result(f"Assigned {event.title} to {plural(n, 'student')}{due}.")
        self.refresh_live()

    # -- item analysis

    @on(AnalysisPane.ModuleChosen)
    def analyse(self, event: AnalysisPane.ModuleChosen | None = None) -> None:
        pane = self.query_one(AnalysisPane)
        module_id = event.module_id if event else pane.module_id
        if not module_id:
            return
        try:
            stats = self.staffroom.item_analysis(self.cls.id, module_id)
            bars = self.staffroom.mastery_bars(self.cls.id)
        except (ClassroomError, StoreError) as exc:
            self.notify(sentence(str(exc)), severity="error", markup=False)
            return
        pane.show(stats, bars)

    @on(TabbedContent.TabActivated, "#tabs")
    def _tab(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id == "tab-analysis":
            self.analyse()
        elif event.pane.id == "tab-live":
            self.refresh_live()

    # -- export

    @on(ExportPane.ExportRequested)
    def export(self, event: ExportPane.ExportRequested) -> None:
        pane = self.query_one(ExportPane)
        out = Path(event.path).expanduser()
        if not out.is_absolute():
            out = Path.cwd() / out
        try:
            rows = self.staffroom.export(self.cls.id, event.kind, out,
                                         viewer=self.app.staff)  # type: ignore[attr-defined]
        except (ExportError, ClassroomError, StoreError) as exc:
            pane.show_result(sentence(str(exc)), error=True)
            return
        pane.show_result(f"Wrote {plural(rows, 'row')} to {out}")

    def action_back(self) -> None:
        if isinstance(self.focused, Input):
            # Escape first leaves a text box (so 1-5 switch tabs again), then the class.
            self.query_one("#tabs", TabbedContent).query_one(Tabs).focus()
            return
        self.app.pop_screen()
