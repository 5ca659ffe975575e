"""The pendamping's monthly report (*laporan bulanan*): ``monthly_report(staff, year, month)`` and the
shapes of its sections (RULES.md "People and ratios": monthly reports to the korkab and Dinas
Sosial; issue 5)."""

from .report import monthly_report
from .shapes import (
    AttendanceTotals,
    CaseRow,
    CaseSection,
    ComplianceRow,
    ComplianceSection,
    FamilyMove,
    FamilyRef,
    FamilySection,
    FlagRow,
    FlagSection,
    GraduationSection,
    GroupRow,
    KindCount,
    KnowledgeSection,
    MeetingRow,
    MonthlyReport,
    StatusChange,
    StatusCount,
    UpdateRow,
)

__all__ = [
    "AttendanceTotals",
    "CaseRow",
    "CaseSection",
    "ComplianceRow",
    "ComplianceSection",
    "FamilyMove",
    "FamilyRef",
    "FamilySection",
    "FlagRow",
    "FlagSection",
    "GraduationSection",
    "GroupRow",
    "KindCount",
    "KnowledgeSection",
    "MeetingRow",
    "MonthlyReport",
    "StatusChange",
    "StatusCount",
    "UpdateRow",
    "monthly_report",
]
