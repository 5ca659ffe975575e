"""The tahap computation: who of the region is paid how much, and who is left out and why.

For one tahap (region, year, tahap number, cut-off date) it takes the families of the region in
the programme on the cut-off date (their status period covering that date), derives every member's
components on the date in SQL, once for the region (``components.component_sql`` into a temporary
table read range by range), applies the cap and the benefit
index (``benefits.rules.household_totals`` and ``tahap_amounts``), and runs the validation by
system (RULES.md: Disbursement and data): the carer present, the carer's NIK and the No KK valid
(``rules.IdentityCheck``), no NIK held by two families in the programme, an account that is not
blocked or inactive. A family without an account is paid through a burekol line. A family with
no counted component is left out as *graduasi alamiah* (RULES.md: Graduation); its status changes
when the tahap is approved (``graduation``).

Idempotence (issue 4, "a tahap can never pay a family twice"): the families are split into ranges
of household id covering the whole id space; each range is one transaction that deletes the
tahap's lines and exclusions in the range and writes them again. A run killed half-way leaves
whole ranges, some new and some old; running again rewrites every range, so the final list is the
same as an uninterrupted run's. The database's unique constraint on (household, year, tahap
number) among live lines stops a second, overlapping tahap (a province's over a kabupaten's) from
paying a family twice; the run lists such a family as excluded ("tahap lain") rather than failing.
"""

from __future__ import annotations

import datetime as dt
import logging
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from harapan.benefits.rules import IndexTerms, household_totals, tahap_amounts
from harapan.benefits.selectors import hard_to_reach_household_ids, index_terms
from harapan.conf import setting
from harapan.regions.selectors import kecamatan_codes
from harapan.registry.models import (
    IN_PROGRAMME,
    PRESENT,
    Household,
    HouseholdStatus,
    HouseholdStatusPeriod,
    Member,
)
from harapan.registry.rules import RegistryRules

from . import events
from .bulk import bulk_session, insert_rows
from .components import component_sql
from .models import (
    AccountState,
    Exclusion,
    ExclusionReason,
    PaymentLine,
    RunState,
    Tahap,
    TahapStatus,
)
from .rules import IdentityCheck, carer_absence, id_salur
from .snapshot import (
    account_states_on,
    arrears_by_household,
    duplicate_nik_households,
    paid_elsewhere,
    region_households,
)

log = logging.getLogger(__name__)

# Beyond any household id: the last range runs to the end of the id space.
ID_MAX = sys.maxsize

STATUS_REASONS = {
    HouseholdStatus.DITANGGUHKAN: ExclusionReason.DITANGGUHKAN,
    HouseholdStatus.NON_ELIGIBLE: ExclusionReason.NON_ELIGIBLE,
    HouseholdStatus.CALON: ExclusionReason.CALON,
}

# The columns of a payment line as the run writes them, in this order.
LINE_COLUMNS = (
    "tahap_id",
    "household_id",
    "year",
    "number",
    "cancelled",
    "id_salur",
    "pkh_id",
    "carer_nik",
    "carer_name",
    "carer_birth_date",
    "carer_mother_name",
    "address",
    "desa_id",
    "bank",
    "account_number",
    "account_name",
    "kks_number",
    "komponen_count",
    "entitlement",
    "arrears",
    "amount",
    "needs_burekol",
    "status_salur",
    "note",
    "account_status",
)
EXCLUSION_COLUMNS = ("tahap_id", "household_id", "reason", "detail")


@dataclass
class RunContext:
    """What a run reads once before its chunks."""

    tahap: Tahap
    on: dt.date
    terms: IndexTerms
    rules: RegistryRules
    identity: IdentityCheck
    payable: frozenset[str]
    non_eligible_listed_from: dt.date
    excluded_accounts: dict[str, str]
    default_bank: str
    stage: str = ""  # the session's temporary table of the region's components
    hard_to_reach: set[int] = field(default_factory=set)
    duplicate_nik: dict[int, str] = field(default_factory=dict)
    elsewhere: dict[int, str] = field(default_factory=dict)
    arrears: dict[int, int] = field(default_factory=dict)
    accounts: dict[int, tuple[str, dt.date]] = field(default_factory=dict)


@dataclass
class ChunkResult:
    lines: list[tuple[Any, ...]]
    exclusions: list[tuple[Any, ...]]
    families: int = 0


# --- Reading the region ------------------------------------------------------------------------------


def chunk_bounds(ids: Sequence[int], size: int) -> list[tuple[int, int]]:
    """Ranges ``(after, upto]`` of household id, ``size`` families each, that together cover the
    whole id space, so that lines of families that left the region are replaced too."""
    bounds: list[tuple[int, int]] = []
    after = -1
    for i in range(size - 1, len(ids) - 1, size):
        bounds.append((after, ids[i]))
        after = ids[i]
    bounds.append((after, ID_MAX))
    return bounds


def run_context(tahap: Tahap) -> RunContext:
    on = tahap.cut_off
    rules = RegistryRules.from_settings()
    ctx = RunContext(
        tahap=tahap,
        on=on,
        terms=index_terms(tahap.benefit_index),
        rules=rules,
        # A No KK is a real number when its registration date is not in the future on the day of
        # the run: a family's KK is reissued when its members change, so a KK dated after the
        # cut-off is the family's current card, not an invalid number.
        identity=IdentityCheck(kecamatan_codes(), max(on, timezone.localdate()), rules.kk_earliest_year),
        payable=frozenset(setting("payroll", "PAYABLE_STATUSES")),
        non_eligible_listed_from=on - dt.timedelta(days=setting("payroll", "NON_ELIGIBLE_LISTED_DAYS")),
        excluded_accounts=dict(setting("payroll", "EXCLUDED_ACCOUNT_STATUSES")),
        default_bank=setting("payroll", "DEFAULT_BANK"),
        stage=f"payroll_komponen_{int(tahap.pk)}",
    )
    ctx.hard_to_reach = hard_to_reach_household_ids(on, region_households(tahap))
    ctx.duplicate_nik = duplicate_nik_households()
    ctx.elsewhere = paid_elsewhere(tahap)
    ctx.arrears = arrears_by_household(tahap)
    ctx.accounts = account_states_on(tahap, on)
    return ctx


@dataclass
class Phases:
    """Seconds spent in each phase of a run, summed over its chunks (the bench reports them)."""

    seconds: dict[str, float] = field(default_factory=dict)
    _last: float = field(default_factory=time.perf_counter)

    def lap(self, name: str) -> None:
        """Charge the time since the previous lap to ``name``."""
        now = time.perf_counter()
        self.seconds[name] = self.seconds.get(name, 0.0) + now - self._last
        self._last = now

    def start(self) -> None:
        self._last = time.perf_counter()


class _Untimed(Phases):
    def lap(self, name: str) -> None:
        pass


NO_PHASES = _Untimed()


# --- One range of families -----------------------------------------------------------------------


def stage_components(ctx: RunContext) -> None:
    """Derive the components of every member of the region once, into a temporary table of the
    session indexed by household (``components.component_sql``): one pass over members and their
    dated facts instead of one per range. Each range then reads its rows by index."""
    table = ctx.stage
    tahap = ctx.tahap
    sql, params = component_sql(
        on=ctx.on, rules=ctx.rules, id_after=-1, id_upto=ID_MAX, region_prefix=tahap.region_prefix
    )
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {table}")
        cursor.execute(f"CREATE TEMPORARY TABLE {table} AS {sql}", params)
        cursor.execute(f"CREATE INDEX {table}_h ON {table} (household_id, member_id)")


def unstage_components(ctx: RunContext) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {ctx.stage}")


def staged_components(ctx: RunContext, id_after: int, id_upto: int) -> list[tuple[int, int, str]]:
    """The staged (household, member, komponen) rows of one range, ordered by household, member."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT household_id, member_id, komponen FROM {ctx.stage} "
            "WHERE household_id > %s AND household_id <= %s ORDER BY household_id, member_id",
            [id_after, id_upto],
        )
        return cursor.fetchall()


def _household_rows(ctx: RunContext, id_after: int, id_upto: int) -> list[tuple[Any, ...]]:
    """The families of the range with their status period(s) covering the cut-off (the latest
    first) and their carer, ordered by household id."""
    qn = connection.ops.quote_name
    h, sp, m = (qn(model._meta.db_table) for model in (Household, HouseholdStatusPeriod, Member))
    region = "AND h.desa_id LIKE %s " if ctx.tahap.region_prefix else ""
    sql = (
        "SELECT h.id, h.pkh_id, h.no_kk, h.desa_id, h.address, h.bank, h.account_number, h.account_name, "
        "h.kks_number, sp.status, sp.valid_from, sp.reason, "
        "c.nik, c.name, c.birth_date, c.sex, c.mother_name, c.presence, c.left_on "
        f"FROM {h} h JOIN {sp} sp ON sp.household_id = h.id AND sp.valid_from <= %s "
        "AND (sp.valid_to IS NULL OR sp.valid_to >= %s) AND sp.household_id > %s AND sp.household_id <= %s "
        f"LEFT JOIN {m} c ON c.household_id = h.id AND c.is_carer = %s "
        "AND c.household_id > %s AND c.household_id <= %s "
        f"WHERE h.id > %s AND h.id <= %s {region}"
        "ORDER BY h.id, sp.valid_from DESC, sp.id DESC"
    )
    # The range is repeated on every table so that each is read through its household index.
    bounds = [id_after, id_upto]
    params: list[Any] = [ctx.on, ctx.on, *bounds, True, *bounds, *bounds]
    if ctx.tahap.region_prefix:
        params.append(f"{ctx.tahap.region_prefix}%")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def compute_chunk(ctx: RunContext, id_after: int, id_upto: int, phases: Phases = NO_PHASES) -> ChunkResult:
    """The lines and exclusions of the families in ``(id_after, id_upto]`` (no writes)."""
    tahap, on = ctx.tahap, ctx.on
    comps = staged_components(ctx, id_after, id_upto)
    phases.lap("komponen (SQL)")
    hs, ms, ks = (list(c) for c in zip(*comps, strict=True)) if comps else ([], [], [])
    del comps
    totals = household_totals(hs, ms, ks, terms=ctx.terms, hard_to_reach=ctx.hard_to_reach)
    amounts = tahap_amounts(totals, ctx.terms, tahap.number)
    del hs, ms, ks
    phases.lap("indeks dan batas (household_totals)")
    households = _household_rows(ctx, id_after, id_upto)
    phases.lap("keluarga dan pengurus (SQL)")
    result = ChunkResult([], [])
    lines, exclusions = result.lines, result.exclusions
    tahap_id, year, number = tahap.pk, tahap.year, tahap.number
    identity, accounts, excluded_accounts = ctx.identity, ctx.accounts, ctx.excluded_accounts
    previous = None
    for row in households:
        hid = row[0]
        if hid == previous:  # an older status period covering the same day
            continue
        previous = hid
        (_, pkh_id, no_kk, desa_id, address, bank, account_number, account_name, kks) = row[:9]
        status, since, status_reason = row[9:12]
        c_nik, c_name, c_birth, c_sex, c_mother, c_presence, c_left = row[12:19]
        reasons: list[tuple[str, str]] = []
        if status not in ctx.payable:
            if status == HouseholdStatus.NON_ELIGIBLE:
                if since < ctx.non_eligible_listed_from:
                    continue
            elif status not in IN_PROGRAMME:
                continue
            reason = STATUS_REASONS.get(status, ExclusionReason.NON_ELIGIBLE)
            reasons.append((reason, status_reason or f"Status {status} sejak {since:%d-%m-%Y}."))
        result.families += 1
        absent = carer_absence(has_carer=c_birth is not None, presence_ok=c_presence in PRESENT, left_on=c_left, on=on)
        if absent:
            reasons.append((ExclusionReason.PENGURUS_TIDAK_ADA, absent))
        else:
            if not c_nik:
                reasons.append((ExclusionReason.NIK_TIDAK_VALID, "Pengurus tidak punya NIK."))
            elif problems := identity.nik(c_nik, birth_date=c_birth, sex=c_sex):
                reasons.append((ExclusionReason.NIK_TIDAK_VALID, " ".join(v.message for v in problems)))
        kk_problems = identity.no_kk(no_kk)
        if kk_problems:
            reasons.append((ExclusionReason.KK_TIDAK_VALID, " ".join(v.message for v in kk_problems)))
        if hid in ctx.duplicate_nik:
            reasons.append((ExclusionReason.NIK_GANDA, ctx.duplicate_nik[hid]))
        account = accounts.get(hid)
        if account is not None and account[0] in excluded_accounts:
            reasons.append(
                (excluded_accounts[account[0]], f"Status rekening {account[0]} sejak {account[1]:%d-%m-%Y}.")
            )
        if hid in ctx.elsewhere:
            reasons.append((ExclusionReason.TAHAP_LAIN, ctx.elsewhere[hid]))
        total = totals.get(hid)
        if total is None or total.counted == 0:
            reasons.append((ExclusionReason.GRADUASI_ALAMIAH, f"Tidak ada anggota dengan komponen pada {on:%d-%m-%Y}."))
        if reasons:
            exclusions.extend((tahap_id, hid, r, d[:300]) for r, d in reasons)
            continue
        assert total is not None
        burekol = not account_number or (account is not None and account[0] == AccountState.BELUM_ADA)
        entitlement = amounts[hid]
        arrears = ctx.arrears.get(hid, 0)
        lines.append(
            (
                tahap_id,
                hid,
                year,
                number,
                False,
                id_salur(year, number, tahap_id, hid),
                pkh_id,
                c_nik,
                c_name,
                c_birth,
                c_mother or "",
                address,
                desa_id,
                bank or ctx.default_bank,
                "" if burekol else account_number,
                account_name or "",
                kks or "",
                total.counted,
                entitlement,
                arrears,
                entitlement + arrears,
                burekol,
                "",
                "",
                "",
            )
        )
    phases.lap("validasi dan baris")
    return result


# --- Writing ---------------------------------------------------------------------------------------


def write_chunk(ctx: RunContext, id_after: int, id_upto: int, phases: Phases = NO_PHASES) -> ChunkResult:
    """Replace the tahap's lines and exclusions in one range, in one transaction."""
    tahap = ctx.tahap
    with transaction.atomic():
        # One writer per tahap at a time: chunks of two runs never interleave.
        Tahap.objects.select_for_update().filter(pk=tahap.pk).values_list("pk", flat=True).get()
        in_range = {"tahap": tahap, "household_id__gt": id_after, "household_id__lte": id_upto}
        # Nothing refers to lines or exclusions: Django deletes them in one statement each.
        PaymentLine.objects.filter(**in_range).delete()
        Exclusion.objects.filter(**in_range).delete()
        phases.lap("hapus baris lama")
        result = compute_chunk(ctx, id_after, id_upto, phases)
        insert_rows(PaymentLine, LINE_COLUMNS, result.lines)
        insert_rows(Exclusion, EXCLUSION_COLUMNS, result.exclusions)
        Tahap.objects.filter(pk=tahap.pk).update(run_done=F("run_done") + result.families)
        phases.lap("tulis baris (COPY/INSERT)")
    phases.lap("commit")
    return result


def compute(
    tahap: Tahap,
    *,
    acting_user: Any,
    chunk_size: int | None = None,
    after_chunk: Callable[[int], None] | None = None,
    phases: Phases | None = None,
) -> Tahap:
    """Compute the tahap's list from scratch, range by range (see the module docstring). The
    caller (``services.tahap_compute``) has checked the user and the tahap's status.

    ``after_chunk(i)`` is called after range ``i`` is committed (tests stop a run there)."""
    phases = phases or NO_PHASES
    phases.start()
    size = max(1, chunk_size or setting("payroll", "CHUNK_SIZE"))
    ids = list(region_households(tahap).order_by("id").values_list("id", flat=True))
    bounds = chunk_bounds(ids, size)
    Tahap.objects.filter(pk=tahap.pk).update(
        status=TahapStatus.DIBUKA,
        run_state=RunState.RUNNING,
        run_total=len(ids),
        run_done=0,
        run_error="",
        run_started_at=timezone.now(),
        run_finished_at=None,
    )
    del ids
    phases.lap("daftar keluarga wilayah")
    ctx = run_context(tahap)
    phases.lap("data seluruh wilayah (NIK ganda, rekening, tunggakan, daerah sulit)")
    with bulk_session():
        stage_components(ctx)
        phases.lap("komponen seluruh wilayah (SQL, tabel sementara)")
        try:
            for i, (after, upto) in enumerate(bounds):
                write_chunk(ctx, after, upto, phases)
                if after_chunk is not None:
                    after_chunk(i)
        finally:
            unstage_components(ctx)
    return finish(tahap, acting_user=acting_user, phases=phases)


def finish(tahap: Tahap, *, acting_user: Any, phases: Phases = NO_PHASES) -> Tahap:
    """Counters of the complete list; the tahap is computed and waits for approval."""
    totals = PaymentLine.objects.filter(tahap=tahap).aggregate(
        n=Count("id"),
        amount=Coalesce(Sum("amount"), 0),
        arrears=Coalesce(Sum("arrears"), 0),
        burekol=Count("id", filter=Q(needs_burekol=True)),
    )
    excluded = Exclusion.objects.filter(tahap=tahap)
    excluded_families = excluded.values("household_id").distinct().count()
    alamiah = excluded.filter(reason=ExclusionReason.GRADUASI_ALAMIAH).count()
    with transaction.atomic():
        tahap = Tahap.objects.select_for_update().get(pk=tahap.pk)
        tahap.status = TahapStatus.DIHITUNG
        tahap.run_state = RunState.DONE
        tahap.run_finished_at = tahap.computed_at = timezone.now()
        tahap.prepared_by = acting_user
        tahap.families_count = totals["n"] + excluded_families
        tahap.lines_count = totals["n"]
        tahap.lines_amount = totals["amount"]
        tahap.arrears_amount = totals["arrears"]
        tahap.burekol_count = totals["burekol"]
        tahap.excluded_count = excluded_families
        tahap.alamiah_count = alamiah
        tahap.run_done = tahap.run_total or 0
        tahap.save()
        events.tahap_computed(tahap, actor=acting_user).save()
    phases.lap("jumlah dan status")
    return tahap
