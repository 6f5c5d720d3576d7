"""Parse one Jiangsu provincial department budget PDF (江苏省…部门预算公开) into raw records.

Recognised by the template, never by the file name: a cover that names a 江苏省 department
and its 部门预算 (`2017年度江苏省高级人民法院部门预算公开`, `江苏省人大常委会办公厅` ⏎
`2017年度部门预算`), or, for a department-year published as two PDFs, the tables PDF that has
no cover: its tables labelled 公开表一 / 公开01表 with a `部门：江苏省…` line. Such a file
names its department on that line and its year in a title (2019年政府采购预算表).

A department-year published as two PDFs (the tables, the explanation) is two documents of
one department and year here, each figure's provenance naming its own file: the tables PDF
is the 部门预算, the explanation PDF its 部门预算说明 (the warehouse holds one document per
department, year and kind); each half carries a finding saying the other half is a separate
file."""

from __future__ import annotations

import re
from datetime import datetime, timezone

from ingest.core.errors import IngestError
from ingest.core.identities import Identities, cells_by_table
from ingest.core.pdf import PdfDocument
from ingest.core.records import DocumentRecord, ParseFinding, ProseFigure, TableCell
from ingest.core.version import parser_version
from ingest.jiangsu.prose import explanation_lines, read_prose
from ingest.jiangsu.tables import SUBJECT_TABLES, document_lines, read_tables, table_findings, total
from ingest.parsed import ParsedDocument

TEMPLATE = "jiangsu-provincial-budget"
_COVER = re.compile(r"^(?:(?P<year1>\d{4})年度?)?(?P<name>江苏省\S+?)(?:(?P<year2>\d{4})年度?)?(?:部门)?预算(?:公开)?$")
_HOLDER = re.compile(r"^部门(?:名称)?[:：](?P<name>江苏省\S+?)(?:单位[:：].*)?$")
_TABLE_LABEL = re.compile(r"^公开(?:\d{1,2}|表[一二三四五六七八九十]+)表?$")
_YEAR = re.compile(r"(\d{4})年")

IDENTITIES = Identities(
    rows={
        "expenditure_summary": (("total", ("basic", "project", "unit_reserve", "carry_forward")),),
        "three_public": (("total", ("outbound_travel", "vehicle_subtotal", "official_reception")),
                         ("vehicle_subtotal", ("vehicle_purchase", "vehicle_operation")),
                         ("grand_total", ("total", "meeting", "training"))),
    },
    hierarchies=tuple(sorted(SUBJECT_TABLES)),
)


def _cover(pdf: PdfDocument) -> tuple[str, int] | None:
    lines = [line.joined for line in pdf.pages[0].lines[:4]]
    for count in (1, 2, 3):
        match = _COVER.match("".join(lines[:count]))
        if match and (match.group("year1") or match.group("year2")):
            return match.group("name"), int(match.group("year1") or match.group("year2"))
    return None


def _tables_only(pdf: PdfDocument) -> tuple[str, int | None] | None:
    """A tables PDF without a cover: 公开表一 … and 部门：江苏省… on its first page."""
    lines = [line.joined for line in pdf.pages[0].lines]
    if not any(_TABLE_LABEL.match(text) for text in lines):
        return None
    name = next((m.group("name") for text in lines if (m := _HOLDER.match(text))), None)
    if name is None:
        return None
    year = next((int(m.group(1)) for page in pdf.pages for line in page.lines
                 if line.joined.endswith("表") and (m := _YEAR.search(line.joined))), None)
    return name, year


def recognise(source: object) -> bool:
    return isinstance(source, PdfDocument) and (_cover(source) is not None or _tables_only(source) is not None)


def parse(pdf: PdfDocument, source_path: str | None = None) -> ParsedDocument:
    document_id = pdf.document_id
    cover = _cover(pdf)
    tables_only = cover is None
    name, year = cover if cover else _tables_only(pdf)
    if year is None:
        raise IngestError(f"{pdf.file_name}:page 1", None, "the budget year in a table title (YYYY年…表)", "none")
    # The explanation published alone is the same department-year as its tables PDF; the
    # warehouse holds one document per department, year and kind, so it is kept as the
    # disclosure's 说明 (its own kind) rather than a second 部门预算 the loader would refuse.
    tables, findings = read_tables(pdf, document_id, document_lines(pdf))
    explanation_only = not tables and bool(explanation_lines(pdf))
    record = DocumentRecord(
        document_id=document_id, file_name=pdf.file_name, source_path=source_path or str(pdf.path),
        sha256=pdf.sha256, byte_size=pdf.byte_size, text_encoding="pdf",
        line_count=sum(len(p.lines) for p in pdf.pages), region="江苏省", department_name=name,
        department_code=None, fiscal_year=year, document_kind="部门预算说明" if explanation_only else "部门预算",
        amount_unit="万元", template=TEMPLATE,
        parser_version=parser_version(), ingested_at=datetime.now(timezone.utc).replace(tzinfo=None),
        page_count=len(pdf.pages), document_scope="department")
    parsed = ParsedDocument(record)

    cells = [cell for table in tables for cell in table.cells]
    parsed.records += cells
    parsed.findings += findings
    figures = read_prose(pdf, document_id)
    parsed.records += figures
    has_explanation = bool(explanation_lines(pdf))
    if not tables and has_explanation:
        parsed.findings.append(ParseFinding(
            document_id, "document", None, "tables_in_other_file", "info", name, None, None,
            f"{pdf.file_name} is the explanation of {name}'s {year} budget alone; its tables are published as "
            "a separate PDF (the other half of this department-year)", page_number=1))
    else:
        parsed.findings += table_findings(tables, document_id)
    if tables_only and not has_explanation:
        parsed.findings.append(ParseFinding(
            document_id, "document", None, "explanation_in_other_file", "info", name, None, None,
            f"{pdf.file_name} holds {name}'s {year} budget tables alone (no cover, no 第三部分 预算情况说明); "
            "the explanation is published as a separate PDF", page_number=1))
    elif not has_explanation:
        parsed.findings.append(ParseFinding(
            document_id, "document", None, "missing_explanation", "warn", name, None, None,
            f"{pdf.file_name}: no 第三部分 …预算情况说明 (the explanation) was found", page_number=1))
    parsed.findings += IDENTITIES.check(cells_by_table(tables), document_id)
    parsed.findings += _prose_against_tables(cells, figures, document_id)
    return parsed


def _prose_against_tables(cells: list[TableCell], figures: list[ProseFigure], document_id: str
                          ) -> list[ParseFinding]:
    """The explanation's figures against the tables' (both 万元; the prose may print fewer
    decimals: 304.4 for 304.40, so the tolerance is half the prose's last printed place)."""
    from decimal import Decimal
    targets = {
        "income_total": total(cells, "financial_summary", "amount", "收入合计", "income"),
        "expenditure_total": total(cells, "financial_summary", "amount", "支出合计", "expenditure"),
        "general_public_budget_expenditure": total(cells, "general_public_budget_expenditure", "total"),
        "basic_expenditure": total(cells, "expenditure_summary", "basic"),
        "project_expenditure": total(cells, "expenditure_summary", "project"),
        "unit_reserve": total(cells, "expenditure_summary", "unit_reserve"),
        "government_operation": total(cells, "government_operation", "total"),
        "procurement_total": total(cells, "procurement", "total"),
    }
    for key in ("outbound_travel", "vehicle_subtotal", "vehicle_purchase", "vehicle_operation",
                "official_reception", "meeting", "training"):
        targets[key] = total(cells, "three_public", key)
    findings = []
    for figure in figures:
        table_value = targets.get(figure.figure_key)
        if table_value is None:
            continue
        places = max(0, -figure.value.as_tuple().exponent)
        tolerance = Decimal("0.5") / (10 ** places)
        if abs(table_value - figure.value) > tolerance:
            findings.append(ParseFinding(
                document_id, figure.table_id, None, "prose_differs_from_table", "warn", figure.label[:60],
                table_value, figure.value,
                f"prose {figure.figure_key} prints {figure.value} 万元 (page {figure.page_number}); "
                f"the tables print {table_value} 万元", page_number=figure.page_number))
    return findings
