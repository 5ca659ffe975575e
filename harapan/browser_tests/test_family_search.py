"""Find a family by NIK and by name, open it, and read its members, components and audit history,
each checked against the database."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from harapan.audit.models import AuditEvent
from harapan.registry.models import HouseholdStatus
from harapan.registry.rules import KOMPONEN_LABELS
from harapan.registry.selectors import household_components_on
from harapan.registry.services import household_set_status, household_update
from harapan.testing import make_household

pytestmark = pytest.mark.browser


def years_ago(years: int, days: int = 0) -> dt.date:
    today = timezone.localdate()
    return today.replace(year=today.year - years) - dt.timedelta(days=days)


def test_operator_finds_a_family_by_nik_and_reads_members_components_and_history(
    page: Any, login: Any, scope_world: Any
) -> None:
    operator = scope_world.staff["operator"]
    # A family with components: a pregnant carer, a child under 6 and a child in SD
    # (RULES.md: Components and amounts).
    family = make_household(
        desa="35.11.01.2003",
        pendamping=scope_world.staff["pendamping"],
        children=[(years_ago(3), None), (years_ago(9), "SD")],
        pregnant_since=timezone.localdate() - dt.timedelta(days=60),
    )
    household_update(household=family, data={"address": "Jl. Raya Maesan 7", "rt": "004"}, acting_user=operator.user)
    household_set_status(
        household=family,
        status=HouseholdStatus.DITANGGUHKAN,
        valid_from=timezone.localdate(),
        reason="Tiga kali tidak hadir P2K2",
        acting_user=operator.user,
    )
    carer = family.members.get(is_carer=True)

    login(page, operator)
    page.get_by_test_id("nav-families").click()
    page.get_by_test_id("family-search-q").fill(carer.nik)
    page.get_by_test_id("family-search-submit").click()
    expect(page.locator("#family-table tbody tr")).to_have_count(1)
    row = page.get_by_test_id(f"family-row-{family.pk}")
    expect(row).to_contain_text(carer.name)
    page.get_by_test_id(f"family-link-{family.pk}").click()

    expect(page.get_by_test_id("family-pkh-id")).to_have_text(family.pkh_id)
    expect(page.get_by_test_id("family-status")).to_have_attribute("data-status", HouseholdStatus.DITANGGUHKAN)
    expect(page.get_by_test_id("family-address")).to_contain_text("Jl. Raya Maesan 7")
    expect(page.get_by_test_id("family-no-kk")).to_have_text(family.no_kk)
    expect(page.get_by_test_id("family-pendamping")).to_have_text(scope_world.staff["pendamping"].full_name)

    members = list(family.members.all())
    expect(page.locator("#members-table tbody tr")).to_have_count(len(members))
    for m in members:
        expect(page.get_by_test_id(f"member-nik-{m.pk}")).to_have_text(m.nik or "—")
        expect(page.get_by_test_id(f"member-row-{m.pk}")).to_contain_text(m.name)

    counts = household_components_on(family, timezone.localdate()).counts()
    assert sum(counts.values()) == 3, counts  # ibu hamil, anak usia dini, anak SD
    for komponen, n in counts.items():
        item = page.get_by_test_id(f"component-count-{komponen}")
        expect(item).to_contain_text(str(KOMPONEN_LABELS[komponen]))
        expect(item).to_contain_text(str(n))

    events = list(AuditEvent.objects.filter(household=family))
    assert {e.action for e in events} == {"household_updated", "household_status_changed"}
    expect(page.locator("#audit-list > li")).to_have_count(len(events))
    for e in events:
        expect(page.get_by_test_id(f"audit-row-{e.pk}")).to_contain_text(operator.full_name)
    status_event = next(e for e in events if e.action == "household_status_changed")
    expect(page.get_by_test_id(f"audit-row-{status_event.pk}")).to_contain_text("Tiga kali tidak hadir P2K2")
    update_event = next(e for e in events if e.action == "household_updated")
    expect(page.get_by_test_id(f"audit-row-{update_event.pk}")).to_contain_text("Jl. Raya Maesan 7")


def test_korkab_finds_families_by_name_only_in_their_kabupaten(page: Any, login: Any, scope_world: Any) -> None:
    login(page, scope_world.staff["korkab"])
    page.goto("/kpm/")
    page.get_by_test_id("family-search-q").fill("Ibu Maesan A1")
    page.get_by_test_id("family-search-submit").click()
    maesan = scope_world.household("maesan_a1")
    expect(page.locator("#family-table tbody tr")).to_have_count(1)
    expect(page.get_by_test_id(f"family-row-{maesan.pk}")).to_be_visible()

    # A Jember family's carer, searched by name and by NIK, is not found by a Bondowoso korkab.
    jember = scope_world.household("jember_1")
    for query in ("Ibu Jember 1", jember.members.get(is_carer=True).nik):
        page.get_by_test_id("family-search-q").fill(query)
        page.get_by_test_id("family-search-submit").click()
        expect(page.get_by_test_id("family-empty")).to_be_visible()
        expect(page.locator("#family-table")).to_have_count(0)

    # Every Bondowoso carer is a "Ibu ..." of the world; the common part finds all four.
    page.get_by_test_id("family-search-q").fill("Ibu")
    page.get_by_test_id("family-search-submit").click()
    expect(page.locator("#family-table tbody tr")).to_have_count(len(scope_world.visible["korkab"]))
