"""JSON API of the family registry. Every read goes through ``selectors`` (the caller's scope):
a family outside it answers 404, the same as one that does not exist."""

from __future__ import annotations

import datetime as dt

from django.core.paginator import Paginator
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from harapan.audit.models import AuditEvent
from harapan.regions.selectors import normalize_code

from .rules import age_on
from .selectors import household_components_on, household_get, household_list, with_carer_and_member_count

router = Router(tags=["kpm"])
PAGE_SIZE = 50
AUDIT_PAGE_SIZE = 50
# HouseholdRow field -> the queryset value behind it.
ROW_FIELDS = {
    "id": "id",
    "pkh_id": "pkh_id",
    "no_kk": "no_kk",
    "desa": "desa_id",
    "desa_name": "desa__name",
    "status": "status",
    "status_since": "status_since",
    "carer_name": "carer_name",
    "pendamping": "pendamping__full_name",
    "member_count": "member_count",
}


class HouseholdRow(Schema):
    id: int
    pkh_id: str
    no_kk: str
    desa: str
    desa_name: str
    status: str
    status_since: dt.date
    carer_name: str | None
    pendamping: str | None
    member_count: int


class HouseholdPage(Schema):
    count: int
    page: int
    pages: int
    page_size: int
    results: list[HouseholdRow]


class MemberOut(Schema):
    id: int
    nik: str | None
    name: str
    sex: str
    birth_date: dt.date
    age: int | None
    relationship: int
    relationship_label: str
    is_carer: bool
    presence: int
    presence_label: str
    components: list[str]


class StatusPeriodOut(Schema):
    status: str
    valid_from: dt.date
    valid_to: dt.date | None
    reason: str


class HouseholdOut(Schema):
    id: int
    pkh_id: str
    dtks_id: str
    no_kk: str
    desa: str
    desa_name: str
    address: str
    dusun: str
    rt: str
    rw: str
    status: str
    status_since: dt.date
    pendamping: str | None
    kelompok_label: str
    bank: str
    account_number: str
    account_name: str
    kks_number: str
    components_on: dt.date
    component_counts: dict[str, int]
    members: list[MemberOut]
    status_history: list[StatusPeriodOut]


class AuditEventOut(Schema):
    id: int
    at: dt.datetime
    action: str
    actor: str | None
    source: str
    object_type: str
    object_id: str
    before: dict
    after: dict
    note: str


class AuditPage(Schema):
    count: int
    page: int
    pages: int
    results: list[AuditEventOut]


@router.get("", response=HouseholdPage, summary="Daftar KPM dalam wilayah kerja")
def households_list(request: HttpRequest, q: str = "", region: str = "", status: str = "", page: int = 1) -> dict:
    """Families the caller may see, 50 a page: ``q`` is a NIK or No KK (16 digits), an ID keluarga
    PKH or part of a member's name; ``region`` a region code prefix; ``status`` a family status."""
    qs = household_list(user=request.user, query=q, region=normalize_code(region) if region else "", status=status)
    paginator = Paginator(with_carer_and_member_count(qs).values(*ROW_FIELDS.values()), PAGE_SIZE)
    current = paginator.get_page(page)
    return {
        "count": paginator.count,
        "page": current.number,
        "pages": paginator.num_pages,
        "page_size": PAGE_SIZE,
        "results": [{name: row[field] for name, field in ROW_FIELDS.items()} for row in current.object_list],
    }


@router.get("/{household_id}", response=HouseholdOut, summary="Satu KPM: anggota, komponen, riwayat status")
def households_get(request: HttpRequest, household_id: int, on: dt.date | None = None) -> dict:
    """One family with its members and their components on ``on`` (default today)."""
    h = household_get(user=request.user, pk=household_id)
    on = on or timezone.localdate()
    components = household_components_on(h, on)
    return {
        "id": h.pk,
        "pkh_id": h.pkh_id,
        "dtks_id": h.dtks_id,
        "no_kk": h.no_kk,
        "desa": h.desa_id,
        "desa_name": h.desa.name,
        "address": h.address,
        "dusun": h.dusun,
        "rt": h.rt,
        "rw": h.rw,
        "status": h.status,
        "status_since": h.status_since,
        "pendamping": h.pendamping.full_name if h.pendamping else None,
        "kelompok_label": h.kelompok_label,
        "bank": h.bank,
        "account_number": h.account_number,
        "account_name": h.account_name,
        "kks_number": h.kks_number,
        "components_on": on,
        "component_counts": {str(k): n for k, n in components.counts().items()},
        "members": [
            {
                "id": m.pk,
                "nik": m.nik,
                "name": m.name,
                "sex": m.sex,
                "birth_date": m.birth_date,
                "age": age_on(m.birth_date, on) if m.birth_date <= on else None,
                "relationship": m.relationship,
                "relationship_label": m.get_relationship_display(),
                "is_carer": m.is_carer,
                "presence": m.presence,
                "presence_label": m.get_presence_display(),
                "components": [str(c) for c in components.by_member.get(m.pk, [])],
            }
            for m in h.members.all()
        ],
        "status_history": list(h.status_history.order_by("valid_from", "id")),
    }


@router.get("/{household_id}/audit", response=AuditPage, summary="Riwayat perubahan data satu KPM")
def households_audit(request: HttpRequest, household_id: int, page: int = 1) -> dict:
    """The family's audit events, newest first, 50 a page."""
    h = household_get(user=request.user, pk=household_id)
    events = AuditEvent.objects.filter(household=h).select_related("actor").order_by("-at", "-id")
    paginator = Paginator(events, AUDIT_PAGE_SIZE)
    current = paginator.get_page(page)
    return {
        "count": paginator.count,
        "page": current.number,
        "pages": paginator.num_pages,
        "results": [
            {
                "id": e.pk,
                "at": e.at,
                "action": e.action,
                "actor": e.actor.get_username() if e.actor else None,
                "source": e.source,
                "object_type": e.object_type,
                "object_id": e.object_id,
                "before": e.before,
                "after": e.after,
                "note": e.note,
            }
            for e in current.object_list
        ],
    }
