"""Who may act on a programme or a cohort (RULES.md "People and ratios": Facilitator training).

The centre (balai diklat staff of the cohort's centre) and the ministry manage; the cohort's
facilitators facilitate (grade, attendance, topics, question bank and materials); the centre's
staff may do what a facilitator does too; a korkab (``NOMINATE_ROLES``) nominates pendamping of
their kabupaten/kota for the cohort's quota there.
"""

from __future__ import annotations

from typing import Any

from harapan.accounts.models import Role
from harapan.accounts.scope import staff_of
from harapan.conf import setting

from ..models import Cohort, CohortStatus, Programme
from ..selectors import centre_of


def may_manage_cohort(user: Any, cohort: Cohort) -> bool:
    staff = staff_of(user)
    if staff is None:
        return False
    if staff.role == Role.MINISTRY:
        return True
    if staff.role == Role.BALAI_DIKLAT:
        centre = centre_of(staff)
        return centre is not None and centre.pk == cohort.centre_id
    return False


def may_facilitate(user: Any, cohort: Cohort) -> bool:
    staff = staff_of(user)
    if staff is None:
        return False
    if staff.role == Role.FASILITATOR:
        return cohort.facilitators.filter(pk=staff.pk).exists()
    return may_manage_cohort(user, cohort)


def may_edit_programme(user: Any, programme: Programme) -> bool:
    """The programme's sessions, question bank and materials: the ministry, the staff of the
    programme's centre (any centre for a national programme), the facilitators of its cohorts."""
    staff = staff_of(user)
    if staff is None:
        return False
    if staff.role == Role.MINISTRY:
        return True
    if staff.role == Role.BALAI_DIKLAT:
        centre = centre_of(staff)
        return centre is not None and programme.centre_id in (None, centre.pk)
    if staff.role == Role.FASILITATOR:
        return programme.cohorts.filter(facilitators=staff).exists()
    return False


def may_nominate(user: Any, cohort: Cohort) -> bool:
    staff = staff_of(user)
    return (
        staff is not None
        and staff.role in setting("training", "NOMINATE_ROLES")
        and staff.region_id is not None
        and cohort.status in (CohortStatus.PLANNED, CohortStatus.RUNNING)
        and cohort.quotas.filter(region_id=staff.region_id).exists()
    )
