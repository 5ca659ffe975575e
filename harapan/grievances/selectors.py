"""Reads of complaint cases, always through THE scope rule for cases (``grievances_visible``), and
the counts the dashboards and monthly reports use (``grievance_counts``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Case, Count, F, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from harapan.accounts.models import Role, Staff
from harapan.accounts.scope import household_q, region_prefix, staff_of
from harapan.registry.models import Household, Member

from .models import OPEN_STATUSES, Grievance, GrievanceAction, GrievanceCategory, GrievanceStatus
from .rules import NUMBER_DIGITS

OPEN_FILTER = "terbuka"  # a status filter value: baru and ditangani together


def grievances_visible(user: Any) -> QuerySet[Grievance]:
    """The cases ``user`` may see: THE scope rule for cases (accounts.scope).

    A pendamping sees the cases of their own families and the cases they lodged; korkab,
    supervisor, operator and Dinas Sosial kabupaten/kota the cases of their kabupaten/kota (by the
    case's desa), Dinas Sosial provinsi their province, the ministry all. Nobody ever sees a case
    about themselves (``about_pendamping``): not in a list, a family page, a search, an export or by
    its URL (RULES.md: People and ratios; issue 5)."""
    staff = staff_of(user)
    if staff is None:
        return Grievance.objects.none()
    if staff.role == Role.PENDAMPING:
        where = household_q(user, prefix="household__") | Q(created_by=user)
    else:
        area = region_prefix(staff)
        where = Q() if area is None else Q(desa__code__startswith=area + ".")
    return Grievance.objects.filter(where).exclude(about_pendamping=staff)


def grievance_get(*, user: Any, pk: int) -> Grievance:
    """One case, or 404 when it does not exist or the user may not see it (the same answer in both
    cases, so the rule does not tell which ids exist)."""
    grievance = (
        grievances_visible(user)
        .select_related(
            "category",
            "household",
            "household__pendamping",
            "desa",
            "handler",
            "escalated_to",
            "about_pendamping",
            "created_by",
            "created_by__staff",
        )
        .filter(pk=pk)
        .first()
    )
    if grievance is None:
        raise Http404(_("Pengaduan tidak ditemukan di wilayah Anda."))
    return grievance


def grievance_list(
    *,
    user: Any,
    query: str = "",
    status: str = "",
    category: str = "",
    overdue: bool = False,
    household_id: int | None = None,
    escalated: bool = False,
    now: dt.datetime | None = None,
) -> QuerySet[Grievance]:
    """The cases the user may see, filtered: a case number (exact, or its digits), a 16-digit NIK of
    a member of the case's family or its No KK, a PKH id, or a name (a member's or the lodger's,
    contains)."""
    qs = grievances_visible(user).select_related("category", "household", "desa", "handler")
    q = query.strip()
    if q:
        if q.isdigit() and len(q) == 16:
            members = Member.objects.filter(nik=q).values("household_id")
            qs = qs.filter(Q(household_id__in=members) | Q(household__no_kk=q))
        else:
            match = Q(number__iexact=q) | Q(household__pkh_id=q) | Q(lodged_by_name__icontains=q)
            if q.isdigit() and len(q) <= NUMBER_DIGITS:  # the serial of a number: "123" finds ADU-2026-000123
                match |= Q(number__endswith="-" + q.zfill(NUMBER_DIGITS))
            if len(q) >= 3:
                match |= Q(household_id__in=Member.objects.filter(name__icontains=q).values("household_id"))
            qs = qs.filter(match)
    if status == OPEN_FILTER:
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    if category:
        qs = qs.filter(category__code=category)
    if overdue:
        qs = qs.filter(status__in=OPEN_STATUSES, due_at__lt=now or timezone.now())
    if escalated:
        qs = qs.filter(escalated_at__isnull=False)
    if household_id is not None:
        qs = qs.filter(household_id=household_id)
    return qs.order_by("-opened_at", "-id")


def household_grievances(*, user: Any, household: Household) -> QuerySet[Grievance]:
    """The family's cases the user may see (never a case about the user), open ones first."""
    return (
        grievances_visible(user)
        .filter(household=household)
        .select_related("category")
        .annotate(finished=Case(When(status__in=OPEN_STATUSES, then=Value(0)), default=Value(1)))
        .order_by("finished", "-opened_at", "-id")
    )


def timeline(grievance: Grievance) -> QuerySet[GrievanceAction]:
    return grievance.actions.select_related("actor", "actor__staff").order_by("at", "id")


def categories(*, active_only: bool = True) -> QuerySet[GrievanceCategory]:
    qs = GrievanceCategory.objects.all()
    return qs.filter(active=True) if active_only else qs


def escalation_target(desa_code: str, *, role: str, prefer: Staff | None = None) -> Staff | None:
    """The active staff member of ``role`` (the korkab) of the kabupaten/kota of ``desa_code``: the
    acting staff member when they are one, otherwise the longest-serving (lowest id)."""
    kabupaten = ".".join(desa_code.split(".")[:2])
    if prefer is not None and prefer.is_active and prefer.role == role and prefer.region_id == kabupaten:
        return prefer
    return Staff.objects.filter(role=role, region_id=kabupaten, is_active=True).order_by("pk").first()


def pendamping_choices(user: Any) -> QuerySet[Staff]:
    """The pendamping a case may be about, as the user may name them: those working in the user's
    area (a pendamping names the others of their kecamatan)."""
    staff = staff_of(user)
    if staff is None:
        return Staff.objects.none()
    qs = Staff.objects.filter(role=Role.PENDAMPING, is_active=True).exclude(pk=staff.pk)
    area = region_prefix(staff)
    if area is not None:
        qs = qs.filter(Q(region_id=area) | Q(region__code__startswith=area + "."))
    return qs.order_by("full_name", "pk")


# --- Counts for dashboards and reports --------------------------------------------------------------


def _local_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min), timezone.get_current_timezone())


def grievance_counts(
    region_prefix: str | None,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    user: Any = None,
    now: dt.datetime | None = None,
) -> dict[str, Any]:
    """Cases of a region (a code prefix: provinsi, kabupaten, kecamatan or desa; None: the nation),
    in one aggregate query grouped by category:

    - ``opened``: lodged from ``start`` to ``end`` (local dates, inclusive; None: unbounded);
    - ``resolved`` (selesai), ``dismissed`` (ditutup) and ``closed`` (both) in the same range, and
      ``resolved_in_time`` (selesai by the due time);
    - ``open_now`` (baru or ditangani), ``overdue_now`` (open past the due time), ``escalated_open``.

    ``user`` restricts the counts to the cases the user may see (a pendamping's monthly report).
    Returns the totals and ``by_category``: {code: {"name", "sla_days", and the same counts}}, in
    the categories' order (RULES.md: Disbursement and data; issue 5, "grievances by category and
    overdue")."""
    now = now or timezone.now()
    qs = grievances_visible(user) if user is not None else Grievance.objects.all()
    if region_prefix:
        qs = qs.filter(Q(desa_id=region_prefix) | Q(desa__code__startswith=region_prefix + "."))

    def in_range(field: str) -> Q:
        q = Q(**{f"{field}__isnull": False})
        if start is not None:
            q &= Q(**{f"{field}__gte": _local_start(start)})
        if end is not None:
            q &= Q(**{f"{field}__lt": _local_start(end + dt.timedelta(days=1))})
        return q

    is_open = Q(status__in=OPEN_STATUSES)
    resolved = Q(status=GrievanceStatus.SELESAI) & in_range("resolved_at")
    counts = {
        "opened": Count("pk", filter=in_range("opened_at")),
        "resolved": Count("pk", filter=resolved),
        "resolved_in_time": Count("pk", filter=resolved & Q(resolved_at__lte=F("due_at"))),
        "dismissed": Count("pk", filter=Q(status=GrievanceStatus.DITUTUP) & in_range("closed_at")),
        "open_now": Count("pk", filter=is_open),
        "overdue_now": Count("pk", filter=is_open & Q(due_at__lt=now)),
        "escalated_open": Count("pk", filter=is_open & Q(escalated_at__isnull=False)),
    }
    rows: dict[int, dict[str, Any]] = {
        r["category_id"]: dict(r) for r in qs.values("category_id").annotate(**counts).order_by()
    }
    names = list(GrievanceCategory.objects.order_by("order", "code").values("pk", "code", "name", "sla_days"))
    keys = [*counts, "closed"]
    totals = dict.fromkeys(keys, 0)
    by_category: dict[str, dict[str, Any]] = {}
    for c in names:
        r = rows.get(c["pk"], {})
        entry: dict[str, Any] = {"name": c["name"], "sla_days": c["sla_days"]}
        for k in counts:
            entry[k] = r.get(k, 0)
        entry["closed"] = entry["resolved"] + entry["dismissed"]
        by_category[c["code"]] = entry
        for k in keys:
            totals[k] += entry[k]
    return {**totals, "by_category": by_category}
