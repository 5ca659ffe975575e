"""The alumni evaluation's pure rules (RULES.md "People and ratios": Facilitator training, "later
evaluation by questionnaire (718 of 1,142 alumni answered)"; seed 003)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from harapan.alumni import rules
from harapan.alumni.rules import QuestionSpec

OPTS = ({"value": "ya", "label": "Ya"}, {"value": "tidak", "label": "Tidak"})


def spec(kind: str, **kw: object) -> QuestionSpec:
    return QuestionSpec(kind=kind, **kw)  # type: ignore[arg-type]


# --- Question kinds --------------------------------------------------------------------------


def test_each_question_kind_accepts_its_own_shape() -> None:
    assert rules.question_violations(spec("number", number_min=Decimal(0), number_max=Decimal(100))) == []
    assert rules.question_violations(spec("scale", scale_min=1, scale_max=5)) == []
    assert rules.question_violations(spec("text")) == []
    assert rules.question_violations(spec("choice"), list(OPTS)) == []
    assert rules.question_violations(spec("choice", multiple=True), list(OPTS)) == []


def test_a_choice_needs_two_distinct_well_formed_options() -> None:
    assert rules.question_violations(spec("choice"), [{"value": "ya", "label": "Ya"}])
    assert rules.question_violations(spec("choice"), [])
    dup = [{"value": "ya", "label": "Ya"}, {"value": "ya", "label": "Iya"}]
    assert any("ganda" in m for m in rules.question_violations(spec("choice"), dup))
    bad = [{"value": "Ya Sekali", "label": "Ya"}, {"value": "tidak", "label": "Tidak"}]
    assert rules.question_violations(spec("choice"), bad)
    unlabelled = [{"value": "ya", "label": ""}, {"value": "tidak", "label": "Tidak"}]
    assert rules.question_violations(spec("choice"), unlabelled)


def test_only_a_choice_has_options_or_multiple_answers() -> None:
    assert rules.question_violations(spec("number"), list(OPTS))
    assert rules.question_violations(spec("text", multiple=True))


def test_a_scale_runs_upwards_over_at_most_eleven_points() -> None:
    assert rules.question_violations(spec("scale", scale_min=5, scale_max=1))
    assert rules.question_violations(spec("scale", scale_min=3, scale_max=3))
    assert rules.question_violations(spec("scale", scale_min=0, scale_max=10)) == []
    assert rules.question_violations(spec("scale", scale_min=0, scale_max=11))


def test_a_number_bounds_are_ordered() -> None:
    assert rules.question_violations(spec("number", number_min=Decimal(10), number_max=Decimal(5)))


def test_a_compared_question_is_of_a_kind_its_figure_can_be_asked_as() -> None:
    assert rules.question_violations(spec("number", compares_with="caseload")) == []
    assert rules.question_violations(spec("scale", compares_with="caseload"))
    assert rules.question_violations(spec("text", compares_with="attendance_rate"))
    assert rules.question_violations(spec("number", compares_with="unknown"))
    # Modules delivered in order: ya/tidak, a single choice with a "ya" option, or a percent.
    assert rules.question_violations(spec("choice", compares_with="modules_in_order"), list(OPTS)) == []
    assert rules.question_violations(spec("number", compares_with="modules_in_order")) == []
    assert rules.question_violations(spec("choice", multiple=True, compares_with="modules_in_order"), list(OPTS))
    no_ya = [{"value": "sudah", "label": "Sudah"}, {"value": "belum", "label": "Belum"}]
    assert rules.question_violations(spec("choice", compares_with="modules_in_order"), no_ya)


# --- Answers ---------------------------------------------------------------------------------


def parse(s: QuestionSpec, raw: str | list[str]) -> tuple[rules.ParsedAnswer, list[str]]:
    return rules.parse_answer(s, raw, text_max=50)


def test_a_number_is_read_as_typed_on_a_phone() -> None:
    """Seed 003: "rata-rata ... 50,09%" - Indonesian decimals use a comma, thousands a dot."""
    number = spec("number", number_min=Decimal(0), number_max=Decimal(2000))
    assert parse(number, "195")[0].number == Decimal("195.00")
    assert parse(number, "50,09")[0].number == Decimal("50.09")
    assert parse(number, "50.09")[0].number == Decimal("50.09")
    assert parse(number, "1.142")[0].number == Decimal("1142.00")
    assert parse(number, " 7 ")[0].number == Decimal("7.00")
    assert parse(number, "banyak")[1]
    assert parse(number, "2001")[1]
    assert parse(number, "-1")[1]


def test_an_empty_entry_is_a_valid_empty_answer() -> None:
    parsed, problems = parse(spec("number"), "")
    assert parsed.empty and problems == []
    assert parse(spec("choice", options=(("ya", "Ya"), ("tidak", "Tidak")), multiple=True), [])[0].empty


def test_a_scale_answer_is_a_whole_point_within_the_scale() -> None:
    scale = spec("scale", scale_min=1, scale_max=5)
    assert parse(scale, "4")[0].number == Decimal(4)
    assert parse(scale, "6")[1]
    assert parse(scale, "2,5")[1]


def test_a_choice_answer_is_one_of_its_options() -> None:
    single = spec("choice", options=(("ya", "Ya"), ("tidak", "Tidak")))
    assert parse(single, "ya")[0].text == "ya"
    assert parse(single, "mungkin")[1]
    assert parse(single, ["ya", "tidak"])[1]
    multi = spec("choice", options=(("m1", "1"), ("m2", "2"), ("m3", "3")), multiple=True)
    assert parse(multi, ["m3", "m1", "m1"])[0].choices == ("m1", "m3")
    assert parse(multi, ["m9"])[1]


def test_a_text_answer_has_a_length_limit() -> None:
    assert parse(spec("text"), "Pelatihan kewirausahaan")[0].text == "Pelatihan kewirausahaan"
    assert parse(spec("text"), "x" * 51)[1]


def test_required_questions_not_answered_are_listed() -> None:
    assert rules.missing_required([1, 2, 3], [2]) == [1, 3]
    assert rules.missing_required([1], [1, 5]) == []


# --- Period, response rate, reminders -------------------------------------------------------------


def test_the_response_rate_of_the_banjarmasin_evaluation() -> None:
    """Seed 003: "Dari 1.142 alumni Diklat P2K2, sebanyak 718 yang mengisi kuisioner"."""
    assert rules.response_rate(718, 1142) == Decimal("62.87")
    assert rules.response_rate(0, 0) is None


def test_the_default_reference_period_is_the_whole_months_before_opening() -> None:
    assert rules.default_reference_period(dt.date(2026, 11, 29), 6) == (dt.date(2026, 5, 1), dt.date(2026, 10, 31))
    assert rules.default_reference_period(dt.date(2026, 2, 3), 3) == (dt.date(2025, 11, 1), dt.date(2026, 1, 31))


def test_a_period_counts_whole_months_exactly_and_parts_by_days() -> None:
    assert rules.period_months(dt.date(2026, 5, 1), dt.date(2026, 10, 31)) == Decimal(6)
    assert rules.period_months(dt.date(2026, 1, 1), dt.date(2026, 12, 31)) == Decimal(12)
    assert rules.period_months(dt.date(2026, 6, 16), dt.date(2026, 6, 30)) == Decimal(15) / Decimal(30)
    assert rules.period_months(dt.date(2026, 6, 2), dt.date(2026, 6, 1)) == Decimal(0)


def test_reminders_stop_at_the_cap_and_keep_their_spacing() -> None:
    now = dt.datetime(2026, 11, 29, 10, tzinfo=dt.UTC)
    kw = {"now": now, "cap": 3, "min_days": 3}
    assert rules.may_remind(submitted=False, reminder_count=0, last_reminded_at=None, **kw)  # type: ignore[arg-type]
    assert not rules.may_remind(submitted=True, reminder_count=0, last_reminded_at=None, **kw)  # type: ignore[arg-type]
    assert not rules.may_remind(submitted=False, reminder_count=3, last_reminded_at=None, **kw)  # type: ignore[arg-type]
    recent = now - dt.timedelta(days=2)
    assert not rules.may_remind(submitted=False, reminder_count=1, last_reminded_at=recent, **kw)  # type: ignore[arg-type]
    old = now - dt.timedelta(days=3)
    assert rules.may_remind(submitted=False, reminder_count=2, last_reminded_at=old, **kw)  # type: ignore[arg-type]


def test_whatsapp_links_use_the_international_number() -> None:
    for phone in ("0812-3456-7890", "+62 812 3456 7890", "6281234567890", "812 3456 7890"):
        assert rules.whatsapp_number(phone) == "6281234567890"
    assert rules.whatsapp_number("") is None
    assert rules.whatsapp_number("12345") is None
    link = rules.whatsapp_link("0812-3456-7890", "Mohon isi: https://x/evaluasi/isi/abc/")
    assert link == "https://wa.me/6281234567890?text=Mohon%20isi%3A%20https%3A//x/evaluasi/isi/abc/"


# --- Report statistics ---------------------------------------------------------------------------


def test_mean_median_and_range() -> None:
    stats = rules.describe([Decimal(150), Decimal(200), None, 195, 240])
    assert (stats.n, stats.mean, stats.median) == (4, Decimal("196.25"), Decimal("197.50"))
    assert (stats.minimum, stats.maximum) == (Decimal("150.00"), Decimal("240.00"))
    assert rules.describe([]).mean is None


def test_the_distribution_counts_each_value_in_its_bin() -> None:
    """Seed 003: most pendamping accompany 150 to 200 KPM."""
    dist = rules.distribution([90, 150, 170, 199, 200, 310, -1], [0, 100, 150, 200, 250], whole=True)
    assert dist.labels == ["0–99", "100–149", "150–199", "200–249", "≥ 250"]
    assert dist.counts == [2, 0, 3, 1, 1]
    shares = rules.distribution([Decimal("79.5"), 80], [0, 50, 80])
    assert shares.labels == ["0–<50", "50–<80", "≥ 80"] and shares.counts == [0, 1, 1]
    in_order = rules.distribution([100, Decimal("83.33"), 0], [0, 50, 100], maximum=100)
    assert in_order.labels == ["0–<50", "50–<100", "100"] and in_order.counts == [1, 1, 1]


def test_a_yes_no_answer_counts_as_100_or_0_and_the_difference_is_reported_minus_recorded() -> None:
    assert rules.figure_value("modules_in_order", "choice", None, "ya") == 100
    assert rules.figure_value("modules_in_order", "choice", None, "tidak") == 0
    assert rules.figure_value("modules_in_order", "choice", None, "") is None
    assert rules.figure_value("caseload", "number", Decimal(195), "") == 195
    assert rules.difference(Decimal(195), Decimal(180)) == Decimal("15.00")
    assert rules.difference(None, Decimal(1)) is None
