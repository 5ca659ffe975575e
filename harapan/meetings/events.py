"""Audit event names of the meetings context."""

ATTENDANCE_RECORDED = "attendance_recorded"
ABSENCE_FLAG_RAISED = "absence_flag_raised"
ABSENCE_FLAG_LIFTED = "absence_flag_lifted"
MEETING_CANCELLED = "meeting_cancelled"
SOURCE = "meetings"
