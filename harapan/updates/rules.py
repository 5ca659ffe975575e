"""Rules of pemutakhiran as pure functions: the approval chain, dates, school levels, the carer,
evidence files. Numbers come from configuration (``updates`` and ``registry`` defaults)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from harapan.registry.rules import RegistryRules, Violation, age_on

# --- The approval chain (RULES.md: Disbursement and data) -------------------------------------


def approval_chain(
    kind: str,
    *,
    chains: Mapping[str, Sequence[str]],
    from_desa: str = "",
    to_desa: str = "",
    other_kabupaten_chain: Sequence[str] = (),
    other_province_chain: Sequence[str] = (),
) -> list[str]:
    """The roles that approve an update, in order: "changes to family data ... are approved up the
    chain (korkab -> province -> ministry)" (RULES.md: Disbursement and data). Each kind has its
    configured chain; a move to another kabupaten/kota, or another province, takes the longer
    chain configured for it."""
    chain = list(chains[kind])
    if from_desa and to_desa:
        if to_desa[:2] != from_desa[:2]:
            chain = list(other_province_chain)
        elif to_desa[:5] != from_desa[:5]:
            chain = list(other_kabupaten_chain)
    return chain


# --- Dates ------------------------------------------------------------------------------------


def effective_date_violations(
    on: dt.date, *, today: dt.date, max_past_days: int, not_before: dt.date | None = None, field: str = "effective_date"
) -> list[Violation]:
    """An update records what already happened: not in the future, not before the member was
    born, and not further back than MAX_PAST_DAYS (updates are monthly, RULES.md: Disbursement
    and data; an older event would rewrite the components of tahap already paid)."""
    out = []
    if on > today:
        out.append(Violation(field, "tanggal_masa_depan", _("Tanggal berlaku tidak boleh di masa depan.")))
    elif (today - on).days > max_past_days:
        out.append(
            Violation(
                field,
                "tanggal_terlalu_lama",
                _("Tanggal berlaku paling lama %(n)d hari yang lalu.") % {"n": max_past_days},
            )
        )
    if not_before is not None and on < not_before:
        out.append(
            Violation(
                field,
                "tanggal_sebelum_lahir",
                _("Tanggal berlaku tidak boleh sebelum tanggal lahir anggota (%(d)s).")
                % {"d": f"{not_before:%d-%m-%Y}"},
            )
        )
    return out


# --- School (RULES.md: Components and amounts; Obligations) -----------------------------------

LEVEL_ORDER = {"SD": 1, "SMP": 2, "SMA": 3}
# National grade numbering: SD 1-6, SMP 7-9, SMA/SMK 10-12.
GRADES = {"SD": range(1, 7), "SMP": range(7, 10), "SMA": range(10, 13)}


def grade_violations(level: str, grade: int | None, *, field: str = "grade") -> list[Violation]:
    """The grade (kelas) lies within the level: SD 1-6, SMP 7-9, SMA 10-12."""
    if grade is None or level not in GRADES or grade in GRADES[level]:
        return []
    r = GRADES[level]
    return [
        Violation(
            field,
            "kelas_tidak_sesuai_jenjang",
            _("Kelas %(grade)d bukan kelas %(level)s (kelas %(lo)d-%(hi)d).")
            % {"grade": grade, "level": level, "lo": r.start, "hi": r.stop - 1},
        )
    ]


def school_age_violations(birth_date: dt.date, on: dt.date, rules: RegistryRules, *, field: str) -> list[Violation]:
    """School children count from SCHOOL_MIN_AGE to SCHOOL_MAX_AGE (RULES.md: Components and
    amounts); an enrolment a year before the minimum is accepted (early SD entry), not later than
    the maximum."""
    age = age_on(birth_date, on)
    if rules.school_min_age - 1 <= age <= rules.school_max_age:
        return []
    return [
        Violation(
            field,
            "umur_sekolah",
            _("Umur %(age)d tahun di luar umur sekolah (%(lo)d-%(hi)d tahun).")
            % {"age": age, "lo": rules.school_min_age - 1, "hi": rules.school_max_age},
        )
    ]


def level_change_violations(current: str, new: str, *, field: str = "level") -> list[Violation]:
    """A change of level moves up: SD -> SMP -> SMA."""
    if LEVEL_ORDER.get(new, 0) > LEVEL_ORDER.get(current, 0):
        return []
    return [
        Violation(
            field,
            "jenjang_harus_naik",
            _("Jenjang baru harus di atas jenjang sekarang (%(level)s).") % {"level": current},
        )
    ]


# --- The carer (RULES.md: Glossary "pengurus"; Disbursement and data) -------------------------


@dataclass(frozen=True)
class Person:
    """What the carer rule needs of a member."""

    member_id: int
    sex: str
    birth_date: dt.date


def carer_violations(
    candidate: Person, present: Sequence[Person], *, on: dt.date, rules: RegistryRules, field: str
) -> list[Violation]:
    """The carer (pengurus) receives the money: the mother / an adult woman by default, and
    "payment goes to the carer, not to the husband" (RULES.md: Glossary; Disbursement and data).
    So a carer is at least MIN_AGE_CARER years old, and a man only when no woman of that age
    lives in the family."""
    out = []
    age = age_on(candidate.birth_date, on)
    if age < rules.min_age_carer:
        out.append(
            Violation(
                field,
                "umur_pengurus",
                _("Pengurus berumur %(age)d tahun; minimal %(min)d.") % {"age": age, "min": rules.min_age_carer},
            )
        )
    if candidate.sex != "P" and any(
        p.sex == "P" and p.member_id != candidate.member_id and age_on(p.birth_date, on) >= rules.min_age_carer
        for p in present
    ):
        out.append(
            Violation(
                field,
                "pengurus_perempuan",
                _("Pengurus adalah ibu atau perempuan dewasa di keluarga; laki-laki hanya bila tidak ada."),
            )
        )
    return out


# --- Evidence ---------------------------------------------------------------------------------

# Photo formats a phone camera writes and a browser shows, recognised by their first bytes.
IMAGE_SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)


def image_type(head: bytes) -> str | None:
    """The image type of a file from its first bytes (JPEG, PNG, WEBP), or None."""
    for signature, content_type in IMAGE_SIGNATURES:
        if head.startswith(signature):
            return content_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


@dataclass(frozen=True)
class EvidenceFile:
    name: str
    size: int
    head: bytes


def evidence_violations(
    files: Sequence[EvidenceFile], *, minimum: int, maximum: int, max_bytes: int, field: str = "evidence"
) -> list[Violation]:
    """Every update carries evidence: at least EVIDENCE_MIN photos of the document (issue 3), at
    most EVIDENCE_MAX, each a JPEG/PNG/WEBP image of at most EVIDENCE_MAX_BYTES."""
    if len(files) < minimum:
        return [
            Violation(
                field,
                "bukti_wajib",
                _("Lampirkan foto bukti (dokumen atau surat keterangan) minimal %(n)d.") % {"n": minimum},
            )
        ]
    out = []
    if len(files) > maximum:
        out.append(Violation(field, "bukti_terlalu_banyak", _("Paling banyak %(n)d foto bukti.") % {"n": maximum}))
    for f in files:
        if image_type(f.head) is None:
            out.append(
                Violation(field, "bukti_bukan_foto", _("%(name)s bukan foto JPG, PNG atau WEBP.") % {"name": f.name})
            )
        elif f.size > max_bytes:
            out.append(
                Violation(
                    field,
                    "bukti_terlalu_besar",
                    _("%(name)s lebih dari %(mb)d MB.") % {"name": f.name, "mb": max_bytes // (1024 * 1024)},
                )
            )
    return out
