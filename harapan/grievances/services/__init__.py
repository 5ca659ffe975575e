"""Writes of complaint cases: lodge, take, note, escalate, resolve, close, reopen; and a category's
SLA. Each takes ``acting_user``, runs in one transaction, adds a step to the case's timeline and
writes its audit event (STYLE.md; RULES.md: Disbursement and data, People and ratios).

Who may do what (roles in apps.py, scope from accounts.scope through ``grievances_visible``):
- lodge: every staff role within its scope; a pendamping for their own families, or for a family
  not yet registered in a desa of their kecamatan;
- note: every role that can see the case;
- take, resolve, close, reopen (``HANDLE_ROLES``): a pendamping for the cases of their own
  families, korkab and Dinas Sosial within their area; a case about a pendamping's conduct only
  ``CONDUCT_HANDLE_ROLES``;
- escalate (``ESCALATE_ROLES``): to the korkab of the case's kabupaten/kota, once, while open; a
  pendamping for their own families, and for a family not yet registered that they reported.
Nobody acts on, or sees, a case about themselves.
"""

from .access import (
    ACTIONS,
    CLOSE,
    ESCALATE,
    HANDLING,
    NOTE,
    REOPEN,
    RESOLVE,
    TAKE,
    allowed_actions,
    may_edit_sla,
    may_lodge,
    may_lodge_for,
    permission_problem,
)
from .cases import (
    grievance_close,
    grievance_escalate,
    grievance_lodge,
    grievance_note,
    grievance_reopen,
    grievance_resolve,
    grievance_take,
)
from .categories import SLA_MAX_DAYS, category_sla_update

__all__ = [
    "ACTIONS",
    "CLOSE",
    "ESCALATE",
    "HANDLING",
    "NOTE",
    "REOPEN",
    "RESOLVE",
    "SLA_MAX_DAYS",
    "TAKE",
    "allowed_actions",
    "category_sla_update",
    "grievance_close",
    "grievance_escalate",
    "grievance_lodge",
    "grievance_note",
    "grievance_reopen",
    "grievance_resolve",
    "grievance_take",
    "may_edit_sla",
    "may_lodge",
    "may_lodge_for",
    "permission_problem",
]
