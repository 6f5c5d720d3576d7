"""Parse one Shanghai budget PDF (部门预算 / 单位预算, 区级 or 市级) into raw records.

Recognised by the template's cover, not by one sample's: `上海市普陀区2025年区级部门预算`,
`上海市普陀区<unit>2024年单位预算`, `上海市2025年市级单位预算` (the level word may be missing, the
cover line may be broken in two, any year from 2015), with `预算主管部门：…` (a 部门预算, all the
department's units) or `预算单位：…` (a 单位预算, one unit) naming the holder; a cover that
names the unit in its title line needs no holder line. A 单位预算's cover may also name the
unit's department (`主管部门：…` / `预算主管部门：…`), kept with the 部门预算's unit list
(ingest/shanghai/units.py). The department is named by the
document itself; nothing about it has to be in a seed."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, timezone
from typing import NamedTuple

from ingest.core.errors import IngestError
from ingest.core.pdf import PdfDocument, TextLine
from ingest.core.records import DocumentRecord, ParseFinding, ProseFigure, TableCell
from ingest.core.version import parser_version
from ingest.parsed import ParsedDocument
from ingest.shanghai.checks import check_identities
from ingest.shanghai.prose import read_prose
from ingest.core.ruled_tables import table_findings
from ingest.shanghai.tables import TEMPLATE as TABLES, read_tables
from ingest.shanghai.units import cover_department, read_unit_list

TEMPLATE = "shanghai-district-budget"
_COVER = re.compile(r"^(?P<head>上海市\S*?)(?P<year>20\d{2})年度?(?P<level>区级|市级|县级)?(?P<scope>部门|单位)预算$")
# The district is the name's part up to its 区 / 县 (上海市普陀区); a 市级 document has none.
_REGION = re.compile(r"^上海市(?:\S{1,8}?[区县](?=\S))?")
_HOLDER = re.compile(r"^预算(?:主管部门|单位)[:：](?P<name>\S+)$")
# A 单位预算's cover names its unit (预算单位：…) and may name the department the unit answers
# to as well (主管部门：… or 预算主管部门：…).
_UNIT = re.compile(r"^预算单位[:：](?P<name>\S+)$")
_SUPERVISOR = re.compile(r"^(?:预算)?主管部门[:：](?P<name>\S+)$")
_SCOPES = {"部门": "department", "单位": "unit"}
FIRST_YEAR = 2015


def recognise(source: object) -> bool:
    return isinstance(source, PdfDocument) and _cover(source) is not None


class Cover(NamedTuple):
    region: str
    year: int
    scope: str  # 部门 / 单位
    holder: str
    # A 单位预算 cover's 主管部门 line (the name and the line it is printed on), when the
    # cover names the unit apart from it; None otherwise.
    department: str | None = None
    department_line: TextLine | None = None


def _cover(pdf: PdfDocument) -> Cover | None:
    """What the cover says, or None when it is no budget's."""
    page_lines = pdf.pages[0].lines
    lines = [line.joined for line in page_lines]
    # A long title breaks over two lines (上海市普陀区 ⏎ 2025年区级部门预算): each line and each
    # pair of neighbours is tried.
    candidates = lines + [a + b for a, b in zip(lines, lines[1:])]
    cover = next((m for text in candidates if (m := _COVER.match(text)) and int(m.group("year")) >= FIRST_YEAR),
                 None)
    if cover is None:
        return None
    holder = next((m.group("name") for text in lines if (m := _HOLDER.match(text))), None)
    head = cover.group("head")
    region = "上海市" if cover.group("level") == "市级" else _REGION.match(head + "X").group(0)
    department = department_line = None
    if cover.group("scope") == "单位":
        # A 单位预算 is the unit's: its 预算单位 line, else the unit its title names; a 主管部门
        # line beside either names the unit's department. A cover printing only 预算主管部门
        # names its holder by it, as before.
        unit = next((m.group("name") for text in lines if (m := _UNIT.match(text))), None)
        unit = unit or (head if head != region else None)
        supervisor = next(((m.group("name"), line) for line in page_lines
                           if (m := _SUPERVISOR.match(line.joined))), None)
        if unit is not None and supervisor is not None and supervisor[0] != unit:
            department, department_line = supervisor
        holder = unit or holder
    if holder is None and head != region:
        holder = head  # 上海市普陀区<unit>2024年单位预算: the unit named in the title
    if holder is None:
        return None
    if cover.group("level") != "市级" and region == "上海市":
        region = _REGION.match(holder).group(0) if holder.startswith("上海市") else region
    return Cover(region, int(cover.group("year")), cover.group("scope"), holder, department, department_line)


def parse(pdf: PdfDocument, source_path: str | None = None) -> ParsedDocument:
    cover = _cover(pdf)
    region, year, scope, name = cover.region, cover.year, cover.scope, cover.holder
    document_id = pdf.document_id
    record = DocumentRecord(
        document_id=document_id, file_name=pdf.file_name, source_path=source_path or str(pdf.path),
        sha256=pdf.sha256, byte_size=pdf.byte_size, text_encoding="pdf", line_count=sum(
            len(p.lines) for p in pdf.pages), region=region, department_name=name,
        department_code=None, fiscal_year=year, document_kind=scope + "预算",
        amount_unit="元", template=TEMPLATE, parser_version=parser_version(),
        ingested_at=datetime.now(timezone.utc).replace(tzinfo=None), page_count=len(pdf.pages),
        document_scope=_SCOPES[scope])
    parsed = ParsedDocument(record)
    if cover.department is not None:
        parsed.records.append(cover_department(cover.department_line, cover.department, name, document_id))

    tables = read_tables(pdf, document_id)
    for table in tables:
        parsed.records += table.cells
        parsed.quarantined |= table.quarantined
    parsed.findings += table_findings(tables, TABLES, document_id)

    table_pages = {cell.page_number for t in tables for cell in t.cells} | {t.first_page for t in tables}
    explanation = _pages_after(pdf, "编制说明", table_pages)
    other = _pages_after(pdf, "其他相关情况说明", table_pages)
    if not tables or not any(c.amount is not None for t in tables for c in t.cells):
        raise IngestError(f"{pdf.file_name}:page 1", None, f"a table of the {TEMPLATE} template that can be read",
                          f"none of {len(tables)} tables found prints a readable amount")
    if not explanation:
        # A budget without its 编制说明: the tables are published, the part is named.
        parsed.findings.append(ParseFinding(
            document_id, "编制说明", None, "missing_part", "warn", "编制说明", None, None,
            f"{pdf.file_name} prints no page headed …预算编制说明: its prose figures are not read",
            page_number=1))
    if scope == "部门":
        parsed.records += read_unit_list(pdf, document_id, _pages_after(pdf, "机构设置", table_pages))
    figures = read_prose(pdf, document_id, explanation, "编制说明") + read_prose(pdf, document_id, other,
                                                                              "其他相关情况说明")
    # 七、项目经费情况说明: one part per project, headed by the project's name.
    for page in pdf.pages:
        heading = page.lines[0].joined if page.lines else ""
        if heading.endswith("经费情况说明") and page.number not in table_pages and page.grid is None:
            figures += read_prose(pdf, document_id, [page.number], heading.removesuffix("项目经费情况说明")
                                  .removesuffix("经费情况说明") or heading)
    parsed.records += _match_line_items(figures, [c for t in tables for c in t.cells], parsed.findings)
    parsed.findings += check_identities(tables, [f for f in parsed.records if isinstance(f, ProseFigure)],
                                        document_id)
    return parsed


def _pages_after(pdf: PdfDocument, heading: str, table_pages: set[int]) -> list[int]:
    """The pages of a prose part: from the page headed `heading` up to the next table page or
    the next part's heading. The heading usually starts its page; under a running head it is
    the first short line of an unruled page that ends with it."""
    start = next((p.number for p in pdf.pages if p.lines and p.lines[0].joined.endswith(heading)
                  and p.number not in table_pages), None)
    if start is None:
        start = next((p.number for p in pdf.pages if p.grid is None and p.number not in table_pages
                      and any(len(line.joined) <= 30 and line.joined.endswith(heading) for line in p.lines[:3])),
                     None)
    if start is None:
        return []
    pages = [start]
    for page in pdf.pages[start:]:
        if page.number in table_pages or not page.lines or page.grid is not None:
            break
        first = page.lines[0].joined
        if first.endswith(("说明", "主要职能", "机构设置", "名词解释")) and not re.match(r"^\d", first):
            break
        pages.append(page.number)
    return pages


def _match_line_items(figures: list[ProseFigure], cells: list[TableCell],
                      findings: list[ParseFinding]) -> list[ProseFigure]:
    """A line item names its 类-款-项 (or prints the code): it is the 一般公共预算 table's 项 row
    with those names, and its 万元 figure must be that row's 合计 in 元 to the prose's rounding."""
    rows = {c.subject_code: c for c in cells
            if c.table_id == "general_public_budget_expenditure" and c.column_key == "total" and c.subject_code}
    names = {code: row.row_label for code, row in rows.items()}
    out = []
    for figure in figures:
        if figure.figure_key != "line_item":
            out.append(figure)
            continue
        candidates = [code for code in rows if len(code) == 7 and (
            code == figure.printed_code if figure.printed_code else
            names[code] == figure.subject_name and names.get(code[:5]) == figure.section_name
            and names.get(code[:3]) == figure.class_name)]
        if len(candidates) != 1:
            findings.append(ParseFinding(figure.document_id, figure.table_id, None, "unmatched_line_item", "warn",
                                         figure.label, None, figure.value,
                                         f"line item {figure.item_number} {figure.label} matches {len(candidates)} "
                                         "rows of the 一般公共预算支出 table", page_number=figure.page_number))
            out.append(figure)
            continue
        code = candidates[0]
        out.append(replace(figure, matched_subject_code=code))
    return out
