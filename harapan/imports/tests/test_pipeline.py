"""The KPM import core (``import_families``) on the real database: what a valid family creates,
how every kind of bad row is reported, idempotent re-imports, audited changes, and what an
interrupted or refused write leaves behind (FORMATS.md §6.1; RULES.md "Identity numbers")."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from harapan.accounts.models import Role
from harapan.audit.models import AuditEvent
from harapan.imports.models import ImportRun, RunStatus
from harapan.imports.pipeline import FamilyRows, import_families
from harapan.registry.models import (
    DisabilityAssessment,
    Household,
    HouseholdStatus,
    HouseholdStatusPeriod,
    Member,
    Pregnancy,
    SchoolEnrolment,
)
from harapan.registry.rules import compose_nik
from harapan.testing import BONDOWOSO, JEMBER, make_household, make_staff

from .kpm import AS_OF, JEMBER_DESA, MAESAN_DESA, Family, as_rows, family, row_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator() -> Any:
    return make_staff(Role.OPERATOR, BONDOWOSO, username="op_bdw").user


def run_import(rows: Any, user: Any, *, as_of: dt.date = AS_OF, chunk_size: int = 1000) -> ImportRun:
    run = ImportRun.objects.create(started_by=user, region_id=BONDOWOSO, as_of=as_of)
    return import_families(rows, run=run, acting_user=user, as_of=as_of, chunk_size=chunk_size)


def rejects_of(run: ImportRun) -> dict[tuple[str, int], list[tuple[str, str]]]:
    out: dict[tuple[str, int], list[tuple[str, str]]] = {}
    for r in run.rejects.all():
        out.setdefault((r.sheet, r.row), []).append((r.field, r.rule))
    return out


def test_valid_family_creates_household_members_facts_and_audit(operator: Any) -> None:
    """FORMATS.md §6.1: a KELUARGA row and its ART rows become one KPM with members, the carer,
    the status history and the dated facts behind components; every row audited."""
    f = family(children=[(dt.date(2014, 8, 17), "SD"), (dt.date(2010, 2, 1), "SMP")])
    f.art[1].update(STA_HAMIL="1", TGL_MULAI_HAMIL="2025-09-01", NAMA_IBU_KANDUNG="")
    f.art[2]["DISABILITAS_BERAT"] = "Y"
    f.keluarga.update(TGL_STATUS="2024-01-01", KELOMPOK="MAWAR 01")
    run = run_import(as_rows([f]), operator)

    assert run.status == RunStatus.DONE
    assert (run.families_seen, run.families_created, run.families_rejected, run.members_created) == (1, 1, 0, 4)
    h = Household.objects.get(pkh_id=f.pkh_id)
    assert (h.desa_id, h.status, h.status_since, h.no_kk, h.kelompok_label, h.bank) == (
        MAESAN_DESA,
        HouseholdStatus.AKTIF,
        dt.date(2024, 1, 1),
        f.keluarga["NOKK"],
        "MAWAR 01",
        "BRI",
    )
    members = {m.nik: m for m in h.members.all()}
    wife = members[f.art[1]["NIK"]]
    assert wife.is_carer and wife.mother_name == "SUMIATI"  # from NAMA_IBU_KANDUNG_PENGURUS
    assert all(m.is_active for m in members.values())
    assert sum(m.is_carer for m in members.values()) == 1
    assert Pregnancy.objects.get(member=wife).valid_from == dt.date(2025, 9, 1)
    levels = {e.member.nik: e.level for e in SchoolEnrolment.objects.select_related("member")}
    assert levels == {f.art[2]["NIK"]: "SD", f.art[3]["NIK"]: "SMP"}
    assert SchoolEnrolment.objects.filter(valid_from=AS_OF).count() == 2
    assert DisabilityAssessment.objects.get(member__nik=f.art[2]["NIK"]).valid_from == AS_OF
    assert list(HouseholdStatusPeriod.objects.filter(household=h).values_list("status", "valid_from", "valid_to")) == [
        ("aktif", dt.date(2024, 1, 1), None)
    ]
    events = AuditEvent.objects.filter(source=f"import:{run.pk}")
    assert sorted(events.values_list("action", flat=True)) == ["household_created"] + ["member_created"] * 4
    assert set(events.values_list("actor_id", flat=True)) == {operator.pk}
    created = events.get(action="member_created", object_id=str(wife.pk)).after
    assert created["nik"] == f.art[1]["NIK"] and created["is_carer"] is True
    assert created["hamil"] == {"sejak": "2025-09-01"}


def test_newborn_without_nik_is_imported_but_an_older_child_without_nik_is_not(operator: Any) -> None:
    """FORMATS.md §6.1: ART.NIK may be empty for a newborn only."""
    baby = family(children=[(AS_OF - dt.timedelta(days=40), "")])
    baby.art[2]["NIK"] = ""
    older = family(children=[(dt.date(2020, 5, 1), "")])
    older.art[2]["NIK"] = ""
    rows = as_rows([baby, older])
    run = run_import(rows, operator)
    assert (run.families_created, run.families_rejected) == (1, 1)
    assert Member.objects.get(household__pkh_id=baby.pkh_id, relationship=3).nik is None
    assert ("NIK", "nik_wajib") in rejects_of(run)[("ART", row_of(rows, older.pkh_id, 2))]


def _nik_wrong_length(f: Family) -> tuple[str, int | None, str, str]:
    f.art[0]["NIK"] = f.art[0]["NIK"][:15]
    return "ART", 0, "NIK", "nik_16_digit"


def _nik_unknown_kecamatan(f: Family) -> tuple[str, int | None, str, str]:
    f.art[0]["NIK"] = "351199" + f.art[0]["NIK"][6:]
    return "ART", 0, "NIK", "nik_wilayah"


def _nik_birth_date_mismatch(f: Family) -> tuple[str, int | None, str, str]:
    f.art[0]["TGLLAHIR"] = "1985-03-15"
    return "ART", 0, "NIK", "nik_tanggal_lahir"


def _nik_plus_40_for_women(f: Family) -> tuple[str, int | None, str, str]:
    wife = f.art[1]
    wife["NIK"] = compose_nik("35.11.01", dt.date(1988, 7, 2), "L", 77)  # day without +40
    f.keluarga["NIK_PENGURUS"] = wife["NIK"]
    return "ART", 1, "NIK", "nik_jenis_kelamin"


def _bad_no_kk(f: Family) -> tuple[str, int | None, str, str]:
    bad = f.keluarga["NOKK"][:6] + "320115" + f.keluarga["NOKK"][12:]  # 32 January
    f.keluarga["NOKK"] = bad
    for a in f.art:
        a["NOKK"] = bad
    return "KELUARGA", None, "NOKK", "kk_tanggal"


def _unknown_desa(f: Family) -> tuple[str, int | None, str, str]:
    f.keluarga["KDDESA"] = "2999"
    return "KELUARGA", None, "KDDESA", "desa_tidak_dikenal"


def _carer_not_a_member(f: Family) -> tuple[str, int | None, str, str]:
    f.keluarga["NIK_PENGURUS"] = compose_nik("35.11.01", dt.date(1970, 1, 1), "P", 4321)
    return "KELUARGA", None, "NIK_PENGURUS", "pengurus_bukan_anggota"


def _outside_importers_region(f: Family) -> tuple[str, int | None, str, str]:
    prop, kab, kec, desa = JEMBER_DESA.split(".")
    f.keluarga.update(KDPROP=prop, KDKAB=kab, KDKEC=kec, KDDESA=desa)
    return "KELUARGA", None, "KDDESA", "di_luar_wilayah"


def _member_nokk_differs(f: Family) -> tuple[str, int | None, str, str]:
    f.art[2]["NOKK"] = f.art[2]["NOKK"][:-1] + ("1" if f.art[2]["NOKK"][-1] != "1" else "2")
    return "ART", 2, "NOKK", "nokk_berbeda"


def _child_older_than_allowed(f: Family) -> tuple[str, int | None, str, str]:
    f.art[2]["TGLLAHIR"] = "1980-01-01"
    f.art[2]["NIK"] = compose_nik("35.11.01", dt.date(1980, 1, 1), "P", 4322)
    return "ART", 2, "TGLLAHIR", "umur_anak"


def _bad_sex_code(f: Family) -> tuple[str, int | None, str, str]:
    f.art[0]["JNSKEL"] = "X"
    return "ART", 0, "JNSKEL", "jenis_kelamin_tidak_sah"


def _unknown_status(f: Family) -> tuple[str, int | None, str, str]:
    f.keluarga["STATUS_KEPESERTAAN"] = "PINDAH"
    return "KELUARGA", None, "STATUS_KEPESERTAAN", "status_tidak_dikenal"


BAD = [
    _nik_wrong_length,
    _nik_unknown_kecamatan,
    _nik_birth_date_mismatch,
    _nik_plus_40_for_women,
    _bad_no_kk,
    _unknown_desa,
    _carer_not_a_member,
    _outside_importers_region,
    _member_nokk_differs,
    _child_older_than_allowed,
    _bad_sex_code,
    _unknown_status,
]


@pytest.mark.parametrize("spoil", BAD, ids=lambda f: f.__name__.strip("_"))
def test_bad_row_rejects_its_family_with_row_field_and_rule(operator: Any, spoil: Any) -> None:
    """RULES.md "Identity numbers" and FORMATS.md §6.1: each broken rule is reported with the row,
    the column and the rule; the family is rejected whole (its other rows as keluarga_ditolak),
    and the good family next to it is stored."""
    good, bad = family(), family()
    sheet, member, column, rule = spoil(bad)
    rows = as_rows([good, bad])
    run = run_import(rows, operator)

    assert (run.families_created, run.families_rejected) == (1, 1)
    assert Household.objects.filter(pkh_id=good.pkh_id).exists()
    assert not Household.objects.filter(pkh_id=bad.pkh_id).exists()
    assert not Member.objects.filter(nik__in=[a["NIK"] for a in bad.art]).exists()
    rejects = rejects_of(run)
    bad_row = (sheet, row_of(rows, bad.pkh_id, member))
    assert (column, rule) in rejects[bad_row]
    every_row = [("KELUARGA", row_of(rows, bad.pkh_id))] + [
        ("ART", row_of(rows, bad.pkh_id, i)) for i in range(len(bad.art))
    ]
    assert set(rejects) == set(every_row)
    named = run.rejects.filter(rule="keluarga_ditolak")
    assert named.count() == len(every_row) - len({bad_row})
    assert all(f"{sheet} baris {bad_row[1]}" in r.message for r in named)
    assert run.rows_rejected == len(every_row)


def test_same_nik_twice_in_the_file_rejects_the_later_family_naming_the_first_row(operator: Any) -> None:
    """RULES.md "Identity numbers": one NIK in one active household — within the file too."""
    first, second = family(), family()
    second.art[2]["NIK"] = first.art[2]["NIK"]
    second.art[2]["TGLLAHIR"] = first.art[2]["TGLLAHIR"]
    second.art[2]["JNSKEL"] = first.art[2]["JNSKEL"]
    rows = as_rows([first, second])
    run = run_import(rows, operator, chunk_size=1)
    assert (run.families_created, run.families_rejected) == (1, 1)
    reject = run.rejects.get(rule="nik_ganda_di_berkas")
    assert (reject.sheet, reject.row, reject.field) == ("ART", row_of(rows, second.pkh_id, 2), "NIK")
    assert f"ART baris {row_of(rows, first.pkh_id, 2)}" in reject.message


def test_nik_active_in_another_household_is_rejected(operator: Any) -> None:
    """RULES.md "Identity numbers": a NIK held by an active member of a registered household."""
    registered = make_household(desa=MAESAN_DESA)
    holder = registered.members.get(relationship=1)
    f = family()
    f.art[0].update(NIK=str(holder.nik), TGLLAHIR=holder.birth_date.isoformat(), JNSKEL="1")
    rows = as_rows([f])
    run = run_import(rows, operator)
    assert run.families_rejected == 1
    reject = run.rejects.get(rule="nik_aktif_di_keluarga_lain")
    assert (reject.sheet, reject.row, reject.field) == ("ART", row_of(rows, f.pkh_id, 0), "NIK")
    assert registered.pkh_id in reject.message


def test_nik_of_a_graduated_household_may_join_a_new_one(operator: Any) -> None:
    """A family that left the programme no longer holds its members' NIKs."""
    graduated = make_household(desa=MAESAN_DESA, status=HouseholdStatus.GRADUASI_MANDIRI)
    old = graduated.members.get(relationship=1)
    f = family()
    f.art[0].update(NIK=str(old.nik), TGLLAHIR=old.birth_date.isoformat())
    run = run_import(as_rows([f]), operator)
    assert run.families_created == 1


def test_family_registered_outside_the_importers_area_is_rejected(operator: Any) -> None:
    """accounts.scope: an operator cannot take over a Jember family by its ID_KELUARGA_PKH."""
    jember = make_household(desa=JEMBER_DESA)
    f = family()
    f.keluarga["ID_KELUARGA_PKH"] = jember.pkh_id
    for a in f.art:
        a["ID_KELUARGA_PKH"] = jember.pkh_id
    run = run_import(as_rows([f]), operator)
    assert run.families_rejected == 1
    assert run.rejects.filter(rule="di_luar_wilayah", field="ID_KELUARGA_PKH").exists()
    assert Household.objects.get(pkh_id=jember.pkh_id).desa_id == JEMBER_DESA


def test_only_importing_roles_may_import() -> None:
    pendamping = make_staff(Role.PENDAMPING, "35.11.01").user
    with pytest.raises(PermissionDenied):
        run_import(as_rows([family()]), pendamping)
    assert not Household.objects.exists()


def test_pendamping_column_assigns_a_pendamping_of_the_familys_kecamatan(operator: Any) -> None:
    maesan = make_staff(Role.PENDAMPING, "35.11.01", username="pdp_maesan", nip="198501012010011001")
    make_staff(Role.PENDAMPING, f"{JEMBER}.01", username="pdp_jember")
    by_name, by_nip, elsewhere = family(PENDAMPING="pdp_maesan"), family(), family(PENDAMPING="pdp_jember")
    by_nip.keluarga["PENDAMPING"] = "198501012010011001"
    run = run_import(as_rows([by_name, by_nip, elsewhere]), operator)
    assert (run.families_created, run.families_rejected) == (2, 1)
    assert set(Household.objects.values_list("pendamping_id", flat=True)) == {maesan.pk}
    assert run.rejects.filter(field="PENDAMPING", rule="pendamping_kecamatan").exists()


def test_reimporting_the_same_rows_writes_nothing(operator: Any) -> None:
    """Idempotent by ID_KELUARGA_PKH and NIK: the second run finds every family unchanged."""
    families = [family(), family(children=[]), family(status="CALON")]
    families[0].art[1].update(STA_HAMIL="1", TGL_MULAI_HAMIL="2025-08-01")
    first = run_import(as_rows(families), operator)
    assert first.families_created == 3
    counts = {m._meta.label: m.objects.count() for m in (Household, Member, Pregnancy, SchoolEnrolment)}
    events = AuditEvent.objects.count()
    stamps = dict(Member.objects.values_list("pk", "updated_at"))

    again = run_import(as_rows(families), operator, as_of=AS_OF + dt.timedelta(days=30))
    assert (again.families_unchanged, again.families_created, again.families_updated) == (3, 0, 0)
    assert (again.members_created, again.members_updated) == (0, 0)
    assert {m._meta.label: m.objects.count() for m in (Household, Member, Pregnancy, SchoolEnrolment)} == counts
    assert AuditEvent.objects.count() == events
    assert dict(Member.objects.values_list("pk", "updated_at")) == stamps


def test_changed_values_are_updated_with_audit_before_and_after(operator: Any) -> None:
    """A later file with a new address, a corrected name, a child moved up to SMP, a pregnancy
    ended and a new member: only those change, each audited with before/after; the facts that
    changed are closed the day before the reference date."""
    f = family()
    f.art[1].update(STA_HAMIL="1", TGL_MULAI_HAMIL="2025-10-01")
    run_import(as_rows([f]), operator)
    h = Household.objects.get(pkh_id=f.pkh_id)
    child = Member.objects.get(nik=f.art[2]["NIK"])
    old_address, old_name = f.keluarga["ALAMAT"], f.art[0]["NAMA"]

    later = AS_OF + dt.timedelta(days=90)
    f.keluarga["ALAMAT"] = "DUSUN BARAT NO 5"
    f.art[0]["NAMA"] = "SUTRISNO HADI"
    f.art[1].update(STA_HAMIL="2", TGL_MULAI_HAMIL="")
    f.art[2]["JENJANG"] = "SMP"
    baby_birth = later - dt.timedelta(days=20)
    f.art.append(
        {
            "ID_KELUARGA_PKH": f.pkh_id,
            "NIK": "",
            "NOKK": f.keluarga["NOKK"],
            "NAMA": "BAYI",
            "JNSKEL": "2",
            "TGLLAHIR": baby_birth.isoformat(),
            "HUBKEL": "3",
        }
    )
    run = run_import(as_rows([f]), operator, as_of=later)
    assert (run.families_updated, run.members_created, run.members_updated) == (1, 1, 3)

    h.refresh_from_db()
    assert h.address == "DUSUN BARAT NO 5"
    source = f"import:{run.pk}"
    updated = AuditEvent.objects.get(source=source, action="household_updated")
    assert (updated.before, updated.after) == ({"address": old_address}, {"address": "DUSUN BARAT NO 5"})
    renamed = AuditEvent.objects.get(source=source, action="member_updated")
    assert (renamed.before, renamed.after) == ({"name": old_name}, {"name": "SUTRISNO HADI"})
    enrolments = list(
        SchoolEnrolment.objects.filter(member=child).order_by("valid_from").values_list("level", "valid_to")
    )
    assert enrolments == [("SD", later - dt.timedelta(days=1)), ("SMP", None)]
    pregnancy = Pregnancy.objects.get(member__nik=f.art[1]["NIK"])
    assert pregnancy.valid_to == later - dt.timedelta(days=1)
    facts = AuditEvent.objects.filter(source=source, action="member_fact_recorded")
    assert {tuple(e.after) for e in facts} == {("hamil",), ("sekolah",)}
    school = facts.get(object_id=str(child.pk))
    assert (school.before["sekolah"]["jenjang"], school.after["sekolah"]["jenjang"]) == ("SD", "SMP")
    assert AuditEvent.objects.filter(source=source, action="member_created").count() == 1


def test_status_change_closes_the_period_and_releases_the_niks(operator: Any) -> None:
    """A family graduating: its open status period ends, a new one starts, its members' NIKs
    are no longer held (RULES.md "Identity numbers")."""
    f = family()
    f.keluarga["TGL_STATUS"] = "2024-01-01"
    run_import(as_rows([f]), operator)
    f.keluarga.update(STATUS_KEPESERTAAN="graduasi mandiri", TGL_STATUS="2025-10-01")
    run = run_import(as_rows([f]), operator)
    assert run.families_updated == 1
    h = Household.objects.get(pkh_id=f.pkh_id)
    assert (h.status, h.status_since) == (HouseholdStatus.GRADUASI_MANDIRI, dt.date(2025, 10, 1))
    assert list(h.status_history.values_list("status", "valid_from", "valid_to")) == [
        ("aktif", dt.date(2024, 1, 1), dt.date(2025, 9, 30)),
        ("graduasi_mandiri", dt.date(2025, 10, 1), None),
    ]
    assert not h.members.filter(is_active=True).exists()
    changed = AuditEvent.objects.get(source=f"import:{run.pk}", action="household_status_changed")
    assert (changed.before, changed.after) == ({"status": "aktif"}, {"status": "graduasi_mandiri"})


def test_newborn_given_a_nik_later_is_the_same_member(operator: Any) -> None:
    """Members are matched by NIK, else ID_ART_PKH, else name and birth date for a newborn."""
    f = family(children=[(AS_OF - dt.timedelta(days=30), "")])
    nik = f.art[2]["NIK"]
    f.art[2].update(NIK="", ID_ART_PKH="")
    run_import(as_rows([f]), operator)
    baby = Member.objects.get(household__pkh_id=f.pkh_id, relationship=3)
    f.art[2]["NIK"] = nik
    run = run_import(as_rows([f]), operator, as_of=AS_OF + dt.timedelta(days=60))
    assert (run.members_created, run.members_updated) == (0, 1)
    baby.refresh_from_db()
    assert baby.nik == nik
    assert Member.objects.filter(household__pkh_id=f.pkh_id).count() == 3


def _failing_after(rows: list[FamilyRows], n: int) -> Iterator[FamilyRows]:
    """A source that breaks after ``n`` families (a worker killed, a file cut short)."""
    for i, r in enumerate(rows):
        if i == n:
            raise OSError("berkas terputus")
        yield r


def test_interrupted_import_keeps_whole_chunks_and_a_rerun_finishes(operator: Any) -> None:
    """One transaction per chunk: families of earlier chunks are complete, the chunk being read
    when the source broke left nothing, and running the file again finishes the job."""
    families = [family() for _ in range(7)]
    rows = as_rows(families)
    run = ImportRun.objects.create(started_by=operator, region_id=BONDOWOSO)
    with pytest.raises(OSError, match="terputus"):
        import_families(_failing_after(rows, 5), run=run, acting_user=operator, as_of=AS_OF, chunk_size=2)
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and "terputus" in run.error
    stored = set(Household.objects.values_list("pkh_id", flat=True))
    assert stored == {f.pkh_id for f in families[:4]}
    assert run.families_created == 4
    for f in families[:4]:  # whole families only
        assert Member.objects.filter(household__pkh_id=f.pkh_id).count() == len(f.art)

    again = run_import(as_rows(families), operator, chunk_size=2)
    assert (again.families_unchanged, again.families_created) == (4, 3)
    assert Member.objects.count() == sum(len(f.art) for f in families)


def test_database_refusing_a_family_rejects_only_that_family(operator: Any) -> None:
    """The unique index "one active household per NIK" is the last line of defence: when another
    writer activates a NIK between the checks and the write, the database refuses the chunk; the
    import then writes family by family and rejects only the family refused."""
    other = make_household(desa=MAESAN_DESA, status=HouseholdStatus.GRADUASI_ALAMIAH)
    taken = other.members.get(relationship=1)
    families = [family(), family(), family()]
    families[1].art[0].update(NIK=str(taken.nik), TGLLAHIR=taken.birth_date.isoformat())

    def concurrent_writer(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        # Another writer re-activates the graduated family just before our members are inserted.
        values = [v for p in params or () for v in (p if isinstance(p, list) else [p])]  # PostgreSQL: arrays
        if sql.startswith('INSERT INTO "registry_member"') and taken.nik in values:
            with connection.cursor() as cursor:
                cursor.execute('UPDATE "registry_member" SET "is_active" = %s WHERE "id" = %s', [True, taken.pk])
        return execute(sql, params, many, context)

    with connection.execute_wrapper(concurrent_writer):
        run = run_import(as_rows(families), operator, chunk_size=3)
    assert run.status == RunStatus.DONE
    assert (run.families_created, run.families_rejected) == (2, 1)
    assert run.rejects.filter(rule="ditolak_basis_data", family_key=families[1].pkh_id).exists()
    stored = set(Household.objects.values_list("pkh_id", flat=True))
    assert {families[0].pkh_id, families[2].pkh_id} <= stored
    assert families[1].pkh_id not in stored
    assert not Member.objects.filter(nik=families[1].art[1]["NIK"]).exists()


def test_seeder_may_import_as_a_system_job_without_user() -> None:
    """acting_user=None: the demo seeder's system job, not limited to an area."""
    run = ImportRun.objects.create()
    run = import_families(as_rows([family(), family(JEMBER_DESA)]), run=run, acting_user=None, as_of=AS_OF)
    assert run.families_created == 2
    assert set(AuditEvent.objects.values_list("actor_id", flat=True)) == {None}
