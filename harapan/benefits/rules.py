"""Entitlement rules as pure functions (RULES.md: Components and amounts, configurable per year).

Every number comes from a benefit index (``IndexTerms``, read from ``models.BenefitIndex``);
nothing here touches the database. The family's members and the component categories each fits
on the cut-off date come from ``registry.rules.member_components``.

How a family's year is computed (``family_entitlement``):

1. A person who fits two categories counts once, for one of them; a category counts at most its
   per-category cap of people; at most ``person_cap`` people count in all. Among the ways to
   satisfy these limits the one with the **highest total** is chosen: category places are filled
   from the highest amount down, and a person already placed moves to another category they fit
   when that frees a place (augmenting path). So a grandmother who is both elderly and severely
   disabled counts as disabled when the grandfather takes the only elderly place.
2. Ties are broken deterministically: equal amounts in ``Komponen`` order (ibu hamil, usia dini,
   SD, SMP, SMA, disabilitas berat, lanjut usia), then members in the order given (the registry's
   order: relationship to the head, birth date, id). With the cap of 4 and five eligible members,
   the four highest amounts count; of two equal amounts the member listed first counts.
3. A family with at least one counted person adds the fixed benefit (the hard-to-reach one when
   its desa is hard to reach) and is held between the index's minimum and maximum per year. A
   family with no counted person is entitled to nothing, neither fixed benefit nor minimum.
4. The year is split into tahap by the index's weights: every tahap but the last gets the year
   times its share, rounded down to whole rupiah; the last tahap takes the remainder, so the
   tahap always sum exactly to the year (``tahap_split``).

The set-based ``household_totals`` computes the same totals for many families from columnar rows;
tests hold it equal to ``family_entitlement``.
"""

from __future__ import annotations

import operator
from collections.abc import Container, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from harapan.registry.rules import Komponen, Violation

KOMPONEN_ORDER: tuple[str, ...] = tuple(k.value for k in Komponen)
_RANK = {k: i for i, k in enumerate(KOMPONEN_ORDER)}


@dataclass(frozen=True)
class IndexTerms:
    """The numbers of one benefit index (whole rupiah per year)."""

    amounts: Mapping[str, int]  # komponen -> per person per year; a komponen absent is not paid
    category_caps: Mapping[str, int]  # komponen -> most people counted; absent: no cap
    person_cap: int | None  # most people counted in a family; None: no cap
    fixed: int  # per family per year
    fixed_hard_to_reach: int
    minimum: int | None  # per family per year, when the schedule has one
    maximum: int | None
    tahap_weights: tuple[int, ...]  # tahap k pays weight k / sum of weights of the year

    def ranked(self) -> list[str]:
        """The index's categories, highest amount first, ties in ``Komponen`` order."""
        return sorted(self.amounts, key=lambda k: (-self.amounts[k], _RANK[k]))


def terms_violations(terms: IndexTerms) -> list[Violation]:
    """What makes a set of terms unusable (field names as in ``forms.BenefitIndexForm``)."""
    out: list[Violation] = []
    for k, amount in terms.amounts.items():
        if k not in _RANK:
            out.append(Violation(f"amount_{k}", "komponen_tidak_dikenal", _("Komponen tidak dikenal.")))
        elif amount < 0:
            out.append(Violation(f"amount_{k}", "besaran_negatif", _("Besaran tidak boleh negatif.")))
    for k, cap in terms.category_caps.items():
        if cap < 1:
            out.append(Violation(f"cap_{k}", "batas_kategori", _("Batas kategori paling sedikit 1 orang.")))
        elif k not in terms.amounts:
            out.append(Violation(f"cap_{k}", "batas_tanpa_besaran", _("Batas kategori tanpa besaran komponen.")))
    if terms.person_cap is not None and terms.person_cap < 1:
        out.append(Violation("person_cap", "batas_orang", _("Batas orang paling sedikit 1.")))
    for name in ("fixed", "fixed_hard_to_reach", "minimum", "maximum"):
        value = getattr(terms, name)
        if value is not None and value < 0:
            out.append(Violation(name, "besaran_negatif", _("Besaran tidak boleh negatif.")))
    if terms.minimum is not None and terms.maximum is not None and terms.minimum > terms.maximum:
        out.append(Violation("maximum", "minimum_maksimum", _("Maksimum harus sama dengan atau di atas minimum.")))
    if not terms.tahap_weights or any(w < 1 for w in terms.tahap_weights):
        out.append(
            Violation("tahap_weights", "bobot_tahap", _("Setiap tahap harus punya bobot bilangan bulat 1 atau lebih."))
        )
    if not terms.amounts:
        out.append(Violation("__all__", "tanpa_komponen", _("Indeks harus punya paling sedikit satu komponen.")))
    return out


class Reason(StrEnum):
    """Why a member's category counts or not, for the family page and the payroll."""

    COUNTED = "dihitung"
    COUNTED_ELSEWHERE = "dihitung_komponen_lain"
    CATEGORY_CAP = "batas_kategori"
    PERSON_CAP = "batas_orang"
    NOT_IN_INDEX = "tidak_ada_di_indeks"


# Marked for makemessages only; ``Line.reason_text`` translates them.
REASON_LABELS = {
    Reason.COUNTED: gettext_noop("dihitung"),
    Reason.COUNTED_ELSEWHERE: gettext_noop("dihitung sekali, pada komponen lain"),
    Reason.CATEGORY_CAP: gettext_noop("batas kategori: paling banyak %(n)d orang"),
    Reason.PERSON_CAP: gettext_noop("melebihi batas %(n)d orang"),
    Reason.NOT_IN_INDEX: gettext_noop("tidak ada dalam indeks"),
}


@dataclass(frozen=True)
class Line:
    """One member in one category: its amount under the index and whether it counts."""

    member_id: int
    komponen: str
    amount: int  # per year under the index (0 when the index does not pay the category)
    counted: bool
    reason: Reason
    limit: int | None = None  # the cap behind CATEGORY_CAP / PERSON_CAP

    def reason_text(self) -> str:
        label = _(REASON_LABELS[self.reason])
        return label % {"n": self.limit} if self.limit is not None else label


@dataclass(frozen=True)
class Entitlement:
    """A family's entitlement under one index on one cut-off date, with the reasons."""

    lines: tuple[Line, ...]
    components_total: int
    fixed: int
    adjustment: int  # raised to the minimum (> 0) or cut to the maximum (< 0)
    year_total: int
    counted_people: int
    tahap: tuple[int, ...]  # the year split into tahap (``tahap_split``)


def tahap_split(year_amount: int, weights: Sequence[int]) -> tuple[int, ...]:
    """The year's amount split into tahap by weight: every tahap but the last gets
    ``year * weight // total weight`` (rounded down to whole rupiah); the last takes the remainder,
    so the tahap sum exactly to the year (RULES.md: one tahap = a quarter of the year's amount)."""
    total = sum(weights)
    parts = [year_amount * w // total for w in weights[:-1]]
    parts.append(year_amount - sum(parts))
    return tuple(parts)


def _augment(komponen: str, fitting: Mapping[str, list[int]], placed: list[str | None], seen: set[int]) -> bool:
    """Find a person for one more place in ``komponen``: a free member who fits it, or a placed
    one whose own place another member can take (Kuhn's augmenting path). Members are tried in
    the order given, so the result is deterministic."""
    for p in fitting[komponen]:
        if p in seen:
            continue
        seen.add(p)
        current = placed[p]
        if current is None or _augment(current, fitting, placed, seen):
            placed[p] = komponen
            return True
    return False


def _place(fits: Sequence[Sequence[str]], terms: IndexTerms) -> tuple[list[str | None], dict[str, int]]:
    """Each member's counted category (None: not counted), and the people counted per category.

    The category places form a matroid (places that can be given to distinct people, at most
    ``person_cap`` of them), so filling them greedily from the highest amount gives the highest
    total: a place is taken whenever an augmenting path finds someone for it."""
    ranked = terms.ranked()
    fitting = {k: [p for p, cats in enumerate(fits) if k in cats] for k in ranked}
    placed: list[str | None] = [None] * len(fits)
    per_category = dict.fromkeys(ranked, 0)
    counted = 0
    for k in ranked:
        cap = terms.category_caps.get(k)
        while fitting[k] and (cap is None or per_category[k] < cap):
            if terms.person_cap is not None and counted >= terms.person_cap:
                return placed, per_category
            if not _augment(k, fitting, placed, set()):
                break
            per_category[k] += 1
            counted += 1
    return placed, per_category


def family_entitlement(
    members: Sequence[tuple[int, Sequence[str]]], terms: IndexTerms, *, hard_to_reach: bool = False
) -> Entitlement:
    """A family's entitlement per year and per tahap (RULES.md: Components and amounts): each
    person counts once at the highest amount the caps allow, at most ``category_caps`` people per
    category and ``person_cap`` in all; the fixed benefit; the min/max clamp; the tahap split.
    ``members`` are (member id, categories on the cut-off date), in the registry's order."""
    fits = [[k for k in cats if k in terms.amounts] for _id, cats in members]
    placed, per_category = _place(fits, terms)
    lines: list[Line] = []
    for p, (member_id, cats) in enumerate(members):
        for k in sorted(fits[p], key=lambda k: (-terms.amounts[k], _RANK[k])):
            amount = terms.amounts[k]
            cap = terms.category_caps.get(k)
            if placed[p] == k:
                lines.append(Line(member_id, k, amount, True, Reason.COUNTED))
            elif placed[p] is not None:
                lines.append(Line(member_id, k, amount, False, Reason.COUNTED_ELSEWHERE))
            elif cap is not None and per_category[k] >= cap:
                lines.append(Line(member_id, k, amount, False, Reason.CATEGORY_CAP, cap))
            else:  # the category had room: the family had reached the person cap
                lines.append(Line(member_id, k, amount, False, Reason.PERSON_CAP, terms.person_cap))
        for k in sorted((k for k in set(cats) if k not in terms.amounts), key=_RANK.__getitem__):
            lines.append(Line(member_id, k, 0, False, Reason.NOT_IN_INDEX))
    counted_people = sum(1 for k in placed if k is not None)
    components_total = sum(terms.amounts[k] for k in placed if k is not None)
    if counted_people == 0:
        return Entitlement(tuple(lines), 0, 0, 0, 0, 0, tuple(0 for _w in terms.tahap_weights))
    fixed = terms.fixed_hard_to_reach if hard_to_reach else terms.fixed
    subtotal = components_total + fixed
    year = subtotal
    if terms.minimum is not None:
        year = max(year, terms.minimum)
    if terms.maximum is not None:
        year = min(year, terms.maximum)
    return Entitlement(
        lines=tuple(lines),
        components_total=components_total,
        fixed=fixed,
        adjustment=year - subtotal,
        year_total=year,
        counted_people=counted_people,
        tahap=tahap_split(year, terms.tahap_weights),
    )


# --- Set-based: many families at once ---------------------------------------------------------


class HouseholdTotal(NamedTuple):
    year: int
    counted: int  # people counted (JUMLAH_KOMPONEN of the bank file, FORMATS.md §6.2)


def household_totals(
    household_ids: Sequence[int],
    member_ids: Sequence[int],
    komponen: Sequence[str],
    *,
    terms: IndexTerms,
    hard_to_reach: Container[int] = frozenset(),
) -> dict[int, HouseholdTotal]:
    """``family_entitlement``'s year total and counted people for many families in one pass.

    Input is columnar, one row per (household, member, category the member fits), ordered by
    household id then member id (ORDER BY household_id, member_id); families without a row are
    entitled to nothing and are left out. A family's total depends only on the multiset of its
    members' category sets (the placement maximises the total, whatever the member order), so
    each distinct composition is computed once with ``family_entitlement`` and reused: the work is
    one pass over the rows plus a dictionary look-up per family.
    """
    bit = {k: 1 << i for i, k in enumerate(KOMPONEN_ORDER)}
    memo: dict[tuple[tuple[int, ...], bool], HouseholdTotal] = {}
    out: dict[int, HouseholdTotal] = {}

    def total(masks: list[int], household: int) -> HouseholdTotal:
        key = (tuple(sorted(masks)), household in hard_to_reach)
        found = memo.get(key)
        if found is None:
            members = [(i, [k for k in KOMPONEN_ORDER if mask & bit[k]]) for i, mask in enumerate(key[0])]
            e = family_entitlement(members, terms, hard_to_reach=key[1])
            found = memo[key] = HouseholdTotal(e.year_total, e.counted_people)
        return found

    masks: list[int] = []
    mask = 0
    prev_h: int | None = None
    prev_m: int | None = None
    for h, m, k in zip(household_ids, member_ids, komponen, strict=True):
        if m != prev_m or h != prev_h:
            if prev_h is not None:
                masks.append(mask)
            mask = 0
            if h != prev_h:
                if prev_h is not None:
                    if h < prev_h:
                        raise ValueError("rows must be ordered by household id, then member id")
                    out[prev_h] = total(masks, prev_h)
                masks = []
                prev_h = h
            elif prev_m is not None and m < prev_m:
                raise ValueError("rows must be ordered by household id, then member id")
            prev_m = m
        mask |= bit[k]
    if prev_h is not None:
        masks.append(mask)
        out[prev_h] = total(masks, prev_h)
    return out


def tahap_amounts(totals: Mapping[int, HouseholdTotal], terms: IndexTerms, tahap: int) -> dict[int, int]:
    """Each family's amount for tahap ``tahap`` (1-based) of its year total (``tahap_split``)."""
    weights = terms.tahap_weights
    if not 1 <= tahap <= len(weights):
        raise ValueError(f"tahap {tahap} outside 1..{len(weights)}")
    by_year: dict[int, int] = {}
    for t in set(map(operator.itemgetter(0), totals.values())):
        by_year[t] = tahap_split(t, weights)[tahap - 1]
    return {h: by_year[t.year] for h, t in totals.items()}
