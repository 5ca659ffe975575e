"""The life of a complaint case: lodged (baru), handled (ditangani), resolved (selesai) or closed
(ditutup), reopened; every step in the timeline and the audit trail; wrong steps refused with the
rule named (RULES.md: Disbursement and data, "Field problems to record: zero balance, lost card,
forgotten PIN, card swallowed"; People and ratios, the pendamping's "mediation and advocacy")."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from harapan.audit.models import AuditEvent
from harapan.grievances import events
from harapan.grievances.models import ActionKind, Grievance, GrievanceStatus
from harapan.grievances.services import (
    grievance_close,
    grievance_escalate,
    grievance_note,
    grievance_reopen,
    grievance_resolve,
    grievance_take,
)

from .conftest import MAESAN_DESA, TAMANAN_DESA, World, category, lodge

pytestmark = pytest.mark.django_db


def kinds(g: Grievance) -> list[str]:
    return list(g.actions.order_by("at", "id").values_list("kind", flat=True))


def test_a_field_problem_goes_from_baru_through_ditangani_to_selesai_with_its_timeline(world: World) -> None:
    g = lodge(world.pendamping, world.family, code="saldo_nol", description="Saldo nol di agen BRILink.")
    assert g.status == GrievanceStatus.BARU and g.desa_id == MAESAN_DESA and g.household_id == world.family.pk
    assert g.number == f"ADU-{timezone.localdate().year}-000001"
    assert g.created_by_id == world.pendamping.user_id and g.handler is None
    grievance_take(grievance=g, acting_user=world.pendamping.user)
    grievance_note(grievance=g, acting_user=world.pendamping.user, note="Sudah dicek ke bank penyalur.")
    g = grievance_resolve(
        grievance=g, acting_user=world.pendamping.user, resolution="Dana masuk setelah penyaluran selesai."
    )
    g.refresh_from_db()
    assert g.status == GrievanceStatus.SELESAI and g.resolved_at is not None and g.closed_at is None
    assert g.handler_id == world.pendamping.pk and g.resolution == "Dana masuk setelah penyaluran selesai."
    assert kinds(g) == [ActionKind.DIBUAT, ActionKind.DITANGANI, ActionKind.CATATAN, ActionKind.DISELESAIKAN]
    statuses = list(g.actions.order_by("at", "id").values_list("status_before", "status_after"))
    assert statuses == [("", "baru"), ("baru", "ditangani"), ("ditangani", "ditangani"), ("ditangani", "selesai")]
    # Every step is an audit event of the family, actor and all.
    audit = list(AuditEvent.objects.filter(object_type="grievance", object_id=str(g.pk)).order_by("at", "id"))
    assert [e.action for e in audit] == [events.LODGED, events.TAKEN, events.NOTED, events.RESOLVED]
    assert {e.household_id for e in audit} == {world.family.pk}
    assert {e.actor_id for e in audit} == {world.pendamping.user_id}
    assert audit[0].after["kategori_pengaduan"] == "saldo_nol" and audit[0].after["nomor_pengaduan"] == g.number
    assert audit[-1].before == {"status_pengaduan": "ditangani"} and audit[-1].after["status_pengaduan"] == "selesai"


def test_case_numbers_count_up_within_the_year(world: World) -> None:
    year = timezone.localdate().year
    numbers = [lodge(world.pendamping, world.family).number for _ in range(3)]
    assert numbers == [f"ADU-{year}-000001", f"ADU-{year}-000002", f"ADU-{year}-000003"]
    last_year = timezone.now() - dt.timedelta(days=400)
    old = lodge(world.korkab, world.family, opened_at=last_year)
    assert old.number == f"ADU-{timezone.localtime(last_year).year}-000001"


def test_a_case_is_closed_with_a_reason_and_can_be_reopened(world: World) -> None:
    g = lodge(world.korkab, world.family, code="lainnya")
    with pytest.raises(ValidationError) as e:
        grievance_close(grievance=g, acting_user=world.korkab.user, reason="  ")
    assert "reason" in e.value.error_dict
    grievance_close(grievance=g, acting_user=world.korkab.user, reason="Pengaduan ganda.")
    g.refresh_from_db()
    assert g.status == GrievanceStatus.DITUTUP and g.closed_at is not None and g.resolution == "Pengaduan ganda."
    grievance_reopen(grievance=g, acting_user=world.korkab.user, reason="Pelapor datang lagi.")
    g.refresh_from_db()
    assert g.status == GrievanceStatus.DITANGANI and g.closed_at is None and g.resolution == ""
    assert g.handler_id == world.korkab.pk
    assert kinds(g) == [ActionKind.DIBUAT, ActionKind.DITUTUP, ActionKind.DIBUKA_KEMBALI]
    grievance_resolve(grievance=g, acting_user=world.korkab.user, resolution="Informasi disampaikan.")
    g.refresh_from_db()
    assert g.status == GrievanceStatus.SELESAI


@pytest.mark.parametrize(
    ("status_path", "step", "rule_words"),
    [
        ([], "resolve", "tangani pengaduan ini terlebih dahulu"),
        (["take"], "take", "hanya pengaduan berstatus baru"),
        (["take", "resolve"], "resolve", "hanya pengaduan yang sedang ditangani"),
        (["take", "resolve"], "close", "hanya pengaduan yang masih terbuka"),
        (["take", "resolve"], "take", "hanya pengaduan berstatus baru"),
        ([], "reopen", "sudah selesai atau ditutup"),
        (["take"], "reopen", "sudah selesai atau ditutup"),
        (["close"], "close", "hanya pengaduan yang masih terbuka"),
        (["close"], "escalate", "hanya pengaduan yang masih terbuka"),
    ],
)
def test_an_invalid_transition_is_refused_naming_the_rule(
    world: World, status_path: list[str], step: str, rule_words: str
) -> None:
    user = world.korkab.user
    g = lodge(world.korkab, world.family)
    do = {
        "take": lambda: grievance_take(grievance=g, acting_user=user),
        "resolve": lambda: grievance_resolve(grievance=g, acting_user=user, resolution="Beres."),
        "close": lambda: grievance_close(grievance=g, acting_user=user, reason="Ganda."),
        "reopen": lambda: grievance_reopen(grievance=g, acting_user=user, reason="Lagi."),
        "escalate": lambda: grievance_escalate(grievance=g, acting_user=user),
    }
    for s in status_path:
        do[s]()
        g.refresh_from_db()
    before = (g.status, g.actions.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError) as e:
        do[step]()
    message = " ".join(e.value.messages)
    assert g.number in message and rule_words in message
    g.refresh_from_db()
    assert (g.status, g.actions.count(), AuditEvent.objects.count()) == before


def test_a_note_needs_text_and_is_allowed_on_a_finished_case(world: World) -> None:
    g = lodge(world.korkab, world.family)
    with pytest.raises(ValidationError):
        grievance_note(grievance=g, acting_user=world.operator.user, note=" ")
    grievance_close(grievance=g, acting_user=world.korkab.user, reason="Bukan urusan PKH.")
    grievance_note(grievance=g, acting_user=world.operator.user, note="Pelapor sudah diberi tahu.")
    g.refresh_from_db()
    assert g.status == GrievanceStatus.DITUTUP and kinds(g)[-1] == ActionKind.CATATAN


def test_resolving_needs_a_resolution(world: World) -> None:
    g = lodge(world.pendamping, world.family)
    grievance_take(grievance=g, acting_user=world.pendamping.user)
    with pytest.raises(ValidationError) as e:
        grievance_resolve(grievance=g, acting_user=world.pendamping.user, resolution="")
    assert "resolution" in e.value.error_dict


def test_a_category_about_a_family_needs_the_family_and_one_without_needs_a_desa_in_scope(world: World) -> None:
    with pytest.raises(ValidationError) as e:
        lodge(world.pendamping, None, code="kks_hilang", desa=MAESAN_DESA)
    assert "household" in e.value.error_dict
    with pytest.raises(ValidationError) as e:
        lodge(world.pendamping, None, code="belum_terdaftar")
    assert "desa" in e.value.error_dict
    with pytest.raises(ValidationError) as e:  # Tamanan is not the pendamping's kecamatan
        lodge(world.pendamping, None, code="belum_terdaftar", desa=TAMANAN_DESA)
    assert "desa" in e.value.error_dict
    with pytest.raises(ValidationError) as e:  # a kecamatan is not a desa
        lodge(world.korkab, None, code="belum_terdaftar", desa="35.11.01")
    assert "desa" in e.value.error_dict
    g = lodge(world.pendamping, None, code="belum_terdaftar", desa=MAESAN_DESA, name="Kepala Desa Sucolor")
    assert g.household is None and g.desa_id == MAESAN_DESA


def test_a_pendamping_lodges_only_for_their_own_families(world: World) -> None:
    with pytest.raises(PermissionDenied):
        lodge(world.pendamping, world.other_family)
    with pytest.raises(PermissionDenied):
        lodge(world.korkab_jember, world.family)
    assert not Grievance.objects.exists()


def test_a_conduct_case_names_the_pendamping_and_never_its_lodger(world: World) -> None:
    # By default the family's own pendamping is the one complained about.
    g = lodge(world.korkab, world.family, code="perilaku_pendamping", description="Pendamping menahan kartu KKS.")
    assert g.about_pendamping_id == world.pendamping.pk
    with pytest.raises(ValidationError) as e:  # the pendamping cannot lodge a case about themselves
        lodge(world.pendamping, world.family, code="perilaku_pendamping")
    assert "about_pendamping" in e.value.error_dict
    with pytest.raises(ValidationError) as e:  # a non-conduct category names nobody
        lodge(world.korkab, world.family, code="pin_lupa", about=world.pendamping)
    assert "about_pendamping" in e.value.error_dict
    with pytest.raises(ValidationError) as e:  # the one complained about must be a pendamping
        lodge(world.operator, world.family, code="perilaku_pendamping", about=world.korkab)
    assert "about_pendamping" in e.value.error_dict
    # Its audit events carry no family: the family page shows its history to the family's pendamping.
    assert set(
        AuditEvent.objects.filter(object_id=str(g.pk), object_type="grievance").values_list("household_id", flat=True)
    ) == {None}


def test_a_lodging_date_in_the_future_is_refused(world: World) -> None:
    with pytest.raises(ValidationError):
        lodge(world.pendamping, world.family, opened_at=timezone.now() + dt.timedelta(hours=1))


def test_an_inactive_category_takes_no_new_cases(world: World) -> None:
    c = category("lainnya")
    c.active = False
    c.save()
    with pytest.raises(ValidationError):
        lodge(world.korkab, world.family, code="lainnya")


def test_the_database_refuses_a_finished_case_without_its_resolution(world: World) -> None:
    g = lodge(world.korkab, world.family)
    with pytest.raises(IntegrityError), transaction.atomic():
        Grievance.objects.filter(pk=g.pk).update(status=GrievanceStatus.SELESAI, resolved_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        Grievance.objects.filter(pk=g.pk).update(handler=world.pendamping, about_pendamping=world.pendamping)
