"""Progress of graduation against the target per pendamping, kecamatan and district (RULES.md:
Graduation: "Target: 10% of a district's KPM"; issue 4: progress per pendamping, kecamatan and
district). Both kinds count: mandiri and alamiah, read from the families' status periods."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from harapan.accounts.models import Role
from harapan.graduation.selectors import graduation_progress
from harapan.registry.models import HouseholdStatus
from harapan.registry.services import household_set_status
from harapan.testing import BONDOWOSO, JEMBER, MAESAN, first_desa, first_kecamatan, make_household, make_staff

from .conftest import client_of

pytestmark = pytest.mark.django_db

TAMANAN = "35.11.02"


@pytest.fixture
def district() -> dict:
    today = timezone.localdate()
    operator = make_staff(Role.OPERATOR, BONDOWOSO)
    a = make_staff(Role.PENDAMPING, MAESAN, full_name="Ani")
    b = make_staff(Role.PENDAMPING, MAESAN, full_name="Budi")
    c = make_staff(Role.PENDAMPING, TAMANAN, full_name="Cici")
    fam_a = [make_household(desa="35.11.01.2001", pendamping=a) for _ in range(10)]
    for _ in range(5):
        make_household(desa="35.11.01.2001", pendamping=b)
    fam_c = [make_household(desa=first_desa(TAMANAN), pendamping=c) for _ in range(4)]

    def move(h, status, on):
        household_set_status(household=h, status=status, valid_from=on, reason="uji", acting_user=operator.user)

    move(fam_a[0], HouseholdStatus.GRADUASI_MANDIRI, today)
    move(fam_a[1], HouseholdStatus.GRADUASI_ALAMIAH, today)
    move(fam_c[0], HouseholdStatus.GRADUASI_ALAMIAH, today)
    # Graduated last year: neither in this year's KPM nor in its graduations.
    move(fam_c[1], HouseholdStatus.GRADUASI_ALAMIAH, dt.date(today.year - 1, 6, 1))
    # Non-eligible since long ago: not in this year's KPM.
    make_household(desa="35.11.01.2001", pendamping=b, status=HouseholdStatus.NON_ELIGIBLE)
    # Another district.
    make_household(desa=first_desa(first_kecamatan(JEMBER).code), pendamping=None)
    korkab = make_staff(Role.KORKAB, BONDOWOSO)
    return {"korkab": korkab, "a": a, "b": b, "c": c, "today": today}


def progress(user, level, today):
    return graduation_progress(user, level=level, year=today.year, as_of=today)


def test_district_counts_both_kinds_against_ten_percent(district: dict, django_assert_num_queries) -> None:
    with django_assert_num_queries(2):  # one aggregate, one for the region names
        rows = progress(district["korkab"].user, "kabupaten", district["today"])
    assert [(r.key, r.base, r.mandiri, r.alamiah, r.counted, r.target, r.share) for r in rows] == [
        (BONDOWOSO, 18, 1, 2, 3, 2, Decimal("16.7"))
    ]
    assert rows[0].reached


def test_kecamatan_rows(district: dict) -> None:
    rows = progress(district["korkab"].user, "kecamatan", district["today"])
    assert [(r.key, r.base, r.mandiri, r.alamiah, r.target, r.share) for r in rows] == [
        (MAESAN, 15, 1, 1, 2, Decimal("13.3")),
        (TAMANAN, 3, 0, 1, 1, Decimal("33.3")),
    ]


def test_pendamping_ranked_by_share_in_one_query(district: dict, django_assert_num_queries) -> None:
    with django_assert_num_queries(1):
        rows = progress(district["korkab"].user, "pendamping", district["today"])
    assert [(r.name, r.base, r.counted, r.target, r.share) for r in rows] == [
        ("Cici", 3, 1, 1, Decimal("33.3")),
        ("Ani", 10, 2, 1, Decimal("20.0")),
        ("Budi", 5, 0, 1, Decimal("0.0")),
    ]


def test_the_counted_kinds_and_the_target_are_configurable(district: dict, settings) -> None:
    settings.HARAPAN = {"graduation": {"TARGET_PERCENT": 20, "TARGET_STATUSES": ["graduasi_mandiri"]}}
    (row,) = progress(district["korkab"].user, "kabupaten", district["today"])
    assert (row.counted, row.target, row.share) == (1, 4, Decimal("5.6"))


def test_a_pendamping_sees_only_their_own_families(district: dict) -> None:
    rows = progress(district["a"].user, "pendamping", district["today"])
    assert [(r.name, r.base) for r in rows] == [("Ani", 10)]


def test_the_progress_page_is_scoped(district: dict) -> None:
    client = client_of(district["korkab"])
    html = client.get("/graduasi/capaian/").content.decode()
    assert "Cici" in html and "33,3%" in html
    assert client.get("/graduasi/capaian/?wilayah=" + JEMBER).status_code == 404
    assert client.get("/graduasi/capaian/?wilayah=" + MAESAN).status_code == 200
