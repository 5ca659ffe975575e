"""The evaluation report as a workbook: RINGKASAN (response rate and the figures reported beside
recorded), RESPONS (per kabupaten/kota and cohort), PER_RESPONDEN (each respondent's figures,
reported, recorded and the difference, as numbers) and JAWABAN (every answer to every question)."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from .report import EvaluationReport, figure_note

BOLD = Font(bold=True)


def _n(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def report_xlsx(report: EvaluationReport) -> bytes:
    survey = report.survey
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "RINGKASAN"

    def add(sheet: Any, row: list[Any], *, bold: bool = False) -> None:
        sheet.append(row)
        if bold:
            for cell in sheet[sheet.max_row]:
                cell.font = BOLD

    add(ws, ["Laporan evaluasi alumni", survey.title], bold=True)
    add(ws, ["Program", survey.programme.name])
    add(ws, ["Periode acuan", survey.period_start.isoformat(), survey.period_end.isoformat(), _n(report.months)])
    add(ws, ["Wilayah", report.area or "Semua"])
    add(ws, ["Diundang", report.total.invited])
    add(ws, ["Menjawab", report.total.answered])
    add(ws, ["Tingkat respons (%)", _n(report.total.rate)])
    add(ws, ["Menerima pengingat", report.total.reminded])
    add(ws, ["Banjarmasin 2020 (sumber 003)", report.banjarmasin_rate])
    ws.append([])
    add(
        ws,
        [
            "Indikator",
            "Kode",
            "n dilaporkan",
            "Dilaporkan rata-rata",
            "Dilaporkan median",
            "n tercatat",
            "Tercatat rata-rata",
            "Tercatat median",
            "Selisih rata-rata",
            "Selisih median",
            "Tercatat semua alumni rata-rata",
            "Banjarmasin 2020",
            "Cara menghitung data tercatat",
        ],
        bold=True,
    )
    for f in report.figures:
        ws.append(
            [
                f.label,
                f.figure,
                f.reported.n,
                _n(f.reported.mean),
                _n(f.reported.median),
                f.recorded.n if f.has_recorded else None,
                _n(f.recorded.mean),
                _n(f.recorded.median),
                _n(f.difference.mean),
                _n(f.difference.median),
                _n(f.recorded_all.mean),
                f.banjarmasin,
                figure_note(f.figure),
            ]
        )
    ws.append([])
    add(ws, ["Sebaran", "Kelompok nilai", "Dilaporkan", "Tercatat"], bold=True)
    for f in report.figures:
        for i, b in enumerate(f.reported_dist.bins):
            ws.append([f.label, b.label, b.count, f.recorded_dist.bins[i].count if f.has_recorded else None])

    rs = wb.create_sheet("RESPONS")
    add(rs, ["Menurut", "Kode", "Nama", "Diundang", "Menjawab", "Respons (%)", "Diingatkan"], bold=True)
    for kind, rates in (("kabupaten/kota", report.by_kabupaten), ("angkatan", report.by_cohort)):
        for rate in rates:
            rs.append([kind, rate.key, rate.label, rate.invited, rate.answered, _n(rate.rate), rate.reminded])

    ps = wb.create_sheet("PER_RESPONDEN")
    keys = report.figure_keys
    head = ["Nama", "Kabupaten/kota", "Angkatan", "Dikirim"]
    for k in keys:
        head += [f"{k} dilaporkan", f"{k} tercatat", f"{k} selisih"]
    add(ps, head, bold=True)
    for r in report.respondents:
        row: list[Any] = [
            r.name,
            r.kabupaten,
            r.cohort,
            timezone.localtime(r.submitted_at).strftime("%Y-%m-%d %H:%M") if r.submitted_at else "",
        ]
        for k in keys:
            row += [_n(r.reported.get(k)), _n(r.recorded.get(k)), _n(r.difference.get(k))]
        ps.append(row)

    js = wb.create_sheet("PERTANYAAN")
    add(
        js,
        ["Urutan", "Kode", "Pertanyaan", "Jenis", "Dijawab", "Pilihan/nilai", "Jumlah", "%", "Rata-rata", "Median"],
        bold=True,
    )
    for s in report.questions:
        q = s.question
        base = [q.order, q.key, q.text, q.kind, s.answered]
        if s.choices:
            for c in s.choices:
                js.append([*base, c.label, c.count, _n(c.share), None, None])
        elif s.stats is not None:
            js.append([*base, None, None, None, _n(s.stats.mean), _n(s.stats.median)])
        else:
            js.append(base)
        for text in s.texts:
            js.append([q.order, q.key, None, None, None, text])

    for sheet in wb.worksheets:
        sheet.column_dimensions["A"].width = 34
        sheet.column_dimensions["C"].width = 18
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
