"""Pilot tests of teacher mode at 80x24: access, idle lock, classes, roster, results, export."""

from __future__ import annotations

import csv
import os
from datetime import date

from textual.widgets import (Button, DataTable, Input, OptionList, Select, SelectionList,
                             Static, TabbedContent)

from citizen import auth, reports
from citizen.classroom import Classroom, format_code
from citizen.staffroom import Staffroom
from citizen.store import SQLiteStore
from citizen.ui.teacher.app import build_teacher_app
from citizen.ui.teacher.class_screen import ClassScreen
from citizen.ui.teacher.classes import ClassesScreen
from citizen.ui.teacher.dialogs import ConfirmDialog, StudentDialog
from citizen.ui.teacher.history import HistoryScreen
from citizen.ui.teacher.importer import ImportDialog
from citizen.ui.teacher.lock import LockScreen
from citizen.ui.teacher.new_class import NewClassDialog
from citizen.ui.teacher.setup import SetUpScreen
from citizen.ui.teacher.signin import StaffSignInScreen

SIZE = (80, 24)
FAST = auth.ScryptParams(n=2**10, r=8, p=1)
PASS = "correct horse battery"
NAME = "Ms. Rivera"
ONEROSTER_HEADER = ("sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,"
                    "userIds,givenName,familyName,middleName,identifier,email,sms,phone,"
                    "agentSourcedIds,grades,password")


def room_of(classroom: Classroom) -> Staffroom:
    return Staffroom(classroom, hash_params=FAST)


from pilotkit import text_of, wait_for  # noqa: E402  (shared Pilot helpers)


async def on_screen(pilot, app, kind) -> None:
    """Waits until a screen of this kind is on top and mounted."""
    await wait_for(pilot, lambda: isinstance(app.screen, kind) and app.screen.is_mounted)
    await pilot.pause()


async def click(pilot, app, selector: str) -> None:
    """Clicks a button once its last click has finished (a Button ignores clicks meanwhile)."""
    await wait_for(pilot, lambda: not app.screen.query_one(selector).has_class("-active"))
    await pilot.click(selector)


async def type_into(pilot, app, selector: str, text: str, submit: bool = True) -> None:
    box = app.screen.query_one(selector, Input)
    box.focus()
    box.value = text
    if submit:
        await pilot.press("enter")


async def open_class(pilot, app, staff, cls) -> ClassScreen:
    app.signed_in(staff)
    await on_screen(pilot, app, ClassesScreen)
    await pilot.pause()
    table = app.screen.query_one("#classes", DataTable)
    row = table.get_row_index(str(cls.id))
    table.move_cursor(row=row)
    await pilot.press("enter")
    await on_screen(pilot, app, ClassScreen)
    await pilot.pause()
    return app.screen


def cell(screen: ClassScreen, student_id: int, module_id: str) -> str:
    return str(screen.query_one("#live-table", DataTable).get_cell(str(student_id), module_id))


def answer_all(classroom: Classroom, student_id: int, module_id: str, right: bool) -> dict:
    """Answers a whole quiz; returns {question id: (correct, [chosen texts])}."""
    quiz = classroom.begin(student_id, module_id)
    given = {}
    for item in quiz.items:
        picks = [c for c in item.question.choices if c.correct == right]
        if not right:
            picks = picks[:1]
        classroom.answer(quiz.attempt_id, item.position, [c.id for c in picks])
        given[item.question.id] = (right, [c.text for c in picks])
    classroom.finish(quiz.attempt_id)
    return given


# -- access


async def test_first_run_sets_up_a_teacher_account_and_opens_the_classes(classroom):
    room = room_of(classroom)
    app = build_teacher_app(room)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, SetUpScreen)
        await type_into(pilot, app, "#name", NAME, submit=False)
        await type_into(pilot, app, "#pass1", "too short", submit=False)
        await type_into(pilot, app, "#pass2", "too short")
        await wait_for(pilot, lambda: "at least 10 characters" in text_of(app, "#setup-error"))
        assert not room.has_staff()
        await type_into(pilot, app, "#pass1", PASS, submit=False)
        await type_into(pilot, app, "#pass2", PASS + "!")
        assert "differ" in text_of(app, "#setup-error")
        assert not room.has_staff()
        await type_into(pilot, app, "#pass1", PASS, submit=False)
        await type_into(pilot, app, "#pass2", PASS)
        await on_screen(pilot, app, ClassesScreen)
        assert room.staff_names() == [NAME]
        assert app.staff is not None and app.staff.role == "teacher" and app.staff.name == NAME
        assert NAME in text_of(app, "#classes-title")
        # signing out now leads to the sign-in screen, not back to set-up
        await pilot.press("escape")
        await on_screen(pilot, app, StaffSignInScreen)
        assert app.staff is None



async def test_a_broken_settings_file_is_shown_to_staff_after_sign_in(classroom):
    from citizen.ui.app import build_app

    classroom.settings_warning = "/data/settings.yaml: line 1: bad; using the default settings"
    student_app = build_app(classroom)
    async with student_app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert not list(student_app._notifications)  # a child never sees it
    app = build_teacher_app(room_of(classroom))
    async with app.run_test(size=SIZE) as pilot:
        assert not list(app._notifications)  # nor anyone before signing in
        await type_into(pilot, app, "#name", NAME, submit=False)
        await type_into(pilot, app, "#pass1", PASS, submit=False)
        await type_into(pilot, app, "#pass2", PASS)
        await on_screen(pilot, app, ClassesScreen)
        [note] = list(app._notifications)
        assert note.message == classroom.settings_warning and note.severity == "warning"

async def test_sign_in_one_message_then_wait_and_the_count_survives_a_restart(classroom,
                                                                               clock):
    room = room_of(classroom)
    room.add_staff(NAME, "teacher", PASS)
    room.add_staff("Mr. Lee", "teacher", "another long passphrase")
    app = build_teacher_app(room)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, StaffSignInScreen)
        await type_into(pilot, app, "#passphrase", PASS)
        assert text_of(app, "#signin-error") == "Pick your name first."
        app.screen.query_one("#who", Select).value = NAME
        await type_into(pilot, app, "#passphrase", "not my passphrase")
        await wait_for(pilot, lambda: text_of(app, "#signin-error") == auth.FAILURE_MESSAGE)
        await type_into(pilot, app, "#passphrase", PASS)  # right, but too soon
        await wait_for(pilot, lambda: text_of(app, "#signin-error").startswith("Please wait"))
        assert f"Please wait {room.wait_left(NAME)} " in text_of(app, "#signin-error")
        assert isinstance(app.screen, StaffSignInScreen) and app.staff is None

    # A restart: a new connection, facade and app on the same database file.
    store2 = SQLiteStore(classroom.store.path)
    try:
        room2 = room_of(Classroom(store2, library=classroom.library, clock=clock))
        assert room2.wait_left(NAME) == 1
        app2 = build_teacher_app(room2)
        async with app2.run_test(size=SIZE) as pilot:
            app2.screen.query_one("#who", Select).value = NAME
            await type_into(pilot, app2, "#passphrase", PASS)
            await wait_for(pilot,
                           lambda: text_of(app2, "#signin-error").startswith("Please wait"))
            clock.advance(seconds=2)
            await type_into(pilot, app2, "#passphrase", PASS)
            await on_screen(pilot, app2, ClassesScreen)
            assert app2.staff is not None and app2.staff.name == NAME
            assert room2.wait_left(NAME) == 0
    finally:
        store2.close()


async def test_idle_lock_covers_the_screen_and_the_same_passphrase_returns_there(demo, clock):
    classroom, cls, _ = demo
    room = room_of(classroom)
    staff = room.add_staff(NAME, "teacher", PASS)
    app = build_teacher_app(room)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_class(pilot, app, staff, cls)
        await pilot.press("2")
        await wait_for(pilot, lambda: screen.query_one("#tabs", TabbedContent).active
                       == "tab-roster")
        clock.advance(minutes=10)
        await pilot.press("down")  # a key press is activity
        clock.advance(minutes=10)
        assert app.check_idle_lock() is False
        clock.advance(minutes=16)
        assert app.check_idle_lock() is True
        await on_screen(pilot, app, LockScreen)
        assert NAME in text_of(app, "#lock-who")
        await pilot.press("escape")  # does not unlock
        assert isinstance(app.screen, LockScreen)
        await type_into(pilot, app, "#passphrase", "not my passphrase")
        await wait_for(pilot, lambda: text_of(app, "#lock-error") == auth.FAILURE_MESSAGE)
        assert isinstance(app.screen, LockScreen) and app.locked
        clock.advance(seconds=2)
        await type_into(pilot, app, "#passphrase", PASS)
        await wait_for(pilot, lambda: app.screen is screen)
        assert not app.locked
        assert screen.query_one("#tabs", TabbedContent).active == "tab-roster"
        assert app.check_idle_lock() is False
        # Someone else at the desk can sign the teacher out from the lock screen.
        clock.advance(minutes=15)
        assert app.check_idle_lock() is True
        await on_screen(pilot, app, LockScreen)
        await click(pilot, app, "#sign-out")
        await on_screen(pilot, app, StaffSignInScreen)
        assert app.staff is None and not app.locked and len(app.screen_stack) == 1


async def test_no_command_palette_screenshot_or_screen_switch(classroom):
    room = room_of(classroom)
    room.add_staff(NAME, "teacher", PASS)
    app = build_teacher_app(room)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, StaffSignInScreen) and len(app.screen_stack) == 1
        assert list(app.get_system_commands(app.screen)) == []
        await app.run_action("screenshot")
        await app.run_action("push_screen('classes')")
        assert isinstance(app.screen, StaffSignInScreen) and len(app.screen_stack) == 1


# -- classes


async def test_new_class_dialog_shows_the_join_code_and_stores_the_class(classroom):
    room = room_of(classroom)
    staff = room.add_staff(NAME, "teacher", PASS)
    app = build_teacher_app(room)
    async with app.run_test(size=SIZE) as pilot:
        app.signed_in(staff)
        await on_screen(pilot, app, ClassesScreen)
        assert "No classes yet" in text_of(app, "#classes-empty")
        await pilot.press("n")
        await on_screen(pilot, app, NewClassDialog)
        await type_into(pilot, app, "#class-name", "Room [b]7[/b]")
        await click(pilot, app, "#create")
        assert text_of(app, "#new-class-result") == "Pick the grades."
        assert classroom.classes() == []
        app.screen.query_one("#class-band", Select).value = "6-8"
        await click(pilot, app, "#create")
        [cls] = room.classes(staff)
        assert (cls.name, cls.band) == ("Room [b]7[/b]", "6-8")
        assert f"Join code: {format_code(cls.join_code)}" in text_of(app, "#new-class-result")
        done = app.screen.query_one("#create", Button)
        assert str(done.label) == "Done" and done.has_focus
        await wait_for(pilot, lambda: not done.has_class("-active"))
        await pilot.press("enter")
        await on_screen(pilot, app, ClassesScreen)
        table = app.screen.query_one("#classes", DataTable)
        row = table.get_row(str(cls.id))
        assert [str(c) for c in row] == ["Room [b]7[/b]", "Grades 6-8",
                                         format_code(cls.join_code), "0"]


# -- roster


async def test_roster_add_rename_remove_change_the_class_list(demo):
    classroom, cls, (ava, ben) = demo
    room = room_of(classroom)
    staff = room.add_staff(NAME, "teacher", PASS)
    answer_all(classroom, ben.id, "alpha", right=True)

    def names() -> list[str]:
        return [s.name for s in classroom.roster(cls.id)]

    app = build_teacher_app(room)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_class(pilot, app, staff, cls)
        await pilot.press("2")
        await wait_for(pilot, lambda: screen.query_one("#roster-list").has_focus)
        assert text_of(app, "#roster-count") == "2 students"

        await pilot.press("a")
        await on_screen(pilot, app, StudentDialog)
        await type_into(pilot, app, "#student-name", "Cara D.", submit=False)
        await type_into(pilot, app, "#student-code", "S9")
        await wait_for(pilot, lambda: names() == ["Ava R.", "Ben T.", "Cara D."])
        assert classroom.store.students(cls.id)[2].code == "S9"
        await wait_for(pilot, lambda: text_of(app, "#roster-count") == "3 students")

        await pilot.press("a")  # a name already in the class comes back with the reason
        await on_screen(pilot, app, StudentDialog)
        await type_into(pilot, app, "#student-name", "ava r.")
        await wait_for(pilot, lambda: isinstance(app.screen, StudentDialog)
                       and "already in Room 12" in text_of(app, "#student-error"))
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen)
        assert len(names()) == 3

        roster = screen.query_one("#roster-list", OptionList)
        roster.highlighted = 2
        await pilot.press("r")
        await on_screen(pilot, app, StudentDialog)
        assert app.screen.query_one("#student-name", Input).value == "Cara D."
        await type_into(pilot, app, "#student-name", "Cara E.")
        await wait_for(pilot, lambda: names() == ["Ava R.", "Ben T.", "Cara E."])

        roster.highlighted = 1
        await pilot.press("d")
        await on_screen(pilot, app, ConfirmDialog)
        question = text_of(app, "#confirm-question")
        assert "Ben T." in question and "deleted" in question
        await pilot.press("enter")  # Cancel has the focus
        await wait_for(pilot, lambda: app.screen is screen)
        assert "Ben T." in names()
        await pilot.press("d")
        await on_screen(pilot, app, ConfirmDialog)
        await click(pilot, app, "#yes")
        await wait_for(pilot, lambda: names() == ["Ava R.", "Cara E."])
        assert classroom.store.attempts(ben.id) == []
        await wait_for(pilot, lambda: [str(o.prompt) for o in roster.options]
                       == ["Ava R.", "Cara E."])


async def test_roster_import_plain_and_oneroster_with_dry_run_and_row_errors(demo, tmp_path):
    classroom, cls, _ = demo
    room = room_of(classroom)
    staff = room.add_staff(NAME, "teacher", PASS)
    plain = tmp_path / "plain.csv"
    plain.write_text("display_name,student_code\nDan P.,S100\nEve Q.,S101\n"
                     "dana@example.com,S102\n", "utf-8")
    users = tmp_path / "users.csv"
    users.write_text(ONEROSTER_HEADER + "\n"
                     "u1,active,2026-01-01,true,org1,student,fgreen,,Fran,Green,,S200,"
                     "fran@school.example,,555-0100,,04,secret\n"
                     "u2,active,2026-01-01,true,org1,teacher,tmiller,,Tom,Miller,,T1,"
                     "tom@school.example,,,,,\n", "utf-8")

    def names() -> list[str]:
        return [s.name for s in classroom.roster(cls.id)]

    app = build_teacher_app(room)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_class(pilot, app, staff, cls)
        await pilot.press("2")
        await wait_for(pilot, lambda: screen.query_one("#roster-list").has_focus)
        await pilot.press("i")
        await on_screen(pilot, app, ImportDialog)

        await type_into(pilot, app, "#import-path", str(tmp_path / "nope.csv"))
        assert "There is no file" in text_of(app, "#import-lines")
        await type_into(pilot, app, "#import-path", str(tmp_path))
        assert "is a folder" in text_of(app, "#import-lines")

        await type_into(pilot, app, "#import-path", str(plain))  # Enter is a dry run
        report = text_of(app, "#import-lines")
        assert "would add 2" in report and "dry run: nothing was changed" in report
        assert "row 4: use a first name and last initial" in report
        assert names() == ["Ava R.", "Ben T."]
        await click(pilot, app, "#import")
        assert "added 2" in text_of(app, "#import-lines")
        assert names() == ["Ava R.", "Ben T.", "Dan P.", "Eve Q."]

        await type_into(pilot, app, "#import-path", str(users), submit=False)
        await click(pilot, app, "#dry-run")
        report = text_of(app, "#import-lines")
        assert "oneroster roster: would add 1" in report and "+ Fran G." in report
        assert "1 row(s) are not students" in report and "email" in report
        assert "Fran G." not in names()
        await click(pilot, app, "#import")
        assert names() == ["Ava R.", "Ben T.", "Dan P.", "Eve Q.", "Fran G."]
        stored = [(s.display_name, s.code) for s in classroom.store.students(cls.id)]
        assert ("Fran G.", "S200") in stored
        assert not any("@" in f"{n}{c}" or "Tom" in n for n, c in stored)

        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen)
        await wait_for(pilot, lambda: text_of(app, "#roster-count") == "5 students")


# -- assign and results


async def test_assign_tab_assigns_to_ticked_students_with_a_due_date(demo):
    classroom, cls, (ava, ben) = demo
    room = room_of(classroom)
    staff = room.add_staff(NAME, "teacher", PASS)
    app = build_teacher_app(room)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_class(pilot, app, staff, cls)
        await pilot.press("3")
        await wait_for(pilot, lambda: screen.query_one("#assign-module").has_focus)
        button = screen.query_one("#assign", Button)
        assert str(button.label) == "Assign to the whole class (2)"
        await click(pilot, app, "#assign")
        assert text_of(app, "#assign-result") == "Pick a module first."
        screen.query_one("#assign-module", Select).value = "alpha"
        for bad in ("2026-13-45", "1/10/2026", "tomorrow"):
            await type_into(pilot, app, "#assign-due", bad)
            assert "YYYY-MM-DD" in text_of(app, "#assign-result")
        assert classroom.home(ava.id).cards[0].assigned is False
        screen.query_one("#assign-students", SelectionList).select(ava.id)
        await wait_for(pilot, lambda: str(button.label) == "Assign to 1 student")
        await type_into(pilot, app, "#assign-due", "2026-10-01", submit=False)
        await click(pilot, app, "#assign")
        assert text_of(app, "#assign-result").startswith("Assigned Alpha module to 1 student")
        card = classroom.home(ava.id).cards[0]
        assert card.module_id == "alpha" and card.assigned
        assert card.due is not None and card.due.date() == date(2026, 10, 1)
        assert not any(c.assigned for c in classroom.home(ben.id).cards)
        # the live table now has the column, before anyone started
        assert cell(screen, ava.id, "alpha") == "·"


async def test_live_table_updates_in_place_while_another_connection_writes(demo, clock):
    classroom, cls, (ava, ben) = demo
    room = room_of(classroom)
    staff = room.add_staff(NAME, "teacher", PASS)
    room.assign(cls.id, "alpha", staff=staff)
    app = build_teacher_app(room)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_class(pilot, app, staff, cls)
        grid = screen.query_one("#live-table", DataTable)
        assert cell(screen, ava.id, "alpha") == "·" and cell(screen, ben.id, "alpha") == "·"

        # A student's app: its own connection to the same file.
        other = SQLiteStore(classroom.store.path)
        try:
            student = Classroom(other, library=classroom.library, clock=clock)
            quiz = student.begin(ava.id, "alpha")
            student.answer(quiz.attempt_id, 0, [quiz.items[0].choices[0].id])
            await wait_for(pilot, lambda: cell(screen, ava.id, "alpha") == "1/4…", tries=500)
            assert screen.query_one("#live-table", DataTable) is grid
            assert grid.row_count == 2 and cell(screen, ben.id, "alpha") == "·"
        finally:
            other.close()

        grid.move_cursor(row=grid.get_row_index(str(ava.id)))
        await pilot.press("enter")
        await on_screen(pilot, app, HistoryScreen)
        rows = app.screen.query_one("#history", DataTable)
        assert rows.row_count == 1
        assert [str(c) for c in rows.get_row_at(0)][1:] == ["Alpha module", "Quiz",
                                                           "1/4 answered", "… not finished"]
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen)


async def test_item_analysis_shows_percent_right_and_the_top_wrong_choice(demo):
    classroom, cls, (ava, ben) = demo
    room = room_of(classroom)
    staff = room.add_staff(NAME, "teacher", PASS)
    right = answer_all(classroom, ava.id, "alpha", right=True)
    wrong = answer_all(classroom, ben.id, "alpha", right=False)
    app = build_teacher_app(room)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_class(pilot, app, staff, cls)
        await pilot.press("4")
        screen.query_one("#analysis-module", Select).value = "alpha"
        table = screen.query_one("#analysis-table", DataTable)
        await wait_for(pilot, lambda: table.row_count > 0)
        await wait_for(pilot, lambda: "Alpha module" in text_of(app, "#mastery-bars"))
        shown = {str(k.value): [str(c) for c in table.get_row(k)] for k in table.rows}
        assert set(right) | set(wrong) <= set(shown)
        for qid, row in shown.items():
            answered = (qid in right) + (qid in wrong)
            _, count, percent, top = row
            assert count == str(answered)
            if not answered:
                assert (percent, top) == ("—", "—")
                continue
            assert percent == f"{round(100 * (qid in right) / answered)}%"
            if qid in wrong:
                assert top == f"{wrong[qid][1][0]} (1)"
            else:
                assert top == "—"
        bars = text_of(app, "#mastery-bars")
        assert "Alpha module" in bars and "1/2 mastered" in bars and "█" in bars


async def test_export_tab_writes_a_csv_that_reads_back(demo, tmp_path):
    classroom, cls, (ava, ben) = demo
    room = room_of(classroom)
    staff = room.add_staff(NAME, "teacher", PASS)
    answer_all(classroom, ava.id, "alpha", right=True)
    app = build_teacher_app(room)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_class(pilot, app, staff, cls)
        await pilot.press("5")
        path = screen.query_one("#export-path", Input)
        assert path.value == os.path.expanduser("~/citizen-room-12-summary.csv")
        screen.query_one("#export-kind", Select).value = "roster"
        await wait_for(pilot, lambda: path.value.endswith("citizen-room-12-roster.csv"))

        missing = tmp_path / "missing" / "x.csv"
        await type_into(pilot, app, "#export-path", str(missing))
        assert "does not exist" in text_of(app, "#export-result")
        assert not missing.parent.exists()

        out = tmp_path / "roster.csv"
        await type_into(pilot, app, "#export-path", str(out), submit=False)
        await click(pilot, app, "#export")
        assert text_of(app, "#export-result") == f"Wrote 2 rows to {out}"
        with out.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))
        assert rows[0] == list(reports.COLUMNS["roster"])
        assert [r[2] for r in rows[1:]] == ["Ava R.", "Ben T."]

        screen.query_one("#export-kind", Select).value = "summary"
        await pilot.pause()
        assert path.value == str(out)  # a typed path is never replaced
        out2 = tmp_path / "summary.csv"
        await type_into(pilot, app, "#export-path", str(out2))
        assert text_of(app, "#export-result") == f"Wrote 1 row to {out2}"
        with out2.open(encoding="utf-8-sig", newline="") as fh:
            summary = list(csv.DictReader(fh))
        assert summary[0]["student"] == "Ava R." and summary[0]["best_score_percent"] == "100"


# -- safety of display and size


async def test_markup_in_class_and_student_names_is_shown_literally(classroom):
    room = room_of(classroom)
    staff = room.add_staff(NAME, "teacher", PASS)
    cls = room.create_class("Room [b]9[/b]", "3-5", staff)
    classroom.store.add_student(cls.id, "[@click=app.quit]Eve[/]", "", "3-5", classroom.clock())
    room.assign(cls.id, "alpha", staff=staff)
    app = build_teacher_app(room)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_class(pilot, app, staff, cls)
        assert "Room [b]9[/b]" in str(screen.query_one(".title", Static).render())
        student = classroom.roster(cls.id)[0]
        grid = screen.query_one("#live-table", DataTable)
        assert str(grid.get_cell(str(student.id), "name")) == "[@click=app.quit]Eve[/]"
        await pilot.press("2")
        roster = screen.query_one("#roster-list", OptionList)
        assert str(roster.get_option_at_index(0).prompt) == "[@click=app.quit]Eve[/]"
        assert app.is_running


async def test_resize_sweep_on_every_teacher_screen(demo):
    classroom, cls, (ava, _) = demo
    room = room_of(classroom)
    staff = room.add_staff(NAME, "teacher", PASS)
    room.assign(cls.id, "alpha", staff=staff)
    answer_all(classroom, ava.id, "alpha", right=True)
    app = build_teacher_app(room)

    async def sweep(pilot, sizes=((80, 24), (20, 5), (1, 1), (80, 24))) -> None:
        for w, h in sizes:
            await pilot.resize_terminal(w, h)
            await pilot.pause()
            too_small = app.screen.query_one("TooSmall")
            assert too_small.display == (w < 40 or h < 12), (app.screen, w, h)
        assert app.is_running

    async with app.run_test(size=SIZE) as pilot:
        await sweep(pilot, ((80, 24), (39, 24), (80, 11), (20, 5), (1, 1), (80, 24)))
        app.push_screen(SetUpScreen())
        await on_screen(pilot, app, SetUpScreen)
        await sweep(pilot)
        app.pop_screen()
        screen = await open_class(pilot, app, staff, cls)
        await pilot.press("4")  # item analysis: the fullest tab
        await sweep(pilot)
        for kind, dialog in ((NewClassDialog, NewClassDialog()),
                             (StudentDialog, StudentDialog("Add")),
                             (ConfirmDialog, ConfirmDialog("Remove", "Sure?", "Remove")),
                             (ImportDialog, ImportDialog(cls)),
                             (HistoryScreen, HistoryScreen(ava.id, "Ava R.")),
                             (LockScreen, LockScreen(staff))):
            app.push_screen(dialog)
            await on_screen(pilot, app, kind)
            await sweep(pilot)
            app.pop_screen()
            await wait_for(pilot, lambda: app.screen is screen)
        # A screen that was under a dialog while the window shrank catches up when it is back.
        app.push_screen(StudentDialog("Add"))
        await on_screen(pilot, app, StudentDialog)
        await pilot.resize_terminal(20, 5)
        await pilot.pause()
        app.pop_screen()
        await wait_for(pilot, lambda: app.screen is screen and
                       screen.query_one("TooSmall").display)
        await pilot.resize_terminal(*SIZE)
        await wait_for(pilot, lambda: not screen.query_one("TooSmall").display)
        await pilot.press("escape")
        await on_screen(pilot, app, ClassesScreen)
        await sweep(pilot)
