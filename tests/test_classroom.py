"""The classroom facade: sign-in, quiz flow, resume, remediation, content changes, names."""

import random
from dataclasses import replace
from datetime import timedelta

import pytest

from citizen.classroom import Classroom, ClassroomError, clean_name, normalize_code
from citizen.model import Library
from citizen.store import SaveError


def right_ids(item):
    return [c.id for c in item.choices if c.correct]


def wrong_ids(item):
    return [next(c.id for c in item.choices if not c.correct)]


def take(classroom, student, module="alpha", part="lesson", right=True):
    quiz = classroom.begin(student.id, module, part)
    for item in quiz.items:
        classroom.answer(quiz.attempt_id, item.position,
                         right_ids(item) if right else wrong_ids(item))
    return classroom.finish(quiz.attempt_id)


def test_join_code_finds_class_loosely_and_roster_lists_names(demo):
    classroom, cls, _ = demo
    assert set(cls.join_code) <= set("ACDEFGHJKLMNPQRTUVWXY34679") and len(cls.join_code) == 6
    typed = f" {cls.join_code[:3].lower()}-{cls.join_code[3:]} "
    assert classroom.find_class(typed).id == cls.id
    assert classroom.find_class("ZZZZZZ") is None and classroom.find_class("") is None
    assert [s.name for s in classroom.roster(cls.id)] == ["Ava R.", "Ben T."]


def test_whole_lesson_path_mastered(demo):
    classroom, _, (ava, _) = demo
    home = classroom.home(ava.id)
    assert [c.module_id for c in home.cards] == ["alpha", "beta"]
    assert home.age_message.startswith("You are under 13")
    result = take(classroom, ava)
    assert result.score.mastered and result.score.percent == 100
    card = classroom.home(ava.id).cards[0]
    assert (card.status, card.best_percent) == ("mastered", 100)


def test_feedback_comes_from_the_saved_answer(demo):
    classroom, _, (ava, _) = demo
    quiz = classroom.begin(ava.id, "alpha")
    item = quiz.items[0]
    fb = classroom.answer(quiz.attempt_id, 0, wrong_ids(item))
    assert not fb.correct and fb.right and fb.cites
    assert fb.chosen[0].feedback and fb.right[0].feedback
    # A second press on the same question cannot change the saved answer.
    fb2 = classroom.answer(quiz.attempt_id, 0, right_ids(item))
    assert not fb2.correct
    assert classroom.store.answers(quiz.attempt_id)[0].chosen == tuple(sorted(wrong_ids(item)))


def test_resume_after_restart_is_the_same_quiz_at_the_first_unanswered(demo, store, library,
                                                                       clock):
    classroom, _, (ava, _) = demo
    quiz = classroom.begin(ava.id, "alpha")
    classroom.answer(quiz.attempt_id, 0, right_ids(quiz.items[0]))
    classroom.answer(quiz.attempt_id, 1, wrong_ids(quiz.items[1]))
    fresh = Classroom(store, library=library, clock=clock, rng=random.Random(99))
    resumed = fresh.open_quiz(ava.id)
    assert resumed.attempt_id == quiz.attempt_id
    assert [i.question.id for i in resumed.items] == [i.question.id for i in quiz.items]
    assert [i.choices for i in resumed.items] == [i.choices for i in quiz.items]
    assert resumed.next_position == 2 and set(resumed.answers) == {0, 1}
    assert fresh.begin(ava.id, "alpha").attempt_id == quiz.attempt_id


def test_a_failed_save_does_not_move_on(demo, monkeypatch):
    classroom, _, (ava, _) = demo
    quiz = classroom.begin(ava.id, "alpha")

    def full(*a, **k):
        raise SaveError("could not save: database or disk is full")

    monkeypatch.setattr(classroom.store, "record_answer", full)
    with pytest.raises(ClassroomError, match="Could not save your answer. Tell your teacher"):
        classroom.answer(quiz.attempt_id, 0, right_ids(quiz.items[0]))
    monkeypatch.undo()
    assert classroom.quiz(quiz.attempt_id).next_position == 0
    classroom.answer(quiz.attempt_id, 0, right_ids(quiz.items[0]))
    assert classroom.quiz(quiz.attempt_id).next_position == 1


def test_missed_mastery_queues_one_review_with_new_questions(demo, clock):
    classroom, _, (ava, _) = demo
    first = classroom.begin(ava.id, "alpha")
    for item in first.items:
        classroom.answer(first.attempt_id, item.position, wrong_ids(item))
    result = classroom.finish(first.attempt_id)
    assert not result.score.mastered and "review" in result.next_step
    card = classroom.home(ava.id).cards[0]
    assert (card.todo, card.todo_part) == ("review", "review")
    take(classroom, ava, right=False)  # missing again does not pile up a second review
    assert len([q for q in classroom.store.queue(ava.id) if q.part == "review"]) == 1
    review = classroom.begin(ava.id, "alpha", "review")
    assert all(i.question.id.startswith("alpha.35.r") for i in review.items)
    for item in review.items:
        classroom.answer(review.attempt_id, item.position, right_ids(item))
    assert classroom.finish(review.attempt_id).score.mastered
    assert not [q for q in classroom.store.queue(ava.id) if q.part == "review"]
    checks = [q for q in classroom.store.queue(ava.id) if q.part == "check"]
    assert checks and checks[0].due_at == clock.now + timedelta(days=7)


def test_retry_avoids_last_questions(demo):
    classroom, _, (ava, _) = demo
    first = take(classroom, ava, right=False)
    second = classroom.begin(ava.id, "alpha")
    unseen = {"alpha.35.q%02d" % i for i in range(1, 7)} - {i.question.id for i in first.items}
    assert unseen <= {i.question.id for i in second.items}


def test_lesson_edited_mid_attempt_finishes_on_its_version(demo, library, store, clock):
    classroom, _, (ava, _) = demo
    quiz = classroom.begin(ava.id, "alpha")
    classroom.answer(quiz.attempt_id, 0, right_ids(quiz.items[0]))
    old = library.get("alpha", "3-5")
    edited = replace(old, version="edited0000000000", lesson=replace(
        old.lesson, questions=old.lesson.questions[3:]))  # questions removed
    newlib = Library({**library.modules, ("alpha", "3-5"): edited})
    later = Classroom(store, library=newlib, clock=clock)
    resumed = later.open_quiz(ava.id)
    assert "updated after you started" in resumed.notice
    assert [i.question.id for i in resumed.items] == [i.question.id for i in quiz.items]
    for item in resumed.items[1:]:
        later.answer(resumed.attempt_id, item.position, right_ids(item))
    assert later.finish(resumed.attempt_id).score.right == 4
    gone = Classroom(store, library=Library({("beta", "3-5"): library.get("beta", "3-5")}),
                     clock=clock)
    assert gone.result(resumed.attempt_id).score.total == 4  # old results stay readable


def test_a_student_cannot_answer_another_students_quiz(demo):
    classroom, _, (ava, ben) = demo
    quiz = classroom.begin(ava.id, "alpha")
    with pytest.raises(ClassroomError, match="not your quiz"):
        classroom.answer(quiz.attempt_id, 0, right_ids(quiz.items[0]), student_id=ben.id)
    assert classroom.home(ben.id).cards[0].status == "new"


def test_assigned_modules_come_first_with_due_date(demo, clock):
    classroom, _, (ava, _) = demo
    due = clock.now + timedelta(days=3)
    classroom.store.assign(ava.id, "beta", "3-5", "lesson", due, clock.now)
    cards = classroom.home(ava.id).cards
    assert cards[0].module_id == "beta" and cards[0].assigned and cards[0].due == due
    take(classroom, ava, module="beta")
    assert not classroom.home(ava.id).cards[0].assigned


def test_practice_profile_is_one_per_band(classroom):
    a = classroom.practice("k-2")
    assert classroom.practice("k-2").id == a.id and a.practice
    assert classroom.home(a.id).cards[0].module_id == "alpha"
    with pytest.raises(ClassroomError):
        classroom.practice("13+")


@pytest.mark.parametrize("raw, expected", [
    ("  Zoe   Q. ", "Zoe Q."),
    ("Jose\u0301 M.", "Jos\u00e9 M."),           # NFC
    ("\u05e9\u05e8\u05d4 \u05db.", "\u05e9\u05e8\u05d4 \u05db."),  # right-to-left is fine
    ("Lee \U0001F600", "Lee \U0001F600"),
])
def test_names_are_normalised(raw, expected):
    assert clean_name(raw) == expected


@pytest.mark.parametrize("raw, words", [
    ("", "empty"), ("   ", "empty"), ("a" * 41, "at most 40"), ("Ann\x1b[31m", "control"),
    ("Bo\u202eb", "control"), ("ann@school.org", "email"),
])
def test_bad_names_are_refused_with_a_reason(raw, words):
    with pytest.raises(ClassroomError, match=words):
        clean_name(raw)


def test_duplicate_names_in_a_class_are_refused(demo):
    classroom, cls, _ = demo
    with pytest.raises(ClassroomError, match="already in"):
        classroom.add_student(cls.id, "ava r.")


def test_join_code_normalisation():
    assert normalize_code(" kdm-47p ") == "KDM47P"
