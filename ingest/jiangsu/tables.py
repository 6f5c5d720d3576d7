"""The twelve tables of a Jiangsu provincial department budget (公开01表 … 公开12表), read by line.

Why not by ruled cell (ingest/core/ruled_tables.py): the Jiangsu PDFs print two to four tables
on one page, one after another, and their rules do not bound the cells the way the Shanghai
PDFs' do: a page frame crosses every band, a cell's digits fall into two bands (2018 高院:
'32806' over ',5.'), a table's first rows on a run-on page stand outside any rule. What every
document keeps is the text: a table starts at its title line (收支预算总表, 公开表五 …) with a
单位：万元 line right under it, and each printed row is one text line holding its amounts.

So a table is the run of lines from its title to the next title (over pages, while the pages
are table pages); its amount columns are the x-extents its amounts occupy (amounts of one
column overlap, of two columns never), each named by the header words printed above it; an
amount's label is the text of its row left of it and right of the previous amount column,
with the lines of a wrapped name (a cell of two lines sets its code and amount between them:
'机关事业单位基本养老保险缴费支' ⏎ '2080505 1,384.70' ⏎ '出') joined in reading order. A code
printed as one 7-digit word is the national code (2040501), its level by its length
(3 类, 5 款, 7 项; the economic classification 301 / 30101 the same way)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from ingest.core.amounts import AMOUNT_CELL, parse_amount
from ingest.core.pdf import PdfDocument, TextLine
from ingest.core.records import ParseFinding, TableCell
from ingest.core.ruled_tables import TableRead

# Title fragment -> table id; the first fragment found in a title decides, so a title that
# contains another table's words comes first (政府性基金预算财政拨款支出预算表 holds
# 财政拨款支出预算表; 一般公共预算机关运行经费支出预算表 holds 一般公共预算). The ids are the
# Shanghai budget's where the table means the same; the others are Jiangsu's own tables.
TABLE_KINDS: tuple[tuple[str, str], ...] = (
    ("三公", "three_public"),
    ("机关运行经费", "government_operation"),
    ("政府性基金", "government_fund_expenditure"),
    ("政府采购", "procurement"),
    ("财政拨款收支预算总表", "fiscal_summary"),
    ("收支预算总表", "financial_summary"),
    ("收入预算总表", "income_summary"),
    ("支出预算总表", "expenditure_summary"),
    ("财政拨款基本支出", "fiscal_basic_expenditure_economic"),
    ("一般公共预算基本支出", "basic_expenditure_economic"),
    ("财政拨款支出预算表", "fiscal_expenditure"),
    ("一般公共预算支出预算表", "general_public_budget_expenditure"),
)
REQUIRED_TABLES = tuple(kind for _, kind in TABLE_KINDS)
TWO_SIDED = frozenset({"financial_summary", "fiscal_summary"})
SUBJECT_TABLES = frozenset({"fiscal_expenditure", "general_public_budget_expenditure", "government_fund_expenditure",
                            "fiscal_basic_expenditure_economic", "basic_expenditure_economic",
                            "government_operation"})
# A table whose body is one row of amounts with neither code nor name: its 合计 row.
ONE_ROW = frozenset({"expenditure_summary", "three_public"})

_TITLE_END = re.compile(r"表(?:[（(][^）)]*[）)])?$")
# 单位：万元, also cut after 万 with 元 on the next line (2019 高院 三公). Every Jiangsu table is in
# 万元; a table stating 元 is read in 元 as printed (and the staging's test on the unit says so).
_UNIT = re.compile(r"单位[:：](万元?|元)")
_TABLE_LABEL = re.compile(r"^公开(?:\d{1,2}|表[一二三四五六七八九十]+)表?$")
_CODE = re.compile(r"^\d{3}(?:\d{2}){0,2}$")
_NUMERIC = re.compile(r"^[\d,.]+$")
_LEVELS = {3: "类", 5: "款", 7: "项"}
_PART_END = ("第三部分", "第四部分")


@dataclass
class Word:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    first_index: int

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def is_amount(self) -> bool:
        # A code (2040501) or a page number is no amount; an amount has decimals or a
        # separator, or is the bare 0 an empty table prints in its 合计 row.
        return bool(AMOUNT_CELL.match(self.text)) and ("." in self.text or "," in self.text or self.text == "0")


@dataclass
class Line:
    page: int
    words: list[Word]

    @property
    def cy(self) -> float:
        return sum((w.top + w.bottom) / 2 for w in self.words) / len(self.words)

    @property
    def joined(self) -> str:
        return "".join(w.text for w in self.words)

    @property
    def amounts(self) -> list[Word]:
        return [w for w in self.words if w.is_amount]


@dataclass
class JiangsuTable(TableRead):
    header: list[Line] = field(default_factory=list)
    body: list[Line] = field(default_factory=list)


def line_words(line: TextLine) -> list[Word]:
    """The line's words with a number the PDF sets with gaps inside ('37, 188.34', '8. 18')
    joined into one: a part ending in ',' or '.' or starting with one continues the number."""
    words: list[Word] = []
    for w in _split_glued(line):
        word = Word(w.text, w.x0, w.top, w.x1, w.bottom, w.first_index)
        last = words[-1] if words else None
        if (last is not None and _NUMERIC.match(last.text) and _NUMERIC.match(word.text)
                and (last.text.endswith((",", ".")) or word.text.startswith((",", ".")))
                and word.x0 - last.x1 < 12):
            words[-1] = Word(last.text + word.text, last.x0, min(last.top, word.top), word.x1,
                             max(last.bottom, word.bottom), last.first_index)
        else:
            words.append(word)
    return words


_GLUED = re.compile(r"^(-?[\d,]*\d\.\d{2})(\D.*)$")


def _split_glued(line: TextLine) -> list:
    """The line's words, an amount set hard against the next cell's text ('18,330.37一' in the
    2019 人大 tables PDF: 一、基本支出 starts right after the amount) split off it at its own
    characters."""
    out = []
    for w in line.words:
        match = _GLUED.match(w.text)
        if not match:
            out.append(w)
            continue
        chars = [c for c in line.chars if w.x0 <= c.cx <= w.x1]
        if len(chars) != len(w.text):
            out.append(w)  # not the word's characters one for one: left as printed
            continue
        n = len(match.group(1))
        head, tail = chars[:n], chars[n:]
        out.append(Word(match.group(1), head[0].x0, min(c.top for c in head), head[-1].x1,
                        max(c.bottom for c in head), head[0].index))
        out.append(Word(match.group(2), tail[0].x0, min(c.top for c in tail), tail[-1].x1,
                        max(c.bottom for c in tail), tail[0].index))
    return out


def table_kind(text: str) -> str | None:
    text = text.replace(" ", "")
    if not _TITLE_END.search(text):
        return None
    return next((kind for fragment, kind in TABLE_KINDS if fragment in text), None)


def _titles(lines: list[Line]) -> list[tuple[int, str, str]]:
    """(index of the title line, title, table id) of each table: a title line with a
    单位：万元 line among the next few lines (a contents page lists the titles without one)."""
    out = []
    for i, line in enumerate(lines):
        text = line.joined
        if i + 1 < len(lines) and lines[i + 1].joined == "表" and lines[i + 1].page == line.page:
            text += "表"  # 财政拨款政府性基金支出预算 ⏎ 表
        kind = table_kind(text)
        if kind is None:
            continue
        # The unit line may stand on the next page (2017 人大: 机关运行经费 title at a page's foot).
        near = "".join(candidate.joined for candidate in lines[i + 1:i + 5])
        if _UNIT.search(near) or _UNIT.search(text):
            out.append((i, text, kind))
    return out


def document_lines(pdf: PdfDocument) -> list[Line]:
    return [Line(page.number, line_words(line)) for page in pdf.pages for line in page.lines]


def read_tables(pdf: PdfDocument, document_id: str, lines: list[Line] | None = None
                ) -> tuple[list[JiangsuTable], list[ParseFinding]]:
    lines = document_lines(pdf) if lines is None else lines
    table_pages = {page.number for page in pdf.pages if page.grids}
    titles = _titles(lines)
    tables: list[JiangsuTable] = []
    findings: list[ParseFinding] = []
    for n, (start, title, kind) in enumerate(titles):
        end = titles[n + 1][0] if n + 1 < len(titles) else len(lines)
        page = lines[start].page
        stated = _UNIT.search(title)
        table = JiangsuTable(kind, title, "元" if stated and stated.group(1) == "元" else "万元", page)
        unit_seen = bool(stated)
        noted = False
        for line in lines[start + 1:end]:
            if line.page != page and line.page not in table_pages:
                break  # the tables end where the prose starts again
            text = line.joined
            if text.startswith(_PART_END):
                break
            if not unit_seen:
                stated = _UNIT.search(text)
                if stated:
                    unit_seen = True
                    table.unit = "元" if stated.group(1) == "元" else "万元"
                continue
            if noted:
                continue  # a note's run-on lines; a note closes its table
            if text.startswith("注"):
                noted = True
                if re.search("无相关|空表|没有", text):
                    table.empty_declaration = text
                continue
            if _TABLE_LABEL.match(text) or text == "表" or re.fullmatch(r"[1-9]\d{0,2}", text) or text == "元":
                continue  # 公开表五, a title's last character, a page number, a unit's last character
            if text.startswith(("部门：", "部门:", "部门名称")):
                continue
            table.body.append(line)
        tables.append(table)
    printed: dict[str, JiangsuTable] = {}
    for table in tables:
        earlier = printed.get(table.table_id)
        if earlier is not None:
            # 2017 人大 prints its 财政拨款基本支出预算表 twice (pages 11 and 12): both are kept,
            # the second's rows numbered on from the first's, so a row stays one row.
            table.row_count = earlier.row_count
            findings.append(ParseFinding(
                document_id, table.table_id, None, "table_printed_twice", "info", table.title, None, None,
                f"{table.title} is printed again on page {table.first_page} (first on page {earlier.first_page}); "
                "both printings are read", page_number=table.first_page))
        findings += _read_body(table, document_id)
        printed[table.table_id] = table
    return tables, findings


def _split_header(table: JiangsuTable) -> tuple[list[Line], list[Line]]:
    lines = table.body
    first = next((i for i, line in enumerate(lines) if _is_data(table.table_id, line)), len(lines))
    return lines[:first], lines[first:]


def _is_data(table_id: str, line: Line) -> bool:
    first = line.words[0].text
    if table_id in SUBJECT_TABLES:
        return bool(_CODE.match(first)) or line.joined.replace(" ", "").startswith("合计")
    if table_id in TWO_SIDED:
        return bool(line.amounts) or first[0] in "一二三四五六七八九十1234567890"
    if table_id in ONE_ROW:
        return bool(line.amounts)
    return bool(line.amounts) or line.joined.startswith(("合计", "收入总计"))


def _columns(body: list[Line]) -> list[tuple[float, float]]:
    """The amount columns: x-extents of the body's amounts, merged where they overlap."""
    spans = sorted((w.x0, w.x1) for line in body for w in line.amounts)
    columns: list[list[float]] = []
    for x0, x1 in spans:
        if columns and x0 <= columns[-1][1]:
            columns[-1][1] = max(columns[-1][1], x1)
        else:
            columns.append([x0, x1])
    return [(a, b) for a, b in columns]


def _header_labels(header: list[Line], columns: list[tuple[float, float]], nearest: bool = True
                   ) -> list[list[str]]:
    """The header words printed above each column, top to bottom: a word over several columns
    (a merged header) names each; a word over none (金额 set left of right-aligned amounts)
    names the nearest column within a few characters' width (2017 人大: 43 points left of them)."""
    labels: list[list[str]] = [[] for _ in columns]
    for line in header:
        for w in line.words:
            over = [k for k, (x0, x1) in enumerate(columns) if min(w.x1, x1) - max(w.x0, x0) > 0]
            if not over and columns and nearest:
                k = min(range(len(columns)), key=lambda k: abs((columns[k][0] + columns[k][1]) / 2 - w.cx))
                gap = max(columns[k][0] - w.x1, w.x0 - columns[k][1])
                over = [k] if gap < 60 else []
            for k in over:
                labels[k].append(w.text)
    return labels


def column_key(table_id: str, parts: list[str]) -> str | None:
    label = "".join(parts).replace(" ", "")
    if table_id == "three_public":
        # Two header lines set close together interleave their characters (2019 高院:
        # '公务置用费车购' for 公务用车购置费, '公行务维用护车费运' for 公务用车运行维护费), and one
        # word may run over two columns (2019 人大: '公务用车运行公务接待费'), so one telling
        # character decides, the group header (公务用车购置及运行维护费) aside.
        own = "".join(p for p in parts if "及" not in p)
        if "会议" in label:
            return "meeting"
        if "培训" in label:
            return "training"
        if "维" in own:
            return "vehicle_operation"
        if "购" in own:
            return "vehicle_purchase"
        if "接待" in own or "待费" in own:
            return "official_reception"
        if "出国" in own or "境" in own:
            return "outbound_travel"
        if "小计" in label:
            return "vehicle_subtotal" if "公务用车购置及运行" in label else "total"
        if "合计" in label:
            return "grand_total"
        return None
    if table_id == "expenditure_summary":
        for fragment, key in (("机动", "unit_reserve"), ("结转", "carry_forward"), ("基本", "basic"),
                              ("项目", "project"), ("合计", "total")):
            if fragment in label:
                return key
        return None
    if table_id in TWO_SIDED or table_id == "income_summary":
        return "amount" if "额" in label else None
    if table_id == "procurement":
        return "total" if "总计" in label or "金额" in label else None
    # The subject tables print one amount column: 金额, 基本支出 or 机关运行经费支出, the row's total.
    # 金额 may be set as 金 额 with a wide gap, only 额 standing over the amounts.
    if "额" in label or "基本支出" in label or "机关运行经费" in label:
        return "total"
    return None


def _read_body(table: JiangsuTable, document_id: str) -> list[ParseFinding]:
    header, body = _split_header(table)
    table.header = header
    findings: list[ParseFinding] = []
    columns = _columns(body)
    if table.table_id in SUBJECT_TABLES and columns:
        # One amount column, whatever the x its rows are set at (2018 人大 sets the 合计 and 302
        # rows of its 机关运行经费 table a column further right than the 30201 … rows).
        columns = [(min(x0 for x0, _ in columns), max(x1 for _, x1 in columns))]
    # The 三公 table's header words stand over their columns; one that does not is a
    # group's, and the nearest column need not be its own.
    labels = _header_labels(header, columns, nearest=table.table_id != "three_public")
    keys = [column_key(table.table_id, parts) for parts in labels]
    if table.table_id == "three_public" and keys.count("total") == 2:
        # The 三公 table prints two 小计 columns, the 三公 one first; when the 公务用车 group's
        # header does not reach over its own 小计 (2017 人大), the second is the 公务用车 one.
        keys[len(keys) - 1 - keys[::-1].index("total")] = "vehicle_subtotal"
    if table.table_id == "financial_summary" and len(keys) == 3 and keys[2] == "amount":
        # The expenditure side prints two label-and-amount pairs: by function (功能分类, the
        # Shanghai table's one) and, right of it, by purpose (支出用途: 基本支出, 项目支出,
        # 单位预留机动经费); the 支出用途 header does not always stand over its own column.
        keys[2] = "purpose_amount"
    for (x0, x1), parts, key in zip(columns, labels, keys):
        if key is None:
            findings.append(ParseFinding(
                document_id, table.table_id, None, "unknown_column", "warn", "".join(parts) or None, None, None,
                f"{table.title} (page {table.first_page}): the amounts at x {x0:.0f}-{x1:.0f} stand under the "
                f"header {''.join(parts)!r}, which names no column of the template; not read",
                page_number=table.first_page))
    data = [i for i, line in enumerate(body) if _is_data(table.table_id, line)]
    groups: dict[int, list[Line]] = {i: [] for i in data}
    for i, line in enumerate(body):
        if i in groups or not data:
            continue
        # A line of text alone is part of a wrapped cell: it joins the nearest printed row on
        # its page (a cell of two lines sets its code and amounts between them).
        near = [j for j in range(len(body)) if j != i and body[j].page == line.page]
        if not near:
            continue
        j = min(near, key=lambda k: abs(body[k].cy - line.cy))
        if j in groups and abs(body[j].cy - line.cy) < 16:
            groups[j].append(line)
    side_cells = _label_cells(body, columns) if table.table_id in TWO_SIDED else []
    for n, i in enumerate(data):
        row = body[i]
        # A one-row table is one row, whatever line each of its amounts stands on (2017 人大
        # sets the 三公 公务用车购置费 0 a line below the others).
        if table.table_id not in ONE_ROW or n == 0:
            table.row_count += 1
        parts = sorted(groups[i] + [row], key=lambda line: line.cy)
        words = [w for line in parts for w in line.words]
        code_word = row.words[0] if _CODE.match(row.words[0].text) and table.table_id in SUBJECT_TABLES else None
        for amount in row.amounts:
            index = next((k for k, (x0, x1) in enumerate(columns) if x0 <= amount.cx <= x1), None)
            if index is None or keys[index] is None:
                continue
            left = columns[index - 1][1] if index > 0 else -1.0
            label_words = [w for w in words if not w.is_amount and w is not code_word
                           and left <= w.cx < columns[index][0]]
            if not label_words:
                # The 小计 / 合计 rows of a 收支总表 merge a side's label cells into one, set
                # across the column before: the label is the text since the row's last amount.
                previous = max((a.x1 for a in row.amounts if a.x1 <= amount.x0), default=-1.0)
                label_words = [w for w in words if not w.is_amount and w is not code_word
                               and previous <= w.cx < amount.x0]
            label = "".join(w.text for w in label_words).replace(" ", "")
            if table.table_id in TWO_SIDED:
                label = _two_sided_label(side_cells, index, row.page, amount) or label
            side = None
            if table.table_id in TWO_SIDED:
                # The income side is printed left: its one amount column is the first.
                side = "income" if index == 0 else "expenditure"
                if not label:
                    findings.append(_unreadable(table, document_id, row, amount, "a label beside the amount"))
                    continue
            if table.table_id in ONE_ROW or (not label and table.table_id in SUBJECT_TABLES and code_word is None):
                label = label or "合计"
            if not label and code_word is None:
                findings.append(_unreadable(table, document_id, row, amount, "a row label"))
                continue
            key = keys[index]
            if key == "purpose_amount" and re.search("合计|小计|总计|结转", label):
                # A side's 小计 / 合计 / 结转 row is set under either label column, by year:
                # it is the side's total, not an item by purpose.
                key = "amount"
            code = code_word.text if code_word is not None else None
            table.cells.append(TableCell(
                document_id=document_id, table_id=table.table_id, row_order=table.row_count, page_number=row.page,
                x0=round(amount.x0, 2), top=round(amount.top, 2), x1=round(amount.x1, 2),
                bottom=round(amount.bottom, 2), char_index=amount.first_index, raw_text=amount.text,
                table_title=table.title, side=side, row_label=label or (code or ""), subject_code=code,
                subject_level=_LEVELS.get(len(code)) if code else None, column_key=key,
                column_label="".join(labels[index]).replace(" ", ""), amount=parse_amount(amount.text),
                amount_unit=table.unit))
    return findings


# A label of a 收支总表 starts with its number (一、 / 1. / 十八、) or is a total or carry-over
# line; any other text in a label column continues the label above it, also over a page break
# (2017 人大: 八、社会保障和就 at the foot of page 7, 业支出 at the head of page 8).
_LABEL_START = re.compile(r"^(?:[一二三四五六七八九十]+、|\d+[.．、]|当年|上年|结转|本年|(?:收入|支出)(?:合计|总计|小计))")


@dataclass
class _LabelCell:
    text: str
    page: int
    top: float
    bottom: float


def _label_cells(body: list[Line], columns: list[tuple[float, float]]) -> list[list[_LabelCell]]:
    """The label cells of each amount column of a 收支总表, its wrapped lines joined: the column's
    labels are the text between the previous amount column's left edge and its own (a 小计 /
    合计 row's label runs over the previous column's amounts)."""
    cells: list[list[_LabelCell]] = [[] for _ in columns]
    for line in body:
        for k, (x0, _) in enumerate(columns):
            left = columns[k - 1][0] if k > 0 else -1.0
            words = [w for w in line.words if not w.is_amount and left <= w.cx < x0]
            if not words:
                continue
            text = "".join(w.text for w in words).replace(" ", "")
            top, bottom = min(w.top for w in words), max(w.bottom for w in words)
            if cells[k] and not _LABEL_START.match(text):
                cell = cells[k][-1]
                cell.text += text
                if cell.page == line.page:
                    cell.bottom = bottom
                continue
            cells[k].append(_LabelCell(text, line.page, top, bottom))
    return cells


def _two_sided_label(cells: list[list[_LabelCell]], index: int, page: int, amount: Word) -> str | None:
    """The label cell beside an amount: on its page, the cell whose lines span the amount's
    line (a cell of two lines sets its amount between them), else the nearest within a line."""
    cy = (amount.top + amount.bottom) / 2
    candidates = [c for c in cells[index] if c.page == page]
    if not candidates:
        return None
    best = min(candidates, key=lambda c: 0 if c.top - 2 <= cy <= c.bottom + 2 else min(
        abs(cy - c.top), abs(cy - c.bottom)))
    inside = best.top - 2 <= cy <= best.bottom + 2
    return best.text if inside or min(abs(cy - best.top), abs(cy - best.bottom)) < 10 else None


def _unreadable(table: JiangsuTable, document_id: str, row: Line, amount: Word, what: str) -> ParseFinding:
    return ParseFinding(document_id, table.table_id, None, "cell_unreadable", "warn", row.joined[:60], None,
                        parse_amount(amount.text),
                        f"{table.title} page {row.page}: the amount {amount.text} has no {what}; not read",
                        page_number=row.page)


def table_findings(tables: list[JiangsuTable], document_id: str) -> list[ParseFinding]:
    """A table of the template the document does not print, a subject table that ends on a
    parent row, and a table that reads no row (cut short or unreadable) without declaring
    itself empty."""
    found = {table.table_id for table in tables}
    findings = [ParseFinding(document_id, kind, None, "missing_table", "warn", kind, None, None,
                             f"the template's table {kind} is not printed")
                for kind in REQUIRED_TABLES if kind not in found]
    for table in tables:
        if table.cells and table.table_id in SUBJECT_TABLES:
            # A subject table prints every parent's children right after it, so it cannot end
            # on a parent row: one that does (a 类 or 款 of the functional classification, a 类
            # of the economic one) stopped before its last rows, a page of it missing.
            last = max(table.cells, key=lambda cell: cell.row_order)
            deepest = 5 if "economic" in table.table_id or table.table_id == "government_operation" else 7
            if last.subject_code and len(last.subject_code) < deepest:
                findings.append(ParseFinding(
                    document_id, table.table_id, None, "table_cut_short", "warn", table.title, None, None,
                    f"{table.title} (from page {table.first_page}) ends with the row {last.subject_code} "
                    f"{last.row_label!r} on page {last.page_number}, a parent without its rows: a page of it "
                    "is missing or unreadable", page_number=last.page_number))
        if table.cells or table.empty_declaration:
            continue
        zero_total = any(line.joined.replace(" ", "").startswith("合计") for line in table.body)
        if zero_total:
            continue  # 合计 with no amount: the table is printed empty (政府性基金: none)
        findings.append(ParseFinding(
            document_id, table.table_id, None, "table_cut_short", "warn", table.title, None, None,
            f"{table.title} (from page {table.first_page}) reads no row: a page of it is missing or unreadable",
            page_number=table.first_page))
    return findings


def total(cells: list[TableCell], table_id: str, column: str, label: str = "合计", side: str | None = None
          ) -> Decimal | None:
    cell = next((c for c in cells if c.table_id == table_id and c.column_key == column and c.side == side
                 and c.row_label.startswith(label)), None)
    return cell.amount if cell else None
