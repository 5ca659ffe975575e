"""The dated sections of the monthly report: absence flags and sanctions, commitment records, data
updates, graduation proposals, grievances and referrals, each read in one query for the month's
families and counted with the pendamping the family had on the day (``MonthFamilies``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import apps
from django.db.models import Count, Q

from harapan.compliance.models import ObligationKind, ObligationRecord, Sanction, SanctionLevel
from harapan.graduation.models import GraduationProposal, ProposalStatus
from harapan.meetings.models import AbsenceFlag, FlagKind
from harapan.updates.models import DataUpdate, UpdateKind, UpdateStatus

from .families import MonthFamilies, local_day
from .shapes import (
    CaseRow,
    CaseSection,
    ComplianceRow,
    ComplianceSection,
    FlagRow,
    FlagSection,
    GraduationSection,
    KindCount,
    UpdateRow,
)


def _dated_section(
    fam: MonthFamilies,
    rows: list[tuple[int, str, dt.date, dt.date | None]],
    choices: list[tuple[str, Any]],
    first: dt.date,
    last: dt.date,
    end: dt.datetime,
) -> FlagSection:
    """Things raised and lifted on dates (absence flags, sanctions): raised and lifted in the month
    with the family's pendamping of that day; open at the month's end with that of the end."""
    kinds = {value: KindCount(value, str(label)) for value, label in choices}
    listed: list[FlagRow] = []
    for hid, kind, raised, lifted in rows:
        count = kinds.setdefault(kind, KindCount(kind, kind))
        raised_here = first <= raised <= last and fam.mine_on(hid, raised)
        lifted_here = lifted is not None and first <= lifted <= last and fam.mine_on(hid, lifted)
        if raised_here:
            count.raised += 1
        if lifted_here:
            count.lifted += 1
        if raised <= last and (lifted is None or lifted > last) and fam.mine_at(hid, end):
            count.open_end += 1
        if raised_here or lifted_here:
            listed.append(FlagRow(fam.ref(hid), kind, count.label, raised, lifted))
    return FlagSection(
        kinds=list(kinds.values()), rows=sorted(listed, key=lambda r: (r.raised_on, r.family.pkh_id, r.kind))
    )


def flags_section(
    fam: MonthFamilies, served: list[int], first: dt.date, last: dt.date, end: dt.datetime
) -> FlagSection:
    rows = list(
        AbsenceFlag.objects.filter(household_id__in=served, raised_on__lte=last)
        .filter(Q(lifted_on__isnull=True) | Q(lifted_on__gte=first))
        .values_list("household_id", "kind", "raised_on", "lifted_on")
    )
    return _dated_section(fam, rows, list(FlagKind.choices), first, last, end)


def sanctions_section(
    fam: MonthFamilies, served: list[int], first: dt.date, last: dt.date, end: dt.datetime
) -> FlagSection:
    rows = list(
        Sanction.objects.filter(household_id__in=served, raised_on__lte=last)
        .filter(Q(lifted_on__isnull=True) | Q(lifted_on__gte=first))
        .values_list("household_id", "level", "raised_on", "lifted_on")
    )
    return _dated_section(fam, rows, list(SanctionLevel.choices), first, last, end)


def compliance_section(at_end: list[int], first: dt.date) -> ComplianceSection:
    """The commitment records of the month (RULES.md "Obligations (conditionalities)") of the
    families the pendamping had at the month's end, per obligation kind."""
    records = ObligationRecord.objects.filter(household_id__in=at_end, period__month=first)
    by_kind = {
        r["obligation__kind"]: r
        for r in records.values("obligation__kind")
        .annotate(
            n=Count("pk"),
            met_n=Count("pk", filter=Q(met=True)),
            families=Count("household_id", distinct=True),
        )
        .order_by()
    }
    whole = records.aggregate(
        families=Count("household_id", distinct=True),
        not_met=Count("household_id", distinct=True, filter=Q(met=False)),
    )
    rows = []
    for value, label in ObligationKind.choices:
        r = by_kind.get(value, {"n": 0, "met_n": 0, "families": 0})
        rows.append(ComplianceRow(value, str(label), r["n"], r["met_n"], r["n"] - r["met_n"], r["families"]))
    return ComplianceSection(
        rows=rows,
        families_verified=whole["families"] or 0,
        families_not_met=whole["not_met"] or 0,
        records=sum(r.records for r in rows),
        met=sum(r.met for r in rows),
    )


def updates_section(fam: MonthFamilies, served: list[int], start: dt.datetime, end: dt.datetime) -> list[UpdateRow]:
    """Data updates (pemutakhiran, RULES.md "Disbursement and data": updated monthly and approved up
    the chain): submitted, applied, rejected in the month, and open at its end, per kind."""
    out = {value: UpdateRow(value, str(label)) for value, label in UpdateKind.choices}
    for hid, kind, status, submitted, closed in (
        DataUpdate.objects.filter(household_id__in=served, submitted_at__lt=end)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=start))
        .values_list("household_id", "kind", "status", "submitted_at", "closed_at")
    ):
        row = out.setdefault(kind, UpdateRow(kind, kind))
        if submitted >= start and fam.mine_on(hid, local_day(submitted)):
            row.submitted += 1
        if closed is not None and start <= closed < end and fam.mine_on(hid, local_day(closed)):
            if status == UpdateStatus.DITERAPKAN:
                row.applied += 1
            elif status == UpdateStatus.DITOLAK:
                row.rejected += 1
        if (closed is None or closed >= end) and fam.mine_at(hid, end):
            row.open_end += 1
    return list(out.values())


def graduation_proposals(
    fam: MonthFamilies, served: list[int], start: dt.datetime, end: dt.datetime, section: GraduationSection
) -> None:
    for hid, proposed, decided, status in (
        GraduationProposal.objects.filter(household_id__in=served)
        .filter(Q(proposed_at__gte=start, proposed_at__lt=end) | Q(decided_at__gte=start, decided_at__lt=end))
        .values_list("household_id", "proposed_at", "decided_at", "status")
    ):
        if start <= proposed < end and fam.mine_on(hid, local_day(proposed)):
            section.proposed += 1
        if decided is not None and start <= decided < end and fam.mine_on(hid, local_day(decided)):
            if status == ProposalStatus.DISETUJUI:
                section.approved += 1
            elif status == ProposalStatus.DITOLAK:
                section.rejected += 1


# --- Grievances and referrals (their apps may not be installed yet) -----------------------------


def grievances_section(fam: MonthFamilies, served: list[int], start: dt.datetime, end: dt.datetime) -> CaseSection:
    """Grievances of the pendamping's families opened and closed in the month, per category. A
    grievance about the pendamping themselves is never in their own report (issue 5)."""
    if not apps.is_installed("harapan.grievances"):
        return CaseSection()
    from harapan.grievances.models import Grievance

    section = CaseSection(available=True)
    rows: dict[str, CaseRow] = {}
    qs = (
        Grievance.objects.filter(household_id__in=served, opened_at__lt=end)
        .exclude(about_pendamping=fam.staff)
        .filter(
            Q(closed_at__isnull=True, resolved_at__isnull=True) | Q(closed_at__gte=start) | Q(resolved_at__gte=start)
        )
        .values_list("household_id", "category__code", "category__name", "opened_at", "resolved_at", "closed_at")
    )
    for hid, code, name, opened, resolved, closed in qs:
        row = rows.setdefault(code, CaseRow(code, name))
        done = min(d for d in (resolved, closed) if d is not None) if (resolved or closed) else None
        if start <= opened and fam.mine_on(hid, local_day(opened)):
            row.opened += 1
        if done is not None and start <= done < end and fam.mine_on(hid, local_day(done)):
            row.closed += 1
        if (done is None or done >= end) and fam.mine_at(hid, end):
            row.open_end += 1
    section.rows = sorted(rows.values(), key=lambda r: r.label)
    return section


def referrals_section(
    fam: MonthFamilies, served: list[int], first: dt.date, last: dt.date, start: dt.datetime, end: dt.datetime
) -> CaseSection:
    """Referrals of the pendamping's families to complementary programmes (RULES.md "People and
    ratios": ensure BPNT, KIS, KIP) made and closed in the month, per programme."""
    if not apps.is_installed("harapan.referrals"):
        return CaseSection()
    from harapan.referrals.models import Referral

    section = CaseSection(available=True)
    rows: dict[str, CaseRow] = {}
    qs = (
        Referral.objects.filter(household_id__in=served, referred_on__lte=last)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=first))
        .values_list("household_id", "programme__code", "programme__name", "status", "referred_on", "closed_on")
    )
    for hid, code, name, status, referred, closed in qs:
        row = rows.setdefault(code, CaseRow(code, name))
        if first <= referred and fam.mine_on(hid, referred):
            row.opened += 1
        if closed is not None and first <= closed <= last and fam.mine_on(hid, closed):
            row.closed += 1
            if status == "selesai":
                row.done += 1
            elif status == "ditolak":
                row.refused += 1
        if (closed is None or closed > last) and fam.mine_at(hid, end):
            row.open_end += 1
    section.rows = sorted(rows.values(), key=lambda r: r.label)
    return section
