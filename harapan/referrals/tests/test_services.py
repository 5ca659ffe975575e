"""Referral writes: the lifecycle dirujuk → diterima → selesai / ditolak with its dates and outcome,
the member-of-family check, one open referral per programme and member, completion opening the
coverage in the same transaction, coverage recorded and ended directly, programme edits; every change
audited (RULES.md: People and ratios, pendamping duty "ensure complementary programmes (BPNT, KIS,
KIP)"; issue 5 "Referrals")."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from harapan.audit.models import AuditEvent
from harapan.referrals import events
from harapan.referrals.models import Coverage, CoverageSource, Programme, Referral, ReferralStatus
from harapan.referrals.services import (
    coverage_add,
    coverage_end,
    programme_create,
    programme_update,
    referral_accept,
    referral_complete,
    referral_create,
    referral_reject,
)
from harapan.registry.models import HouseholdStatus, Presence
from harapan.testing import make_household

from .conftest import World, days_ago, programme

pytestmark = pytest.mark.django_db


def refer_kip(world: World, note: str = "") -> Referral:
    return referral_create(
        household=world.family,
        programme=programme("kip"),
        member=world.pupil,
        referred_on=days_ago(30),
        note=note,
        acting_user=world.pendamping.user,
    )


def codes(error: ValidationError) -> set[str | None]:
    found = set()
    for e in (
        error.error_list if not hasattr(error, "error_dict") else [x for v in error.error_dict.values() for x in v]
    ):
        found.add(e.code)
    return found


def test_referral_goes_dirujuk_diterima_selesai_with_dates_outcome_and_coverage(world: World) -> None:
    """Issue 5: status dirujuk → diterima → selesai with dates and outcome; completing opens the
    family's coverage of the programme from the closing date, in the same transaction."""
    referral = refer_kip(world, note="Berkas diantar ke sekolah")
    assert referral.status == ReferralStatus.DIRUJUK and referral.referred_by == world.pendamping
    referral = referral_accept(referral=referral, accepted_on=days_ago(20), acting_user=world.korkab.user)
    assert (referral.status, referral.accepted_on) == (ReferralStatus.DITERIMA, days_ago(20))
    referral = referral_complete(
        referral=referral,
        outcome="KIP terbit",
        card_number="Q4NP7Z",
        closed_on=days_ago(5),
        acting_user=world.korkab.user,
    )
    referral.refresh_from_db()
    assert (referral.status, referral.closed_on, referral.outcome) == (
        ReferralStatus.SELESAI,
        days_ago(5),
        "KIP terbit",
    )
    coverage = Coverage.objects.get(referral=referral)
    assert (coverage.household, coverage.member, coverage.programme.code) == (world.family, world.pupil, "kip")
    assert (coverage.since, coverage.until, coverage.source, coverage.card_number) == (
        days_ago(5),
        None,
        CoverageSource.RUJUKAN,
        "Q4NP7Z",
    )
    actions = list(AuditEvent.objects.filter(household=world.family).order_by("id").values_list("action", flat=True))
    assert actions == [
        events.REFERRAL_CREATED,
        events.REFERRAL_ACCEPTED,
        events.REFERRAL_COMPLETED,
        events.COVERAGE_ADDED,
    ]
    done = AuditEvent.objects.get(action=events.REFERRAL_COMPLETED)
    assert done.before == {"status_rujukan": "diterima"}
    assert done.after["program"] == programme("kip").name and done.after["anggota"] == world.pupil.name
    assert done.actor == world.korkab.user


def test_a_referral_is_rejected_with_its_reason_from_either_open_state(world: World) -> None:
    first = refer_kip(world)
    first = referral_reject(referral=first, reason="Anak belum terdaftar di Dapodik", acting_user=world.korkab.user)
    assert (first.status, first.outcome, first.closed_on) == (
        ReferralStatus.DITOLAK,
        "Anak belum terdaftar di Dapodik",
        timezone.localdate(),
    )
    second = refer_kip(world)  # the refused one is closed: a new one may be opened
    referral_accept(referral=second, acting_user=world.pendamping.user)
    second = referral_reject(referral=second, reason="Kuota penuh", acting_user=world.pendamping.user)
    assert second.status == ReferralStatus.DITOLAK and second.accepted_on is not None
    assert not Coverage.objects.exists()
    event = AuditEvent.objects.filter(action=events.REFERRAL_REJECTED).order_by("id").last()
    assert (
        event is not None and event.before == {"status_rujukan": "diterima"} and event.after["hasil"] == "Kuota penuh"
    )


def test_invalid_transitions_are_refused_naming_the_rule(world: World) -> None:
    referral = refer_kip(world)
    with pytest.raises(ValidationError) as caught:
        referral_complete(referral=referral, outcome="KIP terbit", acting_user=world.korkab.user)
    message = " ".join(caught.value.messages)
    assert "dirujuk → diterima → selesai" in message and codes(caught.value) == {"transisi_tidak_sah"}
    referral_reject(referral=referral, reason="Data tidak padan", acting_user=world.korkab.user)
    for action in (
        lambda: referral_accept(referral=referral, acting_user=world.korkab.user),
        lambda: referral_reject(referral=referral, reason="lagi", acting_user=world.korkab.user),
    ):
        with pytest.raises(ValidationError, match="berstatus Ditolak"):
            action()


def test_closing_needs_an_outcome_and_dates_in_order(world: World) -> None:
    referral = refer_kip(world)
    with pytest.raises(ValidationError) as caught:
        referral_accept(referral=referral, accepted_on=days_ago(31), acting_user=world.korkab.user)
    assert "accepted_on" in caught.value.error_dict
    with pytest.raises(ValidationError) as caught:
        referral_accept(referral=referral, accepted_on=days_ago(-1), acting_user=world.korkab.user)
    assert "masa depan" in " ".join(caught.value.messages)
    referral_accept(referral=referral, accepted_on=days_ago(10), acting_user=world.korkab.user)
    with pytest.raises(ValidationError) as caught:
        referral_complete(referral=referral, outcome="  ", acting_user=world.korkab.user)
    assert codes(caught.value) == {"hasil_wajib"}
    with pytest.raises(ValidationError) as caught:
        referral_complete(referral=referral, outcome="KIP", closed_on=days_ago(11), acting_user=world.korkab.user)
    assert "closed_on" in caught.value.error_dict
    with pytest.raises(ValidationError) as caught:
        referral_reject(referral=referral, reason="", acting_user=world.korkab.user)
    assert codes(caught.value) == {"alasan_wajib"}
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.DITERIMA


def test_the_member_must_belong_to_the_family_and_member_programmes_need_one(world: World) -> None:
    other = make_household(desa="35.11.01.2001", pendamping=world.pendamping, children=[(days_ago(3650), "SD")])
    stranger = other.members.order_by("birth_date").last()
    with pytest.raises(ValidationError) as caught:
        referral_create(
            household=world.family, programme=programme("kip"), member=stranger, acting_user=world.pendamping.user
        )
    assert codes(caught.value) == {"anggota_bukan_keluarga"}
    assert "bukan anggota KPM" in " ".join(caught.value.messages)
    with pytest.raises(ValidationError) as caught:
        referral_create(household=world.family, programme=programme("kip"), acting_user=world.pendamping.user)
    assert codes(caught.value) == {"anggota_wajib"}
    with pytest.raises(ValidationError) as caught:
        referral_create(
            household=world.family, programme=programme("kis"), member=world.pupil, acting_user=world.pendamping.user
        )
    assert codes(caught.value) == {"program_keluarga"}
    world.pupil.presence, world.pupil.left_on = Presence.PINDAH, days_ago(3)
    world.pupil.save(update_fields=["presence", "left_on"])
    with pytest.raises(ValidationError) as caught:
        refer_kip(world)
    assert codes(caught.value) == {"anggota_tidak_tinggal"}
    assert not Referral.objects.exists()


def test_a_second_open_referral_to_the_same_programme_for_the_same_member_is_refused(world: World) -> None:
    """Issue 5: a family cannot have two open referrals to the same programme for the same member —
    the service says so clearly, and the database refuses it even past the service."""
    first = refer_kip(world)
    with pytest.raises(ValidationError) as caught:
        refer_kip(world)
    assert codes(caught.value) == {"rujukan_terbuka_ganda"} and f"#{first.pk}" in " ".join(caught.value.messages)
    # The family itself, for a family programme, is a different referral (and the same rule holds).
    referral_create(household=world.family, programme=programme("kis"), acting_user=world.pendamping.user)
    with pytest.raises(ValidationError):
        referral_create(household=world.family, programme=programme("kis"), acting_user=world.pendamping.user)
    for member in (world.pupil, None):
        code = "kip" if member else "kis"
        with pytest.raises(IntegrityError), transaction.atomic():
            Referral.objects.create(
                household=world.family,
                member=member,
                programme=programme(code),
                referred_on=days_ago(1),
                referred_by=world.pendamping,
            )


def test_a_family_already_receiving_the_programme_is_not_referred_to_it(world: World) -> None:
    coverage_add(
        household=world.family, programme=programme("kis"), since=days_ago(900), acting_user=world.pendamping.user
    )
    with pytest.raises(ValidationError) as caught:
        referral_create(household=world.family, programme=programme("kis"), acting_user=world.pendamping.user)
    assert codes(caught.value) == {"sudah_menerima"}


def test_completing_when_coverage_was_recorded_meanwhile_is_refused_and_nothing_changes(world: World) -> None:
    referral = referral_create(household=world.family, programme=programme("kis"), acting_user=world.pendamping.user)
    referral_accept(referral=referral, acting_user=world.pendamping.user)
    with pytest.raises(ValidationError) as caught:  # an open referral waits: complete it instead
        coverage_add(
            household=world.family, programme=programme("kis"), since=days_ago(5), acting_user=world.pendamping.user
        )
    assert codes(caught.value) == {"rujukan_terbuka"}
    Coverage.objects.create(
        household=world.family, programme=programme("kis"), since=days_ago(400), source=CoverageSource.IMPOR
    )
    with pytest.raises(ValidationError) as caught:
        referral_complete(referral=referral, outcome="KIS aktif", acting_user=world.korkab.user)
    assert codes(caught.value) == {"sudah_menerima"}
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.DITERIMA
    assert Coverage.objects.count() == 1


def test_coverage_recorded_directly_and_ended(world: World) -> None:
    """A pendamping records that the family already holds KIS, then that a pupil's KIP ended."""
    kis = coverage_add(
        household=world.family,
        programme=programme("kis"),
        since=days_ago(1200),
        card_number="0001234567890",
        acting_user=world.pendamping.user,
    )
    assert (kis.source, kis.member, kis.until) == (CoverageSource.PENDAMPING, None, None)
    kip = coverage_add(
        household=world.family,
        programme=programme("kip"),
        member=world.pupil,
        since=days_ago(300),
        acting_user=world.pendamping.user,
    )
    with pytest.raises(ValidationError) as caught:
        coverage_add(
            household=world.family, programme=programme("kis"), since=days_ago(10), acting_user=world.pendamping.user
        )
    assert codes(caught.value) == {"sudah_menerima"}
    with pytest.raises(ValidationError) as caught:
        coverage_end(coverage=kip, until=days_ago(301), acting_user=world.pendamping.user)
    assert "until" in caught.value.error_dict
    kip = coverage_end(
        coverage=kip, until=days_ago(2), reason="Pindah sekolah ke luar kabupaten", acting_user=world.pendamping.user
    )
    assert (kip.until, kip.end_reason) == (days_ago(2), "Pindah sekolah ke luar kabupaten")
    with pytest.raises(ValidationError, match="sudah berakhir"):
        coverage_end(coverage=kip, until=days_ago(1), acting_user=world.pendamping.user)
    # Ended: the pupil may be referred again, and a new coverage may be recorded.
    coverage_add(
        household=world.family,
        programme=programme("kip"),
        member=world.pupil,
        since=days_ago(1),
        acting_user=world.pendamping.user,
    )
    actions = list(AuditEvent.objects.filter(household=world.family).order_by("id").values_list("action", flat=True))
    assert actions == [events.COVERAGE_ADDED, events.COVERAGE_ADDED, events.COVERAGE_ENDED, events.COVERAGE_ADDED]


def test_referrals_need_a_role_the_scope_and_a_family_in_the_programme(world: World) -> None:
    with pytest.raises(PermissionDenied):
        referral_create(household=world.family, programme=programme("kis"), acting_user=world.other_pendamping.user)
    with pytest.raises(PermissionDenied):
        referral_create(household=world.family, programme=programme("kis"), acting_user=world.korkab_jember.user)
    referral = refer_kip(world)
    with pytest.raises(PermissionDenied):
        referral_accept(referral=referral, acting_user=world.korkab_jember.user)
    with pytest.raises(PermissionDenied):
        coverage_add(
            household=world.family,
            programme=programme("kis"),
            since=days_ago(9),
            acting_user=world.other_pendamping.user,
        )
    graduated = make_household(
        desa="35.11.01.2001", pendamping=world.pendamping, status=HouseholdStatus.GRADUASI_MANDIRI
    )
    with pytest.raises(ValidationError) as caught:
        referral_create(household=graduated, programme=programme("kis"), acting_user=world.pendamping.user)
    assert codes(caught.value) == {"kpm_tidak_dalam_program"}


def test_programmes_are_added_and_edited_by_korkab_dinsos_or_ministry_and_audited(world: World) -> None:
    with pytest.raises(PermissionDenied):
        programme_create(code="pip", data={"name": "PIP"}, acting_user=world.pendamping.user)
    created = programme_create(
        code="BLT_DD",
        data={"name": "BLT Dana Desa", "provider": "Pemerintah desa", "target": "keluarga", "order": 90},
        acting_user=world.korkab.user,
    )
    assert created.code == "blt_dd" and created.is_active
    programme_update(programme=created, data={"hint": "Keluarga miskin ekstrem di desa"}, acting_user=world.korkab.user)
    assert list(AuditEvent.objects.filter(household=None).order_by("id").values_list("action", flat=True)) == [
        events.PROGRAMME_CREATED,
        events.PROGRAMME_UPDATED,
    ]
    refer_kip(world)
    with pytest.raises(ValidationError) as caught:
        programme_update(programme=programme("kip"), data={"target": "keluarga"}, acting_user=world.korkab.user)
    assert codes(caught.value) == {"sasaran_terpakai"}
    programme_update(programme=programme("kip"), data={"is_active": False}, acting_user=world.korkab.user)
    with pytest.raises(ValidationError) as caught:
        referral_create(
            household=world.family,
            programme=Programme.objects.get(code="kip"),
            member=world.toddler,
            acting_user=world.pendamping.user,
        )
    assert codes(caught.value) == {"program_nonaktif"}
