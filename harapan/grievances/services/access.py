"""Who may act on a complaint case: role (apps.py) and scope (``selectors.grievances_visible``).
Nobody acts on, or sees, a case about themselves."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from harapan.accounts.models import Role, Staff
from harapan.accounts.scope import household_q, staff_of
from harapan.conf import setting
from harapan.registry.models import Household

from .. import rules
from ..models import Grievance
from ..selectors import grievances_visible

TAKE, NOTE, ESCALATE, RESOLVE, CLOSE, REOPEN = "take", "note", "escalate", "resolve", "close", "reopen"
ACTIONS = (TAKE, NOTE, ESCALATE, RESOLVE, CLOSE, REOPEN)
HANDLING = frozenset({TAKE, RESOLVE, CLOSE, REOPEN})


def config(name: str) -> Any:
    return setting("grievances", name)


# --- Who may act -------------------------------------------------------------------------------


def may_lodge(user: Any) -> bool:
    staff = staff_of(user)
    return staff is not None and staff.role in config("LODGE_ROLES")


def may_lodge_for(user: Any, household: Household) -> bool:
    return may_lodge(user) and Household.objects.filter(household_q(user), pk=household.pk).exists()


def permission_problem(user: Any, grievance: Grievance, action: str, *, visible: bool | None = None) -> str | None:
    """Why ``user`` may not take ``action`` on ``grievance`` by role and scope (None: they may).
    Whether the case's status allows it is ``rules.transition_target``. ``visible`` saves the
    scope query when the caller already knows the answer."""
    staff = staff_of(user)
    if staff is None:
        return _("Anda tidak terdaftar sebagai petugas PKH yang aktif.")
    if grievance.about_pendamping_id == staff.pk:
        return _("Pengaduan ini tidak dapat Anda akses.")
    roles = config("NOTE_ROLES") if action == NOTE else config("ESCALATE_ROLES") if action == ESCALATE else None
    if roles is None:
        roles = config("HANDLE_ROLES")
        if grievance.about_pendamping_id and staff.role not in config("CONDUCT_HANDLE_ROLES"):
            return _("Pengaduan tentang perilaku pendamping ditangani oleh korkab atau Dinas Sosial.")
    if staff.role not in roles:
        return _("Peran Anda (%(role)s) tidak dapat melakukan tindakan ini pada pengaduan.") % {
            "role": staff.get_role_display()
        }
    if visible is None:
        visible = grievances_visible(user).filter(pk=grievance.pk).exists()
    if not visible:
        return _("Pengaduan ini di luar wilayah kerja Anda.")
    if staff.role == Role.PENDAMPING and action != NOTE:
        household = grievance.household
        own_family = household is not None and household.pendamping_id == staff.pk
        # A family not yet registered has no pendamping: its lodger may still escalate it.
        lodged_unregistered = household is None and grievance.created_by_id == staff.user_id
        if not own_family and not (action == ESCALATE and lodged_unregistered):
            return _("Pendamping hanya dapat menangani pengaduan KPM dampingannya sendiri.")
    return None


def allowed_actions(user: Any, grievance: Grievance) -> set[str]:
    """The actions ``user`` may take on ``grievance`` now (role, scope and status)."""
    out: set[str] = set()
    visible = grievances_visible(user).filter(pk=grievance.pk).exists()
    for action in ACTIONS:
        if action in HANDLING and rules.transition_target(action, grievance.status) is None:
            continue
        if action == ESCALATE and (not grievance.is_open or grievance.escalated_at is not None):
            continue
        if permission_problem(user, grievance, action, visible=visible) is None:
            out.add(action)
    return out


def require(user: Any, grievance: Grievance, action: str) -> Staff:
    problem = permission_problem(user, grievance, action)
    if problem is not None:
        raise PermissionDenied(problem)
    staff = staff_of(user)
    assert staff is not None
    return staff


def may_edit_sla(user: Any) -> bool:
    staff = staff_of(user)
    return staff is not None and staff.role in config("SLA_EDIT_ROLES")
