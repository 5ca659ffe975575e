"""Family pages: search and list, detail with components and history, status change.

Scope (accounts.scope) decides what each reader sees; components follow RULES.md "Components and
amounts"; every change shows in the audit history with who, when, before and after."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from harapan.accounts.models import Role
from harapan.audit.models import AuditEvent
from harapan.registry.models import Household, HouseholdStatus
from harapan.testing import BONDOWOSO, JEMBER, MAESAN, first_desa, first_kecamatan, make_household, make_staff

pytestmark = pytest.mark.django_db


def years_ago(n: int, days: int = 10) -> dt.date:
    today = timezone.localdate()
    return today.replace(year=today.year - n) - dt.timedelta(days=days)


@pytest.fixture
def world() -> dict:
    pendamping = make_staff(Role.PENDAMPING, MAESAN, full_name="Bu Rina")
    other = make_staff(Role.PENDAMPING, MAESAN)
    desa = first_desa(MAESAN)
    family = make_household(
        desa=desa,
        pendamping=pendamping,
        pregnant_since=timezone.localdate() - dt.timedelta(days=60),
        children=[(years_ago(3), None), (years_ago(8), "SD")],
    )
    return {
        "pendamping": pendamping,
        "family": family,
        "neighbour": make_household(desa=desa, pendamping=other, status=HouseholdStatus.CALON),
        "jember": make_household(desa=first_desa(first_kecamatan(JEMBER).code)),
        "korkab": make_staff(Role.KORKAB, BONDOWOSO, full_name="Pak Korkab"),
        "operator": make_staff(Role.OPERATOR, BONDOWOSO),
    }


def _ids(response) -> set[int]:
    return {h.pk for h in response.context["page"].object_list}


# --- List and search ---------------------------------------------------------------------------


def test_family_list_needs_login(client) -> None:
    response = client.get(reverse("registry:list"))
    assert response.status_code == 302 and "/akun/masuk/" in response["Location"]


def test_pendamping_lists_only_own_families(client, world) -> None:
    client.force_login(world["pendamping"].user)
    response = client.get(reverse("registry:list"))
    assert _ids(response) == {world["family"].pk}
    html = response.content.decode()
    assert f'data-testid="family-row-{world["family"].pk}"' in html
    assert "Siti Aminah" in html  # the carer's name
    row = next(iter(response.context["page"].object_list))
    assert (row.carer_name.startswith("Siti Aminah"), row.member_count) == (True, 4)


def test_korkab_lists_the_kabupaten_and_filters_by_status_and_region(client, world) -> None:
    client.force_login(world["korkab"].user)
    url = reverse("registry:list")
    assert _ids(client.get(url)) == {world["family"].pk, world["neighbour"].pk}
    assert _ids(client.get(url, {"status": "calon"})) == {world["neighbour"].pk}
    assert _ids(client.get(url, {"region": MAESAN})) == {world["family"].pk, world["neighbour"].pk}
    assert _ids(client.get(url, {"region": "351102"})) == set()
    # a region outside the kabupaten lists nothing, never the other kabupaten's families
    assert _ids(client.get(url, {"region": JEMBER})) == set()


@pytest.mark.parametrize("how", ["nik", "no_kk", "pkh_id", "name"])
def test_search_finds_the_family_by_nik_no_kk_id_or_name(client, world, how) -> None:
    family: Household = world["family"]
    child = family.members.get(name__startswith="Anak 2")
    query = {"nik": child.nik, "no_kk": family.no_kk, "pkh_id": family.pkh_id, "name": "anak 2"}[how]
    client.force_login(world["operator"].user)
    response = client.get(reverse("registry:list"), {"q": query})
    assert world["family"].pk in _ids(response)
    if how != "name":
        assert _ids(response) == {family.pk}


def test_search_never_reaches_outside_the_scope(client, world) -> None:
    jember: Household = world["jember"]
    client.force_login(world["korkab"].user)
    for q in (jember.no_kk, jember.pkh_id, jember.members.get(is_carer=True).nik):
        assert _ids(client.get(reverse("registry:list"), {"q": q})) == set()


def test_list_pages_by_50(client, world) -> None:
    pendamping = world["pendamping"]
    desa = first_desa(MAESAN)
    for _ in range(50):
        make_household(desa=desa, pendamping=pendamping)
    client.force_login(pendamping.user)
    first = client.get(reverse("registry:list"))
    assert len(first.context["page"].object_list) == 50
    assert 'data-testid="page-next"' in first.content.decode()
    second = client.get(reverse("registry:list"), {"page": 2})
    assert len(second.context["page"].object_list) == 1


# --- Detail ------------------------------------------------------------------------------------


def test_detail_shows_components_of_a_pregnant_wife_a_toddler_and_an_sd_pupil(client, world) -> None:
    """RULES.md: Components and amounts — ibu hamil, anak usia dini (0-6), anak SD by enrolment."""
    family: Household = world["family"]
    client.force_login(world["pendamping"].user)
    response = client.get(reverse("registry:detail", args=[family.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    rows = {r["member"].pk: r for r in response.context["member_rows"]}
    members = family.members.all()
    wife, head = members.get(is_carer=True), members.get(relationship=1)
    toddler, pupil = members.get(name__startswith="Anak 1"), members.get(name__startswith="Anak 2")
    assert rows[wife.pk]["components"] == ["Ibu hamil/nifas"]
    assert rows[toddler.pk]["components"] == ["Anak usia dini (0-6)"]
    assert rows[toddler.pk]["age"] == 3
    assert rows[pupil.pk]["components"] == ["Anak SD"]
    assert rows[head.pk]["components"] == []
    assert {k: n for k, _label, n in response.context["component_counts"]} == {
        "ibu_hamil": 1,
        "anak_usia_dini": 1,
        "anak_sd": 1,
    }
    assert 'data-testid="component-count-ibu_hamil"' in html
    assert f'data-testid="member-components-{wife.pk}"' in html
    assert wife.nik in html
    assert 'data-testid="member-carer"' in html


def test_components_on_an_earlier_reference_date(client, world) -> None:
    """Before the pregnancy began the wife has no component (RULES.md: Components and amounts)."""
    family: Household = world["family"]
    client.force_login(world["pendamping"].user)
    on = timezone.localdate() - dt.timedelta(days=90)
    response = client.get(reverse("registry:detail", args=[family.pk]), {"on": on.isoformat()})
    assert response.context["on"] == on
    assert "ibu_hamil" not in {k for k, _label, _n in response.context["component_counts"]}


def test_detail_shows_address_with_region_names_and_status_history(client, world) -> None:
    family: Household = world["family"]
    client.force_login(world["korkab"].user)
    html = client.get(reverse("registry:detail", args=[family.pk])).content.decode()
    assert "Desa Sucolor" in html and "Kecamatan Maesan" in html and "Bondowoso" in html
    assert "RT 001 / RW 002" in html
    assert family.no_kk in html
    assert "Bu Rina" in html
    assert 'id="status-history-table"' in html


def test_detail_out_of_scope_is_404(client, world) -> None:
    client.force_login(world["pendamping"].user)
    assert client.get(reverse("registry:detail", args=[world["neighbour"].pk])).status_code == 404
    client.force_login(world["korkab"].user)
    response = client.get(reverse("registry:detail", args=[world["jember"].pk]))
    assert response.status_code == 404
    assert 'data-testid="error-404"' in response.content.decode()


# --- Status change and edit --------------------------------------------------------------------


def test_korkab_changes_status_and_the_audit_history_shows_it(client, world) -> None:
    family: Household = world["family"]
    client.force_login(world["korkab"].user)
    since = timezone.localdate()
    response = client.post(
        reverse("registry:set_status", args=[family.pk]),
        {"status": "ditangguhkan", "valid_from": since.isoformat(), "reason": "Absen P2K2 tiga kali"},
    )
    assert response.status_code == 302
    family.refresh_from_db()
    assert (family.status, family.status_since) == ("ditangguhkan", since)
    page = client.get(reverse("registry:detail", args=[family.pk]))
    html = page.content.decode()
    assert "Status KPM diubah menjadi Ditangguhkan." in html
    row = page.context["audit_rows"][0]
    assert row.action == "Status KPM diubah"
    assert row.actor == "Pak Korkab (Koordinator kabupaten/kota)"
    assert row.changes == [("status", "Aktif", "Ditangguhkan")]
    assert f'data-testid="audit-row-{row.event.pk}"' in html
    assert "Absen P2K2 tiga kali" in html
    assert [p.status for p in page.context["status_periods"]] == ["ditangguhkan", "aktif"]


def test_status_form_errors_show_next_to_the_fields(client, world) -> None:
    family: Household = world["family"]
    client.force_login(world["operator"].user)
    response = client.post(
        reverse("registry:set_status", args=[family.pk]),
        {"status": "non_eligible", "valid_from": "2019-01-01", "reason": "x"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="error-status-valid_from"' in html
    missing = client.post(reverse("registry:set_status", args=[family.pk]), {"status": "aktif", "valid_from": ""})
    html = missing.content.decode()
    assert 'data-testid="error-status-reason"' in html and 'data-testid="error-status-status"' in html
    family.refresh_from_db()
    assert family.status == "aktif"
    assert not AuditEvent.objects.filter(household=family, action="household_status_changed").exists()


def test_pendamping_may_not_change_status(client, world) -> None:
    family: Household = world["family"]
    client.force_login(world["pendamping"].user)
    assert 'id="status-form"' not in client.get(reverse("registry:detail", args=[family.pk])).content.decode()
    response = client.post(
        reverse("registry:set_status", args=[family.pk]),
        {"status": "non_eligible", "valid_from": timezone.localdate().isoformat(), "reason": "coba"},
    )
    assert response.status_code == 403
    assert 'data-testid="error-403"' in response.content.decode()
    family.refresh_from_db()
    assert family.status == "aktif"


def test_korkab_of_another_kabupaten_may_not_change_status(client, world) -> None:
    client.force_login(make_staff(Role.KORKAB, JEMBER).user)
    response = client.post(
        reverse("registry:set_status", args=[world["family"].pk]),
        {"status": "non_eligible", "valid_from": timezone.localdate().isoformat(), "reason": "coba"},
    )
    assert response.status_code == 404
    world["family"].refresh_from_db()
    assert world["family"].status == "aktif"


def test_status_change_is_post_only(client, world) -> None:
    client.force_login(world["korkab"].user)
    assert client.get(reverse("registry:set_status", args=[world["family"].pk])).status_code == 405


def test_family_data_has_no_direct_edit_form_only_the_pemutakhiran_path(client, world) -> None:
    """Issue 3: nothing changes family data without a pemutakhiran approved up the chain (RULES.md:
    Disbursement and data) or an import. The old edit form and its URL are gone; the family page
    offers "Catat pemutakhiran" to those who may record one."""
    family: Household = world["family"]
    client.force_login(world["pendamping"].user)
    html = client.get(reverse("registry:detail", args=[family.pk])).content.decode()
    assert 'id="edit-form"' not in html
    assert 'data-testid="update-start"' in html and f"/pemutakhiran/kpm/{family.pk}/baru/" in html
    response = client.post(f"/kpm/{family.pk}/ubah/", {"address": "Jl. Melati 5", "rt": "003"})
    assert response.status_code == 404
    family.refresh_from_db()
    assert (family.address, family.rt) != ("Jl. Melati 5", "003")
    assert not AuditEvent.objects.filter(household=family).exists()


def test_province_sees_the_familys_updates_but_may_not_record_one(client, world) -> None:
    client.force_login(make_staff(Role.DINSOS_PROV, "35").user)
    html = client.get(reverse("registry:detail", args=[world["family"].pk])).content.decode()
    assert 'id="updates"' in html
    assert 'data-testid="update-start"' not in html
