"""Curriculum pages (RULES.md "P2K2 / FDS curriculum"): the catalogue of the user's kabupaten,
a session's materials and questions, and the muatan lokal form for Dinas Sosial and korkab."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from harapan.accounts.models import Role
from harapan.p2k2.models import Module, Session
from harapan.p2k2.services import local_module_create
from harapan.testing import BONDOWOSO, JEMBER, MAESAN, PASSWORD, make_staff

pytestmark = pytest.mark.django_db


def client_for(staff: object) -> Client:
    client = Client()
    assert client.login(username=staff.user.username, password=PASSWORD)  # type: ignore[attr-defined]
    return client


def test_catalogue_renders_for_a_pendamping_with_modules_sessions_and_question_counts() -> None:
    pendamping = make_staff(Role.PENDAMPING, MAESAN)
    response = client_for(pendamping).get(reverse("p2k2:catalogue"))
    assert response.status_code == 200
    html = response.content.decode()
    for n in range(1, 6):
        assert f'data-testid="p2k2-module-P2K2-{n}"' in html
    assert 'data-testid="p2k2-module-FDS-STUNTING"' in html
    assert "Menjadi Orang Tua yang Lebih Baik" in html
    assert "2 pertanyaan" in html
    assert 'data-testid="p2k2-add-local"' not in html


def test_session_page_renders_for_a_pendamping_with_questions_and_next_session() -> None:
    pendamping = make_staff(Role.PENDAMPING, MAESAN)
    session = Session.objects.get(number=4)
    response = client_for(pendamping).get(reverse("p2k2:session", args=[session.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Membantu Anak Sukses di Sekolah" in html
    assert 'data-testid="p2k2-questions"' in html
    assert html.count('data-testid="p2k2-question-') == session.questions.count()
    assert "Mengelola Keuangan Keluarga" in html  # session 5 follows session 4


def test_local_module_page_hidden_from_another_kabupaten() -> None:
    dinsos = make_staff(Role.DINSOS_KAB, BONDOWOSO)
    module = local_module_create(
        region=BONDOWOSO, title="SEKOPER: Geopark Ijen", sessions=["Ijen"], acting_user=dinsos.user
    )
    session = module.sessions.get()
    bondowoso = client_for(make_staff(Role.PENDAMPING, MAESAN))
    jember = client_for(make_staff(Role.PENDAMPING, JEMBER + ".01"))
    assert "SEKOPER: Geopark Ijen" in bondowoso.get(reverse("p2k2:catalogue")).content.decode()
    assert "SEKOPER: Geopark Ijen" not in jember.get(reverse("p2k2:catalogue")).content.decode()
    assert bondowoso.get(reverse("p2k2:session", args=[session.pk])).status_code == 200
    assert jember.get(reverse("p2k2:session", args=[session.pk])).status_code == 404


def test_dinsos_kab_adds_a_muatan_lokal_module_through_the_form() -> None:
    dinsos = make_staff(Role.DINSOS_KAB, BONDOWOSO)
    client = client_for(dinsos)
    url = reverse("p2k2:local_module_create")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"title": "Produk unggulan lokal", "description": "", "sessions": "Kopi Bondowoso\n\nTape Bondowoso\n"},
    )
    assert response.status_code == 302
    module = Module.objects.get(title="Produk unggulan lokal")
    assert module.owner_region_id == BONDOWOSO
    assert [s.title for s in module.sessions.order_by("order")] == ["Kopi Bondowoso", "Tape Bondowoso"]
    page = client.get(reverse("p2k2:catalogue")).content.decode()
    assert "Produk unggulan lokal" in page
    assert 'data-testid="p2k2-add-local"' in page


def test_form_errors_are_shown_in_indonesian() -> None:
    korkab = make_staff(Role.KORKAB, BONDOWOSO)
    response = client_for(korkab).post(reverse("p2k2:local_module_create"), {"title": "X", "sessions": "  \n "})
    assert response.status_code == 200
    assert 'data-testid="p2k2-error-sessions"' in response.content.decode()


@pytest.mark.parametrize(
    ("role", "region"), [(Role.PENDAMPING, MAESAN), (Role.OPERATOR, BONDOWOSO), (Role.MINISTRY, None)]
)
def test_form_is_forbidden_for_other_roles(role: str, region: str | None) -> None:
    client = client_for(make_staff(role, region))
    url = reverse("p2k2:local_module_create")
    assert client.get(url).status_code == 403
    assert client.post(url, {"title": "X", "sessions": "Y"}).status_code == 403
    assert not Module.objects.filter(title="X").exists()


def test_pages_require_login() -> None:
    response = Client().get(reverse("p2k2:catalogue"))
    assert response.status_code == 302
