"""Region pages: the Kemendagri tree with breadcrumbs, search, and family counts in the reader's
scope (RULES.md: Identity numbers, "Region codes"; accounts.scope for the counts)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from harapan.accounts.models import Role
from harapan.regions.models import Region
from harapan.testing import BONDOWOSO, JEMBER, MAESAN, first_desa, first_kecamatan, make_household, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict:
    pendamping = make_staff(Role.PENDAMPING, MAESAN)
    desa = first_desa(MAESAN)
    second_desa = Region.objects.filter(parent_id=MAESAN).order_by("code")[1]
    jember_desa = first_desa(first_kecamatan(JEMBER).code)
    for d, p in [(desa, pendamping), (desa, pendamping), (second_desa, None), (jember_desa, None)]:
        make_household(desa=d, pendamping=p)
    return {"pendamping": pendamping, "desa": desa, "second_desa": second_desa, "jember_desa": jember_desa}


def _families(response, code: str) -> int:
    return {r.region.code: r.total for r in response.context["rows"]}[code]


def test_regions_need_login(client) -> None:
    assert client.get(reverse("regions:index")).status_code == 302


def test_indonesia_lists_38_provinces_with_families_in_scope(client, world) -> None:
    client.force_login(make_staff(Role.MINISTRY, None).user)
    response = client.get(reverse("regions:index"))
    assert response.status_code == 200
    assert len(response.context["rows"]) == 38
    assert _families(response, "35") == 4
    assert response.context["total"] == 4
    assert 'data-testid="region-row-35"' in response.content.decode()


def test_kabupaten_page_counts_families_per_kecamatan_in_one_query(
    client, world, django_assert_max_num_queries
) -> None:
    client.force_login(make_staff(Role.KORKAB, BONDOWOSO).user)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("regions:detail", args=[BONDOWOSO]))
    html = response.content.decode()
    assert _families(response, MAESAN) == 3
    assert response.context["total"] == 3
    assert [a.code for a in response.context["ancestors"]] == ["35", BONDOWOSO]
    assert 'id="breadcrumbs"' in html and 'data-testid="crumb-35"' in html
    assert "Kabupaten Bondowoso" in html


def test_kecamatan_page_lists_desa_with_postal_code(client, world) -> None:
    client.force_login(make_staff(Role.KORKAB, BONDOWOSO).user)
    response = client.get(reverse("regions:detail", args=[MAESAN]))
    html = response.content.decode()
    assert len(response.context["rows"]) == 12
    assert _families(response, world["desa"].code) == 2
    assert _families(response, world["second_desa"].code) == 1
    assert "68262" in html  # Sucolor's postal code
    assert f'data-testid="region-families-{world["desa"].code}"' in html


def test_desa_page_counts_its_own_families(client, world) -> None:
    client.force_login(make_staff(Role.KORKAB, BONDOWOSO).user)
    response = client.get(reverse("regions:detail", args=[world["desa"].code]))
    assert response.status_code == 200
    assert response.context["rows"] == []
    assert response.context["total"] == 2
    assert 'data-testid="region-postal-code"' in response.content.decode()


def test_family_counts_are_scoped_but_regions_are_public(client, world) -> None:
    """A pendamping sees every region but counts only their own families; a Jember korkab sees
    Bondowoso's tree with zero families."""
    client.force_login(world["pendamping"].user)
    response = client.get(reverse("regions:detail", args=[MAESAN]))
    assert _families(response, world["desa"].code) == 2
    assert _families(response, world["second_desa"].code) == 0
    client.force_login(make_staff(Role.KORKAB, JEMBER).user)
    response = client.get(reverse("regions:detail", args=[BONDOWOSO]))
    assert response.status_code == 200
    assert response.context["total"] == 0


def test_unknown_region_is_404(client, world) -> None:
    client.force_login(world["pendamping"].user)
    assert client.get(reverse("regions:detail", args=["99.99"])).status_code == 404
    assert client.get("/wilayah/abc/").status_code == 404


def test_region_search_by_name_and_code(client, world) -> None:
    client.force_login(world["pendamping"].user)
    response = client.get(reverse("regions:search"), {"q": "Maesan"})
    codes = [r.code for r in response.context["results"]]
    assert MAESAN in codes and "35.11.01.2004" in codes
    assert "<html" in response.content.decode()  # without htmx: a whole page
    response = client.get(reverse("regions:search"), {"q": "3511"})
    assert [r.code for r in response.context["results"]][0] == BONDOWOSO


def test_region_search_answers_htmx_with_a_fragment(client, world) -> None:
    client.force_login(world["pendamping"].user)
    response = client.get(reverse("regions:search"), {"q": "Sucolor"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html
    assert f'data-testid="region-result-{world["desa"].code}"' in html
    assert "Maesan, Kabupaten Bondowoso, Jawa Timur" in html
    short = client.get(reverse("regions:search"), {"q": "S"}, headers={"HX-Request": "true"})
    assert short.context["results"] == []
