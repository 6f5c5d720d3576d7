"""Fidelity of a PDF document, witnessed from the page's character stream apart from the
table reader: every amount-shaped run of characters printed on a page must be matched by a
captured record of that page whose value equals the run's and whose box (the cell, or the
prose figure's digits) holds the run's characters. What is left of the page's runs is
figure_not_captured (page, printed text, box); a record whose box holds no run of its value
is figure_not_printed. The comparison and the report are ingest/core/tokens.py's and
ingest/core/fidelity.py's; a location is (page, PDFium index of the run's first character).

The witness reads the characters and the ruling lines only, never `page.grid` nor a cell's
text: a cell cut at a wrong edge, a figure put in another column's record, a second ruled
table on a page, or a table read under another table's title is seen here because the
reader's records have to meet what the page prints, not what the reader made of it.

What is amount-shaped (digits, thousands separators, decimals, a leading minus) and what
the template prints that is not an amount is decided by rules of the template, in
`_classify`; every other run on every page is an amount, integers and zeros included."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from decimal import Decimal
from operator import attrgetter

from ingest.core.amounts import AMOUNT_CELL, parse_amount
from ingest.core.fidelity import FidelityReport
from ingest.core.pdf import PdfDocument, PdfPage, _cluster
from ingest.core.records import FIGURE_FIELDS, PdfProvenance, ProseFigure, TableCell
from ingest.core.tokens import CapturedFigure, FidelityCheck, InventedFigure, PrintedToken

# '单价100万元（含）以上': a threshold in a label, not an amount (as '50万以上' in PROSE_AMOUNT).
THRESHOLD_AFTER = re.compile(r"^万元?[（(]含[)）]以上")
# A gap wider than this share of the font size between two characters of one baseline ends
# a printed number: the budget PDFs set a number's digits without gaps and two numbers
# (two cells, or a cell holding '12.50 3.00') a space or more apart.
RUN_GAP = 0.5
# A box's edges are rounded to 0.01 pt in the records and a glyph's box may pass a ruling
# line by a hair: a run is inside a box within this margin (points).
BOX_MARGIN = 1.0
# Digits with their separators, as one span of a line's characters (split at gaps after).
_SPAN = re.compile(r"-?\d[\d,.]*")
# After a number: a year, month or day (2025年, 8月31日), a percentage (99.79%) or a house
# number (…号) is no amount in any template; nor is a threshold (100万元（含）以上, 50万以上).
_NOT_AMOUNT_AFTER = re.compile(r"^(?:[年月日号]|万元?[（(]含[)）]以[上下]|万元?以(?:上|下|内|$))")
_PERCENT_AFTER = re.compile(r"^[%％]")
# The prose states an amount with its unit (…万元, 0万元): an integer followed by anything
# else is a count (1家机关, 11个, 0辆), a list number or the page number on its own line.
_UNIT_AFTER = re.compile(r"^\s*(?:万|元)")
# A whole number set hard against a name (201一般公共服务支出, 30101基本工资, 2家单位) is the
# code or the count of what it names: a table prints an amount in a cell of its own, and the
# prose prints its unit (万元) after an amount.
_NAME_AFTER = re.compile(r"^[\u4e00-\u9fff（(]")
_NAME_LATER = re.compile(r"[\u4e00-\u9fff]")


def _qualified(number: str, following: str) -> bool:
    """Whether what follows a number across a gap in a table's cell qualifies it: its unit
    (20 万以下), or 年 after a year (2017 年政府采购预算表). An amount and the next cell's words
    ('49.14' | '年末结转和结余') stand apart."""
    following = following.lstrip()
    return following.startswith("万") or (following.startswith("年") and len(number) == 4 and number.isdigit())
_DECIMAL_LATER = re.compile(r"\d\.\d")
# A table's label beside its title (公开05表, 公开表五, 附表3): it names no table's content.
_TABLE_LABEL = re.compile(r"^(?:公开|附)?(?:\d+|表[一二三四五六七八九十]+)表?$|^(?:公开|附)\d+表$")
_SENTENCE = re.compile("[，。；：,;]")


class _Run:
    __slots__ = ("text", "value", "x0", "top", "x1", "bottom", "index", "kind", "after")

    def __init__(self, text, value, chars, kind, after):
        self.text, self.value, self.kind, self.after = text, value, kind, after
        self.x0 = chars[0].x0
        self.x1 = chars[-1].x1
        self.top = min([c.top for c in chars]) if len(chars) > 1 else chars[0].top
        self.bottom = max([c.bottom for c in chars]) if len(chars) > 1 else chars[0].bottom
        self.index = chars[0].index

    @property
    def box(self) -> tuple[float, float, float, float]:
        return (round(self.x0, 2), round(self.top, 2), round(self.x1, 2), round(self.bottom, 2))

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


# Kinds of run: an amount (must be captured), a percentage (may back a figure whose unit is
# %), and what the template prints that is no amount (may back nothing).
AMOUNT, PERCENT, OTHER = "amount", "percent", "other"


def _ruled_bands(page: PdfPage) -> tuple[list[float], list[tuple[float, float] | None]]:
    """The bands between the page's horizontal rules and, for a band that is a row of some
    ruled table (whichever table: the reader keeps the largest block of a page only), its
    leftmost and rightmost column edge; None for any other band. A row of a table has two
    columns or more, so three edges: a box around one phrase (a highlight, the frame of the
    目录 or of a page label) is no table."""
    if not page.h_rules or not page.v_rules:
        return [], []
    ys = _cluster([y for y, _, _ in page.h_rules])
    middles = [(top + bottom) / 2 for top, bottom in zip(ys, ys[1:])]
    crossing: list[list[float]] = [[] for _ in middles]
    for x, top, bottom in page.v_rules:
        for band in range(bisect_left(middles, top - 1), bisect_right(middles, bottom + 1)):
            crossing[band].append(x)
    spans: list[tuple[float, float] | None] = []
    for xs in crossing:
        edges = _cluster(xs) if len(xs) >= 3 else xs
        spans.append((edges[0], edges[-1]) if len(edges) >= 3 else None)
    return ys, spans


def _code_columns(page: PdfPage, ys: list[float], edges: list) -> list[tuple[float, float]]:
    """The (x0, x1) of every column of the page's ruled tables that prints numbers that are no
    amounts, by its head: a word in a cell of its own (科目编码 spans 类 / 款 / 项)."""
    columns = []
    for line in page.lines:
        band = bisect_right(ys, line.chars[0].cy) - 1
        if not (0 <= band < len(edges)) or edges[band] is None:
            continue
        for word in line.words:
            named = word.text.endswith(_CODE_NAMES)
            if word.text in _CODE_HEADS or named:
                middle = (ys[band] + ys[band + 1]) / 2
                xs = _cluster([x for x, top, bottom in page.v_rules if top - 1 <= middle <= bottom + 1])
                cx = (word.x0 + word.x1) / 2
                at = bisect_right(xs, cx)
                # A head naming the code (科目编码) must head its own cell: one that spans far
                # wider than its words is a band no inner rule crosses, not the code column.
                if 0 < at < len(xs) and not (named and xs[at] - xs[at - 1] > 2.5 * (word.x1 - word.x0)):
                    columns.append((xs[at - 1], xs[at]))
    return columns


# 类 / 款 / 项 head a subject code's columns; 序号 heads a column of row numbers (the table of
# the units a department's account covers); a code printed whole (2040501) stands in a column
# headed …科目编码 or …科目代码.
_CODE_HEADS = frozenset(("类", "款", "项", "序号"))
_CODE_NAMES = ("编码", "代码")


def page_runs(page: PdfPage, carried_codes: list[tuple[float, float]] | None = None, next_head: str = ""
              ) -> tuple[list[_Run], list[_Run], list[tuple[float, float]]]:
    """Every run of digits printed on the page (amounts and the rest), every run of other
    characters printed beyond a ruled table's outer column edges (no cell holds them), and
    the page's code columns (a table's page run on without its header keeps the columns of
    the page before, `carried_codes`)."""
    ys, edges = _ruled_bands(page)
    lines = page.lines
    contents = bool(lines) and lines[0].joined == "目录"
    codes = _code_columns(page, ys, edges) if ys else []
    if ys and not codes and carried_codes and not any(_is_title(text) for text in (l.joined for l in lines)):
        # Only a page that runs a table on prints no title: a titled page starts its own.
        codes = carried_codes
    texts = [line.joined for line in lines]
    runs: list[_Run] = []
    strays: list[_Run] = []
    for n, (line, text) in enumerate(zip(lines, texts)):
        chars = line.chars
        band = bisect_right(ys, chars[0].cy) - 1
        span = edges[band] if 0 <= band < len(edges) else None
        if span is not None and not contents:
            # The 目录 is framed, and its leader dots run past the frame: no table there.
            _strays(chars, text, span, strays)
        for match in _SPAN.finditer(text):
            start, end = match.span()
            for piece_start, piece_end in _pieces(chars, start, end):
                if piece_end < len(text):
                    last, following = chars[piece_end - 1], chars[piece_end]
                    # What follows only qualifies the number when it touches it: '49.14' and
                    # the next cell's '年末结转和结余' stand apart.
                    touching = following.x0 - last.x1 <= RUN_GAP * max(last.bottom - last.top, 1.0)
                    # In prose the words after a number qualify it across a gap too ('400 万元').
                    # A unit or a threshold word qualifies a number across a gap in a table too
                    # ('（20 万以下）' in a 政府采购 item's name).
                    after = (text[piece_end:piece_end + 8] if touching or span is None
                             or _qualified(text[piece_start:piece_end], text[piece_end:piece_end + 3]) else " ")
                else:
                    after = ""
                opened = piece_start > 0 and text[piece_start - 1] in "（("
                if span is None and text.strip("-─— ") == text[piece_start:piece_end] and text[piece_start:piece_end].isdigit():
                    # A page number, a line of its own ('24', '- 7 -'): no amount, whatever the
                    # next page begins with.
                    runs.append(_Run(text[piece_start:piece_end], parse_amount(text[piece_start:piece_end]),
                                     chars[piece_start:piece_end], OTHER, after))
                    continue
                if (span is None or opened) and len(after) < 8 and after != " " and (n + 1 < len(texts) or next_head):
                    # Prose runs over lines: '4,614' ⏎ '万元', '100万元' ⏎ '（含）以上'.
                    # A number at the foot of a page reads on into the next page's first line.
                    after += (texts[n + 1] if n + 1 < len(texts) else next_head)[:8]
                if opened and span is not None and text[piece_start:piece_end].isdigit():
                    # A number opened by a bracket in a table's cell qualifies a name ('台式计算机
                    # （20万以下）'): a table prints its amounts in cells of their own, unbracketed.
                    runs.append(_Run(text[piece_start:piece_end], parse_amount(text[piece_start:piece_end]),
                                     chars[piece_start:piece_end], OTHER, after))
                    continue
                run = _classify(text[piece_start:piece_end], chars[piece_start:piece_end], after, span,
                                codes, contents, _NAME_LATER.search(text, piece_end) is not None,
                                piece_start == 0 and _DECIMAL_LATER.search(text, piece_end) is not None)
                if run is not None:
                    runs.append(run)
    return runs, strays, codes


def _pieces(chars, start: int, end: int) -> list[tuple[int, int]]:
    """The span split at the gaps that separate printed numbers. A separator never ends an
    amount, so a gap after ',' or '.' followed by a digit is inside the number: the PDFs set
    '46,' and '140,000.00' (or '88.' and '16万元') apart within one cell or sentence. The font
    size is the span's tallest glyph (a comma's box is short). A glyph's box is its ink, so
    a '1' stands up to a third of its height from its neighbour inside a number while one
    space of a Latin font ('12.50 3.00') leaves about half: where the page's character
    stream holds a space between the two (PDFium's index skips it: printed, or placed by
    PDFium where the glyphs' advance leaves a gap) any gap ends the number."""
    if end - start == 1:
        return [(start, end)]
    span = chars[start:end]
    limit = RUN_GAP * max(max([c.bottom - c.top for c in span]), 1.0)
    cuts = [start + i for i, (a, b) in enumerate(zip(span, span[1:]), 1)
            if (b.x0 - a.x1 > limit or b.x0 > a.x1 and b.index > a.index + 1) and a.text not in ",."]
    if not cuts:
        return [(start, end)]
    bounds = [start, *cuts, end]
    return list(zip(bounds, bounds[1:]))


def _classify(text: str, chars, after: str, span, codes: list[tuple[float, float]], contents: bool,
              named_later: bool = False, first_in_line: bool = False) -> _Run | None:
    """The run as an amount, a percentage or another number, by the rules of the template."""
    core = text.rstrip(",.")
    if core.startswith("-") and len(core) > 1 and not core[1].isdigit():
        return None
    if not core or not AMOUNT_CELL.match(core):
        # '2024.1.1', '1,2': digits, but not printed as one amount; a lone '-' is a dash.
        return _Run(text, None, chars, OTHER, after) if any(ch.isdigit() for ch in core) else None
    value = parse_amount(core)
    used = chars[:len(core)] if core != text else chars
    if core != text:
        after = text[len(core):] + after
    if contents:
        kind = OTHER  # the 目录 page: list numbers (1.), years and page numbers, no amounts
    elif _PERCENT_AFTER.match(after):
        kind = PERCENT
    elif _NOT_AMOUNT_AFTER.match(after):
        kind = OTHER
    elif core.isdigit() and _NAME_AFTER.match(after) and not _UNIT_AFTER.match(after):
        kind = OTHER
    elif after.startswith((".", "．", "、")) and "." not in core:
        # A list number ('1.', '4．', '1、'): an amount never ends with its decimal point, and
        # the template sets an enumeration's 、 after a unit (0万元、), never after a figure.
        kind = OTHER
    elif span is not None and span[0] - BOX_MARGIN <= chars[0].cx <= span[1] + BOX_MARGIN:
        # A subject code (201 | 03 | 01) in a code column is no amount; an integer anywhere
        # else in a table is one (5 in a 万元 cell, 0 in an empty 三公 column).
        cx = (used[0].x0 + used[-1].x1) / 2
        code = core.isdigit() and (any(x0 <= cx <= x1 for x0, x1 in codes)
                                   # A whole code (类 201, 款 20101, 项 2010101; 经济 301, 30101)
                                   # stands left of its name; an amount right of every name. A
                                   # long name wraps onto the lines around its row, leaving the
                                   # code first in a line of amounts: 5 or 7 digits unseparated
                                   # are no amount there (the templates separate thousands), a
                                   # 3-digit integer is (a 万元 cell may print 839).
                                   or len(core) in (3, 5, 7) and named_later
                                   or len(core) in (5, 7) and first_in_line)
        kind = OTHER if code else AMOUNT
    elif span is not None:
        kind = AMOUNT  # beyond a ruled table's outer edges: printed beside the table, in no cell
    elif "," in core or "." in core:
        kind = AMOUNT
    else:
        kind = AMOUNT if _UNIT_AFTER.match(after) else OTHER
    return _Run(core, value, used, kind, after)


def _strays(chars, text: str, span: tuple[float, float], strays: list[_Run]) -> None:
    """Characters of a ruled row left of its first or right of its last column edge: the
    reader's cells hold none of them. Digits among them are runs of their own (amounts
    beyond the table's edge); the other characters are kept here, each end as one run."""
    low, high = span[0] - BOX_MARGIN, span[1] + BOX_MARGIN
    if chars[0].cx < low:
        end = 0
        while end < len(chars) and chars[end].cx < low:
            end += 1
        _stray(chars[:end], text[:end], strays)
    if chars[-1].cx > high:
        start = len(chars)
        while start > 0 and chars[start - 1].cx > high:
            start -= 1
        _stray(chars[start:], text[start:], strays)


def _stray(chars, text: str, strays: list[_Run]) -> None:
    kept = [c for c, ch in zip(chars, text) if not (ch.isdigit() or ch in ",.-")]
    if kept:
        strays.append(_Run("".join(c.text for c in kept), None, kept, OTHER, ""))


def _titles(pdf: PdfDocument) -> list[tuple[int, float, str]]:
    """(page, bottom, text) of every table title printed, in reading order. A title of the
    template is a line of its own ending in 表, no sentence (a line of prose that breaks
    before 表 holds a comma); the 目录 lists titles too, but each table's first page prints
    its own after them."""
    titles = []
    for page in pdf.pages:
        previous = ""
        for line in page.lines:
            text = line.joined
            if text == "表" and previous:
                text = previous + text  # a long title broken before its last character
            if _is_title(text):
                titles.append((page.number, max(c.bottom for c in line.chars), text))
            previous = text
    return titles


# A title ends in 表, or in 表 and what it says of the table in brackets (财政拨款支出预算表（功能
# 科目）); a label set beside it (公开05表) is no title.
_TITLE_END = re.compile(r"表(?:[（(][^（()）]{1,12}[)）])?$")


def _is_title(text: str) -> bool:
    return (bool(_TITLE_END.search(text)) and len(text) <= 60 and not _SENTENCE.search(text)
            and not _TABLE_LABEL.match(text))


def _figures(records: list):
    for record in records:
        if isinstance(record, PdfProvenance):
            for name in FIGURE_FIELDS.get(type(record), ()):
                value = getattr(record, name)
                if value is not None:
                    yield record, name, Decimal(value)


def pdf_fidelity_report(pdf: PdfDocument, records: list,
                        quarantined: set[tuple[int, int]] | frozenset = frozenset()) -> FidelityReport:
    """`quarantined`: (page, first character index) of the cells the reader left unread with a
    finding of its own (unreadable_cell, unknown_table …): their amounts are not required here,
    or each would be reported twice, once as the reader's finding and once as a gap."""
    by_page: dict[int, list] = {}
    for figure in _figures(records):
        by_page.setdefault(figure[0].page_number, []).append(figure)
    titles = _titles(pdf) if any(isinstance(r, TableCell) for r in records) else []
    title_keys = [(page, bottom) for page, bottom, _ in titles]
    check = FidelityCheck()
    missed_text: dict = {}
    codes: list[tuple[float, float]] = []
    heads = [page.lines[0].joined if page.lines else "" for page in pdf.pages[1:]] + [""]
    for page, next_head in zip(pdf.pages, heads):
        runs, strays, codes = page_runs(page, codes, next_head)
        runs.sort(key=_BY_CY)
        cys = [run.cy for run in runs]
        taken: set[int] = set()
        for record, name, value in by_page.get(page.number, ()):
            check.figures += 1
            what = f"{record.table_id} row {record.row_order} {name}"
            want = abs(value)
            percent = isinstance(record, ProseFigure) and record.unit in ("%", "％")
            inside = [run for run in runs[bisect_left(cys, record.top - BOX_MARGIN):
                                          bisect_right(cys, record.bottom + BOX_MARGIN)]
                      if run.x0 >= record.x0 - BOX_MARGIN and run.x1 <= record.x1 + BOX_MARGIN
                      and run.top >= record.top - BOX_MARGIN and run.bottom <= record.bottom + BOX_MARGIN]
            match = next((run for run in inside if run.value == want
                          and run.kind == (PERCENT if percent else AMOUNT)), None)
            reason = ""
            if match is not None and isinstance(record, TableCell) and titles:
                # The table a cell was read into must be the one whose title the page
                # prints last above it (a run-on page prints none and keeps the earlier).
                at = bisect_left(title_keys, (page.number, record.top)) - 1
                printed = titles[at][2] if at >= 0 else None
                if printed != record.table_title:
                    reason = f"read into {record.table_title!r}, printed under {printed!r}"
                    match = None
            location = (page.number, match.index if match is not None else -1)
            figure = CapturedFigure(location, value, page.number, what)
            if match is not None:
                taken.add(match.index)
                check.by_position += 1
                continue
            there = next((run for run in inside if run.value == want), inside[0] if inside else None)
            if there is not None and there.kind == PERCENT and not reason:
                reason = f"a percentage ({there.text}{there.after[:1]}) read as {getattr(record, 'unit', '')}"
            elif there is not None and there.kind == OTHER and there.value == want and not reason:
                reason = f"{there.text!r} is printed there, not as an amount ({there.text}{there.after[:2]})"
            printed_token = None if there is None else PrintedToken(
                (page.number, there.index), there.value, there.kind == AMOUNT, text=there.text, box=there.box)
            check.invented.append(InventedFigure(figure, printed_token, reason))
        for run in runs:
            if run.kind != AMOUNT or (page.number, run.index) in quarantined:
                continue
            check.required += 1
            if run.index not in taken:
                token = PrintedToken((page.number, run.index), run.value, text=run.text, box=run.box)
                check.missed.append(token)
                missed_text[token.location] = run.text
        if page.oblique_forms:
            # A form XObject drawn skewed or turned by an oblique angle: its rules cannot be
            # placed as a table's, so whatever table it draws is not read as one.
            check.required += 1
            token = PrintedToken((page.number, -1), None, text=f"{page.oblique_forms} form XObject(s)",
                                 note="drawn at an oblique angle: their ruling lines are not read")
            check.missed.append(token)
            missed_text[token.location] = token.text
        for stray in strays:
            check.required += 1
            token = PrintedToken((page.number, stray.index), None, text=stray.text, box=stray.box,
                                 note="beyond the ruled table's outer column edge, in no cell")
            check.missed.append(token)
            missed_text[token.location] = stray.text
    pages = {page.number for page in pdf.pages}
    for number in sorted(set(by_page) - pages, key=str):
        for record, name, value in by_page[number]:  # a page the document does not have
            check.figures += 1
            check.invented.append(InventedFigure(CapturedFigure(
                (number, -1), value, number, f"{record.table_id} row {record.row_order} {name}"), None,
                f"the document has no page {number}"))
    check.captured = check.required - len(check.missed)
    report = FidelityReport(pdf.file_name, check.required, check.captured, check.figures, check.by_position,
                            check=check, describe=lambda location: f"page {location[0]}",
                            line_of=lambda location: None, by_page=True)
    report.missed = [(t.location[0], t.value, missed_text[t.location]) for t in check.missed]
    report.invented = [(i.figure.region, abs(i.figure.value), i.figure.what) for i in check.invented]
    return report


_BY_CY = attrgetter("cy")
