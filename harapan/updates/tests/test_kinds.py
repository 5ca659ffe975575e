"""Each kind of pemutakhiran, once approved, changes the family's components from its effective
date (RULES.md: Components and amounts; Disbursement and data), writes audit events with before
and after, and matches the projection the approver was shown."""

from __future__ import annotations

import datetime as dt

import pytest

from harapan.audit.models import AuditEvent
from harapan.regions.models import Region
from harapan.registry.models import Household, Member, Pregnancy, Presence, SchoolEnrolment
from harapan.registry.rules import Komponen
from harapan.registry.selectors import household_components_on
from harapan.testing import first_desa, first_kecamatan
from harapan.updates.models import UpdateStatus
from harapan.updates.selectors import components_before_after

from .conftest import World, add_member, days_ago, years_ago

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


def komponen(member: Member, on: dt.date) -> list[Komponen]:
    return household_components_on(member.household, on).by_member.get(member.pk, [])


def counts(household: Household, on: dt.date) -> dict[str, int]:
    return {str(k): n for k, n in household_components_on(household, on).counts().items()}


def projected(update) -> dict[str, int]:
    return {c.key: c.after for c in components_before_after(update) if c.after}


def test_birth_adds_anak_usia_dini_from_the_birth_date_and_ends_the_mothers_pregnancy(world: World) -> None:
    """RULES.md: Components and amounts — anak usia dini from birth; ibu hamil/nifas runs until
    NIFAS_DAYS after the pregnancy ends."""
    wife = world.wife
    Pregnancy.objects.create(member=wife, valid_from=days_ago(260))
    born = days_ago(10)
    update = world.submit(
        "kelahiran",
        effective_date=born,
        payload={"name": "Bayi Ani", "sex": "P", "birth_place": "Bondowoso", "mother": wife.pk, "relationship": 3},
    )
    shown = projected(update)
    update = world.approve(update)

    assert update.status == UpdateStatus.DITERAPKAN and update.applied_at is not None
    baby = world.family.members.get(name="Bayi Ani")
    assert update.member == baby
    assert (baby.birth_date, baby.sex, baby.presence, baby.mother_name, baby.nik) == (
        born,
        "P",
        Presence.BARU,
        wife.name,
        None,
    )
    assert komponen(baby, born - DAY) == []
    assert komponen(baby, born) == [Komponen.ANAK_USIA_DINI]
    pregnancy = Pregnancy.objects.get(member=wife)
    assert pregnancy.valid_to == born
    assert Komponen.IBU_HAMIL in komponen(wife, born + dt.timedelta(days=42))  # nifas
    assert Komponen.IBU_HAMIL not in komponen(wife, born + dt.timedelta(days=43))
    assert counts(world.family, born) == shown

    source = f"pemutakhiran:{update.pk}"
    created = AuditEvent.objects.get(source=source, action="member_created")
    assert (created.object_id, created.after["name"], created.after["birth_date"]) == (
        str(baby.pk),
        "Bayi Ani",
        born.isoformat(),
    )
    fact = AuditEvent.objects.get(source=source, action="member_fact_recorded")
    assert fact.before == {"hamil": {"sejak": days_ago(260).isoformat()}}
    assert fact.after == {"hamil": {"sejak": days_ago(260).isoformat(), "sampai": born.isoformat()}}
    assert fact.actor_id == world.korkab.user_id


def test_birth_with_no_pregnancy_on_record_starts_the_nifas_on_the_birth_date(world: World) -> None:
    wife, born = world.wife, days_ago(5)
    world.approve(
        world.submit(
            "kelahiran",
            effective_date=born,
            payload={"name": "Bayi Budi", "sex": "L", "mother": wife.pk, "relationship": 3},
        )
    )
    assert list(Pregnancy.objects.filter(member=wife).values_list("valid_from", "valid_to")) == [(born, born)]
    assert Komponen.IBU_HAMIL not in komponen(wife, born - DAY)
    assert Komponen.IBU_HAMIL in komponen(wife, born)


def test_death_of_a_lansia_removes_the_component_from_the_day_they_died(world: World) -> None:
    """RULES.md: Components and amounts — lanjut usia from 70; a member who has left counts for
    nothing from ``left_on`` (rules.member_components)."""
    grandmother = add_member(world.family, "Mbah Sarni", "P", years_ago(78), 6)
    died = days_ago(5)
    update = world.submit("kematian", member=grandmother, effective_date=died)
    shown = projected(update)
    world.approve(update)

    grandmother.refresh_from_db()
    assert (grandmother.presence, grandmother.left_on, grandmother.is_active) == (Presence.MENINGGAL, died, False)
    assert komponen(grandmother, died - DAY) == [Komponen.LANJUT_USIA]
    assert komponen(grandmother, died) == []
    assert counts(world.family, died) == shown
    event = AuditEvent.objects.get(source=f"pemutakhiran:{update.pk}", action="member_left")
    assert (event.before, event.after) == (
        {"presence": 1, "left_on": None, "is_active": True},
        {"presence": 2, "left_on": died.isoformat(), "is_active": False},
    )


def test_death_of_the_carer_hands_the_carer_role_to_the_named_member(world: World) -> None:
    wife, head = world.wife, world.head
    update = world.submit("kematian", member=wife, effective_date=days_ago(3), payload={"new_carer": head.pk})
    world.approve(update)
    assert list(world.family.members.filter(is_carer=True)) == [head]
    wife.refresh_from_db()
    assert (wife.presence, wife.is_carer) == (Presence.MENINGGAL, False)
    actions = list(
        AuditEvent.objects.filter(source=f"pemutakhiran:{update.pk}").order_by("id").values_list("action", "after")
    )
    assert actions[:2] == [("member_updated", {"is_carer": False}), ("member_updated", {"is_carer": True})]
    assert actions[2][0] == "member_left"


def test_member_moving_out_counts_for_nothing_from_the_date_and_releases_the_nik(world: World) -> None:
    toddler = world.child(2)
    moved = days_ago(7)
    update = world.submit("anggota_keluar", member=toddler, effective_date=moved, payload={"destination": "Jember"})
    world.approve(update)
    toddler.refresh_from_db()
    assert (toddler.presence, toddler.left_on, toddler.is_active) == (Presence.PINDAH, moved, False)
    assert komponen(toddler, moved - DAY) == [Komponen.ANAK_USIA_DINI]
    assert komponen(toddler, moved) == []


def test_school_entry_counts_the_sd_component_from_the_first_school_day(world: World) -> None:
    """RULES.md: Components and amounts — the school level comes from enrolment, not age alone."""
    child = add_member(world.family, "Anak Baru Sekolah", "L", years_ago(6, 60), 3)
    start = days_ago(20)
    update = world.submit(
        "masuk_sekolah",
        member=child,
        effective_date=start,
        payload={"level": "SD", "grade": 1, "school_name": "SDN 1 Sucolor", "npsn": "20523456"},
    )
    shown = projected(update)
    world.approve(update)
    assert Komponen.ANAK_SD not in komponen(child, start - DAY)
    assert Komponen.ANAK_SD in komponen(child, start)
    enrolment = SchoolEnrolment.objects.get(member=child)
    assert (enrolment.level, enrolment.grade, enrolment.npsn, enrolment.valid_to) == ("SD", 1, "20523456", None)
    assert counts(world.family, start) == shown


@pytest.fixture
def pupil(world: World) -> Member:
    """A twelve-year-old in SD since well before the tests' dates."""
    child = add_member(world.family, "Anak Kelas Enam", "P", years_ago(12), 3)
    SchoolEnrolment.objects.create(member=child, level="SD", grade=6, school_name="SDN 2", valid_from=days_ago(300))
    return child


def test_level_change_ends_sd_the_day_before_and_counts_smp_from_the_date(world: World, pupil: Member) -> None:
    start = days_ago(10)
    update = world.submit(
        "pindah_jenjang",
        member=pupil,
        effective_date=start,
        payload={"level": "SMP", "grade": 7, "school_name": "SMPN 1 Maesan"},
    )
    shown = projected(update)
    world.approve(update)
    assert komponen(pupil, start - DAY) == [Komponen.ANAK_SD]
    assert komponen(pupil, start) == [Komponen.ANAK_SMP]
    assert list(
        SchoolEnrolment.objects.filter(member=pupil).order_by("valid_from").values_list("level", "valid_to")
    ) == [("SD", start - DAY), ("SMP", None)]
    assert counts(world.family, start) == shown


def test_leaving_school_ends_the_component_from_the_date(world: World, pupil: Member) -> None:
    left = days_ago(10)
    update = world.submit("keluar_sekolah", member=pupil, effective_date=left, payload={"reason": "putus_sekolah"})
    world.approve(update)
    assert komponen(pupil, left - DAY) == [Komponen.ANAK_SD]
    assert komponen(pupil, left) == []


def test_pregnancy_counts_ibu_hamil_from_the_date(world: World) -> None:
    wife, since = world.wife, days_ago(30)
    update = world.submit("kehamilan", member=wife, effective_date=since)
    shown = projected(update)
    world.approve(update)
    assert Komponen.IBU_HAMIL not in komponen(wife, since - DAY)
    assert Komponen.IBU_HAMIL in komponen(wife, since)
    assert counts(world.family, since) == shown


def test_severe_disability_counts_from_the_assessment_date(world: World) -> None:
    head, since = world.head, days_ago(15)
    update = world.submit(
        "disabilitas_berat", member=head, effective_date=since, payload={"description": "Lumpuh kedua kaki"}
    )
    world.approve(update)
    assert komponen(head, since - DAY) == []
    assert komponen(head, since) == [Komponen.DISABILITAS_BERAT]


def test_new_account_data_replaces_the_old_with_before_and_after_in_the_audit(world: World) -> None:
    update = world.submit(
        "rekening",
        effective_date=days_ago(1),
        payload={"bank": "BRI", "account_number": "123400005678", "account_name": "Siti Aminah", "kks_number": ""},
    )
    world.approve(update)
    family = Household.objects.get(pk=world.family.pk)
    assert (family.bank, family.account_number, family.account_name) == ("BRI", "123400005678", "Siti Aminah")
    event = AuditEvent.objects.get(source=f"pemutakhiran:{update.pk}")
    assert event.action == "household_updated"
    assert event.before == {"bank": "", "account_number": "", "account_name": ""}
    assert event.after == {"bank": "BRI", "account_number": "123400005678", "account_name": "Siti Aminah"}


def test_move_within_the_kecamatan_keeps_the_pendamping(world: World) -> None:
    desa = Region.objects.filter(parent_id="35.11.01").exclude(code=world.family.desa_id).order_by("code").first()
    assert desa is not None
    update = world.submit(
        "pindah_alamat",
        effective_date=days_ago(2),
        payload={"desa": desa.code, "address": "Jl. Mawar 3", "rt": "004", "rw": "001"},
    )
    assert update.chain == ["korkab"]
    world.approve(update)
    family = Household.objects.get(pk=world.family.pk)
    assert (family.desa_id, family.address, family.rt, family.pendamping_id) == (
        desa.code,
        "Jl. Mawar 3",
        "004",
        world.pendamping.pk,
    )
    event = AuditEvent.objects.get(source=f"pemutakhiran:{update.pk}")
    assert event.action == "household_moved" and event.after["desa"] == desa.code


def test_move_to_another_kabupaten_climbs_to_the_province_and_releases_the_pendamping(world: World) -> None:
    jember = first_desa(first_kecamatan("35.09").code)
    update = world.submit(
        "pindah_alamat",
        effective_date=days_ago(2),
        payload={"desa": jember.code, "address": "Jl. Kenanga 1", "outside_kecamatan": True},
    )
    assert update.chain == ["korkab", "dinsos_prov"]
    update = world.approve(update)
    assert update.status == UpdateStatus.MENUNGGU_LANJUT
    assert Household.objects.get(pk=world.family.pk).desa_id == "35.11.01.2001"  # nothing before the last step
    world.approve(update, by=world.dinsos_prov)
    family = Household.objects.get(pk=world.family.pk)
    assert (family.desa_id, family.pendamping_id) == (jember.code, None)
    actions = set(AuditEvent.objects.filter(source=f"pemutakhiran:{update.pk}").values_list("action", flat=True))
    assert actions == {"household_moved", "household_pendamping_assigned"}


def test_move_to_another_province_needs_the_ministry_too(world: World) -> None:
    cilacap = first_desa("33.01.01")
    update = world.submit(
        "pindah_alamat",
        effective_date=days_ago(2),
        payload={"desa": cilacap.code, "address": "Jl. Cilacap 9", "outside_kecamatan": True},
    )
    assert update.chain == ["korkab", "dinsos_prov", "ministry"]
    update = world.approve_all(update)
    assert update.status == UpdateStatus.DITERAPKAN
    assert [d.role for d in update.decisions.order_by("step")] == ["korkab", "dinsos_prov", "ministry"]
    assert Household.objects.get(pk=world.family.pk).desa_id == cilacap.code


def test_new_carer_is_applied_only_after_korkab_and_province(world: World) -> None:
    """RULES.md: Disbursement and data — payment goes to the carer, so a new carer climbs the chain."""
    aunt = add_member(world.family, "Bibi Lastri", "P", years_ago(40), 8)
    update = world.submit("pengurus_baru", member=aunt, effective_date=days_ago(1))
    assert update.chain == ["korkab", "dinsos_prov"]
    update = world.approve(update)
    assert (update.status, update.awaiting_role) == (UpdateStatus.MENUNGGU_LANJUT, "dinsos_prov")
    assert world.wife.is_carer
    world.approve(update, by=world.dinsos_prov)
    assert list(world.family.members.filter(is_carer=True)) == [aunt]
