"""A dashboard's table as a file: the area's row, then one row per child, with the columns of the
children table as plain numbers (percentages and ratios as decimals, rupiah as integers), plus
the code, the kind of row and the date of the figures. Only what the reader may see: the same
scoped read as the page."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from openpyxl import Workbook

from .display import Column, Periods
from .models import AreaKind
from .selectors import Dashboard, Values

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _cell(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    return value


def table(d: Dashboard, periods: Periods, columns: list[Column]) -> tuple[list[str], list[list[Any]]]:
    head = [_("Kode"), _("Nama"), _("Jenis"), *(str(c.label) for c in columns)]

    def row(code: str, name: str, kind: int, values: Values) -> list[Any]:
        cells = [None if kind in c.not_for else _cell(c.value(values, periods)) for c in columns]
        return [code, name, str(AreaKind(kind).label), *cells]

    rows = [row(d.key or "", d.name, d.kind, d.values)]
    rows += [row(c.code, c.name, c.kind, c.values) for c in d.children]
    return head, rows


def filename(d: Dashboard, fmt: str) -> str:
    area = (d.key or "nasional").replace(":", "-")
    return f"dasbor-{area}-{d.today:%Y-%m-%d}.{fmt}"


def response(d: Dashboard, periods: Periods, columns: list[Column], fmt: str) -> HttpResponse:
    head, rows = table(d, periods, columns)
    note = _("Angka per %(date)s") % {"date": f"{d.components_on or d.today:%d-%m-%Y}"}
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow(head)
        writer.writerows(rows)
        body: bytes = ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: spreadsheets read UTF-8
    else:
        wb = Workbook(write_only=True)
        ws = wb.create_sheet(_("Dasbor")[:31])
        ws.append([f"{d.name} — {note}"])
        ws.append(head)
        for r in rows:
            ws.append(r)
        out = io.BytesIO()
        wb.save(out)
        body = out.getvalue()
    result = HttpResponse(body, content_type=FORMATS[fmt])
    result["Content-Disposition"] = content_disposition_header(True, filename(d, fmt))
    return result
