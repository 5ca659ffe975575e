"""Pages of the meetings context: the pendamping's phone screens (``attendance``), a group's year
plan and a pendamping's month (``plan``), the printed attendance list (``sheet``), and meeting
places (``venues``)."""

from .attendance import attendance_view, meeting_list_view
from .plan import (
    kelompok_plan_generate_view,
    kelompok_plan_view,
    meeting_cancel_view,
    meeting_edit_view,
    month_start_view,
    pendamping_month_view,
)
from .sheet import attendance_sheet_view, attendance_sheet_xlsx_view
from .venues import venue_create_view, venue_edit_view, venue_list_view

__all__ = [
    "attendance_sheet_view",
    "attendance_sheet_xlsx_view",
    "attendance_view",
    "kelompok_plan_generate_view",
    "kelompok_plan_view",
    "meeting_cancel_view",
    "meeting_edit_view",
    "meeting_list_view",
    "month_start_view",
    "pendamping_month_view",
    "venue_create_view",
    "venue_edit_view",
    "venue_list_view",
]
