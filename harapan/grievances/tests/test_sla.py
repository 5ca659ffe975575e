"""The SLA of each complaint category and the overdue flag, at the edge: a case due exactly now is
not yet overdue, a moment later it is (RULES.md: Disbursement and data, "Field problems to
record"; issue 5: "an SLA per category with overdue cases flagged"). The SLA is data, edited by the
configured roles and audited; it applies to cases lodged after the change."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone

from harapan.audit.models import AuditEvent
from harapan.grievances import events, rules
from harapan.grievances.models import GrievanceCategory
from harapan.grievances.selectors import grievance_counts, grievance_list
from harapan.grievances.services import (
    category_sla_update,
    grievance_close,
    grievance_reopen,
    grievance_resolve,
    grievance_take,
)

from .conftest import World, category, client_of, lodge

pytestmark = pytest.mark.django_db

ONE_MICROSECOND = dt.timedelta(microseconds=1)


def test_the_seeded_categories_carry_the_configured_sla_and_flags() -> None:
    rows = {c.code: c for c in GrievanceCategory.objects.all()}
    assert set(rows) == {
        "kks_hilang",
        "pin_lupa",
        "kartu_tertelan",
        "saldo_nol",
        "data_salah",
        "belum_terdaftar",
        "perilaku_pendamping",
        "lainnya",
    }
    from harapan.conf import setting

    assert {c: r.sla_days for c, r in rows.items()} == setting("grievances", "SLA_DAYS")
    assert [c for c, r in rows.items() if r.about_pendamping] == ["perilaku_pendamping"]
    assert {c for c, r in rows.items() if not r.needs_household} == {"belum_terdaftar", "lainnya"}


def test_a_case_is_due_its_category_sla_days_after_it_was_lodged(world: World) -> None:
    opened = timezone.now() - dt.timedelta(days=2)
    g = lodge(world.pendamping, world.family, code="pin_lupa", opened_at=opened)
    assert g.due_at == opened + dt.timedelta(days=category("pin_lupa").sla_days)
    # Recorded later than received: the timeline starts when it was received, the audit when recorded.
    assert g.actions.get().at == opened
    assert AuditEvent.objects.get(object_id=str(g.pk), object_type="grievance").at > opened + dt.timedelta(days=1)


def test_due_exactly_now_is_not_overdue_a_moment_later_it_is(world: World) -> None:
    sla = category("pin_lupa").sla_days
    now = timezone.now()
    g = lodge(world.pendamping, world.family, code="pin_lupa", opened_at=now - dt.timedelta(days=sla))
    assert g.due_at == now
    assert not g.overdue_at(now)
    assert g.overdue_at(now + ONE_MICROSECOND)
    assert not grievance_list(user=world.korkab.user, overdue=True, now=now).exists()
    assert list(grievance_list(user=world.korkab.user, overdue=True, now=now + ONE_MICROSECOND)) == [g]
    assert grievance_counts(None, now=now)["overdue_now"] == 0
    later = grievance_counts(None, now=now + ONE_MICROSECOND)
    assert later["overdue_now"] == 1 and later["by_category"]["pin_lupa"]["overdue_now"] == 1
    # The property reads the clock: by the time it is asked, the due time has passed.
    assert g.is_overdue


def test_a_finished_case_is_never_overdue(world: World) -> None:
    g = lodge(world.pendamping, world.family, opened_at=timezone.now() - dt.timedelta(days=30))
    assert g.is_overdue
    grievance_take(grievance=g, acting_user=world.pendamping.user)
    g.refresh_from_db()
    assert g.is_overdue  # still open while handled
    grievance_resolve(grievance=g, acting_user=world.pendamping.user, resolution="Reset PIN di bank.")
    g.refresh_from_db()
    assert not g.is_overdue
    assert not rules.finished_in_time(due_at=g.due_at, finished_at=g.resolved_at)  # type: ignore[arg-type]


def test_reopening_restarts_the_clock_unless_configured_otherwise(world: World) -> None:
    opened = timezone.now() - dt.timedelta(days=40)
    g = lodge(world.korkab, world.family, code="saldo_nol", opened_at=opened)
    first_due = g.due_at
    grievance_close(grievance=g, acting_user=world.korkab.user, reason="Ganda.")
    before = timezone.now()
    grievance_reopen(grievance=g, acting_user=world.korkab.user, reason="Bukan ganda.")
    g.refresh_from_db()
    assert g.due_at >= before + dt.timedelta(days=category("saldo_nol").sla_days) and not g.is_overdue
    h = lodge(world.korkab, world.family, code="saldo_nol", opened_at=opened)
    grievance_close(grievance=h, acting_user=world.korkab.user, reason="Ganda.")
    with override_settings(HARAPAN={"grievances": {"REOPEN_RESTARTS_SLA": False}}):
        grievance_reopen(grievance=h, acting_user=world.korkab.user, reason="Bukan ganda.")
    h.refresh_from_db()
    assert h.due_at == first_due and h.is_overdue


def test_changing_a_category_sla_is_audited_and_applies_to_new_cases_only(world: World) -> None:
    old = lodge(world.korkab, world.family, code="kks_hilang")
    category_sla_update(category=category("kks_hilang"), sla_days=21, acting_user=world.operator.user)
    new = lodge(world.korkab, world.family, code="kks_hilang")
    old_due = old.due_at
    old.refresh_from_db()
    assert old.due_at == old_due and old.due_at == old.opened_at + dt.timedelta(days=14)
    assert new.due_at == new.opened_at + dt.timedelta(days=21)
    event = AuditEvent.objects.get(action=events.CATEGORY_UPDATED)
    assert (event.before, event.after, event.actor_id) == ({"sla_days": 14}, {"sla_days": 21}, world.operator.user_id)


def test_only_the_configured_roles_change_an_sla_within_its_limits(world: World) -> None:
    with pytest.raises(PermissionDenied):
        category_sla_update(category=category("pin_lupa"), sla_days=3, acting_user=world.pendamping.user)
    with pytest.raises(PermissionDenied):
        category_sla_update(category=category("pin_lupa"), sla_days=3, acting_user=world.supervisor.user)
    with pytest.raises(ValidationError):
        category_sla_update(category=category("pin_lupa"), sla_days=0, acting_user=world.korkab.user)
    assert category("pin_lupa").sla_days == 7
    assert not AuditEvent.objects.filter(action=events.CATEGORY_UPDATED).exists()


def test_the_categories_page_edits_the_sla_for_its_roles_and_shows_it_to_others(world: World) -> None:
    page = client_of(world.pendamping).get("/pengaduan/kategori/").content.decode()
    assert 'data-testid="sla-pin_lupa">7<' in page and "sla-save-pin_lupa" not in page
    assert (
        client_of(world.pendamping)
        .post("/pengaduan/kategori/", {"code": "pin_lupa", "pin_lupa-sla_days": "3"})
        .status_code
        == 403
    )
    client = client_of(world.dinsos_kab)
    response = client.post("/pengaduan/kategori/", {"code": "pin_lupa", "pin_lupa-sla_days": "0"})
    assert response.status_code == 400 and 'data-testid="sla-error-pin_lupa"' in response.content.decode()
    response = client.post("/pengaduan/kategori/", {"code": "pin_lupa", "pin_lupa-sla_days": "5"})
    assert response.status_code == 302 and category("pin_lupa").sla_days == 5
