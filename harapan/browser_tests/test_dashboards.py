"""The dashboards in a real browser (issue 5, "Done when"): each role logs in and lands on its own
dashboard, whose figures are the database's counted with the same scope rule (accounts.scope), and
gets a 404 for any dashboard outside its area; the ministry drills down from the nation to a
pendamping by clicking the table rows; the Chart.js charts draw what their tables say, from the
live server only; a change made through a service shows on reload; the CSV and XLSX exports hold
the page's figures; a pendamping's dashboard fits a 360 px phone; the district profile PDF's pages
are rendered and its figures checked (RULES.md: People and ratios; P2K2 / FDS curriculum)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pypdfium2 as pdfium
import pytest
from django.db.models import Q, Sum
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from harapan.accounts.models import Role, Staff
from harapan.accounts.scope import household_q, region_in_scope
from harapan.conftest import MAESAN_DESA, TAMANAN_DESA, ScopeWorld
from harapan.dashboards.services import figures_refresh_all
from harapan.grievances.models import Grievance, GrievanceCategory, GrievanceStatus
from harapan.grievances.services import grievance_lodge
from harapan.groups.models import GroupMembership, Kelompok
from harapan.meetings.models import Attendance, Mark, Meeting, MeetingStatus
from harapan.meetings.services import attendance_record
from harapan.payroll.models import PaymentLine
from harapan.payroll.services import tahap_compute, tahap_open
from harapan.registry.models import IN_PROGRAMME, Household, HouseholdStatus
from harapan.registry.services import household_set_status
from harapan.testing import BONDOWOSO, MAESAN, first_desa, make_household, make_staff

pytestmark = pytest.mark.browser

MAESAN_DESA_2 = "35.11.01.2004"
JEMBER_DESA = "35.09.01.2001"
PERSONAS = ["pendamping", "korkab", "supervisor", "operator", "dinsos_kab", "dinsos_prov", "ministry"]
# The area named at the top of each persona's own dashboard.
OWN_AREA = {
    "pendamping": "Pendamping Maesan A",
    "korkab": "Kabupaten Bondowoso",
    "supervisor": "Kabupaten Bondowoso",
    "operator": "Kabupaten Bondowoso",
    "dinsos_kab": "Kabupaten Bondowoso",
    "dinsos_prov": "Provinsi Jawa Timur",
    "ministry": "Seluruh Indonesia",
}
KPM = "KPM dalam program"


# --- The world -------------------------------------------------------------------------------------


@pytest.fixture
def world(scope_world: ScopeWorld) -> ScopeWorld:
    """The scope world (staff of every role, families across every boundary) plus families of every
    kind of status, children who fit a komponen, kelompok with members, a planned meeting and a
    pendamping no longer active; figures refreshed as the nightly command does (the factories write
    no audit events to mark them stale)."""
    w = scope_world
    a, b, jember = (w.staff[k] for k in ("pendamping", "pendamping_b", "pendamping_jember"))
    toddler: list[tuple[dt.date, str | None]] = [(timezone.localdate() - dt.timedelta(days=500), None)]
    more = {
        "maesan_a_calon": (MAESAN_DESA, a, HouseholdStatus.CALON, toddler),
        "maesan_a_tangguh": (MAESAN_DESA, a, HouseholdStatus.DITANGGUHKAN, None),
        "maesan_a_lulus": (MAESAN_DESA, a, HouseholdStatus.GRADUASI_MANDIRI, None),
        "maesan_b2": (MAESAN_DESA_2, b, HouseholdStatus.AKTIF, toddler),
        "maesan_b3": (MAESAN_DESA_2, b, HouseholdStatus.AKTIF, None),
        "tamanan_ne": (TAMANAN_DESA, None, HouseholdStatus.NON_ELIGIBLE, None),
        "jember_3": (first_desa("35.09.01").code, jember, HouseholdStatus.DITANGGUHKAN, None),
    }
    for key, (desa, owner, status, children) in more.items():
        w.families[key] = make_household(desa=desa, pendamping=owner, status=status, children=children)
    groups = {
        "K-A": (MAESAN_DESA, a, ["maesan_a1", "maesan_a2", "maesan_a_calon"]),
        "K-B": (MAESAN_DESA_2, b, ["maesan_b2", "maesan_b3"]),
        "K-J": (first_desa("35.09.01").code, jember, ["jember_1", "jember_2"]),
    }
    for code, (desa, owner, members) in groups.items():
        kelompok = Kelompok.objects.create(code=code, name=f"Kelompok {code}", desa_id=desa, pendamping=owner)
        GroupMembership.objects.bulk_create(
            [
                GroupMembership(household=w.families[k], kelompok=kelompok, valid_from=dt.date(2020, 1, 1))
                for k in members
            ]
        )
    Meeting.objects.create(
        kelompok=Kelompok.objects.get(code="K-A"), scheduled_on=timezone.localdate() - dt.timedelta(1)
    )
    w.staff["pendamping_gone"] = make_staff(Role.PENDAMPING, MAESAN, full_name="Pendamping Lama", is_active=False)
    figures_refresh_all()
    return w


# --- What the database says ------------------------------------------------------------------------


def area_q(code: str, path: str = "") -> Q:
    """Rows under a region code, as the dashboards count them ("" the nation, a desa itself)."""
    if not code:
        return Q()
    if len(code) == 13:
        return Q(**{f"{path}desa_id": code})
    return Q(**{f"{path}desa__code__startswith": code + "."})


@dataclass
class Expected:
    kpm: int
    by_status: dict[str, int]
    kelompok: int
    pendamping: int


def expected(user: Any, code: str = "", pendamping: Staff | None = None) -> Expected:
    """The headline figures of what ``user`` may see (accounts.scope.household_q), within region
    ``code`` and of one pendamping's families when given."""
    q = household_q(user) & area_q(code)
    if pendamping is not None:
        q &= Q(pendamping=pendamping)
    families = Household.objects.filter(q)
    staff = [
        s
        for s in Staff.objects.filter(role=Role.PENDAMPING, is_active=True, region__isnull=False)
        if region_in_scope(user, str(s.region_id))
        and (not code or str(s.region_id) == code or str(s.region_id).startswith(code + "."))
    ]
    return Expected(
        kpm=families.filter(status__in=IN_PROGRAMME).count(),
        by_status={str(label): families.filter(status=value).count() for value, label in HouseholdStatus.choices},
        kelompok=Kelompok.objects.filter(q, is_active=True).count(),
        pendamping=len(staff),
    )


# --- Reading the page ------------------------------------------------------------------------------


class Watch:
    """Every request a page makes and every console error or uncaught exception it shows."""

    def __init__(self, page: Any, base_url: str) -> None:
        self.base = urlparse(base_url).netloc
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.failed: list[str] = []
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("response", lambda r: self.failed.append(r.url) if r.status >= 400 else None)
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.errors.append(str(e)))

    def _console(self, message: Any) -> None:
        # Chromium asks every site for /favicon.ico (Harapan serves none and no page links one);
        # the 404 is the browser's own request, not the page's: its console line is no page error.
        if message.type == "error" and urlparse(message.location.get("url", "")).path != "/favicon.ico":
            self.errors.append(f"{message.text} ({message.location.get('url', '')})")

    def external(self) -> list[str]:
        return [
            u for u in self.requests if urlparse(u).scheme not in ("data", "blob") and urlparse(u).netloc != self.base
        ]

    def check(self) -> None:
        assert self.requests and not self.external(), self.external()
        assert not self.failed, self.failed
        assert not self.errors, self.errors


@pytest.fixture
def watch(page: Any, live_server: Any) -> Watch:
    return Watch(page, live_server.url)


def number(text: str) -> int:
    """A figure as the page writes it (1.234, Rp 1.234.000) as an integer."""
    digits = re.sub(r"\D", "", text)
    assert digits, f"no number in {text!r}"
    return int(digits)


def plain(value: Any) -> Any:
    """A cell of a CSV (text) or an XLSX (number) as one comparable value: a number as a float."""
    if value is None or value == "":
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return str(value)


def card(page: Any, key: str) -> str:
    return page.get_by_test_id(f"figure-{key}").inner_text().strip()


def cell(page: Any, row: str, column: str) -> str:
    """A cell of the children table: ``row`` a child's code or "total", ``column`` its label."""
    return page.get_by_test_id(f"child-row-{row}").locator(f'td[data-label="{column}"]').inner_text().strip()


def child_codes(page: Any) -> list[str]:
    ids = page.locator('#dashboard-children tbody tr[data-testid^="child-row-"]').evaluate_all(
        "rows => rows.map(r => r.dataset.testid.slice('child-row-'.length))"
    )
    return [i for i in ids if i != "total"]


def charts_drawn(page: Any) -> list[dict[str, Any]]:
    """Each canvas: its Chart.js chart's labels and datasets, whether it painted pixels, and the
    table that stands in for it."""
    page.wait_for_function(
        "() => window.Chart && [...document.querySelectorAll('canvas[data-chart]')].every(c => Chart.getChart(c))"
    )
    return page.evaluate(
        """() => [...document.querySelectorAll('canvas[data-chart]')].map(canvas => {
            const chart = Chart.getChart(canvas);
            const figure = canvas.closest('figure');
            const table = figure.querySelector('table');
            const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
            let painted = 0;
            for (let i = 3; i < pixels.length; i += 4) if (pixels[i]) painted++;
            return {
                key: canvas.dataset.chart,
                type: chart.config.type,
                labels: chart.data.labels,
                datasets: chart.data.datasets.map(d => ({label: d.label, data: d.data})),
                // The length of each bar drawn, from Chart.js's own elements (0 for a zero value).
                bars: chart.data.datasets.map((d, i) => chart.getDatasetMeta(i).data.map(bar => {
                    const p = bar.getProps(['x', 'y', 'base'], true);
                    return Math.abs((chart.options.indexAxis === 'y' ? p.x : p.y) - p.base);
                })),
                width: canvas.getBoundingClientRect().width,
                painted: painted,
                folded: !figure.querySelector('details.chart-table').open,
                head: [...table.querySelectorAll('thead th')].slice(1).map(th => th.textContent.trim()),
                rows: [...table.querySelectorAll('tbody tr')].map(tr => [...tr.children].map(td => td.textContent.trim())),
            };
        })"""
    )


def charts_checked(page: Any) -> dict[str, dict[str, Any]]:
    """Every chart of the page drawn (a bar chart that painted its canvas, its table folded away),
    with the labels and values of the page's chart data and of the table that stands in for it."""
    charts = {c["key"]: c for c in charts_drawn(page)}
    assert charts
    source = page.evaluate("JSON.parse(document.getElementById('dashboard-charts').textContent)")
    for key, chart in charts.items():
        assert chart["type"] == "bar" and chart["painted"] > 500 and chart["width"] > 200, key
        assert chart["folded"], f"{key}: the table stays open although the chart is drawn"
        assert chart["labels"] == source[key]["labels"] == [r[0] for r in chart["rows"]], key
        assert len(chart["datasets"]) == len(source[key]["datasets"]), key
        for i, ds in enumerate(chart["datasets"]):
            assert ds["label"] == chart["head"][i], key
            assert ds["data"] == source[key]["datasets"][i]["data"], key
            assert ds["data"] == [number(r[1 + i]) for r in chart["rows"]], (key, ds["label"])
            drawn = [length > 0.5 for length in chart["bars"][i]]
            assert drawn == [value > 0 for value in ds["data"]], (key, ds["label"], chart["bars"][i])
    return charts


def fits(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def status_of(page: Any, url: str) -> int:
    response = page.goto(url)
    assert response is not None
    return int(response.status)


# --- Each role, its own dashboard, nothing outside -------------------------------------------------


def region_url(code: str) -> str:
    return f"/dasbor/wilayah/{code}/" if code else "/dasbor/wilayah/"


def outside(w: ScopeWorld, persona: str) -> list[str]:
    """Dashboards outside the persona's area (each must be a 404, and so must its export)."""
    other_pendamping = [f"/dasbor/pendamping/{w.staff[k].pk}/" for k in ("pendamping_b", "pendamping_jember")]
    not_a_pendamping = f"/dasbor/pendamping/{w.staff['korkab'].pk}/"
    if persona == "pendamping":
        regions = ["", "35", BONDOWOSO, MAESAN, MAESAN_DESA, "35.09"]
        return [*map(region_url, regions), *other_pendamping, not_a_pendamping]
    if persona in ("korkab", "supervisor", "operator", "dinsos_kab"):
        regions = ["", "35", "35.09", "35.09.01", JEMBER_DESA, "33", "33.01.01"]
        jember = f"/dasbor/pendamping/{w.staff['pendamping_jember'].pk}/"
        return [*map(region_url, regions), jember, not_a_pendamping]
    if persona == "dinsos_prov":
        return ["/dasbor/wilayah/", "/dasbor/wilayah/33/", "/dasbor/wilayah/33.01.01/", not_a_pendamping]
    # The ministry sees the nation: only what is no dashboard at all.
    return ["/dasbor/wilayah/99/", "/dasbor/wilayah/35.99/", not_a_pendamping]


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_role_lands_on_its_own_dashboard_with_the_figures_of_its_area(
    page: Any, watch: Watch, login: Any, world: ScopeWorld, persona: str
) -> None:
    staff = world.staff[persona]
    want = expected(staff.user, pendamping=staff if persona == "pendamping" else None)
    assert want.kpm > 0 and want.kelompok > 0

    login(page, staff)
    assert urlparse(page.url).path == "/dasbor/"
    expect(page.get_by_test_id("dashboard-area")).to_contain_text(OWN_AREA[persona])
    expect(page.get_by_test_id("nav-dashboard")).to_have_attribute("aria-current", "page")
    assert int(card(page, "kpm")) == want.kpm
    items = page.get_by_test_id("card-kpm").locator("ul.items li")
    shown = {li.locator("span").inner_text(): int(li.locator("b").inner_text()) for li in items.all()}
    assert shown == want.by_status
    assert int(card(page, "kelompok")) == want.kelompok
    if persona == "pendamping":
        # A pendamping's card is their caseload against the norm (150-350): four families are below it.
        assert card(page, "pendamping") == "di bawah norma"
    else:
        assert int(card(page, "pendamping")) == want.pendamping
    assert int(cell(page, "total", KPM)) == want.kpm

    # The rows under the cards: only the area's own children, adding up to the area.
    codes = child_codes(page)
    assert codes
    if persona == "pendamping":
        desas = set(Household.objects.filter(pendamping=staff).values_list("desa_id", flat=True))
        assert set(codes) == {str(d) for d in desas}
    else:
        assert all(region_in_scope(staff.user, c) for c in codes), codes
    assert sum(int(cell(page, c, KPM)) for c in codes) == want.kpm
    charts = charts_checked(page)
    assert "komponen" in charts and "kehadiran" in charts
    watch.check()

    for url in outside(world, persona):
        assert status_of(page, url) == 404, url
        expect(page.get_by_test_id("figure-kpm")).to_have_count(0)
        assert page.request.get(url + "?unduh=csv").status == 404, url


# --- Drilling down ---------------------------------------------------------------------------------


def test_ministry_drills_down_from_the_nation_to_a_pendamping_by_clicking_rows(
    page: Any, watch: Watch, login: Any, world: ScopeWorld
) -> None:
    ministry = world.staff["ministry"].user
    a = world.staff["pendamping"]
    login(page, world.staff["ministry"])
    nation = expected(ministry)
    assert int(card(page, "kpm")) == nation.kpm and int(card(page, "pendamping")) == nation.pendamping
    assert child_codes(page) == ["33", "35"]

    steps = [
        ("35", "/dasbor/wilayah/35/", "Provinsi Jawa Timur"),
        (BONDOWOSO, f"/dasbor/wilayah/{BONDOWOSO}/", "Kabupaten Bondowoso"),
        (MAESAN, f"/dasbor/wilayah/{MAESAN}/", "Kecamatan Maesan"),
        (MAESAN_DESA, f"/dasbor/wilayah/{MAESAN_DESA}/", "Desa Sucolor"),
        (f"p:{a.pk}", f"/dasbor/pendamping/{a.pk}/", "Pendamping Maesan A"),
    ]
    above = ""
    for code, url, title in steps:
        if code.startswith("p:"):
            # The desa's row of a pendamping: their families in this desa; the next page all of theirs
            # (all in this desa, so the two are equal).
            row_want = expected(ministry, above, pendamping=a)
            page_want = expected(ministry, pendamping=a)
            assert row_want.kpm == page_want.kpm
        else:
            row_want = page_want = expected(ministry, code)
        row_kpm, row_kelompok = int(cell(page, code, KPM)), int(cell(page, code, "Kelompok"))
        assert (row_kpm, row_kelompok) == (row_want.kpm, row_want.kelompok), code
        row_pendamping = cell(page, code, "Pendamping") if len(code) < 13 and not code.startswith("p:") else None
        page.get_by_test_id(f"child-link-{code}").click()
        page.wait_for_url(f"**{url}")
        expect(page.get_by_test_id("dashboard-area")).to_contain_text(title)
        assert int(card(page, "kpm")) == row_kpm == page_want.kpm, code
        assert int(card(page, "kelompok")) == row_kelompok, code
        if row_pendamping is not None:
            assert int(card(page, "pendamping")) == int(row_pendamping) == page_want.pendamping, code
        assert int(cell(page, "total", KPM)) == page_want.kpm
        above = code
    # The breadcrumbs lead back up: the kecamatan of the pendamping.
    expect(page.get_by_test_id("dashboard-crumbs")).to_contain_text("Maesan")
    watch.check()


def test_a_kecamatan_shows_its_pendamping_a_page_at_a_time_and_exports_them_all(
    page: Any, watch: Watch, login: Any, world: ScopeWorld, settings: Any
) -> None:
    """Hundreds of pendamping in a kecamatan at a million families: its page lists its desas and one
    page of pendamping (here one a page), the next pages a click away; the export holds them all."""
    settings.HARAPAN = {**settings.HARAPAN, "dashboards": {"PENDAMPING_PER_PAGE": 1}}
    korkab = world.staff["korkab"]
    login(page, korkab)
    page.goto(f"/dasbor/wilayah/{MAESAN}/")
    with page.expect_download() as info:
        page.get_by_test_id("export-csv").click()
    text = Path(info.value.path()).read_bytes().decode("utf-8-sig")
    exported = [r[0] for r in list(csv.reader(io.StringIO(text), delimiter=";"))[1:]]
    desas = [c for c in exported if len(c) == 13]
    everyone = [c for c in exported if c.startswith("p:")]
    assert desas and len(everyone) >= 2
    seen: list[str] = []
    for number in range(1, len(everyone) + 1):
        codes = child_codes(page)
        assert [c for c in codes if not c.startswith("p:")] == desas, "every page lists the desas"
        seen += [c for c in codes if c.startswith("p:")]
        expect(page.get_by_test_id("pendamping-range")).to_contain_text(f"{number}–{number} dari {len(everyone)}")
        if number < len(everyone):
            page.get_by_test_id("pendamping-next").click()
            page.wait_for_url(f"**?hal={number + 1}#dashboard-children")
    assert seen == everyone
    expect(page.get_by_test_id("pendamping-next")).to_have_count(0)
    expect(page.get_by_test_id("pendamping-prev")).to_be_visible()
    size = page.viewport_size
    page.set_viewport_size({"width": 360, "height": 740})
    page.reload()
    assert fits(page), "the pager fits a 360 px phone"
    page.set_viewport_size(size)
    page.reload()
    # The last page's pendamping drills down like any row.
    last = Staff.objects.get(pk=int(everyone[-1][2:]))
    shown = int(cell(page, everyone[-1], KPM))
    page.get_by_test_id(f"child-link-{everyone[-1]}").click()
    page.wait_for_url(f"**/dasbor/pendamping/{last.pk}/")
    assert int(card(page, "kpm")) == shown == expected(korkab.user, pendamping=last).kpm
    watch.check()


# --- Charts ----------------------------------------------------------------------------------------


def test_charts_draw_what_their_tables_say_from_the_live_server_only(
    page: Any, watch: Watch, login: Any, world: ScopeWorld
) -> None:
    a, korkab, operator = world.staff["pendamping"], world.staff["korkab"], world.staff["operator"]
    today = timezone.localdate()
    meeting = Meeting.objects.get(kelompok__code="K-A")
    attendance_record(
        meeting=meeting,
        marks={
            world.families["maesan_a1"].pk: (Mark.HADIR, ""),
            world.families["maesan_a2"].pk: (Mark.IZIN, "sakit"),
            world.families["maesan_a_calon"].pk: (Mark.HADIR, ""),
        },
        acting_user=a.user,
    )
    grievance_lodge(
        category=GrievanceCategory.objects.get(code="pin_lupa"),
        description="Lupa PIN KKS",
        lodged_by_name="Ibu Maesan A1",
        lodged_by_kind="kpm",
        channel="langsung",
        acting_user=a.user,
        household=world.families["maesan_a1"],
    )
    # A tahap of Bondowoso (its families with an account), so the payment chart has a bar.
    for h in Household.objects.filter(desa__code__startswith=BONDOWOSO + "."):
        Household.objects.filter(pk=h.pk).update(
            bank="BRI",
            account_number=f"{1000000000 + h.pk:015d}",
            account_name=f"KPM {h.pk}",
            kks_number=f"6019{h.pk:012d}",
        )
    tahap = tahap_open(region_code=BONDOWOSO, year=today.year, number=2, cut_off=today, acting_user=operator.user)
    tahap_compute(tahap=tahap, acting_user=operator.user)
    planned = PaymentLine.objects.filter(tahap=tahap, cancelled=False).aggregate(s=Sum("amount"))["s"]
    assert planned

    login(page, korkab)
    charts = charts_checked(page)
    assert {"kehadiran", "pertemuan", "penyaluran", "graduasi", "pengaduan", "komponen"} <= set(charts)

    # ... and what the database says. This month is the attendance chart's last bar.
    marks = Attendance.objects.filter(
        household_q(korkab.user, prefix="household__"),
        meeting__status=MeetingStatus.TERLAKSANA,
        meeting__scheduled_on__year=meeting.scheduled_on.year,
        meeting__scheduled_on__month=meeting.scheduled_on.month,
    )
    month = -1 if meeting.scheduled_on.month == today.month else -2  # the meeting was yesterday
    by_label = {ds["label"]: ds["data"][month] for ds in charts["kehadiran"]["datasets"]}
    assert (
        by_label
        == {
            "Hadir": marks.filter(mark=Mark.HADIR).count(),
            "Izin": marks.filter(mark=Mark.IZIN).count(),
            "Alpa": marks.filter(mark=Mark.ALPA).count(),
        }
        == {"Hadir": 2, "Izin": 1, "Alpa": 0}
    )
    open_cases = Grievance.objects.filter(
        area_q(BONDOWOSO), status__in=[GrievanceStatus.BARU, GrievanceStatus.DITANGANI]
    ).count()
    assert sum(charts["pengaduan"]["datasets"][0]["data"]) == open_cases == 1
    assert charts["penyaluran"]["datasets"][0]["data"][-1] == planned
    assert charts["penyaluran"]["labels"][-1] == f"Tahap 2/{today.year}"
    watch.check()


# --- A change shows on reload ----------------------------------------------------------------------


def test_a_change_made_through_a_service_shows_when_the_page_is_reloaded(
    page: Any, watch: Watch, login: Any, world: ScopeWorld
) -> None:
    a, korkab, operator = world.staff["pendamping"], world.staff["korkab"], world.staff["operator"]
    login(page, korkab)
    page.goto(f"/dasbor/wilayah/{MAESAN}/")
    assert card(page, "kehadiran") == "–" and card(page, "pertemuan") == "0"
    assert cell(page, MAESAN_DESA, "Kehadiran") == "–"
    before = {"pengaduan": int(card(page, "pengaduan")), "row": int(cell(page, MAESAN_DESA, "Pengaduan terbuka"))}
    aktif = expected(korkab.user, MAESAN).by_status["Aktif"]

    # Attendance recorded by the pendamping: two present, one absent.
    meeting = Meeting.objects.get(kelompok__code="K-A")
    marks: dict[int, tuple[str, str]] = {
        world.families["maesan_a1"].pk: (Mark.HADIR, ""),
        world.families["maesan_a2"].pk: (Mark.HADIR, ""),
        world.families["maesan_a_calon"].pk: (Mark.ALPA, ""),
    }
    attendance_record(meeting=meeting, marks=marks, acting_user=a.user)
    page.reload()
    held = Attendance.objects.filter(meeting__kelompok__desa__code__startswith=MAESAN + ".")
    rate = f"{100 * held.filter(mark=Mark.HADIR).count() / held.count():.1f}%".replace(".", ",")
    assert rate == "66,7%"
    assert card(page, "kehadiran") == rate and cell(page, MAESAN_DESA, "Kehadiran") == rate
    assert card(page, "pertemuan") == "1"

    # A grievance lodged about one of the families.
    grievance_lodge(
        category=GrievanceCategory.objects.get(code="kks_hilang"),
        description="Kartu KKS hilang",
        lodged_by_name="Ibu Maesan A2",
        lodged_by_kind="kpm",
        channel="p2k2",
        acting_user=a.user,
        household=world.families["maesan_a2"],
    )
    page.reload()
    assert int(card(page, "pengaduan")) == before["pengaduan"] + 1
    assert int(cell(page, MAESAN_DESA, "Pengaduan terbuka")) == before["row"] + 1
    open_cases = Grievance.objects.filter(area_q(MAESAN), status__in=[GrievanceStatus.BARU, GrievanceStatus.DITANGANI])
    assert int(card(page, "pengaduan")) == open_cases.count()

    # A family suspended by the operator: still in the programme, one fewer active.
    household_set_status(
        household=world.families["maesan_a1"],
        status=HouseholdStatus.DITANGGUHKAN,
        valid_from=timezone.localdate(),
        reason="Tiga kali tidak hadir P2K2",
        acting_user=operator.user,
    )
    page.reload()
    want = expected(korkab.user, MAESAN)
    assert want.by_status["Aktif"] == aktif - 1
    items = page.get_by_test_id("card-kpm").locator("ul.items li")
    shown = {li.locator("span").inner_text(): int(li.locator("b").inner_text()) for li in items.all()}
    assert shown == want.by_status and int(card(page, "kpm")) == want.kpm
    watch.check()


# --- Exports ---------------------------------------------------------------------------------------


def test_csv_and_xlsx_exports_hold_the_figures_of_the_page(page: Any, login: Any, world: ScopeWorld) -> None:
    korkab = world.staff["korkab"]
    login(page, korkab)
    for url, area in (("/dasbor/", BONDOWOSO), (f"/dasbor/wilayah/{MAESAN}/", MAESAN)):
        page.goto(url)
        shown = {
            code: (cell(page, code, KPM), cell(page, code, "Kelompok"), cell(page, code, "Pendamping"))
            for code in ["total", *child_codes(page)]
        }
        with page.expect_download() as info:
            page.get_by_test_id("export-csv").click()
        download = info.value
        assert download.suggested_filename == f"dasbor-{area}-{timezone.localdate():%Y-%m-%d}.csv"
        text = Path(download.path()).read_bytes().decode("utf-8-sig")
        head, *rows = list(csv.reader(io.StringIO(text), delimiter=";"))
        assert head[:4] == ["Kode", "Nama", "Jenis", KPM]
        col = {name: head.index(name) for name in (KPM, "Kelompok", "Pendamping")}
        assert rows[0][0] == area
        codes = ["total" if r[0] == area else r[0] for r in rows]
        assert codes == list(shown), "the export has the rows of the page, in its order"
        for code, r in zip(codes, rows, strict=True):
            kpm, kelompok, pendamping = shown[code]
            assert r[col[KPM]] == kpm and r[col["Kelompok"]] == kelompok, code
            assert r[col["Pendamping"]] == ("" if pendamping == "–" else pendamping), code
            where = area if code == "total" else code
            if where.startswith("p:"):
                want = expected(korkab.user, pendamping=Staff.objects.get(pk=int(where[2:])))
            else:
                want = expected(korkab.user, where)
            assert int(r[col[KPM]]) == want.kpm and int(r[col["Kelompok"]]) == want.kelompok, code

        with page.expect_download() as info:
            page.get_by_test_id("export-xlsx").click()
        download = info.value
        assert download.suggested_filename.endswith(".xlsx")
        sheet = load_workbook(io.BytesIO(Path(download.path()).read_bytes())).active
        title, xhead, *xrows = list(sheet.iter_rows(values_only=True))
        assert str(title[0]).startswith(page.get_by_test_id("dashboard-area").inner_text().strip())
        assert list(xhead) == head
        assert [[plain(v) for v in r] for r in xrows] == [[plain(v) for v in r] for r in rows], (
            "the XLSX holds the same table as the CSV"
        )


# --- Phone -----------------------------------------------------------------------------------------


def test_pendamping_sees_their_dashboard_on_a_phone_without_sideways_scroll(
    phone_page: Any, login: Any, world: ScopeWorld
) -> None:
    a = world.staff["pendamping"]
    login(phone_page, a)
    assert urlparse(phone_page.url).path == "/dasbor/"
    assert int(card(phone_page, "kpm")) == expected(a.user, pendamping=a).kpm
    drawn = charts_drawn(phone_page)
    assert drawn and all(0 < c["width"] <= 360 and c["painted"] > 500 for c in drawn)
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page is {width} px wide on a 360 px phone"
    # A korkab's kabupaten and kecamatan pages fit too (the children table folds into label/value).
    login(phone_page, world.staff["korkab"])
    for url in ("/dasbor/", f"/dasbor/wilayah/{MAESAN}/", f"/dasbor/wilayah/{MAESAN_DESA}/"):
        phone_page.goto(url)
        assert fits(phone_page), url


# --- The district profile PDF ----------------------------------------------------------------------


def pdf_pages_rendered(body: bytes) -> list[str]:
    """Render every page of a PDF (pypdfium2): each an A4 portrait page with ink on it and its
    "Halaman n dari N" foot; returns the text of each page."""
    doc = pdfium.PdfDocument(body)
    try:
        assert len(doc) >= 1
        texts = []
        for i in range(len(doc)):
            page = doc[i]
            width, height = page.get_size()
            assert (round(width), round(height)) == (595, 842), "A4 portrait"
            image = page.render(scale=1).to_pil().convert("L")
            dark = sum(image.histogram()[:200]) / (image.width * image.height)
            assert dark > 0.005, f"page {i + 1} is blank"
            text = page.get_textpage().get_text_range()
            assert f"Halaman {i + 1} dari {len(doc)}" in text
            texts.append(text)
        return texts
    finally:
        doc.close()


def test_korkab_downloads_the_district_profile_pdf_whose_pages_render_with_the_databases_figures(
    page: Any, login: Any, world: ScopeWorld
) -> None:
    korkab = world.staff["korkab"]
    area = Q(desa__code__startswith=BONDOWOSO + ".")
    kpm = Household.objects.filter(area, status__in=IN_PROGRAMME).count()
    pendamping = Staff.objects.filter(
        role=Role.PENDAMPING, is_active=True, region__code__startswith=BONDOWOSO + "."
    ).count()
    kelompok = Kelompok.objects.filter(area, is_active=True).count()
    assert (kpm, pendamping, kelompok) == (8, 2, 2)

    login(page, korkab)
    page.goto("/laporan/profil/")
    expect(page.get_by_test_id("profile-title")).to_contain_text("Bondowoso")
    for key, value in (("kpm_total", kpm), ("pendamping_total", pendamping), ("kelompok_total", kelompok)):
        expect(page.get_by_test_id(f"fig-{key}")).to_have_attribute("data-value", str(value))
    with page.expect_download() as info:
        page.get_by_test_id("profile-pdf").click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    texts = pdf_pages_rendered(Path(download.path()).read_bytes())
    for i, page_text in enumerate(texts[1:], start=2):
        assert "Profil Kabupaten PKH · Kabupaten Bondowoso" in page_text, f"running head of page {i}"
    text = re.sub(r"\s+", " ", " ".join(texts))
    assert "PROFIL KABUPATEN/KOTA PKH" in text and "Kabupaten Bondowoso, Jawa Timur" in text
    assert f"KPM dalam program {kpm} KPM" in text
    assert f"Pendamping {pendamping} orang" in text
    assert f"Kelompok aktif {kelompok} kelompok" in text
    assert f"KPM per pendamping {kpm / pendamping:.1f} KPM".replace(".", ",") in text
