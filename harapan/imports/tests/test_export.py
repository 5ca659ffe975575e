"""The export of families in the KPM import layout (FORMATS.md §6.1): a file exported from one
Harapan imports into another with the same families, and back into the same one with no change;
each user exports exactly the families they may see (accounts.scope), filtered as on the list."""

from __future__ import annotations

import datetime as dt
import io
import logging
import zipfile
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Model
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from python_calamine import CalamineWorkbook

from harapan.accounts.models import Role, Staff
from harapan.audit.models import AuditEvent
from harapan.imports.columns import ART_COLUMNS, KELUARGA_COLUMNS
from harapan.imports.export import export_families
from harapan.imports.kpm_writer import write_csv_zip, write_xlsx
from harapan.imports.models import ImportRun
from harapan.imports.pipeline import import_families
from harapan.imports.readers import read_source
from harapan.registry.models import (
    DisabilityAssessment,
    Household,
    HouseholdStatus,
    HouseholdStatusPeriod,
    Member,
    Pregnancy,
    SchoolEnrolment,
)
from harapan.testing import BONDOWOSO, PASSWORD, make_household, make_staff

pytestmark = pytest.mark.django_db

TAMANAN_DESA = "35.11.02.2001"


# --- Helpers -----------------------------------------------------------------------------------


@pytest.fixture
def demo_district() -> int:
    """300 generated families of Bondowoso imported as the demo seeder does (pregnancies, school
    children, dropouts, severe disability, several statuses), dated today; plus a newborn not yet
    given a NIK and a child who moved out."""
    today = timezone.localdate()
    call_command("seed_demo", "--families", "300", "--as-of", today.isoformat(), verbosity=0, stdout=io.StringIO())
    mother = (
        Member.objects.filter(
            is_carer=True,
            relationship=2,
            birth_date__gt=today.replace(year=today.year - 35),
            household__status=HouseholdStatus.AKTIF,
        )
        .exclude(pk__in=Pregnancy.objects.filter(valid_to=None).values("member_id"))
        .first()
    )
    assert mother is not None
    Member.objects.create(
        household_id=mother.household_id,
        nik=None,
        no_kk=mother.no_kk,
        name="Bayi Baru",
        sex="P",
        birth_date=today - dt.timedelta(days=30),
        relationship=3,
    )
    child = Member.objects.filter(relationship=3, nik__isnull=False).exclude(household_id=mother.household_id).first()
    assert child is not None
    Member.objects.filter(pk=child.pk).update(presence=3, is_active=False, left_on=today - dt.timedelta(days=10))
    return Household.objects.count()


def user(username: str) -> Any:
    return get_user_model().objects.get(username=username)


def unzip_pair(data: bytes, folder: Path) -> list[Path]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.namelist() == ["keluarga.csv", "art.csv"]
        archive.extractall(folder)
    return [folder / "keluarga.csv", folder / "art.csv"]


def export_file(kind: str, folder: Path, **filters: Any) -> list[Path]:
    """Export to a real file of the given kind and return the paths the import reads."""
    families = export_families(**filters)
    if kind == "xlsx":
        write_xlsx(families, folder / "kpm.xlsx")
        return [folder / "kpm.xlsx"]
    buffer = io.BytesIO()
    write_csv_zip(families, buffer)
    return unzip_pair(buffer.getvalue(), folder)


def import_paths(paths: list[Path], acting_user: Any) -> ImportRun:
    source = read_source(paths)
    run = ImportRun.objects.create(started_by=acting_user, region_id=BONDOWOSO)
    return import_families(source.families, run=run, acting_user=acting_user, as_of=timezone.localdate())


def _fields(model: type[Model], *skip: str) -> list[str]:
    """The fields a file carries (the date a member left is not in the layout)."""
    left_out = {"id", "created_at", "updated_at", *skip}
    return [f.attname for f in model._meta.concrete_fields if f.attname not in left_out]


def registry_snapshot() -> dict[str, Any]:
    """Every family by ID_KELUARGA_PKH: its fields, its members with their open facts, its open
    status period; database ids, timestamps and enrolment start dates left out."""
    pkh = dict(Household.objects.values_list("id", "pkh_id"))
    out: dict[str, Any] = {
        h["pkh_id"]: {"household": h, "members": []} for h in Household.objects.values(*_fields(Household))
    }
    open_facts: dict[int, dict[str, Any]] = defaultdict(dict)
    for p in Pregnancy.objects.filter(valid_to=None).values("member_id", "valid_from"):
        open_facts[p["member_id"]]["hamil"] = p["valid_from"]
    # An enrolment's start is not in the layout (FORMATS.md §6.1 has no column for it): an import
    # dates it from the file's date, so the school facts compare without it.
    for e in SchoolEnrolment.objects.filter(valid_to=None).values(*_fields(SchoolEnrolment, "valid_to", "valid_from")):
        open_facts[e.pop("member_id")]["sekolah"] = e
    for d in DisabilityAssessment.objects.filter(valid_to=None, severe=True).values("member_id", "valid_from"):
        open_facts[d["member_id"]]["disabilitas_berat"] = d["valid_from"]
    for m in Member.objects.values("id", *_fields(Member, "household_id", "left_on"), "household_id"):
        member_id, household_id = m.pop("id"), m.pop("household_id")
        out[pkh[household_id]]["members"].append({**m, "facts": open_facts.get(member_id, {})})
    for family in out.values():
        family["members"].sort(key=lambda m: (m["relationship"], m["birth_date"], m["name"]))
    for s in HouseholdStatusPeriod.objects.filter(valid_to=None).values("household_id", "status", "valid_from"):
        out[pkh[s["household_id"]]]["status"] = (s["status"], s["valid_from"])
    return out


def exported_ids(families: Iterable[Any]) -> set[str]:
    return {f.keluarga["ID_KELUARGA_PKH"] for f in families}


# --- Round trip --------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_export_imported_into_the_same_registry_changes_nothing(demo_district: int, kind: str, tmp_path: Path) -> None:
    """FORMATS.md §6.1: an exported file re-imported compares equal, family by family: nothing is
    written and no audit event is recorded."""
    korkab = user("korkab")
    before, events = registry_snapshot(), AuditEvent.objects.count()
    latest_change = max(Household.objects.values_list("updated_at", flat=True))

    run = import_paths(export_file(kind, tmp_path, user=korkab), korkab)

    assert (run.families_seen, run.families_unchanged) == (demo_district, demo_district)
    assert (run.families_created, run.families_updated, run.families_rejected, run.rows_rejected) == (0, 0, 0, 0)
    assert (run.members_created, run.members_updated) == (0, 0)
    assert AuditEvent.objects.count() == events
    assert max(Household.objects.values_list("updated_at", flat=True)) == latest_change
    assert registry_snapshot() == before


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_export_imported_into_an_empty_registry_brings_back_families_members_facts_and_statuses(
    demo_district: int, kind: str, tmp_path: Path
) -> None:
    """FORMATS.md §6.1: the file carries every column the import reads, so another Harapan gets the
    same families, members, open facts (pregnancy, school, severe disability) and statuses."""
    korkab = user("korkab")
    before = registry_snapshot()
    assert any(m["facts"].get("hamil") for f in before.values() for m in f["members"])
    assert any(m["facts"].get("sekolah") for f in before.values() for m in f["members"])
    assert any(m["facts"].get("disabilitas_berat") for f in before.values() for m in f["members"])
    assert any(m["nik"] is None for f in before.values() for m in f["members"])
    assert len({f["household"]["status"] for f in before.values()}) > 2
    paths = export_file(kind, tmp_path, user=korkab)

    Household.objects.all().delete()
    run = import_paths(paths, korkab)

    assert (run.families_created, run.families_rejected) == (demo_district, 0)
    assert registry_snapshot() == before


def test_a_pendamping_no_longer_active_is_left_out_and_the_assignment_kept_on_reimport(
    demo_district: int, tmp_path: Path
) -> None:
    """The import accepts active pendamping only; an inactive one would reject the whole family."""
    korkab = user("korkab")
    gone = Staff.objects.get(user__username="pendamping")
    Staff.objects.filter(pk=gone.pk).update(is_active=False)
    theirs = set(Household.objects.filter(pendamping=gone).values_list("pkh_id", flat=True))
    families = {f.keluarga["ID_KELUARGA_PKH"]: f for f in export_families(user=korkab)}
    assert theirs and all(families[pkh_id].keluarga["PENDAMPING"] == "" for pkh_id in theirs)

    run = import_paths(export_file("csv", tmp_path, user=korkab), korkab)

    assert (run.families_unchanged, run.families_rejected) == (demo_district, 0)
    assert set(Household.objects.filter(pendamping=gone).values_list("pkh_id", flat=True)) == theirs


# --- Columns -----------------------------------------------------------------------------------


def test_every_column_of_the_layout_is_written_with_identity_numbers_as_text(tmp_path: Path) -> None:
    """FORMATS.md §6 general rules: identity numbers are text; §6.1: KOMPONEN is export only."""
    pendamping = make_staff(Role.PENDAMPING, "35.11.01")
    today = timezone.localdate()
    household = make_household(
        pendamping=pendamping,
        children=[(today.replace(year=today.year - 9), "SD")],
        pregnant_since=today - dt.timedelta(days=60),
    )
    Household.objects.filter(pk=household.pk).update(bank="BRI", account_number="0012345678901234")
    write_xlsx(export_families(user=pendamping.user), tmp_path / "kpm.xlsx")

    wb = CalamineWorkbook.from_path(str(tmp_path / "kpm.xlsx"))
    keluarga = wb.get_sheet_by_name("KELUARGA").to_python()
    art = wb.get_sheet_by_name("ART").to_python()
    assert tuple(keluarga[0]) == KELUARGA_COLUMNS and tuple(art[0]) == ART_COLUMNS
    kel = dict(zip(KELUARGA_COLUMNS, keluarga[1], strict=True))
    carer = household.members.get(is_carer=True)
    assert kel["NOKK"] == household.no_kk and isinstance(kel["NOKK"], str)
    assert kel["NO_REKENING"] == "0012345678901234"
    assert (kel["KDPROP"], kel["KDKAB"], kel["KDKEC"], kel["KDDESA"]) == tuple(household.desa_id.split("."))
    assert (kel["NMKAB"], kel["NMKEC"]) == ("Kabupaten Bondowoso", "Maesan")
    assert (kel["NIK_PENGURUS"], kel["NAMA_PENGURUS"], kel["PENDAMPING"]) == (
        carer.nik,
        carer.name,
        pendamping.user.username,
    )
    assert (kel["STATUS_KEPESERTAAN"], kel["TGL_STATUS"]) == ("AKTIF", "2020-01-01")
    members = {row[ART_COLUMNS.index("HUBKEL")]: dict(zip(ART_COLUMNS, row, strict=True)) for row in art[1:]}
    wife, child = members["2"], members["3"]
    assert wife["NIK"] == carer.nik and isinstance(wife["NIK"], str)
    assert (wife["STA_HAMIL"], wife["TGL_MULAI_HAMIL"]) == ("1", (today - dt.timedelta(days=60)).isoformat())
    assert (child["PARTISIPASI_SEKOLAH"], child["JENJANG"]) == ("1", "SD")
    assert (wife["KOMPONEN"], child["KOMPONEN"], members["1"]["KOMPONEN"]) == ("ibu_hamil", "anak_sd", "")


# --- Scope and filters -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona",
    ["pendamping", "pendamping_b", "korkab", "operator", "dinsos_prov", "ministry", "korkab_jember", "no_staff"],
)
def test_each_user_exports_exactly_the_families_they_may_see(scope_world: Any, persona: str) -> None:
    """accounts.scope: a pendamping their own families, a korkab of Jember nothing of Bondowoso."""
    expected = {scope_world.household(key).pkh_id for key in scope_world.visible[persona]}
    assert exported_ids(export_families(user=scope_world.users[persona])) == expected


def test_the_list_filters_apply_to_the_export(scope_world: Any) -> None:
    korkab = scope_world.users["korkab"]
    tamanan = scope_world.household("tamanan_1")
    a1 = scope_world.household("maesan_a1")
    Household.objects.filter(pk=a1.pk).update(status=HouseholdStatus.DITANGGUHKAN)
    assert exported_ids(export_families(user=korkab, region="35.11.02")) == {tamanan.pkh_id}
    assert exported_ids(export_families(user=korkab, region=TAMANAN_DESA)) == {tamanan.pkh_id}
    assert exported_ids(export_families(user=korkab, status=HouseholdStatus.DITANGGUHKAN)) == {a1.pkh_id}
    assert exported_ids(export_families(user=korkab, query="Ibu Maesan B1")) == {
        scope_world.household("maesan_b1").pkh_id
    }


def test_export_costs_a_fixed_number_of_queries_per_chunk(
    demo_district: int, django_assert_max_num_queries: Any
) -> None:
    """Set-based: households, members, open enrolments and the component facts, per chunk of
    families, never a query per family."""
    korkab = user("korkab")
    # The reader's staff record, 7 queries for each of the 3 chunks, and the page that finds no more.
    with django_assert_max_num_queries(1 + 3 * 7 + 1):
        families = list(export_families(user=korkab, chunk_size=100))
    assert len(families) == demo_district == 300
    assert [f.keluarga_row for f in families] == list(range(2, 302))


# --- Pages and command -------------------------------------------------------------------------


def client_for(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


@pytest.mark.parametrize("name", ["imports:export_xlsx", "imports:export_csv"])
def test_anonymous_export_goes_to_the_login_page(db: None, name: str) -> None:
    response = Client().get(reverse(name))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_pendamping_downloads_their_own_families_as_xlsx(scope_world: Any, tmp_path: Path) -> None:
    response = client_for("u_pendamping").get(reverse("imports:export_xlsx"))
    assert response.status_code == 200
    today = timezone.localdate()
    assert response["Content-Disposition"] == f'attachment; filename="kpm-{today:%Y-%m-%d}.xlsx"'
    path = tmp_path / "kpm.xlsx"
    path.write_bytes(response.getvalue())
    expected = {scope_world.household(k).pkh_id for k in scope_world.visible["pendamping"]}
    assert exported_ids(read_source([path]).families) == expected


def test_csv_zip_download_carries_the_filters_and_is_logged(
    scope_world: Any, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="harapan.imports.export"):
        response = client_for("u_korkab").get(reverse("imports:export_csv"), {"region": "35.11.02", "status": "aktif"})
        assert response.status_code == 200 and response["Content-Type"] == "application/zip"
        assert "kpm-35.11.02-" in response["Content-Disposition"]
        paths = unzip_pair(response.getvalue(), tmp_path)
    assert exported_ids(read_source(paths).families) == {scope_world.household("tamanan_1").pkh_id}
    (logged,) = [r.getMessage() for r in caplog.records if r.name == "harapan.imports.export"]
    assert "by u_korkab" in logged and "'35.11.02'" in logged and "'aktif'" in logged and "1 families" in logged


def test_family_list_links_the_downloads_with_its_filters(scope_world: Any) -> None:
    html = client_for("u_korkab").get(reverse("registry:list"), {"status": "aktif", "page": "1"}).content.decode()
    assert f'href="{reverse("imports:export_xlsx")}?status=aktif"' in html
    assert f'href="{reverse("imports:export_csv")}?status=aktif"' in html


def test_export_kpm_command_enforces_the_users_scope(scope_world: Any, tmp_path: Path) -> None:
    out = io.StringIO()
    call_command("export_kpm", "--user", "u_korkab_jember", "--out", str(tmp_path / "j.zip"), stdout=out)
    assert "2 KPM" in out.getvalue()
    paths = unzip_pair((tmp_path / "j.zip").read_bytes(), tmp_path)
    assert exported_ids(read_source(paths).families) == {
        scope_world.household(k).pkh_id for k in scope_world.visible["korkab_jember"]
    }
    call_command(
        "export_kpm", "--user", "u_korkab", "--region", "3511", "--status", "AKTIF", "--out", str(tmp_path / "b.xlsx")
    )
    assert exported_ids(read_source([tmp_path / "b.xlsx"]).families) == {
        scope_world.household(k).pkh_id for k in scope_world.visible["korkab"]
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--user", "tidak_ada", "--out", "x.zip"], "tidak ada"),
        (["--user", "u_no_staff", "--out", "x.zip"], "bukan petugas aktif"),
        (["--user", "u_korkab", "--out", "x.csv"], ".xlsx atau .zip"),
        (["--user", "u_korkab", "--status", "ENTAH", "--out", "x.zip"], "tidak dikenal"),
    ],
)
def test_export_kpm_command_refuses_bad_arguments(scope_world: Any, args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("export_kpm", *args)
