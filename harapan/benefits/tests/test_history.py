"""The benefit index is data with history (RULES.md: Components and amounts, configurable per
year): the seeds are loaded with their citations, a change is a new version from a date that
closes the one before, a version in force is never edited, only the ministry edits, and every
change is audited."""

from __future__ import annotations

import dataclasses
import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from harapan.accounts.models import Role
from harapan.audit.models import AuditEvent
from harapan.benefits.models import BenefitIndex
from harapan.benefits.rules import IndexTerms
from harapan.benefits.selectors import benefit_index_on, index_terms
from harapan.benefits.services import benefit_index_create_version, benefit_index_update
from harapan.registry.rules import Komponen
from harapan.testing import BONDOWOSO, make_staff

from .conftest import ON_2021, terms_on

DAY = dt.timedelta(days=1)


@pytest.fixture
def ministry(db: None) -> Any:
    return make_staff(Role.MINISTRY, None).user


def raised_sd(amount: int) -> IndexTerms:
    terms = terms_on(ON_2021)
    return dataclasses.replace(terms, amounts={**terms.amounts, Komponen.ANAK_SD: amount})


def test_the_seed_indexes_are_loaded_with_their_citations() -> None:
    """Components and amounts: the 2007 schedule [seed 002], the 2019 index and the 2021-onward
    index are all loadable, each with its source."""
    names = list(BenefitIndex.objects.order_by("valid_from").values_list("name", "valid_from", "valid_to"))
    assert names == [
        ("Jadwal PKH 2007", dt.date(2007, 7, 1), dt.date(2018, 12, 31)),
        ("Indeks PKH 2019", dt.date(2019, 1, 1), dt.date(2020, 12, 31)),
        ("Indeks PKH 2021", dt.date(2021, 1, 1), None),
    ]
    assert "seed 002" in BenefitIndex.objects.get(name="Jadwal PKH 2007").citation
    assert all(i.citation and i.tahap_count == 4 for i in BenefitIndex.objects.all())
    out = StringIO()
    call_command("load_benefit_index", stdout=out)
    assert "sudah ada" in out.getvalue() and BenefitIndex.objects.count() == 3


def test_the_command_reloads_the_2007_schedule_when_it_is_missing() -> None:
    """Components and amounts: the 2007 schedule in the seeds is loadable on its own."""
    BenefitIndex.objects.filter(name="Indeks PKH 2019").update(supersedes=None)
    BenefitIndex.objects.get(name="Jadwal PKH 2007").delete()
    out = StringIO()
    call_command("load_benefit_index", stdout=out)
    assert "Jadwal PKH 2007" in out.getvalue()
    index = benefit_index_on(dt.date(2010, 1, 1))
    assert index is not None and index_terms(index).maximum == 2_200_000


def test_a_new_version_closes_the_previous_and_the_date_picks_the_right_one(ministry: Any) -> None:
    """Components and amounts: amounts per year are data; a new version from a date closes the
    version before it the day before; the cut-off date chooses the version."""
    today = timezone.localdate()
    start = today + 10 * DAY
    new = benefit_index_create_version(
        name="Indeks uji",
        valid_from=start,
        citation="Kepmensos uji",
        terms=raised_sd(1_000_000),
        acting_user=ministry,
    )
    old = BenefitIndex.objects.get(name="Indeks PKH 2021")
    assert old.valid_to == start - DAY and new.valid_to is None and new.supersedes_id == old.pk
    assert benefit_index_on(start - DAY) == old
    assert benefit_index_on(start) == new
    assert index_terms(new).amounts[Komponen.ANAK_SD] == 1_000_000
    assert index_terms(old).amounts[Komponen.ANAK_SD] == 900_000
    actions = list(AuditEvent.objects.filter(object_type="benefitindex").values_list("action", "object_id"))
    assert ("benefit_index_closed", str(old.pk)) in actions and ("benefit_index_created", str(new.pk)) in actions
    created = AuditEvent.objects.get(action="benefit_index_created")
    assert created.after["amounts"][Komponen.ANAK_SD] == 1_000_000 and created.actor_id == ministry.pk


def test_a_version_in_force_is_never_changed(ministry: Any) -> None:
    """Components and amounts: an index in force is immutable; a change from a past date is refused."""
    current = BenefitIndex.objects.get(name="Indeks PKH 2021")
    with pytest.raises(ValidationError) as refused:
        benefit_index_update(
            index=current,
            name=current.name,
            valid_from=current.valid_from,
            citation=current.citation,
            terms=raised_sd(1),
            acting_user=ministry,
        )
    assert "tidak dapat diubah" in str(refused.value)
    with pytest.raises(ValidationError) as past:
        benefit_index_create_version(
            name="Mundur",
            valid_from=timezone.localdate() - DAY,
            citation="x",
            terms=raised_sd(1),
            acting_user=ministry,
        )
    assert "valid_from" in past.value.error_dict
    assert index_terms(BenefitIndex.objects.get(pk=current.pk)).amounts[Komponen.ANAK_SD] == 900_000
    assert BenefitIndex.objects.get(pk=current.pk).valid_to is None


def test_a_scheduled_version_can_be_corrected_and_moves_the_end_of_the_previous(ministry: Any) -> None:
    """Components and amounts: a version not yet in force plays the part of a draft."""
    today = timezone.localdate()
    new = benefit_index_create_version(
        name="Terjadwal",
        valid_from=today + 30 * DAY,
        citation="x",
        terms=raised_sd(950_000),
        acting_user=ministry,
    )
    benefit_index_update(
        index=new,
        name="Terjadwal",
        valid_from=today + 20 * DAY,
        citation="x (koreksi)",
        terms=raised_sd(960_000),
        acting_user=ministry,
    )
    old = BenefitIndex.objects.get(name="Indeks PKH 2021")
    assert old.valid_to == today + 19 * DAY
    assert index_terms(BenefitIndex.objects.get(pk=new.pk)).amounts[Komponen.ANAK_SD] == 960_000
    updated = AuditEvent.objects.get(action="benefit_index_updated")
    assert updated.before["amounts"][Komponen.ANAK_SD] == 950_000
    assert updated.after["valid_from"] == (today + 20 * DAY).isoformat()
    # Once its day comes it is locked like the others.
    with pytest.raises(ValidationError):
        benefit_index_update(
            index=new,
            name="Terjadwal",
            valid_from=today + 20 * DAY,
            citation="x",
            terms=raised_sd(1),
            acting_user=ministry,
            today=today + 20 * DAY,
        )


def test_a_new_version_must_start_after_the_latest(ministry: Any) -> None:
    """Components and amounts: history is appended, never rewritten in the middle."""
    today = timezone.localdate()
    benefit_index_create_version(
        name="A",
        valid_from=today + 40 * DAY,
        citation="x",
        terms=raised_sd(1),
        acting_user=ministry,
    )
    with pytest.raises(ValidationError) as early:
        benefit_index_create_version(
            name="B",
            valid_from=today + 40 * DAY,
            citation="x",
            terms=raised_sd(2),
            acting_user=ministry,
        )
    assert "valid_from" in early.value.error_dict


def test_invalid_terms_are_refused_field_by_field(ministry: Any) -> None:
    """Components and amounts: caps at least 1, amounts not negative, minimum not above maximum."""
    terms = dataclasses.replace(
        terms_on(ON_2021),
        minimum=3_000_000,
        maximum=2_000_000,
        person_cap=0,
        category_caps={Komponen.ANAK_USIA_DINI: 0},
        tahap_weights=(),
    )
    with pytest.raises(ValidationError) as refused:
        benefit_index_create_version(
            name="Rusak", valid_from=timezone.localdate() + DAY, citation="", terms=terms, acting_user=ministry
        )
    assert set(refused.value.error_dict) >= {"maximum", "person_cap", "cap_anak_usia_dini", "tahap_weights", "citation"}


@pytest.mark.parametrize("role", [r for r in Role if r != Role.MINISTRY])
def test_only_the_ministry_edits_the_index(role: str) -> None:
    """Components and amounts: the index is edited by the ministry role."""
    region = None if role == Role.MINISTRY else ("35" if role == Role.DINSOS_PROV else BONDOWOSO)
    if role == Role.PENDAMPING:
        region = "35.11.01"
    user = make_staff(role, region).user
    with pytest.raises(PermissionDenied):
        benefit_index_create_version(
            name="X",
            valid_from=timezone.localdate() + DAY,
            citation="x",
            terms=raised_sd(1),
            acting_user=user,
        )
    assert BenefitIndex.objects.count() == 3


def test_the_database_holds_one_open_version() -> None:
    """Components and amounts: only the latest version is open (a constraint, not only a check)."""
    with pytest.raises(IntegrityError), transaction.atomic():
        BenefitIndex.objects.create(
            name="Kedua terbuka",
            valid_from=dt.date(2030, 1, 1),
            citation="x",
            fixed_per_year=0,
            fixed_hard_to_reach_per_year=0,
        )
