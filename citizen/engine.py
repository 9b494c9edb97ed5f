"""Provides the quiz rules: drawing and shuffling questions, scoring, mastery and follow-ups.

Pure functions over `citizen.model` values. No I/O, no clock and no global randomness: callers
pass a `random.Random` and the current time, so every rule is testable on a fake clock.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable, Iterable, Sequence

from citizen.model import Answer, Part, Plan, Question, Score


@dataclass(frozen=True)
class Settings:
    """Remediation settings a district may change."""

    followup_days: tuple[int, ...] = (7, 21, 60)
    """Days after mastery (then after each passed check) when a module comes back."""
    check_size: int = 3
    """Questions in a spaced follow-up check."""


DEFAULT_SETTINGS = Settings()
"""What citizen uses unless told otherwise."""


def new_seed(rng: random.Random) -> int:
    """Returns a fresh seed for one attempt (stored with it)."""
    return rng.randrange(1, 2**31)


def plan_attempt(part: Part, seed: int, count: int | None = None,
                 avoid: Iterable[str] = ()) -> Plan:
    """Draws and orders the questions of one attempt.

    The draw prefers questions not in `avoid` (e.g. the ones seen last time), so a retry or a
    follow-up check is not the same quiz; it falls back to them only when the pool runs short.

    Args:
        part: the lesson or review part.
        seed: the attempt's seed; the same seed gives the same plan.
        count: questions to ask (default: the part's draw).
        avoid: question ids to use only if needed.

    Returns:
        The plan: question ids and each question's choice order.
    """
    rng = random.Random(seed)
    n = min(count or part.draw, len(part.questions))
    avoid_set = set(avoid)
    fresh = [q for q in part.questions if q.id not in avoid_set]
    seen = [q for q in part.questions if q.id in avoid_set]
    rng.shuffle(fresh)
    rng.shuffle(seen)
    chosen = (fresh + seen)[:n]
    rng.shuffle(chosen)
    orders = []
    for q in chosen:
        ids = [c.id for c in q.choices]
        if q.kind != "true_false":  # keep True before False: shuffling it only confuses
            rng.shuffle(ids)
        orders.append(tuple(ids))
    return Plan(tuple(q.id for q in chosen), tuple(orders))


def normalize_chosen(question: Question, chosen: Iterable[str]) -> tuple[str, ...]:
    """Validates a student's pick against a question.

    Returns:
        The chosen ids, sorted and without repeats.

    Raises:
        ValueError: for an unknown choice id, nothing chosen, or several for a one-answer kind.
    """
    picked = tuple(sorted(set(chosen)))
    known = {c.id for c in question.choices}
    unknown = [c for c in picked if c not in known]
    if unknown:
        raise ValueError(f"question {question.id!r} has no choice {unknown[0]!r}")
    if not picked:
        raise ValueError("choose an answer first")
    if question.kind != "select_all" and len(picked) != 1:
        raise ValueError("choose one answer")
    return picked


def is_correct(question: Question, chosen: Iterable[str]) -> bool:
    """Whether a pick is right: the one right choice, or exactly all right ones (select_all)."""
    return frozenset(chosen) == question.correct_ids


def next_position(plan: Plan, answers: Sequence[Answer]) -> int | None:
    """Returns the first unanswered position of a plan, or None when all are answered."""
    done = {a.position for a in answers}
    for i in range(len(plan.question_ids)):
        if i not in done:
            return i
    return None


def score(plan: Plan, answers: Sequence[Answer], mastery: float) -> Score:
    """Scores an attempt (unanswered questions count as wrong)."""
    right = sum(1 for a in answers if a.correct and a.position < len(plan.question_ids))
    return Score(right, len(plan.question_ids), mastery)


@dataclass(frozen=True)
class FollowUp:
    """Something the course schedules for a student after an attempt ends."""

    part: str
    """`review` or `check`."""
    due: datetime
    """When it becomes due."""
    step: int = 0
    """For checks: which interval of the schedule this is (0-based)."""
    reason: str = ""
    """Why, in words a student or counselor can read."""


def after_attempt(part: str, result: Score, now: datetime, step: int = 0,
                  settings: Settings = DEFAULT_SETTINGS) -> list[FollowUp]:
    """Decides what comes next when an attempt ends.

    - A missed lesson quiz or check queues the module's review, due now.
    - A mastered lesson (or review) schedules the first spaced check.
    - A passed check schedules the next interval, until the schedule runs out.
    - A missed review queues nothing new (the review stays open until mastered).

    Args:
        part: the part that was attempted (`lesson`, `review` or `check`).
        result: its score.
        now: the time it finished.
        step: for a check, which interval it was.
        settings: the follow-up schedule.

    Returns:
        The follow-ups to schedule (possibly none).
    """
    days = settings.followup_days
    if not result.mastered:
        if part in ("lesson", "check"):
            return [FollowUp("review", now, 0, "not yet mastered" if part == "lesson"
                             else "missed a follow-up check")]
        return []
    if part in ("lesson", "review"):
        return [FollowUp("check", now + timedelta(days=days[0]), 0,
                         f"follow-up check {days[0]} days after mastery")] if days else []
    if step + 1 < len(days):
        gap = days[step + 1] - days[step]
        return [FollowUp("check", now + timedelta(days=gap), step + 1,
                         f"follow-up check {days[step + 1]} days after mastery")]
    return []


@dataclass(frozen=True)
class AttemptFact:
    """What the needs-attention rule needs to know about one finished attempt."""

    module_id: str
    """Module."""
    part: str
    """lesson, review or check."""
    mastered: bool
    """Whether it met the threshold."""
    finished_at: datetime
    """When it ended."""


@dataclass(frozen=True)
class Attention:
    """Why a student needs a counselor's attention; false when they do not."""

    missed: tuple[str, ...] = ()
    """Modules whose mastery was missed (listed only when two or more are)."""
    overdue: tuple[str, ...] = ()
    """Modules of assignments past their due date and not done."""

    def __bool__(self) -> bool:
        return bool(self.missed or self.overdue)

    def reasons(self, name: Callable[[str], str] = str) -> list[str]:
        """The reasons in words, each module id shown by `name` (e.g. its title)."""
        out = []
        if self.missed:
            out.append(f"missed mastery in {len(self.missed)} modules: "
                       f"{', '.join(name(m) for m in self.missed)}")
        if self.overdue:
            out.append(f"overdue assignment: {', '.join(name(m) for m in self.overdue)}")
        return out


def needs_attention(attempts: Sequence[AttemptFact],
                    open_assignments: Sequence[tuple[str, datetime | None]],
                    now: datetime) -> Attention:
    """Says why a student needs a counselor's attention, if they do.

    A student needs attention when they have missed mastery in two or more modules (their
    latest lesson or review attempt there is not mastered, and none since is), or when an
    assignment is overdue.

    Args:
        attempts: the student's finished attempts.
        open_assignments: (module id, due) of assignments not yet done.
        now: the current time.
    """
    latest: dict[str, AttemptFact] = {}
    for a in sorted(attempts, key=lambda a: a.finished_at):
        if a.part in ("lesson", "review"):
            latest[a.module_id] = a
    missed = sorted(m for m, a in latest.items() if not a.mastered)
    overdue = sorted({m for m, due in open_assignments if due is not None and due < now})
    return Attention(tuple(missed) if len(missed) >= 2 else (), tuple(overdue))
