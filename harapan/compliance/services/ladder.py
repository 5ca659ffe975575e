"""The sanction ladder, evaluated per family per month, set-based over an area (RULES.md "Sanctions
(configurable ladder)"; issue 4).

For each family and month M:

- the family's months are met (every record met), not met (a record not met) or not verified (no
  record); the run of months not met ending at M (unverified months skipped, a met month ends it,
  ``rules.months_not_met_in_a_row``) decides the levels due: a warning from the first, a
  suspension after SUSPENSION_AFTER, a cancellation after CANCELLATION_AFTER;
- an open P2K2 absence flag from the meetings app (three consecutive alpa) makes a suspension due,
  an open proposal of non-eligibility a cancellation due;
- a level due and not open is raised, with the records of the run (and the flags) behind it; an
  open level no longer due is lifted when there is ground for it: the family met every commitment
  in M (compliant again), a record behind it was corrected (the evaluation that follows a
  correction), or the P2K2 flag it rested on was lifted. Otherwise (M not verified, or a run that
  merely fell out of the window) it stays;
- the family's status follows: an open suspension makes it ditangguhkan (payment held), a
  cancellation that is confirmed (or needs no confirmation, CANCELLATION_NEEDS_CONFIRMATION) makes it
  non_eligible, and when nothing holds it any more a status the ladder set returns to aktif.

Suspension and payment: a suspended family is left out of a tahap (its status). The held payment is
released when the family is compliant again within the hold window (HOLD_RELEASE_WINDOW_MONTHS from
January: the tahap quarter by default) or the suspension rested on a record later corrected:
``Sanction.payment_released`` says so when it is lifted, and ``selectors.payment_holds`` lists it for
the payroll.

Evaluating M again changes nothing (the same records give the same levels). A family already
evaluated for a later month is left alone, so an old month run late cannot undo a newer decision.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from harapan.accounts.scope import household_q, region_in_scope, require_role
from harapan.audit.models import AuditEvent
from harapan.audit.services import audit_events_save
from harapan.conf import setting
from harapan.meetings.models import AbsenceFlag, FlagKind
from harapan.registry.models import Household, HouseholdStatus

from .. import events, rules
from ..models import (
    Confirmation,
    FamilyLadder,
    LiftReason,
    ObligationRecord,
    Sanction,
    SanctionFlag,
    SanctionLevel,
    SanctionRecord,
    month_start,
)
from ..rules import ComplianceRules
from .records import periods_for
from .status import EVALUATED, follow_status


@dataclass
class EvaluationResult:
    families: int = 0
    raised: int = 0
    lifted: int = 0
    status_changes: int = 0
    skipped: int = 0  # already evaluated for a later month
    p2k2_records: int = 0

    def add(self, other: EvaluationResult) -> None:
        for name in ("families", "raised", "lifted", "status_changes", "skipped", "p2k2_records"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class _Basis:
    records: set[int] = field(default_factory=set)
    flags: set[int] = field(default_factory=set)


def evaluation_households(*, user: Any, region: str) -> list[int]:
    """Families of ``region`` in the user's scope whose ladder is evaluated: aktif and
    ditangguhkan, and non-eligible ones with an open cancellation (so a correction can lift it)."""
    open_cancellation = Sanction.objects.filter(level=SanctionLevel.PEMBATALAN, lifted_on__isnull=True)
    return list(
        Household.objects.filter(household_q(user))
        .filter(Q(desa_id=region) | Q(desa__code__startswith=region + "."))
        .filter(
            Q(status__in=EVALUATED)
            | Q(status=HouseholdStatus.NON_ELIGIBLE, pk__in=open_cancellation.values("household_id"))
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def compliance_evaluate(*, region: str, month: dt.date, acting_user: Any, derive_p2k2: bool = True) -> EvaluationResult:
    """Evaluate the ladder for ``month`` for every family of ``region`` the user may see
    (EVALUATE_ROLES only), in chunks of CHUNK_SIZE families, one transaction each; first the
    month's P2K2 records are derived from the meetings (``p2k2_records_derive``)."""
    from .p2k2 import p2k2_records_derive

    require_role(acting_user, *setting("compliance", "EVALUATE_ROLES"))
    if not region_in_scope(acting_user, region):
        raise PermissionDenied(_("Wilayah %(code)s di luar wilayah kerja Anda.") % {"code": region})
    ids = evaluation_households(user=acting_user, region=region)
    size = int(setting("compliance", "CHUNK_SIZE"))
    total = EvaluationResult()
    for i in range(0, len(ids), size):
        chunk = ids[i : i + size]
        with transaction.atomic():
            if derive_p2k2:
                derived = p2k2_records_derive(
                    household_ids=chunk, month=month, acting_user=acting_user, reevaluate=False
                )
                total.p2k2_records += derived.created + derived.updated
            total.add(evaluate_households(chunk, month=month, acting_user=acting_user))
    return total


def reevaluate_after_correction(*, household_ids: list[int], acting_user: Any) -> EvaluationResult:
    """Re-evaluate families whose records were corrected, at the month each was last evaluated
    (families never evaluated wait for the next evaluation)."""
    by_month: dict[dt.date, list[int]] = defaultdict(list)
    for hid, month in FamilyLadder.objects.filter(household_id__in=household_ids).values_list(
        "household_id", "period__month"
    ):
        by_month[month].append(hid)
    total = EvaluationResult()
    for month, ids in sorted(by_month.items()):
        total.add(evaluate_households(ids, month=month, acting_user=acting_user, corrected=True))
    return total


def _record_labels(record_ids: set[int]) -> dict[int, str]:
    """How a record behind a sanction reads in the audit trail: "2026-10 sekolah_kehadiran Dewi (72.00)"."""
    out = {}
    for pk, month, code, name, value, met in ObligationRecord.objects.filter(pk__in=record_ids).values_list(
        "pk", "period__month", "obligation__code", "member__name", "value", "met"
    ):
        who = f" {name}" if name else ""
        amount = f" ({value})" if value is not None else ""
        out[pk] = f"{month:%Y-%m} {code}{who}{amount}{'' if met else ' tidak memenuhi'}"
    return out


@transaction.atomic
def evaluate_households(
    household_ids: list[int], *, month: dt.date, acting_user: Any, corrected: bool = False
) -> EvaluationResult:
    """Evaluate the ladder for ``month`` for these families (the caller checked scope), in a
    fixed number of queries whatever their number."""
    month = month_start(month)
    conf = ComplianceRules.from_settings()
    result = EvaluationResult()
    today = timezone.localdate()
    period = periods_for([month])[month]
    households = {
        h.pk: h
        for h in Household.objects.select_for_update().filter(pk__in=household_ids).only("pk", "status", "status_since")
    }
    state = {
        s.household_id: s
        for s in FamilyLadder.objects.filter(household_id__in=list(households)).select_related("period")
    }
    ids = []
    for hid in sorted(households):
        if hid in state and state[hid].period.month > month:
            result.skipped += 1
        else:
            ids.append(hid)
    result.families = len(ids)
    if not ids:
        return result

    first = rules.add_months(month, -(conf.window - 1))
    months: dict[int, dict[dt.date, list[tuple[bool, int]]]] = defaultdict(lambda: defaultdict(list))
    for hid, m, met, pk in ObligationRecord.objects.filter(
        household_id__in=ids, period__month__gte=first, period__month__lte=month
    ).values_list("household_id", "period__month", "met", "pk"):
        months[hid][m].append((met, pk))
    open_flags: dict[int, dict[str, int]] = defaultdict(dict)
    if setting("compliance", "P2K2_FLAGS_FEED_LADDER"):
        for hid, kind, pk in AbsenceFlag.objects.filter(household_id__in=ids, lifted_on__isnull=True).values_list(
            "household_id", "kind", "pk"
        ):
            open_flags[hid][kind] = pk
    open_sanctions: dict[int, dict[str, Sanction]] = defaultdict(dict)
    for s in Sanction.objects.filter(household_id__in=ids, lifted_on__isnull=True).select_related("period"):
        open_sanctions[s.household_id][s.level] = s
    open_ids = [s.pk for by_level in open_sanctions.values() for s in by_level.values()]
    linked_records: dict[int, set[int]] = defaultdict(set)
    link_pk: dict[tuple[str, int, int], int] = {}
    for pk, sid, rid in SanctionRecord.objects.filter(sanction_id__in=open_ids).values_list(
        "pk", "sanction_id", "record_id"
    ):
        linked_records[sid].add(rid)
        link_pk[("r", sid, rid)] = pk
    linked_flags: dict[int, set[int]] = defaultdict(set)
    for pk, sid, fid in SanctionFlag.objects.filter(sanction_id__in=open_ids).values_list(
        "pk", "sanction_id", "flag_id"
    ):
        linked_flags[sid].add(fid)
        link_pk[("f", sid, fid)] = pk

    raise_new: list[tuple[Sanction, _Basis]] = []
    lift: list[Sanction] = []
    add_records: list[SanctionRecord] = []
    add_flags: list[SanctionFlag] = []
    drop_records: list[tuple[int, int]] = []
    drop_flags: list[tuple[int, int]] = []
    ladder_rows: list[FamilyLadder] = []
    needs_confirmation = bool(setting("compliance", "CANCELLATION_NEEDS_CONFIRMATION"))
    hold_until = rules.release_by(month, window_months=conf.hold_release_window_months)

    for hid in ids:
        family_months: dict[dt.date, bool] = {}
        for m, recs in months[hid].items():
            verdict = rules.month_met(met for met, _pk in recs)
            if verdict is not None:
                family_months[m] = verdict
        run = rules.months_not_met_in_a_row(family_months, month, window=conf.window)
        behind = {
            pk
            for m, recs in months[hid].items()
            if run and rules.add_months(month, -(run - 1)) <= m <= month
            for met, pk in recs
            if not met
        }
        due: dict[str, _Basis] = {}
        for level in rules.levels_due(run or 0, rules=conf):
            due[level] = _Basis(records=set(behind))
        flags = open_flags.get(hid, {})
        if FlagKind.PENANGGUHAN in flags:
            due.setdefault(SanctionLevel.PENANGGUHAN, _Basis()).flags.add(flags[FlagKind.PENANGGUHAN])
        if FlagKind.USUL_NON_ELIGIBLE in flags:
            due.setdefault(SanctionLevel.PEMBATALAN, _Basis()).flags.add(flags[FlagKind.USUL_NON_ELIGIBLE])
        household = households[hid]
        have = open_sanctions.get(hid, {})
        for level, basis in due.items():
            kept = have.get(level)
            if kept is None:
                if household.status not in EVALUATED:
                    continue  # out of the programme: nothing new is raised, only lifted
                raise_new.append(
                    (
                        Sanction(
                            household_id=hid,
                            level=level,
                            period=period,
                            raised_on=today,
                            streak=run or 0,
                            confirmation=Confirmation.MENUNGGU
                            if level == SanctionLevel.PEMBATALAN and needs_confirmation
                            else Confirmation.TIDAK_PERLU,
                            release_by=hold_until if level == SanctionLevel.PENANGGUHAN else None,
                        ),
                        basis,
                    )
                )
                continue
            # Kept: the records behind it are those of the current run (when the month is
            # verified), the flags those open now.
            wanted_records = basis.records if run is not None else linked_records[kept.pk] | basis.records
            add_records += [
                SanctionRecord(sanction_id=kept.pk, record_id=r) for r in wanted_records - linked_records[kept.pk]
            ]
            drop_records += [(kept.pk, r) for r in linked_records[kept.pk] - wanted_records]
            add_flags += [SanctionFlag(sanction_id=kept.pk, flag_id=f) for f in basis.flags - linked_flags[kept.pk]]
            drop_flags += [(kept.pk, f) for f in linked_flags[kept.pk] - basis.flags]
        for level, s in have.items():
            if level in due:
                continue
            rests_on_records = bool(linked_records[s.pk])
            if rests_on_records and run != 0 and not corrected:
                drop_flags += [(s.pk, f) for f in linked_flags[s.pk]]
                continue  # no month met and nothing corrected: no ground to lift it
            if not rests_on_records:
                reason = LiftReason.TANDA_P2K2_DICABUT
            elif corrected:
                reason = LiftReason.KOREKSI
            else:
                reason = LiftReason.PATUH_KEMBALI
            s.lifted_on, s.lifted_period, s.lift_reason = today, period, reason
            if s.level == SanctionLevel.PENANGGUHAN:
                s.payment_released = reason == LiftReason.KOREKSI or (
                    s.release_by is not None and month <= s.release_by
                )
            lift.append(s)
        old = state.get(hid)
        streak = run or 0
        if old is None or old.period_id != period.pk or old.streak != streak:
            ladder_rows.append(FamilyLadder(household_id=hid, period=period, streak=streak, updated_at=timezone.now()))

    Sanction.objects.bulk_create([s for s, _b in raise_new])
    add_records += [SanctionRecord(sanction_id=s.pk, record_id=r) for s, b in raise_new for r in b.records]
    add_flags += [SanctionFlag(sanction_id=s.pk, flag_id=f) for s, b in raise_new for f in b.flags]
    SanctionRecord.objects.bulk_create(add_records, ignore_conflicts=True)
    SanctionFlag.objects.bulk_create(add_flags, ignore_conflicts=True)
    SanctionRecord.objects.filter(pk__in=[link_pk[("r", sid, rid)] for sid, rid in drop_records]).delete()
    SanctionFlag.objects.filter(pk__in=[link_pk[("f", sid, fid)] for sid, fid in drop_flags]).delete()
    Sanction.objects.bulk_update(lift, ["lifted_on", "lifted_period", "lift_reason", "payment_released"])
    FamilyLadder.objects.bulk_create(
        ladder_rows,
        update_conflicts=True,
        unique_fields=["household"],
        update_fields=["period", "streak", "updated_at"],
    )
    result.raised, result.lifted = len(raise_new), len(lift)

    audit = _sanction_events(raise_new, lift, month=month, acting_user=acting_user)
    changed = {s.household_id for s, _b in raise_new} | {s.household_id for s in lift}
    lifted_why = {s.household_id: s.lift_reason for s in lift}
    result.status_changes = follow_status(
        sorted(changed), lifted=lifted_why, month=month, today=today, acting_user=acting_user
    )
    audit_events_save(audit)
    return result


def _sanction_events(
    raised: list[tuple[Sanction, _Basis]], lifted: list[Sanction], *, month: dt.date, acting_user: Any
) -> list[AuditEvent]:
    labels = _record_labels({r for _s, b in raised for r in b.records})
    flag_days = dict(
        AbsenceFlag.objects.filter(pk__in={f for _s, b in raised for f in b.flags}).values_list("pk", "raised_on")
    )
    out = [
        events.event(
            events.SANCTION_RAISED,
            s,
            household_id=s.household_id,
            actor=acting_user,
            after={
                "level": s.level,
                "period": f"{month:%Y-%m}",
                "streak": s.streak,
                "records": [labels[r] for r in sorted(b.records) if r in labels],
                "flags": [flag_days[f].isoformat() for f in sorted(b.flags) if f in flag_days],
            },
        )
        for s, b in raised
    ]
    out += [
        events.event(
            events.SANCTION_LIFTED,
            s,
            household_id=s.household_id,
            actor=acting_user,
            before={"level": s.level, "period": f"{s.period.month:%Y-%m}"},
            after={
                "lift_reason": s.lift_reason,
                "period": f"{month:%Y-%m}",
                **({"payment_released": s.payment_released} if s.level == SanctionLevel.PENANGGUHAN else {}),
            },
        )
        for s in lifted
    ]
    return out
