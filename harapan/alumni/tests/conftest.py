"""Fixtures of the alumni evaluation tests (factories in ``factories.py``)."""

from __future__ import annotations

import pytest

from .factories import World, build_world


@pytest.fixture
def world(db: None) -> World:
    return build_world()
