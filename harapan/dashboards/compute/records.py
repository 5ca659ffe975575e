"""Commitment verification and sanctions (komitmen), payments (bayar), grievances (aduan) and
referrals and coverage of complementary programmes (rujukan)."""

from __future__ import annotations

from django.db import connection
from django.db.models import BigIntegerField, Case, Count, F, Q, Sum, When
from django.db.models.functions import Coalesce

from harapan.accounts.models import Role
from harapan.compliance.models import ObligationRecord, Sanction, VerificationPeriod
from harapan.grievances.models import OPEN_STATUSES as GRIEVANCE_OPEN
from harapan.grievances.models import Grievance
from harapan.payroll.models import PaymentLine, SalurStatus, TahapStatus
from harapan.referrals.models import OPEN_STATUSES as REFERRAL_OPEN
from harapan.referrals.models import Coverage, Referral, ReferralStatus
from harapan.registry.models import IN_PROGRAMME, Household

from .. import metrics as m
from .base import Cells, Scope, Window, desa_q, desa_sql, month_key, table

# --- Commitment verification (section komitmen) ----------------------------------------------------


def commitments(scope: Scope, window: Window, cells: Cells) -> None:
    """Per verification month: records and records met; families verified and families that met
    every obligation recorded for them that month (RULES.md: Obligations)."""
    record, household, period = table(ObligationRecord), table(Household), table(VerificationPeriod)
    where, params = desa_sql(scope.prefix, "h.desa_id")
    sql = (
        "SELECT h.desa_id, h.pendamping_id, p.month, COUNT(*), "
        "SUM(CASE WHEN r.unmet = 0 THEN 1 ELSE 0 END), SUM(r.n), SUM(r.n - r.unmet) FROM ("
        "SELECT o.household_id, o.period_id, COUNT(*) AS n, SUM(CASE WHEN o.met THEN 0 ELSE 1 END) AS unmet "
        f"FROM {record} o JOIN {household} h ON h.id = o.household_id JOIN {period} p ON p.id = o.period_id "
        f"WHERE {where} AND p.month >= %s AND p.month <= %s GROUP BY o.household_id, o.period_id"
        f") r JOIN {household} h ON h.id = r.household_id JOIN {period} p ON p.id = r.period_id "
        "GROUP BY h.desa_id, h.pendamping_id, p.month"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, window.start, window.end])
        for desa, pendamping, month, families_n, compliant, records, met in cursor.fetchall():
            key = month_key(month)
            cells.add(desa, pendamping, "komitmen_kpm", key, families_n)
            cells.add(desa, pendamping, "komitmen_kpm_patuh", key, compliant)
            cells.add(desa, pendamping, "komitmen_catatan", key, records)
            cells.add(desa, pendamping, "komitmen_dipenuhi", key, met)


def sanctions(scope: Scope, window: Window, cells: Cells) -> None:
    """Open sanctions by level of the ladder (RULES.md: Sanctions)."""
    rows = (
        Sanction.objects.filter(scope.families("household__"), lifted_on__isnull=True)
        .values("household__desa_id", "household__pendamping_id", "level")
        .annotate(n=Count("id"))
        .order_by()
    )
    for r in rows:
        cells.add(r["household__desa_id"], r["household__pendamping_id"], f"sanksi_{r['level']}", m.NOW, r["n"])


# --- Payments (section bayar) ----------------------------------------------------------------------

FAILED = (SalurStatus.GAGAL, SalurStatus.RETUR)


def payments(scope: Scope, window: Window, cells: Cells) -> None:
    """Each tahap's payment lines planned against the bank's results (RULES.md: Disbursement and
    data): lines and amount of every live tahap (not cancelled), lines SALUR and the amount paid,
    lines GAGAL/RETUR and their amount. By the family's current desa: the lines are found through
    the family (indexed), not through the line's own desa (not indexed: a run writes millions)."""
    rows = (
        PaymentLine.objects.filter(scope.families("household__"), cancelled=False, year__gte=window.first_year)
        .exclude(tahap__status=TahapStatus.DIBATALKAN)
        .values("household__desa_id", "household__pendamping_id", "year", "number")
        .annotate(
            n=Count("id"),
            planned=Coalesce(Sum("amount"), 0),
            paid_n=Count("id", filter=Q(status_salur=SalurStatus.SALUR)),
            paid=Coalesce(Sum("paid_amount"), 0),
            failed_n=Count("id", filter=Q(status_salur__in=FAILED)),
            failed=Coalesce(Sum("amount", filter=Q(status_salur__in=FAILED)), 0),
        )
        .order_by()
    )
    for r in rows:
        key = f"{r['year']}-{r['number']}"
        desa, pendamping = r["household__desa_id"], r["household__pendamping_id"]
        cells.add(desa, pendamping, "bayar_kpm", key, r["n"])
        cells.add(desa, pendamping, "bayar_rp", key, r["planned"])
        cells.add(desa, pendamping, "salur_kpm", key, r["paid_n"])
        cells.add(desa, pendamping, "salur_rp", key, r["paid"])
        cells.add(desa, pendamping, "gagal_kpm", key, r["failed_n"])
        cells.add(desa, pendamping, "gagal_rp", key, r["failed"])


# --- Grievances and referrals (sections aduan, rujukan) ---------------------------------------------


def grievances(scope: Scope, window: Window, cells: Cells) -> None:
    """Complaint cases by the case's desa, category and status, as ``grievances.selectors.
    grievance_counts`` counts them: all, open now (baru, ditangani) and open and escalated. A case
    belongs to its family's pendamping; a case without a family to the pendamping who lodged it (the
    cases a pendamping sees: ``grievances.selectors.grievances_visible``). A case about a pendamping
    never counts in that pendamping's figures (issue 5: a case about a pendamping is not visible to
    that pendamping): it counts for its desa only. Overdue depends on the time of reading: the
    dashboards count it when they are read (``cases.overdue_counts``, an indexed filter)."""
    lodger = Case(
        When(
            Q(household__isnull=True) & Q(created_by__staff__role=Role.PENDAMPING),
            then=F("created_by__staff__id"),
        ),
        default=None,
        output_field=BigIntegerField(),
    )
    rows = (
        Grievance.objects.filter(desa_q(scope.prefix))
        .annotate(lodger=lodger)
        .values("desa_id", "household__pendamping_id", "lodger", "about_pendamping_id", "category__code", "status")
        .annotate(n=Count("id"), escalated=Count("id", filter=Q(escalated_at__isnull=False)))
        .order_by()
    )
    for r in rows:
        pendamping = r["household__pendamping_id"] or r["lodger"]
        if pendamping is not None and pendamping == r["about_pendamping_id"]:
            pendamping = None
        desa, n = r["desa_id"], r["n"]
        cells.add(desa, pendamping, "aduan", m.NOW, n)
        cells.add(desa, pendamping, m.grievance_key(r["category__code"], r["status"]), m.NOW, n)
        if r["status"] in GRIEVANCE_OPEN:
            cells.add(desa, pendamping, "aduan_terbuka", m.NOW, n)
            cells.add(desa, pendamping, m.grievance_key(r["category__code"], m.ESCALATED_OPEN), m.NOW, r["escalated"])


def referrals(scope: Scope, window: Window, cells: Cells) -> None:
    """Referrals to complementary programmes by the family's desa, programme and status now, as
    ``referrals.selectors.referral_counts`` counts them; all, those still open (dirujuk, diterima)
    and those completed (selesai). Then coverage (``coverage``)."""
    rows = (
        Referral.objects.filter(scope.families("household__"))
        .values("household__desa_id", "household__pendamping_id", "programme__code", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    for r in rows:
        desa, pendamping, n = r["household__desa_id"], r["household__pendamping_id"], r["n"]
        cells.add(desa, pendamping, "rujukan", m.NOW, n)
        cells.add(desa, pendamping, m.referral_key(r["programme__code"], r["status"]), m.NOW, n)
        if r["status"] in REFERRAL_OPEN:
            cells.add(desa, pendamping, "rujukan_terbuka", m.NOW, n)
        if r["status"] == ReferralStatus.SELESAI:
            cells.add(desa, pendamping, "rujukan_selesai", m.NOW, n)
    coverage(scope, window, cells)


def coverage(scope: Scope, window: Window, cells: Cells) -> None:
    """Families in the programme (calon, aktif, ditangguhkan) receiving each complementary programme
    on the date, through a family-level row or any member's, as ``referrals.selectors.coverage_counts``
    counts them. A family is in one cell, so the cells add up."""
    on = window.on
    rows = (
        Coverage.objects.filter(scope.families("household__"), household__status__in=IN_PROGRAMME, since__lte=on)
        .filter(Q(until__isnull=True) | Q(until__gte=on))
        .values("household__desa_id", "household__pendamping_id", "programme__code")
        .annotate(n=Count("household_id", distinct=True))
        .order_by()
    )
    for r in rows:
        cells.add(
            r["household__desa_id"], r["household__pendamping_id"], m.coverage_key(r["programme__code"]), m.NOW, r["n"]
        )
