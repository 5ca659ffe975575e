"""Local content and session materials (RULES.md "P2K2 / FDS curriculum": district muatan
lokal under SEKOPER, e.g. Ijen geopark; accounts.scope decides who may write)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from harapan.accounts.models import Role
from harapan.audit.models import AuditEvent
from harapan.p2k2.models import Module, ModuleKind, Session, SessionMaterial
from harapan.p2k2.selectors import curriculum_for
from harapan.p2k2.services import local_module_create, question_add, session_material_add
from harapan.testing import BONDOWOSO, JEMBER, MAESAN, make_staff

pytestmark = pytest.mark.django_db

SEKOPER_SESSIONS = ["Mengenal Geopark Ijen", "Produk unggulan kelompok"]


def sekoper(acting_user: Any) -> Module:
    return local_module_create(
        region=BONDOWOSO,
        title="SEKOPER: Geopark Ijen",
        description="Muatan lokal Sekolah Perempuan Bondowoso.",
        sessions=SEKOPER_SESSIONS,
        acting_user=acting_user,
    )


def test_dinsos_bondowoso_adds_sekoper_module_visible_in_bondowoso_only() -> None:
    dinsos = make_staff(Role.DINSOS_KAB, BONDOWOSO)
    module = sekoper(dinsos.user)
    assert module.kind == ModuleKind.MUATAN_LOKAL
    assert module.owner_region_id == BONDOWOSO
    assert [s.title for s in module.sessions.order_by("order")] == SEKOPER_SESSIONS

    maesan_desa = MAESAN + ".2001"
    bondowoso = curriculum_for(maesan_desa)
    assert bondowoso[-1] == module
    assert [m.kind for m in bondowoso[:5]] == [ModuleKind.INTI] * 5
    assert module not in curriculum_for(JEMBER)
    assert module not in curriculum_for(JEMBER + ".01")
    assert AuditEvent.objects.filter(action="p2k2_module_created", object_id=str(module.pk)).exists()


def test_korkab_of_the_kabupaten_may_add_a_module_and_numbers_follow_on() -> None:
    korkab = make_staff(Role.KORKAB, BONDOWOSO)
    first = sekoper(korkab.user)
    second = local_module_create(
        region=BONDOWOSO, title="Produk unggulan lokal", sessions=["Kopi Bondowoso"], acting_user=korkab.user
    )
    assert (first.number, second.number) == (1, 2)
    assert curriculum_for(BONDOWOSO)[-2:] == [first, second]


@pytest.mark.parametrize(
    ("role", "region"),
    [
        (Role.PENDAMPING, MAESAN),
        (Role.OPERATOR, BONDOWOSO),
        (Role.SUPERVISOR, BONDOWOSO),
        (Role.DINSOS_KAB, JEMBER),
        (Role.KORKAB, JEMBER),
        (Role.DINSOS_PROV, "35"),
    ],
)
def test_others_may_not_add_a_bondowoso_module(role: str, region: str) -> None:
    staff = make_staff(role, region)
    with pytest.raises(PermissionDenied):
        sekoper(staff.user)


def test_local_module_needs_a_title_and_a_session() -> None:
    dinsos = make_staff(Role.DINSOS_KAB, BONDOWOSO)
    with pytest.raises(ValidationError) as err:
        local_module_create(region=BONDOWOSO, title=" ", sessions=["", "  "], acting_user=dinsos.user)
    assert set(err.value.message_dict) == {"title", "sessions"}


def test_material_requires_a_file_or_a_url() -> None:
    dinsos = make_staff(Role.DINSOS_KAB, BONDOWOSO)
    session = sekoper(dinsos.user).sessions.get(order=1)
    with pytest.raises(ValidationError):
        session_material_add(session=session, title="Kosong", acting_user=dinsos.user)
    link = session_material_add(
        session=session, title="Peta Geopark", url="https://example.org/ijen", acting_user=dinsos.user
    )
    upload = SimpleUploadedFile("modul.pdf", b"%PDF-1.4 materi", content_type="application/pdf")
    berkas = session_material_add(session=session, title="Modul cetak", file=upload, acting_user=dinsos.user)
    assert link.url and not link.file
    assert str(berkas.file.name).startswith("p2k2/materi/")
    # The database refuses a material with neither, whatever writes it.
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionMaterial.objects.create(session=session, title="Tanpa isi")


def test_national_material_is_for_the_ministry_only() -> None:
    session = Session.objects.get(number=1)
    dinsos = make_staff(Role.DINSOS_KAB, BONDOWOSO)
    with pytest.raises(PermissionDenied):
        session_material_add(session=session, title="X", url="https://example.org/x", acting_user=dinsos.user)
    ministry = make_staff(Role.MINISTRY, None)
    material = session_material_add(
        session=session, title="Modul 1", url="https://example.org/m1", acting_user=ministry.user
    )
    assert material.session == session


def test_question_add_needs_one_correct_choice_and_is_numbered_after_the_last() -> None:
    dinsos = make_staff(Role.DINSOS_KAB, BONDOWOSO)
    session = sekoper(dinsos.user).sessions.get(order=1)
    with pytest.raises(ValidationError):
        question_add(session=session, text="Di mana Ijen?", choices=[("Bondowoso", True)], acting_user=dinsos.user)
    with pytest.raises(ValidationError):
        question_add(
            session=session,
            text="Di mana Ijen?",
            choices=[("Bondowoso", True), ("Jember", True)],
            acting_user=dinsos.user,
        )
    q1 = question_add(
        session=session,
        text="Di mana Ijen?",
        choices=[("Bondowoso", True), ("Sumatra", False)],
        acting_user=dinsos.user,
    )
    q2 = question_add(
        session=session,
        text="Apa itu geopark?",
        choices=[("Taman bumi", True), ("Pasar", False)],
        acting_user=dinsos.user,
    )
    assert (q1.order, q2.order) == (1, 2)
    assert q1.choices.filter(is_correct=True).count() == 1
    pendamping = make_staff(Role.PENDAMPING, MAESAN)
    with pytest.raises(PermissionDenied):
        question_add(session=session, text="X?", choices=[("a", True), ("b", False)], acting_user=pendamping.user)
