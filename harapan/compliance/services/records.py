"""Writing obligation records: one save path for the pendamping's form, the school and health
facility files and the P2K2 meetings. A record that already exists is corrected in place (audited
with before and after); a family whose record changed between met and not met is re-evaluated on
the ladder at once, so "a corrected record lifts a sanction that depended on it" (RULES.md
"Sanctions (configurable ladder)")."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from harapan.accounts.scope import household_q, staff_of
from harapan.audit.services import audit_events_save, jsonable
from harapan.conf import setting
from harapan.registry.models import Household, HouseholdStatus
from harapan.registry.rules import RegistryRules

from .. import events
from ..models import Obligation, ObligationRecord, VerificationImportRun, VerificationPeriod, month_start
from ..rules import ComplianceRules, met_from_value
from ..selectors import household_due, obligation_specs

# Families whose obligations are verified: in the programme and paid (a calon is not yet).
VERIFIED_STATUSES = (HouseholdStatus.AKTIF, HouseholdStatus.DITANGGUHKAN)


def periods_for(months: Iterable[dt.date]) -> dict[dt.date, VerificationPeriod]:
    """The verification periods of these months (first days), created when missing."""
    wanted = {month_start(m) for m in months}
    VerificationPeriod.objects.bulk_create([VerificationPeriod(month=m) for m in wanted], ignore_conflicts=True)
    return {p.month: p for p in VerificationPeriod.objects.filter(month__in=wanted)}


@dataclass(frozen=True)
class RecordInput:
    household_id: int
    member_id: int | None
    obligation_id: int
    period_id: int
    met: bool
    value: Decimal | None = None
    note: str = ""

    @property
    def key(self) -> tuple[str, int, int, int]:
        if self.member_id is None:
            return ("h", self.household_id, self.obligation_id, self.period_id)
        return ("m", self.member_id, self.obligation_id, self.period_id)


@dataclass
class SaveResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # Families with a record that turned from met to not met or back.
    corrected: set[int] = field(default_factory=set)


def _key(r: ObligationRecord) -> tuple[str, int, int, int]:
    if r.member_id is None:
        return ("h", r.household_id, r.obligation_id, r.period_id)
    return ("m", r.member_id, r.obligation_id, r.period_id)


def _view(r: ObligationRecord | RecordInput, source: str) -> dict[str, Any]:
    return {"met": r.met, "value": jsonable(r.value), "note": r.note, "source": source}


@transaction.atomic
def records_save(
    rows: Sequence[RecordInput],
    *,
    source: str,
    acting_user: Any,
    run: VerificationImportRun | None = None,
    reevaluate: bool = True,
) -> SaveResult:
    """Create or correct records, set-based: one read of the existing records, one bulk insert,
    one bulk update, one batch of audit events. The caller has checked scope and applicability."""
    result = SaveResult()
    if not rows:
        return result
    codes = dict(Obligation.objects.values_list("pk", "code"))
    months = dict(VerificationPeriod.objects.filter(pk__in={r.period_id for r in rows}).values_list("pk", "month"))
    existing = {
        _key(r): r
        for r in ObligationRecord.objects.select_for_update(of=("self",))
        .order_by()
        .filter(
            household_id__in={r.household_id for r in rows},
            period_id__in={r.period_id for r in rows},
            obligation_id__in={r.obligation_id for r in rows},
        )
    }
    now = timezone.now()
    actor_id = acting_user.pk if getattr(acting_user, "is_authenticated", False) else None
    create: list[ObligationRecord] = []
    update: list[tuple[ObligationRecord, dict[str, Any]]] = []
    seen: set[tuple[str, int, int, int]] = set()
    for row in rows:
        if row.key in seen:
            continue
        seen.add(row.key)
        value = None if row.value is None else Decimal(row.value).quantize(Decimal("0.01"))
        old = existing.get(row.key)
        if old is None:
            create.append(
                ObligationRecord(
                    household_id=row.household_id,
                    member_id=row.member_id,
                    period_id=row.period_id,
                    obligation_id=row.obligation_id,
                    met=row.met,
                    value=value,
                    source=source,
                    run=run,
                    recorded_by_id=actor_id,
                    recorded_at=now,
                    note=row.note[:300],
                )
            )
            continue
        if (old.met, old.value, old.note) == (row.met, value, row.note[:300]):
            result.unchanged += 1
            continue
        before = _view(old, old.source)
        if old.met != row.met:
            result.corrected.add(old.household_id)
        old.met, old.value, old.note = row.met, value, row.note[:300]
        old.source, old.run, old.recorded_by_id, old.recorded_at = source, run, actor_id, now
        update.append((old, before))
    ObligationRecord.objects.bulk_create(create)
    ObligationRecord.objects.bulk_update(
        [r for r, _b in update], ["met", "value", "note", "source", "run", "recorded_by", "recorded_at"]
    )
    result.created, result.updated = len(create), len(update)

    def where(r: ObligationRecord) -> dict[str, Any]:
        return {"obligation": codes.get(r.obligation_id, r.obligation_id), "period": f"{months[r.period_id]:%Y-%m}"}

    audit = [
        events.event(
            events.RECORD_CREATED,
            r,
            household_id=r.household_id,
            actor=acting_user,
            source=source,
            after={**where(r), **_view(r, source)},
        )
        for r in create
    ]
    for r, before in update:
        after = _view(r, source)
        changed = [k for k in after if before.get(k) != after[k]]
        audit.append(
            events.event(
                events.RECORD_CORRECTED,
                r,
                household_id=r.household_id,
                actor=acting_user,
                source=source,
                before={**where(r), **{k: before[k] for k in changed}},
                after={**where(r), **{k: after[k] for k in changed}},
            )
        )
    audit_events_save(audit)
    if reevaluate and result.corrected:
        from .ladder import reevaluate_after_correction

        reevaluate_after_correction(household_ids=sorted(result.corrected), acting_user=acting_user)
    return result


@transaction.atomic
def records_remove(records: Sequence[ObligationRecord], *, acting_user: Any, source: str) -> set[int]:
    """Delete records whose ground has gone (a P2K2 meeting no longer held), audited; returns the
    families whose ladder must be looked at again."""
    if not records:
        return set()
    codes = dict(Obligation.objects.values_list("pk", "code"))
    audit = [
        events.event(
            events.RECORD_REMOVED,
            r,
            household_id=r.household_id,
            actor=acting_user,
            source=source,
            before={"obligation": codes.get(r.obligation_id), **_view(r, r.source)},
        )
        for r in records
    ]
    ObligationRecord.objects.filter(pk__in=[r.pk for r in records]).delete()
    audit_events_save(audit)
    return {r.household_id for r in records if not r.met}


# --- The pendamping's form --------------------------------------------------------------------


def may_record(user: Any, household: Household) -> bool:
    """A pendamping for their own families; operator and korkab inside their area (RECORD_ROLES)."""
    staff = staff_of(user)
    return (
        staff is not None
        and staff.role in setting("compliance", "RECORD_ROLES")
        and Household.objects.filter(household_q(user), pk=household.pk).exists()
    )


@dataclass(frozen=True)
class FormEntry:
    """What the form says of one obligation: met (None: not answered), a measured value, a note."""

    met: bool | None
    value: Decimal | None = None
    note: str = ""


def verification_form_save(
    *,
    household: Household,
    month: dt.date,
    entries: dict[tuple[int | None, str], FormEntry],
    acting_user: Any,
) -> SaveResult:
    """Record a family's month from the pendamping's form: only obligations that apply to its
    members' components that month (``selectors.household_due``); a measured value decides met
    (RULES.md "Obligations": >= 85% attendance, ANC and postnatal visits). Unanswered obligations
    are left unrecorded. Errors are keyed ``"<member id>-<code>"``."""
    if not may_record(acting_user, household):
        raise PermissionDenied(_("KPM ini bukan dampingan Anda."))
    month = month_start(month)
    if household.status not in VERIFIED_STATUSES:
        raise ValidationError(_("Komitmen hanya diverifikasi untuk KPM aktif atau ditangguhkan."))
    if month > month_start(timezone.localdate()):
        raise ValidationError(_("Bulan verifikasi tidak boleh di masa depan."))
    due, facts = household_due(household, month)
    specs = {o.code: (o, spec) for o, spec in obligation_specs()}
    rules, registry_rules = ComplianceRules.from_settings(), RegistryRules.from_settings()
    period = periods_for([month])[month]
    errors: dict[str, list[str]] = {}
    rows: list[RecordInput] = []
    for (member_id, code), entry in entries.items():
        name = f"{member_id or 'kpm'}-{code}"
        if member_id is None or code not in specs or code not in due.get(member_id, []):
            errors[name] = [_("Komitmen ini tidak berlaku untuk anggota ini pada bulan tersebut.")]
            continue
        obligation, spec = specs[code]
        met = entry.met
        if entry.value is not None:
            computed = met_from_value(
                spec,
                entry.value,
                facts=facts.get(member_id) if member_id else None,
                month=month,
                rules=rules,
                registry_rules=registry_rules,
            )
            if computed is None:
                errors[name] = [_("Komitmen ini tidak diukur dengan angka; pilih Ya atau Tidak.")]
                continue
            if entry.value < 0 or (spec.measure == "persen" and entry.value > 100):
                errors[name] = [_("Nilai di luar rentang.")]
                continue
            if met is not None and met != computed:
                errors[name] = [_("Pilihan Ya/Tidak tidak sesuai dengan nilai yang diisi.")]
                continue
            met = computed
        if met is None:
            continue
        rows.append(
            RecordInput(
                household_id=household.pk,
                member_id=member_id,
                obligation_id=obligation.pk,
                period_id=period.pk,
                met=met,
                value=entry.value,
                note=entry.note.strip(),
            )
        )
    if errors:
        raise ValidationError(errors)
    return records_save(rows, source="form", acting_user=acting_user)
