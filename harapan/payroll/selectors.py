"""Reads of the payroll, through the reader's scope (accounts.scope).

A tahap is visible to the staff whose working area overlaps its region: those inside it (a
kabupaten's operator sees the province's and the nation's tahap) and those above it. The lists of
people it holds (lines, exclusions) are cut to the families the reader may see
(``household_q``), so a kabupaten user of a province tahap sees and downloads its own families.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, Substr
from django.http import Http404
from django.utils.translation import gettext as _

from harapan.accounts.models import Role
from harapan.accounts.scope import household_q, region_prefix, staff_of
from harapan.conf import setting
from harapan.regions.models import Level, Region
from harapan.registry.models import Household

from .models import (
    DanaSharing,
    Exclusion,
    ExclusionReason,
    PaymentLine,
    ReasonCode,
    ResultImport,
    SalurStatus,
    Tahap,
    TahapStatus,
)
from .rules import dana_sharing_meets_target, dana_sharing_percent

# Roles that read payroll pages (a pendamping sees payments on their families' pages only).
PAGE_ROLES = (Role.OPERATOR, Role.KORKAB, Role.SUPERVISOR, Role.DINSOS_KAB, Role.DINSOS_PROV, Role.MINISTRY)


def _reader(user: Any) -> Any:
    staff = staff_of(user)
    if staff is None or staff.role not in PAGE_ROLES:
        raise PermissionDenied(_("Halaman penyaluran untuk operator, korkab, supervisor dan Dinas Sosial."))
    return staff


def tahap_list(*, user: Any) -> QuerySet[Tahap]:
    """The tahap whose region overlaps the user's working area, newest first."""
    staff = _reader(user)
    qs = Tahap.objects.select_related("region", "opened_by", "approved_by")
    area = region_prefix(staff)
    if area is None:
        return qs
    parts = area.split(".")
    above = [".".join(parts[: i + 1]) for i in range(len(parts))]
    return qs.filter(Q(region__isnull=True) | Q(region_id__in=above) | Q(region__code__startswith=area + "."))


def tahap_get(*, user: Any, pk: int) -> Tahap:
    """One tahap, or 404 when it does not exist or lies outside the user's area."""
    tahap = tahap_list(user=user).select_related("benefit_index", "prepared_by", "issued_by").filter(pk=pk).first()
    if tahap is None:
        raise Http404(_("Tahap tidak ditemukan di wilayah Anda."))
    return tahap


def _family_scope(tahap: Tahap, user: Any) -> Q:
    """The filter that cuts a tahap's people to the reader's families: none when the reader's
    area holds the whole tahap region (its operator, Dinas Sosial above it), which spares a join
    over every line of a large tahap; ``household_q`` otherwise."""
    staff = _reader(user)
    area = region_prefix(staff)
    region = tahap.region_id
    if area is None or (region is not None and (region == area or str(region).startswith(area + "."))):
        return Q()
    return household_q(user, prefix="household__")


def tahap_lines(tahap: Tahap, *, user: Any) -> QuerySet[PaymentLine]:
    """The tahap's lines of the families the user may see."""
    return PaymentLine.objects.filter(tahap=tahap).filter(_family_scope(tahap, user))


def tahap_exclusions(tahap: Tahap, *, user: Any, reason: str = "") -> QuerySet[Exclusion]:
    qs = Exclusion.objects.filter(tahap=tahap).filter(_family_scope(tahap, user))
    if reason:
        qs = qs.filter(reason=reason)
    return qs.select_related("household", "household__desa").order_by("reason", "household__pkh_id")


def exclusion_counts(tahap: Tahap, *, user: Any) -> list[tuple[str, str, int]]:
    """(reason, label, families) for every reason, in the reasons' order."""
    counts = dict(
        Exclusion.objects.filter(tahap=tahap)
        .filter(_family_scope(tahap, user))
        .values_list("reason")
        .annotate(n=Count("id"))
        .order_by()
    )
    return [(value, str(label), counts.get(value, 0)) for value, label in ExclusionReason.choices]


@dataclass
class BankTotal:
    bank: str
    rows: int
    amount: int
    burekol: int


def bank_totals(tahap: Tahap, *, user: Any) -> list[BankTotal]:
    rows = (
        tahap_lines(tahap, user=user)
        .values("bank")
        .annotate(n=Count("id"), amount=Sum("amount"), burekol=Count("id", filter=Q(needs_burekol=True)))
        .order_by("bank")
    )
    return [BankTotal(r["bank"], r["n"], r["amount"] or 0, r["burekol"]) for r in rows]


@dataclass
class RegionTotal:
    """Planned against paid for one region (FORMATS.md §6.2 totals; reconciliation)."""

    code: str
    name: str
    lines: int = 0
    planned: int = 0
    burekol: int = 0
    paid_lines: int = 0
    paid: int = 0
    failed_lines: int = 0
    open_lines: int = 0

    @property
    def unpaid(self) -> int:
        return self.planned - self.paid


# Characters of a region code at each level (Kemendagri 2+2+2+4, dotted).
CODE_LENGTH = {"kabupaten": 5, "kecamatan": 8, "desa": 13}


def region_totals(tahap: Tahap, *, user: Any, level: str = "kecamatan") -> list[RegionTotal]:
    """The tahap's lines the user may see, summed per kecamatan (or desa, or kabupaten) of the
    family's desa at the cut-off, in one GROUP BY."""
    length = CODE_LENGTH[level]
    failed = Q(status_salur__in=(SalurStatus.GAGAL, SalurStatus.RETUR))
    rows = (
        tahap_lines(tahap, user=user)
        .annotate(region=Substr("desa_id", 1, length))
        .values("region")
        .annotate(
            n=Count("id"),
            planned=Sum("amount"),
            burekol=Count("id", filter=Q(needs_burekol=True)),
            paid_n=Count("id", filter=Q(status_salur=SalurStatus.SALUR)),
            paid=Coalesce(Sum("paid_amount"), 0),
            failed=Count("id", filter=failed),
            open=Count("id", filter=Q(status_salur="") | Q(status_salur=SalurStatus.BELUM_SALUR)),
        )
        .order_by("region")
    )
    names = dict(Region.objects.filter(code__in=[r["region"] for r in rows]).values_list("code", "name"))
    return [
        RegionTotal(
            code=r["region"],
            name=names.get(r["region"], ""),
            lines=r["n"],
            planned=r["planned"] or 0,
            burekol=r["burekol"],
            paid_lines=r["paid_n"],
            paid=r["paid"],
            failed_lines=r["failed"],
            open_lines=r["open"],
        )
        for r in rows
    ]


def total_of(rows: list[RegionTotal]) -> RegionTotal:
    out = RegionTotal(code="", name=_("Jumlah"))
    for r in rows:
        for name in ("lines", "planned", "burekol", "paid_lines", "paid", "failed_lines", "open_lines"):
            setattr(out, name, getattr(out, name) + getattr(r, name))
    return out


def status_counts(tahap: Tahap, *, user: Any) -> list[tuple[str, str, int, int]]:
    """(status salur, label, lines, amount) of the bank's results, "" = no result yet."""
    got = {
        r["status_salur"]: (r["n"], r["amount"] or 0)
        for r in tahap_lines(tahap, user=user).values("status_salur").annotate(n=Count("id"), amount=Sum("amount"))
    }
    out = [("", _("Belum ada hasil"), *got.get("", (0, 0)))]
    out += [(value, str(label), *got.get(value, (0, 0))) for value, label in SalurStatus.choices]
    return out


def reason_counts(tahap: Tahap, *, user: Any) -> list[tuple[str, str, bool, int, int]]:
    """(code, label, carries over, lines, amount) of the reason codes the bank gave."""
    rows = (
        tahap_lines(tahap, user=user)
        .exclude(reason_code=None)
        .values("reason_code", "reason_code__label", "reason_code__carry_over")
        .annotate(n=Count("id"), amount=Sum("amount"))
        .order_by("reason_code")
    )
    return [
        (r["reason_code"], r["reason_code__label"], r["reason_code__carry_over"], r["n"], r["amount"] or 0)
        for r in rows
    ]


def reason_code_list() -> QuerySet[ReasonCode]:
    return ReasonCode.objects.filter(is_active=True).order_by("code")


# --- Bank result imports ---------------------------------------------------------------------------


def result_import_get(*, user: Any, pk: int) -> ResultImport:
    result = ResultImport.objects.select_related("tahap", "started_by").filter(pk=pk).first()
    if result is None:
        raise Http404(_("Impor hasil tidak ditemukan."))
    tahap_get(user=user, pk=result.tahap_id)
    return result


# --- A family's payments ---------------------------------------------------------------------------


@dataclass
class FamilyPayment:
    """One tahap as a family's page shows it: the line paid, or the reasons it was left out."""

    tahap: Tahap
    line: PaymentLine | None
    exclusions: list[Exclusion]


def household_payments(household: Household) -> list[FamilyPayment]:
    """Every tahap that listed the family, newest first, with its line or its exclusion reasons.
    The caller has checked that the reader may see the family."""
    by_tahap: dict[int, FamilyPayment] = {}
    for line in (
        PaymentLine.objects.filter(household=household)
        .select_related("tahap", "tahap__region", "reason_code", "carried_to")
        .order_by("-year", "-number", "-tahap_id")
    ):
        by_tahap[line.tahap_id] = FamilyPayment(line.tahap, line, [])
    for exclusion in (
        Exclusion.objects.filter(household=household).select_related("tahap", "tahap__region").order_by("reason")
    ):
        entry = by_tahap.setdefault(exclusion.tahap_id, FamilyPayment(exclusion.tahap, None, []))
        entry.exclusions.append(exclusion)
    return sorted(by_tahap.values(), key=lambda p: (p.tahap.year, p.tahap.number, p.tahap.pk), reverse=True)


# --- Dana sharing ----------------------------------------------------------------------------------


@dataclass
class DanaSharingRow:
    kabupaten: Region
    year: int
    apbd: int | None
    note: str
    planned: int
    paid: int
    target_percent: int

    @property
    def percent(self) -> Decimal | None:
        return None if self.apbd is None else dana_sharing_percent(self.apbd, self.paid)

    @property
    def meets_target(self) -> bool | None:
        return None if self.apbd is None else dana_sharing_meets_target(self.apbd, self.paid, self.target_percent)


def dana_sharing_rows(*, user: Any, year: int) -> list[DanaSharingRow]:
    """For each kabupaten/kota of the user's area: its APBD co-funding recorded for ``year``, and
    the PKH funds of that year's tahap in it, planned (approved lines) and paid (the bank's results)
    (RULES.md: Disbursement and data, dana sharing ≥ 5%)."""
    staff = _reader(user)
    area = region_prefix(staff)
    kabupaten = Region.objects.filter(level=Level.KABUPATEN)
    if area is not None:
        # A province: its kabupaten/kota; a kabupaten (or a kecamatan in it): that one.
        kabupaten = kabupaten.filter(code__startswith=area + ".") if len(area) == 2 else kabupaten.filter(code=area[:5])
    regions = list(kabupaten.order_by("code"))
    codes = [r.code for r in regions]
    money: dict[str, dict[str, int]] = defaultdict(lambda: {"planned": 0, "paid": 0})
    lines = PaymentLine.objects.filter(
        year=year,
        cancelled=False,
        tahap__status__in=(TahapStatus.DISETUJUI, TahapStatus.DITERBITKAN, TahapStatus.DIREKONSILIASI),
    )
    if len(codes) < 600:  # the national view sums every district: no filter needed
        q = Q()
        for code in codes:
            q |= Q(desa__code__startswith=code + ".")
        lines = lines.filter(q) if codes else lines.none()
    for r in (
        lines.annotate(kab=Substr("desa_id", 1, 5))
        .values("kab")
        .annotate(planned=Sum("amount"), paid=Coalesce(Sum("paid_amount"), 0))
        .order_by()
    ):
        money[r["kab"]] = {"planned": r["planned"] or 0, "paid": r["paid"]}
    records = {d.kabupaten_id: d for d in DanaSharing.objects.filter(year=year, kabupaten_id__in=codes)}
    target = setting("payroll", "DANA_SHARING_TARGET_PERCENT")
    out = []
    for region in regions:
        record = records.get(region.code)
        if record is None and region.code not in money and len(regions) > 40:
            continue  # a province or the nation: only districts with something to show
        out.append(
            DanaSharingRow(
                kabupaten=region,
                year=year,
                apbd=record.apbd_amount if record else None,
                note=record.note if record else "",
                planned=money[region.code]["planned"],
                paid=money[region.code]["paid"],
                target_percent=target,
            )
        )
    return out
