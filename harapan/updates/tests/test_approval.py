"""The approval chain: who decides which step, in whose scope, and what a rejection, a
cancellation or a family that changed meanwhile leave behind (RULES.md: Disbursement and data —
"approved up the chain (korkab -> province -> ministry)")."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from harapan.accounts.models import Role
from harapan.audit.models import AuditEvent
from harapan.registry.models import Household, Member, Pregnancy, SchoolEnrolment
from harapan.testing import BONDOWOSO, make_staff
from harapan.updates.models import DataUpdate, DataUpdateDecision, UpdateStatus
from harapan.updates.services import update_cancel, update_decide

from .conftest import World, add_member, days_ago, years_ago

pytestmark = pytest.mark.django_db


def codes(error: ValidationError) -> dict[str, list[str]]:
    return {field: [e.code or "" for e in errors] for field, errors in error.error_dict.items()}


def test_a_birth_needs_the_korkab_only_and_records_the_decision(world: World) -> None:
    update = world.submit(
        "kelahiran", effective_date=days_ago(3), payload={"name": "Bayi", "sex": "L", "relationship": 3}
    )
    assert (update.chain, update.status, update.awaiting_role) == (["korkab"], UpdateStatus.DIAJUKAN, "korkab")
    assert not world.family.members.filter(name="Bayi").exists()  # submitting changes nothing
    assert not AuditEvent.objects.filter(household=world.family).exists()
    update = world.approve(update)
    assert update.status == UpdateStatus.DITERAPKAN
    decision = DataUpdateDecision.objects.get(update=update)
    assert (decision.step, decision.role, decision.decided_by, decision.approved) == (1, "korkab", world.korkab, True)


def test_each_step_is_decided_by_its_own_role(world: World) -> None:
    aunt = add_member(world.family, "Bibi Lastri", "P", years_ago(40), 8)
    update = world.submit("pengurus_baru", member=aunt, effective_date=days_ago(1))
    for wrong in (world.dinsos_prov, world.ministry, world.operator):
        with pytest.raises(PermissionDenied):
            world.approve(update, by=wrong)
    update = world.approve(update)  # korkab, step 1
    for wrong in (world.korkab_2, world.ministry):
        with pytest.raises(PermissionDenied):
            world.approve(update, by=wrong)
    assert DataUpdateDecision.objects.filter(update=update).count() == 1
    world.approve(update, by=world.dinsos_prov)
    assert DataUpdate.objects.get(pk=update.pk).status == UpdateStatus.DITERAPKAN


def test_an_approver_outside_the_familys_area_is_refused_and_nothing_is_recorded(world: World) -> None:
    update = world.submit("kehamilan", member=world.wife, effective_date=days_ago(10))
    for outsider in (world.korkab_jember, make_staff(Role.KORKAB, "35.09")):
        with pytest.raises(PermissionDenied):
            world.approve(update, by=outsider)
    aunt = add_member(world.family, "Bibi", "P", years_ago(40), 8)
    carer = world.submit("pengurus_baru", member=aunt, effective_date=days_ago(1))
    carer = world.approve(carer)
    with pytest.raises(PermissionDenied):
        world.approve(carer, by=make_staff(Role.DINSOS_PROV, "33"))  # Jawa Tengah
    assert DataUpdateDecision.objects.filter(update__in=[update, carer]).count() == 1
    assert not Pregnancy.objects.filter(member=world.wife).exists()


def test_a_submitter_cannot_approve_their_own_update(world: World) -> None:
    update = world.submit("kehamilan", by=world.korkab, member=world.wife, effective_date=days_ago(10))
    with pytest.raises(PermissionDenied):
        world.approve(update, by=world.korkab)
    assert world.approve(update, by=world.korkab_2).status == UpdateStatus.DITERAPKAN


def test_a_rejection_needs_a_reason_keeps_it_and_changes_nothing(world: World) -> None:
    update = world.submit("kehamilan", member=world.wife, effective_date=days_ago(10))
    with pytest.raises(ValidationError) as e:
        update_decide(update=update, approve=False, reason="  ", acting_user=world.korkab.user)
    assert codes(e.value) == {"reason": ["alasan_wajib"]}
    update = update_decide(
        update=update, approve=False, reason="Surat keterangan bidan tidak terbaca", acting_user=world.korkab.user
    )
    assert update.status == UpdateStatus.DITOLAK and update.awaiting_role == ""
    assert update.decisions.get().reason == "Surat keterangan bidan tidak terbaca"
    assert not Pregnancy.objects.filter(member=world.wife).exists()
    assert not AuditEvent.objects.filter(household=world.family).exists()
    with pytest.raises(ValidationError) as e:
        world.approve(update, by=world.korkab_2)
    assert e.value.code == "sudah_selesai"
    # The same change may be submitted again, once corrected.
    assert world.submit("kehamilan", member=world.wife, effective_date=days_ago(10)).is_open


def test_a_rejection_without_reason_cannot_be_stored_even_bypassing_the_service(world: World) -> None:
    """STYLE.md: database constraints as the last line of defence."""
    update = world.submit("kehamilan", member=world.wife, effective_date=days_ago(10))
    with pytest.raises(IntegrityError), transaction.atomic():
        DataUpdateDecision.objects.create(update=update, step=1, role="korkab", decided_by=world.korkab, approved=False)


def test_a_second_open_update_of_the_same_kind_for_the_same_member_is_refused(world: World) -> None:
    world.submit("kehamilan", member=world.wife, effective_date=days_ago(10))
    with pytest.raises(ValidationError) as e:
        world.submit("kehamilan", by=world.operator, member=world.wife, effective_date=days_ago(9))
    assert codes(e.value) == {"__all__": ["sudah_diajukan"]}
    # Another kind, or another member, is a different change.
    world.submit("disabilitas_berat", member=world.wife, effective_date=days_ago(9), payload={"description": "x"})
    world.submit(
        "rekening", effective_date=days_ago(1), payload={"bank": "BNI", "account_number": "1", "account_name": "A"}
    )
    with pytest.raises(ValidationError):
        world.submit(
            "rekening", effective_date=days_ago(1), payload={"bank": "BRI", "account_number": "2", "account_name": "B"}
        )


def test_twins_are_two_births_but_the_same_newborn_twice_is_refused(world: World) -> None:
    born = days_ago(2)
    for name in ("Hasan", "Husein"):
        world.submit("kelahiran", effective_date=born, payload={"name": name, "sex": "L", "relationship": 3})
    with pytest.raises(ValidationError):
        world.submit("kelahiran", effective_date=born, payload={"name": " hasan ", "sex": "L", "relationship": 3})


def test_the_database_holds_one_open_update_per_subject(world: World) -> None:
    first = world.submit("kehamilan", member=world.wife, effective_date=days_ago(10))
    copy = DataUpdate(
        household=first.household,
        member=first.member,
        kind=first.kind,
        effective_date=first.effective_date,
        chain=first.chain,
        open_key=first.open_key,
        submitted_by=world.operator,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()


def test_when_the_family_changed_since_submission_approval_fails_whole_and_the_update_waits(world: World) -> None:
    """The wife dies and her husband is named carer; before approval the husband moves out. The
    approval is refused with the reason, no decision or change is written, the update still waits."""
    wife, head = world.wife, world.head
    death = world.submit("kematian", member=wife, effective_date=days_ago(3), payload={"new_carer": head.pk})
    moved = world.submit("anggota_keluar", by=world.operator, member=head, effective_date=days_ago(5))
    world.approve(moved)
    events_before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as e:
        world.approve(death)
    assert "new_carer" in e.value.error_dict
    death.refresh_from_db()
    assert (death.status, death.step, death.decisions.count()) == (UpdateStatus.DIAJUKAN, 1, 0)
    assert AuditEvent.objects.count() == events_before
    wife.refresh_from_db()
    assert (wife.is_carer, wife.presence, wife.left_on) == (True, 1, None)
    # The korkab can still reject it with the reason.
    update_decide(update=death, approve=False, reason="Suami sudah pindah", acting_user=world.korkab.user)


def test_an_update_waiting_on_a_school_that_was_closed_meanwhile_is_not_applied(world: World) -> None:
    pupil = world.child(1)
    SchoolEnrolment.objects.filter(member=pupil).update(valid_from=days_ago(300))
    change = world.submit(
        "pindah_jenjang",
        member=pupil,
        effective_date=days_ago(5),
        payload={"level": "SMP", "grade": 7, "school_name": "SMPN 1"},
    )
    world.approve(
        world.submit(
            "keluar_sekolah",
            by=world.operator,
            member=pupil,
            effective_date=days_ago(20),
            payload={"reason": "lainnya"},
        )
    )
    with pytest.raises(ValidationError) as e:
        world.approve(change)
    assert codes(e.value) == {"member": ["tidak_bersekolah"]}
    assert SchoolEnrolment.objects.filter(member=pupil, level="SMP").count() == 0


def test_the_submitter_may_cancel_while_pending_and_no_one_else(world: World) -> None:
    update = world.submit("kehamilan", member=world.wife, effective_date=days_ago(10))
    for other in (world.korkab, world.other_pendamping):
        with pytest.raises(PermissionDenied):
            update_cancel(update=update, acting_user=other.user)
    update = update_cancel(update=update, acting_user=world.pendamping.user)
    assert update.status == UpdateStatus.DIBATALKAN
    with pytest.raises(ValidationError):
        world.approve(update)
    with pytest.raises(ValidationError):
        update_cancel(update=update, acting_user=world.pendamping.user)


def test_a_pendamping_cannot_record_an_update_for_another_pendamping_s_family(world: World) -> None:
    with pytest.raises(PermissionDenied):
        world.submit("kehamilan", by=world.other_pendamping, member=world.wife, effective_date=days_ago(10))
    with pytest.raises(PermissionDenied):
        world.submit("kehamilan", by=world.korkab_jember, member=world.wife, effective_date=days_ago(10))
    for role in (Role.SUPERVISOR, Role.DINSOS_KAB):
        with pytest.raises(PermissionDenied):
            world.submit("kehamilan", by=make_staff(role, BONDOWOSO), member=world.wife, effective_date=days_ago(10))
    assert not DataUpdate.objects.exists()


def test_a_family_that_left_the_programme_takes_no_update(world: World) -> None:
    Household.objects.filter(pk=world.family.pk).update(status="graduasi_mandiri")
    world.family.refresh_from_db()
    with pytest.raises(ValidationError) as e:
        world.submit("kehamilan", member=world.wife, effective_date=days_ago(10))
    assert e.value.code == "kpm_tidak_dalam_program"


def test_the_configured_chain_is_followed(world: World, settings) -> None:
    """RULES.md: Disbursement and data — the chain is configuration (updates.APPROVAL_CHAINS)."""
    from harapan.updates.apps import UpdatesConfig

    chains = {**UpdatesConfig.defaults["APPROVAL_CHAINS"], "kehamilan": ["korkab", "dinsos_prov", "ministry"]}
    settings.HARAPAN = {"updates": {"APPROVAL_CHAINS": chains}}
    update = world.submit("kehamilan", member=world.wife, effective_date=days_ago(10))
    assert update.chain == ["korkab", "dinsos_prov", "ministry"]
    assert world.approve_all(update).decisions.count() == 3
    assert Member.objects.get(pk=world.wife.pk).pregnancies.count() == 1


def test_default_chains_name_real_roles_for_every_kind() -> None:
    from harapan.updates.apps import UpdatesConfig
    from harapan.updates.models import UpdateKind

    d = UpdatesConfig.defaults
    assert set(d["APPROVAL_CHAINS"]) == set(UpdateKind.values)
    for chain in [*d["APPROVAL_CHAINS"].values(), d["MOVE_OTHER_KABUPATEN_CHAIN"], d["MOVE_OTHER_PROVINCE_CHAIN"]]:
        assert chain and set(chain) <= set(Role.values)
    assert d["MOVE_OTHER_PROVINCE_CHAIN"] == ["korkab", "dinsos_prov", "ministry"]
