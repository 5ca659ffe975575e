"""Who sees and who acts on which complaint case, across every scope boundary (``scope_world``:
two kabupaten of Jawa Timur, a family in Jawa Tengah, staff of every role, a user without a staff
record and an inactive one).

The rule (selectors.grievances_visible, on accounts.scope): a pendamping sees the cases of their
own families and the cases they lodged; the kabupaten roles their kabupaten, Dinas Sosial provinsi
their province, the ministry all; and nobody ever sees a case about themselves - not in the list,
the family page, a search, the export, the counts or by its URL (RULES.md: People and ratios,
the pendamping's mediation and advocacy; issue 5). Who may act follows apps.py's roles."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from harapan.audit.models import AuditEvent
from harapan.grievances.models import Grievance
from harapan.grievances.selectors import grievance_counts, grievances_visible
from harapan.grievances.services import allowed_actions

from .conftest import MAESAN_DESA, lodge

pytestmark = pytest.mark.django_db

HANDLER = {"take", "note", "escalate", "close"}
# What each persona may do with a new case of the Maesan family of "pendamping" (maesan_a1).
ON_MAESAN_A1: dict[str, set[str]] = {
    "pendamping": HANDLER,
    "korkab": HANDLER,
    "supervisor": {"note", "escalate"},
    "operator": {"note"},
    "dinsos_kab": HANDLER,
    "dinsos_prov": HANDLER,
    "ministry": {"note"},
}
# ... and with a case about pendamping_b's conduct filed on maesan_a2 (also "pendamping"'s family):
# the family's pendamping follows it but does not handle it; pendamping_b never sees it.
ON_CONDUCT_B: dict[str, set[str]] = {
    "pendamping": {"note", "escalate"},
    "korkab": HANDLER,
    "supervisor": {"note", "escalate"},
    "operator": {"note"},
    "dinsos_kab": HANDLER,
    "dinsos_prov": HANDLER,
    "ministry": {"note"},
}


@pytest.fixture
def cases(scope_world: Any) -> dict[str, Grievance]:
    w = scope_world
    out = {f"fam:{key}": lodge(w.users["ministry"], w.household(key)) for key in w.families}
    out["unregistered_maesan"] = lodge(w.staff["pendamping"], None, code="belum_terdaftar", desa=MAESAN_DESA)
    out["conduct_a"] = lodge(
        w.staff["korkab"], w.household("maesan_a1"), code="perilaku_pendamping", description="Menahan kartu KKS."
    )
    out["conduct_b_on_a2"] = lodge(
        w.staff["korkab"], w.household("maesan_a2"), code="perilaku_pendamping", about=w.staff["pendamping_b"]
    )
    assert out["conduct_a"].about_pendamping_id == w.staff["pendamping"].pk
    return out


def expected(w: Any, persona: str) -> set[str]:
    families = w.visible[persona]
    out = {f"fam:{f}" for f in families}
    if "maesan_a1" in families and persona != "pendamping":
        out.add("conduct_a")  # about "pendamping": everyone who sees the family, but them
    if "maesan_a2" in families:
        out.add("conduct_b_on_a2")
    # The roles that see Maesan by region (they also see Tamanan's family without a pendamping),
    # and the pendamping who lodged it.
    if "tamanan_1" in families or persona == "pendamping":
        out.add("unregistered_maesan")
    return out


def test_every_persona_sees_exactly_the_cases_of_its_scope_and_none_about_itself(
    scope_world: Any, cases: dict[str, Grievance]
) -> None:
    name = {g.pk: key for key, g in cases.items()}
    for persona, user in scope_world.users.items():
        seen = {name[pk] for pk in grievances_visible(user).values_list("pk", flat=True)}
        assert seen == expected(scope_world, persona), persona


def test_the_case_pages_answer_404_outside_the_scope(scope_world: Any, cases: dict[str, Grievance]) -> None:
    for persona, user in scope_world.users.items():
        client = Client()
        client.force_login(user)
        visible = expected(scope_world, persona)
        for key, g in cases.items():
            response = client.get(f"/pengaduan/{g.pk}/")
            if key in visible:
                assert response.status_code == 200, (persona, key)
            else:
                assert response.status_code in (403, 404), (persona, key)
                # A step posted to a case out of sight changes nothing.
                before = g.actions.count()
                assert client.post(f"/pengaduan/{g.pk}/catatan/", {"note": "x"}).status_code in (403, 404)
                assert g.actions.count() == before


def test_who_may_act_on_a_case(scope_world: Any, cases: dict[str, Grievance]) -> None:
    for persona, user in scope_world.users.items():
        assert allowed_actions(user, cases["fam:maesan_a1"]) == ON_MAESAN_A1.get(persona, set()), persona
        assert allowed_actions(user, cases["conduct_b_on_a2"]) == ON_CONDUCT_B.get(persona, set()), persona
        # A case about oneself: no action at all (and no sight of it).
        if persona == "pendamping":
            assert allowed_actions(user, cases["conduct_a"]) == set()


def test_a_case_about_a_pendamping_is_invisible_to_them_everywhere(
    scope_world: Any, cases: dict[str, Grievance]
) -> None:
    w = scope_world
    subject, korkab = Client(), Client()
    subject.force_login(w.users["pendamping"])
    korkab.force_login(w.users["korkab"])
    conduct, own = cases["conduct_a"], cases["fam:maesan_a1"]
    family = w.household("maesan_a1")
    nik = family.members.get(is_carer=True).nik

    # The list, and a search by the case number, the family's NIK, its PKH id, the carer's name.
    for query in ("", conduct.number, nik, family.pkh_id, "Ibu Maesan A1"):
        assert conduct.number not in listed(subject, q=query), query
        assert conduct.number in listed(korkab, q=query), query
    assert own.number in listed(subject, q=nik)
    assert listed(subject, kpm=family.pk) == {own.number}
    assert listed(korkab, kpm=family.pk) == {own.number, conduct.number}

    # Its URL, and any step on it.
    assert subject.get(f"/pengaduan/{conduct.pk}/").status_code == 404
    assert subject.post(f"/pengaduan/{conduct.pk}/tangani/").status_code == 404

    # The family page: neither the complaints block nor the family's audit history shows it.
    page = subject.get(f"/kpm/{family.pk}/").content.decode()
    assert own.number in page and conduct.number not in page
    assert conduct.number in korkab.get(f"/kpm/{family.pk}/").content.decode()
    assert not AuditEvent.objects.filter(household=family, object_id=str(conduct.pk), object_type="grievance").exists()

    # The export.
    assert conduct.number not in xlsx_text(subject.get("/pengaduan/unduh.xlsx"))
    assert own.number in xlsx_text(subject.get("/pengaduan/unduh.xlsx"))
    assert conduct.number in xlsx_text(korkab.get("/pengaduan/unduh.xlsx"))

    # The counts the pendamping's monthly report reads.
    mine = grievance_counts(None, user=w.users["pendamping"])
    assert mine["by_category"]["perilaku_pendamping"]["open_now"] == 1  # conduct_b_on_a2 only
    assert grievance_counts(None, user=w.users["korkab"])["by_category"]["perilaku_pendamping"]["open_now"] == 2


def listed(client: Client, **params: Any) -> set[str]:
    """The case numbers in the list's rows."""
    page = client.get("/pengaduan/", params).content.decode()
    return set(re.findall(r'data-number="([^"]+)"', page))


def xlsx_text(response: Any) -> str:
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return " ".join(str(v) for row in wb.active.iter_rows(values_only=True) for v in row if v is not None)


def test_a_user_without_staff_record_gets_nothing(scope_world: Any, cases: dict[str, Grievance]) -> None:
    client = Client()
    client.force_login(scope_world.users["no_staff"])
    assert client.get("/pengaduan/").status_code == 403
    assert client.get("/pengaduan/unduh.xlsx").status_code == 403
    assert client.get("/pengaduan/baru/").status_code == 403
