"""Knowledge checks at the demo's P2K2 meetings (RULES.md "P2K2 / FDS curriculum": measures of
success include the share of KPM applying the material — 50.09% in the Banjarmasin survey, seed 003).

At the latest held meeting of most groups, the pendamping records the short before/after check of
the session's questions for the families present, through ``p2k2.services.knowledge_scores_record``
(set-based per meeting, audited per family). About half the families answer every question after
the session (the district profile's measure of applying the material: a mean after-session score of
at least APPLYING_PASS_PERCENT), most know less before it than after.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.db.models import Count

from harapan.meetings.models import Attendance, Mark, Meeting, MeetingStatus
from harapan.p2k2.models import KnowledgeCheck, KnowledgeQuestion
from harapan.p2k2.services.knowledge_checks import knowledge_scores_record

SOURCE = "seed"


@dataclass(frozen=True)
class CheckRates:
    groups: float = 0.6  # of groups: a check recorded at their latest meeting
    full_marks: float = 0.5  # of families checked: every question right after the session


@dataclass
class ChecksResult:
    meetings: int = 0
    families: int = 0
    full_marks: int = 0


def knowledge_checks_seed(
    *, kabupaten: str, as_of: dt.date, seed: int, rates: CheckRates | None = None
) -> ChecksResult:
    """Record the checks of the latest held meeting (before ``as_of``) of the chosen groups, as each
    group's pendamping; meetings that already have checks are left alone."""
    rates = rates or CheckRates()
    result = ChecksResult()
    with_questions = set(KnowledgeQuestion.objects.values_list("session_id", flat=True).distinct())
    latest: dict[int, Meeting] = {}
    for meeting in (
        Meeting.objects.filter(
            kelompok__desa__code__startswith=kabupaten + ".",
            kelompok__is_active=True,
            kelompok__pendamping__isnull=False,
            status=MeetingStatus.TERLAKSANA,
            scheduled_on__lt=as_of,
            session__isnull=False,
        )
        .select_related("kelompok__pendamping__user")
        .order_by("kelompok_id", "-scheduled_on", "-pk")
    ):
        if meeting.kelompok_id not in latest and meeting.session_id in with_questions:
            latest[meeting.kelompok_id] = meeting
    checked = set(KnowledgeCheck.objects.filter(meeting__in=list(latest.values())).values_list("meeting_id", flat=True))
    chosen = []
    for kid, meeting in sorted(latest.items()):
        rng = random.Random(f"knowledge:{seed}:{kid}")
        if rng.random() < rates.groups and meeting.pk not in checked:
            chosen.append((meeting, rng))
    present: dict[int, list[int]] = {}
    for mid, hid in (
        Attendance.objects.filter(meeting__in=[m for m, _r in chosen], mark=Mark.HADIR)
        .order_by("meeting_id", "household_id")
        .values_list("meeting_id", "household_id")
    ):
        present.setdefault(mid, []).append(hid)
    totals = dict(
        KnowledgeQuestion.objects.filter(session_id__in={m.session_id for m, _r in chosen})
        .values("session_id")
        .annotate(n=Count("pk"))
        .values_list("session_id", "n")
    )
    for meeting, rng in chosen:
        families = present.get(meeting.pk, [])
        total = totals.get(meeting.session_id or 0, 0)
        if not families or total < 1:
            continue
        scores: dict[int, tuple[int | None, int | None]] = {}
        for hid in families:
            full = random.Random(f"knowledge-family:{seed}:{hid}").random() < rates.full_marks
            post = total if full else rng.randint(max(0, total - 2), total - 1)
            pre = max(0, post - rng.choice((0, 1, 1, 2)))
            scores[hid] = (pre, post)
            result.full_marks += int(full)
        pendamping = meeting.kelompok.pendamping
        assert pendamping is not None
        knowledge_scores_record(meeting=meeting, scores=scores, acting_user=pendamping.user, source=SOURCE)
        result.meetings += 1
        result.families += len(scores)
    return result
