"""The handout as a PDF, made in pure Python with fpdf2 (nothing to install on the server).

The text is set in DejaVu Sans, vendored beside this module (fonts/, with its licence): fpdf2's
built-in fonts are Latin-1 only, and doses and instructions carry “×”, “–” and curly quotes.
"""

import logging
from pathlib import Path

from django.contrib.staticfiles import finders
from django.utils.formats import date_format
from fpdf import FPDF

from apps.programs.rules import Light

from .selectors import Handout, HandoutItem

logger = logging.getLogger(__name__)
# The drawings carry <title> and <desc> for screen readers, which fpdf2 reports, once per tag,
# as unsupported: expected, not worth a warning per download.
logging.getLogger("fpdf.svg").setLevel(logging.ERROR)
# Subsetting the font logs a line per font table at INFO: a screenful per download.
logging.getLogger("fontTools").setLevel(logging.WARNING)

FONTS = Path(__file__).resolve().parent / "fonts"
FAMILY = "DejaVu"
PAPERS = {"a4": "A4", "letter": "Letter"}
DEFAULT_PAPER = "a4"
MARGIN = 16  # mm: inside the printable area of any office printer, on A4 and Letter alike
PICTURE_WIDTH = 70  # mm: the drawings show a start and an end position side by side
GAP = 5  # mm
# Below this much room left on a page, an exercise starts on the next page rather than split.
ROOM_FOR_AN_ITEM = 55  # mm
KEEP_WITH_NEXT = 25  # mm
INK = (33, 37, 41)
MUTED = (90, 96, 102)
LIGHT_FILL = {
    Light.GREEN: (25, 135, 84),
    Light.YELLOW: (255, 193, 7),
    Light.RED: (220, 53, 69),
}


class HandoutPDF(FPDF):
    def __init__(self, *, paper: str, footer_text: str):
        super().__init__(format=PAPERS[paper], unit="mm")
        self.footer_text = footer_text
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(auto=True, margin=MARGIN + 4)
        self.add_font(FAMILY, "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font(FAMILY, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.set_text_color(*INK)

    def footer(self) -> None:
        self.set_y(-MARGIN)
        self.set_font(FAMILY, size=8)
        self.set_text_color(*MUTED)
        self.cell(0, 5, f"{self.footer_text} · page {self.page_no()} of {{nb}}", align="C")
        self.set_text_color(*INK)

    def text_block(
        self, text: str, *, size: float = 10, bold: bool = False, x: float | None = None
    ):
        """A paragraph from ``x`` (the left margin by default) to the right margin."""
        self.set_font(FAMILY, "B" if bold else "", size)
        if x is not None:
            self.set_x(x)
        width = self.w - self.r_margin - self.get_x()
        # Ragged right: justified lines in a narrow column open wide gaps between words.
        self.multi_cell(width, size * 0.5, text, align="L", new_x="LEFT", new_y="NEXT")

    def heading(self, text: str, *, size: float = 13) -> None:
        # A heading stays with what follows it rather than close a page on its own.
        if self.get_y() > self.h - self.b_margin - KEEP_WITH_NEXT:
            self.add_page()
        self.ln(GAP / 2)
        self.text_block(text, size=size, bold=True)
        self.ln(1)


def handout_pdf(handout: Handout, *, paper: str = DEFAULT_PAPER) -> bytes:
    """The whole handout on ``paper`` ("a4" or "letter")."""
    program = handout.program
    pdf = HandoutPDF(paper=paper, footer_text=f"{handout.clinic} · {program.name}")
    pdf.set_title(f"{program.name}: home exercise program")
    pdf.set_author(handout.clinic)
    pdf.add_page()
    _header(pdf, handout)
    _pain_rules(pdf, handout)
    pdf.heading("Your exercises")
    for item in handout.items:
        _item(pdf, item)
    _how_to(pdf, handout)
    return bytes(pdf.output())


def _header(pdf: HandoutPDF, handout: Handout) -> None:
    program = handout.program
    pdf.set_text_color(*MUTED)
    pdf.text_block(handout.clinic, size=9)
    pdf.set_text_color(*INK)
    pdf.text_block(f"Home exercise program: {program.name}", size=17, bold=True)
    pdf.ln(1)
    pdf.text_block(f"For {handout.patient_name}", size=11)
    dates = (
        f"From {date_format(program.start_date, 'j F Y')} · next review "
        f"{date_format(program.review_date, 'j F Y')} · "
        f"{program.sessions_per_week} session{'s' if program.sessions_per_week != 1 else ''} "
        "a week"
    )
    pdf.text_block(dates, size=10)
    if program.status == program.Status.ENDED:
        pdf.text_block("This program has ended; it is kept for your records.", size=10, bold=True)


def _pain_rules(pdf: HandoutPDF, handout: Handout) -> None:
    pdf.heading("Your pain limit and traffic light")
    pdf.text_block(handout.pain_limit, size=11, bold=True)
    pdf.ln(1)
    for band in handout.bands:
        top = pdf.get_y()
        pdf.set_fill_color(*LIGHT_FILL[band.light])
        pdf.rect(pdf.l_margin, top + 0.6, 4, 4, style="F")
        pdf.set_xy(pdf.l_margin + 6, top)
        pdf.text_block(f"{band.label}, pain {band.ratings}/10: {band.advice}", x=pdf.l_margin + 6)
        pdf.ln(1)
    pdf.text_block(handout.check_24h)


def _picture(pdf: HandoutPDF, item: HandoutItem, *, top: float) -> float:
    """Draw the item's illustration at the left margin; its height, or 0 without one."""
    path = finders.find(item.picture) if item.picture else None
    if not path:
        return 0
    try:
        info = pdf.image(str(path), x=pdf.l_margin, y=top, w=PICTURE_WIDTH)
    except Exception:
        # A drawing fpdf2 cannot read leaves the exercise without it, never without a handout.
        logger.warning("Illustration %s could not be drawn in the PDF", item.picture)
        return 0
    return float(info.rendered_height)


def _item(pdf: HandoutPDF, item: HandoutItem) -> None:
    if pdf.get_y() > pdf.h - pdf.b_margin - ROOM_FOR_AN_ITEM:
        pdf.add_page()
    top, page = pdf.get_y(), pdf.page
    height = _picture(pdf, item, top=top)
    text_x = pdf.l_margin + (PICTURE_WIDTH + GAP if height else 0)
    pdf.set_xy(text_x, top)
    pdf.text_block(f"{item.number}. {item.name}", size=12, bold=True, x=text_x)
    pdf.text_block(item.dose, size=11, bold=True, x=text_x)
    if item.step_rate:
        pdf.text_block(item.step_rate, x=text_x)
    pdf.ln(1)
    pdf.text_block(item.instructions, x=text_x)
    if item.notes:
        pdf.text_block(f"From your clinician: {item.notes}", x=text_x)
    # Text that ran onto the next page has left the picture behind: go on below the text.
    bottom = max(pdf.get_y(), top + height) if pdf.page == page else pdf.get_y()
    pdf.set_xy(pdf.l_margin, bottom + GAP)


def _how_to(pdf: HandoutPDF, handout: Handout) -> None:
    if handout.cards:
        pdf.heading("Reads from your clinician, in Greenlight")
        for title in handout.cards:
            pdf.text_block(f"• {title}")
    pdf.heading("How to sign in")
    pdf.text_block(handout.sign_in)
    pdf.heading("How to log a session")
    pdf.text_block(handout.log_a_session)
