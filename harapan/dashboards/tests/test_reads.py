"""A dashboard read on settled data is a fixed handful of queries however many families, desas and
pendamping lie below (issue 5: dashboards answer fast at a million families); the exports carry
the page's table; the command refreshes everything or a region."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from harapan.accounts.models import Role
from harapan.dashboards.models import Figure, StaleArea
from harapan.regions.models import Region
from harapan.testing import BONDOWOSO, MAESAN, make_household, make_staff

from .conftest import DESA_A, DESA_B, World, client_for, fig, refresh

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> int:
    client.get(url)  # sessions, caches and translations warmed
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_a_read_on_settled_data_is_a_fixed_number_of_queries(world: World) -> None:
    ministry = make_staff(Role.MINISTRY, None)
    pages = {
        "nasional": (ministry, "/dasbor/"),
        "provinsi": (ministry, "/dasbor/wilayah/35/"),
        "kabupaten": (world.korkab, "/dasbor/"),
        "kecamatan": (world.korkab, f"/dasbor/wilayah/{MAESAN}/"),
        "desa": (world.korkab, f"/dasbor/wilayah/{DESA_A}/"),
        "pendamping": (world.pa, "/dasbor/"),
        "pendamping (korkab)": (world.korkab, f"/dasbor/pendamping/{world.pa.pk}/"),
    }
    refresh()
    before = {name: _queries(client_for(who), url) for name, (who, url) in pages.items()}
    # Ten times the families, more desas, another pendamping and kecamatan: the same queries.
    extra = make_staff(Role.PENDAMPING, MAESAN)
    maesan = list(Region.objects.filter(parent_id=MAESAN).order_by("code").values_list("code", flat=True)[:9])
    others = list(
        Region.objects.filter(code__startswith="35.11.", level=4)
        .exclude(parent_id=MAESAN)
        .values_list("code", flat=True)[:9]
    )
    for i in range(40):
        make_household(desa=maesan[i % 9], pendamping=extra if i % 2 else world.pa)
        make_household(desa=others[i % 9])
    refresh()
    assert not StaleArea.objects.exists()
    after = {name: _queries(client_for(who), url) for name, (who, url) in pages.items()}
    assert after == before
    assert max(after.values()) <= 20, after


def test_exports_carry_the_area_and_its_children(world: World) -> None:
    refresh()
    korkab = client_for(world.korkab)
    response = korkab.get(f"/dasbor/wilayah/{MAESAN}/?unduh=csv")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"] and "dasbor-35.11.01-" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    head = rows[0]
    assert head[:3] == ["Kode", "Nama", "Jenis"] and "KPM dalam program" in head
    by_code = {r[0]: r for r in rows[1:]}
    kpm = head.index("KPM dalam program")
    assert by_code[MAESAN][kpm] == "5" and by_code[DESA_A][kpm] == "3"
    assert by_code[f"p:{world.pa.pk}"][1] == "Bu Ani" and by_code[f"p:{world.pa.pk}"][kpm] == "3"
    assert by_code[MAESAN][head.index("Pendamping")] == "2"

    response = korkab.get("/dasbor/?unduh=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert "Kabupaten Bondowoso" in str(values[0][0])
    header, total = values[1], values[2]
    assert total[0] == BONDOWOSO and total[header.index("KPM dalam program")] == 6


def _rows(html: str) -> list[str]:
    """The codes of the children rows of a page, in order."""
    return [part.split('"', 1)[0] for part in html.split('data-testid="child-row-')[1:]]


@override_settings(HARAPAN={"dashboards": {"PENDAMPING_PER_PAGE": 2}})
def test_a_kecamatan_lists_its_pendamping_a_page_at_a_time_and_exports_them_all(world: World) -> None:
    """Hundreds of pendamping in a kecamatan at a million families: the page shows its desas and one
    page of pendamping by name, with links to the other pages; the export holds every one."""
    idle = make_staff(Role.PENDAMPING, MAESAN, full_name="Cak Dul")  # no family yet: listed, below the norm
    refresh()
    korkab = client_for(world.korkab)
    url = f"/dasbor/wilayah/{MAESAN}/"
    desas = ["total", DESA_A, DESA_B]
    first = korkab.get(url).content.decode()
    assert _rows(first) == [*desas, f"p:{world.pa.pk}", f"p:{idle.pk}"]  # Bu Ani, Cak Dul
    assert 'data-testid="pendamping-range">Pendamping 1–2 dari 3<' in first
    assert 'href="?hal=2#dashboard-children"' in first and 'data-testid="pendamping-prev"' not in first
    second = korkab.get(url + "?hal=2").content.decode()
    assert _rows(second) == [*desas, f"p:{world.pb.pk}"]  # Pak Budi
    assert 'data-testid="pendamping-range">Pendamping 3–3 dari 3<' in second
    assert 'href="?hal=1#dashboard-children"' in second and 'data-testid="pendamping-next"' not in second
    assert _rows(korkab.get(url + "?hal=9").content.decode()) == _rows(second)  # past the end: the last page
    assert _rows(korkab.get(url + "?hal=x").content.decode()) == _rows(first)
    rows = list(csv.reader(io.StringIO(korkab.get(url + "?unduh=csv").content.decode("utf-8-sig")), delimiter=";"))
    assert [r[0] for r in rows[1:]] == [MAESAN, DESA_A, DESA_B, f"p:{world.pa.pk}", f"p:{idle.pk}", f"p:{world.pb.pk}"]
    # A kecamatan with fewer pendamping than a page has no pager.
    html = korkab.get("/dasbor/wilayah/35.11.02/").content.decode()
    assert 'data-testid="pendamping-pager"' not in html


def test_command_refreshes_everything_or_one_region(world: World) -> None:
    out = io.StringIO()
    call_command("refresh_figures", stdout=out)
    assert "seluruh Indonesia" in out.getvalue() and fig("", "kpm_aktif") == 7
    make_household(desa=DESA_A, pendamping=world.pa)
    call_command("refresh_figures", "--region", "3511", stdout=out)
    assert fig(DESA_A, "kpm_aktif") == 4 and fig("", "kpm_aktif") == 8
    with pytest.raises(CommandError):
        call_command("refresh_figures", "--region", "99.99", stdout=out)
    # A refresh leaves no row of a desa that no longer has anything.
    lone = make_household(desa="35.11.01.2005")
    call_command("refresh_figures", "--region", MAESAN, stdout=out)
    assert fig("35.11.01.2005", "kpm_aktif") == 1 and fig(MAESAN, "kpm_aktif") == 7
    lone.delete()
    call_command("refresh_figures", "--region", MAESAN, stdout=out)
    assert fig(MAESAN, "kpm_aktif") == 6
    assert not Figure.objects.filter(area="35.11.01.2005").exists()
