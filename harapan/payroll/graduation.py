"""Graduasi alamiah applied when a tahap is approved (RULES.md: Graduation, "alamiah: no eligible
component remains"; issue 4: detected automatically at a tahap cut-off).

The run lists a family with no counted component on the cut-off date as excluded with the reason
``graduasi_alamiah``; approving the tahap moves every such family still aktif or ditangguhkan to
the status ``graduasi_alamiah`` from the approval date. It is the same change as
``registry.services.household_set_status`` makes for one family - the open status period closed,
a new one opened, members' NIKs released (the family leaves the programme), the registry's
``household_status_changed`` event with the tahap as its source - done for the whole set in a few
statements per chunk instead of a loop of saves.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from harapan.audit.services import audit_events_save
from harapan.registry import events as registry_events
from harapan.registry.models import Household, HouseholdStatus, HouseholdStatusPeriod, Member

from .models import Exclusion, ExclusionReason, Tahap

# Statuses a family leaves for graduasi alamiah (a calon never joined; non-eligible already left).
GRADUATING_FROM = (HouseholdStatus.AKTIF, HouseholdStatus.DITANGGUHKAN)
BATCH = 5000


def alamiah_candidates(tahap: Tahap, on: dt.date) -> list[tuple[int, str, dt.date]]:
    """(household id, current status, status since) of the tahap's alamiah families that can still
    graduate on ``on``."""
    return list(
        Household.objects.filter(
            pk__in=Exclusion.objects.filter(tahap=tahap, reason=ExclusionReason.GRADUASI_ALAMIAH).values(
                "household_id"
            ),
            status__in=GRADUATING_FROM,
            status_since__lte=on,
        )
        .order_by("pk")
        .values_list("pk", "status", "status_since")
    )


def alamiah_apply(tahap: Tahap, *, on: dt.date, acting_user: Any) -> int:
    """Move the tahap's alamiah families to ``graduasi_alamiah`` from ``on``; returns how many.
    The caller holds the transaction (``services.tahap_approve``)."""
    candidates = alamiah_candidates(tahap, on)
    reason = (
        f"Graduasi alamiah: tidak ada komponen pada cut-off {tahap.cut_off:%d-%m-%Y} "
        f"(tahap {tahap.number}/{tahap.year}, #{tahap.pk})."
    )
    now = timezone.now()
    for start in range(0, len(candidates), BATCH):
        batch = candidates[start : start + BATCH]
        ids = [h for h, _s, _since in batch]
        same_day = [h for h, _s, since in batch if since == on]
        # As household_set_status: the old period ends the day before, or on the day itself when
        # it began that day (a period never ends before it starts).
        HouseholdStatusPeriod.objects.filter(household_id__in=ids, valid_to__isnull=True).exclude(
            household_id__in=same_day
        ).update(valid_to=on - dt.timedelta(days=1))
        if same_day:
            HouseholdStatusPeriod.objects.filter(household_id__in=same_day, valid_to__isnull=True).update(valid_to=on)
        HouseholdStatusPeriod.objects.bulk_create(
            HouseholdStatusPeriod(
                household_id=h, status=HouseholdStatus.GRADUASI_ALAMIAH, valid_from=on, reason=reason[:300]
            )
            for h in ids
        )
        Household.objects.filter(pk__in=ids).update(
            status=HouseholdStatus.GRADUASI_ALAMIAH, status_since=on, updated_at=now
        )
        # Leaving the programme releases the members' NIKs (one NIK, one active household).
        Member.objects.filter(household_id__in=ids, is_active=True).update(is_active=False)
        audit_events_save(
            [
                registry_events.household_status_changed(
                    Household(pk=h),
                    actor=acting_user,
                    source=tahap.source,
                    before=status,
                    after=HouseholdStatus.GRADUASI_ALAMIAH,
                    reason=reason,
                )
                for h, status, _since in batch
            ]
        )
    return len(candidates)
