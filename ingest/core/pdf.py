"""Read a published PDF into positioned characters, words, lines and ruled-table cells.

Nothing here knows a budget template: a family (ingest/<family>/) asks for a page's text
lines or for the cells of its ruled grid and decides what they mean.

Why pypdfium2 (PDFium, Apache-2.0/BSD-3, its wheel carries the library; no download at
install or run time): it gives every character with its box at a few hundred pages per
second, where pdfminer-based readers are about twenty times slower, and it never runs a
PDF's JavaScript (no form environment is created) nor opens its attachments or links.

Coordinates are PDF points with the origin at the page's top-left corner (y grows
downwards), as a reader looking at the page would measure them.

Refused, with the file and the page where it could tell: an encrypted PDF, a file that is
not a PDF or is cut short, a page count beyond the limit, and a document without a text
layer (scanned images)."""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from operator import attrgetter
from typing import NamedTuple

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ingest.core.document import MAX_DOCUMENT_BYTES
from ingest.core.errors import IngestError

# A department's budget or final account runs to 20-60 pages; a file far beyond that is not
# one, and reading it would only stall the scheduled build.
MAX_PDF_PAGES = 400
# A stroke thinner than this is a ruling line of a table, not a filled shape.
RULE_THICKNESS = 2.0
# Two characters further apart than this share of the font size start a new word.
WORD_GAP = 0.6


class Char(NamedTuple):
    """One printed character. A tuple, not a dataclass: a page holds ~700 of them and a
    frozen dataclass's __init__ sets each field through object.__setattr__, which cost a
    tenth of the PDF reading."""
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    index: int  # PDFium's character index on the page: the token's exact position
    cx: float  # centre, computed once: grouping compares it many times
    cy: float


@dataclass(frozen=True)
class Word:
    """A run of characters on one baseline with no wide gap: a number, a label."""
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    first_index: int

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(frozen=True)
class TextLine:
    page_number: int
    line_number: int  # 1-based on the page, top to bottom
    words: tuple[Word, ...]
    chars: tuple[Char, ...]  # left to right: `joined` character by character

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def joined(self) -> str:
        """The line's characters without the gaps (a sentence broken over cells or spaces)."""
        return "".join(w.text for w in self.words)


@dataclass(frozen=True)
class Cell:
    row: int
    column: int  # index of the cell's left edge among the band's column edges
    x0: float
    top: float
    x1: float
    bottom: float
    text: str
    first_index: int | None  # character index of the cell's first character; None when blank


@dataclass
class Grid:
    """The ruled cells of one table on one page, row by row (merged cells appear once)."""
    page_number: int
    rows: list[list[Cell]] = field(default_factory=list)
    top: float = 0.0
    bottom: float = 0.0


@dataclass
class PdfPage:
    number: int  # 1-based
    width: float
    height: float
    chars: list[Char]
    h_rules: list[tuple[float, float, float]]  # (y, x0, x1)
    v_rules: list[tuple[float, float, float]]  # (x, top, bottom)
    image_count: int
    # Form XObjects drawn skewed or at an oblique angle: their rules are not read (see _rules).
    oblique_forms: int = 0

    @cached_property
    def lines(self) -> list[TextLine]:
        return _lines(self.number, self.chars)

    def lines_between(self, top: float, bottom: float) -> list[TextLine]:
        return [line for line in self.lines if top <= line.words[0].cy <= bottom]

    @cached_property
    def grid(self) -> Grid | None:
        """The page's ruled table: a page may carry other ruled boxes (a frame around a page
        label), so the table is the largest run of adjacent bands that vertical rules cross."""
        blocks = _blocks(self)
        return _grid(self, max(blocks, key=len)) if blocks else None

    @cached_property
    def grids(self) -> list[Grid]:
        """Every ruled block of the page, top to bottom, except a single cell (a frame around
        a page label or around the whole page): a template that prints several tables on one
        page, each under its own title, has one block per table."""
        return [_grid(self, block) for block in _blocks(self) if len(block) > 1 or len(block[0][2]) > 2]


@dataclass
class PdfDocument:
    path: Path
    file_name: str
    sha256: str
    byte_size: int
    pages: list[PdfPage]

    @property
    def document_id(self) -> str:
        return self.sha256[:16]


def read_pdf(path: Path) -> PdfDocument:
    path = Path(path)
    name = path.name
    data = path.read_bytes()
    if len(data) > MAX_DOCUMENT_BYTES:
        raise IngestError(name, None, f"a budget PDF of at most {MAX_DOCUMENT_BYTES // (1024 * 1024)} MiB",
                          f"{len(data) / (1024 * 1024):.0f} MiB")
    if not data.startswith(b"%PDF-"):
        raise IngestError(name, None, "a PDF file (starting with %PDF-)", _head(data))
    # PDFium repairs a file cut short and shows the pages it could save; a document missing
    # its end would lose tables without a word, so the trailer must be there.
    if b"%%EOF" not in data[-2048:]:
        raise IngestError(name, None, "a complete PDF (ending in %%EOF)", "a file cut short (no %%EOF trailer)")
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        found = "an encrypted PDF (password required)" if "password" in str(error).lower() else str(error)
        raise IngestError(name, None, "a readable, unencrypted PDF", found) from None
    try:
        count = len(pdf)
        if count == 0:
            raise IngestError(name, None, "a PDF with pages", "no pages")
        if count > MAX_PDF_PAGES:
            raise IngestError(name, None, f"a budget PDF of at most {MAX_PDF_PAGES} pages", f"{count} pages")
        pages = [_read_page(pdf, index) for index in range(count)]
    finally:
        pdf.close()
    if not any(page.chars for page in pages):
        images = sum(page.image_count for page in pages)
        raise IngestError(f"{name}:page 1", None, "a PDF with a text layer",
                          f"no text on any of {count} pages ({images} images: a scan needs OCR first)")
    return PdfDocument(path=path, file_name=name, sha256=hashlib.sha256(data).hexdigest(), byte_size=len(data),
                       pages=pages)


def _head(data: bytes) -> str:
    return data[:16].decode("latin-1").encode("unicode_escape").decode()


def _read_page(pdf: pdfium.PdfDocument, index: int) -> PdfPage:
    page = pdf[index]
    try:
        width, height = page.get_size()
        rotation = page.get_rotation() % 360
        # PDFium gives the page's size as displayed but characters and paths in the unrotated
        # page space; a page set with /Rotate (a landscape table printed on a portrait page)
        # is read in the unrotated space and turned as a reader sees it.
        media_width, media_height = (height, width) if rotation in (90, 270) else (width, height)
        textpage = page.get_textpage()
        try:
            chars = _chars(textpage, media_height)
        finally:
            textpage.close()
        h_rules, v_rules, images, oblique = _rules(page, media_height)
    finally:
        page.close()
    if rotation:
        chars, h_rules, v_rules = _rotate(rotation, media_width, media_height, chars, h_rules, v_rules)
    return PdfPage(number=index + 1, width=width, height=height, chars=chars, h_rules=h_rules, v_rules=v_rules,
                   image_count=images, oblique_forms=oblique)


def _rotate(rotation: int, width: float, height: float, chars: list[Char], h_rules: list, v_rules: list
            ) -> tuple[list[Char], list, list]:
    """Characters and rules of the unrotated page space (top-left origin) turned clockwise by
    `rotation` degrees, to the page as displayed."""
    def box(x0: float, top: float, x1: float, bottom: float) -> tuple[float, float, float, float]:
        if rotation == 90:
            return height - bottom, x0, height - top, x1
        if rotation == 180:
            return width - x1, height - bottom, width - x0, height - top
        return top, width - x1, bottom, width - x0  # 270

    turned = []
    for c in chars:
        x0, top, x1, bottom = box(c.x0, c.top, c.x1, c.bottom)
        turned.append(Char(c.text, x0, top, x1, bottom, c.index, (x0 + x1) / 2, (top + bottom) / 2))
    h_out, v_out = [], []
    for y, x0, x1 in h_rules:
        a, b, c, d = box(x0, y, x1, y)
        (h_out.append((b, a, c)) if rotation == 180 else v_out.append((a, b, d)))
    for x, top, bottom in v_rules:
        a, b, c, d = box(x, top, x, bottom)
        (v_out.append((a, b, d)) if rotation == 180 else h_out.append((b, a, c)))
    return turned, h_out, v_out


def _chars(textpage: pdfium.PdfTextPage, height: float) -> list[Char]:
    raw_page = textpage.raw
    count = pdfium_c.FPDFText_CountChars(raw_page)
    # The page's text in one call: index i of the string is PDFium's character i (the
    # budget documents' CJK text is all in the Basic Multilingual Plane; a character beyond it
    # would shift the indices, so the lengths are compared).
    text = textpage.get_text_range(0, count) if count else ""
    if len(text) != count:
        text = "".join(chr(pdfium_c.FPDFText_GetUnicode(raw_page, i)) for i in range(count))
    left, right, bottom, top = (pdfium_c.c_double() for _ in range(4))
    get_box = pdfium_c.FPDFText_GetCharBox
    chars = []
    append = chars.append
    for i, char in enumerate(text):
        # Spaces and line breaks (PDFium's own, joining the text stream) are not printed marks.
        if char in _NOT_PRINTED:
            continue
        get_box(raw_page, i, left, right, bottom, top)
        x0, x1, y0, y1 = left.value, right.value, height - top.value, height - bottom.value
        append(Char(char, x0, y0, x1, y1, i, (x0 + x1) / 2, (y0 + y1) / 2))
    return chars


_NOT_PRINTED = frozenset(" \r\n\t\u3000\x00\ufffe\x02")


def _rules(page: pdfium.PdfPage, height: float) -> tuple[list, list, int, int]:
    """Ruling lines (thin filled or stroked paths) and the number of images, through PDFium's
    C API: a table page holds thousands of page objects, and a Python wrapper for each one
    cost more than the rest of the page's reading."""
    h_rules, v_rules = [], []
    images = oblique = 0
    left, bottom, right, top = (pdfium_c.c_float() for _ in range(4))
    matrix = pdfium_c.FS_MATRIX()
    # PDFium gives an object's bounds in the space of the form XObject that holds it, not the
    # page's: a form's rules are placed through its matrix (composed down nested forms).
    stack = [(pdfium_c.FPDFPage_CountObjects, pdfium_c.FPDFPage_GetObject, page.raw, None)]
    while stack:
        count, get, parent, placed = stack.pop()
        for i in range(count(parent)):
            obj = get(parent, i)
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
                images += 1
            elif kind == pdfium_c.FPDF_PAGEOBJ_FORM:
                pdfium_c.FPDFPageObj_GetMatrix(obj, matrix)
                own = (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f)
                form = own if placed is None else _compose(own, placed)
                if abs(form[1] * form[0]) > 1e-9 or abs(form[2] * form[3]) > 1e-9:
                    # Skewed or turned by other than a right angle: its lines are no
                    # horizontal and vertical rules; counted, so the page says so.
                    oblique += 1
                    continue
                stack.append((pdfium_c.FPDFFormObj_CountObjects, pdfium_c.FPDFFormObj_GetObject, obj,
                              None if form == _IDENTITY else form))
            elif kind == pdfium_c.FPDF_PAGEOBJ_PATH:
                pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top)
                x0, y0, x1, y1 = left.value, bottom.value, right.value, top.value
                if placed is not None:
                    x0, y0, x1, y1 = _placed_box(placed, x0, y0, x1, y1)
                w, h = x1 - x0, y1 - y0
                if h <= RULE_THICKNESS and w > RULE_THICKNESS:
                    h_rules.append((height - (y0 + y1) / 2, x0, x1))
                elif w <= RULE_THICKNESS and h > RULE_THICKNESS:
                    v_rules.append(((x0 + x1) / 2, height - y1, height - y0))
                elif w > RULE_THICKNESS and h > RULE_THICKNESS and not _not_a_box(obj):
                    # A stroked rectangle around a cell or table: its four sides are rules
                    # (a chart's wedge or a curve has a bounding box too, and no such sides).
                    h_rules += [(height - y1, x0, x1), (height - y0, x0, x1)]
                    v_rules += [(x0, height - y1, height - y0), (x1, height - y1, height - y0)]
    return h_rules, v_rules, images, oblique


def _not_a_box(path) -> bool:
    """Whether the path draws something else than a box: a curve (a Bézier segment) or more
    sides than a rectangle has (a chart's wedge, drawn as a polygon of hundreds of points)."""
    count = pdfium_c.FPDFPath_CountSegments(path)
    return count > 6 or any(pdfium_c.FPDFPathSegment_GetType(pdfium_c.FPDFPath_GetPathSegment(path, i))
                            == pdfium_c.FPDF_SEGMENT_BEZIERTO for i in range(count))


_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _compose(inner: tuple, outer: tuple) -> tuple:
    """The matrix of `inner` applied first, then `outer` (PDF matrices [a b c d e f])."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _placed_box(m: tuple, x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
    """A box through an axis-aligned matrix (scale, shift, quarter turns): still a box."""
    a, b, c, d, e, f = m
    xs = (a * x0 + c * y0 + e, a * x1 + c * y1 + e)
    ys = (b * x0 + d * y0 + f, b * x1 + d * y1 + f)
    return min(xs), min(ys), max(xs), max(ys)


def _char_lines(chars: list[Char]) -> list[list[Char]]:
    """Characters grouped by the line they sit on, each line left to right. A comma or a full
    stop hangs below the digits' centre line, so a character joins the line whose extent
    holds its centre rather than a line of its own centre."""
    lines: list[list[Char]] = []
    line: list[Char] = []
    high = low = 0.0  # the current line's extent, top and bottom
    for char in sorted(chars, key=_BY_CY):
        if line and high - 1.0 <= char.cy <= low + 1.0:
            line.append(char)
            if char.top < high:
                high = char.top
            if char.bottom > low:
                low = char.bottom
        else:
            line = [char]
            lines.append(line)
            high, low = char.top, char.bottom
    for line in lines:
        line.sort(key=_BY_X0)
    return lines


_BY_CY = attrgetter("cy")
_BY_X0 = attrgetter("x0")


def _split_words(line: list[Char]) -> tuple[Word, ...]:
    """The line's words: a gap wider than WORD_GAP of the taller neighbour's height (at least
    one point) starts a new word."""
    words: list[Word] = []
    start = 0
    last = line[0]
    last_size = last.bottom - last.top
    for i in range(1, len(line)):
        char = line[i]
        size = char.bottom - char.top
        if char.x0 - last.x1 > max(last_size, size, 1.0) * WORD_GAP:
            words.append(_word(line, start, i))
            start = i
        last, last_size = char, size
    words.append(_word(line, start, len(line)))
    return tuple(words)


def _word(line: list[Char], start: int, end: int) -> Word:
    # The line is sorted left to right.
    run = line[start:end]
    first = run[0]
    if end - start == 1:
        return Word(first.text, first.x0, first.top, first.x1, first.bottom, first.index)
    return Word("".join([c.text for c in run]), first.x0, min([c.top for c in run]), run[-1].x1,
                max([c.bottom for c in run]), first.index)


def _lines(page_number: int, chars: list[Char]) -> list[TextLine]:
    return [TextLine(page_number, n, _split_words(line), tuple(line))
            for n, line in enumerate(_char_lines(chars), 1)]


def _cluster(values: list[float], tolerance: float = 1.5) -> list[float]:
    out: list[float] = []
    for value in sorted(values):
        if out and value - out[-1] <= tolerance:
            continue
        out.append(value)
    return out


Block = list[tuple[float, float, list[float]]]


def _blocks(page: PdfPage) -> list[Block]:
    """Runs of adjacent bands between horizontal rules that vertical rules cross, top to bottom."""
    if not page.h_rules or not page.v_rules:
        return []
    ys = _cluster([y for y, _, _ in page.h_rules])
    blocks: list[Block] = [[]]
    for top, bottom in zip(ys, ys[1:]):
        middle = (top + bottom) / 2
        edges = _cluster([x for x, t, b in page.v_rules if t - 1 <= middle <= b + 1])
        if len(edges) < 2:
            blocks.append([])
            continue
        blocks[-1].append((top, bottom, edges))
    return [block for block in blocks if block]


def _grid(page: PdfPage, block: Block) -> Grid:
    """The cells of one ruled block: rows are the bands between horizontal rules; in each band the
    columns are bounded by the vertical rules that cross it, so a merged header cell is one
    cell. Every character whose centre lies in a cell belongs to it; a cell with none is
    blank, which is how a blank amount differs from a zero here."""
    grid = Grid(page.number, top=block[0][0], bottom=block[-1][1])
    # Each character falls in one band (by its centre's height) and one column of that band
    # (by its centre's x among the band's edges): one pass, not one scan per cell.
    bands = [top for top, _, _ in block]
    placed: list[list[list[Char]]] = [[[] for _ in range(len(edges) - 1)] for _, _, edges in block]
    # A character falls in the band of its text line's centre, not its own: a comma or a full
    # stop hangs below the digits' centre line, and where a rule runs close under the digits
    # it would fall into the next band ('3,258.06' read as '32806' over ',5.', 2018 江苏 高院).
    line_cy = {}
    for line in page.lines:
        middle = sorted(c.cy for c in line.chars)[len(line.chars) // 2]  # the median: punctuation aside
        for c in line.chars:
            line_cy[c.index] = middle
    for c in page.chars:
        cy = line_cy.get(c.index, c.cy)
        band = bisect_right(bands, cy) - 1
        if band < 0 or cy >= block[band][1]:
            continue
        edges = block[band][2]
        column = bisect_right(edges, c.cx) - 1
        if 0 <= column < len(edges) - 1:
            placed[band][column].append(c)
    for (top, bottom, edges), columns in zip(block, placed):
        cells = []
        for column, inside in enumerate(columns):
            cells.append(Cell(len(grid.rows), column, edges[column], top, edges[column + 1], bottom,
                              _cell_text(inside), min([c.index for c in inside]) if inside else None))
        grid.rows.append(cells)
    return grid


def _cell_text(inside: list[Char]) -> str:
    """A cell's text: its lines top to bottom, each left to right, joined by a space."""
    if not inside:
        return ""
    if len(inside) == 1:
        return inside[0].text
    return " ".join(["".join([c.text for c in line]) for line in _char_lines(inside)])


def outside_grid_lines(page: PdfPage) -> list[TextLine]:
    """The page's text lines that stand outside its ruled table (titles, 编制部门, notes)."""
    grid = page.grid
    if grid is None:
        return page.lines
    return [line for line in page.lines if not grid.top - 1 <= line.words[0].cy <= grid.bottom + 1]
