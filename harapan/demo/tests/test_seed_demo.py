"""``seed_demo``: logins for every role, families through the KPM import, idempotent by refusal."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from harapan.accounts.models import Role, Staff
from harapan.audit.models import AuditEvent
from harapan.demo.generator import generate_families
from harapan.demo.kpm_file import InjectedError, inject_errors
from harapan.demo.plan import plan_district
from harapan.demo.selectors import district_load
from harapan.demo.services import DEMO_PASSWORD
from harapan.imports.models import ImportRun
from harapan.imports.pipeline import import_families
from harapan.registry.models import Household, Member
from harapan.testing import make_staff

AS_OF = "2025-11-03"


def _seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_demo", "--families", "300", "--as-of", AS_OF, *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_seed_demo_creates_a_login_per_role_and_the_families_through_the_import() -> None:
    """RULES.md: People and ratios — one login per role; about 200 families per pendamping, each
    pendamping in one kecamatan; every family created by the import and audited."""
    output = _seed()
    staff = {s.user.username: s for s in Staff.objects.select_related("user")}
    expected = {
        "kemensos": (Role.MINISTRY, None),
        "dinsos_prov": (Role.DINSOS_PROV, "35"),
        "dinsos_kab": (Role.DINSOS_KAB, "35.11"),
        "korkab": (Role.KORKAB, "35.11"),
        "supervisor": (Role.SUPERVISOR, "35.11"),
        "operator": (Role.OPERATOR, "35.11"),
        "pendamping": (Role.PENDAMPING, "35.11.01"),
    }
    for username, (role, region) in expected.items():
        assert (staff[username].role, staff[username].region_id) == (role, region)
        assert staff[username].user.check_password(DEMO_PASSWORD)
        assert username in output
    pendamping = [s for s in staff.values() if s.role == Role.PENDAMPING]
    assert len(pendamping) == 2
    assert "harapan-demo" in output and "Maesan" in output

    households = Household.objects.filter(desa__code__startswith="35.11.")
    assert households.count() == 300
    assert not households.filter(pendamping=None).exists()
    for h in households.select_related("pendamping"):
        assert h.pendamping is not None
        assert h.desa_id.rsplit(".", 1)[0] == h.pendamping.region_id
        assert h.kelompok_label
    assert Member.objects.filter(household__in=households).count() > 900
    run = ImportRun.objects.get()
    assert (run.families_created, run.families_rejected) == (300, 0)
    created = AuditEvent.objects.filter(action="household_created", source=run.source)
    assert created.count() == 300


@pytest.mark.django_db
def test_seed_demo_twice_refuses_and_never_duplicates() -> None:
    _seed()
    families, members, users = Household.objects.count(), Member.objects.count(), get_user_model().objects.count()
    with pytest.raises(CommandError, match="sudah berisi 300 KPM"):
        _seed()
    output = _seed("--if-empty")
    assert "sudah berisi 300 KPM" in output and "korkab" in output
    assert (Household.objects.count(), Member.objects.count(), get_user_model().objects.count()) == (
        families,
        members,
        users,
    )
    assert ImportRun.objects.count() == 1


@pytest.mark.django_db
def test_demo_file_with_mistakes_is_rejected_row_by_row_by_the_import() -> None:
    """RULES.md: Identity numbers — each deliberate mistake in the demo upload file is a reject."""
    district = district_load("35.11")
    plan = plan_district(district, families=200, seed=5)
    operator = make_staff(Role.OPERATOR, "35.11", username="op_bondowoso").user
    make_staff(Role.PENDAMPING, "35.11.01", username="pendamping")
    as_of = dt.date.fromisoformat(AS_OF)
    found: list[InjectedError] = []
    families = inject_errors(generate_families(plan, as_of=as_of), every=20, found=found)
    run = ImportRun.objects.create(started_by=operator, region_id="35.11", as_of=as_of)
    run = import_families(families, run=run, acting_user=operator, as_of=as_of, chunk_size=50)
    assert run.families_rejected == len(found) == 10
    assert run.families_created == 190
    rejects = {(r.sheet, r.row): r.rule for r in run.rejects.exclude(rule="keluarga_ditolak")}
    expected = {
        "nik_15_digit": "nik_16_digit",
        "nik_tanggal_lahir": "nik_tanggal_lahir",
        "desa_tidak_dikenal": "desa_tidak_dikenal",
        "nik_ganda": "nik_ganda_di_berkas",
        "nik_jenis_kelamin": "nik_jenis_kelamin",
    }
    assert set(rejects) == {(e.sheet, e.row) for e in found}  # each mistake, and nothing else
    for e in found:
        assert rejects[(e.sheet, e.row)] == expected[e.kind], e


@pytest.mark.django_db
def test_demo_pupils_have_been_at_school_since_they_entered_their_level() -> None:
    """A tahap with a cut-off before the seed date still finds the demo's school components
    (RULES.md: Components and amounts — the level comes from enrolment): grade g of SD since
    1 July g - 1 school years ago, SMP from grade 7, SMA from grade 10."""
    from harapan.registry.models import SchoolEnrolment

    _seed()
    enrolments = list(SchoolEnrolment.objects.select_related("member"))
    assert enrolments
    school_year = 2025  # AS_OF is in November 2025
    first = {"SD": 1, "SMP": 7, "SMA": 10}
    previous = {e.member_id: e for e in enrolments if e.valid_to is not None}
    for e in enrolments:
        assert e.grade is not None
        # The level a pupil finished in June ran in the school year before.
        year = school_year if e.valid_to is None else school_year - 1
        assert e.valid_from == dt.date(year - (e.grade - first[e.level]), 7, 1)
        assert e.valid_from > e.member.birth_date
        if e.valid_to is None and e.grade in (7, 10):
            # Moved up to SMP or SMA this school year: SD 6 or SMP 9 until 30 June.
            before = previous[e.member_id]
            assert (before.level, before.grade) == ({7: "SD", 10: "SMP"}[e.grade], e.grade - 1)
            assert before.valid_to == dt.date(school_year, 6, 30)
            assert before.nisn == e.nisn and before.npsn
    assert set(previous) <= {e.member_id for e in enrolments if e.valid_to is None and e.grade in (7, 10)}
