"""Reads of pemutakhiran, always through the reader's scope (accounts.scope)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from harapan.accounts.scope import household_q, staff_of
from harapan.registry.models import Household
from harapan.registry.rules import KOMPONEN_LABELS, RegistryRules, household_components
from harapan.registry.selectors import member_facts

from .kinds import KINDS, Change, Row
from .models import OPEN, DataUpdate
from .services import config


def scoped_updates(user: Any) -> QuerySet[DataUpdate]:
    """Updates of the families ``user`` may see."""
    return DataUpdate.objects.filter(household_q(user, prefix="household__"))


def update_get(*, user: Any, pk: int) -> DataUpdate:
    """One update, or 404 when it does not exist or its family is outside the user's scope."""
    update = (
        scoped_updates(user)
        .filter(pk=pk)
        .select_related("household", "household__desa", "household__pendamping", "member", "submitted_by")
        .first()
    )
    if update is None:
        raise Http404(_("Pemutakhiran tidak ditemukan di wilayah Anda."))
    return update


def update_queue(*, user: Any, kind: str = "") -> QuerySet[DataUpdate]:
    """Updates awaiting a decision of the user's role, in their scope, oldest first; their own
    submissions are left out (a submitter never approves their own update)."""
    staff = staff_of(user)
    if staff is None:
        return DataUpdate.objects.none()
    qs = (
        scoped_updates(user)
        .filter(status__in=OPEN, awaiting_role=staff.role)
        .exclude(submitted_by=staff)
        .exclude(decisions__decided_by=staff)
    )
    if kind:
        qs = qs.filter(kind=kind)
    return qs.select_related("household", "household__desa", "member", "submitted_by").order_by("submitted_at", "pk")


def updates_submitted(*, user: Any) -> QuerySet[DataUpdate]:
    """The user's own updates still awaiting a decision."""
    staff = staff_of(user)
    if staff is None:
        return DataUpdate.objects.none()
    return (
        DataUpdate.objects.filter(submitted_by=staff, status__in=OPEN)
        .select_related("household", "member")
        .order_by("-submitted_at", "-pk")
    )


def household_updates(household: Household, *, limit: int = 30) -> list[DataUpdate]:
    """A family's updates, newest first, with their decisions (the reader's scope was checked when
    the family was read)."""
    return list(
        DataUpdate.objects.filter(household=household)
        .select_related("member", "submitted_by")
        .prefetch_related("decisions")
        .order_by("-submitted_at", "-pk")[:limit]
    )


def approver_roles() -> set[str]:
    """The roles that appear in any configured approval chain."""
    roles = {r for chain in config("APPROVAL_CHAINS").values() for r in chain}
    return roles | set(config("MOVE_OTHER_KABUPATEN_CHAIN")) | set(config("MOVE_OTHER_PROVINCE_CHAIN"))


def change_of(update: DataUpdate) -> Change:
    return Change.of(
        household=update.household,
        kind=update.kind,
        member=update.member if update.kind != "kelahiran" else None,
        effective_date=update.effective_date,
        payload=update.payload,
    )


def update_rows(update: DataUpdate, change: Change | None = None) -> list[Row]:
    """The change as (what, before, after), in readable labels."""
    return KINDS[update.kind].rows(change or change_of(update), update.before)


def update_subject(update: DataUpdate) -> str:
    """Whom the update is about: the member's name, a newborn's name, or nothing (the family)."""
    if update.kind == "kelahiran":
        return str(update.payload.get("name", ""))
    return update.member.name if update.member is not None else ""


@dataclass
class ComponentChange:
    key: str
    label: str
    before: int
    after: int


def components_before_after(update: DataUpdate, change: Change | None = None) -> list[ComponentChange]:
    """The family's components on the effective date without and with the change (RULES.md:
    Components and amounts): what the approver's decision does to the family's benefit. For an
    applied update both sides are read from the registry as it is now, so "before" already holds
    the change; the page shows it only while the update is open."""
    change = change or change_of(update)
    rules = RegistryRules.from_settings()
    facts = member_facts(household_ids=[update.household_id])
    on = update.effective_date
    before = household_components(facts, on=on, rules=rules).counts()
    after = household_components(KINDS[update.kind].project(change, facts), on=on, rules=rules).counts()
    return [
        ComponentChange(str(k), _(label), before.get(k, 0), after.get(k, 0))
        for k, label in KOMPONEN_LABELS.items()
        if before.get(k) or after.get(k)
    ]
