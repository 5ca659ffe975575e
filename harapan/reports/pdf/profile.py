"""The district profile as a printable A4 PDF: each figure from the database beside the figures the
sources quote, each source named by its seed file, and the tahap of the year (issue 5)."""

from __future__ import annotations

from ..formatting import angka, rupiah, tanggal, with_unit
from ..profile import DistrictProfile
from ..sources import DOCUMENTS
from .document import ReportPDF, printed


def profile_pdf(profile: DistrictProfile) -> bytes:
    """The district profile: each figure from the database beside the figures the sources quote,
    each source named by its seed file, and the tahap of the year."""
    name = profile.region.name
    pdf = ReportPDF(
        title=f"Profil Kabupaten PKH - {name} - {profile.year}",
        running_head=f"Profil Kabupaten PKH · {name} · {profile.year}",
        printed=printed(),
    )
    pdf.add_page()
    pdf.title_block(
        [("PROFIL KABUPATEN/KOTA PKH", 14), (f"{name}, {profile.provinsi}", 11), (f"Tahun {profile.year}", 11)]
    )
    pdf.note(
        f"Angka Harapan dihitung dari basis data pada {tanggal(profile.as_of)}; angka pertemuan mencakup "
        f"{profile.months} bulan yang sudah selesai. Angka sumber dikutip dari dokumen sumber (seed) dengan "
        "nomor berkasnya; angka 'turunan' dihitung dari dua angka sumber."
    )
    for section in profile.sections:
        pdf.heading(section.title)
        rows = []
        for f in section.figures:
            sources = "\n".join(
                f"{s.place} {s.year}: {s.text}{' (turunan)' if s.derived else ''} [seed {s.seed}]" for s in f.sources
            )
            rows.append([f.label, with_unit(f.value, f.unit), sources or "Sumber tidak menyebut angka.", f.definition])
        pdf.data_table(
            ["Ukuran", "Harapan", "Sumber", "Cara hitung"],
            rows,
            widths=[28, 20, 40, 42],
            align=["L", "R", "L", "L"],
            size=7.5,
        )
    pdf.heading(f"Tahap {profile.year}")
    pdf.data_table(
        ["Tahap", "Status", "Baris bayar", "Nominal rencana", "Tersalur (baris)", "Tersalur (Rp)", "Per KPM"],
        [
            [
                str(t.number),
                ", ".join(t.statuses),
                angka(t.lines),
                rupiah(t.planned),
                angka(t.paid_lines),
                rupiah(t.paid),
                rupiah(t.per_kpm),
            ]
            for t in profile.tahap
        ],
        widths=[10, 20, 14, 22, 14, 22, 16],
        align=["R", "L", "R", "R", "R", "R", "R"],
        empty="Belum ada tahap tahun ini.",
    )
    pdf.heading("Sumber", keep=12 + 5 * len(DOCUMENTS))
    for seed, title in DOCUMENTS.items():
        pdf.note(f"[seed {seed}] {title}")
    return bytes(pdf.output())
