"""Writing one chunk of checked families, set-based, inside the caller's transaction.

Registered families are loaded in bulk by ID_KELUARGA_PKH and compared field by field
(``changes``); an unchanged family is not written at all, so re-importing a file changes nothing.
The checks that need the database as it is now run here, just before the write: a family already
registered outside the importer's area, a status dated before the current one, and one NIK in one
active household (RULES.md "Identity numbers"; FORMATS.md §6.1).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils import timezone

from harapan.audit.models import AuditEvent
from harapan.audit.services import jsonable
from harapan.registry import events
from harapan.registry.models import (
    PRESENT,
    DisabilityAssessment,
    Household,
    HouseholdStatusPeriod,
    Member,
    Pregnancy,
    SchoolEnrolment,
)
from harapan.registry.rules import Violation

from .bulk import FastInsert
from .changes import (
    FACT_INSERTS,
    FACT_NAMES,
    HOUSEHOLDS,
    MEMBERS,
    PERIODS,
    STATUS_REASON,
    ChunkWrites,
    Registered,
    WriteContext,
    fact_view,
    match_members,
    new_fact_values,
    plan_new_family,
    plan_registered_family,
    snapshot,
)
from .checked import FamilyIn, Issue, family_rejects
from .rows import RowReject

__all__ = ["ChunkResult", "WriteContext", "write_families"]

# Keep IN (...) lists under the smallest SQLite limit (999 variables).
IN_BATCH = 900
AUDIT = FastInsert(AuditEvent)


def in_batches(values: Sequence[Any], size: int = IN_BATCH) -> Iterator[Sequence[Any]]:
    for i in range(0, len(values), size):
        yield values[i : i + size]


@dataclass
class ChunkResult:
    families_created: int = 0
    families_updated: int = 0
    families_unchanged: int = 0
    families_rejected: int = 0
    members_created: int = 0
    members_updated: int = 0
    rejects: list[RowReject] = field(default_factory=list)


def _load_registered(families: Sequence[FamilyIn]) -> Registered:
    old = Registered()
    for batch in in_batches([f.pkh_id for f in families]):
        old.households.update((h.pkh_id, h) for h in Household.objects.filter(pkh_id__in=batch))
    for batch in in_batches([h.pk for h in old.households.values()]):
        for m in Member.objects.filter(household_id__in=batch).order_by("id"):
            old.members[m.household_id].append(m)
        # The latest open fact of each member (ordered so the latest wins).
        for p in Pregnancy.objects.filter(member__household_id__in=batch, valid_to=None).order_by("valid_from", "id"):
            old.pregnancies[p.member_id] = p
        for e in SchoolEnrolment.objects.filter(member__household_id__in=batch, valid_to=None).order_by(
            "valid_from", "id"
        ):
            old.enrolments[e.member_id] = e
        for d in DisabilityAssessment.objects.filter(
            member__household_id__in=batch, valid_to=None, severe=True
        ).order_by("valid_from", "id"):
            old.disabilities[d.member_id] = d
        for s in HouseholdStatusPeriod.objects.filter(household_id__in=batch, valid_to=None):
            old.periods[s.household_id] = s
    return old


def _reject(result: ChunkResult, f: FamilyIn, issues: list[Issue]) -> None:
    result.rejects.extend(family_rejects(f.source, issues))
    result.families_rejected += 1


def _keluarga_issue(f: FamilyIn, column: str, rule: str, message: str, value: str) -> Issue:
    return Issue(f.source.sheet_keluarga, f.source.keluarga_row, Violation(column, rule, message), value)


def _active_niks(
    f: FamilyIn, h: Household | None, matched: dict[int, Member], old: Registered
) -> list[tuple[int, str]]:
    """(row, NIK) of every member the family will hold actively after the write (row 0: a
    registered member the file does not list, re-activated because the family rejoins)."""
    if not f.in_programme:
        return []
    out: list[tuple[int, str]] = []
    listed: set[int] = set()
    for mi in f.members:
        m = matched.get(mi.row)
        if m is not None:
            listed.add(m.pk)
        presence = mi.fields.get("presence", m.presence if m is not None else 1)
        nik = mi.nik or (m.nik if m is not None else None)
        if nik and presence in PRESENT:
            out.append((mi.row, nik))
    if h is not None:
        for m in old.members.get(h.pk, []):
            if m.pk not in listed and m.nik and m.presence in PRESENT and not m.is_active:
                out.append((0, m.nik))
    return out


def _nik_holders(niks: list[str]) -> dict[str, tuple[int, str, str]]:
    """NIK -> (household id, ID_KELUARGA_PKH, desa) of the active members holding these NIKs now."""
    out: dict[str, tuple[int, str, str]] = {}
    for batch in in_batches(niks):
        for nik, household_id, pkh_id, desa_id in Member.objects.filter(is_active=True, nik__in=batch).values_list(
            "nik", "household_id", "household__pkh_id", "household__desa_id"
        ):
            if nik:
                out[nik] = (household_id, pkh_id, desa_id)
    return out


def write_families(families: list[FamilyIn], ctx: WriteContext) -> ChunkResult:
    """Check a chunk against the registry and write it (call inside a transaction)."""
    result = ChunkResult()
    if not families:
        return result
    old = _load_registered(families)
    plans: list[tuple[FamilyIn, Household | None, dict[int, Member]]] = []
    for f in families:
        h = old.households.get(f.pkh_id)
        if h is not None and not ctx.in_scope(h.desa_id):
            # Outside the importer's area a family does not exist for them: its desa is not named.
            message = f"KPM {f.pkh_id} sudah terdaftar di luar wilayah kerja Anda."
            _reject(result, f, [_keluarga_issue(f, "ID_KELUARGA_PKH", "di_luar_wilayah", message, f.pkh_id)])
            continue
        if h is not None and f.status != h.status and (f.status_date or ctx.as_of) < h.status_since:
            message = f"Status baru tidak boleh berlaku sebelum status saat ini dimulai ({h.status_since:%Y-%m-%d})."
            value = str(f.status_date or ctx.as_of)
            _reject(result, f, [_keluarga_issue(f, "TGL_STATUS", "tgl_status_mundur", message, value)])
            continue
        plans.append((f, h, match_members(f.members, old.members.get(h.pk, [])) if h else {}))

    wanted = {f.pkh_id: _active_niks(f, h, matched, old) for f, h, matched in plans}
    holders = _nik_holders(sorted({nik for pairs in wanted.values() for _row, nik in pairs}))
    writes = ChunkWrites()
    now = timezone.now()
    for f, h, matched in plans:
        issues = []
        for row, nik in wanted[f.pkh_id]:
            holder = holders.get(nik)
            if holder is not None and (h is None or holder[0] != h.pk):
                # The rule holds nationally, but a family outside the importer's area is not named.
                where = f"KPM lain ({holder[1]})" if ctx.in_scope(holder[2]) else "keluarga lain di luar wilayah Anda"
                issues.append(
                    Issue(
                        f.source.sheet_art if row else f.source.sheet_keluarga,
                        row or f.source.keluarga_row,
                        Violation(
                            "NIK",
                            "nik_aktif_di_keluarga_lain",
                            f"NIK {nik} sudah aktif di {where}; satu NIK hanya boleh aktif di satu keluarga.",
                        ),
                        nik,
                    )
                )
        if issues:
            _reject(result, f, issues)
        elif h is None:
            plan_new_family(f, ctx, writes, now)
            result.families_created += 1
            result.members_created += len(f.members)
        else:
            changed, created, updated = plan_registered_family(f, h, matched, old, ctx, writes, now)
            result.families_updated += changed
            result.families_unchanged += not changed
            result.members_created += created
            result.members_updated += updated
    _execute(writes, ctx)
    return result


def _execute(writes: ChunkWrites, ctx: WriteContext) -> None:
    """Registered rows first (releases before the rest: a NIK or the carer role may pass from one
    member to another), then new households, members and facts, then the audit events."""
    actor, source = ctx.actor, ctx.source
    if writes.household_updates:
        Household.objects.bulk_update(writes.household_updates, [*sorted(writes.household_fields), "updated_at"])
    if writes.period_closes:
        HouseholdStatusPeriod.objects.bulk_update(writes.period_closes, ["valid_to"])
    for model, pks in writes.fact_deletes.items():
        for batch in in_batches(pks):
            model._default_manager.filter(pk__in=batch).delete()
    for model, facts in writes.fact_closes.items():
        model._default_manager.bulk_update(facts, ["valid_to"])
    if writes.member_releases:
        Member.objects.bulk_update(writes.member_releases, ["is_active", "is_carer"])
    if writes.member_updates:
        Member.objects.bulk_update(writes.member_updates, [*sorted(writes.member_fields), "updated_at"])

    household_ids = HOUSEHOLDS.insert([row for _f, row in writes.new_households], returning=True)
    periods = list(writes.new_periods)
    for (f, row), pk in zip(writes.new_households, household_ids, strict=True):
        household = HOUSEHOLDS.instance(pk, row)
        periods.append(
            PERIODS.row(
                {
                    "household_id": pk,
                    "status": household.status,
                    "valid_from": household.status_since,
                    "reason": STATUS_REASON,
                }
            )
        )
        after = snapshot(f.fields)
        after.update(status=f.status, status_since=jsonable(household.status_since))
        writes.events.append(events.household_created(household, actor=actor, source=source, after=after))
    PERIODS.insert(periods)

    household_at = MEMBERS.index["household_id"]
    for new in writes.new_members:
        if new.household is not None:
            new.row[household_at] = household_ids[new.household]
    member_ids = MEMBERS.insert([new.row for new in writes.new_members], returning=True)
    fact_rows: dict[type[models.Model], list[list[Any]]] = defaultdict(list)
    for model, values in writes.new_facts:
        fact_rows[model].append(FACT_INSERTS[model].row(values))
    for new, pk in zip(writes.new_members, member_ids, strict=True):
        member = MEMBERS.instance(pk, new.row)
        after = snapshot({k: v for k, v in new.source.fields.items() if k != "no_kk"})
        after.update(is_carer=new.source.is_carer, is_active=member.is_active)
        for model, values in new_fact_values(new.source, ctx.as_of):
            fact_rows[model].append(FACT_INSERTS[model].row({"member_id": pk, **values}))
            after[FACT_NAMES[model]] = fact_view(model, values)
        writes.events.append(events.member_created(member, actor=actor, source=source, after=after))
    for model, rows in fact_rows.items():
        FACT_INSERTS[model].insert(rows)
    AUDIT.insert([[getattr(e, f.attname) for f in AUDIT.fields] for e in writes.events])
