"""Parse one Shanghai district budget PDF (区级部门预算 / 区级单位预算) into raw records.

Recognised by its cover: `上海市普陀区2025年区级部门预算` and `预算主管部门：…` (a 部门预算, all
the department's units) or `预算单位：…` (a 单位预算, one unit). The department is named by
the document itself; nothing about it has to be in a seed."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, timezone

from ingest.core.errors import IngestError
from ingest.core.pdf import PdfDocument
from ingest.core.records import DocumentRecord, ParseFinding, ProseFigure, TableCell
from ingest.core.version import parser_version
from ingest.parsed import ParsedDocument
from ingest.shanghai.checks import check_identities
from ingest.shanghai.prose import read_prose
from ingest.core.ruled_tables import table_findings
from ingest.shanghai.tables import TEMPLATE as TABLES, read_tables

TEMPLATE = "shanghai-district-budget"
_COVER = re.compile(r"^(?P<region>上海市\S{1,8}?[区县])(?P<year>\d{4})年区级(?P<scope>部门|单位)预算$")
_HOLDER = re.compile(r"^预算(?:主管部门|单位)[:：](?P<name>\S+)$")
_SCOPES = {"部门": "department", "单位": "unit"}


def recognise(source: object) -> bool:
    return isinstance(source, PdfDocument) and _cover(source) is not None


def _cover(pdf: PdfDocument) -> tuple[re.Match, str] | None:
    lines = [line.joined for line in pdf.pages[0].lines]
    cover = next((m for text in lines if (m := _COVER.match(text))), None)
    holder = next((m.group("name") for text in lines if (m := _HOLDER.match(text))), None)
    return (cover, holder) if cover and holder else None


def parse(pdf: PdfDocument, source_path: str | None = None) -> ParsedDocument:
    cover, name = _cover(pdf)
    document_id = pdf.document_id
    record = DocumentRecord(
        document_id=document_id, file_name=pdf.file_name, source_path=source_path or str(pdf.path),
        sha256=pdf.sha256, byte_size=pdf.byte_size, text_encoding="pdf", line_count=sum(
            len(p.lines) for p in pdf.pages), region=cover.group("region"), department_name=name,
        department_code=None, fiscal_year=int(cover.group("year")), document_kind=cover.group("scope") + "预算",
        amount_unit="元", template=TEMPLATE, parser_version=parser_version(),
        ingested_at=datetime.now(timezone.utc).replace(tzinfo=None), page_count=len(pdf.pages),
        document_scope=_SCOPES[cover.group("scope")])
    parsed = ParsedDocument(record)

    tables = read_tables(pdf, document_id)
    for table in tables:
        parsed.records += table.cells
    parsed.findings += table_findings(tables, TABLES, document_id)

    table_pages = {cell.page_number for t in tables for cell in t.cells} | {t.first_page for t in tables}
    explanation = _pages_after(pdf, "编制说明", table_pages)
    other = _pages_after(pdf, "其他相关情况说明", table_pages)
    if not explanation:
        raise IngestError(f"{pdf.file_name}:page 1", None, f"a page headed …预算编制说明 in a {TEMPLATE} document",
                          "none")
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
    """The pages of a prose part: from the page whose first line ends with `heading` up to
    the next table page or the next part's heading."""
    start = next((p.number for p in pdf.pages if p.lines and p.lines[0].joined.endswith(heading)
                  and p.number not in table_pages), None)
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
