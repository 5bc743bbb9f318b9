"""A Document as an A4 PDF (fpdf2) with the DejaVu fonts that matplotlib's wheel ships (embedded, so å ä ö and
every other glyph render on any reader): a header box with the facts, numbered pages, tables that repeat their
headings across pages, charts as PNG images."""
from __future__ import annotations

import io
from pathlib import Path

import matplotlib
from fpdf import FPDF, FontFace
from fpdf.enums import TableCellFillMode, XPos, YPos

from data_layer.reports.document import Bullets, Document, Figure, Paragraph, Table
from data_layer.reports.text import plain

FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
FONT = "DejaVu"
INK, MUTED, RULE, HEAD_FILL, STRIPE = (26, 26, 26), (90, 90, 90), (0, 114, 178), (228, 238, 246), (246, 248, 250)
BODY, SMALL = 10, 8


class _Pdf(FPDF):
    def __init__(self, doc: Document):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.doc = doc
        for style, name in (("", "DejaVuSans.ttf"), ("B", "DejaVuSans-Bold.ttf"), ("I", "DejaVuSans-Oblique.ttf"),
                            ("BI", "DejaVuSans-BoldOblique.ttf")):
            self.add_font(FONT, style, str(FONT_DIR / name))
        self.set_margins(18, 16, 18)
        self.set_auto_page_break(True, margin=18)
        self.set_title(doc.title)
        self.set_subject(doc.subtitle)
        self.set_creator("Lägesbild")
        self.set_lang("sv")

    def header(self) -> None:
        if self.page_no() == 1:
            return
        self.set_font(FONT, "", 7.5)
        self.set_text_color(*MUTED)
        self.cell(0, 5, f"{self.doc.title} · {self.doc.subtitle}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_draw_color(*RULE)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(4)

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font(FONT, "", 7.5)
        self.set_text_color(*MUTED)
        self.cell(0, 5, self.doc.footer, align="L")
        self.set_x(self.l_margin)
        self.cell(0, 5, f"Sida {self.page_no()} av {{nb}}", align="R")


def _ensure_room(pdf: _Pdf, mm: float) -> None:
    """Start a new page when less than `mm` is left, so a heading never ends up alone at the bottom."""
    if pdf.get_y() + mm > pdf.h - pdf.b_margin:
        pdf.add_page()


def _title_block(pdf: _Pdf, doc: Document) -> None:
    pdf.set_fill_color(*RULE)
    pdf.rect(0, 0, pdf.w, 6, style="F")
    pdf.set_y(16)
    pdf.set_text_color(*INK)
    pdf.set_font(FONT, "B", 20)
    pdf.multi_cell(0, 9, doc.title, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", 12)
    pdf.set_text_color(*MUTED)
    pdf.multi_cell(0, 6.5, doc.subtitle, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)
    if doc.facts:
        pdf.set_text_color(*INK)
        pdf.set_draw_color(200, 200, 200)
        pdf.set_fill_color(*STRIPE)
        with pdf.table(col_widths=(32, 100), first_row_as_headings=False, line_height=5.2,
                       borders_layout="HORIZONTAL_LINES", cell_fill_color=STRIPE,
                       cell_fill_mode=TableCellFillMode.ROWS) as table:
            for key, value in doc.facts:
                row = table.row()
                pdf.set_font(FONT, "B", 9)
                row.cell(key, style=FontFace(emphasis="BOLD", size_pt=9))
                row.cell(plain(value), style=FontFace(size_pt=9))
    pdf.ln(4)


def _heading(pdf: _Pdf, text: str, level: int) -> None:
    _ensure_room(pdf, 40 if level == 1 else 30)
    pdf.ln(2 if level == 1 else 1)
    pdf.set_text_color(*INK)
    pdf.set_font(FONT, "B", 14 if level == 1 else 11.5)
    pdf.multi_cell(0, 7 if level == 1 else 6, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if level == 1:
        pdf.set_draw_color(*RULE)
        pdf.set_line_width(0.5)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
        pdf.set_line_width(0.2)
    pdf.ln(2.5)


def _paragraph(pdf: _Pdf, block: Paragraph) -> None:
    pdf.set_font(FONT, "I" if block.note else "", SMALL if block.note else BODY)
    pdf.set_text_color(*(MUTED if block.note else INK))
    pdf.multi_cell(0, 4.2 if block.note else 5.2, block.text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)


def _bullets(pdf: _Pdf, block: Bullets) -> None:
    pdf.set_font(FONT, "", BODY)
    pdf.set_text_color(*INK)
    for item in block.items:
        pdf.set_x(pdf.l_margin + 2)
        pdf.cell(4, 5.2, "•")
        pdf.multi_cell(0, 5.2, plain(item), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)


def _table(pdf: _Pdf, block: Table) -> None:
    if not block.rows:
        _paragraph(pdf, Paragraph(block.empty, note=True))
        return
    _ensure_room(pdf, 22)
    n = len(block.headers)
    widths = block.widths or tuple(1.0 for _ in range(n))
    align = tuple("RIGHT" if i in block.numeric else "LEFT" for i in range(n))
    pdf.set_font(FONT, "", 8.5)
    pdf.set_text_color(*INK)
    pdf.set_draw_color(205, 205, 205)
    pdf.set_fill_color(*STRIPE)  # fpdf2 stripes rows with the current fill colour
    with pdf.table(col_widths=widths, text_align=align, line_height=4.6, padding=(1.1, 1.4),
                   headings_style=FontFace(emphasis="BOLD", fill_color=HEAD_FILL, color=INK, size_pt=8.5),
                   borders_layout="HORIZONTAL_LINES", cell_fill_color=STRIPE, cell_fill_mode=TableCellFillMode.ROWS,
                   repeat_headings=1) as table:
        head = table.row()
        for h in block.headers:
            head.cell(h)
        for values in block.rows:
            row = table.row()
            for value in values:
                row.cell(plain(value))
    pdf.ln(3)


def _figure(pdf: _Pdf, block: Figure) -> None:
    width = pdf.w - pdf.l_margin - pdf.r_margin
    from PIL import Image

    with Image.open(io.BytesIO(block.png)) as im:
        height = width * im.height / im.width
    _ensure_room(pdf, height + 10)
    pdf.image(io.BytesIO(block.png), x=pdf.l_margin, w=width, alt_text=block.caption)
    pdf.set_font(FONT, "I", SMALL)
    pdf.set_text_color(*MUTED)
    pdf.multi_cell(0, 4.2, block.caption, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)


def render_pdf(doc: Document) -> bytes:
    """The document as PDF bytes."""
    pdf = _Pdf(doc)
    pdf.add_page()
    _title_block(pdf, doc)
    for section in doc.sections:
        _heading(pdf, section.heading, section.level)
        for block in section.blocks:
            if isinstance(block, Paragraph):
                _paragraph(pdf, block)
            elif isinstance(block, Bullets):
                _bullets(pdf, block)
            elif isinstance(block, Table):
                _table(pdf, block)
            elif isinstance(block, Figure):
                _figure(pdf, block)
    return bytes(pdf.output())
