"""Figures always consistent with the records (issue 5: "a test changes a record and sees the
figure change"): a change made through the normal service writes its audit events, the audit
trail marks the desa or region stale, and the next dashboard read refreshes it before reading.
Larger changes, and a new day, go to the background task; the page says so."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone

from harapan.audit.models import AuditEvent
from harapan.audit.services import audit_event, audit_events_save
from harapan.benefits.models import BenefitAmount, BenefitIndex, TahapShare
from harapan.benefits.seeds import load_benefit_indexes
from harapan.dashboards import metrics as m
from harapan.dashboards.models import FigureArea, StaleArea
from harapan.dashboards.services import mark_stale, stale_refresh_pending
from harapan.dashboards.stale import IGNORED_OBJECTS, OBJECT_AREAS, areas_of_events
from harapan.grievances.models import GrievanceCategory
from harapan.grievances.services import grievance_lodge
from harapan.groups.models import Kelompok
from harapan.meetings.models import Meeting
from harapan.meetings.services import attendance_record, meeting_cancel
from harapan.payroll.models import DanaSharing, ResultImport, Tahap
from harapan.payroll.services import dana_sharing_record, tahap_compute, tahap_open
from harapan.referrals.models import Programme, Referral
from harapan.referrals.services import referral_create
from harapan.registry.models import HouseholdStatus
from harapan.registry.services import household_move, household_set_status
from harapan.testing import BONDOWOSO, MAESAN, make_household, make_staff

from . import conftest as c
from .conftest import DESA_A, DESA_B, TAMANAN_DESA, World, card, client_for, fig, refresh

pytestmark = pytest.mark.django_db


def _kpm(html: str) -> str:
    return card(html, "kpm")


def test_attendance_recorded_shows_on_the_next_read(world: World) -> None:
    kelompok = c.make_group("K-1", DESA_A, world.pa, world.a)
    meeting = Meeting.objects.create(kelompok=kelompok, scheduled_on=c.days_ago(1))
    refresh()
    own = client_for(world.pa)
    assert card(own.get("/dasbor/").content.decode(), "kehadiran") == "–"
    attendance_record(
        meeting=meeting,
        marks={world.a[0].pk: ("hadir", ""), world.a[1].pk: ("hadir", ""), world.a[2].pk: ("alpa", "")},
        acting_user=world.pa.user,
    )
    assert StaleArea.objects.filter(prefix=DESA_A).exists()
    assert card(own.get("/dasbor/").content.decode(), "kehadiran") == "66,7%"
    html = client_for(world.korkab).get(f"/dasbor/wilayah/{MAESAN}/").content.decode()
    assert card(html, "kehadiran") == "66,7%" and card(html, "pertemuan") == "1"
    assert not StaleArea.objects.exists()


def test_family_status_change_shows_on_the_next_read(world: World) -> None:
    refresh()
    korkab = client_for(world.korkab)
    assert "aktif 6," in korkab.get("/dasbor/").content.decode()
    household_set_status(
        household=world.a[0],
        status=HouseholdStatus.DITANGGUHKAN,
        valid_from=timezone.localdate(),
        reason="Tiga kali tidak hadir P2K2",
        acting_user=world.operator.user,
    )
    html = korkab.get("/dasbor/").content.decode()
    assert "aktif 5, ditangguhkan 1" in html
    assert fig(f"p:{world.pa.pk}", "kpm_ditangguhkan") == 1


def test_tahap_computed_shows_on_the_next_read(world: World) -> None:
    load_benefit_indexes(BenefitIndex, BenefitAmount, TahapShare)
    for h in [*world.a, *world.b]:
        h.members.create(nik=None, no_kk=h.no_kk, name="Balita", sex="L", birth_date=c.days_ago(400), relationship=3)
    c.give_accounts(*world.a, *world.b)
    refresh()
    korkab = client_for(world.korkab)
    assert card(korkab.get("/dasbor/").content.decode(), "penyaluran") == "–"
    today = timezone.localdate()
    tahap = tahap_open(region_code=BONDOWOSO, year=today.year, number=2, cut_off=today, acting_user=world.operator.user)
    tahap_compute(tahap=tahap, acting_user=world.operator.user)
    assert StaleArea.objects.filter(prefix=BONDOWOSO, section=m.BAYAR).exists()
    html = korkab.get("/dasbor/").content.decode()
    assert f"Penyaluran Tahap 2/{today.year}" in html and "dari 5 KPM" in html
    assert card(html, "penyaluran") == "0,0%"


def test_grievance_lodged_shows_on_the_next_read(world: World) -> None:
    refresh()
    korkab = client_for(world.korkab)
    grievance_lodge(
        category=GrievanceCategory.objects.get(code="pin_lupa"),
        description="Lupa PIN",
        lodged_by_name="Ibu A",
        lodged_by_kind="kpm",
        channel="langsung",
        acting_user=world.pa.user,
        household=world.a[0],
    )
    html = korkab.get(f"/dasbor/wilayah/{MAESAN}/").content.decode()
    assert card(html, "pengaduan") == "1"
    row = html.split(f'data-testid="child-row-{DESA_A}"', 1)[1].split("</tr>", 1)[0]
    assert 'data-label="Pengaduan terbuka">1<' in row
    assert fig(DESA_A, "aduan_terbuka") == 1


def test_family_moved_to_another_desa_changes_both(world: World) -> None:
    refresh()
    household_move(household=world.a[0], desa=TAMANAN_DESA, address="Jl. Baru 1", acting_user=world.operator.user)
    korkab = client_for(world.korkab)
    assert _kpm(korkab.get(f"/dasbor/wilayah/{MAESAN}/").content.decode()) == "4"
    assert _kpm(korkab.get("/dasbor/wilayah/35.11.02/").content.decode()) == "2"
    assert (fig(DESA_A, "kpm_aktif"), fig(TAMANAN_DESA, "kpm_aktif")) == (2, 2)
    assert fig(f"p:{world.pa.pk}", "kpm_aktif") == 2  # leaving the kecamatan releases the pendamping


def test_meeting_cancelled_without_families_marks_its_groups_desa(world: World) -> None:
    kelompok = c.make_group("K-1", DESA_B, world.pb, world.b)
    meeting = Meeting.objects.create(kelompok=kelompok, scheduled_on=c.days_ago(0))
    refresh()
    meeting_cancel(meeting=meeting, acting_user=world.pb.user, note="Banjir")
    html = client_for(world.pb).get("/dasbor/").content.decode()
    assert "1 dibatalkan" in html and fig(DESA_B, "pertemuan_dibatalkan", f"{meeting.scheduled_on:%Y-%m}") == 1


def _event(obj: Any, household_id: int | None = None, **kw: Any) -> AuditEvent:
    return audit_event(action="uji", obj=obj, actor=None, source="uji", household_id=household_id, **kw)


def test_each_kind_of_audit_event_marks_the_area_it_changes(world: World) -> None:
    """The map from audit events to stale areas, one kind of object at a time; objects that change
    no figure mark nothing."""
    kelompok = c.make_group("K-1", DESA_B, world.pb, [])
    meeting = Meeting.objects.create(kelompok=kelompok, scheduled_on=c.days_ago(3))
    load_benefit_indexes(BenefitIndex, BenefitAmount, TahapShare)
    tahap = tahap_open(
        region_code=BONDOWOSO, year=2026, number=3, cut_off=c.days_ago(1), acting_user=world.operator.user
    )
    national = Tahap.objects.create(
        year=2026, number=4, cut_off=c.days_ago(1), benefit_index=tahap.benefit_index, opened_by=world.operator.user
    )
    result = ResultImport.objects.create(
        tahap=tahap, bank="BRI", file_name="x.csv", sha256="0" * 64, started_by=world.operator.user
    )
    record = dana_sharing_record(kabupaten_code=BONDOWOSO, year=2026, apbd_amount=1, acting_user=world.dinsos.user)
    grievance = grievance_lodge(
        category=GrievanceCategory.objects.get(code="belum_terdaftar"),
        description="Keluarga miskin belum terdaftar",
        lodged_by_name="Kepala desa",
        lodged_by_kind="aparat_desa",
        channel="surat",
        acting_user=world.operator.user,
        desa=TAMANAN_DESA,
    )
    programme = Programme.objects.filter(target="keluarga").order_by("pk")[0]
    referral = referral_create(household=world.tamanan, programme=programme, acting_user=world.operator.user)
    cases = {
        "household": (_event(world.a[0], world.a[0].pk), {(DESA_A, "")}),
        "move": (
            _event(world.a[0], world.a[0].pk, before={"desa": DESA_B}, after={"desa": DESA_A}),
            {(DESA_A, ""), (DESA_B, "")},
        ),
        "tahap": (_event(tahap), {(BONDOWOSO, m.BAYAR)}),
        "tahap nasional": (_event(national), {("", m.BAYAR)}),
        "resultimport": (_event(result), {(BONDOWOSO, m.BAYAR)}),
        "danasharing": (_event(record), {(BONDOWOSO, m.DANA)}),
        "meeting": (_event(meeting), {(DESA_B, m.P2K2)}),
        "meeting with a family": (_event(meeting, world.a[0].pk), {(DESA_A, ""), (DESA_B, m.P2K2)}),
        "kelompok": (_event(kelompok), {(DESA_B, m.P2K2)}),
        "grievance": (_event(grievance), {(TAMANAN_DESA, m.ADUAN)}),
        "referral": (_event(referral), {(TAMANAN_DESA, m.RUJUKAN)}),
        # A family's case marks only its own section of the family's desa.
        "referral of a family": (_event(referral, world.tamanan.pk), {(TAMANAN_DESA, m.RUJUKAN)}),
        "grievance of a family": (_event(grievance, world.tamanan.pk), {(TAMANAN_DESA, m.ADUAN)}),
    }
    for name, (event, expected) in cases.items():
        assert areas_of_events([event]) == expected, name
    # With another change to the family in the same batch: every section.
    both = [_event(referral, world.tamanan.pk), _event(world.tamanan, world.tamanan.pk)]
    assert areas_of_events(both) == {(TAMANAN_DESA, "")}
    assert set(OBJECT_AREAS) == {"tahap", "resultimport", "danasharing", "meeting", "kelompok", "grievance", "referral"}
    index = BenefitIndex.objects.order_by("pk")[0]
    assert str(index._meta.model_name) in IGNORED_OBJECTS and areas_of_events([_event(index)]) == set()
    assert {DanaSharing._meta.model_name, Kelompok._meta.model_name, Referral._meta.model_name} <= set(OBJECT_AREAS)


def test_bulk_and_single_audit_writes_both_mark(world: World) -> None:
    StaleArea.objects.all().delete()
    audit_events_save([_event(world.a[0], world.a[0].pk), _event(world.b[0], world.b[0].pk)])
    assert set(StaleArea.objects.values_list("prefix", "section")) == {(DESA_A, ""), (DESA_B, "")}
    _event(world.tamanan, world.tamanan.pk).save()
    assert StaleArea.objects.filter(prefix=TAMANAN_DESA).count() == 1


def test_new_pendamping_staff_marks_their_kecamatan(world: World) -> None:
    refresh()
    make_staff("pendamping", MAESAN, full_name="Bu Baru")
    assert StaleArea.objects.filter(prefix=MAESAN, section=m.STAF).exists()
    html = client_for(world.korkab).get(f"/dasbor/wilayah/{MAESAN}/").content.decode()
    assert card(html, "pendamping") == "3"


@override_settings(HARAPAN={"dashboards": {"SYNC_REFRESH_MAX_COST": 0}})
def test_a_change_too_large_to_wait_for_goes_to_the_background(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    refresh()
    make_household(desa=DESA_A, pendamping=world.pa)
    mark_stale([(BONDOWOSO, "")])
    korkab = client_for(world.korkab)
    with django_capture_on_commit_callbacks() as queued:
        html = korkab.get("/dasbor/").content.decode()
    assert 'data-testid="dashboard-pending"' in html and _kpm(html) == "6"
    assert StaleArea.objects.get().queued_at is not None and len(queued) == 1
    stale_refresh_pending()  # what the task runs
    assert not StaleArea.objects.exists()
    html = korkab.get("/dasbor/").content.decode()
    assert _kpm(html) == "7" and 'data-testid="dashboard-pending"' not in html


def test_figures_from_before_today_show_their_date_and_queue_a_refresh(world: World) -> None:
    refresh()
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    FigureArea.objects.filter(area=BONDOWOSO).update(components_on=yesterday)
    korkab = client_for(world.korkab)
    html = korkab.get("/dasbor/").content.decode()
    assert 'data-testid="dashboard-old"' in html and f"{yesterday:%d-%m-%Y}" in html
    marks = list(StaleArea.objects.all())
    assert [(mk.prefix, mk.cause) for mk in marks] == [(BONDOWOSO, StaleArea.Cause.HARI_BARU)]
    korkab.get("/dasbor/")
    assert StaleArea.objects.count() == 1  # queued once a day
    stale_refresh_pending()
    assert FigureArea.objects.get(area=BONDOWOSO).components_on == timezone.localdate()
    assert 'data-testid="dashboard-old"' not in korkab.get("/dasbor/").content.decode()


def test_a_change_marked_while_a_refresh_runs_survives_its_clean_up(world: World) -> None:
    """A refresh deletes only the marks as it read them: a change marked again meanwhile keeps its
    mark for the next read (StaleArea)."""
    from harapan.dashboards.services import marks_clear as _clear

    mark_stale([(DESA_A, "")])
    read = list(StaleArea.objects.all())
    mark_stale([(DESA_A, "")])  # another change to the desa, after the refresh read its marks
    _clear(read)
    assert StaleArea.objects.filter(prefix=DESA_A).count() == 1
    _clear(list(StaleArea.objects.all()))
    assert not StaleArea.objects.exists()


def test_a_finished_kpm_import_marks_its_region(world: World) -> None:
    """The KPM import writes its audit rows itself (without the signal): its run, when finished,
    marks its region."""
    from harapan.imports.models import ImportRun, RunStatus

    StaleArea.objects.all().delete()
    run = ImportRun.objects.create(region_id=BONDOWOSO, status=RunStatus.RUNNING)
    assert not StaleArea.objects.exists()
    run.status = RunStatus.DONE
    run.save()
    assert list(StaleArea.objects.values_list("prefix", "section")) == [(BONDOWOSO, "")]
