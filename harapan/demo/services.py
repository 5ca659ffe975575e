"""Writes of the demo: the demo logins (one per role, every pendamping of the plan), and the school
history the seed dates back so a tahap cut-off before the seed date finds the pupils' components.

Users are created in bulk with one password hash computed once: hashing ``harapan-demo`` 300 times
with Django's PBKDF2 would take minutes; the shared demo password makes the shared hash harmless.
"""

from __future__ import annotations

import datetime as dt
import zlib
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from harapan.accounts.models import Role, Staff
from harapan.regions.models import Region
from harapan.registry.models import SchoolEnrolment

from .plan import DEFAULT_KABUPATEN, DistrictPlan, username_suffix

DEMO_PASSWORD = "harapan-demo"


@dataclass(frozen=True)
class DemoLogin:
    role: str
    username: str
    full_name: str
    region: str | None
    area: str  # the working area as the login table prints it


def demo_logins(plan: DistrictPlan) -> list[DemoLogin]:
    """One login per role for the plan's district, then every pendamping (the first is ``pendamping``).

    Usernames are the role names (``korkab``; ``kemensos`` for the ministry) in the default district
    and carry the district's digits elsewhere (``korkab-3509``); the provincial login is shared by
    the districts of one province.
    """
    d = plan.district
    sfx = username_suffix(d.code)
    prov_sfx = "" if d.province_code == DEFAULT_KABUPATEN.split(".")[0] else f"-{d.province_code}"
    kab_area = f"{d.name} ({d.code})"
    out = [
        DemoLogin(Role.MINISTRY, "kemensos", "Direktorat Jaminan Sosial Keluarga", None, "Nasional"),
        DemoLogin(
            Role.DINSOS_PROV,
            f"dinsos_prov{prov_sfx}",
            f"Dinas Sosial Provinsi {d.province_name}",
            d.province_code,
            f"Provinsi {d.province_name} ({d.province_code})",
        ),
        DemoLogin(Role.DINSOS_KAB, f"dinsos_kab{sfx}", f"Dinas Sosial {d.name}", d.code, kab_area),
        DemoLogin(Role.KORKAB, f"korkab{sfx}", f"Koordinator PKH {d.name}", d.code, kab_area),
        DemoLogin(Role.SUPERVISOR, f"supervisor{sfx}", f"Supervisor PKH {d.name}", d.code, kab_area),
        DemoLogin(Role.OPERATOR, f"operator{sfx}", f"Operator PKH {d.name}", d.code, kab_area),
    ]
    for p in plan.pendamping:
        area = f"Kecamatan {p.kecamatan.name} ({p.kecamatan.code}): {p.families} KPM, {len(p.groups)} kelompok"
        out.append(DemoLogin(Role.PENDAMPING, p.username, p.full_name, p.kecamatan.code, area))
    return out


@transaction.atomic
def demo_staff_ensure(logins: list[DemoLogin]) -> int:
    """Create the users and staff records of ``logins`` that do not exist yet (idempotent: an
    existing username is left as it is). Returns how many were created."""
    User = get_user_model()
    existing = set(User.objects.filter(username__in=[lg.username for lg in logins]).values_list("username", flat=True))
    missing = [lg for lg in logins if lg.username not in existing]
    if not missing:
        return 0
    password = make_password(DEMO_PASSWORD)
    User.objects.bulk_create([User(username=lg.username, password=password, is_active=True) for lg in missing])
    ids = dict(User.objects.filter(username__in=[lg.username for lg in missing]).values_list("username", "id"))
    Staff.objects.bulk_create(
        [Staff(user_id=ids[lg.username], role=lg.role, region_id=lg.region, full_name=lg.full_name) for lg in missing]
    )
    return len(missing)


def school_history_backdate(*, as_of: dt.date) -> int:
    """Date the demo pupils' enrolments from the school year they entered their level.

    The KPM import records an enrolment from the file's date (a file states the situation on its
    date, FORMATS.md §6.1 has no start column), so a freshly seeded district would have had no
    pupil before the seed date and a tahap with an earlier cut-off would find no school component.
    The demo's children have been at school all along: a pupil in grade g of SD entered SD on
    1 July, g - 1 school years before the current one (SMP from grade 7, SMA from grade 10).
    Set-based: one UPDATE per level and grade. Returns the number of enrolments changed."""
    school_year = as_of.year if as_of.month >= 7 else as_of.year - 1
    first_grade = {"SD": 1, "SMP": 7, "SMA": 10}
    changed = 0
    for level, first in first_grade.items():
        for grade in range(first, first + (6 if level == "SD" else 3)):
            changed += SchoolEnrolment.objects.filter(
                level=level, grade=grade, valid_from=as_of, valid_to__isnull=True
            ).update(valid_from=dt.date(school_year - (grade - first), 7, 1))
    return changed


# The level a pupil in the first grade of a level finished the school year before, and its grade.
PREVIOUS_LEVEL = {"SMP": ("SD", 6), "SMA": ("SMP", 9)}


def previous_level_enrol(*, as_of: dt.date) -> int:
    """Give the demo's pupils in the first grade of SMP or SMA the level they finished in June.

    The KPM file holds each pupil's current level only, so a pupil who moved up to SMP in July had
    no enrolment before it, and a tahap with a cut-off in the first half of the school year found
    no school component for them (a family wrongly without components: graduasi alamiah). Their SD
    (or SMP) enrolment runs from the school year they entered that level to 30 June, at the school a
    pupil of their desa (or kecamatan) goes to, with the same NISN. Set-based: one read, one bulk
    insert; pupils that already have an earlier enrolment are left alone. Returns how many."""
    school_year = as_of.year if as_of.month >= 7 else as_of.year - 1
    first_grade = {"SMP": 7, "SMA": 10}
    current = SchoolEnrolment.objects.filter(
        valid_to__isnull=True,
        valid_from=dt.date(school_year, 7, 1),
        level__in=list(first_grade),
        grade__in=list(first_grade.values()),
    )
    earlier = set(
        SchoolEnrolment.objects.filter(
            member_id__in=current.values("member_id"), valid_from__lt=dt.date(school_year, 7, 1)
        ).values_list("member_id", flat=True)
    )
    rows = [
        r
        for r in current.values_list("member_id", "level", "grade", "nisn", "member__household__desa_id")
        if r[0] not in earlier and first_grade[r[1]] == r[2]
    ]
    names = dict(
        Region.objects.filter(code__in={d for *_r, d in rows} | {d.rsplit(".", 1)[0] for *_r, d in rows}).values_list(
            "code", "name"
        )
    )
    create = []
    for member_id, level, _grade, nisn, desa in rows:
        before, last_grade = PREVIOUS_LEVEL[level]
        kecamatan = desa.rsplit(".", 1)[0]
        # Named and numbered as the generator names a school of the desa (SD) or kecamatan (SMP).
        school = f"SDN {names.get(desa, '')} 1" if before == "SD" else f"SMPN 1 {names.get(kecamatan, '')}"
        years = last_grade - (1 if before == "SD" else 7)
        create.append(
            SchoolEnrolment(
                member_id=member_id,
                level=before,
                grade=last_grade,
                npsn=f"205{zlib.crc32(f'{kecamatan}{school}'.encode()) % 100000:05d}",
                nisn=nisn,
                school_name=school,
                valid_from=dt.date(school_year - 1 - years, 7, 1),
                valid_to=dt.date(school_year, 6, 30),
            )
        )
    SchoolEnrolment.objects.bulk_create(create, batch_size=2000)
    return len(create)
