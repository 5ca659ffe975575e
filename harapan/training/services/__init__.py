"""Training writes. Each takes ``acting_user``, checks who may act, runs in one transaction and
writes its audit event (STYLE.md: services)."""

from .access import may_edit_programme, may_facilitate, may_manage_cohort, may_nominate
from .completion import certificate_number, cohort_finish
from .enrolment import participant_decide, participant_nominate, participant_withdraw
from .learning import (
    forum_post_create,
    forum_post_grade,
    forum_topic_set,
    live_attendance_record,
    live_session_create,
    material_open,
    test_answer,
    test_start,
    test_submit,
)
from .programmes import (
    centre_staff_add,
    cohort_create,
    cohort_start,
    material_create,
    programme_create,
    question_create,
    question_deactivate,
    quota_set,
)

__all__ = [
    "centre_staff_add",
    "certificate_number",
    "cohort_create",
    "cohort_finish",
    "cohort_start",
    "forum_post_create",
    "forum_post_grade",
    "forum_topic_set",
    "live_attendance_record",
    "live_session_create",
    "material_create",
    "material_open",
    "may_edit_programme",
    "may_facilitate",
    "may_manage_cohort",
    "may_nominate",
    "participant_decide",
    "participant_nominate",
    "participant_withdraw",
    "programme_create",
    "question_create",
    "question_deactivate",
    "quota_set",
    "test_answer",
    "test_start",
    "test_submit",
]
