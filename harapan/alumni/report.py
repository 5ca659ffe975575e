"""The evaluation report of one survey: the response rate (overall, per cohort and per
kabupaten/kota), the figures the Banjarmasin evaluation quotes (seed 003) as the alumni reported
them and as Harapan recorded them for the same alumni - per respondent and aggregated (mean,
median, distribution) with the difference - and a summary of every other question.

Only submitted responses count. A fixed number of queries whatever the number of alumni: the
invitations, the answers, and the recorded figures (``figures.recorded_figures``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from harapan.conf import setting

from . import rules
from .figures import Recorded, recorded_figures
from .models import Answer, Figure, Invitation, QuestionKind, Survey, SurveyQuestion
from .selectors import RateRow, response_by_cohort, response_by_kabupaten, response_total

# What the Banjarmasin evaluation reported (seed 003, section B.2), for reference beside ours.
BANJARMASIN: dict[str, str] = {
    "caseload": "195 (umumnya 150–200)",
    "graduasi_mandiri": "10",
    "p2k2_meetings_per_month": "1 per kelompok (≈5)",
    "attendance_rate": "“sangat baik”",
    "modules_in_order": "umumnya sesuai urutan",
    "applying_share": "50,09%",
}
BANJARMASIN_RATE = "718 / 1.142 (62,87%)"
COUNT_FIGURES = frozenset({"caseload", "graduasi_mandiri"})


@dataclass
class FigureRow:
    """One figure: the question that asks it, the reported and recorded statistics over the same
    respondents, the paired difference, and both distributions."""

    figure: str
    label: str
    question: SurveyQuestion
    has_recorded: bool
    reported: rules.Stats
    recorded: rules.Stats
    recorded_all: rules.Stats
    difference: rules.Stats
    reported_dist: rules.Distribution
    recorded_dist: rules.Distribution
    banjarmasin: str
    unit: str = ""

    @property
    def bin_rows(self) -> list[tuple[str, int, int | None]]:
        """(label, reported count, recorded count or None) per bin."""
        recorded = self.recorded_dist.counts if self.has_recorded else [None] * len(self.reported_dist.bins)
        return [(b.label, b.count, r) for b, r in zip(self.reported_dist.bins, recorded, strict=True)]


@dataclass
class RespondentRow:
    invitation_id: int
    staff_id: int
    name: str
    kabupaten: str
    cohort: str
    submitted_at: dt.datetime | None
    reported: dict[str, Decimal | None] = field(default_factory=dict)
    recorded: dict[str, Decimal | None] = field(default_factory=dict)
    difference: dict[str, Decimal | None] = field(default_factory=dict)


@dataclass
class ChoiceCount:
    value: str
    label: str
    count: int
    share: Decimal | None


@dataclass
class QuestionSummary:
    question: SurveyQuestion
    answered: int
    stats: rules.Stats | None = None
    choices: list[ChoiceCount] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)


@dataclass
class EvaluationReport:
    survey: Survey
    area: str  # the kabupaten/kota the report is limited to, or ""
    total: RateRow
    by_cohort: list[RateRow]
    by_kabupaten: list[RateRow]
    figures: list[FigureRow]
    respondents: list[RespondentRow]
    questions: list[QuestionSummary]
    months: Decimal
    banjarmasin_rate: str = BANJARMASIN_RATE

    @property
    def figure_keys(self) -> list[str]:
        return [f.figure for f in self.figures]

    def chart_data(self) -> dict[str, Any]:
        """What the report's charts draw (Chart.js), as plain JSON."""
        return {
            "rates": {
                "labels": [r.label for r in self.by_kabupaten],
                "rate": [float(r.rate) if r.rate is not None else 0 for r in self.by_kabupaten],
            },
            "figures": [
                {
                    "key": f.figure,
                    "label": f.label,
                    "labels": f.reported_dist.labels,
                    "reported": f.reported_dist.counts,
                    "recorded": f.recorded_dist.counts if f.has_recorded else None,
                }
                for f in self.figures
            ],
        }


def evaluation_report(survey: Survey, invitations: QuerySet[Invitation], *, area: str = "") -> EvaluationReport:
    """The report over ``invitations`` (already limited to the reader's scope)."""
    questions = list(SurveyQuestion.objects.filter(survey=survey).order_by("order", "pk"))
    invited: list[dict[str, Any]] = [
        dict(row)
        for row in invitations.order_by("staff__full_name", "pk").values(
            "pk",
            "staff_id",
            "staff__full_name",
            "kabupaten__name",
            "participant__cohort__number",
            "submitted_at",
        )
    ]
    answered_ids = [i["pk"] for i in invited if i["submitted_at"] is not None]
    answers: dict[int, dict[int, dict[str, Any]]] = defaultdict(dict)
    for a in Answer.objects.filter(invitation_id__in=answered_ids).values(
        "invitation_id", "question_id", "number", "text", "choices"
    ):
        answers[a["invitation_id"]][a["question_id"]] = dict(a)
    recorded = recorded_figures(
        {i["staff_id"] for i in invited}, period_start=survey.period_start, period_end=survey.period_end
    )
    figure_questions = [q for q in questions if q.compares_with]
    respondents = [
        _respondent(i, figure_questions, answers.get(i["pk"], {}), recorded[i["staff_id"]])
        for i in invited
        if i["submitted_at"] is not None
    ]
    return EvaluationReport(
        survey=survey,
        area=area,
        total=response_total(invitations),
        by_cohort=response_by_cohort(invitations),
        by_kabupaten=response_by_kabupaten(invitations),
        figures=[_figure_row(q, respondents, recorded) for q in figure_questions],
        respondents=respondents,
        questions=[_summary(q, answers, answered_ids) for q in questions],
        months=rules.period_months(survey.period_start, survey.period_end),
    )


def _respondent(
    inv: dict[str, Any], figure_questions: list[SurveyQuestion], answers: dict[int, dict[str, Any]], rec: Recorded
) -> RespondentRow:
    row = RespondentRow(
        invitation_id=inv["pk"],
        staff_id=inv["staff_id"],
        name=inv["staff__full_name"],
        kabupaten=inv["kabupaten__name"] or "",
        cohort=str(inv["participant__cohort__number"] or ""),
        submitted_at=inv["submitted_at"],
    )
    for q in figure_questions:
        a = answers.get(q.pk)
        reported = rules.figure_value(q.compares_with, q.kind, a["number"], a["text"]) if a else None
        value = rec.value(q.compares_with)
        row.reported[q.compares_with] = reported
        row.recorded[q.compares_with] = value
        row.difference[q.compares_with] = rules.difference(reported, value)
    return row


def _figure_row(q: SurveyQuestion, respondents: list[RespondentRow], recorded: dict[int, Recorded]) -> FigureRow:
    figure = q.compares_with
    has_recorded = figure in rules.RECORDED_FIGURES
    edges = setting("alumni", "DISTRIBUTION_EDGES").get(figure, [0])
    whole = figure in COUNT_FIGURES
    top = 100 if figure in rules.PERCENT_FIGURES else None
    reported = [r.reported.get(figure) for r in respondents]
    mine = [r.recorded.get(figure) for r in respondents] if has_recorded else []
    return FigureRow(
        figure=figure,
        label=str(Figure(figure).label),
        question=q,
        has_recorded=has_recorded,
        reported=rules.describe(reported),
        recorded=rules.describe(mine),
        recorded_all=rules.describe(r.value(figure) for r in recorded.values()) if has_recorded else rules.describe([]),
        difference=rules.describe(r.difference.get(figure) for r in respondents),
        reported_dist=rules.distribution(reported, edges, whole=whole, maximum=top),
        recorded_dist=rules.distribution(mine, edges, whole=whole, maximum=top),
        banjarmasin=BANJARMASIN.get(figure, ""),
        unit="%" if figure in rules.PERCENT_FIGURES else q.unit,
    )


def _summary(
    q: SurveyQuestion, answers: dict[int, dict[int, dict[str, Any]]], answered_ids: list[int]
) -> QuestionSummary:
    given = [answers[i][q.pk] for i in answered_ids if q.pk in answers.get(i, {})]
    summary = QuestionSummary(question=q, answered=len(given))
    if q.kind in (QuestionKind.NUMBER, QuestionKind.SCALE):
        summary.stats = rules.describe(a["number"] for a in given)
    if q.kind == QuestionKind.SCALE:
        points = Counter(int(a["number"]) for a in given if a["number"] is not None)
        summary.choices = [
            ChoiceCount(
                value=str(v),
                label=_scale_label(q, v),
                count=points.get(v, 0),
                share=rules.percent(points.get(v, 0), len(given)),
            )
            for v in range(q.scale_min, q.scale_max + 1)
        ]
    elif q.kind == QuestionKind.CHOICE:
        counts: Counter[str] = Counter()
        for a in given:
            counts.update(a["choices"] if q.multiple else [a["text"]])
        summary.choices = [
            ChoiceCount(value=v, label=label, count=counts.get(v, 0), share=rules.percent(counts.get(v, 0), len(given)))
            for v, label in q.option_labels.items()
        ]
    elif q.kind == QuestionKind.TEXT:
        summary.texts = [a["text"] for a in given if a["text"]]
    return summary


def _scale_label(q: SurveyQuestion, v: int) -> str:
    if v == q.scale_min and q.scale_min_label:
        return f"{v} ({q.scale_min_label})"
    if v == q.scale_max and q.scale_max_label:
        return f"{v} ({q.scale_max_label})"
    return str(v)


def figure_note(figure: str) -> str:
    """How the recorded figure is computed, for the report's readers."""
    notes = {
        "caseload": _("KPM dalam program (calon, aktif, ditangguhkan) dengan pendamping ini, per hari ini."),
        "graduasi_mandiri": _("KPM dampingan yang statusnya menjadi graduasi mandiri dalam periode acuan."),
        "p2k2_meetings_per_month": _(
            "Pertemuan terlaksana dalam periode acuan yang dipandu pendamping ini (atau kelompoknya), dibagi jumlah bulan."
        ),
        "attendance_rate": _("Tanda hadir dibanding semua tanda kehadiran pada pertemuan tersebut."),
        "modules_in_order": _(
            "Persentase kelompok pendamping ini yang sesi intinya terlaksana sesuai urutan kurikulum. "
            "Jawaban “ya” dihitung 100, “tidak” 0."
        ),
        "applying_share": _("Tidak ada padanan tercatat: Harapan tidak mencatat penerapan materi oleh KPM."),
    }
    return str(notes.get(figure, ""))
