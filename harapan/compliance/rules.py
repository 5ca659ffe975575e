"""Commitment rules as pure functions: which obligations a member has in a month, when a measured
value meets one, the school attendance percentage, and the sanction ladder (RULES.md "Obligations
(conditionalities)", "Sanctions (configurable ladder)"). Numbers come from configuration
(``compliance`` defaults in ``apps.py``), passed in as ``ComplianceRules``.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from harapan.conf import setting
from harapan.registry.rules import MemberFacts, Period, RegistryRules, member_components

PERINGATAN, PENANGGUHAN, PEMBATALAN = "peringatan", "penangguhan", "pembatalan"
HAMIL, PERSALINAN, NIFAS = "hamil", "persalinan", "nifas"


@dataclass(frozen=True)
class ComplianceRules:
    school_attendance_min_percent: Decimal
    school_absences_counted: tuple[str, ...]
    anc_schedule: tuple[tuple[int, int], ...]
    nifas_schedule: tuple[tuple[int, int], ...]
    vitamin_a_months: frozenset[int]
    yearly_check_month: int
    p2k2_izin_met: bool
    warning_after: int
    suspension_after: int
    cancellation_after: int
    hold_release_window_months: int

    @classmethod
    def from_settings(cls) -> ComplianceRules:
        def get(name: str) -> Any:
            return setting("compliance", name)

        return cls(
            school_attendance_min_percent=Decimal(str(get("SCHOOL_ATTENDANCE_MIN_PERCENT"))),
            school_absences_counted=tuple(get("SCHOOL_ABSENCES_COUNTED")),
            anc_schedule=tuple((int(a), int(b)) for a, b in get("ANC_SCHEDULE")),
            nifas_schedule=tuple((int(a), int(b)) for a, b in get("NIFAS_SCHEDULE")),
            vitamin_a_months=frozenset(int(m) for m in get("VITAMIN_A_MONTHS")),
            yearly_check_month=int(get("YEARLY_CHECK_MONTH")),
            p2k2_izin_met=bool(get("P2K2_IZIN_MET")),
            warning_after=int(get("WARNING_AFTER")),
            suspension_after=int(get("SUSPENSION_AFTER")),
            cancellation_after=int(get("CANCELLATION_AFTER")),
            hold_release_window_months=int(get("HOLD_RELEASE_WINDOW_MONTHS")),
        )

    @property
    def ladder(self) -> list[tuple[str, int]]:
        """(level, months not met in a row that raise it), lowest first."""
        return [
            (PERINGATAN, self.warning_after),
            (PENANGGUHAN, self.suspension_after),
            (PEMBATALAN, self.cancellation_after),
        ]

    @property
    def window(self) -> int:
        """How many months back a run of months not met is counted (the highest threshold)."""
        return max(t for _level, t in self.ladder)


@dataclass(frozen=True)
class ObligationSpec:
    """What the applicability rule needs of an ``Obligation`` row."""

    code: str
    components: frozenset[str] = frozenset()
    household_level: bool = False
    stage: str = ""
    min_age_months: int | None = None
    max_age_months: int | None = None
    frequency: str = "bulanan"
    measure: str = ""

    @classmethod
    def of(cls, obligation: Any) -> ObligationSpec:
        return cls(
            code=obligation.code,
            components=frozenset(obligation.components or ()),
            household_level=obligation.household_level,
            stage=obligation.stage,
            min_age_months=obligation.min_age_months,
            max_age_months=obligation.max_age_months,
            frequency=obligation.frequency,
            measure=obligation.measure,
        )


# --- Months ---------------------------------------------------------------------------------


def month_end(month: dt.date) -> dt.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def add_months(month: dt.date, n: int) -> dt.date:
    """The first day of the month ``n`` months after (or before) ``month``'s."""
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def age_in_months(birth: dt.date, on: dt.date) -> int:
    """Completed months of age on ``on``."""
    months = (on.year - birth.year) * 12 + on.month - birth.month
    if on.day < birth.day and on != month_end(on):
        months -= 1
    return months


# --- Which obligations apply (RULES.md "Obligations (conditionalities)") ----------------------


def pregnancy_stages(facts: MemberFacts, month: dt.date, *, registry_rules: RegistryRules) -> dict[str, Period]:
    """The pregnancy stages of a woman in ``month``, each with the pregnancy it belongs to: hamil
    when pregnant on the month's last day; persalinan when a recorded pregnancy ended in the month;
    nifas when the month overlaps the NIFAS_DAYS after its end (a pregnancy with no recorded end
    lasts PREGNANCY_DAYS, as for the component)."""
    if facts.sex != "P":
        return {}
    first, last = month, month_end(month)
    out: dict[str, Period] = {}
    for p in facts.pregnancies:
        if p.valid_from > last:
            continue
        end = p.valid_to if p.valid_to is not None else p.valid_from + dt.timedelta(days=registry_rules.pregnancy_days)
        if end >= last:
            out.setdefault(HAMIL, p)
        if p.valid_to is not None and first <= p.valid_to <= last:
            out.setdefault(PERSALINAN, p)
        if end < last and end + dt.timedelta(days=registry_rules.nifas_days) >= first:
            out.setdefault(NIFAS, p)
    return out


def _present(facts: MemberFacts, last: dt.date) -> bool:
    if facts.birth_date > last:
        return False
    if facts.left_on is not None and facts.left_on <= last:
        return False
    return facts.present or facts.left_on is not None


def _in_season(spec: ObligationSpec, month: dt.date, rules: ComplianceRules) -> bool:
    if spec.frequency == "vitamin_a":
        return month.month in rules.vitamin_a_months
    if spec.frequency == "tahunan":
        return month.month == rules.yearly_check_month
    return True


def obligations_due(
    facts: MemberFacts,
    *,
    month: dt.date,
    specs: Sequence[ObligationSpec],
    registry_rules: RegistryRules,
    rules: ComplianceRules,
) -> list[str]:
    """Codes of the member obligations that apply to a member in ``month`` (RULES.md "Obligations
    (conditionalities)"). The member's components and age are taken on the month's last day
    (registry ``member_components``); an obligation applies when one of its components holds, the
    age in months is inside its band, and the month is one it is verified in (every month, the
    vitamin A months, or the yearly check month). A pregnancy obligation applies by the stage of
    the pregnancy in the month instead (``pregnancy_stages``). A member who has left or is not yet
    born has none; family obligations (P2K2) are not member obligations."""
    last = month_end(month)
    if not _present(facts, last):
        return []
    components = {str(c) for c in member_components(facts, on=last, rules=registry_rules)}
    stages = pregnancy_stages(facts, month, registry_rules=registry_rules)
    age = age_in_months(facts.birth_date, last)
    out: list[str] = []
    for spec in specs:
        if spec.household_level or not _in_season(spec, month, rules):
            continue
        if spec.stage:
            if spec.stage in stages:
                out.append(spec.code)
            continue
        if not spec.components & components:
            continue
        if spec.min_age_months is not None and age < spec.min_age_months:
            continue
        if spec.max_age_months is not None and age > spec.max_age_months:
            continue
        out.append(spec.code)
    return out


# --- When a measured value meets an obligation -----------------------------------------------


def _due_by(schedule: Iterable[tuple[int, int]], reached: int) -> int:
    return max((n for step, n in schedule if step <= reached), default=0)


def anc_visits_due(pregnancy_start: dt.date, month: dt.date, *, rules: ComplianceRules) -> int:
    """Antenatal visits due by the end of ``month`` (RULES.md "Obligations": >= 4 over the
    pregnancy; ANC_SCHEDULE spreads them over the trimesters)."""
    return _due_by(rules.anc_schedule, age_in_months(pregnancy_start, month_end(month)))


def nifas_visits_due(
    delivered_on: dt.date, month: dt.date, *, rules: ComplianceRules, registry_rules: RegistryRules
) -> int:
    """Postnatal checks due by the end of ``month`` or of the nifas period, whichever is first
    (RULES.md "Obligations": 4 within 42 days; NIFAS_SCHEDULE)."""
    until = min(month_end(month), delivered_on + dt.timedelta(days=registry_rules.nifas_days))
    return _due_by(rules.nifas_schedule, (until - delivered_on).days)


def met_from_value(
    spec: ObligationSpec,
    value: Decimal,
    *,
    facts: MemberFacts | None,
    month: dt.date,
    rules: ComplianceRules,
    registry_rules: RegistryRules,
) -> bool | None:
    """Whether a measured value meets the obligation; None when the obligation has no measure
    (it is met or not as the source says). School attendance: the percentage of effective school
    days is at least SCHOOL_ATTENDANCE_MIN_PERCENT (RULES.md "Obligations": >= 85%). ANC and
    postnatal checks: the visits so far are at least those due by the month's end."""
    if spec.measure == "persen":
        return value >= rules.school_attendance_min_percent
    if spec.measure != "jumlah":
        return None
    stages = pregnancy_stages(facts, month, registry_rules=registry_rules) if facts else {}
    if spec.stage == HAMIL and HAMIL in stages:
        return value >= anc_visits_due(stages[HAMIL].valid_from, month, rules=rules)
    if spec.stage == NIFAS and NIFAS in stages:
        pregnancy = stages[NIFAS]
        end = pregnancy.valid_to or pregnancy.valid_from + dt.timedelta(days=registry_rules.pregnancy_days)
        return value >= nifas_visits_due(end, month, rules=rules, registry_rules=registry_rules)
    return value > 0


def school_attendance_percent(
    effective_days: int, absences: Mapping[str, int], *, counted: Collection[str]
) -> Decimal | None:
    """Attendance as a percentage of effective school days (FORMATS.md §4.2: ALPA, IZIN, SAKIT per
    month against HARI EFEKTIF), counting the absences named in SCHOOL_ABSENCES_COUNTED; None
    without effective days."""
    if effective_days <= 0:
        return None
    missed = sum(n for kind, n in absences.items() if kind in counted)
    attended = max(effective_days - missed, 0)
    return (Decimal(100) * attended / effective_days).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# --- The ladder (RULES.md "Sanctions (configurable ladder)") ------------------------------------


def month_met(records_met: Iterable[bool]) -> bool | None:
    """A family's month: True when every record is met, False when one is not, None (not
    verified) without records."""
    seen = False
    for met in records_met:
        if not met:
            return False
        seen = True
    return True if seen else None


def months_not_met_in_a_row(months: Mapping[dt.date, bool], month: dt.date, *, window: int) -> int | None:
    """The run of consecutive verified months not met that ends at ``month``, looking at most
    ``window`` calendar months back; None when ``month`` itself was not verified. A month without
    records (nobody verified it) is skipped: it neither counts against the family nor clears the
    run, as ``izin`` at a P2K2 meeting (meetings.rules); a met month ends the run."""
    if month not in months:
        return None
    run = 0
    for back in range(window):
        verdict = months.get(add_months(month, -back))
        if verdict is True:
            break
        if verdict is False:
            run += 1
    return run


def levels_due(run: int, *, rules: ComplianceRules) -> list[str]:
    """The ladder's levels a run of months not met has reached: a warning at the first month, a
    suspension after SUSPENSION_AFTER, a cancellation after CANCELLATION_AFTER (defaults 1, 3, 6)."""
    return [level for level, threshold in rules.ladder if threshold > 0 and run >= threshold]


def release_by(month: dt.date, *, window_months: int) -> dt.date:
    """The last day by which a family suspended in ``month`` must be compliant again for its held
    payment to be released: the end of the window of HOLD_RELEASE_WINDOW_MONTHS (counted from
    January; 3 = the tahap quarter) that holds the month."""
    window = max(1, min(12, window_months))
    last_month = min(12, ((month.month - 1) // window + 1) * window)
    return month_end(dt.date(month.year, last_month, 1))
