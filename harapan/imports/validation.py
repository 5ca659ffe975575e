"""Checking one family's source rows and turning them into typed values (FORMATS.md §6.1).

Every check here works on the family alone, or on the whole file (the same NIK twice); the
checks that need the database as it is now (a NIK active in another household, a family already
registered outside the importer's area) run per chunk in ``writer``. A family with any bad row
is rejected whole: the bad rows are reported with their column and rule, its other rows with
the rule ``keluarga_ditolak`` naming the bad rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from harapan.registry.models import IN_PROGRAMME
from harapan.registry.rules import (
    MemberAgeFacts,
    RegistryRules,
    Violation,
    age_on,
    household_age_violations,
    nik_violations,
    no_kk_violations,
)

from .checked import EnrolmentIn, FamilyIn, Issue, MemberIn, family_rejects
from .columns import KELUARGA_REQUIRED
from .parsing import (
    BANKS,
    HOUSEHOLD_TEXT,
    LAT_RANGE,
    LNG_RANGE,
    MEMBER_CODES,
    MEMBER_TEXT,
    NO,
    SCHOOL_LEVELS,
    SCHOOL_TEXT,
    SEX_CODES,
    STATUS_NAMES,
    YES,
    cleaned,
    excel_number_violation,
    identity_text,
    parse_code,
    parse_date,
    region_code_of,
)
from .rows import FamilyRows, RowReject

# --- The validator --------------------------------------------------------------------------


@dataclass
class PendampingRef:
    staff_id: int
    region_id: str | None


@dataclass
class FamilyValidator:
    """Checks families one by one; remembers the file's NIKs and family ids across calls."""

    as_of: dt.date
    today: dt.date
    rules: RegistryRules
    max_age_without_nik: int
    kecamatan_exists: Callable[[str], bool]
    desa_exists: Callable[[str], bool]
    in_scope: Callable[[str], bool]
    pendamping_of: Callable[[str], PendampingRef | None]
    seen_niks: dict[str, tuple[str, int, str]] = field(default_factory=dict)  # NIK -> (sheet, row, family)
    seen_families: dict[str, tuple[str, int]] = field(default_factory=dict)  # ID_KELUARGA_PKH -> (sheet, row)

    def validate(self, family: FamilyRows) -> FamilyIn | list[RowReject]:
        issues: list[Issue] = []
        kel_sheet, art_sheet = family.sheet_keluarga, family.sheet_art
        kel = cleaned(family.keluarga)
        art = [(row, cleaned(values)) for row, values in family.art]
        key = family.key

        def kel_issue(v: Violation, value: str = "") -> None:
            issues.append(Issue(kel_sheet, family.keluarga_row, v, value))

        if not family.keluarga_row and not kel:
            for row, _values in family.art:
                issues.append(
                    Issue(
                        art_sheet,
                        row,
                        Violation(
                            "ID_KELUARGA_PKH",
                            "keluarga_tidak_ada",
                            f"ID_KELUARGA_PKH '{key}' tidak ada di lembar {kel_sheet}."
                            if key
                            else "ID_KELUARGA_PKH wajib diisi.",
                        ),
                        key,
                    )
                )
            return self._rejects(family, issues, problems=family.problems)

        # KELUARGA row
        for col in KELUARGA_REQUIRED:
            if not kel.get(col, ""):
                kel_issue(Violation(col, "wajib_diisi", f"Kolom {col} wajib diisi."))
        first = self.seen_families.get(key) if key else None
        if first is not None:
            kel_issue(
                Violation(
                    "ID_KELUARGA_PKH",
                    "id_keluarga_ganda",
                    f"ID_KELUARGA_PKH {key} sudah ada di {first[0]} baris {first[1]}.",
                ),
                key,
            )
        hh, status, status_date, carer_nik = self._household(kel, key, kel_issue)
        no_kk = hh["no_kk"]
        if not family.art:
            kel_issue(
                Violation(
                    "ID_KELUARGA_PKH", "keluarga_tanpa_anggota", f"Tidak ada baris {art_sheet} untuk keluarga ini."
                ),
                key,
            )

        # ART rows
        members: list[MemberIn] = []
        niks_in_family: dict[str, int] = {}
        age_ok = True
        for row, values in art:

            def art_issue(v: Violation, value: str = "", _row: int = row) -> None:
                issues.append(Issue(art_sheet, _row, v, value))

            member = self._member(row, values, key, no_kk, art_issue)
            if member is None:
                age_ok = False
                continue
            nik = member.nik
            if nik:
                if nik in niks_in_family:
                    art_issue(
                        Violation(
                            "NIK", "nik_ganda", f"NIK yang sama sudah ada di {art_sheet} baris {niks_in_family[nik]}."
                        ),
                        nik,
                    )
                else:
                    niks_in_family[nik] = row
            members.append(member)

        carer: MemberIn | None = None
        if carer_nik and art:
            carer = next((m for m in members if m.nik == carer_nik), None)
            art_niks = {identity_text(values.get("NIK", "")) for _, values in art}
            if carer is None and carer_nik not in art_niks:
                kel_issue(
                    Violation(
                        "NIK_PENGURUS",
                        "pengurus_bukan_anggota",
                        f"NIK_PENGURUS harus NIK salah satu anggota keluarga di lembar {art_sheet}.",
                    ),
                    carer_nik,
                )
            elif carer is not None and not carer.present:
                kel_issue(
                    Violation(
                        "NIK_PENGURUS",
                        "pengurus_tidak_tinggal",
                        "Pengurus harus anggota yang masih tinggal di keluarga (STA_KEBERADAAN_ART 1 atau 4).",
                    ),
                    carer_nik,
                )
        if carer is not None:
            carer.is_carer = True
            mother = kel.get("NAMA_IBU_KANDUNG_PENGURUS", "")
            if mother and not carer.fields.get("mother_name"):
                carer.fields["mother_name"] = mother[:250]

        if age_ok and members and len(members) == len(family.art):
            facts = [
                MemberAgeFacts(
                    key=str(m.row),
                    birth_date=m.fields["birth_date"],
                    relationship=m.fields["relationship"],
                    is_carer=m.is_carer,
                    pregnant=bool(m.pregnant),
                    sex=m.fields["sex"],
                )
                for m in members
                if m.present
            ]
            for member_key, v in household_age_violations(facts, on=self.as_of, rules=self.rules):
                if member_key:
                    issues.append(Issue(art_sheet, int(member_key), v))
                else:
                    kel_issue(v)

        # The same NIK in two families of the file: the later family is rejected. Only NIKs the
        # import would make active count (one NIK in one active household, RULES.md); a member
        # recorded as moved out of one family may appear in another.
        if not issues and not family.problems:
            for m in members:
                if m.nik and m.present and status in IN_PROGRAMME:
                    first_nik = self.seen_niks.get(m.nik)
                    if first_nik is not None:
                        issues.append(
                            Issue(
                                art_sheet,
                                m.row,
                                Violation(
                                    "NIK",
                                    "nik_ganda_di_berkas",
                                    f"NIK ini sudah dipakai di {first_nik[0]} baris {first_nik[1]} "
                                    f"(keluarga {first_nik[2]}).",
                                ),
                                m.nik,
                            )
                        )

        if key and first is None:
            self.seen_families[key] = (kel_sheet, family.keluarga_row)
        if issues or family.problems:
            return self._rejects(family, issues, problems=family.problems)
        for m in members:
            if m.nik and m.present and status in IN_PROGRAMME:
                self.seen_niks[m.nik] = (art_sheet, m.row, key)
        return FamilyIn(source=family, pkh_id=key, fields=hh, status=status, status_date=status_date, members=members)

    def _household(
        self, kel: dict[str, str], key: str, kel_issue: Callable[..., None]
    ) -> tuple[dict[str, Any], str, dt.date | None, str]:
        """The KELUARGA row: Household fields, status, status date and the carer's NIK."""
        if len(key) > 50:
            kel_issue(Violation("ID_KELUARGA_PKH", "terlalu_panjang", "ID_KELUARGA_PKH paling banyak 50 karakter."))
        hh: dict[str, Any] = {"pkh_id": key}
        no_kk = identity_text(kel.get("NOKK", ""))
        if no_kk:
            v = excel_number_violation(no_kk, "NOKK")
            vs = [v] if v else no_kk_violations(no_kk, kecamatan_exists=self.kecamatan_exists, today=self.today)
            for v in vs:
                kel_issue(v, no_kk)
        hh["no_kk"] = no_kk
        desa, region_col, v = region_code_of(kel)
        if v is not None:
            kel_issue(v, kel.get(region_col, ""))
        elif not self.desa_exists(desa):
            kel_issue(
                Violation(
                    region_col,
                    "desa_tidak_dikenal",
                    f"Kode wilayah {desa} bukan desa/kelurahan yang terdaftar di Kemendagri.",
                ),
                desa,
            )
        elif not self.in_scope(desa):
            kel_issue(
                Violation(region_col, "di_luar_wilayah", f"Desa {desa} di luar wilayah kerja Anda."),
                desa,
            )
        hh["desa_id"] = desa
        for col, (name, max_len) in HOUSEHOLD_TEXT.items():
            if col in kel:
                value = kel[col]
                if col in ("NO_REKENING", "NO_KKS"):
                    value = identity_text(value)
                    v = excel_number_violation(value, col)
                    if v:
                        kel_issue(v, value)
                if len(value) > max_len:
                    kel_issue(Violation(col, "terlalu_panjang", f"{col} paling banyak {max_len} karakter."), value)
                hh[name] = value
        if "BANK" in kel:
            bank = kel["BANK"].upper()
            if bank and bank not in BANKS:
                kel_issue(
                    Violation("BANK", "bank_tidak_dikenal", f"BANK harus salah satu dari {', '.join(BANKS)}."),
                    bank,
                )
            hh["bank"] = bank
        for col, name, (low, high) in (("LAT", "latitude", LAT_RANGE), ("LNG", "longitude", LNG_RANGE)):
            if col in kel:
                raw = kel[col].replace(",", ".")
                coordinate: Decimal | None = None
                if raw:
                    try:
                        coordinate = Decimal(raw).quantize(Decimal("0.000001"))
                    except InvalidOperation:
                        kel_issue(Violation(col, "koordinat_tidak_sah", f"{col} harus angka desimal."), raw)
                    else:
                        if not low <= coordinate <= high:
                            kel_issue(
                                Violation(col, "koordinat_di_luar_indonesia", f"{col} harus antara {low} dan {high}."),
                                raw,
                            )
                hh[name] = coordinate
        pendamping = kel.get("PENDAMPING", "")
        if pendamping:
            ref = self.pendamping_of(pendamping)
            if ref is None:
                kel_issue(
                    Violation(
                        "PENDAMPING",
                        "pendamping_tidak_dikenal",
                        "PENDAMPING harus nama pengguna atau NIP seorang pendamping aktif.",
                    ),
                    pendamping,
                )
            elif desa and ref.region_id != desa.rsplit(".", 1)[0]:
                kel_issue(
                    Violation(
                        "PENDAMPING",
                        "pendamping_kecamatan",
                        f"Pendamping {pendamping} tidak bertugas di kecamatan KPM ini ({desa.rsplit('.', 1)[0]}).",
                    ),
                    pendamping,
                )
            else:
                hh["pendamping_id"] = ref.staff_id
        status_text = kel.get("STATUS_KEPESERTAAN", "")
        status = STATUS_NAMES.get("_".join(status_text.upper().replace("-", " ").split()), "")
        if status_text and not status:
            kel_issue(
                Violation(
                    "STATUS_KEPESERTAAN",
                    "status_tidak_dikenal",
                    "STATUS_KEPESERTAAN harus AKTIF, CALON, DITANGGUHKAN/DITUNDA, NON_ELIGIBLE/NON_AKTIF, "
                    "GRADUASI_ALAMIAH atau GRADUASI_MANDIRI.",
                ),
                status_text,
            )
        status_date = self._date(kel, "TGL_STATUS", kel_issue, not_after=self.as_of)
        carer_nik = identity_text(kel.get("NIK_PENGURUS", ""))
        if carer_nik:
            v = excel_number_violation(carer_nik, "NIK_PENGURUS")
            if v:
                kel_issue(v, carer_nik)
        return hh, status, status_date, carer_nik

    def _member(
        self, row: int, values: dict[str, str], key: str, no_kk: str, issue: Callable[..., None]
    ) -> MemberIn | None:
        """One ART row; None when a value the family checks need (birth date, sex, HUBKEL) is bad."""
        complete = True
        fields: dict[str, Any] = {}
        for col in ("NOKK", "NAMA", "JNSKEL", "TGLLAHIR", "HUBKEL"):
            if not values.get(col, ""):
                issue(Violation(col, "wajib_diisi", f"Kolom {col} wajib diisi."))
        art_key = values.get("ID_KELUARGA_PKH", "")
        if art_key and art_key != key:
            issue(Violation("ID_KELUARGA_PKH", "id_keluarga_berbeda", f"ID_KELUARGA_PKH harus {key}."), art_key)
        member_kk = identity_text(values.get("NOKK", ""))
        if member_kk and member_kk != no_kk:
            v = excel_number_violation(member_kk, "NOKK")
            issue(
                v or Violation("NOKK", "nokk_berbeda", f"NOKK anggota harus sama dengan NOKK keluarga ({no_kk})."),
                member_kk,
            )
        fields["no_kk"] = member_kk
        for col, (name, max_len) in MEMBER_TEXT.items():
            if col in values:
                value = values[col]
                if len(value) > max_len:
                    issue(Violation(col, "terlalu_panjang", f"{col} paling banyak {max_len} karakter."), value)
                fields[name] = value
        sex_text = values.get("JNSKEL", "").upper()
        sex = SEX_CODES.get(sex_text)
        if sex is None:
            complete = False
            if sex_text:
                issue(
                    Violation(
                        "JNSKEL", "jenis_kelamin_tidak_sah", "JNSKEL harus 1/L (laki-laki) atau 2/P (perempuan)."
                    ),
                    sex_text,
                )
        fields["sex"] = sex
        birth_date = self._date(values, "TGLLAHIR", issue)
        if birth_date is None:
            complete = False
        fields["birth_date"] = birth_date
        rel_text = values.get("HUBKEL", "")
        relationship = None
        if rel_text:
            try:
                relationship = parse_code(rel_text)
            except ValueError:
                relationship = None
            if relationship is None or not 1 <= relationship <= 8:
                relationship = None
                issue(Violation("HUBKEL", "hubkel_tidak_sah", "HUBKEL harus kode 1-8 (1 = kepala keluarga)."), rel_text)
        if relationship is None:
            complete = False
        fields["relationship"] = relationship
        for col, (name, low, high) in MEMBER_CODES.items():
            if col in values:
                fields[name] = self._code(values, col, low, high, issue)
        presence = 1
        if "STA_KEBERADAAN_ART" in values:
            presence = self._code(values, "STA_KEBERADAAN_ART", 1, 6, issue) or 1
            fields["presence"] = presence

        nik_text = identity_text(values.get("NIK", ""))
        if nik_text:
            v = excel_number_violation(nik_text, "NIK")
            vs = (
                [v]
                if v
                else nik_violations(nik_text, birth_date=birth_date, sex=sex, kecamatan_exists=self.kecamatan_exists)
            )
            for v in vs:
                issue(v, nik_text)
        elif birth_date is not None and age_on(birth_date, self.as_of) >= self.max_age_without_nik:
            issue(
                Violation(
                    "NIK",
                    "nik_wajib",
                    f"NIK wajib diisi; hanya bayi di bawah {self.max_age_without_nik} tahun yang boleh tanpa NIK.",
                )
            )
        fields["nik"] = nik_text or None

        member = MemberIn(row=row, fields=fields)
        if "STA_HAMIL" in values:
            code = self._code(values, "STA_HAMIL", 1, 2, issue)
            member.pregnant = code == 1
            if member.pregnant:
                member.pregnancy_from = self._date(values, "TGL_MULAI_HAMIL", issue, not_after=self.as_of)
        if "DISABILITAS_BERAT" in values:
            flag = values["DISABILITAS_BERAT"].upper()
            if flag in YES:
                member.severe = True
            elif flag in NO:
                member.severe = False
            else:
                issue(Violation("DISABILITAS_BERAT", "ya_tidak_tidak_sah", "DISABILITAS_BERAT harus Y atau N."), flag)
        if "PARTISIPASI_SEKOLAH" in values:
            member.enrolment_given = True
            if self._code(values, "PARTISIPASI_SEKOLAH", 0, 2, issue) == 1:
                level_text = "_".join(values.get("JENJANG", "").upper().split())
                level = SCHOOL_LEVELS.get(level_text)
                if level is None:
                    issue(
                        Violation(
                            "JENJANG",
                            "jenjang_tidak_dikenal" if level_text else "wajib_diisi",
                            "JENJANG wajib untuk anggota yang masih sekolah: SD, SMP, SMA (atau kode pendidikan 1-10).",
                        ),
                        level_text,
                    )
                elif level:
                    details: dict[str, Any] = {}
                    if "KELAS" in values:
                        details["grade"] = self._code(values, "KELAS", 1, 12, issue)
                    for col, (name, max_len) in SCHOOL_TEXT.items():
                        if col in values:
                            value = values[col]
                            if len(value) > max_len:
                                issue(
                                    Violation(col, "terlalu_panjang", f"{col} paling banyak {max_len} karakter."), value
                                )
                            details[name] = value
                    member.enrolment = EnrolmentIn(level=level, details=details)
        return member if complete else None

    def _date(
        self, values: dict[str, str], col: str, issue: Callable[..., None], *, not_after: dt.date | None = None
    ) -> dt.date | None:
        text = values.get(col, "")
        if not text:
            return None
        try:
            value = parse_date(text)
        except ValueError:
            issue(
                Violation(col, "tanggal_tidak_sah", f"{col} harus tanggal YYYY-MM-DD, DD/MM/YYYY atau DD-MM-YYYY."),
                text,
            )
            return None
        if not_after is not None and value > not_after:
            issue(Violation(col, "tanggal_masa_depan", f"{col} tidak boleh setelah {not_after:%Y-%m-%d}."), text)
            return None
        return value

    def _code(self, values: dict[str, str], col: str, low: int, high: int, issue: Callable[..., None]) -> int | None:
        text = values.get(col, "")
        if not text:
            return None
        try:
            code = parse_code(text)
        except ValueError:
            code = None
        if code is None or not low <= code <= high:
            issue(Violation(col, "kode_tidak_sah", f"{col} harus kode {low}-{high}."), text)
            return None
        return code

    def _rejects(
        self, family: FamilyRows, issues: Iterable[Issue], *, problems: Iterable[RowReject] = ()
    ) -> list[RowReject]:
        return family_rejects(family, issues, problems=problems)
