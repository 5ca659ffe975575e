"""Writes of the meetings context: planning and editing meetings (``meetings``), recording
attendance and absence flags (``attendance``), and the places groups meet (``venues``)."""

from .attendance import attendance_record, flags_evaluate, validate_marks
from .meetings import (
    may_record,
    meeting_cancel,
    meeting_minutes,
    meeting_plan_year,
    meeting_update,
    meetings_plan_year_bulk,
)
from .venues import VENUE_ROLES, venue_create, venue_may_edit, venue_update

__all__ = [
    "VENUE_ROLES",
    "attendance_record",
    "flags_evaluate",
    "may_record",
    "meeting_cancel",
    "meeting_minutes",
    "meeting_plan_year",
    "meeting_update",
    "meetings_plan_year_bulk",
    "validate_marks",
    "venue_create",
    "venue_may_edit",
    "venue_update",
]
