"""The rules of a complaint case as pure functions: its status transitions, its due time, when it
is overdue, and its number (RULES.md: Disbursement and data, "Field problems to record";
People and ratios, the pendamping's "mediation and advocacy")."""

from __future__ import annotations

import datetime as dt
import re

from django.utils.translation import gettext_lazy as _

BARU, DITANGANI, SELESAI, DITUTUP = "baru", "ditangani", "selesai", "ditutup"
OPEN = frozenset({BARU, DITANGANI})

# action -> (statuses it starts from, status it leads to). Noting and escalating change no status.
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "take": (frozenset({BARU}), DITANGANI),
    "resolve": (frozenset({DITANGANI}), SELESAI),
    "close": (frozenset({BARU, DITANGANI}), DITUTUP),
    "reopen": (frozenset({SELESAI, DITUTUP}), DITANGANI),
}

# The rule each transition follows, named in the error when a case is in the wrong status.
TRANSITION_RULES = {
    "take": _("hanya pengaduan berstatus baru yang dapat mulai ditangani (baru → ditangani)"),
    "resolve": _(
        "hanya pengaduan yang sedang ditangani yang dapat diselesaikan (baru → ditangani → selesai); "
        "tangani pengaduan ini terlebih dahulu"
    ),
    "close": _("hanya pengaduan yang masih terbuka (baru atau ditangani) yang dapat ditutup"),
    "reopen": _("hanya pengaduan yang sudah selesai atau ditutup yang dapat dibuka kembali (→ ditangani)"),
    "escalate": _("hanya pengaduan yang masih terbuka (baru atau ditangani) yang dapat dieskalasi"),
}


def transition_target(action: str, status: str) -> str | None:
    """The status ``action`` leads to from ``status``, or None when the transition is not allowed:
    baru → ditangani → selesai; baru/ditangani → ditutup; selesai/ditutup → ditangani (reopened)."""
    sources, target = TRANSITIONS[action]
    return target if status in sources else None


def due_at(opened_at: dt.datetime, sla_days: int) -> dt.datetime:
    """When a case must be resolved: lodged + the category's SLA in calendar days."""
    return opened_at + dt.timedelta(days=sla_days)


def is_overdue(*, status: str, due_at: dt.datetime, now: dt.datetime) -> bool:
    """A case is overdue when it is still open (baru or ditangani) and its due time has passed;
    due exactly now is not yet overdue. A finished case is never overdue (whether it was finished
    in time is ``finished_in_time``)."""
    return status in OPEN and now > due_at


def finished_in_time(*, due_at: dt.datetime, finished_at: dt.datetime) -> bool:
    return finished_at <= due_at


NUMBER_DIGITS = 6


def grievance_number(prefix: str, year: int, serial: int) -> str:
    """The human-readable case number, e.g. ``ADU-2026-000123`` (serial within the year)."""
    return f"{prefix}-{year}-{serial:0{NUMBER_DIGITS}d}"


def number_serial(number: str) -> int:
    """The serial of a case number (0 when it is not one)."""
    m = re.fullmatch(r"[A-Z]+-\d{4}-(\d+)", number)
    return int(m.group(1)) if m else 0
