"""The shapes of the monthly report: one dataclass per section, with the rates each derives
(RULES.md "P2K2 / FDS curriculum": attendance rate; "Sanctions (configurable ladder)": alpa is the
absence that counts). ``MonthlyReport.summary`` is the one list of headline figures the page, the
PDF and the XLSX all show."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from harapan.accounts.models import Staff

from .. import rules


@dataclass
class FamilyRef:
    household_id: int
    pkh_id: str
    carer: str


@dataclass
class FamilyMove:
    family: FamilyRef
    on: dt.date
    other: str  # the pendamping before (moved in) or after (moved out); "" for none


@dataclass
class StatusCount:
    status: str
    label: str
    families: int


@dataclass
class StatusChange:
    family: FamilyRef
    on: dt.date
    before: str
    after: str
    after_status: str


@dataclass
class FamilySection:
    at_start: int = 0
    at_end: int = 0
    in_programme_end: int = 0
    moved_in: list[FamilyMove] = field(default_factory=list)
    moved_out: list[FamilyMove] = field(default_factory=list)
    by_status: list[StatusCount] = field(default_factory=list)
    changes: list[StatusChange] = field(default_factory=list)


@dataclass
class MeetingRow:
    meeting_id: int
    kelompok_id: int
    on: dt.date
    start: dt.time
    kelompok: str
    session: str
    module: str
    status: str
    status_label: str
    cancel_reason: str = ""
    hadir: int = 0
    izin: int = 0
    alpa: int = 0

    @property
    def marked(self) -> int:
        return self.hadir + self.izin + self.alpa


@dataclass
class GroupRow:
    kelompok_id: int
    code: str
    name: str
    desa: str
    families: int = 0
    planned: int = 0
    held: int = 0
    cancelled: int = 0
    pending: int = 0
    sessions: list[str] = field(default_factory=list)
    hadir: int = 0
    izin: int = 0
    alpa: int = 0
    checks: int = 0
    pre_sum: float = 0.0
    pre_n: int = 0
    post_sum: float = 0.0
    post_n: int = 0

    @property
    def marked(self) -> int:
        return self.hadir + self.izin + self.alpa

    @property
    def rate(self) -> Decimal | None:
        """Attendance rate (hadir over marked, RULES.md "P2K2 / FDS curriculum")."""
        return _rate(self.hadir, self.marked)

    @property
    def alpa_rate(self) -> Decimal | None:
        """Unexcused absence (alpa over marked): the absence that counts (RULES.md "Sanctions")."""
        return rules.percent(self.alpa, self.marked)

    @property
    def pre(self) -> Decimal | None:
        return _mean(self.pre_sum, self.pre_n)

    @property
    def post(self) -> Decimal | None:
        return _mean(self.post_sum, self.post_n)


@dataclass
class AttendanceTotals:
    hadir: int = 0
    izin: int = 0
    alpa: int = 0
    izin_met: bool = True

    @property
    def marked(self) -> int:
        return self.hadir + self.izin + self.alpa

    @property
    def rate(self) -> Decimal | None:
        return _rate(self.hadir, self.marked)

    @property
    def alpa_rate(self) -> Decimal | None:
        return rules.percent(self.alpa, self.marked)

    @property
    def met_rate(self) -> Decimal | None:
        """Marks that meet the P2K2 commitment: hadir, and izin when ``P2K2_IZIN_MET``."""
        return rules.percent(self.hadir + (self.izin if self.izin_met else 0), self.marked)


@dataclass
class KindCount:
    kind: str
    label: str
    raised: int = 0
    lifted: int = 0
    open_end: int = 0


@dataclass
class FlagRow:
    family: FamilyRef
    kind: str
    label: str
    raised_on: dt.date
    lifted_on: dt.date | None


@dataclass
class FlagSection:
    kinds: list[KindCount] = field(default_factory=list)
    rows: list[FlagRow] = field(default_factory=list)

    def total(self, name: str) -> int:
        return sum(getattr(k, name) for k in self.kinds)


@dataclass
class ComplianceRow:
    kind: str
    label: str
    records: int = 0
    met: int = 0
    not_met: int = 0
    families: int = 0

    @property
    def rate(self) -> Decimal | None:
        return rules.percent(self.met, self.records)


@dataclass
class ComplianceSection:
    rows: list[ComplianceRow] = field(default_factory=list)
    families_verified: int = 0
    families_not_met: int = 0
    records: int = 0
    met: int = 0

    @property
    def not_met(self) -> int:
        return self.records - self.met

    @property
    def rate(self) -> Decimal | None:
        return rules.percent(self.met, self.records)


@dataclass
class UpdateRow:
    kind: str
    label: str
    submitted: int = 0
    applied: int = 0
    rejected: int = 0
    open_end: int = 0


@dataclass
class GraduationSection:
    proposed: int = 0
    approved: int = 0
    rejected: int = 0
    mandiri: int = 0
    alamiah: int = 0
    rows: list[StatusChange] = field(default_factory=list)


@dataclass
class KnowledgeSection:
    checks: int = 0
    pre_sum: float = 0.0
    pre_n: int = 0
    post_sum: float = 0.0
    post_n: int = 0
    gain_sum: float = 0.0
    paired: int = 0

    @property
    def pre(self) -> Decimal | None:
        return _mean(self.pre_sum, self.pre_n)

    @property
    def post(self) -> Decimal | None:
        return _mean(self.post_sum, self.post_n)

    @property
    def gain(self) -> Decimal | None:
        return _mean(self.gain_sum, self.paired)


@dataclass
class CaseRow:
    key: str
    label: str
    opened: int = 0
    closed: int = 0
    open_end: int = 0
    # For referrals: closed as selesai (done) and ditolak (refused).
    done: int = 0
    refused: int = 0


@dataclass
class CaseSection:
    """Grievances by category, or referrals by programme; ``available`` is False while the app that
    keeps them is not installed."""

    available: bool = False
    rows: list[CaseRow] = field(default_factory=list)

    def total(self, name: str) -> int:
        return sum(getattr(r, name) for r in self.rows)


@dataclass
class MonthlyReport:
    staff: Staff
    year: int
    month: int
    first: dt.date
    last: dt.date
    finished: bool
    kecamatan: str
    kabupaten: str
    provinsi: str
    generated_at: dt.datetime
    families: FamilySection
    groups: list[GroupRow]
    meetings: list[MeetingRow]
    attendance: AttendanceTotals
    knowledge: KnowledgeSection
    flags: FlagSection
    sanctions: FlagSection
    compliance: ComplianceSection
    updates: list[UpdateRow]
    graduation: GraduationSection
    grievances: CaseSection
    referrals: CaseSection

    @property
    def meetings_planned(self) -> int:
        return sum(g.planned for g in self.groups)

    @property
    def meetings_held(self) -> int:
        return sum(g.held for g in self.groups)

    @property
    def meetings_cancelled(self) -> int:
        return sum(g.cancelled for g in self.groups)

    @property
    def meetings_pending(self) -> int:
        return sum(g.pending for g in self.groups)

    @property
    def groups_without_meeting(self) -> list[GroupRow]:
        return [g for g in self.groups if g.planned - g.cancelled == 0]

    @property
    def sessions_delivered(self) -> int:
        return sum(len(g.sessions) for g in self.groups)

    def summary(self) -> list[tuple[str, str, Any]]:
        """The headline figures, (key, label, value), in the order the page, the PDF and the XLSX
        show them: one list, so the three always agree."""
        return [
            ("families_start", _("KPM dampingan awal bulan"), self.families.at_start),
            ("families_end", _("KPM dampingan akhir bulan"), self.families.at_end),
            ("families_in_programme", _("KPM dalam program akhir bulan"), self.families.in_programme_end),
            ("families_moved_in", _("KPM masuk (pindah dari pendamping lain)"), len(self.families.moved_in)),
            ("families_moved_out", _("KPM keluar (pindah ke pendamping lain)"), len(self.families.moved_out)),
            ("status_changes", _("Perubahan status KPM"), len(self.families.changes)),
            ("groups", _("Kelompok"), len(self.groups)),
            ("meetings_planned", _("Pertemuan dijadwalkan"), self.meetings_planned),
            ("meetings_held", _("Pertemuan terlaksana"), self.meetings_held),
            ("meetings_cancelled", _("Pertemuan dibatalkan"), self.meetings_cancelled),
            ("meetings_pending", _("Pertemuan belum dicatat"), self.meetings_pending),
            ("groups_without_meeting", _("Kelompok tanpa pertemuan"), len(self.groups_without_meeting)),
            ("sessions_delivered", _("Sesi P2K2 disampaikan"), self.sessions_delivered),
            ("marks_hadir", _("Tanda hadir"), self.attendance.hadir),
            ("marks_izin", _("Tanda izin"), self.attendance.izin),
            ("marks_alpa", _("Tanda alpa"), self.attendance.alpa),
            ("attendance_rate", _("Tingkat kehadiran (%)"), self.attendance.rate),
            ("alpa_rate", _("Tidak hadir tanpa izin (%)"), self.attendance.alpa_rate),
            ("flags_raised", _("Tanda ketidakhadiran dinaikkan"), self.flags.total("raised")),
            ("flags_lifted", _("Tanda ketidakhadiran dicabut"), self.flags.total("lifted")),
            ("flags_open", _("Tanda ketidakhadiran terbuka akhir bulan"), self.flags.total("open_end")),
            ("sanctions_raised", _("Sanksi dikenakan"), self.sanctions.total("raised")),
            ("sanctions_lifted", _("Sanksi dicabut"), self.sanctions.total("lifted")),
            ("families_verified", _("KPM diverifikasi komitmennya"), self.compliance.families_verified),
            ("families_not_met", _("KPM tidak memenuhi komitmen"), self.compliance.families_not_met),
            ("compliance_rate", _("Catatan komitmen terpenuhi (%)"), self.compliance.rate),
            ("updates_submitted", _("Pemutakhiran diajukan"), sum(r.submitted for r in self.updates)),
            ("updates_applied", _("Pemutakhiran disetujui dan diterapkan"), sum(r.applied for r in self.updates)),
            ("grievances_opened", _("Pengaduan masuk"), self.grievances.total("opened")),
            ("grievances_closed", _("Pengaduan selesai/ditutup"), self.grievances.total("closed")),
            ("referrals_opened", _("Rujukan dibuat"), self.referrals.total("opened")),
            ("referrals_closed", _("Rujukan selesai/ditolak"), self.referrals.total("closed")),
            ("graduation_proposed", _("Usulan graduasi mandiri"), self.graduation.proposed),
            ("graduasi_mandiri", _("Graduasi mandiri"), self.graduation.mandiri),
            ("graduasi_alamiah", _("Graduasi alamiah"), self.graduation.alamiah),
            ("knowledge_checks", _("Cek pengetahuan"), self.knowledge.checks),
            ("knowledge_pre", _("Rata-rata nilai sebelum sesi (%)"), self.knowledge.pre),
            ("knowledge_post", _("Rata-rata nilai sesudah sesi (%)"), self.knowledge.post),
        ]


def _rate(present: int, marked: int) -> Decimal | None:
    """The attendance rate as ``p2k2.rules.attendance_rate`` defines it (hadir over everyone marked;
    izin and alpa are not present), exact to one decimal."""
    return rules.percent(present, marked)


def _mean(total: float, n: int) -> Decimal | None:
    if not n:
        return None
    return Decimal(str(round(total / n, 1)))
