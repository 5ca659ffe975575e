"""A tahap can never pay a family twice (issue 4; RULES.md: Disbursement and data): re-running
gives the same list, a run killed half-way and run again gives the same list, two overlapping
tahap cannot both hold a family, approving twice issues nothing new, and an approved list is
frozen."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from harapan.audit.models import AuditEvent
from harapan.payroll.models import Exclusion, PaymentLine, RunState, Tahap, TahapStatus
from harapan.payroll.services import tahap_approve, tahap_compute
from harapan.registry.models import Household, Member
from harapan.testing import make_household

from .conftest import give_accounts


class Killed(Exception):
    """The process dies after a chunk was committed."""


def district(n: int = 9) -> list[Household]:
    """Families of several shapes: paid, burekol, alamiah, a carer gone."""
    out = []
    for i in range(n):
        kids: list[tuple[dt.date, str | None]] = [(dt.date(2020 + i % 5, 1 + i % 12, 1 + i), None)] if i % 3 else []
        h = make_household(children=kids, pregnant_since=dt.date(2025, 12, 1) if i % 4 == 0 else None)
        if i % 5:
            give_accounts(h)
        out.append(h)
    Member.objects.filter(household=out[-1], is_carer=True).update(left_on=dt.date(2026, 1, 1))
    return out


def snapshot(tahap: Tahap) -> tuple[set[tuple[Any, ...]], set[tuple[Any, ...]]]:
    lines = set(
        PaymentLine.objects.filter(tahap=tahap).values_list(
            "household_id", "id_salur", "amount", "komponen_count", "needs_burekol", "account_number", "carer_nik"
        )
    )
    exclusions = set(Exclusion.objects.filter(tahap=tahap).values_list("household_id", "reason", "detail"))
    return lines, exclusions


def test_running_twice_gives_the_same_list(run_tahap) -> None:
    district()
    first = snapshot(run_tahap())
    tahap = run_tahap(chunk_size=2)
    assert snapshot(tahap) == first
    assert first[0] and first[1]
    assert PaymentLine.objects.count() == len(first[0])
    assert (tahap.status, tahap.run_state) == (TahapStatus.DIHITUNG, RunState.DONE)


def test_a_run_killed_half_way_and_run_again_gives_the_same_list(run_tahap, dinsos) -> None:
    """The run writes ranges of families, one transaction each; a process that dies after some
    ranges leaves a tahap that cannot be approved, and running it again gives the same list as an
    uninterrupted run, however the old and new ranges were mixed."""
    families = district(12)
    clean = snapshot(run_tahap(chunk_size=3))
    # The data changes (a family gets an account), then a recompute dies after its second range.
    give_accounts(families[5])

    def die(i: int) -> None:
        if i == 1:
            raise Killed

    with pytest.raises(Killed):
        run_tahap(chunk_size=3, after_chunk=die)
    tahap = Tahap.objects.get()
    assert (tahap.status, tahap.run_state) == (TahapStatus.DIBUKA, RunState.FAILED)
    with pytest.raises(ValidationError):
        tahap_approve(tahap=tahap, acting_user=dinsos.user)
    half = snapshot(tahap)
    assert half != clean  # new ranges mixed with old ones
    again = snapshot(run_tahap(chunk_size=4))
    uninterrupted = snapshot(run_tahap(chunk_size=100))
    assert again == uninterrupted
    assert PaymentLine.objects.filter(household=families[5]).exists()


def test_lines_of_families_that_left_the_region_are_removed_on_rerun(run_tahap) -> None:
    families = district(4)
    tahap = run_tahap()
    moved = next(h for h in families if PaymentLine.objects.filter(household=h).exists())
    Household.objects.filter(pk=moved.pk).update(desa_id="35.09.01.2001")
    run_tahap()
    assert not PaymentLine.objects.filter(tahap=tahap, household=moved).exists()


def test_the_database_refuses_a_second_live_line_for_the_same_year_and_tahap(run_tahap) -> None:
    """STYLE.md invariant: one payment per household per tahap, across overlapping tahap rows."""
    h = make_household(children=[(dt.date(2023, 1, 1), None)])
    give_accounts(h)
    tahap = run_tahap()
    line = PaymentLine.objects.get(household=h)
    other = Tahap.objects.create(
        year=tahap.year,
        number=tahap.number,
        region_id="35",
        cut_off=tahap.cut_off,
        benefit_index=tahap.benefit_index,
        opened_by=tahap.opened_by,
    )
    line.pk, line.tahap, line.id_salur = None, other, "lain"
    with pytest.raises(IntegrityError), transaction.atomic():
        line.save()
    # A cancelled line does not count: the family can be paid by the other tahap.
    PaymentLine.objects.filter(tahap=tahap).update(cancelled=True)
    line.save()


def test_approving_twice_issues_nothing_new_and_the_list_is_frozen(run_tahap, dinsos) -> None:
    district()
    tahap = run_tahap()
    before = snapshot(tahap)
    first = tahap_approve(tahap=tahap, acting_user=dinsos.user)
    events = AuditEvent.objects.count()
    second = tahap_approve(tahap=tahap, acting_user=dinsos.user)
    assert (first.status, second.status) == (TahapStatus.DISETUJUI, TahapStatus.DISETUJUI)
    assert second.approved_at == first.approved_at and second.alamiah_applied == first.alamiah_applied
    assert AuditEvent.objects.count() == events
    with pytest.raises(ValidationError):
        tahap_compute(tahap=tahap, acting_user=tahap.opened_by)
    assert snapshot(tahap) == before
