"""The counts dashboards and monthly reports read (``grievance_counts``): cases opened and closed in
a date range by category, open now and overdue now, for a region prefix (issue 5: "grievances by
category and overdue", "grievances ... opened/closed"; RULES.md: Disbursement and data)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from harapan.grievances.models import Grievance
from harapan.grievances.selectors import grievance_counts
from harapan.grievances.services import grievance_close, grievance_escalate, grievance_resolve, grievance_take
from harapan.testing import JEMBER, first_desa, make_household

from .conftest import World, lodge

pytestmark = pytest.mark.django_db


def at(day: str, hour: int = 10, minute: int = 0) -> dt.datetime:
    d = dt.date.fromisoformat(day)
    return timezone.make_aware(dt.datetime.combine(d, dt.time(hour, minute)), timezone.get_current_timezone())


NOW = at("2026-11-29", 12)


@pytest.fixture
def history(world: World) -> dict[str, Grievance]:
    k = world.korkab.user
    out = {}
    out["a"] = lodge(world.korkab, world.family, code="kks_hilang", opened_at=at("2026-10-05"))
    grievance_take(grievance=out["a"], acting_user=k)
    grievance_resolve(grievance=out["a"], acting_user=k, resolution="Kartu pengganti terbit.")
    Grievance.objects.filter(pk=out["a"].pk).update(resolved_at=at("2026-10-10"))
    out["b"] = lodge(world.korkab, world.family, code="saldo_nol", opened_at=at("2026-10-20"))
    grievance_close(grievance=out["b"], acting_user=k, reason="Ganda.")
    Grievance.objects.filter(pk=out["b"].pk).update(closed_at=at("2026-11-02"))
    out["c"] = lodge(world.korkab, world.family, code="pin_lupa", opened_at=at("2026-11-10"))
    out["d"] = lodge(world.korkab, world.family, code="pin_lupa", opened_at=at("2026-11-25"))
    grievance_escalate(grievance=out["d"], acting_user=k)
    out["f"] = lodge(world.korkab, world.family, code="pin_lupa", opened_at=at("2026-09-01"))
    grievance_take(grievance=out["f"], acting_user=k)
    grievance_resolve(grievance=out["f"], acting_user=k, resolution="Reset PIN.")
    Grievance.objects.filter(pk=out["f"].pk).update(resolved_at=at("2026-10-15"))
    jember = make_household(desa=first_desa(JEMBER + ".01"))
    out["e"] = lodge(world.korkab_jember, jember, code="data_salah", opened_at=at("2026-11-01"))
    return out


def test_counts_of_a_kabupaten_in_a_month(history: dict[str, Grievance]) -> None:
    october = grievance_counts("35.11", start=dt.date(2026, 10, 1), end=dt.date(2026, 10, 31), now=NOW)
    assert {k: v for k, v in october.items() if k != "by_category"} == {
        "opened": 2,  # a, b
        "resolved": 2,  # a, f
        "resolved_in_time": 1,  # a (f was due 8 September)
        "dismissed": 0,  # b was closed in November
        "closed": 2,
        "open_now": 2,  # c, d
        "overdue_now": 1,  # c (due 17 November); d is due 2 December
        "escalated_open": 1,  # d
    }
    cats = october["by_category"]
    assert list(cats)[:3] == ["kks_hilang", "pin_lupa", "kartu_tertelan"]  # the categories' order
    assert cats["kks_hilang"]["opened"] == 1 and cats["kks_hilang"]["resolved_in_time"] == 1
    assert cats["pin_lupa"] == {**cats["pin_lupa"], "opened": 0, "resolved": 1, "open_now": 2, "overdue_now": 1}
    assert cats["pin_lupa"]["sla_days"] == 7 and cats["pin_lupa"]["name"]
    assert cats["saldo_nol"]["opened"] == 1 and cats["saldo_nol"]["closed"] == 0
    november = grievance_counts("35.11", start=dt.date(2026, 11, 1), end=dt.date(2026, 11, 30), now=NOW)
    assert (november["opened"], november["dismissed"], november["closed"]) == (2, 1, 1)


def test_counts_by_region_prefix_from_desa_to_nation(history: dict[str, Grievance]) -> None:
    nation = grievance_counts(None, start=dt.date(2026, 11, 1), end=dt.date(2026, 11, 30), now=NOW)
    assert nation["opened"] == 3 and nation["open_now"] == 3
    assert grievance_counts("35", now=NOW)["opened"] == 6
    assert grievance_counts("35.09", now=NOW)["open_now"] == 1
    assert grievance_counts("35.11.01", now=NOW)["opened"] == 5
    assert grievance_counts("35.11.01.2001", now=NOW)["opened"] == 5
    assert grievance_counts("35.11.02", now=NOW)["opened"] == 0
    assert grievance_counts("33", now=NOW)["opened"] == 0


def test_the_range_is_by_local_dates_inclusive(world: World) -> None:
    lodge(world.korkab, world.family, opened_at=at("2026-10-31", 23, 59))
    lodge(world.korkab, world.family, opened_at=at("2026-11-01", 0, 0))
    assert grievance_counts("35.11", start=dt.date(2026, 10, 1), end=dt.date(2026, 10, 31))["opened"] == 1
    assert grievance_counts("35.11", start=dt.date(2026, 11, 1), end=dt.date(2026, 11, 1))["opened"] == 1
    assert grievance_counts("35.11", end=dt.date(2026, 11, 1))["opened"] == 2


def test_a_count_follows_a_change_of_the_record(world: World) -> None:
    g = lodge(world.korkab, world.family, code="kartu_tertelan", opened_at=timezone.now() - dt.timedelta(days=10))
    assert grievance_counts("35.11")["overdue_now"] == 1
    grievance_take(grievance=g, acting_user=world.korkab.user)
    grievance_resolve(grievance=g, acting_user=world.korkab.user, resolution="Kartu dikembalikan bank.")
    after = grievance_counts("35.11", start=timezone.localdate(), end=timezone.localdate())
    assert (after["overdue_now"], after["open_now"], after["resolved"], after["resolved_in_time"]) == (0, 0, 1, 0)
