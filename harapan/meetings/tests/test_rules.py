"""RULES.md "Sanctions (configurable ladder)" (issue 3): the trailing run of unexcused absences."""

from __future__ import annotations

from harapan.meetings.rules import consecutive_unexcused_absences, flags_due, trailing_alpa_positions


def test_trailing_alpa_are_counted() -> None:
    assert consecutive_unexcused_absences(["hadir", "alpa", "alpa", "alpa"]) == 3
    assert consecutive_unexcused_absences([]) == 0


def test_izin_neither_counts_nor_resets() -> None:
    assert consecutive_unexcused_absences(["alpa", "izin", "alpa", "izin"]) == 2
    assert trailing_alpa_positions(["hadir", "alpa", "izin", "alpa"]) == [1, 3]


def test_hadir_resets_the_run() -> None:
    assert consecutive_unexcused_absences(["alpa", "alpa", "alpa", "hadir"]) == 0
    assert consecutive_unexcused_absences(["alpa", "alpa", "hadir", "alpa"]) == 1


def test_flags_due_at_each_threshold() -> None:
    assert flags_due(2, absence_threshold=3, non_eligible_threshold=6) == set()
    assert flags_due(3, absence_threshold=3, non_eligible_threshold=6) == {"penangguhan"}
    assert flags_due(6, absence_threshold=3, non_eligible_threshold=6) == {"penangguhan", "usul_non_eligible"}
