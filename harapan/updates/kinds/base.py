"""What every kind of update shares: the ``Change`` it works on and the ``Kind`` interface.

A kind's ``check`` reads the family as it is now and returns the broken rules; it runs when the
update is submitted and again when the last approval applies it (the family may have changed
meanwhile). ``apply`` writes through the registry services, which audit every change. ``project``
makes the same change on the members' facts in memory, so the approver sees the components before
and after (RULES.md: Components and amounts) before anything is written.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _

from harapan.registry.models import PRESENT, Household, Member, Pregnancy
from harapan.registry.rules import MemberFacts, Period, RegistryRules, Violation

from ..rules import Person

DAY = dt.timedelta(days=1)
NEWBORN = -1  # the member id a birth's newborn carries in projected facts
ACCOUNT_FIELDS = ("bank", "account_number", "account_name", "kks_number")
ADDRESS_FIELDS = ("address", "dusun", "rt", "rw")


@dataclass
class Change:
    """An update as the kinds see it: the family now, the member, the date and the payload."""

    household: Household
    kind: str
    member: Member | None
    effective_date: dt.date
    payload: dict[str, Any]
    rules: RegistryRules
    members: dict[int, Member] = field(default_factory=dict)

    @classmethod
    def of(
        cls, *, household: Household, kind: str, member: Member | None, effective_date: dt.date, payload: dict[str, Any]
    ) -> Change:
        members = {m.pk: m for m in Member.objects.filter(household=household)}
        return cls(
            household=household,
            kind=kind,
            member=members.get(member.pk, member) if member is not None else None,
            effective_date=effective_date,
            payload=payload,
            rules=RegistryRules.from_settings(),
            members=members,
        )

    def present(self) -> list[Member]:
        """The members still living in the family."""
        return [m for m in self.members.values() if is_present(m)]

    def named(self, key: str) -> Member | None:
        """The member a payload field names (by id), if they belong to the family."""
        pk = self.payload.get(key)
        return self.members.get(int(pk)) if pk not in (None, "") else None


def is_present(m: Member) -> bool:
    """Living in the family: present (FORMATS.md §1.2 codes 1, 4) and not left."""
    return m.presence in PRESENT and m.left_on is None


def person(m: Member) -> Person:
    return Person(member_id=m.pk, sex=m.sex, birth_date=m.birth_date)


def pregnancy_end(p: Pregnancy | Period, rules: RegistryRules) -> dt.date:
    return p.valid_to if p.valid_to is not None else p.valid_from + dt.timedelta(days=rules.pregnancy_days)


def school_text(values: dict[str, Any] | None) -> str:
    """An enrolment as text, e.g. "SMP kelas 7, SMPN 1 Maesan (NPSN 20523456)", from its audit view or
    a payload."""
    if not values:
        return "—"
    level = values.get("jenjang") or values.get("level") or ""
    text = str(level)
    if values.get("grade"):
        text += " " + _("kelas %(n)s") % {"n": values["grade"]}
    if values.get("school_name"):
        text += f", {values['school_name']}"
    if values.get("npsn"):
        text += f" (NPSN {values['npsn']})"
    return text


def day(value: Any) -> str:
    if not value:
        return "—"
    d = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    return f"{d:%d-%m-%Y}"


Row = tuple[str, str, str]  # (what, before, after), readable


class Kind:
    kind: ClassVar[str]

    def open_key(self, c: Change) -> str:
        """What makes two open updates of this kind the same change (one open at a time)."""
        return f"member:{c.member.pk}" if c.member is not None else "household"

    def check(self, c: Change) -> list[Violation]:
        return []

    def before(self, c: Change) -> dict[str, Any]:
        return {}

    def apply(self, c: Change, *, acting_user: Any, source: str) -> Member | None:
        raise NotImplementedError

    def project(self, c: Change, facts: list[MemberFacts]) -> list[MemberFacts]:
        return facts

    def rows(self, c: Change, before: dict[str, Any]) -> list[Row]:
        return []

    def subject(self, c: Change) -> str:
        return c.member.name if c.member is not None else ""


def replace_facts(facts: list[MemberFacts], member_id: int, **changes: Any) -> list[MemberFacts]:
    return [dataclasses.replace(f, **changes) if f.member_id == member_id else f for f in facts]


def facts_of(facts: list[MemberFacts], member_id: int) -> MemberFacts | None:
    return next((f for f in facts if f.member_id == member_id), None)


def violations_error(violations: Sequence[Violation]) -> dict[str, list[Any]]:
    """Violations grouped by field, as ValidationError wants them (each with its rule as code)."""
    out: dict[str, list[Any]] = {}
    for v in violations:
        out.setdefault(v.field or NON_FIELD_ERRORS, []).append(ValidationError(v.message, code=v.rule))
    return out
