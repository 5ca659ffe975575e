"""P2K2 rules as pure functions (RULES.md "P2K2 / FDS curriculum": five modules, fourteen
sessions, taught in order; measures of success: attendance rate, modules delivered in order, share
of KPM applying the material)."""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping, Sequence
from typing import TypeVar

from django.utils.translation import gettext as _

K = TypeVar("K", bound=Hashable)


def score_violations(correct: int | None, total: int) -> list[str]:
    """Why a knowledge-check score cannot be kept: it counts correct answers, so it lies between 0
    and the number of questions asked. An empty score (not collected) is allowed."""
    if correct is None:
        return []
    if correct < 0:
        return [_("Nilai tidak boleh kurang dari 0.")]
    if correct > total:
        return [_("Nilai paling besar %(n)d (jumlah pertanyaan).") % {"n": total}]
    return []


def sessions_out_of_order(teaching: Sequence[K], first_held: Mapping[K, int]) -> list[K]:
    """Sessions taught out of order: ``teaching`` lists the sessions in teaching order and
    ``first_held`` gives, for each session held, its place in the order the group first held them.
    A held session is out of order when a session before it in teaching order had not been held
    before it (skipped, or held later)."""
    out: list[K] = []
    for i, session in enumerate(teaching):
        if session not in first_held:
            continue
        mine = first_held[session]
        if any(earlier not in first_held or first_held[earlier] > mine for earlier in teaching[:i]):
            out.append(session)
    return out


def modules_completed(modules: Mapping[K, Collection[Hashable]], done: Collection[Hashable]) -> list[K]:
    """The modules whose every session is in ``done`` (a module without sessions is not completed)."""
    return [m for m, sessions in modules.items() if sessions and all(s in done for s in sessions)]


def attendance_rate(present: int, marked: int) -> float | None:
    """Share of the families marked at a meeting who were present (hadir), in percent; izin and
    alpa both count as not present. None when nobody was marked."""
    return 100.0 * present / marked if marked else None
