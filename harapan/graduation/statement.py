"""The surat pernyataan graduasi mandiri as a PDF for the carer to sign (FORMATS.md §4.4: identity
of the carer - name, NIK, address, ID keluarga PKH -, statement of ability and voluntary exit,
date, signatures of the KPM, the pendamping and a witness, kepala desa/lurah; optional reason
category). A4, Indonesian: the document is read and signed in the village, whatever the language
of the page that printed it.

Written with fpdf2's core fonts (Latin-1) and without compression, so the text stays searchable
in the file itself; a character outside Latin-1 in a name is replaced, never dropped silently.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from harapan.regions.selectors import region_ancestors

from .models import GraduationProposal, ReasonCategory

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


def tanggal(on: dt.date) -> str:
    """A date as Indonesian documents write it: 5 Maret 2025."""
    return f"{on.day} {MONTHS[on.month - 1]} {on.year}"


@dataclass(frozen=True)
class StatementData:
    proposal_id: int
    carer_name: str
    carer_nik: str
    pkh_id: str
    address: str
    desa: str
    kecamatan: str
    kabupaten: str
    provinsi: str
    desa_is_kelurahan: bool
    reason: str
    pendamping_name: str
    on: dt.date


def statement_data(proposal: GraduationProposal, *, on: dt.date) -> StatementData:
    """What the statement prints, from the family as it is now."""
    household = proposal.household
    carer = household.members.filter(is_carer=True).first()
    regions = {r.level: r for r in region_ancestors(household.desa_id)}
    address = household.address
    if household.rt or household.rw:
        address += f", RT {household.rt or '-'}/RW {household.rw or '-'}"
    if household.dusun:
        address += f", Dusun {household.dusun}"

    def name(level: int) -> str:
        return regions[level].name if level in regions else ""

    desa = regions.get(4)
    kabupaten = regions.get(2)
    kab_name = name(2)
    if kabupaten is not None and kabupaten.kind == "kota" and not kab_name.upper().startswith("KOTA"):
        kab_name = f"Kota {kab_name}"
    return StatementData(
        proposal_id=proposal.pk,
        carer_name=carer.name if carer else "",
        carer_nik=(carer.nik or "") if carer else "",
        pkh_id=household.pkh_id,
        address=address,
        desa=name(4),
        kecamatan=name(3),
        kabupaten=kab_name,
        provinsi=name(1),
        desa_is_kelurahan=desa is not None and desa.kind == "kelurahan",
        reason=str(ReasonCategory(proposal.reason_category).label) if proposal.reason_category else "",
        pendamping_name=proposal.proposed_by.full_name,
        on=on,
    )


def latin1_text(text: str) -> str:
    """Text for fpdf2's core fonts (Latin-1): other characters print as "?"."""
    return text.encode("latin-1", "replace").decode("latin-1")


def statement_pdf(data: StatementData) -> bytes:
    """The statement, one A4 page."""
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_compression(False)
    pdf.set_title(latin1_text(f"Surat Pernyataan Graduasi Mandiri - {data.pkh_id}"))
    pdf.set_author("Harapan")
    pdf.set_margins(20, 18, 20)
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def line(text: str, *, h: float = 6, style: str = "", size: int = 11, align: str = "L") -> None:
        pdf.set_font("Helvetica", style=style, size=size)
        pdf.multi_cell(width, h, latin1_text(text), align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    line("SURAT PERNYATAAN GRADUASI MANDIRI", style="B", size=14, align="C", h=7)
    line("PROGRAM KELUARGA HARAPAN (PKH)", style="B", size=12, align="C", h=7)
    pdf.ln(6)
    line("Yang bertanda tangan di bawah ini, pengurus Keluarga Penerima Manfaat (KPM) PKH:")
    pdf.ln(2)
    village = "Kelurahan" if data.desa_is_kelurahan else "Desa"
    identity = [
        ("Nama", data.carer_name),
        ("NIK", data.carer_nik),
        ("ID Keluarga PKH", data.pkh_id),
        ("Alamat", data.address),
        (f"{village}", data.desa),
        ("Kecamatan", data.kecamatan),
        ("Kabupaten/Kota", data.kabupaten),
        ("Provinsi", data.provinsi),
    ]
    label_w = 42
    for label, value in identity:
        pdf.set_font("Helvetica", size=11)
        pdf.cell(label_w, 6, latin1_text(label))
        pdf.cell(4, 6, ":")
        pdf.set_font("Helvetica", style="B" if label in ("Nama", "NIK") else "", size=11)
        pdf.multi_cell(width - label_w - 4, 6, latin1_text(value or "-"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)
    line(
        "dengan ini menyatakan dengan sesungguhnya bahwa:",
    )
    pdf.ln(1)
    statements = [
        "Keluarga kami telah mampu memenuhi kebutuhan dasar keluarga secara mandiri.",
        "Atas kemauan sendiri dan tanpa paksaan dari pihak mana pun, kami menyatakan keluar dari "
        "kepesertaan Program Keluarga Harapan (graduasi mandiri) dan tidak lagi menerima bantuan "
        "sosial PKH mulai tahap penyaluran berikutnya.",
        "Kami bersedia data keluarga kami tetap dicatat sebagai KPM graduasi mandiri.",
    ]
    for i, text in enumerate(statements, start=1):
        pdf.set_font("Helvetica", size=11)
        pdf.cell(8, 6, f"{i}.")
        pdf.multi_cell(width - 8, 6, latin1_text(text), align="J", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if data.reason:
        pdf.ln(2)
        line(f"Alasan graduasi: {data.reason}.")
    pdf.ln(3)
    line(
        "Demikian surat pernyataan ini kami buat dengan sebenar-benarnya untuk dipergunakan sebagaimana mestinya.",
        align="J",
    )
    pdf.ln(6)
    line(f"{data.desa or '....................'}, {tanggal(data.on)}", align="R")
    pdf.ln(4)
    col = width / 3
    heads = [
        ("Yang membuat pernyataan,", "Pengurus KPM"),
        ("", "Pendamping PKH"),
        ("Saksi/Mengetahui,", f"{'Lurah' if data.desa_is_kelurahan else 'Kepala Desa'} {data.desa}".strip()),
    ]
    names = [data.carer_name, data.pendamping_name, ""]
    top = pdf.get_y()
    pdf.set_font("Helvetica", size=10)
    for i, (first, second) in enumerate(heads):
        pdf.set_xy(pdf.l_margin + i * col, top)
        pdf.multi_cell(col, 5, latin1_text(f"{first}\n{second}"), align="C")
    sig_y = top + 32
    for i, who in enumerate(names):
        pdf.set_xy(pdf.l_margin + i * col, sig_y)
        pdf.set_font("Helvetica", style="BU" if who else "", size=10)
        pdf.multi_cell(col, 5, latin1_text(f"( {who} )" if who else "( ................................ )"), align="C")
    pdf.set_xy(pdf.l_margin, sig_y + 16)
    pdf.set_font("Helvetica", size=8)
    pdf.set_text_color(110, 110, 110)
    pdf.multi_cell(
        width,
        4,
        latin1_text(
            f"Usulan graduasi mandiri #{data.proposal_id} - dicetak dari Harapan pada {tanggal(data.on)}. "
            "Unggah pindaian surat yang sudah ditandatangani ketiga pihak pada halaman usulan."
        ),
        align="L",
    )
    return bytes(pdf.output())
