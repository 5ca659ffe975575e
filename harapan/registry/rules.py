"""PKH registry rules as pure functions: identity numbers, age consistency, components.

Each function states its rule and where it comes from. Numbers come from configuration
(``registry`` defaults in ``apps.py``), passed in as ``RegistryRules``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from django.utils.translation import gettext_noop

from harapan.conf import setting


@dataclass(frozen=True)
class Violation:
    """A broken rule: the field it concerns, the rule's short name, and a message for the user."""

    field: str
    rule: str
    message: str


@dataclass(frozen=True)
class RegistryRules:
    early_child_max_age: int
    school_min_age: int
    school_max_age: int
    elderly_min_age: int
    nifas_days: int
    pregnancy_days: int
    min_age_head: int
    min_age_spouse: int
    min_age_carer: int
    min_parent_child_gap: int
    max_age: int
    pregnancy_min_age: int
    pregnancy_max_age: int
    kk_earliest_year: int

    @classmethod
    def from_settings(cls) -> RegistryRules:
        return cls(**{f: setting("registry", f.upper()) for f in cls.__dataclass_fields__})


def age_on(birth_date: dt.date, on: dt.date) -> int:
    """Completed years of age on ``on`` (a person born 29 Feb has a birthday on 1 Mar in other years)."""
    years = on.year - birth_date.year
    if (on.month, on.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


# --- Identity numbers (RULES.md: Identity numbers) -------------------------------------------


def _date_from_ddmmyy(dd: int, mm: int, yy: int, *, not_after: dt.date) -> dt.date | None:
    """The date DD-MM-YY, in the latest century that does not put it after ``not_after``."""
    for century in (2000, 1900):
        try:
            d = dt.date(century + yy, mm, dd)
        except ValueError:
            return None
        if d <= not_after:
            return d
    return None


def nik_violations(
    nik: str,
    *,
    birth_date: dt.date | None,
    sex: str | None,
    kecamatan_exists: Callable[[str], bool],
    field_name: str = "NIK",
) -> list[Violation]:
    """Check a NIK: 16 digits = kecamatan code (6) + DDMMYY birth date, day + 40 for women, +
    serial (4) never 0000; the region part must be a real kecamatan and the date part must match
    the member's birth date and sex (RULES.md: Identity numbers; PP 37/2007, Permendagri 137/2017).
    """
    if len(nik) != 16 or not nik.isdigit():
        return [Violation(field_name, "nik_16_digit", f"NIK harus 16 digit angka (diterima {len(nik)} karakter).")]
    out: list[Violation] = []
    if not kecamatan_exists(nik[:6]):
        out.append(
            Violation(
                field_name,
                "nik_wilayah",
                f"Kode wilayah NIK {nik[0:2]}.{nik[2:4]}.{nik[4:6]} bukan kecamatan yang terdaftar di Kemendagri.",
            )
        )
    dd, mm, yy = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    female = dd > 40
    day = dd - 40 if female else dd
    if not 1 <= day <= 31 or not 1 <= mm <= 12 or _date_from_ddmmyy(day, mm, yy, not_after=dt.date.max) is None:
        out.append(
            Violation(field_name, "nik_tanggal", f"Bagian tanggal lahir NIK ({nik[6:12]}) bukan tanggal yang sah.")
        )
    else:
        if sex is not None and (sex == "P") != female:
            expected = "ditambah 40 (perempuan)" if sex == "P" else "tanpa tambahan 40 (laki-laki)"
            out.append(
                Violation(
                    field_name,
                    "nik_jenis_kelamin",
                    f"Tanggal lahir di NIK harus {expected}: hari {dd:02d} tidak cocok dengan jenis kelamin {sex}.",
                )
            )
        if birth_date is not None and (day, mm, yy) != (
            birth_date.day,
            birth_date.month,
            birth_date.year % 100,
        ):
            out.append(
                Violation(
                    field_name,
                    "nik_tanggal_lahir",
                    f"Tanggal lahir di NIK ({day:02d}-{mm:02d}-{yy:02d}) tidak sama dengan tanggal lahir "
                    f"anggota ({birth_date:%d-%m-%y}).",
                )
            )
    if nik[12:] == "0000":
        out.append(Violation(field_name, "nik_nomor_urut", "Nomor urut NIK (4 digit terakhir) tidak boleh 0000."))
    return out


def no_kk_violations(
    no_kk: str,
    *,
    kecamatan_exists: Callable[[str], bool],
    today: dt.date,
    field_name: str = "NOKK",
    earliest_year: int = 1970,
) -> list[Violation]:
    """Check a No KK: 16 digits = region code (6) + registration date DDMMYY + serial (4); the
    region a real kecamatan, the date a real date between ``earliest_year`` (registry setting
    KK_EARLIEST_YEAR) and today (RULES.md: Identity numbers)."""
    if len(no_kk) != 16 or not no_kk.isdigit():
        return [Violation(field_name, "kk_16_digit", f"No KK harus 16 digit angka (diterima {len(no_kk)} karakter).")]
    out: list[Violation] = []
    if not kecamatan_exists(no_kk[:6]):
        out.append(
            Violation(
                field_name,
                "kk_wilayah",
                f"Kode wilayah No KK {no_kk[0:2]}.{no_kk[2:4]}.{no_kk[4:6]} bukan kecamatan yang terdaftar.",
            )
        )
    dd, mm, yy = int(no_kk[6:8]), int(no_kk[8:10]), int(no_kk[10:12])
    registered = _date_from_ddmmyy(dd, mm, yy, not_after=today)
    if registered is None or registered.year < earliest_year:
        out.append(Violation(field_name, "kk_tanggal", f"Bagian tanggal No KK ({no_kk[6:12]}) bukan tanggal yang sah."))
    if no_kk[12:] == "0000":
        out.append(Violation(field_name, "kk_nomor_urut", "Nomor urut No KK tidak boleh 0000."))
    return out


# --- Members' ages against their role --------------------------------------------------------


@dataclass(frozen=True)
class MemberAgeFacts:
    """What the age-consistency rule needs of one member."""

    key: str  # how the caller names the member in messages (row number, NIK, name)
    birth_date: dt.date
    relationship: int
    is_carer: bool = False
    pregnant: bool = False
    sex: str = "P"


def household_age_violations(
    members: Sequence[MemberAgeFacts], *, on: dt.date, rules: RegistryRules
) -> list[tuple[str, Violation]]:
    """Members' ages consistent with their role (issue 2; relationship codes FORMATS.md §1.2):
    no birth date in the future or beyond the maximum age; a head, spouse and carer old enough;
    exactly one head; a child at least the minimum generation gap younger than the head, a
    grandchild two gaps, a parent one gap older; a pregnant member a woman of child-bearing age.
    Returns (member key, violation) pairs."""
    out: list[tuple[str, Violation]] = []
    heads = [m for m in members if m.relationship == 1]
    if len(heads) != 1:
        out.append(
            (
                "",
                Violation(
                    "HUBKEL",
                    "satu_kepala_keluarga",
                    f"Keluarga harus punya tepat satu kepala keluarga (HUBKEL=1); ditemukan {len(heads)}.",
                ),
            )
        )
    head = heads[0] if len(heads) == 1 else None
    gap = dt.timedelta(days=round(rules.min_parent_child_gap * 365.25))
    for m in members:
        if m.birth_date > on:
            out.append((m.key, Violation("TGLLAHIR", "tanggal_lahir_masa_depan", "Tanggal lahir di masa depan.")))
            continue
        age = age_on(m.birth_date, on)
        if age > rules.max_age:
            out.append(
                (
                    m.key,
                    Violation("TGLLAHIR", "umur_maksimum", f"Umur {age} tahun melebihi batas {rules.max_age}."),
                )
            )
        if m.relationship == 1 and age < rules.min_age_head:
            out.append(
                (
                    m.key,
                    Violation(
                        "HUBKEL",
                        "umur_kepala_keluarga",
                        f"Kepala keluarga berumur {age} tahun; minimal {rules.min_age_head}.",
                    ),
                )
            )
        if m.relationship == 2 and age < rules.min_age_spouse:
            out.append(
                (
                    m.key,
                    Violation(
                        "HUBKEL",
                        "umur_pasangan",
                        f"Istri/suami berumur {age} tahun; minimal {rules.min_age_spouse}.",
                    ),
                )
            )
        if m.is_carer and age < rules.min_age_carer:
            out.append(
                (
                    m.key,
                    Violation(
                        "NIK_PENGURUS",
                        "umur_pengurus",
                        f"Pengurus berumur {age} tahun; minimal {rules.min_age_carer}.",
                    ),
                )
            )
        if m.pregnant and (m.sex != "P" or not rules.pregnancy_min_age <= age <= rules.pregnancy_max_age):
            out.append(
                (
                    m.key,
                    Violation(
                        "STA_HAMIL",
                        "hamil_tidak_wajar",
                        f"Status hamil hanya untuk perempuan berumur {rules.pregnancy_min_age}-"
                        f"{rules.pregnancy_max_age} tahun.",
                    ),
                )
            )
        if head is None or m is head:
            continue
        if m.relationship == 3 and m.birth_date < head.birth_date + gap:
            out.append(
                (
                    m.key,
                    Violation(
                        "TGLLAHIR",
                        "umur_anak",
                        f"Anak harus setidaknya {rules.min_parent_child_gap} tahun lebih muda dari kepala keluarga.",
                    ),
                )
            )
        if m.relationship == 5 and m.birth_date < head.birth_date + 2 * gap:
            out.append(
                (
                    m.key,
                    Violation(
                        "TGLLAHIR",
                        "umur_cucu",
                        f"Cucu harus setidaknya {2 * rules.min_parent_child_gap} tahun lebih muda dari kepala "
                        "keluarga.",
                    ),
                )
            )
        if m.relationship == 6 and m.birth_date > head.birth_date - gap:
            out.append(
                (
                    m.key,
                    Violation(
                        "TGLLAHIR",
                        "umur_orang_tua",
                        f"Orang tua/mertua harus setidaknya {rules.min_parent_child_gap} tahun lebih tua dari "
                        "kepala keluarga.",
                    ),
                )
            )
    return out


# --- Components (RULES.md: Components and amounts) -------------------------------------------


class Komponen(StrEnum):
    """The seven PKH component categories (keys as field tools use them, FORMATS.md §2)."""

    IBU_HAMIL = "ibu_hamil"
    ANAK_USIA_DINI = "anak_usia_dini"
    ANAK_SD = "anak_sd"
    ANAK_SMP = "anak_smp"
    ANAK_SMA = "anak_sma"
    DISABILITAS_BERAT = "disabilitas_berat"
    LANJUT_USIA = "lanjut_usia"


# Marked for makemessages only; pages translate them when they show them.
KOMPONEN_LABELS = {
    Komponen.IBU_HAMIL: gettext_noop("Ibu hamil/nifas"),
    Komponen.ANAK_USIA_DINI: gettext_noop("Anak usia dini (0-6)"),
    Komponen.ANAK_SD: gettext_noop("Anak SD"),
    Komponen.ANAK_SMP: gettext_noop("Anak SMP"),
    Komponen.ANAK_SMA: gettext_noop("Anak SMA"),
    Komponen.DISABILITAS_BERAT: gettext_noop("Penyandang disabilitas berat"),
    Komponen.LANJUT_USIA: gettext_noop("Lanjut usia"),
}

_SCHOOL = {"SD": Komponen.ANAK_SD, "SMP": Komponen.ANAK_SMP, "SMA": Komponen.ANAK_SMA}


@dataclass(frozen=True)
class Period:
    valid_from: dt.date
    valid_to: dt.date | None

    def covers(self, on: dt.date, *, extra_days: int = 0) -> bool:
        end = None if self.valid_to is None else self.valid_to + dt.timedelta(days=extra_days)
        return self.valid_from <= on and (end is None or on <= end)


@dataclass(frozen=True)
class Enrolment(Period):
    level: str = "SD"


@dataclass(frozen=True)
class MemberFacts:
    """The dated facts about one member that decide their components."""

    member_id: int
    sex: str
    birth_date: dt.date
    present: bool = True
    left_on: dt.date | None = None
    pregnancies: tuple[Period, ...] = ()
    enrolments: tuple[Enrolment, ...] = ()
    severe_disability: tuple[Period, ...] = ()


def member_components(facts: MemberFacts, *, on: dt.date, rules: RegistryRules) -> list[Komponen]:
    """Every component category the member fits on ``on`` (RULES.md: Components and amounts):

    - ibu hamil/nifas: a woman whose pregnancy covers the date, or whose pregnancy ended at most
      NIFAS_DAYS before it; a pregnancy with no recorded end lasts PREGNANCY_DAYS;
    - anak usia dini: age 0 to EARLY_CHILD_MAX_AGE (until the next birthday);
    - anak SD/SMP/SMA: age SCHOOL_MIN_AGE to SCHOOL_MAX_AGE and enrolled on the date, at the
      level of the enrolment (not of age);
    - disabilitas berat: an assessment of severe disability covering the date;
    - lanjut usia: age ELDERLY_MIN_AGE or more.

    A member who has left (died, moved) before the date, or is not yet born, fits none. The cap
    (at most 4 people, one category each at the higher amount) belongs to the benefit rules.
    """
    if facts.birth_date > on:
        return []
    if facts.left_on is not None and facts.left_on <= on:
        return []
    if not facts.present and facts.left_on is None:
        return []
    age = age_on(facts.birth_date, on)
    out: list[Komponen] = []
    if facts.sex == "P":
        for p in facts.pregnancies:
            natural_end = p.valid_from + dt.timedelta(days=rules.pregnancy_days)
            period = p if p.valid_to is not None else Period(p.valid_from, natural_end)
            if period.covers(on, extra_days=rules.nifas_days):
                out.append(Komponen.IBU_HAMIL)
                break
    if age <= rules.early_child_max_age:
        out.append(Komponen.ANAK_USIA_DINI)
    if rules.school_min_age <= age <= rules.school_max_age:
        for e in facts.enrolments:
            if e.covers(on) and e.level in _SCHOOL:
                out.append(_SCHOOL[e.level])
                break
    if any(d.covers(on) for d in facts.severe_disability):
        out.append(Komponen.DISABILITAS_BERAT)
    if age >= rules.elderly_min_age:
        out.append(Komponen.LANJUT_USIA)
    return out


@dataclass
class HouseholdComponents:
    on: dt.date
    by_member: dict[int, list[Komponen]] = field(default_factory=dict)

    def counts(self) -> dict[Komponen, int]:
        """How many members fit each category (a member may fit more than one)."""
        out: dict[Komponen, int] = {}
        for comps in self.by_member.values():
            for c in comps:
                out[c] = out.get(c, 0) + 1
        return out

    @property
    def has_any(self) -> bool:
        return any(self.by_member.values())


def household_components(members: Iterable[MemberFacts], *, on: dt.date, rules: RegistryRules) -> HouseholdComponents:
    """Components of every member of one family on ``on``."""
    result = HouseholdComponents(on=on)
    for m in members:
        result.by_member[m.member_id] = member_components(m, on=on, rules=rules)
    return result


def compose_nik(kecamatan_code: str, birth_date: dt.date, sex: str, serial: int) -> str:
    """The NIK a member with these facts would carry: the inverse of ``nik_violations``."""
    day = birth_date.day + (40 if sex == "P" else 0)
    return f"{kecamatan_code.replace('.', '')}{day:02d}{birth_date:%m}{birth_date:%y}{serial:04d}"


def compose_no_kk(kecamatan_code: str, registered_on: dt.date, serial: int) -> str:
    """A No KK: kecamatan code, registration date DDMMYY, serial (RULES.md: Identity numbers)."""
    return f"{kecamatan_code.replace('.', '')}{registered_on:%d%m%y}{serial:04d}"
