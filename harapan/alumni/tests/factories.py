"""Factories for the alumni evaluation tests (the browser test uses them too): training centres
with their staff, a programme with finished cohorts, alumni (participants who passed) in two
kabupaten, and an opened survey."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from harapan.accounts.models import Role, Staff
from harapan.testing import BONDOWOSO, JEMBER, MAESAN, make_staff
from harapan.training.models import Centre, CentreStaff, Cohort, CohortStatus, Participant, ParticipantStatus, Programme

from ..models import Survey
from ..services import questions_load_default, survey_create, survey_open

_n = itertools.count(1)
JEMBER_KECAMATAN = "35.09.01"


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def make_centre(name: str = "BBPPKS Yogyakarta", province: str = "34") -> Centre:
    return Centre.objects.create(name=name, code=f"centre-{next(_n)}", region_id=province)


def make_centre_staff(centre: Centre, **extra: Any) -> Staff:
    staff = make_staff(Role.BALAI_DIKLAT, centre.region_id, **extra)
    CentreStaff.objects.create(staff=staff, centre=centre)
    return staff


def make_programme(centre: Centre | None, name: str = "Diklat P2K2") -> Programme:
    return Programme.objects.create(name=name, centre=centre, trains_p2k2=True)


def make_cohort(
    programme: Programme, centre: Centre, *, number: int | None = None, ends_on: dt.date = dt.date(2026, 3, 20)
) -> Cohort:
    return Cohort.objects.create(
        programme=programme,
        number=number or next(_n),
        centre=centre,
        starts_on=ends_on - dt.timedelta(days=10),
        ends_on=ends_on,
        status=CohortStatus.FINISHED,
    )


def make_alumnus(
    cohort: Cohort,
    staff: Staff,
    *,
    status: str = ParticipantStatus.PASSED,
    completed_on: dt.date | None = None,
) -> Participant:
    return Participant.objects.create(
        cohort=cohort,
        staff=staff,
        region_id=str(staff.region_id)[:5],
        status=status,
        nominated_at=at(cohort.starts_on - dt.timedelta(days=20)),
        completed_on=completed_on or (cohort.ends_on if status == ParticipantStatus.PASSED else None),
    )


@dataclass
class World:
    centre: Centre
    other_centre: Centre
    programme: Programme
    cohort: Cohort
    other_cohort: Cohort  # same programme, at the other centre
    centre_staff: Staff
    other_centre_staff: Staff
    ministry: Staff
    korkab: Staff  # Bondowoso
    korkab_jember: Staff
    operator: Staff
    pendamping: list[Staff]  # Bondowoso alumni: Pendamping A, B, C
    pendamping_jember: Staff
    failed: Staff  # in the cohort, did not pass
    other_alumnus: Staff  # alumnus of the other centre's cohort


def build_world() -> World:
    """Two centres running one national programme, their staff, the ministry, korkabs of Bondowoso
    and Jember, an operator, and the alumni: three in Bondowoso and one in Jember who passed, one who
    failed, and one of the other centre's cohort."""
    centre = make_centre()
    other = make_centre("BBPPKS Banjarmasin", "63")
    programme = make_programme(None)
    cohort = make_cohort(programme, centre, number=10)
    other_cohort = make_cohort(programme, other, number=11)
    pendamping = []
    for i in range(3):
        p = make_staff(Role.PENDAMPING, MAESAN, username=f"pdp{i}", full_name=f"Pendamping {chr(65 + i)}")
        make_alumnus(cohort, p)
        pendamping.append(p)
    jember = make_staff(Role.PENDAMPING, JEMBER_KECAMATAN, username="pdp_jbr", full_name="Pendamping J")
    make_alumnus(cohort, jember)
    failed = make_staff(Role.PENDAMPING, MAESAN, username="pdp_gagal", full_name="Pendamping Gagal")
    make_alumnus(cohort, failed, status=ParticipantStatus.FAILED)
    other_alumnus = make_staff(Role.PENDAMPING, MAESAN, username="pdp_bjm", full_name="Pendamping Lain")
    make_alumnus(other_cohort, other_alumnus)
    return World(
        centre=centre,
        other_centre=other,
        programme=programme,
        cohort=cohort,
        other_cohort=other_cohort,
        centre_staff=make_centre_staff(centre, username="balai_yogya", full_name="Balai Yogya"),
        other_centre_staff=make_centre_staff(other, username="balai_bjm", full_name="Balai Banjarmasin"),
        ministry=make_staff(Role.MINISTRY, None, username="kemensos"),
        korkab=make_staff(Role.KORKAB, BONDOWOSO, username="korkab_bdw"),
        korkab_jember=make_staff(Role.KORKAB, JEMBER, username="korkab_jbr"),
        operator=make_staff(Role.OPERATOR, BONDOWOSO, username="operator_bdw"),
        pendamping=pendamping,
        pendamping_jember=jember,
        failed=failed,
        other_alumnus=other_alumnus,
    )


def open_survey(w: World, *, user: Staff | None = None, day: dt.date | None = None, **extra: Any) -> Survey:
    """A survey of the centre's cohort with the default questions, opened on ``day`` (today)."""
    day = day or timezone.localdate()
    acting = (user or w.centre_staff).user
    survey = survey_create(
        programme=w.programme,
        title=extra.pop("title", "Evaluasi Alumni Diklat P2K2 Angkatan 10"),
        cohorts=extra.pop("cohorts", [w.cohort]),
        opens_on=extra.pop("opens_on", day),
        closes_on=extra.pop("closes_on", day + dt.timedelta(days=30)),
        acting_user=acting,
        **extra,
    )
    questions_load_default(survey=survey, acting_user=acting)
    survey_open(survey=survey, acting_user=acting, base_url="https://harapan.test", now=at(day, 9))
    survey.refresh_from_db()
    return survey


def full_answers(survey: Survey, **override: Any) -> dict[int, Any]:
    """An entry for every question of the default set (by key), overridable by key."""
    values: dict[str, Any] = {
        "usia": "29",
        "jenis_kelamin": "p",
        "pendidikan": "s1",
        "jurusan": "pendidikan",
        "jumlah_kpm": "195",
        "graduasi_mandiri": "10",
        "jumlah_kelompok": "5",
        "p2k2_per_bulan": "5",
        "kehadiran": "85",
        "modul_disampaikan": ["m1", "m2", "m3"],
        "modul_berurutan": "ya",
        "sesuai_modul": "ya",
        "kpm_menerapkan": "50,09",
        "diskusi_alumni": "4",
        "materi_pribadi": "5",
        "teknik_fasilitasi": "4",
        "saran": "Pelatihan kewirausahaan.",
        **override,
    }
    return {q.pk: values[q.key] for q in survey.questions.all() if q.key in values}
