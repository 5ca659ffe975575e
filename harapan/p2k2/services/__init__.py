"""Writes of the P2K2 context: the curriculum (``curriculum``) and the knowledge checks of held
meetings (``knowledge_checks``). Import from here."""

from .curriculum import (
    KABUPATEN_LEVEL,
    LOCAL_CONTENT_ROLES,
    LOCAL_MODULE_ROLES,
    local_module_create,
    may_edit_session_content,
    question_add,
    question_remove,
    session_material_add,
    session_material_remove,
)
from .knowledge_checks import (
    Score,
    knowledge_answers_record,
    knowledge_check_problem,
    knowledge_check_total,
    knowledge_scores_record,
    knowledge_scores_validate,
    may_record_checks,
    present_household_ids,
)

__all__ = [
    "KABUPATEN_LEVEL",
    "LOCAL_CONTENT_ROLES",
    "LOCAL_MODULE_ROLES",
    "Score",
    "knowledge_answers_record",
    "knowledge_check_problem",
    "knowledge_check_total",
    "knowledge_scores_record",
    "knowledge_scores_validate",
    "local_module_create",
    "may_edit_session_content",
    "may_record_checks",
    "present_household_ids",
    "question_add",
    "question_remove",
    "session_material_add",
    "session_material_remove",
]
