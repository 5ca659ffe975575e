"""The test database keeps the region tree across the flush that ends every transactional test
(harapan/conftest.py), so browser tests and later tests still find all 91,599 regions."""

from __future__ import annotations

import urllib.request

import pytest

from harapan.regions.loader import EXPECTED_COUNTS
from harapan.regions.models import Region
from harapan.registry.models import Household
from harapan.testing import make_household

ALL_REGIONS = sum(EXPECTED_COUNTS.values())


@pytest.mark.django_db(transaction=True)
def test_transactional_test_sees_all_regions_and_writes_a_family() -> None:
    assert Region.objects.count() == ALL_REGIONS
    make_household()
    assert Household.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_flush_after_a_transactional_test_empties_families_but_keeps_regions() -> None:
    assert Household.objects.count() == 0
    assert Region.objects.count() == ALL_REGIONS


def test_live_server_reads_the_same_database(live_server) -> None:  # type: ignore[no-untyped-def]
    make_household()
    with urllib.request.urlopen(f"{live_server.url}/akun/masuk/") as response:
        assert response.status == 200
    assert Region.objects.count() == ALL_REGIONS


@pytest.mark.django_db
def test_ordinary_test_after_live_server_still_has_regions() -> None:
    assert Region.objects.count() == ALL_REGIONS
    assert Household.objects.count() == 0
