"""The demo district's programme year, step by step in the order the year happened (see the package
docstring): who acts, the timeline of tahap and verification months, then the year's graduations,
checks, cases and training."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from harapan.accounts.models import Role, Staff
from harapan.accounts.scope import staff_of
from harapan.compliance.rules import month_end
from harapan.payroll.models import DanaSharing
from harapan.regions.models import Region

from ..plan import username_suffix
from ..services import DemoLogin, demo_staff_ensure
from .checks import CheckRates, ChecksResult, knowledge_checks_seed
from .graduations import GraduationRates, GraduationResult, graduations_seed
from .payments import BankRates, TahapResult, cut_offs, dana_sharing_seed, tahap_run
from .verification import VerificationRates, VerificationResult, finished_months, verification_month

# The days after a month ends when its verification is evaluated (files in, the ladder run).
VERIFICATION_DAYS_AFTER = 5


@dataclass(frozen=True)
class ProgrammeRates:
    verification: VerificationRates = field(default_factory=VerificationRates)
    bank: BankRates = field(default_factory=BankRates)
    graduation: GraduationRates = field(default_factory=GraduationRates)
    checks: CheckRates = field(default_factory=CheckRates)


@dataclass
class Actors:
    operator: Any  # opens and computes the tahap, imports files, evaluates
    approver: Any  # Dinas Sosial kabupaten: approves the tahap, records dana sharing
    decider: Any  # korkab: decides graduation proposals
    created: list[DemoLogin] = field(default_factory=list)


@dataclass
class ProgrammeResult:
    year: int
    actors: Actors
    verification: VerificationResult = field(default_factory=VerificationResult)
    tahap: list[TahapResult] = field(default_factory=list)
    dana_sharing: DanaSharing | None = None
    checks: ChecksResult = field(default_factory=ChecksResult)
    graduation: GraduationResult = field(default_factory=GraduationResult)
    grievances: int = 0
    referrals: int = 0
    training: dict[str, Any] = field(default_factory=dict)
    alumni: dict[str, Any] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def _login(kabupaten: Region, role: str) -> DemoLogin:
    """The demo login of ``role`` for the district, named as ``seed_demo`` names it."""
    prefix = {"operator": "operator", "dinsos_kab": "dinsos_kab", "korkab": "korkab"}[role]
    full = {
        "operator": f"Operator PKH {kabupaten.name}",
        "dinsos_kab": f"Dinas Sosial {kabupaten.name}",
        "korkab": f"Koordinator PKH {kabupaten.name}",
    }[role]
    return DemoLogin(
        role, f"{prefix}{username_suffix(kabupaten.code)}", full, kabupaten.code, f"{kabupaten.name} ({kabupaten.code})"
    )


def _staff_user(kabupaten: Region, role: str, created: list[DemoLogin]) -> Any:
    """The user of the district's first active staff of ``role``; the demo login is created when
    the district has none."""
    staff = Staff.objects.filter(role=role, region_id=kabupaten.code, is_active=True).select_related("user")
    found = staff.order_by("pk").first()
    if found is None:
        login = _login(kabupaten, role)
        if demo_staff_ensure([login]):
            created.append(login)
        found = Staff.objects.select_related("user").get(user__username=login.username)
    return found.user


def actors_ensure(kabupaten: Region, acting_user: Any) -> Actors:
    """Who does what in the year: the acting operator (or, when a korkab runs the command, the
    district's operator), Dinas Sosial kabupaten as the second person of the payroll, the korkab who
    decides graduations (each created as a demo login when the district has none)."""
    created: list[DemoLogin] = []
    staff = staff_of(acting_user)
    operator = acting_user if staff is not None and staff.role == Role.OPERATOR else None
    operator = operator or _staff_user(kabupaten, Role.OPERATOR, created)
    korkab = acting_user if staff is not None and staff.role == Role.KORKAB else None
    return Actors(
        operator=operator,
        approver=_staff_user(kabupaten, Role.DINSOS_KAB, created),
        decider=korkab or _staff_user(kabupaten, Role.KORKAB, created),
        created=created,
    )


def timeline(year: int, as_of: dt.date) -> list[tuple[dt.date, str, int | dt.date, dt.date | None]]:
    """The year's steps in date order: ("tahap", number, cut-off) on its cut-off, ("verifikasi",
    month, None) some days after the month ended."""
    steps: list[tuple[dt.date, str, int | dt.date, dt.date | None]] = []
    for number, cut_off in cut_offs(year, as_of):
        steps.append((cut_off, "tahap", number, cut_off))
    for month in finished_months(year, as_of):
        steps.append((month_end(month) + dt.timedelta(days=VERIFICATION_DAYS_AFTER), "verifikasi", month, None))
    steps.sort(key=lambda s: (s[0], s[1] != "tahap"))
    return steps


def programme_year_seed(
    *,
    kabupaten: Region,
    as_of: dt.date,
    seed: int,
    acting_user: Any,
    rates: ProgrammeRates | None = None,
    say: Callable[[str], None] | None = None,
) -> ProgrammeResult:
    """Complete the district's year up to ``as_of`` through the services (package docstring). The
    caller has checked that ``acting_user`` is an operator or korkab of the district and that the
    year has not been seeded (``payments.year_tahap``)."""
    rates = rates or ProgrammeRates()
    year = as_of.year
    result = ProgrammeResult(year=year, actors=actors_ensure(kabupaten, acting_user))
    actors = result.actors
    clock = time.perf_counter()

    def lap(name: str, text: str = "") -> None:
        nonlocal clock
        now = time.perf_counter()
        spent, clock = now - clock, now
        result.seconds[name] = result.seconds.get(name, 0.0) + spent
        if say and text:
            say(f"  {text} ({spent:.1f} s)")

    code = kabupaten.code
    months = finished_months(year, as_of)
    for _day, kind, what, cut_off in timeline(year, as_of):
        if kind == "tahap":
            assert isinstance(what, int) and cut_off is not None
            done = tahap_run(
                kabupaten=code,
                year=year,
                number=what,
                cut_off=cut_off,
                as_of=as_of,
                seed=seed,
                operator=actors.operator,
                approver=actors.approver,
                rates=rates.bank,
            )
            result.tahap.append(done)
            lap("tahap", f"tahap {what}: {done.tahap.lines_count} baris bayar, {len(done.result_imports)} berkas bank")
        else:
            assert isinstance(what, dt.date)
            run = verification_month(
                kabupaten=code,
                month=what,
                year_months=months,
                seed=seed,
                acting_user=actors.operator,
                rates=rates.verification,
                result=result.verification,
            )
            lap(
                "verifikasi",
                f"verifikasi {what:%Y-%m}: {run.families} KPM, {run.raised} sanksi dikenakan, {run.lifted} dicabut",
            )
    result.dana_sharing = dana_sharing_seed(
        kabupaten=code, year=year, seed=seed, acting_user=actors.approver, rates=rates.bank
    )
    lap("dana sharing")
    result.checks = knowledge_checks_seed(kabupaten=code, as_of=as_of, seed=seed, rates=rates.checks)
    lap("cek pengetahuan", f"cek pengetahuan: {result.checks.meetings} pertemuan, {result.checks.families} KPM")
    result.graduation = graduations_seed(
        kabupaten=code, as_of=as_of, seed=seed, decider=actors.decider, rates=rates.graduation
    )
    lap("graduasi", f"graduasi mandiri: {result.graduation.approved} disetujui")
    others_seed(result, kabupaten=code, as_of=as_of, seed=seed, say=say, lap=lap)
    return result


def others_seed(
    result: ProgrammeResult,
    *,
    kabupaten: str,
    as_of: dt.date,
    seed: int,
    say: Callable[[str], None] | None,
    lap: Callable[[str, str], None],
) -> None:
    """The year's complaints, referrals, facilitator training and alumni survey, through the
    seeders of their own apps (each idempotent by refusal; the survey last, after the year's
    meetings and graduations it sets the answers beside)."""
    from harapan.alumni.demo import seed_alumni_survey
    from harapan.grievances.demo import seed_grievances
    from harapan.referrals.demo import seed_referrals
    from harapan.training.demo import seed_training

    operator = result.actors.operator
    result.grievances = seed_grievances(area_code=kabupaten, as_of=as_of, seed=seed, acting_user=operator)
    lap("pengaduan", f"pengaduan: {result.grievances}")
    result.referrals = seed_referrals(area_code=kabupaten, as_of=as_of, seed=seed, acting_user=operator)
    lap("rujukan", f"rujukan: {result.referrals}")
    result.training = seed_training(kabupaten_code=kabupaten, as_of=as_of, seed=seed)
    lap("diklat", "diklat pendamping: angkatan selesai dan berjalan")
    result.alumni = seed_alumni_survey(kabupaten_code=kabupaten, as_of=as_of, seed=seed)
    lap("survei alumni", f"survei alumni: {result.alumni.get('answered', 0)} jawaban")
