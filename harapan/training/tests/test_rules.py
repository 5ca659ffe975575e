"""The pure rules of training (RULES.md "People and ratios": Facilitator training (Diklat P2K2)
[seed 001, 003]): scores given at once, the draw of questions, completion at its edges."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping
from decimal import Decimal

from harapan.training.rules import (
    BELOW_PASS_MARK,
    FORUM_GRADE_LOW,
    FORUM_TOO_FEW,
    MISSING_POSTTEST,
    RISK_BEHIND,
    RISK_LOW_SCORE,
    RISK_NO_POSTS,
    RISK_TIME,
    CompletionRules,
    LearningRecord,
    attempt_score,
    completion,
    days_left,
    draw_questions,
    gain,
    risk_reasons,
    sessions_expected,
)

SESSIONS = list(range(1, 15))  # the curriculum's 14 sessions


def record(
    scores: Mapping[int, int | str], posts: dict[int, int] | None = None, grades: tuple[int, ...] = ()
) -> LearningRecord:
    return LearningRecord(
        session_ids=SESSIONS,
        posttest_scores={s: Decimal(str(v)) for s, v in scores.items()},
        topic_session_ids=SESSIONS,
        posts_per_session=posts if posts is not None else dict.fromkeys(SESSIONS, 1),
        post_grades=grades,
    )


RULES = CompletionRules(pass_mark=70, min_forum_posts=1)


def test_score_is_right_answers_over_questions_drawn_two_decimals() -> None:
    assert attempt_score(4, 5) == Decimal("80.00")
    assert attempt_score(2, 3) == Decimal("66.67")
    assert attempt_score(0, 5) == Decimal("0.00")
    assert attempt_score(5, 5) == Decimal("100.00")


def test_score_of_an_empty_test_is_zero_not_an_error() -> None:
    assert attempt_score(0, 0) == Decimal("0.00")


def test_draw_takes_n_distinct_questions_from_the_bank() -> None:
    bank = list(range(100, 120))
    drawn = draw_questions(bank, 5, random.Random(1))
    assert len(drawn) == len(set(drawn)) == 5
    assert set(drawn) <= set(bank)


def test_draw_from_a_bank_smaller_than_n_takes_the_whole_bank() -> None:
    assert sorted(draw_questions([3, 1, 2], 5, random.Random(1))) == [1, 2, 3]


def test_draw_is_random_between_participants() -> None:
    bank = list(range(50))
    draws = {tuple(draw_questions(bank, 5, random.Random(seed))) for seed in range(10)}
    assert len(draws) > 1


def test_posttest_average_exactly_at_the_pass_mark_completes() -> None:
    scores = dict.fromkeys(SESSIONS, 70)
    result = completion(RULES, record(scores))
    assert result.completed and result.posttest_average == Decimal("70.00")


def test_posttest_average_a_hair_below_the_pass_mark_does_not_complete() -> None:
    scores: dict[int, int | str] = dict.fromkeys(SESSIONS, 70)
    scores[1] = "69.86"  # average 69.99
    result = completion(RULES, record(scores))
    assert not result.completed and result.reasons == (BELOW_PASS_MARK,)


def test_one_session_without_posttest_does_not_complete_when_all_are_required() -> None:
    scores = {s: 100 for s in SESSIONS[:-1]}
    result = completion(RULES, record(scores))
    assert not result.completed
    assert result.reasons == (MISSING_POSTTEST,) and result.missing_sessions == (14,)


def test_one_session_missing_is_allowed_when_the_programme_does_not_require_all() -> None:
    scores = {s: 100 for s in SESSIONS[:-1]}
    rules = CompletionRules(pass_mark=70, require_all_sessions=False, min_forum_posts=1)
    assert completion(rules, record(scores)).completed


def test_one_forum_post_short_does_not_complete() -> None:
    posts = dict.fromkeys(SESSIONS, 1)
    posts[7] = 0
    result = completion(RULES, record(dict.fromkeys(SESSIONS, 90), posts))
    assert not result.completed
    assert result.reasons == (FORUM_TOO_FEW,) and result.forum_short_sessions == (7,)


def test_forum_minimum_counts_per_session_with_a_topic() -> None:
    rules = CompletionRules(pass_mark=70, min_forum_posts=2)
    posts = dict.fromkeys(SESSIONS, 2)
    assert completion(rules, record(dict.fromkeys(SESSIONS, 90), posts)).completed
    posts[3] = 1
    assert not completion(rules, record(dict.fromkeys(SESSIONS, 90), posts)).completed


def test_a_session_without_a_forum_topic_asks_for_no_post() -> None:
    r = LearningRecord(
        session_ids=SESSIONS,
        posttest_scores={s: Decimal(90) for s in SESSIONS},
        topic_session_ids=[1, 2],
        posts_per_session={1: 1, 2: 1},
    )
    assert completion(RULES, r).completed


def test_forum_grade_minimum_at_its_edge() -> None:
    rules = CompletionRules(pass_mark=70, min_forum_posts=1, min_forum_grade=75)
    scores = dict.fromkeys(SESSIONS, 90)
    assert completion(rules, record(scores, grades=(70, 80))).completed  # average exactly 75
    result = completion(rules, record(scores, grades=(70, 79)))
    assert result.reasons == (FORUM_GRADE_LOW,)


def test_forum_grade_minimum_with_nothing_graded_does_not_complete() -> None:
    rules = CompletionRules(pass_mark=70, min_forum_posts=1, min_forum_grade=60)
    assert not completion(rules, record(dict.fromkeys(SESSIONS, 90))).completed


def test_no_posttest_at_all_fails_on_both_rules() -> None:
    result = completion(RULES, record({}))
    assert result.reasons == (MISSING_POSTTEST, BELOW_PASS_MARK) and result.posttest_average is None


def test_pass_mark_rule_can_be_switched_off() -> None:
    rules = CompletionRules(pass_mark=70, require_posttest_pass=False, min_forum_posts=1)
    assert completion(rules, record(dict.fromkeys(SESSIONS, 10))).completed


def test_days_left_counts_today_and_stops_at_zero() -> None:
    end = dt.date(2018, 5, 30)  # seed 001: 19-30 Mei 2018
    assert days_left(end, dt.date(2018, 5, 19)) == 12
    assert days_left(end, end) == 1
    assert days_left(end, dt.date(2018, 6, 2)) == 0


def test_gain_is_post_minus_pre_when_both_are_known() -> None:
    assert gain(Decimal(50), Decimal(80)) == Decimal(30)
    assert gain(None, Decimal(80)) is None


def test_sessions_expected_spreads_the_sessions_over_the_cohorts_days() -> None:
    start, end = dt.date(2018, 5, 19), dt.date(2018, 5, 30)  # seed 001: 12 calendar days
    assert sessions_expected(14, start, end, start) == 0
    assert sessions_expected(14, start, end, dt.date(2018, 5, 25)) == 14 * 6 // 12
    assert sessions_expected(14, start, end, dt.date(2018, 6, 30)) == 14


def risks(result_scores: dict[int, int], *, expected: int, days: int = 8, short: int = 0) -> tuple[str, ...]:
    result = completion(RULES, record(result_scores))
    return risk_reasons(
        result, n_sessions=14, expected=expected, short_so_far=short, pass_mark=70, days_left=days, warn_days=3
    )


def test_a_participant_on_schedule_with_good_scores_is_not_at_risk() -> None:
    assert risks({1: 90, 2: 80, 3: 75}, expected=3) == ()


def test_a_participant_behind_schedule_is_at_risk() -> None:
    assert risks({1: 90, 2: 80}, expected=3) == (RISK_BEHIND,)


def test_a_posttest_average_below_the_pass_mark_is_at_risk() -> None:
    assert risks({1: 60, 2: 70, 3: 70}, expected=3) == (RISK_LOW_SCORE,)


def test_missing_forum_posts_in_sessions_already_done_is_at_risk() -> None:
    assert risks({1: 90, 2: 90, 3: 90}, expected=3, short=1) == (RISK_NO_POSTS,)


def test_few_days_left_without_meeting_the_rule_is_at_risk_and_meeting_it_never_is() -> None:
    assert risks({1: 90, 2: 90, 3: 90}, expected=3, days=3) == (RISK_TIME,)
    assert risks(dict.fromkeys(SESSIONS, 90), expected=14, days=0) == ()
