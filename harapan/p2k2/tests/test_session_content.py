"""Managing a session's material and knowledge questions (RULES.md "P2K2 / FDS curriculum": the
national modules, and a kabupaten's muatan lokal under SEKOPER; issue 3: each session carries
material and a short set of questions). A kabupaten's own module: its Dinas Sosial, korkab and
operator; a national one: the ministry only."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from harapan.accounts.models import Role
from harapan.audit.models import AuditEvent
from harapan.p2k2.models import KnowledgeQuestion, Session, SessionMaterial
from harapan.p2k2.services import (
    local_module_create,
    question_remove,
    session_material_add,
    session_material_remove,
)
from harapan.testing import BONDOWOSO, JEMBER, MAESAN, make_staff

from .conftest import client_for

pytestmark = pytest.mark.django_db


def sekoper_session() -> Session:
    dinsos = make_staff(Role.DINSOS_KAB, BONDOWOSO)
    module = local_module_create(region=BONDOWOSO, title="SEKOPER", sessions=["Geopark Ijen"], acting_user=dinsos.user)
    return module.sessions.get()


def test_operator_of_the_kabupaten_adds_a_link_and_a_file_and_removes_one() -> None:
    session = sekoper_session()
    operator = make_staff(Role.OPERATOR, BONDOWOSO)
    client = client_for(operator)
    url = reverse("p2k2:session_manage", args=[session.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"form": "materi", "m-title": "Peta Ijen", "m-url": "https://example.org/ijen"})
    assert response.status_code == 302
    upload = SimpleUploadedFile("modul.pdf", b"%PDF-1.4 materi", content_type="application/pdf")
    assert client.post(url, {"form": "materi", "m-title": "Modul cetak", "m-file": upload}).status_code == 302
    link, berkas = SessionMaterial.objects.filter(session=session).order_by("pk")
    assert link.url == "https://example.org/ijen" and str(berkas.file.name).startswith("p2k2/materi/")
    remove = reverse("p2k2:material_remove", args=[session.pk, link.pk])
    assert client.get(remove).status_code == 405
    assert client.post(remove).status_code == 302
    assert list(SessionMaterial.objects.filter(session=session)) == [berkas]
    event = AuditEvent.objects.get(action="p2k2_material_removed")
    assert event.before["title"] == "Peta Ijen" and event.household_id is None


def test_material_form_wants_exactly_one_of_a_file_or_a_link_of_a_known_type() -> None:
    session = sekoper_session()
    client = client_for(make_staff(Role.KORKAB, BONDOWOSO))
    url = reverse("p2k2:session_manage", args=[session.pk])
    empty = client.post(url, {"form": "materi", "m-title": "Kosong"})
    assert empty.status_code == 400 and 'data-testid="p2k2-material-errors"' in empty.content.decode()
    both = client.post(
        url,
        {
            "form": "materi",
            "m-title": "Dua",
            "m-url": "https://example.org/x",
            "m-file": SimpleUploadedFile("a.pdf", b"%PDF"),
        },
    )
    assert both.status_code == 400
    exe = client.post(url, {"form": "materi", "m-title": "Program", "m-file": SimpleUploadedFile("a.exe", b"MZ")})
    assert exe.status_code == 400 and 'data-testid="p2k2-material-error-file"' in exe.content.decode()
    assert not SessionMaterial.objects.exists()


def test_question_form_adds_a_question_with_its_correct_choice_and_remove_drops_it() -> None:
    session = sekoper_session()
    client = client_for(make_staff(Role.DINSOS_KAB, BONDOWOSO))
    url = reverse("p2k2:session_manage", args=[session.pk])
    data = {"form": "pertanyaan", "q-text": "Di kabupaten mana Kawah Ijen?", "q-choice_1": "Bondowoso"}
    data |= {"q-choice_2": "Jember", "q-choice_3": "", "q-correct": "1"}
    assert client.post(url, data).status_code == 302
    question = KnowledgeQuestion.objects.get(session=session)
    assert [(c.text, c.is_correct) for c in question.choices.order_by("pk")] == [("Bondowoso", True), ("Jember", False)]
    # The choice marked correct must be filled in; the typed text comes back.
    bad = client.post(url, data | {"q-correct": "3"})
    assert bad.status_code == 400 and 'data-testid="p2k2-question-error-correct"' in bad.content.decode()
    assert "Di kabupaten mana Kawah Ijen?" in bad.content.decode()
    assert client.post(reverse("p2k2:question_remove", args=[session.pk, question.pk])).status_code == 302
    assert not KnowledgeQuestion.objects.filter(session=session).exists()
    assert AuditEvent.objects.get(action="p2k2_question_removed").before["choices"] == ["Bondowoso", "Jember"]


@pytest.mark.parametrize(
    ("role", "region", "status"),
    [
        (Role.PENDAMPING, MAESAN, 403),
        (Role.SUPERVISOR, BONDOWOSO, 403),
        (Role.OPERATOR, JEMBER, 404),  # the module is not even visible there
        (Role.DINSOS_KAB, JEMBER, 404),
        (Role.MINISTRY, None, 403),
    ],
)
def test_others_may_not_manage_a_kabupaten_session(role: str, region: str | None, status: int) -> None:
    session = sekoper_session()
    material = session_material_add(
        session=session, title="Peta", url="https://example.org/p", acting_user=make_staff(Role.KORKAB, BONDOWOSO).user
    )
    client = client_for(make_staff(role, region))
    assert client.get(reverse("p2k2:session_manage", args=[session.pk])).status_code == status
    assert client.post(reverse("p2k2:material_remove", args=[session.pk, material.pk])).status_code == status
    assert SessionMaterial.objects.filter(pk=material.pk).exists()


def test_national_questions_are_edited_by_the_ministry_only() -> None:
    session = Session.objects.get(number=1)
    question = session.questions.first()
    assert question is not None
    dinsos = make_staff(Role.DINSOS_KAB, BONDOWOSO)
    with pytest.raises(PermissionDenied):
        question_remove(question=question, acting_user=dinsos.user)
    assert client_for(dinsos).get(reverse("p2k2:session_manage", args=[session.pk])).status_code == 403
    detail = client_for(dinsos).get(reverse("p2k2:session", args=[session.pk])).content.decode()
    assert 'data-testid="p2k2-manage"' not in detail
    ministry = make_staff(Role.MINISTRY, None)
    client = client_for(ministry)
    assert 'data-testid="p2k2-manage"' in client.get(reverse("p2k2:session", args=[session.pk])).content.decode()
    assert client.post(reverse("p2k2:question_remove", args=[session.pk, question.pk])).status_code == 302
    assert not KnowledgeQuestion.objects.filter(pk=question.pk).exists()


def test_material_removal_checks_the_role_in_the_service() -> None:
    session = sekoper_session()
    material = session_material_add(
        session=session,
        title="Peta",
        url="https://example.org/p",
        acting_user=make_staff(Role.OPERATOR, BONDOWOSO).user,
    )
    with pytest.raises(PermissionDenied):
        session_material_remove(material=material, acting_user=make_staff(Role.OPERATOR, JEMBER).user)
