"""Forming groups from the registry, moving families and groups by hand (issue 3).

Every change writes audit events; bulk work is set-based (one update per pendamping)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from harapan.accounts.models import Role, Staff
from harapan.accounts.scope import region_in_scope, require_role
from harapan.audit.services import audit_events_save
from harapan.conf import setting
from harapan.regions.models import Region
from harapan.registry.models import IN_PROGRAMME, Household, Member

from . import events, rules
from .models import GroupMembership, Kelompok

GROUP_ROLES = (Role.OPERATOR, Role.KORKAB)


@dataclass
class FormationResult:
    kecamatan_code: str
    groups: int = 0
    families: int = 0
    small_groups: list[str] = field(default_factory=list)  # codes of groups below the size band
    loads: dict[int, int] = field(default_factory=dict)  # pendamping id -> in-programme families
    statuses: dict[int, str] = field(default_factory=dict)


def _require_operator_in(acting_user: Any, region_code: str) -> Staff:
    staff = require_role(acting_user, *GROUP_ROLES)
    if not region_in_scope(acting_user, region_code):
        raise PermissionDenied(_("Wilayah ini di luar wilayah kerja Anda."))
    return staff


def kecamatan_pendamping(kecamatan_code: str) -> list[Staff]:
    return list(Staff.objects.filter(role=Role.PENDAMPING, region_id=kecamatan_code, is_active=True).order_by("pk"))


def _open_memberships() -> Any:
    return GroupMembership.objects.filter(valid_to__isnull=True)


@transaction.atomic
def kelompok_form_for_kecamatan(
    *,
    kecamatan_code: str,
    acting_user: Any,
    valid_from: dt.date,
    keep_pendamping: bool = True,
    source: str = "web",
) -> FormationResult:
    """Form groups for the in-programme families of a kecamatan that have no open group, desa by
    desa in RW/RT order (neighbours together), and share the groups among the kecamatan's active
    pendamping, balancing their caseloads. Running again touches only families still without a group.

    With ``keep_pendamping`` (the default) a family already assigned to an active pendamping of the
    kecamatan keeps that pendamping: such families are grouped per desa and pendamping, and only the
    groups of unassigned families are balanced. Without it every new group is balanced afresh."""
    _require_operator_in(acting_user, kecamatan_code)
    minimum = setting("groups", "GROUP_MIN")
    maximum = setting("groups", "GROUP_MAX")
    target = setting("groups", "GROUP_TARGET")
    min_load = setting("groups", "CASELOAD_MIN")
    max_load = setting("groups", "CASELOAD_MAX")
    result = FormationResult(kecamatan_code=kecamatan_code)
    pendamping = kecamatan_pendamping(kecamatan_code)
    if not pendamping:
        raise ValidationError(_("Tidak ada pendamping aktif di kecamatan %(code)s.") % {"code": kecamatan_code})
    pendamping_ids = [p.pk for p in pendamping]

    in_kecamatan = Household.objects.filter(desa__code__startswith=kecamatan_code + ".", status__in=IN_PROGRAMME)
    rows = list(
        in_kecamatan.exclude(pk__in=_open_memberships().values("household_id"))
        .order_by("desa_id", "rw", "rt", "pkh_id")
        .values_list("pk", "desa_id", "pendamping_id")
    )
    # Blocks of families grouped together: (desa, kept pendamping or 0 for "to balance").
    kept = set(pendamping_ids) if keep_pendamping else set()
    blocks: dict[tuple[str, int], list[tuple[int, int | None]]] = defaultdict(list)
    for pk, desa_id, pendamping_id in rows:
        blocks[(desa_id, pendamping_id if pendamping_id in kept else 0)].append((pk, pendamping_id))
    desa_codes = sorted({desa for desa, _p in blocks})

    # Slices of families, one per new group, in desa then RW/RT order.
    desa_names = dict(Region.objects.filter(code__in=desa_codes).values_list("code", "name"))
    existing_per_desa = dict(
        Kelompok.objects.filter(desa_id__in=desa_codes)
        .values("desa_id")
        .annotate(n=Count("pk"))
        .values_list("desa_id", "n")
    )
    taken_codes = set(Kelompok.objects.filter(desa_id__in=desa_codes).values_list("code", flat=True))
    new_groups: list[Kelompok] = []
    slices: list[list[tuple[int, int | None]]] = []
    for desa_id, kept_pendamping in sorted(blocks):
        families = blocks[(desa_id, kept_pendamping)]
        number = existing_per_desa.get(desa_id, 0)
        start = 0
        for size in rules.split_sizes(len(families), minimum=minimum, maximum=maximum, target=target):
            number += 1
            code = f"{desa_id}-K{number:02d}"
            while code in taken_codes:
                number += 1
                code = f"{desa_id}-K{number:02d}"
            taken_codes.add(code)
            new_groups.append(
                Kelompok(
                    code=code,
                    name=f"{desa_names.get(desa_id, desa_id)} {number:02d}",
                    desa_id=desa_id,
                    pendamping_id=kept_pendamping or None,
                )
            )
            slices.append(families[start : start + size])
            start += size
        existing_per_desa[desa_id] = number
    if not new_groups:
        result.loads, result.statuses = _loads(pendamping_ids, min_load=min_load, max_load=max_load)
        return result

    # Ketua: the carer of each group's first family.
    first_ids = [chunk[0][0] for chunk in slices]
    carers = dict(Member.objects.filter(household_id__in=first_ids, is_carer=True).values_list("household_id", "pk"))
    # Existing load: each pendamping's in-programme families, less those whose group is balanced
    # now (they go with their new group).
    existing = dict(
        in_kecamatan.filter(pendamping_id__in=pendamping_ids)
        .values("pendamping_id")
        .annotate(n=Count("pk"))
        .values_list("pendamping_id", "n")
    )
    to_balance = [i for i, group in enumerate(new_groups) if group.pendamping_id is None]
    for i in to_balance:
        for _pk, old in slices[i]:
            if old in existing:
                existing[old] -= 1
    assignment = rules.assign_groups_to_pendamping(
        [len(slices[i]) for i in to_balance],
        pendamping_ids,
        min_load=min_load,
        max_load=max_load,
        existing_loads=existing,
    )
    for i, pid in zip(to_balance, assignment.pendamping_of_group, strict=True):
        new_groups[i].pendamping_id = pid
    for group, chunk in zip(new_groups, slices, strict=True):
        group.ketua_id = carers.get(chunk[0][0])
    Kelompok.objects.bulk_create(new_groups, batch_size=1000)
    pk_of = dict(Kelompok.objects.filter(code__in=[g.code for g in new_groups]).values_list("code", "pk"))

    memberships: list[GroupMembership] = []
    audit = []
    per_pendamping: dict[int, list[int]] = defaultdict(list)
    for group, chunk in zip(new_groups, slices, strict=True):
        if rules.is_small(len(chunk), minimum=minimum):
            result.small_groups.append(group.code)
        for household_id, old_pendamping in chunk:
            memberships.append(
                GroupMembership(household_id=household_id, kelompok_id=pk_of[group.code], valid_from=valid_from)
            )
            if old_pendamping != group.pendamping_id:
                per_pendamping[group.pendamping_id].append(household_id)  # type: ignore[index]
            audit.append(
                events.household_group_assigned(
                    household_id,
                    actor=acting_user,
                    source=source,
                    before_kelompok=None,
                    after_kelompok=group.code,
                    before_pendamping=old_pendamping,
                    after_pendamping=group.pendamping_id,
                )
            )
    GroupMembership.objects.bulk_create(memberships, batch_size=2000)
    now = timezone.now()
    for pid, household_ids in per_pendamping.items():
        Household.objects.filter(pk__in=household_ids).update(pendamping_id=pid, updated_at=now)
    audit_events_save(audit)

    result.groups = len(new_groups)
    result.families = len(memberships)
    result.loads, result.statuses = _loads(pendamping_ids, min_load=min_load, max_load=max_load)
    return result


def _loads(pendamping_ids: list[int], *, min_load: int, max_load: int) -> tuple[dict[int, int], dict[int, str]]:
    counts = dict(
        Household.objects.filter(pendamping_id__in=pendamping_ids, status__in=IN_PROGRAMME)
        .values("pendamping_id")
        .annotate(n=Count("pk"))
        .values_list("pendamping_id", "n")
    )
    loads = {pid: counts.get(pid, 0) for pid in pendamping_ids}
    return loads, {pid: rules.load_status(n, min_load=min_load, max_load=max_load) for pid, n in loads.items()}


@transaction.atomic
def household_move_group(
    *, household: Household, kelompok: Kelompok, valid_from: dt.date, acting_user: Any, source: str = "web"
) -> GroupMembership:
    """Move a family to another group of its kecamatan from ``valid_from``: its open membership
    ends the day before, a new one opens, and the family follows the group's pendamping."""
    _require_operator_in(acting_user, str(household.desa_id))
    _require_operator_in(acting_user, str(kelompok.desa_id))
    if not kelompok.is_active:
        raise ValidationError({"kelompok": _("Kelompok ini tidak aktif.")})
    if str(household.desa_id).rsplit(".", 1)[0] != kelompok.kecamatan_code:
        raise ValidationError({"kelompok": _("Kelompok tujuan tidak berada di kecamatan KPM ini.")})
    current = (
        GroupMembership.objects.select_for_update()
        .select_related("kelompok")
        .filter(household=household, valid_to__isnull=True)
        .first()
    )
    if current is not None:
        if current.kelompok_id == kelompok.pk:
            raise ValidationError({"kelompok": _("KPM sudah berada di kelompok ini.")})
        if current.valid_from >= valid_from:
            raise ValidationError(
                {
                    "valid_from": _("Tanggal pindah harus sesudah tanggal masuk kelompok sekarang (%(d)s).")
                    % {"d": current.valid_from.isoformat()}
                }
            )
        current.valid_to = valid_from - dt.timedelta(days=1)
        current.save(update_fields=["valid_to"])
    membership = GroupMembership.objects.create(household=household, kelompok=kelompok, valid_from=valid_from)
    old_pendamping = household.pendamping_id
    if old_pendamping != kelompok.pendamping_id:
        household.pendamping_id = kelompok.pendamping_id
        household.save(update_fields=["pendamping", "updated_at"])
    events.household_group_assigned(
        household.pk,
        actor=acting_user,
        source=source,
        before_kelompok=current.kelompok.code if current else None,
        after_kelompok=kelompok.code,
        before_pendamping=old_pendamping,
        after_pendamping=kelompok.pendamping_id,
    ).save()
    return membership


@transaction.atomic
def kelompok_assign_pendamping(*, kelompok: Kelompok, pendamping: Staff, acting_user: Any, source: str = "web") -> int:
    """Give a whole group to another pendamping of its kecamatan: the group and every family now
    in it (open membership) follow, set-based and audited. Returns the number of families moved."""
    _require_operator_in(acting_user, str(kelompok.desa_id))
    if pendamping.role != Role.PENDAMPING or not pendamping.is_active:
        raise ValidationError({"pendamping": _("Petugas ini bukan pendamping aktif.")})
    if pendamping.region_id != kelompok.kecamatan_code:
        raise ValidationError({"pendamping": _("Pendamping tidak bertugas di kecamatan kelompok ini.")})
    old = kelompok.pendamping_id
    if old == pendamping.pk:
        return 0
    kelompok.pendamping = pendamping
    kelompok.save(update_fields=["pendamping"])
    families = list(
        Household.objects.filter(
            pk__in=kelompok.memberships.filter(valid_to__isnull=True).values("household_id")
        ).values_list("pk", "pendamping_id")
    )
    Household.objects.filter(pk__in=[pk for pk, _p in families]).update(
        pendamping_id=pendamping.pk, updated_at=timezone.now()
    )
    audit = [
        events.kelompok_pendamping_assigned(kelompok, actor=acting_user, source=source, before=old, after=pendamping.pk)
    ]
    audit += [
        events.household_group_assigned(
            pk,
            actor=acting_user,
            source=source,
            before_kelompok=kelompok.code,
            after_kelompok=kelompok.code,
            before_pendamping=before,
            after_pendamping=pendamping.pk,
        )
        for pk, before in families
    ]
    audit_events_save(audit)
    return len(families)
