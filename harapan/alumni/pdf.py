"""The evaluation report as a PDF (A4 landscape, Indonesian): response rate, the figures reported
beside the figures recorded with bar charts of both distributions, every respondent's figures, and
the other questions. Written with fpdf2's core fonts (Latin-1) and without compression, so the text
stays searchable; characters outside Latin-1 are spelled in ASCII (see graduation/statement.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from harapan.graduation.statement import tanggal

from .report import EvaluationReport, FigureRow, figure_note

_ASCII = str.maketrans({"–": "-", "—": "-", "≥": ">=", "≤": "<=", "≈": "~", "“": '"', "”": '"', "’": "'", "✓": "v"})
BLUE = (31, 95, 153)
ORANGE = (222, 125, 44)


def latin1(text: object) -> str:
    return str(text).translate(_ASCII).encode("latin-1", "replace").decode("latin-1")


def num(value: Decimal | int | None, unit: str = "") -> str:
    """A figure as Indonesian reports write it: 62,87 - or "-" when there is none."""
    if value is None:
        return "-"
    text = f"{Decimal(value):,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    if text.endswith(",00"):
        text = text[:-3]
    return f"{text}{unit if unit == '%' else ''}"


class ReportPDF(FPDF):
    title_line = ""

    def footer(self) -> None:
        self.set_y(-10)
        self.set_font("Helvetica", size=7)
        self.set_text_color(110, 110, 110)
        self.cell(0, 5, latin1(f"{self.title_line} - halaman {self.page_no()}/{{nb}}"), align="R")
        self.set_text_color(0, 0, 0)


def report_pdf(report: EvaluationReport, *, on: dt.date) -> bytes:
    survey = report.survey
    pdf = ReportPDF(orientation="L", format="A4", unit="mm")
    pdf.title_line = latin1(f"Evaluasi alumni: {survey.title}")
    pdf.set_compression(False)
    pdf.set_title(latin1(f"Laporan evaluasi alumni - {survey.title}"))
    pdf.set_author("Harapan")
    pdf.set_margins(14, 12, 14)
    pdf.set_auto_page_break(auto=True, margin=14)
    pdf.alias_nb_pages()
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def line(text: str, *, h: float = 5.5, style: str = "", size: int = 10, align: str = "L") -> None:
        pdf.set_font("Helvetica", style=style, size=size)
        pdf.multi_cell(width, h, latin1(text), align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def heading(text: str) -> None:
        pdf.ln(3)
        line(text, style="B", size=12, h=7)

    def table(rows: list[list[str]], widths: tuple[float, ...], *, size: int = 9) -> None:
        pdf.set_font("Helvetica", size=size)
        with pdf.table(
            col_widths=widths,
            width=min(width, sum(widths)),
            align="LEFT",
            line_height=1.35 * size * 0.3528 + 1,
            text_align="LEFT",
            first_row_as_headings=True,
        ) as t:
            for r in rows:
                row = t.row()
                for cell in r:
                    row.cell(latin1(cell))

    line("LAPORAN EVALUASI ALUMNI DIKLAT", style="B", size=15, h=8)
    line(survey.title, style="B", size=12, h=6)
    centre = survey.centre.name if survey.centre_id and survey.centre else "Kementerian Sosial"
    line(f"Program: {survey.programme.name} - Penyelenggara: {centre}")
    line(
        f"Periode acuan data tercatat: {tanggal(survey.period_start)} - {tanggal(survey.period_end)} "
        f"({num(report.months)} bulan). Survei dibuka {tanggal(survey.opens_on)} sampai {tanggal(survey.closes_on)}."
    )
    if report.area:
        line(f"Wilayah: alumni Kabupaten/Kota {report.area}.", style="B")
    line(f"Dicetak dari Harapan pada {tanggal(on)}.", size=8)

    heading("1. Tingkat respons")
    total = report.total
    line(
        f"Dari {total.invited} alumni yang diundang, {total.answered} mengisi kuesioner "
        f"({num(total.rate, '%')}); {total.reminded} alumni menerima pengingat. "
        f"Sebagai pembanding, evaluasi BBPPKS Banjarmasin 2020: {report.banjarmasin_rate}."
    )
    pdf.ln(1)
    rows = [["Kabupaten/kota", "Diundang", "Menjawab", "Respons"]]
    rows += [[r.label, str(r.invited), str(r.answered), num(r.rate, "%")] for r in report.by_kabupaten]
    table(rows, (80, 25, 25, 25))
    pdf.ln(2)
    rows = [["Angkatan", "Diundang", "Menjawab", "Respons"]]
    rows += [[r.label, str(r.invited), str(r.answered), num(r.rate, "%")] for r in report.by_cohort]
    table(rows, (80, 25, 25, 25))

    heading("2. Dilaporkan alumni dibanding tercatat di Harapan")
    line(
        "Rata-rata dan median atas responden yang sama; selisih = dilaporkan - tercatat, per responden. "
        "Kolom 'semua alumni' memuat data tercatat seluruh alumni yang diundang.",
        size=9,
    )
    pdf.ln(1)
    rows = [
        [
            "Indikator",
            "Dilaporkan rata-rata",
            "Dilaporkan median",
            "Tercatat rata-rata",
            "Tercatat median",
            "Selisih rata-rata",
            "Tercatat semua alumni",
            "Banjarmasin 2020",
        ]
    ]
    for f in report.figures:
        rec = f.has_recorded
        rows.append(
            [
                f.label,
                num(f.reported.mean, f.unit),
                num(f.reported.median, f.unit),
                num(f.recorded.mean, f.unit) if rec else "tidak tercatat",
                num(f.recorded.median, f.unit) if rec else "-",
                num(f.difference.mean) if rec else "-",
                num(f.recorded_all.mean, f.unit) if rec else "-",
                f.banjarmasin,
            ]
        )
    table(rows, (62, 27, 27, 27, 27, 27, 27, 45))
    pdf.ln(2)
    for f in report.figures:
        line(f"{f.label}: {figure_note(f.figure)}", size=8, h=4)

    if pdf.get_y() > pdf.h - pdf.b_margin - 60:  # the heading goes with its first chart
        pdf.add_page()
    heading("3. Sebaran")
    for f in report.figures:
        _distribution_chart(pdf, f, width)

    pdf.add_page()
    heading("4. Per responden (dilaporkan / tercatat)")
    keys = report.figure_keys
    labels = {f.figure: f.label for f in report.figures}
    head = ["Nama", "Kabupaten/kota", *[labels[k] for k in keys]]
    rows = [head]
    for r in report.respondents:
        rows.append(
            [
                r.name,
                r.kabupaten,
                *[
                    f"{num(r.reported.get(k))} / {num(r.recorded.get(k)) if r.recorded.get(k) is not None else '-'}"
                    for k in keys
                ],
            ]
        )
    rest = width - 50 - 38
    table(rows, (50, 38, *[rest / max(len(keys), 1)] * len(keys)), size=8)

    heading("5. Jawaban lain")
    for s in report.questions:
        q = s.question
        if q.compares_with:
            continue
        line(f"{q.text} ({s.answered} jawaban)", style="B", size=9, h=5)
        if s.choices:
            line("; ".join(f"{c.label}: {c.count} ({num(c.share, '%')})" for c in s.choices), size=9, h=4.5)
        if s.stats is not None and s.stats.n:
            line(
                f"Rata-rata {num(s.stats.mean)}, median {num(s.stats.median)}, "
                f"terkecil {num(s.stats.minimum)}, terbesar {num(s.stats.maximum)}.",
                size=9,
                h=4.5,
            )
        for text in s.texts[:50]:
            line(f"- {text}", size=8, h=4)
        pdf.ln(1)
    return bytes(pdf.output())


def _distribution_chart(pdf: FPDF, f: FigureRow, width: float) -> None:
    """Horizontal bars per bin: reported (blue) and recorded (orange) counts of respondents."""
    bins = f.reported_dist.bins
    needed = 10 + len(bins) * 9
    if pdf.get_y() + needed > pdf.h - pdf.b_margin:
        pdf.add_page()
    pdf.set_font("Helvetica", style="B", size=9)
    pdf.cell(0, 5, latin1(f"{f.label} (jumlah responden per kelompok nilai)"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    counts = f.reported_dist.counts + (f.recorded_dist.counts if f.has_recorded else [])
    top = max(counts + [1])
    label_w, bar_w = 28.0, min(width - 28 - 20, 150.0)
    pdf.set_font("Helvetica", size=8)
    for i, b in enumerate(bins):
        y = pdf.get_y()
        pdf.set_xy(pdf.l_margin, y)
        pdf.cell(label_w, 4, latin1(b.label + (f.unit if f.unit == "%" else "")))
        series = [(BLUE, b.count)]
        if f.has_recorded:
            series.append((ORANGE, f.recorded_dist.bins[i].count))
        for j, (colour, n) in enumerate(series):
            yy = y + j * 4
            pdf.set_fill_color(*colour)
            if n:
                pdf.rect(pdf.l_margin + label_w, yy + 0.5, bar_w * n / top, 3, style="F")
            pdf.set_xy(pdf.l_margin + label_w + bar_w * n / top + 1, yy)
            pdf.cell(15, 4, str(n))
        pdf.set_xy(pdf.l_margin, y + 4 * len(series) + 1)
    pdf.set_font("Helvetica", size=7)
    legend = "biru: dilaporkan" + ("; jingga: tercatat di Harapan" if f.has_recorded else "; tidak ada data tercatat")
    pdf.cell(0, 4, latin1(legend), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
