"""The pure quiz rules: draws, shuffles, scoring, mastery and follow-ups."""

from datetime import datetime, timedelta, timezone

import pytest

from citizen import engine
from citizen.model import Answer, Score

NOW = datetime(2026, 9, 8, tzinfo=timezone.utc)


def test_plan_is_stable_for_a_seed_and_varies_across_seeds(library):
    part = library.get("alpha", "3-5").lesson
    a = engine.plan_attempt(part, 42)
    assert a == engine.plan_attempt(part, 42)
    assert len(a.question_ids) == part.draw == 4
    assert len(set(a.question_ids)) == 4
    plans = {engine.plan_attempt(part, s) for s in range(30)}
    assert len({p.question_ids for p in plans}) > 5
    assert len({p.choice_orders for p in plans}) > 5


def test_every_choice_appears_once_and_true_false_keeps_its_order(library):
    part = library.get("alpha", "3-5").lesson
    for seed in range(20):
        plan = engine.plan_attempt(part, seed)
        for qid, order in zip(plan.question_ids, plan.choice_orders):
            q = part.question(qid)
            assert sorted(order) == sorted(c.id for c in q.choices)
            if q.kind == "true_false":
                assert order == ("true", "false")


def test_avoid_prefers_unseen_questions(library):
    part = library.get("alpha", "3-5").lesson  # pool 6, draw 4
    first = engine.plan_attempt(part, 1)
    second = engine.plan_attempt(part, 2, avoid=first.question_ids)
    unseen = {q.id for q in part.questions} - set(first.question_ids)
    assert unseen <= set(second.question_ids)
    check = engine.plan_attempt(part, 3, count=2, avoid=first.question_ids)
    assert set(check.question_ids) == unseen


def test_scoring_single_true_false_and_select_all(library):
    part = library.get("alpha", "3-5").lesson
    single, tf, many = part.questions[0], part.questions[1], part.questions[2]
    assert engine.is_correct(single, ["a"]) and not engine.is_correct(single, ["b"])
    assert engine.is_correct(tf, ["false"]) and not engine.is_correct(tf, ["true"])
    assert engine.is_correct(many, ["x", "y"])
    assert not engine.is_correct(many, ["x"]) and not engine.is_correct(many, ["x", "y", "z"])


def test_normalize_rejects_bad_picks(library):
    part = library.get("alpha", "3-5").lesson
    single, many = part.questions[0], part.questions[2]
    assert engine.normalize_chosen(many, ["y", "x", "x"]) == ("x", "y")
    for bad in ([], ["nope"], ["a", "b"]):
        with pytest.raises(ValueError):
            engine.normalize_chosen(single, bad)


def test_next_position_and_score(library):
    part = library.get("alpha", "3-5").lesson
    plan = engine.plan_attempt(part, 5)
    answers = [Answer(0, plan.question_ids[0], ("a",), True, NOW),
               Answer(2, plan.question_ids[2], ("a",), False, NOW)]
    assert engine.next_position(plan, answers) == 1
    s = engine.score(plan, answers, 0.8)
    assert (s.right, s.total, s.percent, s.mastered) == (1, 4, 25, False)
    assert Score(4, 5, 0.8).mastered and not Score(3, 5, 0.8).mastered
    assert Score(4, 4, 0.8).mastered and not Score(0, 0, 0.8).mastered


def test_follow_ups_review_then_spaced_checks():
    miss, hit = Score(2, 5, 0.8), Score(5, 5, 0.8)
    [review] = engine.after_attempt("lesson", miss, NOW)
    assert (review.part, review.due) == ("review", NOW)
    assert engine.after_attempt("review", miss, NOW) == []
    [c0] = engine.after_attempt("lesson", hit, NOW)
    assert (c0.part, c0.due, c0.step) == ("check", NOW + timedelta(days=7), 0)
    [c1] = engine.after_attempt("check", hit, c0.due, step=0)
    assert c1.due == NOW + timedelta(days=21) and c1.step == 1
    [c2] = engine.after_attempt("check", hit, c1.due, step=1)
    assert c2.due == NOW + timedelta(days=60) and c2.step == 2
    assert engine.after_attempt("check", hit, c2.due, step=2) == []
    [back] = engine.after_attempt("check", Score(1, 3, 0.8), c2.due, step=2)
    assert back.part == "review"


def test_schedule_is_a_setting():
    s = engine.Settings(followup_days=(3, 10))
    [c0] = engine.after_attempt("lesson", Score(5, 5, 0.8), NOW, settings=s)
    assert c0.due == NOW + timedelta(days=3)
    [c1] = engine.after_attempt("check", Score(3, 3, 0.8), c0.due, 0, s)
    assert c1.due == NOW + timedelta(days=10)
