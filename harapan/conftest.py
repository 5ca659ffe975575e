"""Project-wide pytest fixtures.

The region tree (91,599 Kemendagri rows) is reference data loaded once by the data migration
``regions.0002``. Transactional tests (``transaction=True``, ``live_server``) end with a flush of
every table, which would delete it and leave every later test without regions. During the test
session a database router marks the ``regions`` app as not migratable, and Django's flush only
empties migratable tables: regions survive every flush, on SQLite and on PostgreSQL, while the app
stays fully installed (its templates, translations and commands keep working, which
``available_apps`` would not allow). The smaller reference tables other data migrations load are
reloaded after each flush instead (``reference_data_reload``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.db.models.signals import post_migrate


class KeepRegionsRouter:
    """Test-only router: the region tree is never flushed between transactional tests."""

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool | None:
        return False if app_label == "regions" else None


@pytest.fixture(scope="session", autouse=True)
def fast_test_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """A fast password hasher (tests create many users; the production hasher costs ~0.3 s a
    password) and uploaded files under a temporary MEDIA_ROOT instead of var/media."""
    from django.test import override_settings

    with override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        MEDIA_ROOT=tmp_path_factory.mktemp("media"),
    ):
        yield


@pytest.fixture(autouse=True)
def indonesian_after_each_test() -> Iterator[None]:
    """The locale middleware activates the request's language in the thread and leaves it there;
    a test that browsed in English would otherwise leave English active for the next test's
    services and commands, which run outside a request."""
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture
def immediate_tasks(settings: Any) -> None:
    """Background tasks (the import) run at once, in the thread that enqueues them."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The test database with the whole region tree, kept across flushes."""
    from django.db import router

    from harapan.regions.loader import EXPECTED_COUNTS, load_regions
    from harapan.regions.models import Region

    with django_db_blocker.unblock():
        # Normally the migration has loaded them; with --no-migrations the table starts empty.
        if Region.objects.count() != sum(EXPECTED_COUNTS.values()):
            load_regions(Region)
    keeper = KeepRegionsRouter()
    router.routers.insert(0, keeper)
    post_migrate.connect(reference_data_reload, dispatch_uid="harapan-test-reference-data")
    yield
    post_migrate.disconnect(dispatch_uid="harapan-test-reference-data")
    router.routers.remove(keeper)


def reference_data_reload(sender: Any, **kwargs: Any) -> None:
    """Reload the reference data other data migrations load (the P2K2 catalogue, benefit indexes,
    payment reason codes, commitment obligations, readiness indicators) after a transactional
    test's flush. Django's flush sends ``post_migrate`` once per app when it is done; acting on
    one of them is enough. Each loader runs only when its table is empty."""
    if sender.label != "regions":
        return
    import importlib

    from django.apps import apps

    from harapan.benefits.seeds import load_benefit_indexes
    from harapan.compliance.catalogue import load_obligations
    from harapan.p2k2.catalogue import load_catalogue
    from harapan.payroll.seeds import load_reason_codes

    model = apps.get_model
    if not model("p2k2", "Module").objects.exists():
        load_catalogue(
            model("p2k2", "Module"),
            model("p2k2", "Session"),
            model("p2k2", "KnowledgeQuestion"),
            model("p2k2", "KnowledgeChoice"),
        )
    if not model("benefits", "BenefitIndex").objects.exists():
        load_benefit_indexes(
            model("benefits", "BenefitIndex"), model("benefits", "BenefitAmount"), model("benefits", "TahapShare")
        )
    if not model("payroll", "ReasonCode").objects.exists():
        load_reason_codes(model("payroll", "ReasonCode"))
    if not model("compliance", "Obligation").objects.exists():
        load_obligations(model("compliance", "Obligation"))
    if not model("graduation", "ReadinessIndicator").objects.exists():
        importlib.import_module("harapan.graduation.migrations.0002_seed_indicators").seed(apps, None)
    if not model("referrals", "Programme").objects.exists():
        importlib.import_module("harapan.referrals.seeds").load_programmes(model("referrals", "Programme"))
    if not model("grievances", "GrievanceCategory").objects.exists():
        importlib.import_module("harapan.grievances.migrations.0002_seed_categories").seed(apps, None)


# --- A world that crosses every scope boundary -------------------------------------------------

MAESAN_DESA = "35.11.01.2001"  # Sucolor, Kecamatan Maesan, Kabupaten Bondowoso
TAMANAN_DESA = "35.11.02.2001"  # Sukosari, Kecamatan Tamanan, Kabupaten Bondowoso
JEMBER_KECAMATAN = "35.09.01"
CILACAP_KECAMATAN = "33.01.01"  # Jawa Tengah: another province


@dataclass
class ScopeWorld:
    """Staff of every role and families on both sides of every boundary they have.

    ``staff`` keys are personas (a role, plus ``pendamping_b`` in the same kecamatan, the
    Jember and other-province staff, ``no_staff`` and ``inactive``); ``families`` keys name where
    a family lives and whose it is. ``visible`` says which families each persona may see
    (accounts.scope: pendamping -> own; kabupaten roles -> kabupaten; dinsos_prov -> province;
    ministry -> all; balai_diklat, fasilitator, no staff record or inactive staff -> nothing).
    """

    staff: dict[str, Any] = field(default_factory=dict)
    users: dict[str, Any] = field(default_factory=dict)
    families: dict[str, Any] = field(default_factory=dict)
    visible: dict[str, set[str]] = field(default_factory=dict)

    def household(self, key: str) -> Any:
        return self.families[key]


@pytest.fixture
def scope_world(db: None) -> ScopeWorld:
    from django.contrib.auth import get_user_model

    from harapan.accounts.models import Role
    from harapan.testing import BONDOWOSO, JEMBER, PASSWORD, first_desa, make_household, make_staff

    w = ScopeWorld()
    people = {
        "pendamping": (Role.PENDAMPING, "35.11.01", "Pendamping Maesan A"),
        "pendamping_b": (Role.PENDAMPING, "35.11.01", "Pendamping Maesan B"),
        "pendamping_jember": (Role.PENDAMPING, JEMBER_KECAMATAN, "Pendamping Jember"),
        "korkab": (Role.KORKAB, BONDOWOSO, "Korkab Bondowoso"),
        "supervisor": (Role.SUPERVISOR, BONDOWOSO, "Supervisor Bondowoso"),
        "operator": (Role.OPERATOR, BONDOWOSO, "Operator Bondowoso"),
        "dinsos_kab": (Role.DINSOS_KAB, BONDOWOSO, "Dinsos Bondowoso"),
        "dinsos_prov": (Role.DINSOS_PROV, "35", "Dinsos Jawa Timur"),
        "dinsos_prov_other": (Role.DINSOS_PROV, "33", "Dinsos Jawa Tengah"),
        "ministry": (Role.MINISTRY, None, "Kemensos Pusat"),
        "korkab_jember": (Role.KORKAB, JEMBER, "Korkab Jember"),
        "operator_jember": (Role.OPERATOR, JEMBER, "Operator Jember"),
        "inactive": (Role.KORKAB, BONDOWOSO, "Korkab Nonaktif"),
        # Training roles sit in the families' province and still see none of them.
        "balai_diklat": (Role.BALAI_DIKLAT, "35", "Balai Diklat Jawa Timur"),
        "fasilitator": (Role.FASILITATOR, "35", "Fasilitator Diklat"),
    }
    for key, (role, region, name) in people.items():
        w.staff[key] = make_staff(role, region, username=f"u_{key}", full_name=name)
        w.users[key] = w.staff[key].user
    w.staff["inactive"].is_active = False
    w.staff["inactive"].save(update_fields=["is_active"])
    w.users["no_staff"] = get_user_model().objects.create_user(username="u_no_staff", password=PASSWORD)

    jember_desa = first_desa(JEMBER_KECAMATAN)
    cilacap_desa = first_desa(CILACAP_KECAMATAN)
    placed = {
        "maesan_a1": (MAESAN_DESA, "pendamping"),
        "maesan_a2": (MAESAN_DESA, "pendamping"),
        "maesan_b1": (MAESAN_DESA, "pendamping_b"),
        "tamanan_1": (TAMANAN_DESA, None),
        "jember_1": (jember_desa.code, "pendamping_jember"),
        "jember_2": (jember_desa.code, "pendamping_jember"),
        "cilacap_1": (cilacap_desa.code, None),
    }
    for key, (desa, owner) in placed.items():
        household = make_household(desa=desa, pendamping=w.staff[owner] if owner else None)
        # Names that are no part of one another, so a name search finds exactly one family.
        label = key.replace("_", " ").title()
        household.members.filter(is_carer=True).update(name=f"Ibu {label}")
        household.members.filter(relationship=1).update(name=f"Bapak {label}")
        w.families[key] = household

    bondowoso = {"maesan_a1", "maesan_a2", "maesan_b1", "tamanan_1"}
    jember = {"jember_1", "jember_2"}
    w.visible = {
        "pendamping": {"maesan_a1", "maesan_a2"},
        "pendamping_b": {"maesan_b1"},
        "pendamping_jember": jember,
        "korkab": bondowoso,
        "supervisor": bondowoso,
        "operator": bondowoso,
        "dinsos_kab": bondowoso,
        "dinsos_prov": bondowoso | jember,
        "dinsos_prov_other": {"cilacap_1"},
        "ministry": set(placed),
        "korkab_jember": jember,
        "operator_jember": jember,
        "no_staff": set(),
        "inactive": set(),
        "balai_diklat": set(),
        "fasilitator": set(),
    }
    return w


# --- KPM import files --------------------------------------------------------------------------

KPM_FLAT_HEADER = (
    "ID_KELUARGA_PKH",
    "NOKK",
    "KDPROP",
    "KDKAB",
    "KDKEC",
    "KDDESA",
    "ALAMAT",
    "RT",
    "RW",
    "ID_PENGURUS",
    "NIK_PENGURUS",
    "NAMA_PENGURUS",
    "NAMA_IBU_KANDUNG_PENGURUS",
    "STATUS_KEPESERTAAN",
    "NIK",
    "NAMA",
    "JNSKEL",
    "TGLLAHIR",
    "HUBKEL",
)


@dataclass
class KpmFile:
    """A flat KPM import file (FORMATS.md §6.1 columns; one row per member carrying its family's
    columns), written as a real ``;``-delimited UTF-8 CSV. ``family`` adds a head and a wife who is
    the carer, with a valid NIK and No KK for the desa's kecamatan; ``overrides`` replace columns of
    both rows (e.g. ``KDDESA`` to break the region)."""

    rows: list[dict[str, str]] = field(default_factory=list)
    serial: int = 9000

    def family(self, pkh_id: str, desa: str, *, status: str = "AKTIF", **overrides: str) -> dict[str, Any]:
        import datetime as dt

        from harapan.registry.rules import compose_nik, compose_no_kk

        self.serial += 1
        kec = desa.rsplit(".", 1)[0]
        prop, kab, kec_part, desa_part = desa.split(".")
        no_kk = compose_no_kk(kec, dt.date(2016, 2, 3), self.serial)
        head_birth, wife_birth = dt.date(1979, 5, 21), dt.date(1982, 9, 11)
        head = compose_nik(kec, head_birth, "L", self.serial)
        wife = compose_nik(kec, wife_birth, "P", self.serial)
        label = pkh_id.replace("_", " ")
        family = {
            "ID_KELUARGA_PKH": pkh_id,
            "NOKK": no_kk,
            "KDPROP": prop,
            "KDKAB": kab,
            "KDKEC": kec_part,
            "KDDESA": desa_part,
            "ALAMAT": f"Dusun Krajan {self.serial}",
            "RT": "001",
            "RW": "002",
            "ID_PENGURUS": f"P{self.serial}",
            "NIK_PENGURUS": wife,
            "NAMA_PENGURUS": f"Ibu {label}",
            "NAMA_IBU_KANDUNG_PENGURUS": "Sumiati",
            "STATUS_KEPESERTAAN": status,
        }
        people = [
            {"NIK": head, "NAMA": f"Bapak {label}", "JNSKEL": "L", "TGLLAHIR": head_birth.isoformat(), "HUBKEL": "1"},
            {"NIK": wife, "NAMA": f"Ibu {label}", "JNSKEL": "P", "TGLLAHIR": wife_birth.isoformat(), "HUBKEL": "2"},
        ]
        first_row = len(self.rows) + 2  # row 1 is the header
        for person in people:
            self.rows.append({**family, **person, **overrides})
        return {"pkh_id": pkh_id, "no_kk": no_kk, "niks": [head, wife], "rows": [first_row, first_row + 1]}

    def write(self, path: Path) -> Path:
        import csv

        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=KPM_FLAT_HEADER, delimiter=";")
            writer.writeheader()
            writer.writerows(self.rows)
        return path


@pytest.fixture
def kpm_file() -> KpmFile:
    return KpmFile()
