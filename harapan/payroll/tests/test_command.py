"""``harapan run-tahap``: open and compute a tahap from the command line; running it again
recomputes the same list (issue 4)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from harapan.accounts.models import Role
from harapan.payroll.models import PaymentLine, Tahap, TahapStatus
from harapan.testing import make_household, make_staff

from .conftest import give_accounts


def test_run_tahap_opens_computes_and_reruns_the_same_list(operator) -> None:
    paid = make_household(children=[(dt.date(2022, 1, 1), None)])
    give_accounts(paid)
    make_household()
    args = ["--user", operator.user.get_username(), "--region", "3511", "--year", "2026", "--tahap", "1"]
    out = io.StringIO()
    call_command("run_tahap", *args, "--cutoff", "2026-03-01", stdout=out)
    tahap = Tahap.objects.get()
    assert tahap.status == TahapStatus.DIHITUNG and tahap.region_id == "35.11"
    text = out.getvalue()
    assert "baris bayar" in text and "Tidak ada komponen (graduasi alamiah)" in text
    lines = list(PaymentLine.objects.values_list("household_id", "id_salur", "amount"))
    call_command("run_tahap", *args, "--cutoff", "2026-03-01", "--chunk-size", "1", stdout=io.StringIO())
    assert list(PaymentLine.objects.values_list("household_id", "id_salur", "amount")) == lines
    assert Tahap.objects.count() == 1
    with pytest.raises(CommandError, match="cut-off"):
        call_command("run_tahap", *args, "--cutoff", "2026-03-02", stdout=io.StringIO())


def test_run_tahap_refuses_a_user_outside_the_region() -> None:
    jember = make_staff(Role.OPERATOR, "35.09")
    with pytest.raises(CommandError):
        call_command(
            "run_tahap",
            *["--user", jember.user.get_username(), "--region", "35.11", "--year", "2026", "--tahap", "1"],
            *["--cutoff", "2026-03-01"],
            stdout=io.StringIO(),
        )
