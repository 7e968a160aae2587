"""Building blocks for Reparto's printed sheets (ReportLab): cell text, the grid style, boxes to tick and sign,
QR codes, a page footer.

Every piece of text is drawn in embedded TrueType fonts that cover the scripts of the people served: DejaVu Sans
for Latin, Greek, Cyrillic and Arabic, WenQuanYi Micro Hei for Chinese, Japanese and Korean. A string is split into
runs by the first font that has each character's glyph, Arabic is joined into its contextual forms and each line
is put in visual order (right to left where the Unicode rules say so) before it is drawn."""

import importlib.util
import io
import re
from pathlib import Path
from xml.sax.saxutils import escape

import arabic_reshaper
from bidi import get_display
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _
from reportlab.graphics.barcode import qrencoder
from reportlab.lib import colors
from reportlab.lib.fonts import addMapping
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, TableStyle

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONT_ITALIC = "DejaVuSans-Oblique"
FONT_HAN = "WenQuanYiMicroHei"


def _package_file(package: str, *parts: str) -> Path:
    """A file shipped inside an installed Python package, found without importing the package."""
    spec = importlib.util.find_spec(package)
    folders = spec.submodule_search_locations if spec else None
    path = Path(next(iter(folders)), *parts) if folders else None
    if path is None or not path.is_file():
        raise ImproperlyConfigured(
            f"The font file {'/'.join(parts)} of the Python package {package!r} is missing; printed sheets need it. "
            "Run `make install` (pyproject.toml lists the package)."
        )
    return path


def _register_fonts() -> dict[str, dict[int, int]]:
    """Register the fonts once, at import, so a missing one stops the start rather than the first sheet."""
    # matplotlib (a dependency of the solver too) ships DejaVu's static TrueType files; PyPI has no DejaVu-only
    # package, and Noto Sans there comes as variable fonts, whose bold ReportLab cannot draw.
    dejavu = ("mpl-data", "fonts", "ttf")
    # Byte for byte Debian's fonts-wqy-microhei 0.2.0-beta (TrueType outlines: ReportLab reads no CFF, which rules
    # out Noto Sans CJK). ReportLab's own CID fonts (STSong-Light) are not embedded: readers without a CJK font of
    # their own, Poppler among them, print boxes.
    files = {
        FONT: _package_file("matplotlib", *dejavu, "DejaVuSans.ttf"),
        FONT_BOLD: _package_file("matplotlib", *dejavu, "DejaVuSans-Bold.ttf"),
        FONT_ITALIC: _package_file("matplotlib", *dejavu, "DejaVuSans-Oblique.ttf"),
        FONT_HAN: _package_file("paperang_p2_fonts_cjk", "fonts", "wqy-microhei.ttc"),  # its first face
    }
    glyphs = {}
    for name, path in files.items():
        font = TTFont(name, str(path))
        pdfmetrics.registerFont(font)
        glyphs[name] = font.face.charToGlyph
    # <b> and <i> in Paragraph markup pick these faces.
    for bold, italic, face in ((0, 0, FONT), (1, 0, FONT_BOLD), (0, 1, FONT_ITALIC), (1, 1, FONT_BOLD)):
        addMapping(FONT, bold, italic, face)
    return glyphs


_GLYPHS = _register_fonts()
# Where a character missing from the font asked for is looked for next: the italic face has no Arabic, DejaVu no Han.
_FALLBACK = {font: (font, FONT, FONT_HAN) for font in (FONT, FONT_BOLD, FONT_ITALIC)}
_FALLBACK[FONT_HAN] = (FONT_HAN, FONT)
_RIGHT_TO_LEFT = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


def shaped(text: str) -> str:
    """Arabic letters in their joined forms, still in logical order: what line breaking measures."""
    return arabic_reshaper.reshape(text) if _RIGHT_TO_LEFT.search(text) else text


def visual(line: str) -> str:
    """One line in the order it is drawn, left to right; its direction comes from its first strong character."""
    return get_display(line) if _RIGHT_TO_LEFT.search(line) else line


def font_runs(text: str, font: str) -> list[tuple[str, str]]:
    """(font, text) runs: each character in `font` when it has the glyph, else in the first fallback that does.

    A space stays in the run it is in, so a name in one script is one run; a character no font has stays in
    `font` (it prints as the font's empty box: see `glyphless`)."""
    if text.isascii():  # every registered font has ASCII: the common case costs nothing
        return [(font, text)]
    chain = _FALLBACK[font]
    runs: list[tuple[str, str]] = []
    for char in text:
        code = ord(char)
        if runs and char.isspace() and code in _GLYPHS[runs[-1][0]]:
            choice = runs[-1][0]
        else:
            choice = next((candidate for candidate in chain if code in _GLYPHS[candidate]), font)
        if runs and runs[-1][0] == choice:
            runs[-1] = (choice, runs[-1][1] + char)
        else:
            runs.append((choice, char))
    return runs


def glyphless(text: str, font: str = FONT) -> set[str]:
    """The characters of `text` that no registered font can draw (line breaks aside)."""
    return {
        char
        for run_font, run in font_runs(shaped(text).replace("\n", ""), font)
        for char in run
        if ord(char) not in _GLYPHS[run_font]
    }


def text_width(text: str, font: str, size: float) -> float:
    return sum(stringWidth(run, run_font, size) for run_font, run in font_runs(text, font))


def draw_string(canvas, x: float, y: float, text: str, *, font: str = FONT, size: float, right: bool = False) -> None:
    """canvas.drawString (or drawRightString) for any script: one line, shaped and in visual order."""
    line = visual(shaped(str(text)))
    if right:
        x -= text_width(line, font, size)
    for run_font, run in font_runs(line, font):
        canvas.setFont(run_font, size)
        canvas.drawString(x, y, run)
        x += stringWidth(run, run_font, size)


def markup(text, font: str = FONT) -> str:
    """Paragraph markup for plain text: escaped, lines kept, runs the style's font lacks in their fallback font.

    Each line is put in visual order as a whole, so a right-to-left line that Paragraph has to wrap keeps its
    words in order but starts on the wrong line; names and labels fit their cells."""
    lines = []
    for line in str(text).split("\n"):
        parts = []
        for run_font, run in font_runs(visual(shaped(line)), font):
            run = escape(run)
            parts.append(run if run_font == font else f'<font name="{run_font}">{run}</font>')
        lines.append("".join(parts))
    return "<br/>".join(lines)


_STYLES = getSampleStyleSheet()
CELL = ParagraphStyle("cell", parent=_STYLES["BodyText"], fontName=FONT, fontSize=8.5, leading=10.5)
CELL_BOLD = ParagraphStyle("cell_bold", parent=CELL, fontName=FONT_BOLD)
# Column headers never split a word: a column too narrow for its header shows up as overflow, not as "Direc-ción".
CELL_HEAD = ParagraphStyle("cell_head", parent=CELL_BOLD, splitLongWords=0)
TITLE = ParagraphStyle("title", parent=_STYLES["Title"], fontName=FONT_BOLD)
HEADER = ParagraphStyle("header", parent=_STYLES["BodyText"], fontName=FONT, fontSize=10, leading=13)
SECTION = ParagraphStyle("section", parent=_STYLES["Heading2"], fontName=FONT_BOLD, fontSize=12, leading=15)

GRID = TableStyle(
    [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dde6ee")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("FONTSIZE", (0, 0), (-1, -1), 8.5),
    ]
)


def cell(text, style: ParagraphStyle = CELL) -> Paragraph:
    return Paragraph(markup(text, style.fontName), style)


def head_cell(text) -> Paragraph:
    return cell(text, CELL_HEAD)


def heading(text: str, style=HEADER) -> Paragraph:
    return Paragraph(markup(text, style.fontName), style)


FONTS = {"": FONT, "b": FONT_BOLD, "i": FONT_ITALIC}


def wrap_text(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy word wrap; a word wider than the line is cut where it must be, so nothing runs out of its cell.

    Widths count each character in the font that will draw it (see `font_runs`)."""
    space = stringWidth(" ", font, size)
    lines = []
    for paragraph in text.split("\n"):
        words, used = [], 0.0
        for word in paragraph.split():
            wide = text_width(word, font, size)
            while wide > width and len(word) > 1:
                if words:
                    lines.append(" ".join(words))
                    words, used = [], 0.0
                cut = len(word) - 1
                while cut > 1 and text_width(word[:cut], font, size) > width:
                    cut -= 1
                lines.append(word[:cut])
                word = word[cut:]
                wide = text_width(word, font, size)
            if words and used + space + wide > width:
                lines.append(" ".join(words))
                words, used = [], 0.0
            used += (space if words else 0.0) + wide
            words.append(word)
        if words:
            lines.append(" ".join(words))
    return lines


class TextLines(Flowable):
    """Cell text as lines of plain, bold ("b") or italic ("i") type, wrapped to the cell, in any script.

    Several times cheaper than a Paragraph (no markup to parse), which counts on sheets with thousands of rows."""

    def __init__(self, lines: list[tuple[str, object]], *, size: float = 8.5, leading: float = 10.5):
        super().__init__()
        self.parts = [(FONTS[style], str(text)) for style, text in lines if text not in (None, "")]
        self.size, self.leading = size, leading
        self._laid: list[tuple[str, str]] = []
        self._laid_for = None

    def wrap(self, available_width, available_height):
        if self._laid_for != available_width:
            # Arabic is joined before measuring (joined forms have their own widths) and each line is put in visual
            # order only once it is cut, so a right-to-left text wrapped over lines reads from its first line on.
            self._laid = [
                (font, visual(line))
                for font, text in self.parts
                for line in wrap_text(shaped(text), font, self.size, available_width)
            ]
            self._laid_for = available_width
        self.width, self.height = available_width, len(self._laid) * self.leading
        return self.width, self.height

    def draw(self) -> None:
        text, font = self.canv.beginText(0, self.height - self.size), None
        text.setLeading(self.leading)
        for line_font, line in self._laid:
            for run_font, run in font_runs(line, line_font):
                if run_font != font:
                    font = run_font
                    text.setFont(font, self.size, self.leading)
                text.textOut(run)
            text.textLine("")
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
        for n, label in enumerate(self.labels, start=1):
            y = self.height - n * (self.box + self.gap) + self.gap / 2
            canvas.rect(0, y, self.box, self.box, stroke=1, fill=0)
            draw_string(canvas, self.box + 1.5 * mm, y + 0.8, label, size=self.font_size)


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
        draw_string(canvas, 1 * mm, self.height - 2.8 * mm, self.label, size=6.5)


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
        text = _("%(round)s · page %(page)s") % {"round": footer, "page": doc.page}
        draw_string(canvas, pagesize[0] - 12 * mm, 7 * mm, text, size=8, right=True)
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
        initialFontName=FONT,  # else every page names Helvetica, a font that is not embedded, though nothing uses it
    )
    doc.build(story, onFirstPage=draw_footer, onLaterPages=draw_footer)
    return buffer.getvalue()
