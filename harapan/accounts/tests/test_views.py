"""The landing page, login and logout (accounts.scope: every role sees its own scope)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from harapan.accounts.models import Role
from harapan.registry.models import HouseholdStatus
from harapan.testing import BONDOWOSO, JEMBER, MAESAN, PASSWORD, first_desa, first_kecamatan, make_household, make_staff

pytestmark = pytest.mark.django_db

JAWA_TIMUR = "35"


@pytest.fixture
def families() -> dict:
    """Three families in Maesan (two of one pendamping, one ditangguhkan), one in Jember."""
    pendamping = make_staff(Role.PENDAMPING, MAESAN, full_name="Bu Rina")
    other = make_staff(Role.PENDAMPING, MAESAN)
    desa = first_desa(MAESAN)
    return {
        "pendamping": pendamping,
        "own": [make_household(desa=desa, pendamping=pendamping), make_household(desa=desa, pendamping=pendamping)],
        "other": make_household(desa=desa, pendamping=other, status=HouseholdStatus.DITANGGUHKAN),
        "jember": make_household(desa=first_desa(first_kecamatan(JEMBER).code)),
        "desa": desa,
    }


def _status_count(html: str, status: str) -> str:
    row = html.split(f'data-testid="status-count-{status}"', 1)[1]
    return row.split('class="num n">', 1)[1].split("<", 1)[0]


def test_home_needs_login(client) -> None:
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_pendamping_home_counts_only_own_families_by_desa(client, families) -> None:
    client.force_login(families["pendamping"].user)
    response = client.get(reverse("home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Selamat datang, Bu Rina" in html
    assert response.context["total"] == 2
    assert _status_count(html, "aktif") == "2"
    assert _status_count(html, "ditangguhkan") == "0"
    desa = families["desa"]
    assert [(r.region.code, r.total) for r in response.context["rows"]] == [(desa.code, 2)]
    assert 'data-testid="link-import"' not in html
    assert 'id="home-family-search"' in html


def test_korkab_home_counts_kabupaten_by_kecamatan(client, families) -> None:
    korkab = make_staff(Role.KORKAB, BONDOWOSO)
    client.force_login(korkab.user)
    response = client.get(reverse("home"))
    html = response.content.decode()
    assert response.context["total"] == 3
    assert _status_count(html, "aktif") == "2"
    assert _status_count(html, "ditangguhkan") == "1"
    rows = {r.region.code: r for r in response.context["rows"]}
    assert len(rows) == 23  # every kecamatan of Bondowoso is listed, with or without families
    assert (rows[MAESAN].total, rows[MAESAN].aktif) == (3, 2)
    assert f'data-testid="region-row-{MAESAN}"' in html
    assert response.context["child_level"] == "Kecamatan"


def test_province_home_counts_by_kabupaten(client, families) -> None:
    staff = make_staff(Role.DINSOS_PROV, JAWA_TIMUR)
    client.force_login(staff.user)
    response = client.get(reverse("home"))
    rows = {r.region.code: r.total for r in response.context["rows"]}
    assert response.context["total"] == 4
    assert rows[BONDOWOSO] == 3 and rows[JEMBER] == 1


def test_ministry_home_counts_by_province(client, families) -> None:
    staff = make_staff(Role.MINISTRY, None)
    client.force_login(staff.user)
    response = client.get(reverse("home"))
    rows = {r.region.code: r.total for r in response.context["rows"]}
    assert len(rows) == 38
    assert rows[JAWA_TIMUR] == 4 and sum(rows.values()) == 4
    assert "Seluruh Indonesia" in response.content.decode()


def test_home_is_one_aggregate_query_for_counts(client, families, django_assert_max_num_queries) -> None:
    korkab = make_staff(Role.KORKAB, BONDOWOSO)
    client.force_login(korkab.user)
    # session, user, staff (+ region), one GROUP BY, the kecamatan list.
    with django_assert_max_num_queries(7):
        client.get(reverse("home"))


def test_user_without_staff_record_sees_no_families(client, families) -> None:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(username="tamu", password=PASSWORD)
    client.force_login(user)
    html = client.get(reverse("home")).content.decode()
    assert 'data-testid="home-no-staff"' in html
    assert "home-total" not in html


@pytest.mark.parametrize(
    ("role", "region", "may_import"),
    [
        (Role.PENDAMPING, MAESAN, False),
        (Role.SUPERVISOR, BONDOWOSO, False),
        (Role.OPERATOR, BONDOWOSO, True),
        (Role.KORKAB, BONDOWOSO, True),
        (Role.DINSOS_KAB, BONDOWOSO, True),
        (Role.DINSOS_PROV, JAWA_TIMUR, True),
        (Role.MINISTRY, None, True),
    ],
)
def test_every_role_gets_a_landing_page_with_role_and_area(client, role, region, may_import) -> None:
    staff = make_staff(role, region)
    client.force_login(staff.user)
    response = client.get(reverse("home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert str(staff.get_role_display()) in html
    assert response.context["can_import"] is may_import
    assert 'data-testid="nav-regions"' in html and 'data-testid="nav-families"' in html


def test_login_page_and_login_with_password(client) -> None:
    staff = make_staff(Role.OPERATOR, BONDOWOSO, username="operator_bdw")
    login = reverse("accounts:login")
    html = client.get(login).content.decode()
    assert 'id="login-form"' in html and 'data-testid="login-submit"' in html
    bad = client.post(login, {"username": "operator_bdw", "password": "salah"})
    assert 'data-testid="login-error"' in bad.content.decode()
    good = client.post(login, {"username": "operator_bdw", "password": PASSWORD})
    assert good.status_code == 302 and good["Location"] == reverse("dashboards:own")  # each role's dashboard
    assert client.get(reverse("home")).context["staff"] == staff


def test_logout_is_a_post_form_in_the_header(client) -> None:
    staff = make_staff(Role.OPERATOR, BONDOWOSO)
    client.force_login(staff.user)
    html = client.get(reverse("home")).content.decode()
    assert 'id="logout-form"' in html
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_language_switch_to_english(client) -> None:
    staff = make_staff(Role.OPERATOR, BONDOWOSO)
    client.force_login(staff.user)
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})
    assert response.status_code == 302
    assert '<html lang="en">' in client.get(reverse("home")).content.decode()
