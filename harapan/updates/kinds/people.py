"""Kinds about who is in the family: a birth, a death, a member moving out, a new carer."""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar

from django.utils.translation import gettext as _

from harapan.regions.selectors import kecamatan_codes
from harapan.registry import services as registry
from harapan.registry.models import Member, Presence, Relationship, Sex
from harapan.registry.rules import (
    MemberAgeFacts,
    MemberFacts,
    Period,
    Violation,
    household_age_violations,
    nik_violations,
)

from ..models import UpdateKind
from ..rules import carer_violations
from .base import NEWBORN, Change, Kind, Row, day, facts_of, is_present, person, pregnancy_end, replace_facts

# --- Birth -------------------------------------------------------------------------------------


class Birth(Kind):
    """A child is born into the family: a new member from the birth date (anak usia dini from that
    day), and the mother's pregnancy ends that day, so her nifas runs from it (RULES.md:
    Components and amounts)."""

    kind = UpdateKind.KELAHIRAN

    def open_key(self, c: Change) -> str:
        return "newborn:" + " ".join(str(c.payload.get("name", "")).casefold().split())[:100]

    def check(self, c: Change) -> list[Violation]:
        p, born = c.payload, c.effective_date
        out: list[Violation] = []
        name = " ".join(str(p.get("name", "")).casefold().split())
        if any(" ".join(m.name.casefold().split()) == name and m.birth_date == born for m in c.present()):
            out.append(
                Violation("name", "anggota_sudah_ada", _("Anggota dengan nama dan tanggal lahir ini sudah tercatat."))
            )
        nik = p.get("nik") or ""
        if nik:
            out += nik_violations(
                nik,
                birth_date=born,
                sex=p.get("sex"),
                kecamatan_exists=kecamatan_codes().__contains__,
                field_name="nik",
            )
            if c.household.in_programme and Member.objects.filter(nik=nik, is_active=True).exists():
                out.append(Violation("nik", "nik_sudah_aktif", _("NIK ini sudah terdaftar aktif di KPM lain.")))
        family = [
            MemberAgeFacts(key=str(m.pk), birth_date=m.birth_date, relationship=m.relationship, sex=m.sex)
            for m in c.present()
        ]
        family.append(MemberAgeFacts(key="new", birth_date=born, relationship=int(p["relationship"]), sex=p["sex"]))
        mother = c.named("mother")
        if p.get("mother") and (mother is None or not is_present(mother) or mother.sex != Sex.P):
            out.append(Violation("mother", "ibu_bukan_anggota", _("Ibu harus perempuan yang tinggal di keluarga ini.")))
        elif mother is not None:
            family = [dataclasses.replace(f, pregnant=True) if f.key == str(mother.pk) else f for f in family]
            open_p = mother.pregnancies.filter(valid_to__isnull=True).order_by("-valid_from").first()
            if open_p is not None and open_p.valid_from > born:
                out.append(
                    Violation(
                        "mother",
                        "hamil_setelah_lahir",
                        _("Kehamilan ibu tercatat mulai %(d)s, sesudah tanggal lahir.") % {"d": day(open_p.valid_from)},
                    )
                )
        fields = {"TGLLAHIR": "effective_date", "HUBKEL": "relationship", "STA_HAMIL": "mother"}
        for key, v in household_age_violations(family, on=born, rules=c.rules):
            if key == "new" or v.rule == "hamil_tidak_wajar":
                out.append(Violation(fields.get(v.field, v.field), v.rule, v.message))
        return out

    def before(self, c: Change) -> dict[str, Any]:
        mother = c.named("mother")
        if mother is None:
            return {}
        open_p = mother.pregnancies.filter(valid_to__isnull=True).order_by("-valid_from").first()
        return {"hamil": registry.fact_view(open_p)}

    def apply(self, c: Change, *, acting_user: Any, source: str) -> Member | None:
        p, born = c.payload, c.effective_date
        mother = c.named("mother")
        child = registry.member_add(
            household=c.household,
            name=p["name"],
            sex=p["sex"],
            birth_date=born,
            relationship=int(p["relationship"]),
            nik=p.get("nik") or None,
            birth_place=p.get("birth_place") or "",
            mother_name=mother.name if mother is not None else "",
            acting_user=acting_user,
            source=source,
        )
        if mother is not None:
            pregnancies = list(mother.pregnancies.all())
            open_p = next((x for x in pregnancies if x.valid_to is None and x.valid_from <= born), None)
            if open_p is not None:
                registry.pregnancy_close(member=mother, valid_to=born, acting_user=acting_user, source=source)
            elif not any(x.valid_from <= born <= pregnancy_end(x, c.rules) for x in pregnancies):
                # No pregnancy on record: the birth itself starts the nifas, nothing before it.
                registry.pregnancy_open(
                    member=mother, valid_from=born, valid_to=born, acting_user=acting_user, source=source
                )
        return child

    def project(self, c: Change, facts: list[MemberFacts]) -> list[MemberFacts]:
        born = c.effective_date
        out = [*facts, MemberFacts(member_id=NEWBORN, sex=c.payload["sex"], birth_date=born)]
        mother = c.named("mother")
        mf = facts_of(out, mother.pk) if mother is not None else None
        if mf is not None:
            pregnancies = [
                Period(x.valid_from, born) if x.valid_to is None and x.valid_from <= born else x for x in mf.pregnancies
            ]
            if not any(x.valid_from <= born <= pregnancy_end(x, c.rules) for x in pregnancies):
                pregnancies.append(Period(born, born))
            out = replace_facts(out, mf.member_id, pregnancies=tuple(pregnancies))
        return out

    def rows(self, c: Change, before: dict[str, Any]) -> list[Row]:
        p = c.payload
        mother = c.named("mother")
        born = _("%(name)s, %(sex)s, lahir %(date)s") % {
            "name": p.get("name", ""),
            "sex": Sex(p["sex"]).label if p.get("sex") in Sex.values else "",
            "date": day(c.effective_date),
        }
        if p.get("birth_place"):
            born += ", " + p["birth_place"]
        rows: list[Row] = [
            (_("Anggota baru"), "—", born),
            (_("Hubungan"), "—", str(Relationship(int(p["relationship"])).label)),
            (_("NIK"), "—", p.get("nik") or _("belum ada")),
        ]
        if mother is not None:
            preg = before.get("hamil")
            rows.append(
                (
                    _("Kehamilan %(name)s") % {"name": mother.name},
                    _("hamil sejak %(d)s") % {"d": day(preg["sejak"])} if preg else _("tidak tercatat"),
                    _("berakhir %(d)s (nifas)") % {"d": day(c.effective_date)},
                )
            )
        return rows

    def subject(self, c: Change) -> str:
        return str(c.payload.get("name", ""))


# --- A member leaves: death, moving out --------------------------------------------------------


class Leave(Kind):
    """A member dies or moves out: from the date they count for no component (rules.member_
    components), and a carer who leaves is replaced in the same update (the money goes to the
    carer, RULES.md: Disbursement and data)."""

    presence: ClassVar[int]

    def check(self, c: Change) -> list[Violation]:
        assert c.member is not None
        new = c.named("new_carer")
        out: list[Violation] = []
        if not c.member.is_carer:
            if c.payload.get("new_carer"):
                out.append(
                    Violation(
                        "new_carer", "bukan_pengurus", _("Anggota ini bukan pengurus; kosongkan pengurus pengganti.")
                    )
                )
            return out
        if new is None or not is_present(new) or new.pk == c.member.pk:
            out.append(
                Violation(
                    "new_carer",
                    "pengurus_pengganti_wajib",
                    _("%(name)s adalah pengurus: pilih pengurus pengganti yang tinggal di keluarga.")
                    % {"name": c.member.name},
                )
            )
            return out
        others = [person(m) for m in c.present() if m.pk != c.member.pk]
        return carer_violations(person(new), others, on=c.effective_date, rules=c.rules, field="new_carer")

    def before(self, c: Change) -> dict[str, Any]:
        assert c.member is not None
        return {"presence": c.member.presence, "is_carer": c.member.is_carer}

    def apply(self, c: Change, *, acting_user: Any, source: str) -> Member | None:
        assert c.member is not None
        new = c.named("new_carer")
        if c.member.is_carer and new is not None:
            registry.carer_change(household=c.household, new_carer=new, acting_user=acting_user, source=source)
        registry.member_leave(
            member=c.member, presence=self.presence, left_on=c.effective_date, acting_user=acting_user, source=source
        )
        return None

    def project(self, c: Change, facts: list[MemberFacts]) -> list[MemberFacts]:
        assert c.member is not None
        return replace_facts(facts, c.member.pk, present=False, left_on=c.effective_date)

    def rows(self, c: Change, before: dict[str, Any]) -> list[Row]:
        assert c.member is not None
        rows: list[Row] = [
            (
                _("Keberadaan %(name)s") % {"name": c.member.name},
                str(Presence(before.get("presence", Presence.TINGGAL)).label),
                str(Presence(self.presence).label),
            ),
            (_("Keluar pada"), "—", day(c.effective_date)),
        ]
        new = c.named("new_carer")
        if before.get("is_carer") and new is not None:
            rows.append((_("Pengurus"), c.member.name, new.name))
        if c.payload.get("destination"):
            rows.append((_("Pindah ke"), "—", str(c.payload["destination"])))
        return rows


class Death(Leave):
    kind = UpdateKind.KEMATIAN
    presence = Presence.MENINGGAL


class MemberLeave(Leave):
    kind = UpdateKind.ANGGOTA_KELUAR
    presence = Presence.PINDAH


# --- The carer ---------------------------------------------------------------------------------


class CarerChange(Kind):
    """Another member becomes the carer, who receives the payment (RULES.md: Disbursement and
    data): an adult, a woman unless no adult woman lives in the family."""

    kind = UpdateKind.PENGURUS_BARU

    def open_key(self, c: Change) -> str:
        return "household"

    def check(self, c: Change) -> list[Violation]:
        assert c.member is not None
        if c.member.is_carer:
            return [Violation("member", "sudah_pengurus", _("%(name)s sudah pengurus.") % {"name": c.member.name})]
        return carer_violations(
            person(c.member), [person(m) for m in c.present()], on=c.effective_date, rules=c.rules, field="member"
        )

    def before(self, c: Change) -> dict[str, Any]:
        carer = next((m for m in c.members.values() if m.is_carer), None)
        return {"carer": carer.pk if carer else None}

    def apply(self, c: Change, *, acting_user: Any, source: str) -> Member | None:
        assert c.member is not None
        registry.carer_change(household=c.household, new_carer=c.member, acting_user=acting_user, source=source)
        return None

    def rows(self, c: Change, before: dict[str, Any]) -> list[Row]:
        assert c.member is not None
        old = c.members.get(before.get("carer") or 0)
        return [(_("Pengurus"), old.name if old else "—", c.member.name)]
