"""Synthetic KPM families in the import layout (FORMATS.md §6.1), generated lazily from a plan.

Pure and deterministic: ``random.Random`` seeded from the plan's seed; the same plan and
reference date (``as_of``, which fixes every age) give the same families, row for row. Families
come out one at a time, kecamatan after kecamatan, so a million of them need no more memory than
a few (the NIK serial counters are kept for one kecamatan at a time).

What the families look like, and why:
- a head, his wife as pengurus (the mother is the carer by default, RULES.md: Glossary) and 0-5
  children born when the mother was at least 17; single mothers who head and care for the
  family; some with a parent (≥ 60, some ≥ 70: lanjut usia); some grandparents raising
  grandchildren; some elderly alone (RULES.md: Components and amounts);
- some wives pregnant, their pregnancy started within the last 8 months;
- children 7-18 enrolled in SD/SMP/SMA by the grade their age gives in the current school year,
  a few dropouts; a few members with severe disability (pendamping's assessment);
- NIK = kecamatan + birth date (day + 40 for women) + serial, serials unique per kecamatan, date
  and sex, so every NIK is valid and unique; No KK = kecamatan + registration date + serial
  (RULES.md: Identity numbers);
- accounts at the Himbara banks, about 3% without an account yet (burekol, RULES.md: Disbursement
  and data); status mostly AKTIF, a few CALON, DITANGGUHKAN, GRADUASI_*.
"""

from __future__ import annotations

import datetime as dt
import random
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from harapan.imports import columns
from harapan.imports.rows import FamilyRows
from harapan.registry.rules import age_on

from . import names
from .plan import DistrictPlan, GroupPlan, Kecamatan

KELUARGA_COLUMNS = columns.KELUARGA_COLUMNS
# KOMPONEN is computed on export, never imported.
ART_COLUMNS = tuple(c for c in columns.ART_COLUMNS if c != "KOMPONEN")

# Hubkel codes (FORMATS.md §1.2).
KEPALA, PASANGAN, ANAK, CUCU, ORANG_TUA = 1, 2, 3, 5, 6
# Sta_kawin codes.
BELUM_KAWIN, KAWIN, CERAI_HIDUP, CERAI_MATI = 1, 2, 3, 4

FAMILY_KINDS = (("nuclear", 70), ("single_mother", 11), ("with_parent", 10), ("grandparents", 5), ("elderly", 4))
STATUSES = (("AKTIF", 930), ("CALON", 20), ("DITANGGUHKAN", 20), ("GRADUASI_MANDIRI", 25), ("GRADUASI_ALAMIAH", 5))
BANKS = (("BRI", 45), ("BNI", 25), ("MANDIRI", 12), ("BTN", 5), ("BSI", 13))
ACCOUNT_DIGITS = {"BRI": 15, "BNI": 10, "MANDIRI": 13, "BTN": 16, "BSI": 10}
# Synthetic card prefixes (not real BINs).
KKS_PREFIX = {"BRI": "601901", "BNI": "601902", "MANDIRI": "601903", "BTN": "601904", "BSI": "601905"}


@dataclass(frozen=True)
class Rates:
    """How often the rarer facts occur (shares of families or of eligible members)."""

    pregnant: float = 0.08  # of wives aged 18-42
    dropout: float = 0.05  # of children 13-18
    severe_disability: float = 0.025  # of families
    other_disability: float = 0.01  # of families (not severe)
    without_account: float = 0.03  # of families: burekol needed
    newborn_without_nik: float = 0.3  # of babies under 3 months: not yet registered at Dukcapil


@dataclass
class _Person:
    sex: str
    birth: dt.date
    hubkel: int
    kawin: int
    name: str = ""
    carer: bool = False
    mother: str = ""
    pregnant_since: dt.date | None = None
    disability: int = 0
    severe: bool = False
    occupation: str = ""
    school: tuple[str, int, str] | None = None  # (jenjang, kelas, school name)
    participation: int = 0
    no_nik: bool = False


def birth_for_age(rng: random.Random, age: int, on: dt.date) -> dt.date:
    """A random birth date that makes someone exactly ``age`` years old on ``on``."""
    hi = _years_before(on, age)
    lo = _years_before(on, age + 1) + dt.timedelta(days=1)
    return dt.date.fromordinal(rng.randint(lo.toordinal(), hi.toordinal()))


def _years_before(d: dt.date, years: int) -> dt.date:
    try:
        return d.replace(year=d.year - years)
    except ValueError:  # 29 February
        return d.replace(year=d.year - years, day=28)


class FamilyGenerator:
    """Yields ``FamilyRows`` for every family of a plan, in plan order (kecamatan, pendamping, group).

    ``serial_base`` shifts the NIK/No KK serials and ``id_prefix`` the family ids, so a second
    file generated for the same district (an upload example) does not collide with the seeded one.
    """

    def __init__(
        self,
        plan: DistrictPlan,
        *,
        as_of: dt.date,
        serial_base: int = 0,
        id_prefix: str = "P",
        rates: Rates | None = None,
    ) -> None:
        codes = [p.kecamatan.code for p in plan.pendamping]
        runs = [c for i, c in enumerate(codes) if i == 0 or c != codes[i - 1]]
        if len(runs) != len(set(runs)):
            raise ValueError("The plan must list each kecamatan's pendamping together (serials restart per kecamatan).")
        self.plan = plan
        self.as_of = as_of
        self.serial_base = serial_base
        self.id_prefix = id_prefix
        self.rates = rates or Rates()
        self.rng = random.Random(f"families:{plan.district.code}:{plan.families}:{plan.seed}:{as_of.isoformat()}")
        self._kecamatan: str | None = None
        self._kec_digits = ""
        self._nik_serial: dict[str, int] = {}
        self._kk_serial: dict[str, int] = {}
        self._family_seq = 0
        school_year = as_of.year if as_of.month >= 7 else as_of.year - 1
        self._school_year_start = dt.date(school_year, 7, 1)

    def __iter__(self) -> Iterator[FamilyRows]:
        keluarga_row, art_row = 2, 2
        for pdp in self.plan.pendamping:
            for group in pdp.groups:
                for _ in range(group.size):
                    keluarga, art = self.family(group, pdp.kecamatan, pdp.username)
                    rows = [(art_row + i, a) for i, a in enumerate(art)]
                    yield FamilyRows(keluarga=keluarga, keluarga_row=keluarga_row, art=rows)
                    keluarga_row += 1
                    art_row += len(art)

    # --- one family ---------------------------------------------------------------------------

    def family(self, group: GroupPlan, kec: Kecamatan, pendamping: str) -> tuple[dict[str, str], list[dict[str, str]]]:
        rng = self.rng
        if kec.code != self._kecamatan:
            # Serials are unique per kecamatan prefix: only the current kecamatan's are kept.
            self._kecamatan, self._nik_serial, self._kk_serial, self._family_seq = kec.code, {}, {}, 0
            self._kec_digits = kec.code.replace(".", "")
        self._family_seq += 1
        people = self._people(names.weighted(rng, FAMILY_KINDS))
        self._name_people(people)
        self._facts(people, group, kec)

        kec_digits = self._kec_digits
        desa = group.desa
        prov, kab, kd_kec, kd_desa = desa.code.split(".")
        pkh_id = f"{self.id_prefix}{kec_digits}{self._family_seq:06d}"
        dtks_id = f"{desa.code.replace('.', '')}{self._family_seq:07d}"
        youngest = max(p.birth for p in people if not p.no_nik)
        start = max(youngest, self.as_of - dt.timedelta(days=15 * 365))
        registered = dt.date.fromordinal(rng.randint(start.toordinal(), self.as_of.toordinal()))
        no_kk = self._no_kk(kec_digits, registered)

        art: list[dict[str, str]] = []
        carer_row: dict[str, str] = {}
        for i, p in enumerate(people, start=1):
            row = self._art_row(p, i, pkh_id, dtks_id, no_kk, kec)
            art.append(row)
            if p.carer:
                carer_row = row
        carer = next(p for p in people if p.carer)

        # RT numbers run on through the desa: RW 1 holds RT 1-4, RW 2 RT 5-8 …
        rt = f"{(group.rw - 1) * 4 + rng.randint(1, 4):03d}"
        rw = f"{group.rw:03d}"
        if desa.is_kelurahan:
            address = f"{rng.choice(names.STREETS)} No. {rng.randint(1, 120)}"
        else:
            address = f"Dusun {group.dusun} No. {rng.randint(1, 250)}"
        bank = names.weighted(rng, BANKS)
        has_account = rng.random() >= self.rates.without_account
        status = names.weighted(rng, STATUSES)
        since = self.as_of - dt.timedelta(days=rng.randint(90, 3000) if status == "AKTIF" else rng.randint(7, 300))
        keluarga = {
            "ID_KELUARGA_PKH": pkh_id,
            "IDDTKS": dtks_id,
            "NOKK": no_kk,
            "KDPROP": prov,
            "KDKAB": kab,
            "KDKEC": kd_kec,
            "KDDESA": kd_desa,
            "KODE_WILAYAH": desa.code,
            "NMPROP": self.plan.district.province_name,
            "NMKAB": self.plan.district.name,
            "NMKEC": kec.name,
            "NMDESA": desa.name,
            "ALAMAT": address,
            "DUSUN": "" if desa.is_kelurahan else group.dusun,
            "RT": rt,
            "RW": rw,
            "ID_PENGURUS": carer_row["ID_ART_PKH"],
            "NIK_PENGURUS": carer_row["NIK"],
            "NAMA_PENGURUS": carer.name,
            "NAMA_IBU_KANDUNG_PENGURUS": carer.mother,
            "KELOMPOK": group.label,
            "PENDAMPING": pendamping,
            "BANK": bank,
            "NO_REKENING": f"{rng.randrange(10 ** ACCOUNT_DIGITS[bank]):0{ACCOUNT_DIGITS[bank]}d}"
            if has_account
            else "",
            "NAMA_REKENING": carer.name.upper() if has_account else "",
            "NO_KKS": f"{KKS_PREFIX[bank]}{rng.randrange(10**10):010d}" if has_account else "",
            "STATUS_KEPESERTAAN": status,
            "TGL_STATUS": since.isoformat(),
            "LAT": "",
            "LNG": "",
        }
        return keluarga, art

    def _age(self, lo: int, hi: int, mode: float | None = None) -> int:
        return int(round(self.rng.triangular(lo, hi, mode if mode is not None else (lo + hi) / 2)))

    def _born(self, age: int) -> dt.date:
        return birth_for_age(self.rng, age, self.as_of)

    def _children(self, mother_age: int, *, hubkel: int = ANAK, max_n: int = 5) -> list[_Person]:
        """Up to 5 children, the first born when the mother was 17-26, then one every one to five
        years; most children over 21 have left to marry and are not on the KK any more."""
        rng = self.rng
        if mother_age < 17:
            return []
        n = min(max_n, rng.choices((1, 2, 3, 4, 5), cum_weights=(22, 52, 77, 92, 100))[0])
        age = mother_age - max(17, min(rng.randint(18, 26), mother_age - rng.randint(0, 3)))
        out: list[_Person] = []
        born = 0
        while born < n and age >= 0:
            born += 1
            if age <= 21 or rng.random() < 0.25:
                out.append(_Person(rng.choice("LP"), self._born(age), hubkel, BELUM_KAWIN))
            age -= rng.choice((1, 2, 2, 3, 3, 3, 4, 4, 5))
        return out

    def _people(self, kind: str) -> list[_Person]:
        rng = self.rng
        if kind == "single_mother":
            age = self._age(22, 55, 36)
            head = _Person("P", self._born(age), KEPALA, rng.choice((CERAI_HIDUP, CERAI_MATI)), carer=True)
            return [head, *self._children(age, max_n=4)]
        if kind == "grandparents":
            age = self._age(58, 82, 65)
            grand = [_Person(rng.choice("LP"), self._born(rng.randint(0, 17)), CUCU, BELUM_KAWIN)]
            if rng.random() < 0.4:
                grand.append(_Person(rng.choice("LP"), self._born(rng.randint(0, 17)), CUCU, BELUM_KAWIN))
            if rng.random() < 0.4:
                head = _Person("L", self._born(age + rng.randint(0, 6)), KEPALA, KAWIN)
                return [head, _Person("P", self._born(age), PASANGAN, KAWIN, carer=True), *grand]
            return [_Person("P", self._born(age), KEPALA, CERAI_MATI, carer=True), *grand]
        if kind == "elderly":
            age = self._age(65, 92, 72)
            if rng.random() < 0.35:
                head = _Person("L", self._born(age + rng.randint(0, 6)), KEPALA, KAWIN)
                return [head, _Person("P", self._born(age), PASANGAN, KAWIN, carer=True)]
            sex = "P" if rng.random() < 0.7 else "L"
            return [_Person(sex, self._born(age), KEPALA, CERAI_MATI, carer=True)]
        head_age = self._age(35, 55, 42) if kind == "with_parent" else self._age(23, 56, 35)
        wife_age = max(19, head_age - rng.choice((-2, -1, 0, 1, 2, 3, 3, 4, 5, 6, 8)))
        people = [
            _Person("L", self._born(head_age), KEPALA, KAWIN),
            _Person("P", self._born(wife_age), PASANGAN, KAWIN, carer=True),
        ]
        children = self._children(wife_age)
        people.extend(children)
        youngest = min((age_on(c.birth, self.as_of) for c in children), default=99)
        if 18 <= wife_age <= 42 and youngest >= 1 and rng.random() < self.rates.pregnant:
            people[1].pregnant_since = self.as_of - dt.timedelta(days=rng.randint(14, 240))
        if kind == "with_parent":
            parent_age = min(95, head_age + rng.randint(20, 32))
            people.append(_Person("P" if rng.random() < 0.7 else "L", self._born(parent_age), ORANG_TUA, CERAI_MATI))
        return people

    def _name_people(self, people: list[_Person]) -> None:
        rng = self.rng
        for p in people:
            p.name = names.person_name(rng, p.sex, p.birth.year)
        father = next((p for p in people if p.hubkel in (KEPALA, PASANGAN) and p.sex == "L"), None)
        mother = next((p for p in people if p.hubkel in (KEPALA, PASANGAN) and p.sex == "P"), None)
        for p in people:
            if p.hubkel == ANAK and mother is not None:
                p.mother = mother.name
                if father is not None and rng.random() < 0.05:
                    p.name = f"{p.name} {'bin' if p.sex == 'L' else 'binti'} {names.given(father.name)}"
            else:
                p.mother = names.person_name(rng, "P", p.birth.year - 25)

    def _facts(self, people: list[_Person], group: GroupPlan, kec: Kecamatan) -> None:
        """Occupation, school, disability and health-post facts of each member."""
        rng, rates = self.rng, self.rates
        for p in people:
            age = age_on(p.birth, self.as_of)
            if p.hubkel in (ANAK, CUCU):
                grade = age_on(p.birth, self._school_year_start) - 6
                if age <= 6 or grade < 1:  # not yet in grade 1 this school year (TK, or at home)
                    p.occupation = "Belum bekerja"
                    if age == 0 and (self.as_of - p.birth).days < 90 and rng.random() < rates.newborn_without_nik:
                        p.no_nik = True
                elif 1 <= grade <= 12 and not (age >= 13 and rng.random() < rates.dropout):
                    p.participation = 1
                    p.occupation = "Pelajar"
                    p.school = self._school(grade, group, kec)
                else:
                    p.participation = 2
                    p.occupation = names.weighted(rng, names.OCCUPATION_MAN if p.sex == "L" else names.OCCUPATION_WOMAN)
            elif age >= 65:
                p.occupation = "Tidak bekerja" if rng.random() < 0.6 else "Petani"
            else:
                p.occupation = names.weighted(rng, names.OCCUPATION_MAN if p.sex == "L" else names.OCCUPATION_WOMAN)
        roll = rng.random()
        if roll < rates.severe_disability + rates.other_disability:
            p = rng.choice(people)
            p.disability = rng.randint(1, 11)
            p.severe = roll < rates.severe_disability
            if p.severe and p.school is not None:
                p.school, p.participation, p.occupation = None, 0, "Tidak bekerja"

    def _school(self, grade: int, group: GroupPlan, kec: Kecamatan) -> tuple[str, int, str]:
        rng = self.rng
        pesantren = rng.choice(names.PESANTREN_NAMES)
        if grade <= 6:
            school = f"SDN {group.desa.name} {rng.randint(1, 3)}" if rng.random() < 0.85 else f"MI {pesantren}"
            return "SD", grade, school
        if grade <= 9:
            school = f"SMPN {rng.randint(1, 2)} {kec.name}" if rng.random() < 0.7 else f"MTs {pesantren}"
            return "SMP", grade, school
        roll = rng.random()
        school = f"SMAN 1 {kec.name}" if roll < 0.4 else f"SMKN 1 {kec.name}" if roll < 0.65 else f"MA {pesantren}"
        return "SMA", grade, school

    def _art_row(self, p: _Person, i: int, pkh_id: str, dtks_id: str, no_kk: str, kec: Kecamatan) -> dict[str, str]:
        rng = self.rng
        jenjang, kelas, school = p.school or ("", 0, "")
        faskes = ""
        if p.pregnant_since is not None or age_on(p.birth, self.as_of) <= 5:
            faskes = f"Posyandu {rng.choice(names.POSYANDU_NAMES)} {rng.randint(1, 5)}"
        birthplace = self.plan.district.short_name if rng.random() < 0.85 else kec.name
        return {
            "ID_KELUARGA_PKH": pkh_id,
            "ID_ART_PKH": f"{pkh_id}{i:02d}",
            "IDARTDTKS": f"{dtks_id}{i:02d}",
            "NIK": "" if p.no_nik else self._nik(self._kec_digits, p.birth, p.sex),
            "NOKK": no_kk,
            "NAMA": p.name,
            "JNSKEL": "1" if p.sex == "L" else "2",
            "TMPLAHIR": birthplace,
            "TGLLAHIR": p.birth.isoformat(),
            "HUB_KRT": str(p.hubkel),
            "HUBKEL": str(p.hubkel),
            "NUK": "1",
            "STA_KAWIN": str(p.kawin),
            "STA_HAMIL": "1" if p.pregnant_since else "",
            "TGL_MULAI_HAMIL": p.pregnant_since.isoformat() if p.pregnant_since else "",
            "JENIS_CACAT": str(p.disability),
            "DISABILITAS_BERAT": "Y" if p.severe else "",
            "PARTISIPASI_SEKOLAH": str(p.participation),
            "JENJANG": jenjang,
            "KELAS": str(kelas) if kelas else "",
            "NPSN": f"205{zlib.crc32(f'{kec.code}{school}'.encode()) % 100000:05d}" if school else "",
            "NISN": f"{p.birth.year % 1000:03d}{rng.randrange(10**7):07d}" if school else "",
            "NAMA_SEKOLAH": school,
            "FASKES": faskes,
            "NAMA_IBU_KANDUNG": p.mother,
            "PEKERJAAN": p.occupation,
            "STA_KEBERADAAN_ART": "1",
        }

    # --- identity numbers -----------------------------------------------------------------------

    def _nik(self, kecamatan_digits: str, birth: dt.date, sex: str) -> str:
        """A valid NIK, its serial unique for (kecamatan, DDMMYY, sex): kecamatan digits, birth date
        DDMMYY with day + 40 for women, serial (RULES.md: Identity numbers; registry.rules.compose_nik)."""
        day = birth.day + 40 if sex == "P" else birth.day
        prefix = f"{kecamatan_digits}{day:02d}{birth.month:02d}{birth.year % 100:02d}"
        serial = self._nik_serial.get(prefix, self.serial_base) + 1
        if serial > 9999:
            raise OverflowError(f"More than 9999 people share NIK prefix {prefix}")
        self._nik_serial[prefix] = serial
        return f"{prefix}{serial:04d}"

    def _no_kk(self, kecamatan_digits: str, registered: dt.date) -> str:
        """A valid No KK: kecamatan digits, registration date DDMMYY, serial (registry.rules.compose_no_kk)."""
        prefix = f"{kecamatan_digits}{registered.day:02d}{registered.month:02d}{registered.year % 100:02d}"
        serial = self._kk_serial.get(prefix, self.serial_base) + 1
        if serial > 9999:
            raise OverflowError(f"More than 9999 KK share prefix {prefix}")
        self._kk_serial[prefix] = serial
        return f"{prefix}{serial:04d}"


def generate_families(
    plan: DistrictPlan,
    *,
    as_of: dt.date,
    serial_base: int = 0,
    id_prefix: str = "P",
    rates: Rates | None = None,
) -> Iterator[FamilyRows]:
    """Every family of ``plan`` as ``FamilyRows``, lazily (see ``FamilyGenerator``)."""
    return iter(FamilyGenerator(plan, as_of=as_of, serial_base=serial_base, id_prefix=id_prefix, rates=rates))
