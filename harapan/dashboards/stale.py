"""Which figures a change makes stale, read from the audit trail (every change to family data is
audited): ``audit.signals.audit_events_saved`` arrives with the events just written, inside the
writer's transaction, and each batch becomes stale marks in one query per kind of object.

- An event about a family marks the family's current desa (every section; only its own section for
  a referral, coverage or grievance, ``FAMILY_CASE_SECTIONS``), and any desa named in its
  before/after (a family that moved: the desa it left).
- An event with no family marks by its object (``OBJECT_AREAS``): a tahap or a bank result its
  tahap's region (payments), a meeting or kelompok the group's desa (P2K2), a dana sharing record
  its kabupaten, a grievance or referral its desa. A meeting's and a grievance's events mark their
  object's desa also when they name a family (``BY_OBJECT_TOO``): a case counts in the desa it was
  lodged in, which may no longer be its family's.
- Other objects (benefit indexes, hard-to-reach areas, readiness indicators, venues, the P2K2
  catalogue, products) change no figure (``IGNORED_OBJECTS``).

Two changes are not audited and are caught by their own save: a finished KPM import (its region:
the import writes its audit rows itself, without the signal) and a staff record (the pendamping
count and caseload of its kecamatan; a pendamping's).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.db.models.signals import post_save
from django.dispatch import receiver

from harapan.audit.models import AuditEvent
from harapan.audit.signals import audit_events_saved

from . import metrics as m
from .compute import chunks
from .services import mark_stale

# object_type -> (app label, model, lookup of the region code, section). The region may be a desa,
# a kabupaten or a province; empty means the whole country (a national tahap).
OBJECT_AREAS: dict[str, tuple[str, str, str, str]] = {
    "tahap": ("payroll", "Tahap", "region_id", m.BAYAR),
    "resultimport": ("payroll", "ResultImport", "tahap__region_id", m.BAYAR),
    "danasharing": ("payroll", "DanaSharing", "kabupaten_id", m.DANA),
    "meeting": ("meetings", "Meeting", "kelompok__desa_id", m.P2K2),
    "kelompok": ("groups", "Kelompok", "desa_id", m.P2K2),
    "grievance": ("grievances", "Grievance", "desa_id", m.ADUAN),
    "referral": ("referrals", "Referral", "household__desa_id", m.RUJUKAN),
}
# A family's case (a referral, a coverage, a grievance) changes no other figure of the family's desa:
# its events mark that section only (a grievance's is also marked in its own desa, below).
FAMILY_CASE_SECTIONS = {"referral": m.RUJUKAN, "coverage": m.RUJUKAN, "grievance": m.ADUAN}
# Objects whose events mark their own area also when they name a family: a meeting counts in its
# group's desa, a case in the desa it was lodged in (which stays when the family moves on).
BY_OBJECT_TOO = frozenset({"meeting", "grievance"})
# Objects whose events change no figure (listed so a new kind of event is a decision, not a gap).
IGNORED_OBJECTS = frozenset(
    {
        "benefitindex",
        "hardtoreacharea",
        "readinessindicator",
        "venue",
        "module",
        "session",
        "sessionmaterial",
        "knowledgequestion",
        "product",
        "productsale",
        "grievancecategory",
        "programme",
        "coverage",
    }
)


def areas_of_events(events: Iterable[AuditEvent]) -> set[tuple[str, str]]:
    """The (region prefix, section) pairs the events make stale ("" section: every section)."""
    out: set[tuple[str, str]] = set()
    households: dict[int, set[str]] = defaultdict(set)
    objects: dict[str, set[str]] = defaultdict(set)
    for event in events:
        if event.household_id is not None:
            households[event.household_id].add(FAMILY_CASE_SECTIONS.get(event.object_type, ""))
        for values in (event.before, event.after):
            desa = values.get("desa") if isinstance(values, dict) else None
            if isinstance(desa, str) and desa:
                out.add((desa, ""))
        if event.object_type in OBJECT_AREAS and (event.household_id is None or event.object_type in BY_OBJECT_TOO):
            objects[event.object_type].add(event.object_id)
    if households:
        from harapan.registry.models import Household

        for batch in chunks(sorted(households), 900):
            for pk, desa in Household.objects.filter(pk__in=batch).values_list("pk", "desa_id"):
                sections = households[pk]
                out |= {(str(desa), "" if "" in sections else s) for s in sections}
    for object_type, ids in objects.items():
        app_label, model_name, lookup, section = OBJECT_AREAS[object_type]
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:
            continue
        pks = [int(i) for i in ids if str(i).isdigit()]
        for batch in chunks(sorted(pks), 900):
            out |= {
                (str(code or ""), section) for code in model.objects.filter(pk__in=batch).values_list(lookup, flat=True)
            }
    return out


@receiver(audit_events_saved, dispatch_uid="dashboards-stale-from-audit")
def _audit_events_saved(sender: Any, events: list[AuditEvent], **kwargs: Any) -> None:
    pairs = areas_of_events(events)
    if pairs:
        mark_stale(pairs)


@receiver(post_save, sender="imports.ImportRun", dispatch_uid="dashboards-stale-from-import")
def _import_finished(sender: Any, instance: Any, **kwargs: Any) -> None:
    if getattr(instance, "is_finished", False):
        mark_stale([(str(instance.region_id or ""), "")])


@receiver(post_save, sender="accounts.Staff", dispatch_uid="dashboards-stale-from-staff")
def _staff_saved(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    from harapan.accounts.models import Role

    if not raw and instance.region_id and instance.role == Role.PENDAMPING:
        mark_stale([(str(instance.region_id), m.STAF)])
