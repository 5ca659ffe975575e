"""Writes of commitment verification: records (form, files, meetings), the ladder, decisions on a
cancellation, and the family status the ladder sets."""

from .ladder import EvaluationResult, compliance_evaluate, evaluate_households, reevaluate_after_correction
from .p2k2 import p2k2_records_derive
from .records import FormEntry, RecordInput, SaveResult, may_record, periods_for, records_save, verification_form_save
from .sanctions import may_decide, sanction_confirm, sanction_reject

__all__ = [
    "EvaluationResult",
    "FormEntry",
    "RecordInput",
    "SaveResult",
    "compliance_evaluate",
    "evaluate_households",
    "may_decide",
    "may_record",
    "p2k2_records_derive",
    "periods_for",
    "records_save",
    "reevaluate_after_correction",
    "sanction_confirm",
    "sanction_reject",
    "verification_form_save",
]
