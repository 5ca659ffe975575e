"""Benefit pages: the index with its history for every staff role, new versions by the ministry
with errors that name the field, and a family's entitlement within the reader's scope
(RULES.md: Components and amounts; accounts.scope)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from harapan.benefits.forms import BenefitIndexForm
from harapan.benefits.models import BenefitIndex, HardToReachRegion
from harapan.benefits.selectors import benefit_index_latest
from harapan.conftest import ScopeWorld
from harapan.registry.models import SchoolEnrolment

DAY = dt.timedelta(days=1)


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def version_post(**overrides: Any) -> dict[str, str]:
    """The form's fields as a browser posts them: a copy of the latest version."""
    initial = BenefitIndexForm.initial_from(benefit_index_latest())
    initial.update(name="Indeks uji", valid_from=timezone.localdate() + 5 * DAY)
    initial.update(overrides)
    return {k: "" if v is None else (v.isoformat() if isinstance(v, dt.date) else str(v)) for k, v in initial.items()}


def test_every_staff_role_reads_the_index_and_its_history(scope_world: ScopeWorld) -> None:
    """Components and amounts: the index is readable by every staff role; no staff, no page."""
    ids = list(BenefitIndex.objects.values_list("pk", flat=True))
    for key in ("pendamping", "korkab", "supervisor", "operator", "dinsos_kab", "dinsos_prov", "ministry"):
        page = login(scope_world.users[key]).get("/manfaat/indeks/")
        assert page.status_code == 200, key
        body = page.content.decode()
        assert all(f'data-testid="version-{pk}"' in body for pk in ids), key
        assert "Rp3.000.000" in body and "Rp2.200.000" in body and "Rp550.000" in body
        assert ('data-testid="index-new"' in body) == (key == "ministry"), key
    assert login(scope_world.users["no_staff"]).get("/manfaat/indeks/").status_code == 403
    assert Client().get("/manfaat/indeks/").status_code == 302


def test_the_ministry_creates_a_version_from_a_copy_of_the_current_one(scope_world: ScopeWorld) -> None:
    """Components and amounts: amounts are data edited by the ministry role, with history."""
    client = login(scope_world.users["ministry"])
    form = client.get("/manfaat/indeks/baru/")
    assert form.status_code == 200 and 'value="3000000"' in form.content.decode()
    response = client.post("/manfaat/indeks/baru/", version_post(amount_anak_sd=1_000_000))
    assert response.status_code == 302
    new = BenefitIndex.objects.get(name="Indeks uji")
    assert new.amounts.get(komponen="anak_sd").amount_per_year == 1_000_000
    assert BenefitIndex.objects.get(name="Indeks PKH 2021").valid_to == new.valid_from - DAY
    # The scheduled version can still be corrected; the one in force cannot.
    assert client.get(f"/manfaat/indeks/{new.pk}/ubah/").status_code == 200
    locked = BenefitIndex.objects.get(name="Indeks PKH 2021")
    assert client.get(f"/manfaat/indeks/{locked.pk}/ubah/").status_code == 302


@pytest.mark.parametrize("key", ["pendamping", "korkab", "operator", "dinsos_prov"])
def test_other_roles_cannot_create_or_edit_versions(scope_world: ScopeWorld, key: str) -> None:
    """Components and amounts: only the ministry role edits the index."""
    client = login(scope_world.users[key])
    assert client.get("/manfaat/indeks/baru/").status_code == 403
    assert client.post("/manfaat/indeks/baru/", version_post()).status_code == 403
    assert client.post("/manfaat/daerah-sulit/", {"region": "35.11", "valid_from": "2030-01-01"}).status_code == 403
    assert not BenefitIndex.objects.filter(name="Indeks uji").exists()


def test_form_errors_name_the_field(scope_world: ScopeWorld) -> None:
    """Components and amounts: a refused version says which field is wrong."""
    client = login(scope_world.users["ministry"])
    response = client.post(
        "/manfaat/indeks/baru/",
        version_post(
            amount_anak_sd=-5,
            minimum=3_000_000,
            maximum=2_000_000,
            tahap_weights="1,x",
            cap_anak_sma=2,
            amount_anak_sma="",
        ),
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'data-testid="form-error-amount_anak_sd"' in body and "Anak SD: per orang per tahun (Rp)" in body
    assert 'data-testid="form-error-tahap_weights"' in body and "Bobot per tahap" in body
    assert 'data-testid="form-error-cap_anak_sma"' in body
    # Shape errors first; the rule errors (min/max, date) once the shape is right.
    response = client.post(
        "/manfaat/indeks/baru/",
        version_post(minimum=3_000_000, maximum=2_000_000, valid_from=timezone.localdate() - DAY),
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert 'data-testid="form-error-maximum"' in body and "Maksimum per keluarga per tahun (Rp)" in body
    assert 'data-testid="form-error-valid_from"' in body and "masa lalu" in body
    assert not BenefitIndex.objects.filter(name="Indeks uji").exists()


def test_the_ministry_lists_a_hard_to_reach_area(scope_world: ScopeWorld) -> None:
    """Components and amounts (2019 index): hard-to-reach areas are data the ministry keeps."""
    client = login(scope_world.users["ministry"])
    today = timezone.localdate()
    bad = client.post("/manfaat/daerah-sulit/", {"region": "99.99", "valid_from": today.isoformat(), "citation": "SK"})
    assert bad.status_code == 400 and 'data-testid="form-error-region"' in bad.content.decode()
    ok = client.post(
        "/manfaat/daerah-sulit/", {"region": "35.11.01", "valid_from": today.isoformat(), "citation": "SK"}
    )
    assert ok.status_code == 302
    area = HardToReachRegion.objects.get(region_id="35.11.01")
    client.post(f"/manfaat/daerah-sulit/{area.pk}/akhiri/", {"valid_to": (today + DAY).isoformat()})
    area.refresh_from_db()
    assert area.valid_to == today + DAY


def test_a_family_entitlement_page_follows_the_scope(scope_world: ScopeWorld) -> None:
    """Components and amounts, shown per family on a cut-off date; a family outside the reader's
    scope answers 404 (accounts.scope.household_q)."""
    for key, user in scope_world.users.items():
        visible = scope_world.visible[key]
        for name, household in scope_world.families.items():
            status = login(user).get(f"/manfaat/hitung/{household.pk}/?on=2024-02-01").status_code
            assert status == (200 if name in visible else 404), (key, name)


def test_the_family_page_shows_the_breakdown_and_the_tahap(scope_world: ScopeWorld) -> None:
    """Components and amounts: ibu hamil + anak SD, Rp3,900,000 a year and Rp975,000 a tahap,
    with every line and whether it counts."""
    household = scope_world.household("maesan_a1")
    wife = household.members.get(relationship=2)
    wife.pregnancies.create(valid_from=dt.date(2023, 11, 1))
    kid = household.members.create(
        nik=None, no_kk=household.no_kk, name="Anak Uji", sex="L", birth_date=dt.date(2015, 5, 1), relationship=3
    )
    SchoolEnrolment.objects.create(member=kid, level="SD", valid_from=dt.date(2023, 7, 17))
    body = login(scope_world.users["pendamping"]).get(f"/manfaat/hitung/{household.pk}/?on=2024-02-01").content.decode()
    assert 'data-testid="entitlement-year" data-value="3900000"' in body
    for n in range(1, 5):
        assert f'data-testid="entitlement-tahap-{n}" data-value="975000"' in body
    assert f'data-testid="line-{wife.pk}-ibu_hamil" data-counted="1" data-amount="3000000"' in body
    assert f'data-testid="line-{kid.pk}-anak_sd" data-counted="1" data-amount="900000"' in body
    assert "Indeks PKH 2021" in body
    before = login(scope_world.users["pendamping"]).get(f"/manfaat/hitung/{household.pk}/?on=2007-01-01")
    assert 'data-testid="entitlement-no-index"' in before.content.decode()
