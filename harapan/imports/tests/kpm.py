"""Valid KPM rows for the import tests, and real files written from them (CSV, XLSX, flat)."""

from __future__ import annotations

import csv
import datetime as dt
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook

from harapan.imports.columns import ART_COLUMNS, KELUARGA_COLUMNS
from harapan.imports.rows import FamilyRows
from harapan.registry.rules import compose_nik, compose_no_kk

AS_OF = dt.date(2025, 11, 3)
MAESAN_DESA = "35.11.01.2001"  # Sucolor, Kecamatan Maesan, Kabupaten Bondowoso
TAMANAN_DESA = "35.11.02.2001"
JEMBER_DESA = "35.09.01.2001"

# Serials far from harapan.testing's, so both can be used in one test.
_serial = itertools.count(3000)


@dataclass
class Family:
    """One family as the import file holds it: the KELUARGA row and the ART rows."""

    keluarga: dict[str, str]
    art: list[dict[str, str]] = field(default_factory=list)

    @property
    def pkh_id(self) -> str:
        return self.keluarga["ID_KELUARGA_PKH"]

    def member(self, i: int) -> dict[str, str]:
        return self.art[i]


def person(
    kec: str, no_kk: str, pkh_id: str, name: str, sex: str, birth: dt.date, hubkel: int, **extra: str
) -> dict[str, str]:
    n = next(_serial)
    return {
        "ID_KELUARGA_PKH": pkh_id,
        "ID_ART_PKH": f"ART{n:06d}",
        "NIK": compose_nik(kec, birth, sex, n % 9000 + 1000),
        "NOKK": no_kk,
        "NAMA": name,
        "JNSKEL": "1" if sex == "L" else "2",
        "TMPLAHIR": "BONDOWOSO",
        "TGLLAHIR": birth.isoformat(),
        "HUBKEL": str(hubkel),
        "STA_KEBERADAAN_ART": "1",
        **extra,
    }


def family(
    desa: str = MAESAN_DESA,
    *,
    status: str = "AKTIF",
    children: Sequence[tuple[dt.date, str]] = ((dt.date(2014, 8, 17), "SD"),),
    **keluarga_extra: str,
) -> Family:
    """A head (L), his wife and carer (P), and children given as (birth date, JENJANG or "")."""
    n = next(_serial)
    kec = desa.rsplit(".", 1)[0]
    pkh_id = f"PKH{n:08d}"
    no_kk = compose_no_kk(kec, dt.date(2015, 1, 5), n % 9000 + 1000)
    head = person(kec, no_kk, pkh_id, f"SUTRISNO {n}", "L", dt.date(1985, 3, 14), 1, PEKERJAAN="PETANI")
    wife = person(kec, no_kk, pkh_id, f"SITI AMINAH {n}", "P", dt.date(1988, 7, 2), 2, NAMA_IBU_KANDUNG="SUMIATI")
    art = [head, wife]
    for i, (birth, level) in enumerate(children):
        school = {"PARTISIPASI_SEKOLAH": "1", "JENJANG": level} if level else {"PARTISIPASI_SEKOLAH": "0"}
        art.append(person(kec, no_kk, pkh_id, f"ANAK {i + 1} {n}", "P" if i % 2 == 0 else "L", birth, 3, **school))
    prop, kab, kd_kec, kd_desa = desa.split(".")
    keluarga = {
        "ID_KELUARGA_PKH": pkh_id,
        "NOKK": no_kk,
        "KDPROP": prop,
        "KDKAB": kab,
        "KDKEC": kd_kec,
        "KDDESA": kd_desa,
        "ALAMAT": f"DUSUN KRAJAN NO {n}",
        "RT": "001",
        "RW": "002",
        "ID_PENGURUS": wife["ID_ART_PKH"],
        "NIK_PENGURUS": wife["NIK"],
        "NAMA_PENGURUS": wife["NAMA"],
        "NAMA_IBU_KANDUNG_PENGURUS": "SUMIATI",
        "BANK": "BRI",
        "STATUS_KEPESERTAAN": status,
        **keluarga_extra,
    }
    return Family(keluarga, art)


def as_rows(families: Iterable[Family]) -> list[FamilyRows]:
    """FamilyRows numbered as in a two-sheet file: row 1 holds the headers."""
    out = []
    k_row, a_row = 2, 2
    for f in families:
        art = []
        for a in f.art:
            art.append((a_row, dict(a)))
            a_row += 1
        out.append(FamilyRows(keluarga=dict(f.keluarga), keluarga_row=k_row, art=art))
        k_row += 1
    return out


def row_of(rows: list[FamilyRows], pkh_id: str, member: int | None = None) -> int:
    """The source row number of a family's KELUARGA row, or of its ``member``-th ART row."""
    f = next(r for r in rows if r.keluarga["ID_KELUARGA_PKH"] == pkh_id)
    return f.keluarga_row if member is None else f.art[member][0]


# --- Files ----------------------------------------------------------------------------------


def write_csv_pair(
    directory: Path, families: Sequence[Family], *, delimiter: str = ";", bom: bool = True, sep_line: bool = False
) -> tuple[Path, Path]:
    paths = directory / "keluarga.csv", directory / "art.csv"
    for path, columns, rows in (
        (paths[0], KELUARGA_COLUMNS, [f.keluarga for f in families]),
        (paths[1], ART_COLUMNS, [a for f in families for a in f.art]),
    ):
        with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
            if sep_line:
                fh.write(f"sep={delimiter}\r\n")
            writer = csv.writer(fh, delimiter=delimiter)
            writer.writerow(columns)
            for r in rows:
                writer.writerow([r.get(c, "") for c in columns])
    return paths


def write_flat_csv(path: Path, families: Sequence[Family], *, delimiter: str = "|", bom: bool = True) -> Path:
    """One row per member carrying the family's columns (like the SIKS-NG flat export)."""
    columns = list(dict.fromkeys([*KELUARGA_COLUMNS, *ART_COLUMNS]))
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=delimiter)
        writer.writerow(columns)
        for f in families:
            for a in f.art:
                values = {**f.keluarga, **a}
                writer.writerow([values.get(c, "") for c in columns])
    return path


def write_xlsx(path: Path, families: Sequence[Family], *, numeric_nik: bool = False) -> Path:
    """A workbook with sheets KELUARGA and ART; identity numbers as text unless ``numeric_nik``
    (then the ART NIK cells hold numbers, as Excel does when a column is not formatted as text)."""
    wb = Workbook()
    ws_k = wb.active
    ws_k.title = "KELUARGA"
    ws_a = wb.create_sheet("ART")
    ws_k.append(list(KELUARGA_COLUMNS))
    ws_a.append(list(ART_COLUMNS))
    for f in families:
        ws_k.append([f.keluarga.get(c, "") for c in KELUARGA_COLUMNS])
        for a in f.art:
            values: list[object] = [a.get(c, "") for c in ART_COLUMNS]
            if numeric_nik:
                values[ART_COLUMNS.index("NIK")] = int(a["NIK"])
            ws_a.append(values)
    wb.save(path)
    return path
