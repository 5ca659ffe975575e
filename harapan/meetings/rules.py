"""Pure rules on attendance (RULES.md "Sanctions (configurable ladder)"; issue 3).

The sequence is a family's own marks at *held* group meetings, ordered by meeting date across
every group it belonged to (a family that moved keeps its count). Cancelled meetings are not in
the sequence: they count for no one. ``alpa`` counts; ``izin`` neither counts nor resets;
``hadir`` resets the run to zero.
"""

from __future__ import annotations

from collections.abc import Sequence

HADIR = "hadir"
IZIN = "izin"
ALPA = "alpa"


def consecutive_unexcused_absences(marks_in_group_order: Sequence[str]) -> int:
    """The trailing run of ``alpa`` (``izin`` skipped, ``hadir`` ends the run)."""
    run = 0
    for mark in reversed(marks_in_group_order):
        if mark == HADIR:
            break
        if mark == ALPA:
            run += 1
    return run


def trailing_alpa_positions(marks_in_group_order: Sequence[str]) -> list[int]:
    """Indexes (in order) of the ``alpa`` marks that make up the trailing run."""
    out: list[int] = []
    for i in range(len(marks_in_group_order) - 1, -1, -1):
        mark = marks_in_group_order[i]
        if mark == HADIR:
            break
        if mark == ALPA:
            out.append(i)
    return out[::-1]


def flags_due(run: int, *, absence_threshold: int, non_eligible_threshold: int) -> set[str]:
    """Flag kinds a family with ``run`` consecutive alpa should have open."""
    due: set[str] = set()
    if run >= absence_threshold:
        due.add("penangguhan")
    if run >= non_eligible_threshold:
        due.add("usul_non_eligible")
    return due
