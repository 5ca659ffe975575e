"""The monthly report and the district profile as printable A4 PDFs (fpdf2), in Indonesian: the
monthly report is signed by the pendamping and acknowledged by the korkab (RULES.md "People and
ratios": monthly reports to the korkab and Dinas Sosial), whatever the language of the page that
printed it.

Text is set in DejaVu Sans Condensed (vendored in ``fonts/``, Bitstream Vera licence), so any name
prints as written; fpdf2 embeds only the glyphs used. Without the font files the core Helvetica
font is used and text is cleaned to Latin-1 (a character outside it is replaced, never dropped).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.utils import timezone
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from ..formatting import DASH, angka, tanggal

# fontTools logs every table it subsets at INFO; a PDF download is no news.
logging.getLogger("fontTools").setLevel(logging.WARNING)

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
FONT_FILES = {"": FONT_DIR / "DejaVuSansCondensed.ttf", "B": FONT_DIR / "DejaVuSansCondensed-Bold.ttf"}
HEAD_FILL = (226, 232, 238)


class ReportPDF(FPDF):
    """A4 portrait with a running head from the second page on and "Halaman n dari N" at the foot."""

    def __init__(self, *, title: str, running_head: str, printed: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.unicode = all(p.is_file() for p in FONT_FILES.values())
        if self.unicode:
            for style, path in FONT_FILES.items():
                self.add_font("DejaVu", style, str(path))
            self.face = "DejaVu"
        else:
            self.face = "Helvetica"
        self.running_head = running_head
        self.printed = printed
        self.set_title(self.clean(title))
        self.set_author("Harapan")
        self.set_creator("Harapan PKH")
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(auto=True, margin=16)
        self.alias_nb_pages("{nb}")

    def clean(self, text: Any) -> str:
        text = "" if text is None else str(text)
        return text if self.unicode else text.encode("latin-1", "replace").decode("latin-1")

    def font(self, size: float = 9, style: str = "") -> None:
        self.set_font(self.face, style=style, size=size)

    def header(self) -> None:
        if self.page_no() == 1:
            return
        self.font(7.5)
        self.set_text_color(90, 90, 90)
        self.cell(0, 4, self.clean(self.running_head), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_draw_color(180, 180, 180)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(3)
        self.set_text_color(0, 0, 0)

    def footer(self) -> None:
        self.set_y(-12)
        self.font(7.5)
        self.set_text_color(90, 90, 90)
        self.cell(self.epw / 2, 5, self.clean(self.printed))
        self.cell(self.epw / 2, 5, self.clean(f"Halaman {self.page_no()} dari {{nb}}"), align="R")
        self.set_text_color(0, 0, 0)

    # --- Building blocks --------------------------------------------------------------------

    def title_block(self, lines: Sequence[tuple[str, float]]) -> None:
        for text, size in lines:
            self.font(size, "B")
            self.multi_cell(0, size * 0.5, self.clean(text), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(3)

    def heading(self, text: str, *, keep: float = 18) -> None:
        """A section heading, on a new page when less than ``keep`` mm would follow it here."""
        if self.will_page_break(keep):
            self.add_page()
        self.ln(2)
        self.font(10.5, "B")
        self.cell(0, 6, self.clean(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1)

    def caption(self, text: str) -> None:
        if self.will_page_break(14):
            self.add_page()
        self.font(9, "B")
        self.cell(0, 5, self.clean(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def note(self, text: str) -> None:
        self.font(8)
        self.set_text_color(70, 70, 70)
        self.multi_cell(0, 4, self.clean(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(0, 0, 0)
        self.ln(1)

    def pairs(self, rows: Sequence[tuple[str, str]], *, label_w: float = 42) -> None:
        for label, value in rows:
            self.font(9.5)
            self.cell(label_w, 5.5, self.clean(label))
            self.cell(4, 5.5, ":")
            self.font(9.5, "B")
            self.multi_cell(self.epw - label_w - 4, 5.5, self.clean(value or DASH), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def data_table(
        self,
        headings: Sequence[str],
        rows: Sequence[Sequence[Any]],
        *,
        widths: Sequence[float],
        align: Sequence[str] | None = None,
        size: float = 8,
        empty: str = "Tidak ada.",
    ) -> None:
        """A table whose headings repeat on every page it runs over; numbers right-aligned."""
        if not rows:
            self.note(empty)
            return
        self.font(size)
        aligns = list(align or ["L"] * len(headings))
        with self.table(
            col_widths=tuple(widths),
            width=self.epw,
            text_align=tuple(aligns),
            headings_style=FontFace(emphasis="BOLD", fill_color=HEAD_FILL),
            line_height=size * 0.48,
            padding=(0.8, 1.2),
            repeat_headings=1,
        ) as t:
            head = t.row()
            for h in headings:
                head.cell(self.clean(h))
            for values in rows:
                row = t.row()
                for v in values:
                    row.cell(self.clean(v))
        self.ln(2)

    def signatures(self, left: Sequence[str], right: Sequence[str], *, place_date: str) -> None:
        """Two signature columns with room to sign between the role and the name lines."""
        height = 12 + 5 * max(len(left), len(right)) + 22
        if self.will_page_break(height):
            self.add_page()
        self.ln(4)
        self.font(9.5)
        self.cell(0, 5, self.clean(place_date), align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(2)
        col = self.epw / 2
        top = self.get_y()
        for i, lines in enumerate((left, right)):
            self.set_xy(self.l_margin + i * col, top)
            self.multi_cell(col, 5, self.clean("\n".join(lines[:2])), align="C")
        sig = top + 10 + 22
        for i, lines in enumerate((left, right)):
            self.set_xy(self.l_margin + i * col, sig)
            self.multi_cell(col, 5, self.clean("\n".join(lines[2:])), align="C")


def printed() -> str:
    now = timezone.localtime()
    return f"Dicetak dari Harapan pada {tanggal(now.date())} pukul {now:%H.%M}"


def pct(value: Any) -> str:
    return DASH if value is None else f"{angka(value)}%"


def filename(prefix: str, *parts: Any) -> str:
    bits = [prefix, *(str(p) for p in parts)]
    return "-".join(b.replace(" ", "_").replace("/", "_") for b in bits if b)
