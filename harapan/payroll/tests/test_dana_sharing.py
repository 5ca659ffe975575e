"""Dana sharing: a kabupaten/kota's own APBD co-funding of PKH per year, shown as a share of the
PKH funds paid in it that year against the 5% target (RULES.md: Disbursement and data)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from harapan.accounts.models import Role
from harapan.audit.models import AuditEvent
from harapan.payroll.models import DanaSharing, PaymentLine
from harapan.payroll.selectors import dana_sharing_rows
from harapan.payroll.services import dana_sharing_record
from harapan.testing import BONDOWOSO, JEMBER, PASSWORD, make_household, make_staff

from .conftest import give_accounts
from .test_reconciliation import import_file, result_file, row_for


def test_dinsos_records_apbd_per_year_with_history_in_the_audit_trail(dinsos) -> None:
    first = dana_sharing_record(kabupaten_code=BONDOWOSO, year=2026, apbd_amount=1_000_000, acting_user=dinsos.user)
    again = dana_sharing_record(
        kabupaten_code=BONDOWOSO, year=2026, apbd_amount=1_500_000, note="APBD-P", acting_user=dinsos.user
    )
    assert first.pk == again.pk and DanaSharing.objects.get().apbd_amount == 1_500_000
    events = AuditEvent.objects.filter(action="dana_sharing_recorded").order_by("id")
    assert [e.after.get("apbd_amount") for e in events] == [1_000_000, 1_500_000]
    assert events[1].before == {"apbd_amount": 1_000_000, "note": ""}
    with pytest.raises(PermissionDenied):
        dana_sharing_record(kabupaten_code=JEMBER, year=2026, apbd_amount=1, acting_user=dinsos.user)
    with pytest.raises(PermissionDenied):
        dana_sharing_record(
            kabupaten_code=BONDOWOSO, year=2026, apbd_amount=1, acting_user=make_staff(Role.OPERATOR, BONDOWOSO).user
        )


def test_share_of_pkh_paid_in_the_district_against_the_target(
    run_tahap, approve_and_issue, operator, dinsos, tmp_path: Path
) -> None:
    fams = [make_household(children=[(dt.date(2022, 1, 1), None)]) for _ in range(4)]
    give_accounts(*fams)
    tahap = approve_and_issue(run_tahap())
    lines = list(PaymentLine.objects.filter(tahap=tahap))
    paid_lines = lines[:3]
    import_file(tahap, result_file(tmp_path / "r.csv", [row_for(line) for line in paid_lines]), operator.user)
    paid = sum(line.amount for line in paid_lines)
    dana_sharing_record(kabupaten_code=BONDOWOSO, year=2026, apbd_amount=paid * 5 // 100, acting_user=dinsos.user)
    (row,) = dana_sharing_rows(user=dinsos.user, year=2026)
    assert (row.apbd, row.paid, row.planned) == (paid * 5 // 100, paid, sum(line.amount for line in lines))
    assert row.meets_target is True and str(row.percent) == "5.00"

    c = Client()
    c.login(username=dinsos.user.get_username(), password=PASSWORD)
    page = c.get("/bayar/dana-sharing/?tahun=2026").content.decode()
    assert 'data-testid="dana-percent-35.11">5,00%' in page or 'data-testid="dana-percent-35.11">5.00%' in page
    response = c.post(
        "/bayar/dana-sharing/?tahun=2026", {"kabupaten": "3511", "year": 2026, "apbd_amount": 10, "note": ""}
    )
    assert response.status_code == 302
    assert dana_sharing_rows(user=dinsos.user, year=2026)[0].meets_target is False
