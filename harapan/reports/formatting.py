"""Numbers, dates and months as Indonesian documents write them, shared by the pages, the PDF and the
XLSX so the three show the same figure the same way (1.234; 94,0; Rp122.771.150.000; Oktober 2026)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
DASH = "–"


def angka(value: Any) -> str:
    """1234 -> 1.234; Decimal('94.05') -> 94,05; None -> –."""
    if value is None or value == "":
        return DASH
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    if isinstance(value, Decimal | float):
        d = Decimal(str(value))
        exponent = d.as_tuple().exponent
        places = max(0, -exponent) if isinstance(exponent, int) else 0
        text = f"{d:,.{places}f}"
        return text.replace(",", " ").replace(".", ",").replace(" ", ".")
    return str(value)


def rupiah(value: Any) -> str:
    return DASH if value is None else f"Rp{angka(value)}"


def with_unit(value: Any, unit: str) -> str:
    if value is None:
        return DASH
    if unit == "%":
        return f"{angka(value)}%"
    if unit == "Rp":
        return rupiah(value)
    return f"{angka(value)} {unit}".strip()


def bulan(year: int, month: int) -> str:
    return f"{MONTHS[month - 1]} {year}"


def tanggal(on: dt.date | None) -> str:
    return DASH if on is None else f"{on.day} {MONTHS[on.month - 1]} {on.year}"


def number(value: Any) -> Any:
    """A value as a spreadsheet stores it: a Decimal as a float, None as an empty cell."""
    if isinstance(value, Decimal):
        return float(value)
    return value
