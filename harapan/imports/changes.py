"""What importing a family changes: new rows for a new family, field-by-field differences and
dated-fact changes for a registered one. Nothing is written here; ``writer`` writes the lot.

Rules kept here:
- a column absent from the file keeps the registered value; an empty NIK never erases one;
- members are matched within the family by NIK, else ID_ART_PKH, else (name, birth date) when
  one side has no NIK (a newborn registered later);
- a member holds their NIK actively while present (STA_KEBERADAAN_ART 1 or 4) in a family that
  is in the programme (RULES.md "Identity numbers": one NIK in one active household);
- a dated fact that changed is closed the day before the reference date and a new one opened;
  a fact that began on or after that day never held and is removed (a same-day correction); a
  pregnancy with no recorded end is never stretched past its natural end (RULES.md: Components).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from harapan.audit.models import AuditEvent
from harapan.audit.services import jsonable
from harapan.registry import events
from harapan.registry.models import (
    IN_PROGRAMME,
    PRESENT,
    DisabilityAssessment,
    Household,
    HouseholdStatusPeriod,
    Member,
    Pregnancy,
    SchoolEnrolment,
)
from harapan.registry.rules import RegistryRules

from .bulk import FastInsert
from .checked import FamilyIn, MemberIn

STATUS_REASON = "Impor KPM"


@dataclass
class WriteContext:
    as_of: dt.date
    actor: Any
    source: str
    rules: RegistryRules
    in_scope: Callable[[str], bool]


@dataclass
class Registered:
    """What the database holds of a chunk's registered families."""

    households: dict[str, Household] = field(default_factory=dict)
    members: dict[int, list[Member]] = field(default_factory=lambda: defaultdict(list))
    pregnancies: dict[int, Pregnancy] = field(default_factory=dict)
    enrolments: dict[int, SchoolEnrolment] = field(default_factory=dict)
    disabilities: dict[int, DisabilityAssessment] = field(default_factory=dict)
    periods: dict[int, HouseholdStatusPeriod] = field(default_factory=dict)


@dataclass
class NewMember:
    row: list[Any]  # Member row (bulk.FastInsert order); household id filled once known
    source: MemberIn
    household: int | None  # index into ChunkWrites.new_households, or None: registered household


@dataclass
class ChunkWrites:
    """Everything a chunk will write, gathered before any write."""

    new_households: list[tuple[FamilyIn, list[Any]]] = field(default_factory=list)
    new_members: list[NewMember] = field(default_factory=list)
    household_updates: list[Household] = field(default_factory=list)
    household_fields: set[str] = field(default_factory=set)
    period_closes: list[HouseholdStatusPeriod] = field(default_factory=list)
    new_periods: list[list[Any]] = field(default_factory=list)
    member_releases: list[Member] = field(default_factory=list)
    member_updates: list[Member] = field(default_factory=list)
    member_fields: set[str] = field(default_factory=set)
    fact_closes: dict[type[models.Model], list[models.Model]] = field(default_factory=lambda: defaultdict(list))
    fact_deletes: dict[type[models.Model], list[int]] = field(default_factory=lambda: defaultdict(list))
    # New facts of registered members: (model, {attname: value}).
    new_facts: list[tuple[type[models.Model], dict[str, Any]]] = field(default_factory=list)
    events: list[AuditEvent] = field(default_factory=list)


HOUSEHOLDS = FastInsert(Household)
MEMBERS = FastInsert(Member)
PERIODS = FastInsert(HouseholdStatusPeriod)
FACT_INSERTS: dict[type[models.Model], FastInsert[Any]] = {
    m: FastInsert(m) for m in (Pregnancy, SchoolEnrolment, DisabilityAssessment)
}


# --- Members ---------------------------------------------------------------------------------


def name_key(name: str) -> str:
    return " ".join(name.upper().split())


def match_members(incoming: list[MemberIn], existing: list[Member]) -> dict[int, Member]:
    """Pair incoming members with the family's registered ones: {incoming row: member}."""
    by_nik = {m.nik: m for m in existing if m.nik}
    by_art = {m.art_pkh_id: m for m in existing if m.art_pkh_id}
    by_name: dict[tuple[str, dt.date], list[Member]] = defaultdict(list)
    for m in existing:
        by_name[(name_key(m.name), m.birth_date)].append(m)
    taken: set[int] = set()
    out: dict[int, Member] = {}

    def take(mi: MemberIn, m: Member | None) -> bool:
        if m is None or m.pk in taken:
            return False
        out[mi.row] = m
        taken.add(m.pk)
        return True

    rest = [mi for mi in incoming if not (mi.nik and take(mi, by_nik.get(mi.nik)))]
    later = []
    for mi in rest:
        art = mi.fields.get("art_pkh_id")
        if not take(mi, by_art.get(art) if art else None):
            later.append(mi)
    for mi in later:
        for m in by_name.get((name_key(mi.fields.get("name", "")), mi.fields["birth_date"]), []):
            if (not mi.nik or not m.nik) and take(mi, m):
                break
    return out


def member_row(mi: MemberIn, *, household_id: int | None, in_programme: bool, now: dt.datetime) -> list[Any]:
    values = dict(mi.fields)
    values.update(
        household_id=household_id,
        is_carer=mi.is_carer,
        is_active=mi.present and in_programme,
        created_at=now,
        updated_at=now,
    )
    return MEMBERS.row(values)


# --- Facts -----------------------------------------------------------------------------------


def new_fact_values(mi: MemberIn, as_of: dt.date) -> list[tuple[type[models.Model], dict[str, Any]]]:
    """The dated facts a newly registered member starts with."""
    out: list[tuple[type[models.Model], dict[str, Any]]] = []
    if mi.pregnant:
        out.append((Pregnancy, {"valid_from": mi.pregnancy_from or as_of}))
    if mi.enrolment is not None:
        values: dict[str, Any] = {"level": mi.enrolment.level, "valid_from": as_of}
        values.update(mi.enrolment.details)
        out.append((SchoolEnrolment, values))
    if mi.severe:
        out.append((DisabilityAssessment, {"severe": True, "valid_from": as_of}))
    return out


def fact_view(model: type[models.Model], values: dict[str, Any] | None) -> Any:
    """A fact as the audit trail shows it: {"sejak": ...}, plus the school for an enrolment."""
    if values is None:
        return None
    view: dict[str, Any] = {"sejak": jsonable(values["valid_from"])}
    if model is SchoolEnrolment:
        view["jenjang"] = values["level"]
        for name in ("grade", "npsn", "nisn", "school_name"):
            if values.get(name) not in (None, ""):
                view[name] = values[name]
    return view


FACT_NAMES: dict[type[models.Model], str] = {
    Pregnancy: "hamil",
    SchoolEnrolment: "sekolah",
    DisabilityAssessment: "disabilitas_berat",
}


def _fact_values(fact: models.Model | None) -> dict[str, Any] | None:
    if fact is None:
        return None
    return {f.attname: getattr(fact, f.attname) for f in fact._meta.concrete_fields}


def _close(fact: models.Model, end: dt.date, writes: ChunkWrites) -> None:
    if end < fact.valid_from:  # type: ignore[attr-defined]
        writes.fact_deletes[type(fact)].append(fact.pk)
    else:
        fact.valid_to = end  # type: ignore[attr-defined]
        writes.fact_closes[type(fact)].append(fact)


def _change_facts(
    mi: MemberIn, m: Member, old: Registered, ctx: WriteContext, writes: ChunkWrites
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Compare a registered member's open facts with the file; returns the audit (before, after)."""
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    day_before = ctx.as_of - dt.timedelta(days=1)

    def record(model: type[models.Model], old_fact: models.Model | None, new: dict[str, Any] | None) -> None:
        name = FACT_NAMES[model]
        before[name] = fact_view(model, _fact_values(old_fact))
        after[name] = fact_view(model, new)
        if new is not None:
            writes.new_facts.append((model, {"member_id": m.pk, **new}))

    if mi.pregnant is not None:
        open_p = old.pregnancies.get(m.pk)
        if mi.pregnant and (open_p is None or (mi.pregnancy_from and mi.pregnancy_from != open_p.valid_from)):
            start = mi.pregnancy_from or ctx.as_of
            if open_p is not None:
                _close(open_p, start - dt.timedelta(days=1), writes)
            record(Pregnancy, open_p, {"valid_from": start})
        elif not mi.pregnant and open_p is not None:
            natural_end = open_p.valid_from + dt.timedelta(days=ctx.rules.pregnancy_days)
            _close(open_p, min(day_before, natural_end), writes)
            record(Pregnancy, open_p, None)
    if mi.enrolment_given:
        open_e = old.enrolments.get(m.pk)
        target = mi.enrolment
        if target is None and open_e is not None:
            _close(open_e, day_before, writes)
            record(SchoolEnrolment, open_e, None)
        elif target is not None:
            values: dict[str, Any] = {"level": target.level, "grade": None, "npsn": "", "nisn": "", "school_name": ""}
            if open_e is not None and open_e.level == target.level:
                values.update({k: getattr(open_e, k) for k in ("grade", "npsn", "nisn", "school_name")})
            values.update(target.details)
            if open_e is None or any(getattr(open_e, k) != v for k, v in values.items()):
                if open_e is not None:
                    _close(open_e, day_before, writes)
                record(SchoolEnrolment, open_e, {**values, "valid_from": ctx.as_of})
    if mi.severe is not None:
        open_d = old.disabilities.get(m.pk)
        if mi.severe and open_d is None:
            record(DisabilityAssessment, None, {"severe": True, "valid_from": ctx.as_of})
        elif not mi.severe and open_d is not None:
            _close(open_d, day_before, writes)
            record(DisabilityAssessment, open_d, None)
    return before, after


# --- Families --------------------------------------------------------------------------------


_AUDIT_NAMES = {"desa_id": "desa", "pendamping_id": "pendamping"}
_JSON_PLAIN = (str, int, bool)


def _audit_name(name: str) -> str:
    return _AUDIT_NAMES.get(name, name)


def snapshot(values: dict[str, Any]) -> dict[str, Any]:
    """Given values in audit form: JSON-safe, empty ones left out."""
    names = _AUDIT_NAMES
    return {
        names.get(k, k): v if type(v) in _JSON_PLAIN else jsonable(v)
        for k, v in values.items()
        if v is not None and v != ""
    }


def plan_new_family(f: FamilyIn, ctx: WriteContext, writes: ChunkWrites, now: dt.datetime) -> None:
    values = dict(f.fields)
    values.update(status=f.status, status_since=f.status_date or ctx.as_of, created_at=now, updated_at=now)
    index = len(writes.new_households)
    writes.new_households.append((f, HOUSEHOLDS.row(values)))
    for mi in f.members:
        row = member_row(mi, household_id=None, in_programme=f.in_programme, now=now)
        writes.new_members.append(NewMember(row, mi, index))


def plan_registered_family(
    f: FamilyIn,
    h: Household,
    matched: dict[int, Member],
    old: Registered,
    ctx: WriteContext,
    writes: ChunkWrites,
    now: dt.datetime,
) -> tuple[bool, int, int]:
    """Plan the writes of a registered family. Returns (changed, members created, members updated)."""
    actor, source = ctx.actor, ctx.source
    values = dict(f.fields)
    values.pop("pkh_id")
    new_desa = values.get("desa_id", h.desa_id)
    if "pendamping_id" not in values and h.pendamping_id and new_desa.rsplit(".", 1)[0] != h.desa_id.rsplit(".", 1)[0]:
        # A pendamping works in one kecamatan: a family that moved away loses its pendamping.
        values["pendamping_id"] = None
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    old_pendamping = h.pendamping_id
    for name, value in values.items():
        current = getattr(h, name)
        if current != value:
            setattr(h, name, value)
            writes.household_fields.add(name)
            if name != "pendamping_id":
                before[_audit_name(name)], after[_audit_name(name)] = jsonable(current), jsonable(value)
    if after:
        writes.events.append(events.household_updated(h, actor=actor, source=source, before=before, after=after))
    if h.pendamping_id != old_pendamping:
        writes.events.append(
            events.household_pendamping_assigned(
                h, actor=actor, source=source, before=old_pendamping, after=h.pendamping_id
            )
        )
    changed = bool(after) or h.pendamping_id != old_pendamping
    if f.status != h.status:
        changed = True
        start = f.status_date or ctx.as_of
        period = old.periods.get(h.pk)
        if period is not None:
            period.valid_to = start - dt.timedelta(days=1) if start > period.valid_from else period.valid_from
            writes.period_closes.append(period)
        writes.new_periods.append(
            PERIODS.row({"household_id": h.pk, "status": f.status, "valid_from": start, "reason": STATUS_REASON})
        )
        writes.events.append(
            events.household_status_changed(
                h, actor=actor, source=source, before=h.status, after=f.status, reason=STATUS_REASON
            )
        )
        h.status, h.status_since = f.status, start
        writes.household_fields.update(("status", "status_since"))

    in_programme = f.status in IN_PROGRAMME
    members_created = members_updated = 0
    touched: set[int] = set()
    for mi in f.members:
        m = matched.get(mi.row)
        if m is None:
            writes.new_members.append(
                NewMember(member_row(mi, household_id=h.pk, in_programme=in_programme, now=now), mi, None)
            )
            members_created += 1
            continue
        touched.add(m.pk)
        mvalues = dict(mi.fields)
        if mvalues.get("nik") is None and m.nik:
            mvalues.pop("nik")  # an empty NIK in the file never erases a registered one
        presence = mvalues.get("presence", m.presence)
        present = presence in PRESENT
        if "presence" in mvalues:
            was_present = m.presence in PRESENT
            if was_present and not present and m.left_on is None:
                mvalues["left_on"] = ctx.as_of
            elif present and not was_present:
                mvalues["left_on"] = None
        mvalues["is_carer"] = mi.is_carer
        mvalues["is_active"] = present and in_programme
        fact_before, fact_after = _change_facts(mi, m, old, ctx, writes)
        if _apply_member(m, mvalues, ctx, writes, now) or fact_after or fact_before:
            members_updated += 1
        if fact_after or fact_before:
            writes.events.append(
                events.member_fact_recorded(m, actor=actor, source=source, before=fact_before, after=fact_after)
            )
    # Registered members the file does not list keep their data; their NIK is held only while the
    # family is in the programme, and the carer is the one the file names.
    for m in old.members.get(h.pk, []):
        if m.pk not in touched and _apply_member(
            m, {"is_active": m.presence in PRESENT and in_programme, "is_carer": False}, ctx, writes, now
        ):
            members_updated += 1
    if members_created or members_updated:
        changed = True
    if changed:
        h.updated_at = now
        writes.household_updates.append(h)
    return changed, members_created, members_updated


def _apply_member(m: Member, values: dict[str, Any], ctx: WriteContext, writes: ChunkWrites, now: dt.datetime) -> bool:
    """Set the changed fields of a registered member; queue its update and audit event."""
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    releasing = False
    for name, value in values.items():
        current = getattr(m, name)
        if current != value:
            if name in ("is_active", "is_carer") and current and not value:
                releasing = True
            setattr(m, name, value)
            writes.member_fields.add(name)
            before[name], after[name] = jsonable(current), jsonable(value)
    if not after:
        return False
    if releasing:
        # Released first, in a statement of its own: a NIK or the carer role may pass to another
        # member in the same chunk, and unique indexes are checked row by row.
        writes.member_releases.append(
            Member(
                pk=m.pk,
                is_active=m.is_active and before.get("is_active", True),
                is_carer=m.is_carer and before.get("is_carer", True),
            )
        )
    m.updated_at = now
    writes.member_updates.append(m)
    writes.events.append(events.member_updated(m, actor=ctx.actor, source=ctx.source, before=before, after=after))
    return True
