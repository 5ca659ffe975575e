"""Family status changes decided by the sanction ladder, for many families at once: which status
the open sanctions call for (``follow_status``), and the change itself.

The set-based counterpart of ``registry.services.household_set_status`` (which changes one family
and is what a confirming korkab/Dinas Sosial goes through): the same dated ``HouseholdStatusPeriod``
history (the open period closed the day before, a new one opened with the reason), the same NIK
rule (a family leaving the programme releases its members' NIKs; one coming back must not clash
with a NIK another family holds), and the registry's own ``household_status_changed`` audit event.
The payroll's tahap run leaves out families whose status is ditangguhkan or non_eligible.

It lives here rather than in the registry because only the ladder changes statuses in bulk; it
would move to ``registry.services`` if another context needs it."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from django.utils import timezone

from harapan.audit.services import audit_events_save
from harapan.registry import events as registry_events
from harapan.registry.models import IN_PROGRAMME, PRESENT, Household, HouseholdStatus, HouseholdStatusPeriod, Member

from .. import events
from ..models import LiftReason, Sanction, SanctionFlag, SanctionLevel

# Every status period the ladder opens has a reason that starts with this: lifting the last
# sanction returns a family to aktif only from a status the ladder set.
REASON_PREFIX = "Sanksi komitmen"
# Families whose ladder is evaluated and whose status it may set.
EVALUATED = (HouseholdStatus.AKTIF, HouseholdStatus.DITANGGUHKAN)
LEVEL_LABELS: dict[str, str] = {
    SanctionLevel.PERINGATAN: "peringatan",
    SanctionLevel.PENANGGUHAN: "penangguhan",
    SanctionLevel.PEMBATALAN: "pembatalan (non-eligible)",
}


def statuses_set_by_ladder(household_ids: list[int]) -> set[int]:
    """Families whose current status period was opened by the ladder."""
    return set(
        HouseholdStatusPeriod.objects.filter(
            household_id__in=household_ids, valid_to__isnull=True, reason__startswith=REASON_PREFIX
        ).values_list("household_id", flat=True)
    )


def households_set_status_bulk(
    changes: Mapping[int, tuple[str, str]], *, on: dt.date, acting_user: Any, source: str
) -> list[int]:
    """Move each family ``{household id: (status, reason)}`` to its new status from ``on`` (or from
    its current status date, if later). Runs inside the caller's transaction with the families
    locked. Returns the ids changed: a family coming back into the programme whose member's NIK is
    now held by another family keeps its status."""
    if not changes:
        return []
    rows = {
        h.pk: h
        for h in Household.objects.select_for_update()
        .filter(pk__in=list(changes))
        .only("pk", "status", "status_since", "desa_id")
    }
    moving = {hid: change for hid, change in changes.items() if hid in rows and rows[hid].status != change[0]}
    returning = [
        hid for hid, (status, _r) in moving.items() if status in IN_PROGRAMME and rows[hid].status not in IN_PROGRAMME
    ]
    if returning:
        present = Member.objects.filter(household_id__in=returning, presence__in=PRESENT).exclude(nik=None)
        clashing = set(
            present.filter(
                nik__in=Member.objects.filter(is_active=True).exclude(household_id__in=returning).values("nik")
            ).values_list("household_id", flat=True)
        )
        for hid in clashing:
            moving.pop(hid, None)
    if not moving:
        return []
    starts = {hid: max(on, rows[hid].status_since) for hid in moving}
    close_on: dict[dt.date, list[int]] = defaultdict(list)
    for hid, start in starts.items():
        close_on[start - dt.timedelta(days=1) if start > rows[hid].status_since else start].append(hid)
    for valid_to, ids in close_on.items():
        HouseholdStatusPeriod.objects.filter(household_id__in=ids, valid_to__isnull=True).update(valid_to=valid_to)
    HouseholdStatusPeriod.objects.bulk_create(
        [
            HouseholdStatusPeriod(household_id=hid, status=status, valid_from=starts[hid], reason=reason[:300])
            for hid, (status, reason) in moving.items()
        ]
    )
    now = timezone.now()
    by_target: dict[tuple[str, dt.date], list[int]] = defaultdict(list)
    for hid, (status, _reason) in moving.items():
        by_target[(status, starts[hid])].append(hid)
    for (status, start), ids in by_target.items():
        Household.objects.filter(pk__in=ids).update(status=status, status_since=start, updated_at=now)
    leaving = [hid for hid, (s, _r) in moving.items() if s not in IN_PROGRAMME and rows[hid].status in IN_PROGRAMME]
    entering = [hid for hid, (s, _r) in moving.items() if s in IN_PROGRAMME and rows[hid].status not in IN_PROGRAMME]
    if leaving:
        Member.objects.filter(household_id__in=leaving, presence__in=PRESENT).update(is_active=False, updated_at=now)
    if entering:
        Member.objects.filter(household_id__in=entering, presence__in=PRESENT).update(is_active=True, updated_at=now)
    events = []
    for hid, (status, reason) in moving.items():
        household = rows[hid]
        old = household.status
        household.status, household.status_since = status, starts[hid]
        events.append(
            registry_events.household_status_changed(
                household, actor=acting_user, source=source, before=old, after=status, reason=reason
            )
        )
    audit_events_save(events)
    return list(moving)


# The reasons as the status history keeps them (stored text: always Indonesian).
LIFT_TEXT = {
    LiftReason.PATUH_KEMBALI: "memenuhi komitmen lagi",
    LiftReason.KOREKSI: "catatan dikoreksi",
    LiftReason.TANDA_P2K2_DICABUT: "tanda tidak hadir P2K2 dicabut",
}


def describe(s: Sanction, *, flagged: bool) -> str:
    why = []
    if s.streak:
        why.append(f"{s.streak} bulan berturut-turut tidak memenuhi komitmen s.d. {s.period}")
    if flagged:
        why.append("tanda tidak hadir P2K2")
    return f"{REASON_PREFIX} #{s.pk}: {LEVEL_LABELS[s.level]} ({'; '.join(why) or s.period})"


def follow_status(
    household_ids: list[int], *, lifted: dict[int, str], month: dt.date, today: dt.date, acting_user: Any
) -> int:
    """Set each family's status from its open sanctions (see the module docstring): a status the
    ladder did not set is never returned to aktif by it."""
    if not household_ids:
        return 0
    holding: dict[int, dict[str, Sanction]] = defaultdict(dict)
    for s in Sanction.objects.filter(household_id__in=household_ids, lifted_on__isnull=True).select_related("period"):
        if s.holds_status:
            holding[s.household_id][s.level] = s
    flagged = set(
        SanctionFlag.objects.filter(
            sanction_id__in=[s.pk for by_level in holding.values() for s in by_level.values()]
        ).values_list("sanction_id", flat=True)
    )
    current = dict(Household.objects.filter(pk__in=household_ids).values_list("pk", "status"))
    ours = statuses_set_by_ladder(household_ids)
    changes: dict[int, tuple[str, str]] = {}
    for hid in household_ids:
        held = holding.get(hid, {})
        status = current.get(hid)
        if status not in EVALUATED and not (status == HouseholdStatus.NON_ELIGIBLE and hid in ours):
            continue  # a calon, a graduated family, or one made non-eligible by someone else
        if SanctionLevel.PEMBATALAN in held:
            s = held[SanctionLevel.PEMBATALAN]
            target, reason = HouseholdStatus.NON_ELIGIBLE, describe(s, flagged=s.pk in flagged)
        elif SanctionLevel.PENANGGUHAN in held:
            s = held[SanctionLevel.PENANGGUHAN]
            target, reason = HouseholdStatus.DITANGGUHKAN, describe(s, flagged=s.pk in flagged)
        elif status in (HouseholdStatus.DITANGGUHKAN, HouseholdStatus.NON_ELIGIBLE) and hid in ours:
            why = LIFT_TEXT.get(LiftReason(lifted[hid]), "") if hid in lifted else ""
            target, reason = HouseholdStatus.AKTIF, f"{REASON_PREFIX} dicabut: {why} ({month:%Y-%m})"
        else:
            continue
        if target != status:
            changes[hid] = (target, reason)
    return len(households_set_status_bulk(changes, on=today, acting_user=acting_user, source=events.SOURCE))
