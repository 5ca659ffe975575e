"""Kinds about a member's condition: a pregnancy, a severe disability."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from harapan.registry import services as registry
from harapan.registry.models import DisabilityAssessment, Member
from harapan.registry.rules import MemberAgeFacts, MemberFacts, Period, Violation, household_age_violations

from ..models import UpdateKind
from .base import Change, Kind, Row, day, facts_of, pregnancy_end, replace_facts


class PregnancyStart(Kind):
    """A woman of child-bearing age is pregnant: ibu hamil from the date (RULES.md: Components)."""

    kind = UpdateKind.KEHAMILAN

    def check(self, c: Change) -> list[Violation]:
        assert c.member is not None
        m, on = c.member, c.effective_date
        facts = [
            MemberAgeFacts(key="m", birth_date=m.birth_date, relationship=m.relationship, pregnant=True, sex=m.sex)
        ]
        out = [
            Violation("member", v.rule, v.message)
            for _k, v in household_age_violations(facts, on=on, rules=c.rules)
            if v.rule == "hamil_tidak_wajar"
        ]
        if any(p.valid_from <= on <= pregnancy_end(p, c.rules) or p.valid_from > on for p in m.pregnancies.all()):
            out.append(
                Violation(
                    "effective_date", "hamil_tumpang_tindih", _("%(name)s sudah tercatat hamil.") % {"name": m.name}
                )
            )
        return out

    def apply(self, c: Change, *, acting_user: Any, source: str) -> Member | None:
        assert c.member is not None
        registry.pregnancy_open(member=c.member, valid_from=c.effective_date, acting_user=acting_user, source=source)
        return None

    def project(self, c: Change, facts: list[MemberFacts]) -> list[MemberFacts]:
        assert c.member is not None
        mf = facts_of(facts, c.member.pk)
        if mf is None:
            return facts
        stale = tuple(
            Period(p.valid_from, pregnancy_end(p, c.rules)) if p.valid_to is None else p for p in mf.pregnancies
        )
        return replace_facts(facts, mf.member_id, pregnancies=(*stale, Period(c.effective_date, None)))

    def rows(self, c: Change, before: dict[str, Any]) -> list[Row]:
        return [(_("Hamil"), _("tidak tercatat"), _("sejak %(d)s") % {"d": day(c.effective_date)})]


class SevereDisability(Kind):
    """The pendamping's assessment finds a severe disability: the component from the date."""

    kind = UpdateKind.DISABILITAS_BERAT

    def check(self, c: Change) -> list[Violation]:
        assert c.member is not None
        held = DisabilityAssessment.objects.filter(member=c.member, severe=True, valid_to__isnull=True).exists()
        held = (
            held
            or DisabilityAssessment.objects.filter(
                member=c.member, severe=True, valid_to__gte=c.effective_date
            ).exists()
        )
        if held:
            return [
                Violation(
                    "member",
                    "disabilitas_sudah_ada",
                    _("%(name)s sudah tercatat disabilitas berat.") % {"name": c.member.name},
                )
            ]
        return []

    def apply(self, c: Change, *, acting_user: Any, source: str) -> Member | None:
        assert c.member is not None
        registry.disability_open(member=c.member, valid_from=c.effective_date, acting_user=acting_user, source=source)
        return None

    def project(self, c: Change, facts: list[MemberFacts]) -> list[MemberFacts]:
        assert c.member is not None
        mf = facts_of(facts, c.member.pk)
        if mf is None:
            return facts
        return replace_facts(
            facts, mf.member_id, severe_disability=(*mf.severe_disability, Period(c.effective_date, None))
        )

    def rows(self, c: Change, before: dict[str, Any]) -> list[Row]:
        return [
            (_("Disabilitas berat"), _("tidak tercatat"), _("sejak %(d)s") % {"d": day(c.effective_date)}),
            (_("Hasil asesmen"), "—", str(c.payload.get("description", ""))),
        ]
