"""Escalation of an open case to the korkab of its kabupaten/kota, once (issue 5: "escalation to
korkab"; RULES.md: People and ratios, korkab / korkot as the district coordinator the pendamping
reports to)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from harapan.accounts.models import Role
from harapan.audit.models import AuditEvent
from harapan.grievances import events
from harapan.grievances.models import ActionKind, GrievanceStatus
from harapan.grievances.services import grievance_escalate, grievance_resolve, grievance_take
from harapan.testing import BONDOWOSO, make_staff

from .conftest import MAESAN_DESA, World, lodge

pytestmark = pytest.mark.django_db


def test_a_pendamping_escalates_their_familys_case_to_the_korkab_of_the_kabupaten(world: World) -> None:
    g = lodge(world.pendamping, world.family, code="kartu_tertelan")
    grievance_take(grievance=g, acting_user=world.pendamping.user)
    g = grievance_escalate(grievance=g, acting_user=world.pendamping.user, note="Bank belum menanggapi.")
    g.refresh_from_db()
    assert g.escalated_to_id == world.korkab.pk and g.escalated_at is not None
    assert g.status == GrievanceStatus.DITANGANI  # escalation changes no status
    step = g.actions.get(kind=ActionKind.DIESKALASI)
    assert (step.status_before, step.status_after, step.note) == ("ditangani", "ditangani", "Bank belum menanggapi.")
    event = AuditEvent.objects.get(action=events.ESCALATED, object_id=str(g.pk))
    assert event.household_id == world.family.pk and event.after["dieskalasi_ke"] == "Pak Korkab"
    # The korkab resolves it.
    grievance_resolve(grievance=g, acting_user=world.korkab.user, resolution="Kartu diambil dari bank.")
    g.refresh_from_db()
    assert g.status == GrievanceStatus.SELESAI


def test_a_case_is_escalated_only_once(world: World) -> None:
    g = lodge(world.pendamping, world.family)
    grievance_escalate(grievance=g, acting_user=world.pendamping.user)
    with pytest.raises(ValidationError) as e:
        grievance_escalate(grievance=g, acting_user=world.korkab.user)
    assert "sudah dieskalasi ke Pak Korkab" in " ".join(e.value.messages)
    assert g.actions.filter(kind=ActionKind.DIESKALASI).count() == 1


def test_the_acting_korkab_receives_their_own_escalation_and_an_inactive_korkab_never(world: World) -> None:
    second = make_staff(Role.KORKAB, BONDOWOSO, full_name="Korkab Kedua")
    g = lodge(world.pendamping, world.family)
    grievance_escalate(grievance=g, acting_user=second.user)
    g.refresh_from_db()
    assert g.escalated_to_id == second.pk
    world.korkab.is_active = False
    world.korkab.save()
    h = lodge(world.pendamping, world.family)
    grievance_escalate(grievance=h, acting_user=world.pendamping.user)
    h.refresh_from_db()
    assert h.escalated_to_id == second.pk


def test_escalation_is_refused_without_an_active_korkab_in_the_kabupaten(world: World) -> None:
    world.korkab.is_active = False
    world.korkab.save()
    g = lodge(world.pendamping, world.family)
    with pytest.raises(ValidationError) as e:
        grievance_escalate(grievance=g, acting_user=world.pendamping.user)
    assert "Belum ada korkab aktif" in " ".join(e.value.messages)
    g.refresh_from_db()
    assert g.escalated_at is None


def test_who_may_escalate(world: World) -> None:
    g = lodge(world.korkab, world.family)
    with pytest.raises(PermissionDenied):  # an operator lodges and notes
        grievance_escalate(grievance=g, acting_user=world.operator.user)
    with pytest.raises(PermissionDenied):  # not their family
        grievance_escalate(grievance=g, acting_user=world.other_pendamping.user)
    with pytest.raises(PermissionDenied):  # out of area
        grievance_escalate(grievance=g, acting_user=world.korkab_jember.user)
    grievance_escalate(grievance=g, acting_user=world.supervisor.user)
    g.refresh_from_db()
    assert g.escalated_to_id == world.korkab.pk


def test_a_case_without_a_family_is_escalated_by_its_desa_and_its_pendamping_lodger(world: World) -> None:
    g = lodge(world.pendamping, None, code="belum_terdaftar", desa=MAESAN_DESA)
    with pytest.raises(PermissionDenied):  # a pendamping handles only their own families' cases
        grievance_take(grievance=g, acting_user=world.pendamping.user)
    grievance_escalate(grievance=g, acting_user=world.pendamping.user, note="Mohon diusulkan ke DTKS.")
    g.refresh_from_db()
    assert g.escalated_to_id == world.korkab.pk
    h = lodge(world.korkab, None, code="belum_terdaftar", desa=MAESAN_DESA)
    with pytest.raises(PermissionDenied):  # not the lodger, no family of theirs
        grievance_escalate(grievance=h, acting_user=world.pendamping.user)
    grievance_escalate(grievance=h, acting_user=world.dinsos_kab.user)
    h.refresh_from_db()
    assert h.escalated_to_id == world.korkab.pk
