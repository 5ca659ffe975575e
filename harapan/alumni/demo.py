"""Demo data: an alumni survey of the demo district's finished cohort, some weeks into its run
(issue 7, "Done when": "an alumni survey with answers, and its evaluation report").

Run after the training demo (``harapan.training.demo.seed_training``) has finished a cohort whose
alumni are pendamping of ``kabupaten_code``, and after the field year (their meetings, attendance and
graduations) so the report has recorded figures to set beside the answers. The survey is created,
given the default questions and opened through the services; about 60% of the alumni answer, in
three waves with a reminder before the second and the third (the Banjarmasin evaluation reached
718 of 1,142, seed 003). Answers are plausible: near, but not equal to, what each pendamping
recorded - caseload a little rounded up, attendance a little flattering. Set-based: a fixed number of
queries whatever the number of alumni.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from harapan.accounts.models import Role, Staff
from harapan.audit.services import audit_events_save
from harapan.conf import setting
from harapan.training.models import Cohort, CohortStatus, ParticipantStatus

from . import events, rules
from .figures import Recorded, recorded_figures
from .models import Answer, Invitation, Survey, SurveyQuestion
from .services import invitations_remind, questions_load_default, survey_create, survey_open

# Shares of the alumni who answer in each wave: before the first reminder, after it, after the second.
WAVES = (0.40, 0.15, 0.05)
ADVICE = [
    "Pelatihan kewirausahaan agar dapat mendampingi usaha KPM.",
    "Pendalaman modul kesehatan dan gizi, terutama pencegahan stunting.",
    "Teknik fasilitasi untuk kelompok yang besar.",
    "Pelatihan pemasaran produk kelompok secara daring.",
]


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _centre_user(cohort: Cohort) -> Any:
    """Who runs the survey: a balai diklat staff member of the cohort's centre, else the ministry."""
    staff = list(
        Staff.objects.filter(is_active=True)
        .filter(Q(role=Role.BALAI_DIKLAT, training_centre__centre_id=cohort.centre_id) | Q(role=Role.MINISTRY))
        .select_related("user")
    )
    staff.sort(key=lambda s: (s.role != Role.BALAI_DIKLAT, s.pk))
    return staff[0].user if staff else None


def seed_alumni_survey(*, kabupaten_code: str, as_of: dt.date, seed: int) -> dict[str, Any]:
    """Seed the survey of the latest finished cohort with alumni from ``kabupaten_code``; returns
    what was made (or, when a survey of that cohort exists already, what it holds)."""
    cohort = (
        Cohort.objects.filter(
            status=CohortStatus.FINISHED,
            participants__status=ParticipantStatus.PASSED,
            participants__region_id=kabupaten_code,
        )
        .select_related("programme", "centre")
        .order_by("-ends_on", "-pk")
        .first()
    )
    if cohort is None:
        return {"skipped": "tidak ada angkatan selesai dengan alumni di " + kabupaten_code}
    existing = Survey.objects.filter(cohorts=cohort).order_by("pk").first()
    if existing is not None:
        return _summary(existing, created=False)
    user = _centre_user(cohort)
    if user is None:
        return {"skipped": "tidak ada petugas balai diklat atau kementerian"}
    rng = random.Random(seed)
    opens_on = min(as_of, max(as_of - dt.timedelta(days=21), cohort.ends_on + dt.timedelta(days=1)))
    base_url = setting("alumni", "BASE_URL")
    with transaction.atomic():
        survey = survey_create(
            programme=cohort.programme,
            title=f"Evaluasi Alumni {cohort.programme.name} Angkatan {cohort.number}",
            intro=(
                "Terima kasih telah mengikuti diklat. Kuesioner ini menanyakan pelaksanaan tugas Anda "
                "setelah diklat; isian Anda membantu balai memperbaiki diklat berikutnya."
            ),
            cohorts=[cohort],
            opens_on=opens_on,
            closes_on=as_of + dt.timedelta(days=9),
            acting_user=user,
        )
        questions_load_default(survey=survey, acting_user=user)
    survey_open(survey=survey, acting_user=user, base_url=base_url, now=_at(opens_on, 9), send_email=False)

    questions = {q.key: q for q in SurveyQuestion.objects.filter(survey=survey)}
    invitations = list(Invitation.objects.filter(survey=survey).order_by("pk"))
    recorded = recorded_figures(
        {i.staff_id for i in invitations}, period_start=survey.period_start, period_end=survey.period_end
    )
    rng.shuffle(invitations)
    n = len(invitations)
    cut = [round(n * sum(WAVES[: k + 1])) for k in range(len(WAVES))]
    waves = [invitations[: cut[0]], invitations[cut[0] : cut[1]], invitations[cut[1] : cut[2]]]
    span = max((as_of - opens_on).days, 0)
    min_days = setting("alumni", "REMINDER_MIN_DAYS")
    reminder_days = [opens_on + dt.timedelta(days=span * k // 3) for k in (1, 2)]
    answers: list[Answer] = []
    audit = []
    start = opens_on
    for w, wave in enumerate(waves):
        end = reminder_days[w] if w < len(reminder_days) else as_of
        end = max(start, end - dt.timedelta(days=1) if w < len(reminder_days) else end)
        for inv in wave:
            day = start + dt.timedelta(days=rng.randint(0, max((end - start).days, 0)))
            at = _at(day, rng.randint(7, 21)) + dt.timedelta(minutes=rng.randint(0, 59))
            inv.opened_at = at - dt.timedelta(minutes=rng.randint(5, 40))
            inv.last_saved_at = inv.submitted_at = at
            answers.extend(_answers(inv, questions, recorded[inv.staff_id], rng, at))
            audit.append(
                events.survey_event(
                    events.RESPONSE_SUBMITTED,
                    inv,
                    actor=None,
                    source="seed",
                    after={"survey": survey.pk, "staff": inv.staff_id},
                )
            )
        Invitation.objects.bulk_update(wave, ["opened_at", "last_saved_at", "submitted_at"], batch_size=1000)
        if w < len(reminder_days) and (reminder_days[w] - opens_on).days >= min_days:
            invitations_remind(
                survey=survey,
                acting_user=user,
                base_url=base_url,
                now=_at(reminder_days[w], 8),
                source="seed",
                send_email=False,
            )
            start = reminder_days[w]
    # A few who opened the link and began, but have not sent it yet.
    unanswered = invitations[cut[-1] :]
    began = unanswered[: len(unanswered) // 6]
    for inv in began:
        inv.opened_at = inv.last_saved_at = _at(as_of - dt.timedelta(days=rng.randint(0, 3)), 20)
        answers.extend(
            a for a in _answers(inv, questions, recorded[inv.staff_id], rng, inv.opened_at) if a.question.order <= 6
        )
    Invitation.objects.bulk_update(began, ["opened_at", "last_saved_at"], batch_size=1000)
    Answer.objects.bulk_create(answers, batch_size=2000)
    audit_events_save(audit)
    return _summary(survey, created=True)


def _answers(
    inv: Invitation, questions: dict[str, SurveyQuestion], rec: Recorded, rng: random.Random, at: dt.datetime
) -> list[Answer]:
    """One alumnus's plausible answers: near what Harapan recorded for them, not equal to it."""

    def near(value: Decimal | None, low: float, high: float, fallback: float) -> float:
        """``value`` scaled a little; with nothing recorded, a figure the alumnus might still give."""
        base = float(value) if value else fallback
        return base * rng.uniform(low, high)

    groups = rec.groups or rng.randint(3, 7)
    meetings = near(rec.p2k2_meetings_per_month, 0.9, 1.3, groups * rng.uniform(0.7, 1.0))
    attendance = min(100.0, near(rec.attendance_rate, 1.0, 1.15, rng.uniform(70, 90)))
    values: dict[str, Any] = {
        "usia": rng.choice([24, 26, 27, 28, 28, 29, 30, 30, 31, 33, 35, 38, 42]),
        "jenis_kelamin": "p" if rng.random() < 0.65 else "l",
        "pendidikan": rng.choices(["sma", "d3", "s1", "s2"], weights=[5, 10, 80, 5])[0],
        "jurusan": rng.choices(
            ["pendidikan", "kebidanan", "sosial", "ekonomi", "teknik_sains", "lainnya"], weights=[30, 20, 20, 12, 10, 8]
        )[0],
        "jumlah_kpm": round(near(Decimal(rec.caseload) if rec.caseload else None, 0.95, 1.15, rng.uniform(150, 210))),
        "graduasi_mandiri": rec.graduasi_mandiri + rng.choice([0, 0, 1, 2, 3]),
        "jumlah_kelompok": groups,
        "p2k2_per_bulan": round(meetings, 1),
        "kehadiran": round(attendance),
        "modul_disampaikan": sorted({f"m{m}" for m in rec.modules_done} | {"m1"}),
        "modul_berurutan": "ya" if (rec.modules_in_order or 0) >= 50 or rng.random() < 0.6 else "tidak",
        "sesuai_modul": rng.choices(["ya", "sebagian", "tidak"], weights=[70, 27, 3])[0],
        "kpm_menerapkan": round(min(100, max(5, rng.gauss(50, 15)))),
        "diskusi_alumni": rng.choices([2, 3, 4, 5], weights=[10, 30, 40, 20])[0],
        "materi_pribadi": rng.choices([3, 4, 5], weights=[15, 50, 35])[0],
        "teknik_fasilitasi": rng.choices([3, 4, 5], weights=[20, 50, 30])[0],
        "saran": rng.choice(ADVICE) if rng.random() < 0.4 else "",
    }
    text_max = setting("alumni", "TEXT_ANSWER_MAX")
    out = []
    for key, raw in values.items():
        q = questions.get(key)
        if q is None or raw in ("", []):
            continue
        entry = [str(v) for v in raw] if isinstance(raw, list) else str(raw)
        parsed, problems = rules.parse_answer(rules.QuestionSpec.from_question(q), entry, text_max=text_max)
        if problems or parsed.empty:
            continue
        out.append(
            Answer(
                invitation=inv,
                question=q,
                number=parsed.number,
                text=parsed.text,
                choices=list(parsed.choices),
                updated_at=at,
            )
        )
    return out


def _summary(survey: Survey, *, created: bool) -> dict[str, Any]:
    qs = Invitation.objects.filter(survey=survey)
    invited = qs.count()
    answered = qs.filter(submitted_at__isnull=False).count()
    return {
        "survey_id": survey.pk,
        "created": created,
        "invited": invited,
        "answered": answered,
        "reminded": qs.filter(reminder_count__gt=0).count(),
        "rate": rules.response_rate(answered, invited),
    }
