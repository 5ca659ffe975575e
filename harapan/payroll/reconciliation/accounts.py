"""Account data from the bank: the dated account status of families (``AccountStatus``) and the
account numbers a burekol opened, written to the families' registry records. Both are family data:
every change is audited per family."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from harapan.audit.services import audit_events_save
from harapan.registry import events as registry_events
from harapan.registry.models import Household

from .. import events
from ..models import AccountStatus


def account_statuses_record(changes: list[tuple[int, str, dt.date, str]], *, actor: Any, source: str, obj: Any) -> int:
    """Move families' dated account status (household id, status, from date, account number), as a
    set: a status equal to the open one, or older than it, changes nothing; otherwise the open
    period ends (the day before, or that day when it began that day) and a new one opens. Audited
    per family. Returns how many changed."""
    if not changes:
        return 0
    latest: dict[int, tuple[str, dt.date, str]] = {}
    for household_id, status, on, account in changes:
        latest[household_id] = (status, on, account)
    current = {a.household_id: a for a in AccountStatus.objects.filter(household_id__in=list(latest), valid_to=None)}
    closing: list[AccountStatus] = []
    opening: list[AccountStatus] = []
    audit = []
    for household_id, (status, on, account) in latest.items():
        open_now = current.get(household_id)
        if open_now is not None:
            if open_now.status == status or on < open_now.valid_from:
                continue
            open_now.valid_to = on - dt.timedelta(days=1) if on > open_now.valid_from else on
            closing.append(open_now)
        opening.append(
            AccountStatus(
                household_id=household_id, status=status, valid_from=on, account_number=account, source=source
            )
        )
        audit.append(
            events.account_status_changed(
                household_id=household_id,
                obj=obj,
                actor=actor,
                source=source,
                before=open_now.status if open_now else None,
                after=status,
                on=on.isoformat(),
            )
        )
    AccountStatus.objects.bulk_update(closing, ["valid_to"], batch_size=1000)
    AccountStatus.objects.bulk_create(opening, batch_size=1000)
    audit_events_save(audit)
    return len(opening)


def household_accounts_update(
    changes: dict[int, tuple[dict[str, Any], dict[str, Any]]],
    *,
    households: dict[int, Household],
    actor: Any,
    source: str,
) -> None:
    """Write the new accounts to the families' registry records as a set, each with the registry's
    ``household_updated`` event (account data is family data: it is audited)."""
    if not changes:
        return
    now = timezone.now()
    rows = []
    audit = []
    for household_id, (before, after) in changes.items():
        household = households[household_id]
        for k, v in after.items():
            setattr(household, k, v)
        household.updated_at = now
        rows.append(household)
        audit.append(
            registry_events.household_updated(household, actor=actor, source=source, before=before, after=after)
        )
    Household.objects.bulk_update(rows, ["account_number", "account_name", "bank", "updated_at"], batch_size=1000)
    audit_events_save(audit)
