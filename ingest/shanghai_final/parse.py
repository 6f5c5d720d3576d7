"""Parse one Shanghai final account PDF (部门决算) into raw records.

The template is the one 上海市 gives its departments (市级 and 区级 alike: the blank template
names '上海市XX局'), so this family is `shanghai_final`, a sibling of the budget family
`shanghai`; both read tables, identities and prose with ingest/core (ruled_tables,
identities, pdf_prose) and declare only their own template. Recognised by its cover: the
department's or unit's name (上海市普陀区财政局) over 'YYYY年度部门决算' (or 单位决算, with or without
区级 / 市级, the name on the same line or on its own), any year from 2015. The region is the part
of that name before the department (上海市普陀区; 上海市 for a 市级 department): the cover prints no
other place.

The blank template itself (cover '上海市XX局' and no amount in any table) is recognised by
that placeholder and set aside (BlankTemplate: listed with the kind blank_template, not
loaded, not a failure of the build): it is no department's document, and loading it would put
a department called 上海市XX局 into the warehouse. A real account that lacks a part (the
第三部分 情况说明) is published incomplete with a `missing_part` finding; a placeholder cover
over printed amounts names no department and is rejected."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, timezone

from ingest.core.errors import BlankTemplate, IngestError
from ingest.core.pdf import PdfDocument
from ingest.core.records import DocumentRecord, ParseFinding, ProseFigure, TableCell
from ingest.core.version import parser_version
from ingest.parsed import ParsedDocument
from ingest.shanghai_final.checks import check_final
from ingest.shanghai_final.prose import read_final_prose
from ingest.core.ruled_tables import table_findings
from ingest.shanghai_final.tables import TEMPLATE as TABLES, cut_short, read_tables

TEMPLATE = "shanghai-final-account"
_YEAR = re.compile(r"^(?P<name>上海市\S*?)?(?P<year>20\d{2})年度?(?:区级|市级)?(?P<scope>部门|单位)决算$")
_DEPARTMENT = re.compile(r"^(?:(?:部门|单位)(?:名称)?[:：])?(?P<name>上海市\S+)$")
FIRST_YEAR = 2015
_SCOPES = {"部门": "department", "单位": "unit"}
_REGION = re.compile(r"^上海市(?:\S{1,8}?[区县](?=\S))?")
_PLACEHOLDER = re.compile(r"X{2,}|×{2,}")


def recognise(source: object) -> bool:
    return isinstance(source, PdfDocument) and _cover(source) is not None


def _cover(pdf: PdfDocument) -> tuple[str, int, str] | None:
    """(name, year, 部门 / 单位) from the cover, or None when it is no final account's."""
    lines = [line.joined for line in pdf.pages[0].lines]
    cover = next((m for text in lines if (m := _YEAR.match(text))), None)
    if cover is None or int(cover.group("year")) < FIRST_YEAR:
        return None
    name = cover.group("name") or next(
        (m.group("name") for text in lines if (m := _DEPARTMENT.match(text)) and not _YEAR.match(text)), None)
    return (name, int(cover.group("year")), cover.group("scope")) if name else None


def parse(pdf: PdfDocument, source_path: str | None = None) -> ParsedDocument:
    name, year, scope = _cover(pdf)
    document_id = pdf.document_id
    tables = read_tables(pdf, document_id)
    if _PLACEHOLDER.search(name):
        printed = sum(1 for t in tables for c in t.cells if c.amount is not None)
        if printed == 0:
            raise BlankTemplate(f"{pdf.file_name}:page 1", None,
                                "a department's final account (the cover names the department)",
                                f"{name}: the blank 部门决算 template's placeholder, not a department's document")
        raise IngestError(f"{pdf.file_name}:page 1", None,
                          "a department's final account (the cover names the department)",
                          f"{name}: a placeholder name over {printed} printed amounts")
    record = DocumentRecord(
        document_id=document_id, file_name=pdf.file_name, source_path=source_path or str(pdf.path),
        sha256=pdf.sha256, byte_size=pdf.byte_size, text_encoding="pdf",
        line_count=sum(len(p.lines) for p in pdf.pages), region=_REGION.match(name).group(0),
        department_name=name, department_code=None, fiscal_year=year, document_kind=scope + "决算",
        amount_unit="万元", template=TEMPLATE, parser_version=parser_version(),
        ingested_at=datetime.now(timezone.utc).replace(tzinfo=None), page_count=len(pdf.pages),
        document_scope=_SCOPES[scope])
    parsed = ParsedDocument(record)

    for table in tables:
        parsed.records += table.cells
        parsed.quarantined |= table.quarantined
        if table.empty_declaration:
            parsed.findings.append(ParseFinding(
                document_id, table.table_id, None, "empty_table", "info", table.title, None, None,
                table.empty_declaration, page_number=table.first_page))
    parsed.findings += table_findings(tables, TABLES, document_id)
    reported = {f.table_id for f in parsed.findings if f.finding_kind == "table_cut_short"}
    parsed.findings += [f for f in cut_short(pdf, tables, document_id) if f.table_id not in reported]
    if not any(c.amount is not None for t in tables for c in t.cells) and not any(
            t.empty_declaration for t in tables):
        raise IngestError(f"{pdf.file_name}:page 1", None, f"a table of the {TEMPLATE} template that can be read",
                          f"none of {len(tables)} tables found prints a readable amount")

    pages = _explanation_pages(pdf, max((t.first_page for t in tables), default=0))
    if not pages:
        # A real account without its prose part: the tables are published, the part is named.
        parsed.findings.append(ParseFinding(
            document_id, "final_explanation", None, "missing_part", "warn", "第三部分", None, None,
            f"{pdf.file_name} prints no part headed 第三部分 …决算情况说明: its prose figures are not read",
            page_number=1))
        parsed.findings += check_final(tables, [], document_id)
        return parsed
    figures = _match_items(read_final_prose(pdf, document_id, pages), [c for t in tables for c in t.cells],
                           parsed.findings)
    parsed.records += figures
    parsed.findings += check_final(tables, figures, document_id)
    return parsed


def _explanation_pages(pdf: PdfDocument, after: int) -> list[int]:
    """第三部分 …决算情况说明 up to 第四部分 (名词解释). The part follows the tables (第二部分), so
    it is looked for after the last table's first page, which leaves the contents pages aside;
    its heading may stand on any line of its page (under a running head), and so may the
    next part's."""
    start = next((p.number for p in pdf.pages[after:] if p.grid is None and p.lines
                  and any(_PART_THREE.match(line.joined) for line in p.lines)), None)
    if start is None:
        return []
    pages = []
    for page in pdf.pages[start - 1:]:
        if page.number > start and any(line.joined.startswith("第四部分") for line in page.lines[:1]):
            break
        pages.append(page.number)
        if page.number > start and any(line.joined.startswith("第四部分") for line in page.lines[1:]):
            break
    return pages


_PART_THREE = re.compile(r"^第三部分\S*(?:决算)?情况")


def _match_items(figures: list[ProseFigure], cells: list[TableCell],
                 findings: list[ParseFinding]) -> list[ProseFigure]:
    """A numbered item names its 类-款-项: the 一般公共预算财政拨款支出决算表's 项 row with those
    names; a structure sentence's 类 the table's 类 row of that name."""
    rows = {c.subject_code: c.row_label for c in cells
            if c.table_id == "final_general_public_budget_expenditure" and c.column_key == "total"
            and c.subject_code}
    out = []
    for figure in figures:
        if figure.figure_key in ("initial_budget", "outturn") and figure.item_number is not None:
            candidates = [code for code, label in rows.items() if len(code) == 7 and label == figure.subject_name
                          and rows.get(code[:5]) == figure.section_name and rows.get(code[:3]) == figure.class_name]
        elif figure.figure_key == "class_outturn":
            candidates = [code for code, label in rows.items() if len(code) == 3 and label == figure.class_name]
        else:
            out.append(figure)
            continue
        if len(candidates) != 1:
            findings.append(ParseFinding(figure.document_id, figure.table_id, None, "unmatched_line_item", "warn",
                                         figure.label[:60], None, figure.value,
                                         f"{figure.figure_key} {figure.item_number or ''} {figure.label} matches "
                                         f"{len(candidates)} rows of the 一般公共预算财政拨款支出决算表",
                                         page_number=figure.page_number))
            out.append(figure)
            continue
        out.append(replace(figure, matched_subject_code=candidates[0]))
    return out
