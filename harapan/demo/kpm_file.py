"""Generated families written as KPM import files in the FORMATS.md §6.1 layout.

The files are written by ``harapan.imports.kpm_writer`` (one XLSX with the sheets ``KELUARGA`` and
``ART``, or a pair of ``;`` CSV files), with the columns the generator fills: the layout without
the export-only ``KOMPONEN``.

``inject_errors`` spoils a few families on purpose (a 15-digit NIK, a birth date that disagrees
with the NIK, an unknown desa, a NIK already used in another family, a sex that disagrees with the
NIK) so that someone trying the upload page sees real rejects.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from harapan.imports import kpm_writer
from harapan.imports.kpm_writer import FileStats

from .generator import ART_COLUMNS, KELUARGA_COLUMNS, FamilyRows

__all__ = ["FileStats", "InjectedError", "inject_errors", "write_csv_pair", "write_errors_list", "write_xlsx"]


@dataclass(frozen=True)
class InjectedError:
    """One deliberate mistake: where it is and what the import should say about it."""

    kind: str
    family_id: str
    sheet: str
    row: int
    column: str
    description: str


IN_PROGRAMME_NAMES = frozenset({"AKTIF", "CALON", "DITANGGUHKAN"})
ERROR_KINDS = ("nik_15_digit", "nik_tanggal_lahir", "desa_tidak_dikenal", "nik_ganda", "nik_jenis_kelamin")


def write_xlsx(families: Iterable[FamilyRows], path: Path) -> FileStats:
    """One workbook with sheets KELUARGA and ART, streamed row by row."""
    return kpm_writer.write_xlsx(families, path, keluarga_columns=KELUARGA_COLUMNS, art_columns=ART_COLUMNS)


def write_csv_pair(families: Iterable[FamilyRows], keluarga_path: Path, art_path: Path) -> FileStats:
    """Two CSV files, ``;`` delimited, UTF-8 with BOM (FORMATS.md §6 general rules)."""
    return kpm_writer.write_csv_pair(
        families, keluarga_path, art_path, keluarga_columns=KELUARGA_COLUMNS, art_columns=ART_COLUMNS
    )


def inject_errors(families: Iterable[FamilyRows], *, every: int, found: list[InjectedError]) -> Iterator[FamilyRows]:
    """Spoil every ``every``-th family with one mistake, the kinds in turn; record each in ``found``.

    Row numbers are recounted, since a duplicated member adds an ART row.
    """
    art_row = 2
    previous: dict[str, str] | None = None
    for index, f in enumerate(families):
        k, art = dict(f.keluarga), [dict(a) for _, a in f.art]
        fid = k["ID_KELUARGA_PKH"]
        kind = ERROR_KINDS[(index // every) % len(ERROR_KINDS)] if index % every == every // 2 else None
        if kind == "nik_ganda" and previous is None:
            kind = "nik_15_digit"
        err: tuple[str, int, str, str] | None = None  # sheet, index in art (-1: keluarga), column, text
        # The last member who has a NIK (a newborn may have none yet), not the carer if possible:
        # a spoilt carer NIK would also break NIK_PENGURUS.
        with_nik = [i for i, a in enumerate(art) if a["NIK"]]
        last = max((i for i in with_nik if art[i]["NIK"] != k["NIK_PENGURUS"]), default=with_nik[-1])
        if kind == "nik_15_digit":
            a = art[last]
            a["NIK"] = a["NIK"][:15]
            err = ("ART", last, "NIK", f"NIK {a['NIK']} hanya 15 digit")
        elif kind == "nik_tanggal_lahir":
            a = art[0]
            born = dt.date.fromisoformat(a["TGLLAHIR"]) - dt.timedelta(days=3)
            a["TGLLAHIR"] = born.isoformat()
            err = ("ART", 0, "TGLLAHIR", f"tanggal lahir {born:%d-%m-%Y} tidak sama dengan tanggal di NIK {a['NIK']}")
        elif kind == "desa_tidak_dikenal":
            k["KDDESA"] = "9999"
            k["KODE_WILAYAH"] = k["KODE_WILAYAH"].rsplit(".", 1)[0] + ".9999"
            err = ("KELUARGA", -1, "KDDESA", f"kode desa {k['KODE_WILAYAH']} tidak ada")
        elif kind == "nik_ganda" and previous is not None:
            # The same person listed on a second KK (Hubkel 8, "lainnya", so no age rule is hit).
            dup = dict(previous)
            dup.update(
                ID_KELUARGA_PKH=fid,
                ID_ART_PKH=f"{fid}{len(art) + 1:02d}",
                IDARTDTKS="",
                NOKK=k["NOKK"],
                HUB_KRT="8",
                HUBKEL="8",
            )
            art.append(dup)
            k["STATUS_KEPESERTAAN"] = "AKTIF"  # one NIK in one household of the programme (RULES.md)
            err = (
                "ART",
                len(art) - 1,
                "NIK",
                f"NIK {dup['NIK']} juga terdaftar di keluarga {previous['ID_KELUARGA_PKH']}",
            )
        elif kind == "nik_jenis_kelamin":
            a = art[last]
            a["JNSKEL"] = "2" if a["JNSKEL"] == "1" else "1"
            err = ("ART", last, "JNSKEL", f"jenis kelamin tidak cocok dengan NIK {a['NIK']}")
        rows = [(art_row + i, a) for i, a in enumerate(art)]
        if kind is not None and err is not None:
            sheet, pos, column, text = err
            row = f.keluarga_row if pos < 0 else rows[pos][0]
            found.append(InjectedError(kind, fid, sheet, row, column, text))
        art_row += len(art)
        if k["STATUS_KEPESERTAAN"] in IN_PROGRAMME_NAMES:
            previous = next((a for a in art if a["NIK"] and a["HUBKEL"] != "8"), previous)
        yield FamilyRows(keluarga=k, keluarga_row=f.keluarga_row, art=rows)


def write_errors_list(found: list[InjectedError], path: Path) -> None:
    """The list of deliberate mistakes, to compare with the import's rejects."""
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow(["JENIS", "ID_KELUARGA_PKH", "LEMBAR", "BARIS", "KOLOM", "KETERANGAN"])
        for e in found:
            w.writerow([e.kind, e.family_id, e.sheet, e.row, e.column, e.description])
