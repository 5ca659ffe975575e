"""Who may see which families: the access rule applied by every page, endpoint, export and command.

A pendamping sees only the families assigned to them; korkab, supervisor, operator and Dinas
Sosial kabupaten/kota see their kabupaten/kota; Dinas Sosial provinsi their province; the
ministry sees the nation. A user with no staff record sees nothing (DEVELOPERS.md: Architecture).
The training roles (balai diklat, fasilitator) work on training, not on families: they see none,
and their working area holds no family data (``NOWHERE``).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _

from .models import NO_FAMILY_ROLES, Role, Staff

# The area prefix of a role that reaches no family data: no region code starts with it, so every
# selector that filters by ``region_prefix`` finds nothing for such a role.
NOWHERE = "-"


def staff_of(user: Any) -> Staff | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    try:
        staff = user.staff
    except Staff.DoesNotExist:
        return None
    return staff if staff.is_active else None


def region_prefix(staff: Staff) -> str | None:
    """The code prefix of the staff member's working area; None means the whole country."""
    if staff.role in NO_FAMILY_ROLES:
        return NOWHERE
    if staff.role == Role.MINISTRY or staff.region_id is None:
        return None
    return str(staff.region_id)


def household_q(user: Any, *, prefix: str = "") -> Q:
    """A filter on households that ``user`` may see; it serves any model that, like a household or
    a kelompok, carries ``pendamping`` and ``desa`` (``prefix`` reaches them through a relation,
    e.g. ``kelompok__`` from a product)."""
    staff = staff_of(user)
    if staff is None or staff.role in NO_FAMILY_ROLES:
        return Q(pk__in=[])
    if staff.role == Role.PENDAMPING:
        return Q(**{f"{prefix}pendamping": staff})
    area = region_prefix(staff)
    if area is None:
        return Q()
    return Q(**{f"{prefix}desa__code__startswith": area + "."})


def region_in_scope(user: Any, region_code: str) -> bool:
    """Whether ``region_code`` (any level) lies inside the user's working area."""
    staff = staff_of(user)
    if staff is None or staff.role in NO_FAMILY_ROLES:
        return False
    area = region_prefix(staff)
    return area is None or region_code == area or region_code.startswith(area + ".")


def require_role(user: Any, *roles: str) -> Staff:
    """The user's staff record, or PermissionDenied when their role is not one of ``roles``."""
    staff = staff_of(user)
    if staff is None or staff.role not in roles:
        raise PermissionDenied(_("Peran Anda tidak berwenang untuk tindakan ini."))
    return staff
