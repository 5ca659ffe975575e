"""Deciding a proposed cancellation: a korkab or Dinas Sosial kabupaten/kota confirms it (the family
becomes non-eligible, through ``registry.services.household_set_status``) or refuses it with a
reason (RULES.md "Sanctions (configurable ladder)": cancellation, non-eligible; CONFIRM_ROLES)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from harapan.accounts.scope import household_q, require_role
from harapan.audit.services import audit_events_save
from harapan.conf import setting
from harapan.registry.models import Household, HouseholdStatus
from harapan.registry.services import household_set_status

from .. import events
from ..models import Confirmation, Sanction, SanctionFlag, SanctionLevel
from .status import describe


def _pending(sanction: Sanction, acting_user: Any) -> tuple[Sanction, Any]:
    staff = require_role(acting_user, *setting("compliance", "CONFIRM_ROLES"))
    if not Household.objects.filter(household_q(acting_user), pk=sanction.household_id).exists():
        raise PermissionDenied(_("KPM ini di luar wilayah kerja Anda."))
    locked = (
        Sanction.objects.select_for_update(of=("self",))
        .select_related("period", "household")
        .order_by()
        .get(pk=sanction.pk)
    )
    if locked.level != SanctionLevel.PEMBATALAN or locked.confirmation != Confirmation.MENUNGGU or not locked.is_open:
        raise ValidationError(_("Sanksi ini tidak menunggu konfirmasi."))
    return locked, staff


def may_decide(user: Any, sanction: Sanction) -> bool:
    try:
        require_role(user, *setting("compliance", "CONFIRM_ROLES"))
    except PermissionDenied:
        return False
    return (
        sanction.is_open
        and sanction.level == SanctionLevel.PEMBATALAN
        and sanction.confirmation == Confirmation.MENUNGGU
        and Household.objects.filter(household_q(user), pk=sanction.household_id).exists()
    )


@transaction.atomic
def sanction_confirm(*, sanction: Sanction, acting_user: Any, note: str = "") -> Sanction:
    """Confirm a proposed cancellation: the family becomes non-eligible from today, with the
    sanction named as the reason of its status period."""
    sanction, staff = _pending(sanction, acting_user)
    sanction.confirmation = Confirmation.DIKONFIRMASI
    sanction.decided_by, sanction.decided_at, sanction.decision_note = staff, timezone.now(), note.strip()[:300]
    sanction.save(update_fields=["confirmation", "decided_by", "decided_at", "decision_note"])
    audit_events_save(
        [
            events.event(
                events.SANCTION_CONFIRMED,
                sanction,
                household_id=sanction.household_id,
                actor=acting_user,
                before={"confirmation": Confirmation.MENUNGGU},
                after={"confirmation": Confirmation.DIKONFIRMASI},
                note=sanction.decision_note,
            )
        ]
    )
    household = sanction.household
    if household.status != HouseholdStatus.NON_ELIGIBLE:
        flagged = SanctionFlag.objects.filter(sanction=sanction).exists()
        household_set_status(
            household=household,
            status=HouseholdStatus.NON_ELIGIBLE,
            valid_from=max(timezone.localdate(), household.status_since),
            reason=describe(sanction, flagged=flagged),
            acting_user=acting_user,
            source=events.SOURCE,
        )
    return sanction


@transaction.atomic
def sanction_reject(*, sanction: Sanction, acting_user: Any, note: str) -> Sanction:
    """Refuse a proposed cancellation, with the reason. The sanction stays open without effect on
    the family's status, and is lifted like any other when the family is compliant again."""
    if not note.strip():
        raise ValidationError({"note": _("Alasan penolakan wajib diisi.")})
    sanction, staff = _pending(sanction, acting_user)
    sanction.confirmation = Confirmation.DITOLAK
    sanction.decided_by, sanction.decided_at, sanction.decision_note = staff, timezone.now(), note.strip()[:300]
    sanction.save(update_fields=["confirmation", "decided_by", "decided_at", "decision_note"])
    audit_events_save(
        [
            events.event(
                events.SANCTION_REJECTED,
                sanction,
                household_id=sanction.household_id,
                actor=acting_user,
                before={"confirmation": Confirmation.MENUNGGU},
                after={"confirmation": Confirmation.DITOLAK},
                note=sanction.decision_note,
            )
        ]
    )
    return sanction
