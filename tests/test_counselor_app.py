"""Pilot tests of the counselor screens at 80x24: find, overview, assign with a note, attention."""

from __future__ import annotations

from datetime import date

from textual.widgets import DataTable, Select, Static, TextArea

from citizen.staffroom import Staffroom
from citizen.ui.teacher.app import build_teacher_app
from citizen.ui.teacher.classes import ClassesScreen
from citizen.ui.teacher.counselor_assign import AssignStudentDialog
from citizen.ui.teacher.counselor_attention import NeedsAttentionScreen
from citizen.ui.teacher.counselor_find import FindStudentScreen
from citizen.ui.teacher.counselor_overview import StudentOverviewScreen
from test_teacher_app import (FAST, SIZE, answer_all, click, on_screen, text_of, type_into,
                              wait_for)

NOTE = "Shared her home address in the group chat on Monday"
TEACHER = ("Ms Rivera", "river stones at dawn")
COUNSELOR = ("Dr Okafor", "counsel me kindly")


def people(demo):
    """The demo class owned by a teacher, and a counselor; returns (room, teacher, counselor)."""
    classroom, cls, _ = demo
    room = Staffroom(classroom, hash_params=FAST)
    teacher = room.add_staff(TEACHER[0], "teacher", TEACHER[1])
    counselor = room.add_staff(COUNSELOR[0], "counselor", COUNSELOR[1])
    classroom.store.set_class_staff(cls.id, teacher.id)
    return room, teacher, counselor


async def sign_in(pilot, app, name: str, passphrase: str) -> None:
    """Signs in through the sign-in screen, as a person would."""
    app.screen.query_one("#who", Select).value = name
    await type_into(pilot, app, "#passphrase", passphrase)
    await on_screen(pilot, app, ClassesScreen)


def rows(app, selector: str) -> list[list[str]]:
    table = app.screen.query_one(selector, DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def open_overview(pilot, app, student_id: int) -> StudentOverviewScreen:
    app.push_screen(StudentOverviewScreen(student_id))
    await on_screen(pilot, app, StudentOverviewScreen)
    return app.screen


async def test_counselor_finds_a_student_and_assigns_a_review_with_a_private_note(demo):
    classroom, cls, (ava, ben) = demo
    room, teacher, counselor = people(demo)
    app = build_teacher_app(room)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, app, *COUNSELOR)
        keys = app.screen.active_bindings
        assert keys["f"].binding.description == "Find a student"
        assert keys["a"].binding.description == "Needs attention"
        assert "all classes" in text_of(app, "#classes-title")

        await pilot.press("f")
        await on_screen(pilot, app, FindStudentScreen)
        await pilot.press(*"ben")
        await wait_for(pilot, lambda: rows(app, "#find-results")
                       == [["Ben T.", "Room 12", "Grades 3-5"]])
        assert text_of(app, "#find-count") == "1 student found"
        await pilot.press("enter")
        await on_screen(pilot, app, StudentOverviewScreen)
        overview = app.screen
        assert overview.student_id == ben.id
        assert text_of(app, "#overview-title").startswith("Ben T. · Room 12")

        await pilot.press("n")
        await on_screen(pilot, app, AssignStudentDialog)
        dialog = app.screen
        dialog.query_one("#counselor-module", Select).value = "alpha"
        dialog.query_one("#counselor-part", Select).value = "review"
        dialog.query_one("#counselor-note", TextArea).text = NOTE
        assert dialog.query_one("#counselor-share").value is False  # private by default
        await type_into(pilot, app, "#counselor-due", "2026-10-01")  # Enter sends the form
        await wait_for(pilot, lambda: app.screen is overview)
        await wait_for(pilot, lambda: NOTE in text_of(app, "#overview-note"))
        assert "Dr Okafor (private: teachers do not see it)" in text_of(app, "#overview-note")
        [line] = rows(app, "#overview-assignments")
        assert line[:4] == ["Alpha module", "Review", "Thu 01 Oct", "open"]

    # The student sees the review and its due date, never the note.
    home = classroom.home(ben.id)
    assert home.assigned == ("Assigned to you: Alpha module (review), due Thu 01 Oct",)
    assert NOTE not in repr(home) and "Okafor" not in repr(home)
    card = next(c for c in home.cards if c.module_id == "alpha")
    assert card.assigned and card.due is not None and card.due.date() == date(2026, 10, 1)
    assert classroom.home(ava.id).assigned == ()
    # The class teacher sees the assignment, not the note or who made it.
    [seen] = room.assignments_seen_by(teacher, [ben.id])
    assert (seen.module_id, seen.part, seen.note, seen.assigned_by) == ("alpha", "review", "",
                                                                         "")
    # The counselor's overview has the note.
    [mine] = room.overview(counselor, ben.id).assignments
    assert mine.note == NOTE and mine.assigned_by == "Dr Okafor"


async def test_a_bad_or_past_due_date_is_refused_with_a_message(demo):
    classroom, cls, (ava, _) = demo
    room, teacher, counselor = people(demo)
    app = build_teacher_app(room)
    async with app.run_test(size=SIZE) as pilot:
        app.signed_in(counselor)
        await on_screen(pilot, app, ClassesScreen)
        overview = await open_overview(pilot, app, ava.id)
        await pilot.press("n")
        await on_screen(pilot, app, AssignStudentDialog)
        dialog = app.screen
        await click(pilot, app, "#ok")
        assert text_of(app, "#counselor-error") == "Pick a module."
        dialog.query_one("#counselor-module", Select).value = "beta"
        for bad in ("10/01/2026", "2026-02-30", "next week"):
            await type_into(pilot, app, "#counselor-due", bad)
            assert "YYYY-MM-DD" in text_of(app, "#counselor-error"), bad
            assert app.screen is dialog
        await type_into(pilot, app, "#counselor-due", "2026-09-07")  # the clock says 09-08
        assert "has passed" in text_of(app, "#counselor-error")
        assert app.screen is dialog and room.assignments_seen_by(counselor, [ava.id]) == []
        await type_into(pilot, app, "#counselor-due", "")  # no date at all is fine
        await wait_for(pilot, lambda: app.screen is overview)
        [line] = room.assignments_seen_by(counselor, [ava.id])
        assert (line.module_id, line.part, line.due_at, line.note) == ("beta", "lesson", None, "")
        await wait_for(pilot, lambda: rows(app, "#overview-assignments")[0][:4]
                       == ["Beta module", "Lesson", "—", "open"])
        assert text_of(app, "#overview-note") == "No note from Dr Okafor."


async def test_a_teacher_has_no_counselor_keys(demo):
    classroom, cls, _ = demo
    room, teacher, counselor = people(demo)
    app = build_teacher_app(room)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, app, *TEACHER)
        screen = app.screen
        keys = app.screen.active_bindings
        assert "n" in keys and "f" not in keys and "a" not in keys
        assert "your classes" in text_of(app, "#classes-title")
        await pilot.press("f", "a")
        await pilot.pause()
        assert app.screen is screen and len(app.screen_stack) == 2
        # and the actions themselves refuse, whoever calls them
        await app.run_action("find_student", screen)
        await app.run_action("needs_attention", screen)
        await pilot.pause()
        assert app.screen is screen


async def test_needs_attention_lists_a_student_who_missed_two_modules_with_why(demo):
    classroom, cls, (ava, ben) = demo
    room, teacher, counselor = people(demo)
    eve = classroom.store.add_student(cls.id, "[b]Eve[/b] S.", "", "3-5", classroom.clock())
    answer_all(classroom, eve.id, "alpha", right=False)
    answer_all(classroom, eve.id, "beta", right=False)
    answer_all(classroom, ava.id, "alpha", right=False)  # one module missed is not yet
    app = build_teacher_app(room)
    async with app.run_test(size=SIZE) as pilot:
        app.signed_in(counselor)
        await on_screen(pilot, app, ClassesScreen)
        await pilot.press("a")
        await on_screen(pilot, app, NeedsAttentionScreen)
        listed = app.screen
        [(name, room_name, why)] = rows(app, "#attention")
        assert (name, room_name) == ("[b]Eve[/b] S.", "Room 12")
        assert why.startswith("Missed mastery in 2 modules: Alpha module")
        # the table cuts long reasons; the line under it has them in full, ids as titles
        assert text_of(app, "#attention-why") == ("[b]Eve[/b] S.: Missed mastery in 2 "
                                                  "modules: Alpha module, Beta module.")
        await pilot.press("enter")
        await on_screen(pilot, app, StudentOverviewScreen)
        assert app.screen.student_id == eve.id
        mastery = {r[0]: r[1:] for r in rows(app, "#overview-mastery")}
        assert mastery["Alpha module"] == ["0%", "✘ not yet"]
        assert mastery["Beta module"] == ["0%", "✘ not yet"]
        await pilot.press("3")
        await wait_for(pilot, lambda: app.screen.query_one("#overview-history").has_focus)
        assert len(rows(app, "#overview-history")) == 2
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is listed)


async def test_resize_sweep_on_the_counselor_screens(demo):
    classroom, cls, (ava, _) = demo
    room, teacher, counselor = people(demo)
    answer_all(classroom, ava.id, "alpha", right=False)
    answer_all(classroom, ava.id, "beta", right=False)
    room.assign_student(counselor, ava.id, "alpha", "review", note=NOTE)
    app = build_teacher_app(room)

    async def sweep(pilot) -> None:
        for w, h in ((80, 24), (20, 5), (1, 1), (80, 24)):
            await pilot.resize_terminal(w, h)
            await pilot.pause()
            assert app.screen.query_one("TooSmall").display == (w < 40 or h < 12), (w, h)
        assert app.is_running

    async with app.run_test(size=SIZE) as pilot:
        app.signed_in(counselor)
        await on_screen(pilot, app, ClassesScreen)
        await pilot.press("f")
        await on_screen(pilot, app, FindStudentScreen)
        await pilot.press(*"av")
        await wait_for(pilot, lambda: len(rows(app, "#find-results")) == 1)
        await sweep(pilot)
        await pilot.press("escape", "a")
        await on_screen(pilot, app, NeedsAttentionScreen)
        await sweep(pilot)
        await pilot.press("enter")
        await on_screen(pilot, app, StudentOverviewScreen)
        await pilot.press("2")
        await sweep(pilot)
        await pilot.press("n")
        await on_screen(pilot, app, AssignStudentDialog)
        await sweep(pilot)
        assert isinstance(app.screen, AssignStudentDialog)
        assert isinstance(app.screen_stack[-2], StudentOverviewScreen)
        assert NOTE in str(app.screen_stack[-2].query_one("#overview-note", Static).render())
