"""Audit event names of the meetings context, with the labels history pages show
(``harapan.audit.labels``)."""

from django.utils.translation import gettext_noop

ATTENDANCE_RECORDED = "attendance_recorded"
ABSENCE_FLAG_RAISED = "absence_flag_raised"
ABSENCE_FLAG_LIFTED = "absence_flag_lifted"
MEETING_CANCELLED = "meeting_cancelled"
MEETINGS_PLANNED = "meetings_planned"
MEETING_UPDATED = "meeting_updated"
VENUE_CREATED = "venue_created"
VENUE_UPDATED = "venue_updated"
SOURCE = "meetings"

ACTION_LABELS = {
    ATTENDANCE_RECORDED: gettext_noop("Kehadiran P2K2 dicatat"),
    ABSENCE_FLAG_RAISED: gettext_noop("Ditandai karena tidak hadir P2K2"),
    ABSENCE_FLAG_LIFTED: gettext_noop("Tanda tidak hadir P2K2 dicabut"),
    MEETING_CANCELLED: gettext_noop("Pertemuan dibatalkan"),
    MEETINGS_PLANNED: gettext_noop("Rencana pertemuan dibuat"),
    MEETING_UPDATED: gettext_noop("Pertemuan diubah"),
    VENUE_CREATED: gettext_noop("Tempat pertemuan ditambahkan"),
    VENUE_UPDATED: gettext_noop("Tempat pertemuan diubah"),
}

FIELD_LABELS = {
    "meeting": gettext_noop("pertemuan"),
    "meetings": gettext_noop("pertemuan yang mendasari"),
    "mark": gettext_noop("kehadiran"),
    "kind": gettext_noop("jenis"),
    "raised_on": gettext_noop("ditandai pada"),
    "lifted_on": gettext_noop("dicabut pada"),
}

VALUE_LABELS = {
    "mark": {"hadir": gettext_noop("Hadir"), "izin": gettext_noop("Izin"), "alpa": gettext_noop("Alpa")},
    "kind": {
        "penangguhan": gettext_noop("Penangguhan"),
        "usul_non_eligible": gettext_noop("Usul non-eligible"),
    },
}
