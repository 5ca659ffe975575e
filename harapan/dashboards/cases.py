"""Grievance and referral figures of a dashboard, from the stored rows, in the shape of the cases'
own count selectors (``grievances.selectors.grievance_counts`` and ``referrals.selectors.
referral_counts`` / ``coverage_counts`` without a date range), which they equal (tests/test_cases.py).

Everything is stored per desa × pendamping and rolled up (``compute.records``), except what depends
on the moment of reading: the open cases past their due time, counted here by one indexed query
(grievance_status_due: open statuses, due before now; 1,443 rows at a million families, read in
1-3 ms on PostgreSQL at every level, a pendamping's included)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from harapan.grievances.models import OPEN_STATUSES, Grievance, GrievanceCategory, GrievanceStatus
from harapan.referrals.models import Programme, ReferralStatus
from harapan.registry.models import Household

from . import metrics as m
from .compute import desa_q
from .selectors import Dashboard

GRIEVANCE_KEYS = ("opened", "resolved", "dismissed", "closed", "open_now", "overdue_now", "escalated_open")
REFERRAL_KEYS = (*ReferralStatus.values, "opened", "closed", "completed", "rejected")


def overdue_counts(d: Dashboard, now: dt.datetime | None = None) -> dict[int, int]:
    """Open cases past their due time now, by category id, of the cases the dashboard counts: those
    lodged in its region, or a pendamping's (their families', and those without a family they
    lodged, never one about them: ``compute.records.grievances``)."""
    qs = Grievance.objects.filter(status__in=OPEN_STATUSES, due_at__lt=now or timezone.now())
    if d.pendamping is not None:
        pid = d.pendamping.pk
        # Their families as a list (the pendamping index), not a join per open case.
        families = Household.objects.filter(pendamping_id=pid).values("pk")
        qs = qs.filter(
            Q(household_id__in=families) | Q(household__isnull=True, created_by_id=d.pendamping.user_id)
        ).exclude(about_pendamping_id=pid)
    elif d.key:
        qs = qs.filter(desa_q(d.key))
    return dict(qs.values("category_id").annotate(n=Count("id")).order_by().values_list("category_id", "n"))


def grievance_figures(d: Dashboard, now: dt.datetime | None = None) -> dict[str, Any]:
    """The dashboard's cases, as ``grievance_counts`` returns them for the same cases (no date
    range): the totals and ``by_category`` {code: {"name", "sla_days", counts}} in the categories'
    order. ``resolved_in_time`` is not stored."""
    v = d.values
    overdue = overdue_counts(d, now)
    totals = dict.fromkeys(GRIEVANCE_KEYS, 0)
    by_category: dict[str, dict[str, Any]] = {}
    for c in GrievanceCategory.objects.order_by("order", "code").values("pk", "code", "name", "sla_days"):
        n = {s: v.get(m.grievance_key(c["code"], s)) for s in GrievanceStatus.values}
        entry: dict[str, Any] = {
            "name": c["name"],
            "sla_days": c["sla_days"],
            "opened": sum(n.values()),
            "resolved": n[GrievanceStatus.SELESAI],
            "dismissed": n[GrievanceStatus.DITUTUP],
            "closed": n[GrievanceStatus.SELESAI] + n[GrievanceStatus.DITUTUP],
            "open_now": sum(n[s] for s in OPEN_STATUSES),
            "overdue_now": overdue.get(c["pk"], 0),
            "escalated_open": v.get(m.grievance_key(c["code"], m.ESCALATED_OPEN)),
        }
        by_category[c["code"]] = entry
        for k in GRIEVANCE_KEYS:
            totals[k] += entry[k]
    return {**totals, "by_category": by_category}


def referral_figures(d: Dashboard) -> dict[str, Any]:
    """The dashboard's referrals by programme, as ``referral_counts`` returns them (no date range:
    every referral by its status now; closed = selesai + ditolak), every active programme and any
    other with referrals; and ``coverage`` {code: families in the programme receiving it}, as
    ``coverage_counts`` counts them on the date of the figures."""
    v = d.values
    with_data = {k.split(".", 1)[0] for k, value in v.with_prefix(m.REFERRAL_PREFIX).items() if value}
    out: dict[str, dict[str, int]] = {}
    coverage: dict[str, int] = {}
    names: dict[str, str] = {}
    total = dict.fromkeys(REFERRAL_KEYS, 0)
    for p in Programme.objects.filter(Q(is_active=True) | Q(code__in=sorted(with_data))).order_by("order", "code"):
        n = {s: v.get(m.referral_key(p.code, s)) for s in ReferralStatus.values}
        entry = {
            **n,
            "opened": sum(n.values()),
            "closed": n[ReferralStatus.SELESAI] + n[ReferralStatus.DITOLAK],
            "completed": n[ReferralStatus.SELESAI],
            "rejected": n[ReferralStatus.DITOLAK],
        }
        out[p.code] = entry
        coverage[p.code] = v.get(m.coverage_key(p.code))
        names[p.code] = p.name
        for k in REFERRAL_KEYS:
            total[k] += entry[k]
    return {"programmes": out, "total": total, "coverage": coverage, "names": names}


def case_figures(d: Dashboard) -> dict[str, Any]:
    """What the cards and charts of grievances and referrals read."""
    referrals = referral_figures(d)
    return {"grievances": grievance_figures(d), "referrals": referrals, "programme_names": referrals["names"]}
