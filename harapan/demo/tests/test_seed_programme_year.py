"""``seed_programme_year``: the demo district's year after the field year (issues 5 and 7) on a
300-family demo: commitment verification month by month, the year's tahap to the bank's results,
dana sharing, graduasi mandiri through the services, and the other apps' seeders; idempotent by
refusal.

The district is built and its year seeded once for the class (``setUpTestData``); each test reads it
inside its own rolled-back savepoint."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, Sum
from django.test import TestCase

from harapan.accounts.models import Role
from harapan.audit.models import AuditEvent
from harapan.compliance.models import (
    EvaluationRun,
    ObligationRecord,
    RunKind,
    Sanction,
    SanctionRecord,
    VerificationImportRun,
)
from harapan.demo.programme.payments import cut_offs
from harapan.demo.programme.verification import finished_months
from harapan.graduation.models import GraduationProposal, ProposalStatus
from harapan.imports.models import RunStatus
from harapan.payroll.models import DanaSharing, PaymentLine, ResultImport, SalurStatus, Tahap, TahapStatus
from harapan.payroll.rules import dana_sharing_percent
from harapan.registry.models import Household, HouseholdStatus
from harapan.testing import BONDOWOSO, JEMBER, make_staff

AS_OF = dt.date(2026, 11, 20)
YEAR = AS_OF.year
ARGS = ("seed_programme_year", "--user", "operator", "--kabupaten", "35.11", "--as-of", AS_OF.isoformat())


def _counts() -> dict[str, int]:
    from harapan.grievances.models import Grievance
    from harapan.referrals.models import Referral
    from harapan.training.models import Cohort

    return {
        "tahap": Tahap.objects.count(),
        "lines": PaymentLine.objects.count(),
        "results": ResultImport.objects.count(),
        "records": ObligationRecord.objects.count(),
        "sanctions": Sanction.objects.count(),
        "evaluations": EvaluationRun.objects.count(),
        "imports": VerificationImportRun.objects.count(),
        "proposals": GraduationProposal.objects.count(),
        "dana": DanaSharing.objects.count(),
        "grievances": Grievance.objects.count(),
        "referrals": Referral.objects.count(),
        "cohorts": Cohort.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


class ProgrammeYearTests(TestCase):
    output: str

    @classmethod
    def setUpTestData(cls) -> None:
        out = io.StringIO()
        call_command("seed_demo", "--families", "300", "--as-of", AS_OF.isoformat(), stdout=out)
        call_command(
            "form_groups", "--user", "operator", "--kabupaten", "35.11", "--valid-from", f"{YEAR}-01-01", stdout=out
        )
        call_command("plan_meetings", "--user", "operator", "--kabupaten", "35.11", "--year", str(YEAR), stdout=out)
        call_command(
            "seed_field_year", "--user", "operator", "--kabupaten", "35.11", "--as-of", AS_OF.isoformat(), stdout=out
        )
        year = io.StringIO()
        call_command(*ARGS, stdout=year)
        cls.output = year.getvalue()

    def test_every_tahap_with_a_past_cut_off_is_approved_by_dinas_sosial_and_reconciled(self) -> None:
        """RULES.md "Disbursement and data": four tahap a year; the operator opens and computes, a
        second person of Dinas Sosial approves, the bank's results come back for every line."""
        tahap = list(Tahap.objects.filter(region_id="35.11", year=YEAR).order_by("number"))
        assert [(t.number, t.cut_off) for t in tahap] == cut_offs(YEAR, AS_OF)
        assert [t.number for t in tahap] == [1, 2, 3, 4]
        for t in tahap:
            assert t.status == TahapStatus.DIREKONSILIASI
            assert t.approved_by is not None and t.approved_by.staff.role == Role.DINSOS_KAB
            assert t.approved_by_id not in (t.opened_by_id, t.prepared_by_id)
            assert t.opened_by.staff.role == Role.OPERATOR

    def test_tahap_totals_equal_their_payment_lines(self) -> None:
        """RULES.md "Disbursement and data": a tahap's counted total is its lines' NOMINAL, each
        line its entitlement plus the arrears carried into it."""
        for t in Tahap.objects.filter(region_id="35.11", year=YEAR):
            lines = PaymentLine.objects.filter(tahap=t, cancelled=False)
            totals = lines.aggregate(amount=Sum("amount"), arrears=Sum("arrears"), n=Count("pk"))
            assert t.lines_count == totals["n"] > 0
            assert t.lines_amount == totals["amount"]
            assert t.arrears_amount == (totals["arrears"] or 0)
            assert not lines.filter(household__desa__code__startswith="35.09.").exists()

    def test_the_banks_results_are_recorded_on_every_line(self) -> None:
        """FORMATS.md §6.3: each bank's result file, read through the result import, marks every
        line; about 97% are paid, the others failed or returned with a reason code, and an unpaid
        amount whose reason carries is paid with the family's next tahap."""
        lines = PaymentLine.objects.filter(year=YEAR, cancelled=False)
        assert not lines.filter(status_salur="").exists()
        salur = lines.filter(status_salur=SalurStatus.SALUR).count()
        assert 0.9 <= salur / lines.count() < 1
        unpaid = lines.filter(status_salur__in=(SalurStatus.GAGAL, SalurStatus.RETUR))
        assert unpaid.exists()
        assert not unpaid.filter(reason_code__isnull=True).exists()
        assert all(line.paid_amount == line.amount for line in lines.filter(status_salur=SalurStatus.SALUR))
        assert all(line.paid_amount == 0 for line in unpaid)
        imports = ResultImport.objects.filter(tahap__year=YEAR)
        assert imports.filter(kind=ResultImport.Kind.HASIL).count() == len(
            set(lines.values_list("tahap_id", "bank").distinct())
        )
        assert not imports.exclude(state=ResultImport.State.DONE).exists()
        assert imports.aggregate(n=Sum("rows_rejected"))["n"] == 0
        carried = lines.filter(carried_to__isnull=False)
        assert carried.exists()
        for line in carried:
            assert line.reason_code is not None and line.reason_code.carry_over
            later = PaymentLine.objects.get(tahap=line.carried_to, household=line.household)
            assert later.arrears >= line.amount

    def test_dana_sharing_is_five_to_six_percent_of_the_pkh_funds_paid(self) -> None:
        """RULES.md "Disbursement and data": dana sharing, the district's APBD co-funding, target
        ≥ 5% (seed 004), recorded by Dinas Sosial of the kabupaten."""
        record = DanaSharing.objects.get(kabupaten_id="35.11", year=YEAR)
        assert record.recorded_by.staff.role == Role.DINSOS_KAB
        paid = PaymentLine.objects.filter(year=YEAR, cancelled=False).aggregate(s=Sum("paid_amount"))["s"]
        percent = dana_sharing_percent(record.apbd_amount, paid)
        assert percent is not None and Decimal(5) <= percent <= Decimal(6)
        assert "Dana sharing APBD" in self.output and f"{percent}".replace(".", ",") in self.output

    def test_each_finished_month_is_evaluated_with_p2k2_from_the_meetings(self) -> None:
        """RULES.md "Sanctions (configurable ladder)": each verification month up to the reference
        date is evaluated; P2K2 records come from the meetings held; sanctions rest on records."""
        months = finished_months(YEAR, AS_OF)
        runs = EvaluationRun.objects.filter(region_id="35.11").order_by("period__month")
        assert [r.period.month for r in runs] == months
        assert not runs.exclude(status=RunStatus.DONE).exists()
        for month in months:
            assert ObligationRecord.objects.filter(period__month=month, obligation__code="p2k2_hadir").exists()
        assert Sanction.objects.filter(period__month__year=YEAR).exists()
        assert SanctionRecord.objects.exists()

    def test_school_and_health_files_come_in_through_the_verification_import(self) -> None:
        """RULES.md "Obligations (conditionalities)": the schools' forms (FORMATS.md §4.2) and the
        health facilities' files are imported without rejects, and school attendance below 85% is
        recorded as not met."""
        runs = VerificationImportRun.objects.all()
        assert runs.filter(kind=RunKind.SEKOLAH).exists() and runs.filter(kind=RunKind.FASKES).exists()
        assert not runs.exclude(status=RunStatus.DONE).exists()
        assert runs.aggregate(n=Sum("rows_rejected"))["n"] == 0
        attendance = ObligationRecord.objects.filter(obligation__code="sekolah_kehadiran")
        assert attendance.filter(met=True, value__gte=85).exists()
        assert not attendance.filter(met=True, value__lt=85).exists()
        assert not attendance.filter(met=False, value__gte=85).exists()

    def test_graduasi_mandiri_goes_through_assessment_proposal_statement_and_korkab_approval(self) -> None:
        """RULES.md "Graduation": mandiri after the pendamping's assessment, with a signed
        statement; the korkab - never the proposer - approves and the family leaves the programme."""
        approved = GraduationProposal.objects.filter(status=ProposalStatus.DISETUJUI).select_related(
            "assessment", "household", "proposed_by", "decided_by"
        )
        assert approved.exists()
        for p in approved:
            assert p.assessment.ready and p.assessment.kpm_willing
            assert p.statement_signed and p.statement_scan and p.scan_content_type == "application/pdf"
            assert p.statement_signed_on is not None and p.statement_signed_on >= p.assessment.assessed_on
            assert p.proposed_by.role == Role.PENDAMPING and p.household.pendamping_id == p.proposed_by_id
            assert p.decided_by is not None and p.decided_by.role == Role.KORKAB
            assert p.household.status == HouseholdStatus.GRADUASI_MANDIRI
        assert AuditEvent.objects.filter(household__in=[p.household_id for p in approved]).exists()
        assert "per pendamping" in self.output

    def test_the_other_apps_seeders_fill_the_year(self) -> None:
        """Issues 5 and 7: complaints, referrals, a finished and a running cohort of facilitator
        training, and an alumni survey with answers."""
        from harapan.alumni.models import Invitation
        from harapan.grievances.models import Grievance
        from harapan.referrals.models import Referral
        from harapan.training.models import Cohort, CohortStatus

        assert Grievance.objects.filter(desa__code__startswith="35.11.").exists()
        assert Referral.objects.filter(household__desa__code__startswith="35.11.").exists()
        statuses = set(Cohort.objects.values_list("status", flat=True))
        assert {CohortStatus.FINISHED, CohortStatus.RUNNING} <= statuses
        assert Invitation.objects.filter(submitted_at__isnull=False).exists()

    def test_a_second_run_adds_nothing(self) -> None:
        """Idempotent by refusal: a district with a tahap this year is left as it is."""
        before = _counts()
        with pytest.raises(CommandError, match="sudah punya tahap"):
            call_command(*ARGS, stdout=io.StringIO())
        again = io.StringIO()
        call_command(*ARGS, "--if-empty", stdout=again)
        assert "sudah punya tahap" in again.getvalue()
        assert _counts() == before

    def test_only_an_operator_or_korkab_of_the_district_may_run_it(self) -> None:
        before = _counts()
        with pytest.raises(CommandError):
            call_command("seed_programme_year", "--user", "pendamping", "--kabupaten", "35.11", stdout=io.StringIO())
        outsider = make_staff(Role.OPERATOR, JEMBER, username="operator_jember")
        with pytest.raises(CommandError, match="di luar wilayah"):
            call_command(
                "seed_programme_year", "--user", outsider.user.username, "--kabupaten", BONDOWOSO, stdout=io.StringIO()
            )
        assert _counts() == before
        assert get_user_model().objects.filter(username="pendamping").exists()
        assert Household.objects.filter(desa__code__startswith="35.11.").count() == 300
