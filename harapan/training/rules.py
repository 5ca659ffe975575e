"""Training rules as pure functions: test scores, the draw of questions, completion of a programme
and the risk of not completing (RULES.md "People and ratios": Facilitator training (Diklat P2K2):
"pretest, self-study (files, video), forum discussion graded by the facilitator, moderated chat,
posttest, video conference" [seed 001, 003]).

The numbers (pass mark, questions per test, forum minimum) are a programme's configuration, never
literals here.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy

HUNDRED = Decimal(100)
TWO_PLACES = Decimal("0.01")


def attempt_score(correct: int, total: int) -> Decimal:
    """A multiple-choice test's score 0-100 (two decimals), given at once on submit (seed 001:
    "dikerjakan langsung dengan multiple choose dimana nilai langsung keluar"). An unanswered
    question counts as wrong; a test with no question scores 0."""
    if total <= 0:
        return Decimal("0.00")
    return (Decimal(correct) * HUNDRED / Decimal(total)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def draw_questions(bank: Sequence[int], n: int, rng: random.Random) -> list[int]:
    """``n`` distinct question ids drawn at random from a session's bank (all of them, shuffled,
    when the bank holds fewer than ``n``). The draw is stored with the attempt, so a reload shows
    the same questions (RULES.md "People and ratios": Facilitator training)."""
    ids = sorted(set(bank))
    return rng.sample(ids, min(n, len(ids)))


def mean(values: Sequence[Decimal | int]) -> Decimal | None:
    if not values:
        return None
    return (sum((Decimal(v) for v in values), Decimal(0)) / len(values)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class CompletionRules:
    """A programme's completion rules (``Programme`` fields)."""

    pass_mark: int
    require_all_sessions: bool = True
    require_posttest_pass: bool = True
    min_forum_posts: int = 0
    min_forum_grade: int | None = None

    @classmethod
    def of(cls, programme: object) -> CompletionRules:
        return cls(
            pass_mark=programme.pass_mark,  # type: ignore[attr-defined]
            require_all_sessions=programme.require_all_sessions,  # type: ignore[attr-defined]
            require_posttest_pass=programme.require_posttest_pass,  # type: ignore[attr-defined]
            min_forum_posts=programme.min_forum_posts,  # type: ignore[attr-defined]
            min_forum_grade=programme.min_forum_grade,  # type: ignore[attr-defined]
        )


@dataclass(frozen=True)
class LearningRecord:
    """What one participant did in a cohort: the posttest score of each session they submitted,
    their forum posts per session (for the sessions that have a forum topic in the cohort) and
    the grades the facilitator gave their posts."""

    session_ids: Sequence[int]
    posttest_scores: Mapping[int, Decimal]
    topic_session_ids: Sequence[int] = ()
    posts_per_session: Mapping[int, int] = field(default_factory=dict)
    post_grades: Sequence[int] = ()


# Reasons a record does not complete, as codes the pages label.
MISSING_POSTTEST = "posttest_belum_lengkap"
BELOW_PASS_MARK = "nilai_di_bawah_batas"
FORUM_TOO_FEW = "forum_kurang"
FORUM_GRADE_LOW = "nilai_forum_kurang"
REASON_LABELS = {
    MISSING_POSTTEST: gettext_lazy("posttest belum lengkap"),
    BELOW_PASS_MARK: gettext_lazy("rata-rata posttest di bawah nilai kelulusan"),
    FORUM_TOO_FEW: gettext_lazy("tulisan forum kurang"),
    FORUM_GRADE_LOW: gettext_lazy("nilai forum kurang"),
}


@dataclass(frozen=True)
class Completion:
    completed: bool
    posttest_average: Decimal | None
    forum_average: Decimal | None
    missing_sessions: tuple[int, ...]
    forum_short_sessions: tuple[int, ...]
    reasons: tuple[str, ...]


def completion(rules: CompletionRules, record: LearningRecord) -> Completion:
    """Whether a participant completed the programme (RULES.md "People and ratios": Facilitator
    training): every session's posttest submitted (``require_all_sessions``); the posttest average
    at or above the pass mark (``require_posttest_pass``; exactly the pass mark passes); at least
    ``min_forum_posts`` posts in each session's forum that has a topic, and, when
    ``min_forum_grade`` is set, an average grade of the graded posts at or above it (seed 001:
    "Semua peserta harus terlibat aktif dalam diskusi ... dinilai oleh fasilitator")."""
    reasons: list[str] = []
    missing = tuple(s for s in record.session_ids if s not in record.posttest_scores)
    if rules.require_all_sessions and missing:
        reasons.append(MISSING_POSTTEST)
    average = mean([record.posttest_scores[s] for s in record.session_ids if s in record.posttest_scores])
    if rules.require_posttest_pass and (average is None or average < rules.pass_mark):
        reasons.append(BELOW_PASS_MARK)
    short = tuple(s for s in record.topic_session_ids if record.posts_per_session.get(s, 0) < rules.min_forum_posts)
    if short:
        reasons.append(FORUM_TOO_FEW)
    forum_average = mean(list(record.post_grades))
    if rules.min_forum_grade is not None and (forum_average is None or forum_average < rules.min_forum_grade):
        reasons.append(FORUM_GRADE_LOW)
    return Completion(
        completed=not reasons,
        posttest_average=average,
        forum_average=forum_average,
        missing_sessions=missing,
        forum_short_sessions=short,
        reasons=tuple(reasons),
    )


# Why a participant of a running cohort is at risk of not completing.
RISK_BEHIND = "tertinggal"
RISK_LOW_SCORE = "nilai_rendah"
RISK_NO_POSTS = "forum_kosong"
RISK_TIME = "waktu_hampir_habis"
RISK_LABELS = {
    RISK_BEHIND: gettext_lazy("tertinggal dari jadwal sesi"),
    RISK_LOW_SCORE: gettext_lazy("rata-rata posttest di bawah nilai kelulusan"),
    RISK_NO_POSTS: gettext_lazy("tulisan forum kurang di sesi yang sudah lewat"),
    RISK_TIME: gettext_lazy("waktu hampir habis dan syarat belum terpenuhi"),
}


def sessions_expected(n_sessions: int, starts_on: dt.date, ends_on: dt.date, today: dt.date) -> int:
    """Sessions a participant on schedule has finished by ``today``: the cohort's sessions spread
    evenly over its days, counting only days already over."""
    total = (ends_on - starts_on).days + 1
    over = min(max((today - starts_on).days, 0), total)
    return n_sessions * over // total


def risk_reasons(
    result: Completion,
    *,
    n_sessions: int,
    expected: int,
    short_so_far: int,
    pass_mark: int,
    days_left: int,
    warn_days: int,
) -> tuple[str, ...]:
    """Why a participant of a running cohort may not complete (issue 7: "who is at risk of not
    completing"): behind the schedule of posttests, a posttest average below the pass mark,
    forum posts missing in sessions already done, or few days left with the rule still unmet.
    Nobody who already meets the completion rule is at risk."""
    if result.completed:
        return ()
    reasons = []
    if n_sessions - len(result.missing_sessions) < expected:
        reasons.append(RISK_BEHIND)
    if result.posttest_average is not None and result.posttest_average < pass_mark:
        reasons.append(RISK_LOW_SCORE)
    if short_so_far:
        reasons.append(RISK_NO_POSTS)
    if days_left <= warn_days:
        reasons.append(RISK_TIME)
    return tuple(reasons)


def days_left(ends_on: dt.date, today: dt.date) -> int:
    """Days of the cohort left, counting today; 0 once it has ended."""
    return max((ends_on - today).days + 1, 0)


def gain(pre: Decimal | None, post: Decimal | None) -> Decimal | None:
    """Posttest minus pretest, when both are known."""
    if pre is None or post is None:
        return None
    return post - pre
