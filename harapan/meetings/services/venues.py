"""Places where groups meet (RULES.md "P2K2 / FDS curriculum", Venue: easy to reach, large
enough, fit to present material, away from busy roads, markets, schools; village halls,
members' houses, schools). A place that does not meet every criterion may be saved: it is
shown with what it lacks and not offered by default."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from harapan.accounts.models import Role
from harapan.accounts.scope import region_in_scope, staff_of
from harapan.audit.services import audit_event, diff, snapshot
from harapan.regions.models import Level, Region

from .. import events
from ..models import VENUE_CRITERIA, Venue

# Who records places: the pendamping of the kecamatan, and the kabupaten's korkab and operator.
VENUE_ROLES = (Role.PENDAMPING, Role.KORKAB, Role.OPERATOR)
VENUE_FIELDS = [
    "desa",
    "name",
    "kind",
    "address",
    "capacity",
    *[name for name, _label in VENUE_CRITERIA],
    "latitude",
    "longitude",
    "is_active",
]


def venue_may_edit(user: Any, desa_code: str) -> bool:
    """Whether ``user`` may add or change places in the desa ``desa_code``."""
    staff = staff_of(user)
    return staff is not None and staff.role in VENUE_ROLES and region_in_scope(user, desa_code)


def _check(venue: Venue) -> None:
    errors: dict[str, list[str]] = {}
    desa = Region.objects.filter(pk=venue.desa_id).values_list("level", flat=True).first()
    if desa != Level.DESA:
        errors["desa"] = [_("Pilih desa/kelurahan.")]
    if not venue.name.strip():
        errors["name"] = [_("Nama tempat wajib diisi.")]
    elif Venue.objects.filter(desa_id=venue.desa_id, name__iexact=venue.name.strip()).exclude(pk=venue.pk).exists():
        errors["name"] = [_("Sudah ada tempat dengan nama ini di desa/kelurahan tersebut.")]
    if (venue.latitude is None) != (venue.longitude is None):
        errors["latitude"] = [_("Isi lintang dan bujur sekaligus, atau kosongkan keduanya.")]
    elif venue.latitude is not None and venue.longitude is not None:
        if not Decimal(-90) <= Decimal(venue.latitude) <= Decimal(90):
            errors["latitude"] = [_("Lintang harus antara -90 dan 90.")]
        if not Decimal(-180) <= Decimal(venue.longitude) <= Decimal(180):
            errors["longitude"] = [_("Bujur harus antara -180 dan 180.")]
    if errors:
        raise ValidationError(errors)


def _state(venue: Venue) -> dict[str, Any]:
    return snapshot(venue, VENUE_FIELDS)


@transaction.atomic
def venue_create(*, acting_user: Any, desa: Region, name: str, kind: str, **fields: Any) -> Venue:
    """Record a new place in ``desa``; ``fields`` are the other Venue fields (address, capacity,
    the four criteria, latitude, longitude)."""
    if not venue_may_edit(acting_user, desa.code):
        raise PermissionDenied(_("Anda tidak berwenang menambah tempat pertemuan di desa ini."))
    unknown = set(fields) - set(VENUE_FIELDS)
    if unknown:
        raise TypeError(f"unknown venue fields: {sorted(unknown)}")
    venue = Venue(desa=desa, name=name.strip(), kind=kind, **fields)
    _check(venue)
    venue.save()
    audit_event(
        action=events.VENUE_CREATED,
        obj=venue,
        actor=acting_user,
        source=events.SOURCE,
        household_id=None,
        after=_state(venue),
    ).save()
    return venue


@transaction.atomic
def venue_update(*, venue: Venue, acting_user: Any, **fields: Any) -> Venue:
    """Change a place; ``fields`` are Venue fields to set. Moving it to another desa needs the right
    to edit both."""
    if not venue_may_edit(acting_user, str(venue.desa_id)):
        raise PermissionDenied(_("Anda tidak berwenang mengubah tempat pertemuan ini."))
    unknown = set(fields) - set(VENUE_FIELDS)
    if unknown:
        raise TypeError(f"unknown venue fields: {sorted(unknown)}")
    desa = fields.get("desa")
    if isinstance(desa, Region) and not venue_may_edit(acting_user, desa.code):
        raise PermissionDenied(_("Anda tidak berwenang memindahkan tempat ke desa tersebut."))
    before = _state(venue)
    for name, value in fields.items():
        setattr(venue, name, value.strip() if isinstance(value, str) else value)
    _check(venue)
    venue.save()
    changed_before, changed_after = diff(before, _state(venue))
    if changed_after:
        audit_event(
            action=events.VENUE_UPDATED,
            obj=venue,
            actor=acting_user,
            source=events.SOURCE,
            household_id=None,
            before=changed_before,
            after=changed_after,
        ).save()
    return venue
