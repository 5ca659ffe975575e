"""Reads of commitment verification, always through the reader's scope (accounts.scope)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from harapan.accounts.models import Role
from harapan.accounts.scope import household_q, region_prefix, staff_of
from harapan.groups.models import GroupMembership
from harapan.registry.models import Household, Member
from harapan.registry.rules import MemberFacts, RegistryRules
from harapan.registry.selectors import member_facts

from .models import (
    Obligation,
    ObligationRecord,
    Sanction,
    SanctionFlag,
    SanctionRecord,
    VerificationImportRun,
    VerificationReject,
    month_start,
)
from .rules import ComplianceRules, ObligationSpec, obligations_due


def obligation_specs() -> list[tuple[Obligation, ObligationSpec]]:
    """The active obligations in form order, each with the spec the applicability rule reads."""
    return [(o, ObligationSpec.of(o)) for o in Obligation.objects.filter(is_active=True).order_by("order", "code")]


def households_due(household_ids: Iterable[int], month: dt.date) -> dict[int, dict[int, list[str]]]:
    """For each family, its members' obligation codes that apply in ``month`` (members with none
    left out), from the members' dated facts in four queries (RULES.md "Obligations")."""
    ids = list(household_ids)
    month = month_start(month)
    specs = [spec for _o, spec in obligation_specs()]
    rules, registry_rules = ComplianceRules.from_settings(), RegistryRules.from_settings()
    owner = dict(Member.objects.filter(household_id__in=ids).values_list("pk", "household_id"))
    out: dict[int, dict[int, list[str]]] = defaultdict(dict)
    for facts in member_facts(household_ids=ids):
        codes = obligations_due(facts, month=month, specs=specs, registry_rules=registry_rules, rules=rules)
        if codes:
            out[owner[facts.member_id]][facts.member_id] = codes
    return dict(out)


def household_due(household: Household, month: dt.date) -> tuple[dict[int, list[str]], dict[int, MemberFacts]]:
    """One family's obligations in ``month`` per member, and the members' facts."""
    facts = {f.member_id: f for f in member_facts(household_ids=[household.pk])}
    return households_due([household.pk], month).get(household.pk, {}), facts


def family_records(household: Household, month: dt.date) -> QuerySet[ObligationRecord]:
    return ObligationRecord.objects.filter(household=household, period__month=month_start(month)).select_related(
        "obligation", "member", "recorded_by"
    )


# --- The verification sheet of a pendamping or kelompok ---------------------------------------


@dataclass
class SheetRow:
    household: Household
    carer: str
    due: int = 0
    recorded: int = 0
    not_met: int = 0
    missing: list[str] = field(default_factory=list)  # "<member name>: <obligation label>"
    p2k2: bool | None = None  # met, not met, or no record (no meeting held)

    @property
    def complete(self) -> bool:
        """Nothing left to record this month (also when no member obligation applies)."""
        return not self.missing


def verification_sheet(households: QuerySet[Household], month: dt.date) -> list[SheetRow]:
    """Who has records for ``month`` and what is missing, family by family: the obligations that
    apply to each family's members against the records there are (P2K2 shown apart: it comes from
    the group's meetings, no meeting held means no record)."""
    month = month_start(month)
    rows = list(households.order_by("pkh_id"))
    ids = [h.pk for h in rows]
    due = households_due(ids, month)
    labels = dict(Obligation.objects.values_list("code", "label"))
    names = dict(Member.objects.filter(household_id__in=ids).values_list("pk", "name"))
    carers = dict(Member.objects.filter(household_id__in=ids, is_carer=True).values_list("household_id", "name"))
    have: dict[int, dict[tuple[int | None, str], bool]] = defaultdict(dict)
    for hid, mid, code, met in ObligationRecord.objects.filter(household_id__in=ids, period__month=month).values_list(
        "household_id", "member_id", "obligation__code", "met"
    ):
        have[hid][(mid, code)] = met
    out = []
    for h in rows:
        row = SheetRow(household=h, carer=carers.get(h.pk, ""))
        for mid, codes in due.get(h.pk, {}).items():
            for code in codes:
                row.due += 1
                answer = have[h.pk].get((mid, code))
                if answer is None:
                    row.missing.append(f"{names.get(mid, '')}: {labels.get(code, code)}")
                else:
                    row.recorded += 1
                    row.not_met += 0 if answer else 1
        row.p2k2 = have[h.pk].get((None, "p2k2_hadir"))
        out.append(row)
    return out


def sheet_households(
    user: Any, *, kelompok_id: int | None = None, pendamping_id: int | None = None
) -> QuerySet[Household]:
    """The families of a verification sheet: the user's own (pendamping), or a kelompok's or a
    pendamping's inside the user's scope; in the programme (aktif or ditangguhkan)."""
    qs = Household.objects.filter(household_q(user), status__in=("aktif", "ditangguhkan"))
    if kelompok_id:
        qs = qs.filter(
            pk__in=GroupMembership.objects.filter(kelompok_id=kelompok_id, valid_to__isnull=True).values("household_id")
        )
    if pendamping_id:
        qs = qs.filter(pendamping_id=pendamping_id)
    return qs


# --- Sanctions --------------------------------------------------------------------------------


def sanction_list(
    user: Any, *, region: str = "", level: str = "", state: str = "", period: dt.date | None = None
) -> QuerySet[Sanction]:
    """Sanctions of the families the user may see, filtered by region prefix, level, state
    (``terbuka``, ``dicabut``, ``menunggu`` = a cancellation awaiting confirmation) and month."""
    qs = Sanction.objects.filter(household__in=Household.objects.filter(household_q(user)).values("pk"))
    if region:
        qs = qs.filter(Q(household__desa_id=region) | Q(household__desa__code__startswith=region + "."))
    if level:
        qs = qs.filter(level=level)
    if state == "terbuka":
        qs = qs.filter(lifted_on__isnull=True)
    elif state == "dicabut":
        qs = qs.filter(lifted_on__isnull=False)
    elif state == "menunggu":
        qs = qs.filter(lifted_on__isnull=True, confirmation="menunggu")
    if period is not None:
        qs = qs.filter(period__month=month_start(period))
    return qs.select_related("household", "household__desa", "period", "lifted_period").order_by(
        "-period__month", "household__pkh_id", "level"
    )


def sanction_get(user: Any, pk: int) -> Sanction:
    sanction = sanction_list(user).filter(pk=pk).first()
    if sanction is None:
        raise Http404(_("Sanksi tidak ditemukan."))
    return sanction


@dataclass
class SanctionView:
    sanction: Sanction
    records: list[ObligationRecord]
    flags: list[Any]


def sanctions_with_basis(sanctions: Iterable[Sanction]) -> list[SanctionView]:
    """Sanctions with the records and P2K2 flags behind them, in three queries."""
    items = list(sanctions)
    ids = [s.pk for s in items]
    records: dict[int, list[ObligationRecord]] = defaultdict(list)
    links = list(SanctionRecord.objects.filter(sanction_id__in=ids).values_list("sanction_id", "record_id"))
    by_id = {
        r.pk: r
        for r in ObligationRecord.objects.filter(pk__in=[rid for _s, rid in links]).select_related(
            "obligation", "member", "period"
        )
    }
    for sid, rid in links:
        if rid in by_id:
            records[sid].append(by_id[rid])
    flags: dict[int, list[Any]] = defaultdict(list)
    for link in SanctionFlag.objects.filter(sanction_id__in=ids).select_related("flag"):
        flags[link.sanction_id].append(link.flag)
    return [
        SanctionView(
            s,
            sorted(records[s.pk], key=lambda r: (r.period.month, r.member_id or 0, r.obligation.order)),
            flags[s.pk],
        )
        for s in items
    ]


def family_sanctions(household: Household) -> list[SanctionView]:
    return sanctions_with_basis(
        Sanction.objects.filter(household=household)
        .select_related("period", "lifted_period", "decided_by")
        .order_by("lifted_on", "-period__month", "-pk")
    )


@dataclass(frozen=True)
class HoldRelease:
    household_id: int
    sanction_id: int
    raised_in: dt.date
    lifted_in: dt.date | None
    released: bool | None


def payment_holds(household_ids: Iterable[int], *, start: dt.date, end: dt.date) -> list[HoldRelease]:
    """Suspensions (payment held) of these families that were open at some time between ``start``
    and ``end`` (verification months), with whether the held payment was released: lifted within
    the hold window (RULES.md "Sanctions": "released when compliant again within the period") or
    by a corrected record. For the payroll: a family suspended at a tahap's cut-off is left out;
    a released hold is paid with a later tahap."""
    qs = Sanction.objects.filter(
        household_id__in=list(household_ids),
        level="penangguhan",
        period__month__lte=month_start(end),
    ).filter(Q(lifted_period__isnull=True) | Q(lifted_period__month__gte=month_start(start)))
    return [
        HoldRelease(hid, sid, raised, lifted, released)
        for hid, sid, raised, lifted, released in qs.values_list(
            "household_id", "pk", "period__month", "lifted_period__month", "payment_released"
        ).order_by("household_id", "period__month")
    ]


# --- Import runs ------------------------------------------------------------------------------


def run_list(user: Any) -> QuerySet[VerificationImportRun]:
    """Runs the user may see: their own, and those of staff inside their area (a pendamping: their
    own only); the ministry sees all."""
    staff = staff_of(user)
    if staff is None:
        return VerificationImportRun.objects.none()
    if staff.role == Role.PENDAMPING:
        return VerificationImportRun.objects.filter(started_by=user)
    area = region_prefix(staff)
    if area is None:
        return VerificationImportRun.objects.all()
    return VerificationImportRun.objects.filter(
        Q(started_by=user) | Q(region_id=area) | Q(region__code__startswith=area + ".")
    )


def run_get(user: Any, pk: int) -> VerificationImportRun:
    run = run_list(user).select_related("started_by").filter(pk=pk).first()
    if run is None:
        raise Http404(_("Impor tidak ditemukan."))
    return run


def run_rejects(run: VerificationImportRun) -> QuerySet[VerificationReject]:
    return run.rejects.order_by("id")
