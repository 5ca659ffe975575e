"""The certificate (sertifikat) of a participant who completed a programme, as a PDF: number, name,
NIP, programme, cohort, dates, centre, lesson hours and a signature line for the head of the centre
(issue 7: "A certificate (PDF) for each participant who completes"). A4 landscape, Indonesian.

Written like the graduation statement (``harapan.graduation.statement``): fpdf2 core fonts
(Latin-1), no compression, so the text stays searchable in the file itself.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from harapan.graduation.statement import latin1_text, tanggal

from .models import Participant


@dataclass(frozen=True)
class CertificateData:
    number: str
    name: str
    nip: str
    programme: str
    cohort_number: int
    starts_on: dt.date
    ends_on: dt.date
    centre: str
    centre_place: str
    hours: int
    final_score: str
    completed_on: dt.date


def certificate_data(participant: Participant) -> CertificateData:
    cohort = participant.cohort
    return CertificateData(
        number=participant.certificate_number,
        name=participant.staff.full_name,
        nip=participant.staff.nip,
        programme=cohort.programme.name,
        cohort_number=cohort.number,
        starts_on=cohort.starts_on,
        ends_on=cohort.ends_on,
        centre=cohort.centre.name,
        centre_place=cohort.centre.region.name.title(),
        hours=cohort.programme.hours,
        final_score=str(participant.final_score) if participant.final_score is not None else "",
        completed_on=participant.completed_on or cohort.ends_on,
    )


def certificate_pdf(data: CertificateData) -> bytes:
    """One A4 landscape page."""
    pdf = FPDF(orientation="L", format="A4", unit="mm")
    pdf.set_compression(False)
    pdf.set_title(latin1_text(f"Sertifikat {data.number}"))
    pdf.set_author("Harapan")
    pdf.set_margins(22, 18, 22)
    pdf.set_auto_page_break(auto=False)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.set_draw_color(11, 110, 79)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)

    def line(text: str, *, h: float = 7, style: str = "", size: int = 12, align: str = "C") -> None:
        pdf.set_font("Helvetica", style=style, size=size)
        pdf.multi_cell(width, h, latin1_text(text), align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    line("KEMENTERIAN SOSIAL REPUBLIK INDONESIA", style="B", size=13)
    line(data.centre.upper(), style="B", size=12)
    pdf.ln(4)
    line("SERTIFIKAT", style="B", size=28, h=12)
    line(f"Nomor: {data.number}", size=11)
    pdf.ln(5)
    line("diberikan kepada", size=12)
    line(data.name, style="B", size=20, h=10)
    line(f"NIP/NIK: {data.nip or '-'}", size=11)
    pdf.ln(3)
    line(
        f"yang telah mengikuti dan dinyatakan LULUS {data.programme} angkatan ke-{data.cohort_number} "
        f"yang diselenggarakan oleh {data.centre} pada tanggal {tanggal(data.starts_on)} sampai dengan "
        f"{tanggal(data.ends_on)}, selama {data.hours} jam pelajaran"
        + (f", dengan nilai akhir {data.final_score}." if data.final_score else "."),
        size=12,
    )
    pdf.ln(8)
    col = width / 2
    top = pdf.get_y()
    pdf.set_xy(pdf.l_margin + col, top)
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(
        col, 6, latin1_text(f"{data.centre_place}, {tanggal(data.completed_on)}\nKepala {data.centre}"), align="C"
    )
    pdf.set_xy(pdf.l_margin + col, top + 30)
    pdf.multi_cell(col, 6, "( ........................................ )\nNIP. ........................", align="C")
    pdf.set_xy(pdf.l_margin, pdf.h - 22)
    pdf.set_font("Helvetica", size=8)
    pdf.set_text_color(110, 110, 110)
    pdf.multi_cell(width, 4, latin1_text(f"Dicetak dari Harapan. Sertifikat nomor {data.number}."), align="L")
    return bytes(pdf.output())
