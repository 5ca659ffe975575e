"""Alumni evaluation reads: who may see which survey (and which of its alumni), one survey, the
alumni a survey covers, an invitation by its token, and the response rate per cohort and
kabupaten/kota.

Scope: a training centre (role balai_diklat) sees the surveys of its programmes and cohorts; the
ministry sees all; a korkab sees the report of a survey limited to the alumni of their
kabupaten/kota; a pendamping reaches only their own invitation, through its link. Anything out of
scope is a 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from harapan.accounts.models import Role, Staff
from harapan.accounts.scope import staff_of
from harapan.conf import setting
from harapan.regions.models import Region
from harapan.training.models import Cohort, Participant, ParticipantStatus, Programme

from . import rules
from .models import Invitation, Survey, SurveyStatus


def centre_id_of(staff: Staff | None) -> int | None:
    """The training centre a balai diklat staff member works at (training.CentreStaff)."""
    if staff is None:
        return None
    link = getattr(staff, "training_centre", None)
    return link.centre_id if link is not None else None


def may_manage(user: Any) -> bool:
    """Whether the user runs surveys at all (a centre with a centre, or the ministry)."""
    staff = staff_of(user)
    if staff is None or staff.role not in setting("alumni", "MANAGE_ROLES"):
        return False
    return staff.role == Role.MINISTRY or centre_id_of(staff) is not None


def manageable_surveys(user: Any) -> QuerySet[Survey]:
    """Surveys the user runs: the ministry all; a centre those it runs, of its programmes, or
    covering one of its cohorts."""
    staff = staff_of(user)
    if not may_manage(user) or staff is None:
        return Survey.objects.none()
    if staff.role == Role.MINISTRY:
        return Survey.objects.all()
    centre = centre_id_of(staff)
    if centre is None:
        return Survey.objects.none()
    own_cohort = Survey.cohorts.through.objects.filter(survey_id=OuterRef("pk"), cohort__centre_id=centre)
    return Survey.objects.filter(Q(centre_id=centre) | Q(programme__centre_id=centre) | Exists(own_cohort))


def area_kabupaten(user: Any) -> str | None:
    """The kabupaten/kota whose alumni a korkab (AREA_REPORT_ROLES) sees; None for anyone else."""
    staff = staff_of(user)
    if staff is None or staff.role not in setting("alumni", "AREA_REPORT_ROLES") or not staff.region_id:
        return None
    return str(staff.region_id)[:5]


def visible_surveys(user: Any) -> QuerySet[Survey]:
    """Surveys whose report the user may read: those they run, and for a korkab the opened surveys
    that invited alumni of their kabupaten/kota."""
    if may_manage(user):
        return manageable_surveys(user)
    kabupaten = area_kabupaten(user)
    if kabupaten is None:
        return Survey.objects.none()
    invited_here = Invitation.objects.filter(survey_id=OuterRef("pk"), kabupaten_id=kabupaten)
    return Survey.objects.exclude(status=SurveyStatus.DRAFT).filter(Exists(invited_here))


def survey_get(*, user: Any, pk: int, manage: bool = False) -> Survey:
    """One survey the user may read (``manage``: may run), or 404."""
    qs = manageable_surveys(user) if manage else visible_surveys(user)
    survey = qs.select_related("programme", "centre", "created_by").filter(pk=pk).first()
    if survey is None:
        raise Http404(_("Survei tidak ditemukan."))
    return survey


def manages_survey(user: Any, survey: Survey) -> bool:
    return may_manage(user) and manageable_surveys(user).filter(pk=survey.pk).exists()


def invitations_in_scope(user: Any, survey: Survey) -> QuerySet[Invitation]:
    """The invitations of ``survey`` the user may see: all for those who run it, the alumni of their
    kabupaten/kota for a korkab."""
    qs = Invitation.objects.filter(survey=survey)
    if manages_survey(user, survey):
        return qs
    kabupaten = area_kabupaten(user)
    if kabupaten is None:
        return qs.none()
    return qs.filter(kabupaten_id=kabupaten)


def programmes_for(user: Any) -> QuerySet[Programme]:
    """Programmes the user may survey: all for the ministry; a centre's own and the national ones."""
    staff = staff_of(user)
    if not may_manage(user) or staff is None:
        return Programme.objects.none()
    if staff.role == Role.MINISTRY:
        return Programme.objects.all()
    centre = centre_id_of(staff)
    if centre is None:
        return Programme.objects.none()
    return Programme.objects.filter(Q(centre_id=centre) | Q(centre__isnull=True))


def cohorts_for(user: Any) -> QuerySet[Cohort]:
    """Cohorts the user may survey: all for the ministry; a centre's own."""
    staff = staff_of(user)
    if not may_manage(user) or staff is None:
        return Cohort.objects.none()
    qs = Cohort.objects.select_related("programme", "centre")
    centre = centre_id_of(staff)
    if staff.role == Role.MINISTRY:
        return qs
    if centre is None:
        return qs.none()
    return qs.filter(centre_id=centre)


def survey_alumni(survey: Survey) -> QuerySet[Participant]:
    """The participants a survey covers: those who passed (status lulus) in the cohorts listed, or
    (none listed) in any cohort of the programme - at the survey's centre when it has one - and,
    when ``completed_before`` is set, completed before that date."""
    qs = Participant.objects.filter(status=ParticipantStatus.PASSED, cohort__programme_id=survey.programme_id)
    if survey.pk and survey.cohorts.exists():
        qs = qs.filter(cohort__in=survey.cohorts.all())
    elif survey.centre_id:
        qs = qs.filter(cohort__centre_id=survey.centre_id)
    if survey.completed_before:
        qs = qs.filter(completed_on__lt=survey.completed_before)
    return qs


def invitation_by_token(token: str) -> Invitation:
    """The invitation a link's token names, with its survey; 404 for an unknown token."""
    if not token or len(token) > 64:
        raise Http404(_("Tautan survei tidak dikenal."))
    invitation = Invitation.objects.select_related("survey", "survey__programme", "staff").filter(token=token).first()
    if invitation is None:
        raise Http404(_("Tautan survei tidak dikenal."))
    return invitation


def own_invitations(user: Any) -> QuerySet[Invitation]:
    """A pendamping's own invitations to surveys that are open."""
    staff = staff_of(user)
    if staff is None:
        return Invitation.objects.none()
    return (
        Invitation.objects.filter(staff=staff, survey__status=SurveyStatus.OPEN)
        .select_related("survey", "survey__programme")
        .order_by("-survey__opens_on")
    )


# --- Response rate ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RateRow:
    key: str
    label: str
    invited: int
    answered: int
    reminded: int

    @property
    def rate(self) -> Decimal | None:
        return rules.response_rate(self.answered, self.invited)


def _counts() -> dict[str, Any]:
    return {
        "invited": Count("pk"),
        "answered": Count("pk", filter=Q(submitted_at__isnull=False)),
        "reminded": Count("pk", filter=Q(reminder_count__gt=0)),
    }


def response_total(invitations: QuerySet[Invitation]) -> RateRow:
    """Invited, answered (submitted) and reminded alumni; one query."""
    row = invitations.aggregate(**_counts())
    return RateRow(key="", label=_("Semua"), **row)


def response_by_kabupaten(invitations: QuerySet[Invitation]) -> list[RateRow]:
    """The response rate per kabupaten/kota of the alumni; one aggregate query."""
    rows: list[dict[str, Any]] = [
        dict(r)
        for r in invitations.values("kabupaten_id", "kabupaten__name").annotate(**_counts()).order_by("kabupaten_id")
    ]
    return [
        RateRow(
            key=str(r["kabupaten_id"]),
            label=str(r["kabupaten__name"]),
            invited=r["invited"],
            answered=r["answered"],
            reminded=r["reminded"],
        )
        for r in rows
    ]


def response_by_cohort(invitations: QuerySet[Invitation]) -> list[RateRow]:
    """The response rate per cohort (angkatan) the alumni passed in; one aggregate query."""
    rows: list[dict[str, Any]] = [
        dict(r)
        for r in invitations.values(
            "participant__cohort_id", "participant__cohort__number", "participant__cohort__centre__name"
        )
        .annotate(**_counts())
        .order_by("participant__cohort__number", "participant__cohort_id")
    ]
    return [
        RateRow(
            key=str(r["participant__cohort_id"]),
            label=_("Angkatan %(n)s (%(c)s)")
            % {"n": r["participant__cohort__number"], "c": r["participant__cohort__centre__name"]},
            invited=r["invited"],
            answered=r["answered"],
            reminded=r["reminded"],
        )
        for r in rows
    ]


def kabupaten_name(code: str | None) -> str:
    if not code:
        return ""
    return Region.objects.filter(code=code).values_list("name", flat=True).first() or code
