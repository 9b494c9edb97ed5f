"""Counselors and remediation: private notes, needs attention, a school year of follow-ups."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import pytest

from citizen import auth, engine
from citizen.classroom import Classroom
from citizen.cli import main
from citizen.engine import AttemptFact, Settings
from citizen.settings import load_settings
from citizen.staffroom import Staffroom
from citizen.ui.app import build_app
from citizen.ui.screens.home import HomeScreen
from test_app import SIZE, sign_in, text_of

FAST = auth.ScryptParams(n=2**10, r=8, p=1)
NOTE = "Shared her home address in the group chat on Monday"


@pytest.fixture
def room(classroom) -> Staffroom:
    return Staffroom(classroom, hash_params=FAST)


@pytest.fixture
def people(room, demo):
    classroom, cls, (ava, ben) = demo
    teacher = room.add_staff("Ms Rivera", "teacher", "river stones at dawn")
    counselor = room.add_staff("Dr Okafor", "counselor", "counsel me kindly")
    room.store.set_class_staff(cls.id, teacher.id)
    return classroom, cls, ava, ben, teacher, counselor


def take(classroom, student_id, module, part="lesson", right=True):
    quiz = classroom.begin(student_id, module, part)
    for item in quiz.items:
        ids = [c.id for c in item.choices if c.correct == right]
        classroom.answer(quiz.attempt_id, item.position, ids if right else ids[:1])
    return classroom.finish(quiz.attempt_id)


def test_private_note_is_seen_by_counselor_only_and_never_by_the_student(room, people,
                                                                         tmp_path):
    classroom, cls, ava, ben, teacher, counselor = people
    due = classroom.clock() + timedelta(days=5)
    room.assign_student(counselor, ava.id, "alpha", "review", due, NOTE)
    # the counselor sees the note and who made it
    [mine] = room.assignments_seen_by(counselor, [ava.id])
    assert mine.note == NOTE and mine.assigned_by == "Dr Okafor" and mine.part == "review"
    # the teacher sees the assignment, not the note or the author
    [seen] = room.assignments_seen_by(teacher, [ava.id])
    assert (seen.module_id, seen.due_at, seen.note, seen.assigned_by) == ("alpha", due, "", "")
    # the headless export (a teacher view) hides it too
    out = tmp_path / "a.csv"
    room.export(cls.id, "assignments", out)
    text = out.read_text("utf-8-sig")
    assert "alpha" in text and NOTE not in text and "Okafor" not in text
    # the student sees the module and due date at the top of home, never the note
    home = classroom.home(ava.id)
    assert home.assigned == (f"Assigned to you: Alpha module (review), due {due:%a %d %b}",)
    assert NOTE not in repr(home)
    # and another student sees nothing of it
    assert classroom.home(ben.id).assigned == ()
    assert NOTE not in repr(classroom.home(ben.id))


def test_shared_note_is_visible_to_the_teacher(room, people):
    classroom, cls, ava, ben, teacher, counselor = people
    room.assign_student(counselor, ava.id, "alpha", note=NOTE, shared=True)
    [seen] = room.assignments_seen_by(teacher, [ava.id])
    assert seen.note == NOTE and seen.assigned_by == "Dr Okafor" and seen.shared
    room.assign_student(counselor, ava.id, "beta", note=NOTE)
    private = [a for a in room.assignments_seen_by(counselor, [ava.id]) if a.module_id == "beta"]
    assert private[0].note == NOTE and not private[0].shared  # the counselor knows it is private


def test_counselor_finds_students_across_classes_teacher_sees_own(room, people):
    classroom, cls, ava, ben, teacher, counselor = people
    other = room.create_class("Room 9", "3-5")
    zed = classroom.add_student(other.id, "Ava Z.")
    found = room.find_students("ava")
    assert {s.id for s in found} == {ava.id, zed.id}
    coded = classroom.add_student(other.id, "Cy D.", code="S-20431")
    assert [s.id for s in room.find_students("2043")] == [coded.id]  # part of a code
    assert [s.id for s in room.find_students("s-20431")] == [coded.id]
    assert room.find_students("20") == []  # too short to be part of a code
    assert [c.id for c in room.classes(teacher)] == [cls.id, other.id]  # unowned is visible
    room.store.set_class_staff(other.id, counselor.id)
    assert [c.id for c in room.classes(teacher)] == [cls.id]
    assert len(room.classes(counselor)) == 2


def test_overview_shows_history_mastery_and_assignments(room, people):
    classroom, cls, ava, ben, teacher, counselor = people
    take(classroom, ava.id, "alpha", right=True)
    take(classroom, ava.id, "beta", right=False)
    room.assign_student(counselor, ava.id, "beta", "review", note=NOTE)
    ov = room.overview(counselor, ava.id)
    assert ("Alpha module", 100, True) in ov.mastery and ("Beta module", 0, False) in ov.mastery
    assert len(ov.history) == 2 and ov.assignments[0].note == NOTE
    assert room.overview(teacher, ava.id).assignments[0].note == ""


def test_needs_attention_rules(room, people, clock):
    classroom, cls, ava, ben, teacher, counselor = people
    assert room.needs_attention(counselor) == []
    take(classroom, ava.id, "alpha", right=False)
    assert room.needs_attention(counselor) == []          # one module missed is not yet
    take(classroom, ava.id, "beta", right=False)
    [(who, why)] = room.needs_attention(counselor)
    assert who.id == ava.id and why == engine.Attention(missed=("alpha", "beta"))
    assert why.reasons(str.upper) == ["missed mastery in 2 modules: ALPHA, BETA"]
    take(classroom, ava.id, "alpha", "review", right=True)  # mastered on review: off the list
    assert room.needs_attention(counselor) == []
    room.assign_student(counselor, ben.id, "alpha", due=clock.now + timedelta(days=1))
    assert room.needs_attention(teacher) == []
    clock.advance(days=2)
    [(who, why)] = room.needs_attention(teacher)
    assert who.id == ben.id and why.reasons() == ["overdue assignment: alpha"]
    take(classroom, ben.id, "alpha")
    assert room.needs_attention(teacher) == []


def test_needs_attention_engine_rule_is_pure():
    t = datetime(2026, 10, 1, tzinfo=timezone.utc)
    facts = [AttemptFact("a", "lesson", False, t), AttemptFact("b", "lesson", False, t),
             AttemptFact("b", "check", False, t + timedelta(days=1))]
    assert engine.needs_attention(facts, [], t).reasons() == ["missed mastery in 2 modules: a, b"]
    assert not engine.needs_attention(facts[:1], [("c", None)], t)


def test_a_simulated_school_year_of_spaced_follow_ups(store, library, clock):
    """Sept to June on a fake clock: 7/21/60-day checks, a miss sends the student to review."""
    classroom = Classroom(store, library=library, clock=clock, rng=random.Random(3))
    cls = classroom.create_class("Year", "3-5")
    kid = classroom.add_student(cls.id, "Kim L.")
    start = clock.now
    log = []

    def waiting():
        return {(q.part, q.step) for q in store.queue(kid.id) if q.due_at <= clock.now}

    first = take(classroom, kid.id, "alpha")
    assert first.score.mastered
    seen_lesson = {i.question.id for i in first.items}
    for day in range(1, 300):
        clock.now = start + timedelta(days=day)
        card = classroom.home(kid.id).cards[0]
        if card.todo:
            log.append((day, card.todo))
            if card.todo == "check":
                quiz = classroom.begin(kid.id, "alpha", "check")
                assert len(quiz.items) == 3
                if day < 10:  # the first check prefers questions not seen last time
                    pool = {q.id for q in library.get("alpha", "3-5").lesson.questions}
                    assert pool - seen_lesson <= {i.question.id for i in quiz.items}
                miss = day == 60  # the third check is missed
                for item in quiz.items:
                    ids = [c.id for c in item.choices if c.correct != miss]
                    classroom.answer(quiz.attempt_id, item.position, ids[:1] if miss else ids)
                classroom.finish(quiz.attempt_id)
            else:
                take(classroom, kid.id, "alpha", "review")
    # 7/21/60 days after mastery; the day-60 check is missed, so the review comes (next
    # morning, one item a day in this loop), and once it is mastered the schedule restarts
    # from that day: 61 + 7, 61 + 21, 61 + 60.
    assert log == [(7, "check"), (21, "check"), (60, "check"), (61, "review"),
                   (68, "check"), (82, "check"), (121, "check")]
    assert not waiting() and not store.queue(kid.id)


def test_district_settings_change_the_schedule(tmp_path):
    (tmp_path / "settings.yaml").write_text("followup_days: [3, 10]\ncheck_size: 2\n")
    loaded = load_settings(tmp_path)
    assert loaded.settings == Settings((3, 10), 2) and loaded.warning == ""
    (tmp_path / "settings.yaml").write_text("followup_days: [10, 3]\n")
    bad = load_settings(tmp_path)
    assert bad.settings == engine.DEFAULT_SETTINGS and "increasing" in bad.warning
    (tmp_path / "settings.yaml").write_text("followup_days: [7\n")
    assert "settings.yaml: line" in load_settings(tmp_path).warning


def test_cli_assign_with_note_and_ambiguity(room, people, capsys, monkeypatch, tmp_path):
    classroom, cls, ava, ben, teacher, counselor = people
    data = classroom.store.path.parent
    monkeypatch.setenv("CITIZEN_DATA_DIR", str(data))
    from conftest import FIXTURE_LESSONS
    monkeypatch.setenv("CITIZEN_LESSONS_DIR", str(FIXTURE_LESSONS))
    assert main(["assign", "Ava R.", "beta", "--review", "--due", "2026-10-01", "--note", NOTE,
                 "--by", "Dr Okafor"]) == 0
    assert "the note is private" in capsys.readouterr().out
    [line] = room.assignments_seen_by(teacher, [ava.id])
    assert line.part == "review" and line.note == ""
    other = room.create_class("Room 9", "3-5")
    classroom.add_student(other.id, "Ava R.")
    assert main(["assign", "Ava R.", "beta"]) == 2
    assert "matches several students" in capsys.readouterr().err
    assert main(["assign", "Ava R.", "beta", "--due", "next week"]) == 2
    assert main(["assign", "Nobody", "beta"]) == 2


async def test_student_sees_assignment_banner_in_the_app(room, people):
    classroom, cls, ava, ben, teacher, counselor = people
    room.assign_student(counselor, ava.id, "beta", due=classroom.clock() + timedelta(days=3),
                        note=NOTE)
    app = build_app(classroom)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, app, cls.join_code)
        assert isinstance(app.screen, HomeScreen)
        banner = text_of(app, "#home-assigned")
        assert banner.startswith("Assigned to you: Beta module, due ")
        assert app.screen.cards[0].module_id == "beta" and app.screen.cards[0].assigned
        shown = "".join(str(w.render()) for w in app.screen.query("Static"))
        assert NOTE not in shown
