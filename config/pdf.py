"""Building blocks for Reparto's printed sheets (ReportLab): cell text, the grid style, a page footer."""

import io
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, TableStyle

_STYLES = getSampleStyleSheet()
CELL = ParagraphStyle("cell", parent=_STYLES["BodyText"], fontSize=8.5, leading=10.5)
TITLE = _STYLES["Title"]
HEADER = ParagraphStyle("header", parent=_STYLES["BodyText"], fontSize=10, leading=13)
SECTION = ParagraphStyle("section", parent=_STYLES["Heading2"], fontSize=12, leading=15)

GRID = TableStyle(
    [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dde6ee")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTSIZE", (0, 0), (-1, -1), 8.5),
    ]
)


def cell(text) -> Paragraph:
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), CELL)


def heading(text: str, style=HEADER) -> Paragraph:
    return Paragraph(escape(str(text)), style)


def pdf_build(story: list, *, pagesize, footer: str) -> bytes:
    """Lay out the story; every page carries `footer` and its page number, so loose sheets find their place."""

    def draw_footer(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        text = _("%(round)s · page %(page)s") % {"round": footer, "page": doc.page}
        canvas.drawRightString(pagesize[0] - 12 * mm, 7 * mm, text)
        canvas.restoreState()

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=pagesize,
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=12 * mm,
        bottomMargin=14 * mm,
        title="Reparto",
        author="Reparto",
    )
    doc.build(story, onFirstPage=draw_footer, onLaterPages=draw_footer)
    return buffer.getvalue()
