"""Building blocks for Reparto's printed sheets (ReportLab): cell text, the grid style, boxes to tick and sign,
QR codes, a page footer."""

import io
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.graphics.barcode import qrencoder
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, TableStyle

_STYLES = getSampleStyleSheet()
CELL = ParagraphStyle("cell", parent=_STYLES["BodyText"], fontSize=8.5, leading=10.5)
CELL_BOLD = ParagraphStyle("cell_bold", parent=CELL, fontName="Helvetica-Bold")
# Column headers never split a word: a column too narrow for its header shows up as overflow, not as "Direc-ción".
CELL_HEAD = ParagraphStyle("cell_head", parent=CELL_BOLD, splitLongWords=0)
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


def cell(text, style: ParagraphStyle = CELL) -> Paragraph:
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)


def head_cell(text) -> Paragraph:
    return cell(text, CELL_HEAD)


def heading(text: str, style=HEADER) -> Paragraph:
    return Paragraph(escape(str(text)), style)


FONTS = {"": "Helvetica", "b": "Helvetica-Bold", "i": "Helvetica-Oblique"}


def wrap_text(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy word wrap; a word wider than the line is cut where it must be, so nothing runs out of its cell."""
    space = stringWidth(" ", font, size)
    lines = []
    for paragraph in text.split("\n"):
        words, used = [], 0.0
        for word in paragraph.split():
            wide = stringWidth(word, font, size)
            while wide > width and len(word) > 1:
                if words:
                    lines.append(" ".join(words))
                    words, used = [], 0.0
                cut = len(word) - 1
                while cut > 1 and stringWidth(word[:cut], font, size) > width:
                    cut -= 1
                lines.append(word[:cut])
                word = word[cut:]
                wide = stringWidth(word, font, size)
            if words and used + space + wide > width:
                lines.append(" ".join(words))
                words, used = [], 0.0
            used += (space if words else 0.0) + wide
            words.append(word)
        if words:
            lines.append(" ".join(words))
    return lines


class TextLines(Flowable):
    """Cell text as lines of plain, bold ("b") or italic ("i") Helvetica, wrapped to the cell.

    Several times cheaper than a Paragraph (no markup to parse), which counts on sheets with thousands of rows."""

    def __init__(self, lines: list[tuple[str, object]], *, size: float = 8.5, leading: float = 10.5):
        super().__init__()
        self.parts = [(FONTS[style], str(text)) for style, text in lines if text not in (None, "")]
        self.size, self.leading = size, leading
        self._laid: list[tuple[str, str]] = []
        self._laid_for = None

    def wrap(self, available_width, available_height):
        if self._laid_for != available_width:
            self._laid = [
                (font, line) for font, text in self.parts for line in wrap_text(text, font, self.size, available_width)
            ]
            self._laid_for = available_width
        self.width, self.height = available_width, len(self._laid) * self.leading
        return self.width, self.height

    def draw(self) -> None:
        text, font = self.canv.beginText(0, self.height - self.size), None
        text.setLeading(self.leading)
        for line_font, line in self._laid:
            if line_font != font:
                font = line_font
                text.setFont(font, self.size, self.leading)
            text.textLine(line)
        self.canv.drawText(text)


def lines(*parts: tuple[str, object]) -> TextLines:
    """lines(("b", name), ("", phone)): a fast cell; empty parts are left out."""
    return TextLines(list(parts))


class TickBoxes(Flowable):
    """Empty squares to tick by hand, one per label, one under the other."""

    def __init__(self, labels: list[str], *, box: float = 3.2 * mm, gap: float = 1.5 * mm, font_size: float = 8.5):
        super().__init__()
        self.labels, self.box, self.gap, self.font_size = labels, box, gap, font_size

    def wrap(self, available_width, available_height):
        self.width = available_width
        self.height = len(self.labels) * (self.box + self.gap)
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.setLineWidth(0.8)
        canvas.setFont("Helvetica", self.font_size)
        for n, label in enumerate(self.labels, start=1):
            y = self.height - n * (self.box + self.gap) + self.gap / 2
            canvas.rect(0, y, self.box, self.box, stroke=1, fill=0)
            canvas.drawString(self.box + 1.5 * mm, y + 0.8, str(label))


class SignatureBox(Flowable):
    """A framed space to sign in, its label small in the corner."""

    def __init__(self, label: str, *, height: float = 9 * mm):
        super().__init__()
        self.label, self.height = label, height

    def wrap(self, available_width, available_height):
        self.width = available_width
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.setLineWidth(0.5)
        canvas.setStrokeColor(colors.grey)
        canvas.rect(0, 0, self.width, self.height, stroke=1, fill=0)
        canvas.setFillColor(colors.grey)
        canvas.setFont("Helvetica", 6.5)
        canvas.drawString(1 * mm, self.height - 2.8 * mm, str(self.label))


class _OneMaskQRCode(qrencoder.QRCode):
    """ReportLab's encoder with one fixed mask pattern instead of trying all eight.

    Any mask gives a valid code every reader decodes; trying eight and scoring them is nearly 90% of ReportLab's
    pure-Python encoding time (about 5 ms a code, 10 s for a 2,000-stop day). Pattern 4, blocks of 2×3 modules,
    decoded best in a test with zbar on 150 stop URLs rendered at the edge of legibility (76–80 dpi)."""

    def getBestMaskPattern(self) -> int:
        return 4


class QrCode(Flowable):
    """A QR code drawn as one filled path in module units.

    Level M survives a smudged or creased print; `border` is the quiet zone in modules (the standard asks 4)."""

    def __init__(self, value: str, *, size: float, level: str = "M", border: int = 4):
        super().__init__()
        code = _OneMaskQRCode(None, getattr(qrencoder.QRErrorCorrectLevel, level))
        code.addData(value)
        code.make()
        self.value, self.modules, self.border = value, code.modules, border
        self.width = self.height = size

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def draw(self) -> None:
        count = len(self.modules)
        module = self.width / (count + 2 * self.border)
        runs = []  # one rectangle per run of dark modules in a row; integers keep the operators short to write
        for row_number, row in enumerate(self.modules):
            y = count - 1 - row_number
            column = 0
            while column < count:
                if row[column]:
                    start = column
                    while column < count and row[column]:
                        column += 1
                    runs.append(f"{start} {y} {column - start} 1 re")
                else:
                    column += 1
        canvas = self.canv
        canvas.saveState()
        canvas.translate(self.border * module, self.border * module)
        canvas.scale(module, module)
        canvas.setFillColor(colors.black)
        canvas.addLiteral("\n".join(runs) + "\nf")
        canvas.restoreState()


def qr_code(value: str, *, size: float = 20 * mm) -> QrCode:
    """A QR code a phone camera opens."""
    return QrCode(value, size=size)


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
