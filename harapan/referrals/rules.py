"""Referral rules as pure functions: the status transitions, and which programmes a family or member
looks eligible for (the suggested referrals, ``selectors.coverage_gaps``).

RULES.md "People and ratios": a pendamping must "ensure complementary programmes (BPNT, KIS, KIP)";
the eligibility rules below say when a family or member looks like it should have one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from harapan.registry.rules import Komponen

# Status values (models.ReferralStatus), kept as plain strings so the rule stays pure.
DIRUJUK, DITERIMA, SELESAI, DITOLAK = "dirujuk", "diterima", "selesai", "ditolak"

# dirujuk → diterima → selesai, and ditolak from either open state; a closed referral never moves.
TRANSITIONS: Mapping[str, frozenset[str]] = {
    DIRUJUK: frozenset({DITERIMA, DITOLAK}),
    DITERIMA: frozenset({SELESAI, DITOLAK}),
    SELESAI: frozenset(),
    DITOLAK: frozenset(),
}


def can_move(current: str, target: str) -> bool:
    """Whether a referral in ``current`` may move to ``target``: dirujuk → diterima → selesai, or
    ditolak from dirujuk or diterima (issue 5: "status (dirujuk → diterima → selesai / ditolak)")."""
    return target in TRANSITIONS.get(current, frozenset())


# --- Eligibility (the hints behind suggested referrals) ------------------------------------------

KELUARGA_PKH, USIA_SEKOLAH, NIK_TIDAK_SAH, LANSIA_DISABILITAS = (
    "keluarga_pkh",
    "usia_sekolah",
    "nik_tidak_sah",
    "lansia_disabilitas",
)


@dataclass(frozen=True)
class EligibilityRules:
    """The numbers behind the eligibility hints, from the registry's configuration (RULES.md:
    Components and amounts: "School children count from 6 to 21 years")."""

    school_min_age: int
    school_max_age: int


@dataclass(frozen=True)
class PersonFacts:
    """What the eligibility rules need of one member on the reference date."""

    member_id: int
    age: int
    present: bool
    nik_valid: bool
    komponen: frozenset[str] = frozenset()


def family_eligible(rule: str, *, in_programme: bool) -> bool:
    """A family-level programme: ``keluarga_pkh`` suggests it to every family in PKH (KIS PBI and
    BPNT/Sembako are meant to reach every KPM, RULES.md: Glossary, People and ratios). No other rule
    applies to a whole family; programmes without a rule are never suggested."""
    return rule == KELUARGA_PKH and in_programme


def member_eligible(rule: str, person: PersonFacts, *, rules: EligibilityRules) -> bool:
    """A member-level programme, for a member living in the family:

    - ``usia_sekolah`` (KIP): aged from the school minimum to the school maximum age, enrolled or not
      (KIP also brings children who dropped out back to school);
    - ``nik_tidak_sah`` (Dukcapil): no NIK, or a NIK that breaks the NIK rule (RULES.md: Identity
      numbers; a valid NIK is a condition of payment, RULES.md: Disbursement and data);
    - ``lansia_disabilitas`` (ATENSI): fits the lanjut usia or disabilitas berat component.
    """
    if not person.present:
        return False
    if rule == USIA_SEKOLAH:
        return rules.school_min_age <= person.age <= rules.school_max_age
    if rule == NIK_TIDAK_SAH:
        return not person.nik_valid
    if rule == LANSIA_DISABILITAS:
        return bool(person.komponen & {Komponen.LANJUT_USIA, Komponen.DISABILITAS_BERAT})
    return False


@dataclass(frozen=True)
class ProgrammeRule:
    code: str
    for_members: bool
    eligibility: str


def gaps(
    programmes: Iterable[ProgrammeRule],
    *,
    in_programme: bool,
    people: Iterable[PersonFacts],
    covered: set[tuple[str, int | None]],
    rules: EligibilityRules,
) -> list[tuple[str, int | None]]:
    """The (programme code, member id or None) pairs the family looks eligible for and does not
    receive: ``covered`` holds the pairs it receives now. Programmes in the given order, members in
    the given order."""
    people = list(people)
    out: list[tuple[str, int | None]] = []
    for p in programmes:
        if not p.eligibility:
            continue
        if p.for_members:
            out.extend(
                (p.code, m.member_id)
                for m in people
                if (p.code, m.member_id) not in covered and member_eligible(p.eligibility, m, rules=rules)
            )
        elif (p.code, None) not in covered and family_eligible(p.eligibility, in_programme=in_programme):
            out.append((p.code, None))
    return out
