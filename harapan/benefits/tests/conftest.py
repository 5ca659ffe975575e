from __future__ import annotations

import datetime as dt

import pytest

from harapan.benefits.models import BenefitAmount, BenefitIndex, TahapShare
from harapan.benefits.rules import IndexTerms
from harapan.benefits.seeds import load_benefit_indexes
from harapan.benefits.selectors import benefit_index_on, index_terms


@pytest.fixture(autouse=True)
def seed_indexes(db: None) -> None:
    """The seed indexes come from data migration benefits.0002; a transactional test elsewhere in
    the session ends with a flush that empties them, so load them again when they are missing."""
    load_benefit_indexes(BenefitIndex, BenefitAmount, TahapShare)


def terms_on(on: dt.date) -> IndexTerms:
    index = benefit_index_on(on)
    assert index is not None, on
    return index_terms(index)


# Cut-off dates inside each seed index's period.
ON_2007 = dt.date(2008, 3, 1)
ON_2019 = dt.date(2019, 6, 1)
ON_2021 = dt.date(2024, 2, 1)
