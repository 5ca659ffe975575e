"""Grievances and referrals on the dashboards come from stored figures (issue 5: "precomputed
aggregates where needed, always consistent with the underlying records"): at every level they equal
what the cases' own count selectors read live (``grievances.selectors.grievance_counts``,
``referrals.selectors.referral_counts`` and ``coverage_counts``), and a case created or moved through
its service changes the figure on the next read. Overdue depends on the time of reading and is
counted at the read. A case about a pendamping never counts in that pendamping's figures (issue 5:
"A case about a pendamping is not visible to that pendamping")."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from harapan.accounts.models import Role, Staff
from harapan.audit.models import AuditEvent
from harapan.dashboards import metrics as m
from harapan.dashboards.cases import GRIEVANCE_KEYS, grievance_figures, referral_figures
from harapan.dashboards.models import StaleArea
from harapan.dashboards.selectors import pendamping_dashboard, region_dashboard
from harapan.dashboards.stale import areas_of_events
from harapan.grievances.models import Grievance, GrievanceCategory
from harapan.grievances.selectors import grievance_counts
from harapan.grievances.services import (
    grievance_close,
    grievance_escalate,
    grievance_lodge,
    grievance_reopen,
    grievance_resolve,
    grievance_take,
)
from harapan.referrals.models import Programme, Referral
from harapan.referrals.selectors import coverage_counts, referral_counts
from harapan.referrals.services import (
    coverage_add,
    referral_accept,
    referral_complete,
    referral_create,
    referral_reject,
)
from harapan.registry.models import Household
from harapan.registry.services import household_move
from harapan.testing import BONDOWOSO, JEMBER, MAESAN, make_staff

from .conftest import DESA_A, DESA_B, TAMANAN_DESA, World, client_for, refresh

pytestmark = pytest.mark.django_db

REGIONS = ["", "35", BONDOWOSO, MAESAN, DESA_A, DESA_B, "35.11.02", TAMANAN_DESA, JEMBER]


def _lodge(code: str, by: Staff, *, household: Household | None = None, **kw: Any) -> Grievance:
    return grievance_lodge(
        category=GrievanceCategory.objects.get(code=code),
        description=f"Uji {code}",
        lodged_by_name="Pelapor",
        lodged_by_kind="kpm" if household is not None else "aparat_desa",
        channel="langsung",
        acting_user=by.user,
        household=household,
        **kw,
    )


def _family_programmes() -> list[Programme]:
    return list(Programme.objects.filter(is_active=True, target="keluarga").order_by("order", "code"))


def _member_programme() -> Programme:
    return Programme.objects.filter(is_active=True, target="anggota").order_by("order", "code")[0]


@pytest.fixture
def cases(world: World) -> dict[str, Any]:
    """Referrals in every status and coverage, family- and member-level, in both pendamping's desas,
    Tamanan (no pendamping) and Jember (another kabupaten); grievances of several categories in every
    status, one overdue, one escalated, two about a pendamping (one about the family's own, one about
    another), one of a family not yet registered lodged by a pendamping and one by the operator."""
    jember_operator = make_staff(Role.OPERATOR, JEMBER, full_name="Operator Jember")
    op, korkab = world.operator.user, world.korkab.user
    kis, bpnt, *_rest = _family_programmes()
    kip = _member_programme()
    r1 = referral_create(household=world.a[0], programme=kis, acting_user=world.pa.user)
    r2 = referral_create(household=world.a[1], programme=kis, acting_user=world.pa.user)
    referral_accept(referral=r2, acting_user=world.pa.user)
    r3 = referral_create(household=world.a[2], programme=bpnt, acting_user=world.pa.user)
    referral_accept(referral=r3, acting_user=world.pa.user)
    referral_complete(referral=r3, outcome="Kartu terbit", acting_user=world.pa.user)
    r4 = referral_create(household=world.b[0], programme=bpnt, acting_user=world.pb.user)
    referral_reject(referral=r4, reason="Tidak memenuhi syarat", acting_user=world.pb.user)
    referral_create(household=world.tamanan, programme=kis, acting_user=op)
    referral_create(household=world.jember, programme=bpnt, acting_user=jember_operator.user)
    # Coverage: a family-level programme held for years; a member-level one for two members of one
    # family (the family counts once), one ended (not counted).
    coverage_add(household=world.b[1], programme=kis, since=dt.date(2020, 1, 1), acting_user=op)
    members = list(world.b[1].members.order_by("pk"))
    for member in members:
        coverage_add(household=world.b[1], programme=kip, member=member, since=dt.date(2024, 7, 1), acting_user=op)
    coverage_add(household=world.tamanan, programme=bpnt, since=dt.date(2023, 1, 1), acting_user=op)
    assert r1.status == "dirujuk"

    long_ago = timezone.now() - dt.timedelta(days=60)
    g_overdue = _lodge("kks_hilang", world.pa, household=world.a[0], opened_at=long_ago)
    g_taken = _lodge("pin_lupa", world.pa, household=world.a[1])
    grievance_take(grievance=g_taken, acting_user=world.pa.user)
    grievance_escalate(grievance=g_taken, acting_user=korkab)
    g_done = _lodge("saldo_nol", world.pb, household=world.b[0])
    grievance_take(grievance=g_done, acting_user=korkab)
    grievance_resolve(grievance=g_done, acting_user=korkab, resolution="Saldo masuk")
    g_closed = _lodge("data_salah", world.korkab, household=world.tamanan)
    grievance_close(grievance=g_closed, acting_user=korkab, reason="Bukan urusan PKH")
    # About pendamping A: a family of A's (counted for the desa only), and a family of B's about A
    # (B sees it and it counts for B).
    _lodge("perilaku_pendamping", world.korkab, household=world.a[2])
    _lodge("perilaku_pendamping", world.korkab, household=world.b[1], about_pendamping=world.pa)
    # Families not yet registered: lodged by pendamping B in their desa, and by the operator.
    _lodge("belum_terdaftar", world.pb, desa=DESA_B)
    _lodge("belum_terdaftar", world.operator, desa=TAMANAN_DESA, opened_at=long_ago)
    _lodge("kks_hilang", jember_operator, household=world.jember)
    assert g_overdue.due_at < timezone.now()
    return {"ministry": make_staff(Role.MINISTRY, None), "kis": kis, "bpnt": bpnt, "kip": kip}


def _without(d: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: v for k, v in d.items() if k not in keys}


def _grievances_live(live: dict[str, Any]) -> dict[str, Any]:
    """The live counts without what is not stored (``resolved_in_time``)."""
    out = {k: live[k] for k in GRIEVANCE_KEYS}
    out["by_category"] = {c: _without(v, "resolved_in_time") for c, v in live["by_category"].items()}
    return out


def _grievances_stored(stored: dict[str, Any]) -> dict[str, Any]:
    return {**{k: stored[k] for k in GRIEVANCE_KEYS}, "by_category": stored["by_category"]}


def test_stored_case_figures_equal_the_live_selectors_at_every_level(world: World, cases: dict[str, Any]) -> None:
    refresh()
    ministry = cases["ministry"].user
    for code in REGIONS:
        d = region_dashboard(ministry, code)
        referrals = referral_figures(d)
        live = referral_counts(code or None)
        assert referrals["programmes"] == live["programmes"], code
        assert referrals["total"] == live["total"], code
        assert referrals["coverage"] == coverage_counts(code or None)["programmes"], code
        assert _grievances_stored(grievance_figures(d)) == _grievances_live(grievance_counts(code or None)), code
    nation = referral_figures(region_dashboard(ministry, ""))
    assert nation["total"]["opened"] == Referral.objects.count() == 6
    assert nation["coverage"][cases["kip"].code] == 1 and nation["coverage"][cases["kis"].code] == 1
    national_cases = grievance_figures(region_dashboard(ministry, ""))
    assert national_cases["opened"] == Grievance.objects.count() == 9
    assert (national_cases["overdue_now"], national_cases["escalated_open"]) == (2, 1)


def test_a_pendamping_s_case_figures_equal_what_they_may_see(world: World, cases: dict[str, Any]) -> None:
    """A pendamping's figures: the referrals of their families, the cases they may see (their
    families' and those they lodged), never a case about them."""
    refresh()
    for p in (world.pa, world.pb):
        d = pendamping_dashboard(p.user, p.pk)
        referrals = referral_figures(d)
        live = referral_counts(None, pendamping_id=p.pk)
        assert (referrals["programmes"], referrals["total"]) == (live["programmes"], live["total"]), p
        stored = _grievances_stored(grievance_figures(d))
        assert stored == _grievances_live(grievance_counts(None, user=p.user)), p
    a = grievance_figures(pendamping_dashboard(world.pa.user, world.pa.pk))
    b = grievance_figures(pendamping_dashboard(world.pb.user, world.pb.pk))
    assert a["by_category"]["perilaku_pendamping"]["opened"] == 0  # both cases are about A
    assert b["by_category"]["perilaku_pendamping"]["opened"] == 1  # the one of B's family
    assert b["by_category"]["belum_terdaftar"]["opened"] == 1  # lodged by B, no family
    assert (a["opened"], a["overdue_now"], b["opened"]) == (2, 1, 3)
    html = client_for(world.pa).get("/dasbor/").content.decode()
    assert "Uji perilaku_pendamping" not in html


def _page(client: Any, url: str) -> dict[str, Any]:
    """The case figures a dashboard page shows: its cards' texts and its two charts' data."""
    response = client.get(url)
    assert response.status_code == 200
    cards = {c.key: (c.value, c.detail) for c in response.context["cards"]}
    charts = response.context["chart_data"]
    return {"cards": cards, "rujukan": charts["rujukan"], "pengaduan": charts["pengaduan"]}


def _series(chart: dict[str, Any], label: str) -> dict[str, int]:
    (dataset,) = [ds for ds in chart["datasets"] if str(ds["label"]) == label]
    return dict(zip(chart["labels"], dataset["data"], strict=True))


def test_a_referral_created_and_moved_through_its_statuses_shows_on_the_next_read(
    world: World, cases: dict[str, Any]
) -> None:
    refresh()
    korkab = client_for(world.korkab)
    url = f"/dasbor/wilayah/{MAESAN}/"
    kis = cases["kis"]
    name = str(kis.name)

    def read() -> dict[str, Any]:
        page = _page(korkab, url)
        live = referral_counts(MAESAN)
        shown = {s: _series(page["rujukan"], s.title())[name] for s in ("dirujuk", "diterima", "selesai", "ditolak")}
        assert shown == {s: live["programmes"][kis.code][s] for s in shown}
        assert page["cards"]["rujukan"][0] == str(live["total"]["opened"])
        assert not StaleArea.objects.exists()
        return shown

    before = read()
    referral = referral_create(household=world.b[0], programme=kis, acting_user=world.pb.user)
    assert StaleArea.objects.filter(prefix=DESA_B).exists()
    assert read() == {**before, "dirujuk": before["dirujuk"] + 1}
    referral_accept(referral=referral, acting_user=world.pb.user)
    assert read() == {**before, "diterima": before["diterima"] + 1}
    covered = coverage_counts(MAESAN)["programmes"][kis.code]
    referral_complete(referral=referral, outcome="Kartu KIS terbit", acting_user=world.pb.user)
    assert read() == {**before, "selesai": before["selesai"] + 1}
    d = region_dashboard(world.korkab.user, MAESAN)
    assert referral_figures(d)["coverage"][kis.code] == covered + 1 == coverage_counts(MAESAN)["programmes"][kis.code]
    open_one = Referral.objects.get(household=world.a[0], programme=kis)
    referral_reject(referral=open_one, reason="Mengundurkan diri", acting_user=world.pa.user)
    assert read() == {**before, "selesai": before["selesai"] + 1, "dirujuk": before["dirujuk"] - 1, "ditolak": 1}


def test_a_grievance_lodged_and_moved_through_its_statuses_shows_on_the_next_read(
    world: World, cases: dict[str, Any]
) -> None:
    refresh()
    korkab = client_for(world.korkab)
    url = f"/dasbor/wilayah/{MAESAN}/"
    category = GrievanceCategory.objects.get(code="kartu_tertelan")

    def read() -> tuple[int, int, int, int]:
        page = _page(korkab, url)
        live = grievance_counts(MAESAN)
        chart = page["pengaduan"]
        row = (
            _series(chart, "Terbuka")[str(category.name)],
            _series(chart, "Selesai/ditutup")[str(category.name)],
            live["open_now"],
            live["escalated_open"],
        )
        assert row[:2] == (live["by_category"][category.code]["open_now"], live["by_category"][category.code]["closed"])
        assert page["cards"]["pengaduan"][0] == str(live["open_now"])
        assert f"{live['escalated_open']} dieskalasi" in page["cards"]["pengaduan"][1]
        assert not StaleArea.objects.exists()
        return row

    opened, closed, total, escalated = read()
    case = _lodge("kartu_tertelan", world.pb, household=world.b[1])
    assert read() == (opened + 1, closed, total + 1, escalated)
    grievance_take(grievance=case, acting_user=world.pb.user)
    grievance_escalate(grievance=case, acting_user=world.pb.user)
    assert read() == (opened + 1, closed, total + 1, escalated + 1)
    grievance_resolve(grievance=case, acting_user=world.korkab.user, resolution="Kartu diganti bank")
    assert read() == (opened, closed + 1, total, escalated)
    grievance_reopen(grievance=case, acting_user=world.korkab.user, reason="Kartu baru belum diterima")
    assert read()[:3] == (opened + 1, closed, total + 1)


def test_overdue_is_counted_at_the_read(world: World, cases: dict[str, Any]) -> None:
    """A case passing its due time changes no record: the read counts it (issue 5, "overdue")."""
    refresh()
    ministry = cases["ministry"].user
    case = _lodge("pin_lupa", world.pb, household=world.b[0])
    refresh()
    d = region_dashboard(ministry, MAESAN)
    assert grievance_figures(d)["by_category"]["pin_lupa"]["overdue_now"] == 0
    later = case.due_at + dt.timedelta(minutes=1)  # and the other open pin_lupa case, lodged earlier
    overdue = grievance_figures(d, now=later)["by_category"]["pin_lupa"]["overdue_now"]
    assert overdue == grievance_counts(MAESAN, now=later)["by_category"]["pin_lupa"]["overdue_now"] == 2


def test_a_case_s_events_mark_the_desa_it_was_lodged_in_after_the_family_moved(
    world: World, cases: dict[str, Any]
) -> None:
    """A case stays in the desa it was lodged in when its family moves: its later events mark that
    desa as well as the family's new one."""
    case = Grievance.objects.get(household=world.a[0])
    household_move(household=world.a[0], desa=TAMANAN_DESA, address="Jl. Baru 2", acting_user=world.operator.user)
    StaleArea.objects.all().delete()
    grievance_take(grievance=case, acting_user=world.korkab.user)
    marks = set(StaleArea.objects.values_list("prefix", "section"))
    assert marks == {(DESA_A, m.ADUAN), (TAMANAN_DESA, m.ADUAN)}
    event = AuditEvent.objects.filter(object_type="grievance", object_id=str(case.pk)).latest("pk")
    assert (DESA_A, m.ADUAN) in areas_of_events([event])
    refresh()
    assert (
        grievance_figures(region_dashboard(cases["ministry"].user, DESA_A))["open_now"]
        == (grievance_counts(DESA_A)["open_now"])
    )
