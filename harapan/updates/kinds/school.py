"""Kinds about school: entering, moving up a level, leaving (RULES.md: Components and amounts —
the school level comes from enrolment, not age alone)."""

from __future__ import annotations

import dataclasses
from typing import Any

from django.utils.translation import gettext as _

from harapan.registry import services as registry
from harapan.registry.models import Member, SchoolEnrolment
from harapan.registry.rules import Enrolment, MemberFacts, Violation

from ..forms import SchoolLeaveForm
from ..models import UpdateKind
from ..rules import grade_violations, level_change_violations, school_age_violations
from .base import DAY, Change, Kind, Row, day, facts_of, replace_facts, school_text


def open_enrolment(member: Member) -> SchoolEnrolment | None:
    return member.enrolments.filter(valid_to__isnull=True).order_by("-valid_from").first()


class SchoolEntry(Kind):
    """A child starts school: the SD/SMP/SMA component follows the enrolment's level from the date
    (RULES.md: Components and amounts)."""

    kind = UpdateKind.MASUK_SEKOLAH

    def check(self, c: Change) -> list[Violation]:
        assert c.member is not None
        p = c.payload
        out = school_age_violations(c.member.birth_date, c.effective_date, c.rules, field="member")
        out += grade_violations(p["level"], p.get("grade"))
        if (
            c.member.enrolments.filter(valid_to__isnull=True).exists()
            or c.member.enrolments.filter(valid_to__gte=c.effective_date).exists()
        ):
            out.append(
                Violation(
                    "member",
                    "sekolah_tumpang_tindih",
                    _("%(name)s sudah tercatat bersekolah; gunakan Pindah jenjang sekolah.") % {"name": c.member.name},
                )
            )
        return out

    def before(self, c: Change) -> dict[str, Any]:
        return {"sekolah": None}

    def apply(self, c: Change, *, acting_user: Any, source: str) -> Member | None:
        assert c.member is not None
        p = c.payload
        registry.enrolment_open(
            member=c.member,
            level=p["level"],
            grade=p.get("grade"),
            school_name=p.get("school_name") or "",
            npsn=p.get("npsn") or "",
            nisn=p.get("nisn") or "",
            valid_from=c.effective_date,
            acting_user=acting_user,
            source=source,
        )
        return None

    def project(self, c: Change, facts: list[MemberFacts]) -> list[MemberFacts]:
        assert c.member is not None
        mf = facts_of(facts, c.member.pk)
        if mf is None:
            return facts
        new = Enrolment(c.effective_date, None, level=c.payload["level"])
        return replace_facts(facts, mf.member_id, enrolments=(*mf.enrolments, new))

    def rows(self, c: Change, before: dict[str, Any]) -> list[Row]:
        return [(_("Sekolah"), school_text(before.get("sekolah")), school_text(c.payload))]


class LevelChange(SchoolEntry):
    """A pupil moves up a level: the old enrolment ends the day before the date, the new level
    counts from it."""

    kind = UpdateKind.PINDAH_JENJANG

    def check(self, c: Change) -> list[Violation]:
        assert c.member is not None
        p = c.payload
        current = open_enrolment(c.member)
        if current is None:
            return [
                Violation(
                    "member",
                    "tidak_bersekolah",
                    _("%(name)s tidak tercatat bersekolah; gunakan Masuk sekolah.") % {"name": c.member.name},
                )
            ]
        out = school_age_violations(c.member.birth_date, c.effective_date, c.rules, field="member")
        out += grade_violations(p["level"], p.get("grade"))
        out += level_change_violations(current.level, p["level"])
        if current.valid_from >= c.effective_date:
            out.append(
                Violation(
                    "effective_date",
                    "tanggal_sebelum_mulai",
                    _("Jenjang sekarang dimulai %(d)s; tanggal harus sesudahnya.") % {"d": day(current.valid_from)},
                )
            )
        return out

    def before(self, c: Change) -> dict[str, Any]:
        assert c.member is not None
        return {"sekolah": registry.fact_view(open_enrolment(c.member))}

    def apply(self, c: Change, *, acting_user: Any, source: str) -> Member | None:
        assert c.member is not None
        registry.enrolment_close(
            member=c.member, valid_to=c.effective_date - DAY, acting_user=acting_user, source=source
        )
        return super().apply(c, acting_user=acting_user, source=source)

    def project(self, c: Change, facts: list[MemberFacts]) -> list[MemberFacts]:
        assert c.member is not None
        mf = facts_of(facts, c.member.pk)
        if mf is None:
            return facts
        closed = tuple(
            dataclasses.replace(e, valid_to=c.effective_date - DAY) if e.valid_to is None else e for e in mf.enrolments
        )
        return super().project(c, replace_facts(facts, mf.member_id, enrolments=closed))


class SchoolLeave(Kind):
    """A pupil leaves school (graduates, drops out): the enrolment ends the day before the date."""

    kind = UpdateKind.KELUAR_SEKOLAH

    def check(self, c: Change) -> list[Violation]:
        assert c.member is not None
        current = open_enrolment(c.member)
        if current is None:
            return [
                Violation(
                    "member", "tidak_bersekolah", _("%(name)s tidak tercatat bersekolah.") % {"name": c.member.name}
                )
            ]
        if current.valid_from >= c.effective_date:
            return [
                Violation(
                    "effective_date",
                    "tanggal_sebelum_mulai",
                    _("Sekolah dimulai %(d)s; tanggal keluar harus sesudahnya.") % {"d": day(current.valid_from)},
                )
            ]
        return []

    def before(self, c: Change) -> dict[str, Any]:
        assert c.member is not None
        return {"sekolah": registry.fact_view(open_enrolment(c.member))}

    def apply(self, c: Change, *, acting_user: Any, source: str) -> Member | None:
        assert c.member is not None
        registry.enrolment_close(
            member=c.member, valid_to=c.effective_date - DAY, acting_user=acting_user, source=source
        )
        return None

    def project(self, c: Change, facts: list[MemberFacts]) -> list[MemberFacts]:
        assert c.member is not None
        mf = facts_of(facts, c.member.pk)
        if mf is None:
            return facts
        closed = tuple(
            dataclasses.replace(e, valid_to=c.effective_date - DAY) if e.valid_to is None else e for e in mf.enrolments
        )
        return replace_facts(facts, mf.member_id, enrolments=closed)

    def rows(self, c: Change, before: dict[str, Any]) -> list[Row]:
        reason = dict(SchoolLeaveForm.REASONS).get(c.payload.get("reason", ""), "")
        return [(_("Sekolah"), school_text(before.get("sekolah")), _("tidak bersekolah (%(r)s)") % {"r": reason})]
