"""What a tahap run reads once for its whole region before its ranges (RULES.md: Disbursement and
data): the region's families, the NIKs held by two families, the unpaid lines that carry to the
next tahap, the account statuses the bank reported, and the families another tahap already pays.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import F, Q, Sum, Value
from django.db.models.functions import Coalesce

from harapan.conf import setting
from harapan.registry.models import IN_PROGRAMME, PRESENT, Household, Member

from .models import ISSUED, AccountStatus, PaymentLine, Tahap


def region_households(tahap: Tahap) -> Any:
    """The households whose desa lies in the tahap's region (any status)."""
    qs = Household.objects.all()
    if tahap.region_prefix:
        qs = qs.filter(desa__code__startswith=tahap.region_prefix)
    return qs


def duplicate_nik_households() -> dict[int, str]:
    """Families in the programme holding a NIK that a present member of another family in the
    programme holds too (RULES.md: Disbursement and data, "no NIK in two households"), with the
    detail. The database already refuses two *active* holders (registry: one active household per
    NIK), so a second holder is a present member marked inactive: those few NIKs are looked up."""
    present = Q(presence__in=PRESENT, left_on__isnull=True, household__status__in=IN_PROGRAMME)
    suspects = (
        Member.objects.filter(present, is_active=False).exclude(nik=None).exclude(nik="").values("nik").distinct()
    )
    holders: dict[str, dict[int, str]] = defaultdict(dict)
    for held, household_id, pkh_id in Member.objects.filter(present, nik__in=suspects).values_list(
        "nik", "household_id", "household__pkh_id"
    ):
        holders[held or ""][household_id] = pkh_id
    out: dict[int, str] = {}
    for nik, families in holders.items():
        if len(families) < 2:
            continue
        for household_id in families:
            others = ", ".join(sorted(p for h, p in families.items() if h != household_id))
            out[household_id] = f"NIK {nik} juga terdaftar di KPM {others}."[:300]
    return out


def carry_lines(*, before_year: int, before_number: int, region_prefix: str | None) -> Any:
    """Unpaid lines of earlier issued tahap that carry to the family's next tahap: the bank failed
    or returned them with a reason code that carries, and no later tahap has paid them yet."""
    qs = PaymentLine.objects.filter(
        cancelled=False,
        carried_to__isnull=True,
        status_salur__in=setting("payroll", "CARRY_STATUSES"),
        reason_code__carry_over=True,
        tahap__status__in=ISSUED,
    ).filter(Q(year__lt=before_year) | Q(year=before_year, number__lt=before_number))
    if region_prefix:
        qs = qs.filter(household__desa__code__startswith=region_prefix)
    return qs


def arrears_by_household(tahap: Tahap) -> dict[int, int]:
    """Each family's unpaid amount carried into ``tahap`` (amount less what the bank paid)."""
    rows = (
        carry_lines(before_year=tahap.year, before_number=tahap.number, region_prefix=tahap.region_prefix)
        .exclude(tahap=tahap)
        .values("household_id")
        .annotate(owed=Sum(F("amount") - Coalesce("paid_amount", Value(0))))
        .order_by()
    )
    return {r["household_id"]: int(r["owed"]) for r in rows if r["owed"] > 0}


def account_states_on(tahap: Tahap, on: dt.date) -> dict[int, tuple[str, dt.date]]:
    """Each family's account status on ``on`` from the bank's results (the latest covering it)."""
    qs = AccountStatus.objects.filter(valid_from__lte=on).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
    if tahap.region_prefix:
        qs = qs.filter(household__desa__code__startswith=tahap.region_prefix)
    out: dict[int, tuple[str, dt.date]] = {}
    for household_id, status, since in qs.order_by("household_id", "valid_from", "id").values_list(
        "household_id", "status", "valid_from"
    ):
        out[household_id] = (status, since)
    return out


def paid_elsewhere(tahap: Tahap) -> dict[int, str]:
    """Families that already have a live line for the same year and tahap number in another tahap
    (overlapping regions), with the detail."""
    qs = PaymentLine.objects.filter(year=tahap.year, number=tahap.number, cancelled=False).exclude(tahap=tahap)
    if tahap.region_prefix:
        qs = qs.filter(household__desa__code__startswith=tahap.region_prefix)
    return {
        h: f"Sudah ada di tahap #{t} ({region or 'nasional'})."
        for h, t, region in qs.values_list("household_id", "tahap_id", "tahap__region_id")
    }
