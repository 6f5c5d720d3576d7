"""Parse one Xiamen-template document into raw records: the order of reading matters only
where one part constrains another (prose and 附件10 fix figures that place 附件2/3/7)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone

from ingest.core.document import SourceDocument
from ingest.core.records import BudgetExpenditure, DocumentRecord, LineItem, ParseFinding
from ingest.core.version import parser_version
from ingest.parsed import ParsedDocument
from ingest.xiamen.layout import APPENDIX_LAYOUT, is_xiamen_budget, read_layout
from ingest.xiamen.performance import PerformanceReader
from ingest.xiamen.prose import ProseReader
from ingest.xiamen.tables import AppendixReader


def recognise(source: object) -> bool:
    return isinstance(source, SourceDocument) and is_xiamen_budget(source)


def parse_document(source: SourceDocument, source_path: str | None = None) -> ParsedDocument:
    layout = read_layout(source)
    document_id = source.document_id
    record = DocumentRecord(
        document_id=document_id, file_name=source.file_name, source_path=source_path or str(source.path),
        sha256=source.sha256, byte_size=source.byte_size, text_encoding=source.text_encoding,
        line_count=len(source.lines), region=layout.region, department_name=layout.department_name,
        department_code=layout.department_code, fiscal_year=layout.fiscal_year,
        document_kind=layout.document_kind, amount_unit="万元", template=layout.template,
        parser_version=parser_version(), ingested_at=datetime.now(timezone.utc).replace(tzinfo=None))
    parsed = ParsedDocument(record)
    for note in source.normalisations:
        parsed.findings.append(ParseFinding(document_id, "document", None, "normalised", "info", None,
                                            None, None, note))

    prose = ProseReader(source, layout, document_id)
    figures = prose.headline_figures()
    line_items = prose.line_items()
    parsed.records += figures + prose.budget_units()
    performance = PerformanceReader(source, layout, document_id).read()
    parsed.records += performance.records
    parsed.findings += performance.findings

    if layout.template == APPENDIX_LAYOUT:
        first_statement = {}
        for figure in figures:
            first_statement.setdefault(figure.figure_key, (figure.source_line, figure.value))
        tables = AppendixReader(source, layout, document_id).read(first_statement, performance.structure)
        parsed.records += tables.records
        parsed.findings += tables.findings
        line_items = _match_line_items(line_items, tables.records, parsed.findings, document_id)
    parsed.records += line_items
    parsed.findings += prose.findings
    return parsed


def _match_line_items(items: list[LineItem], records: list, findings: list[ParseFinding],
                      document_id: str) -> list[LineItem]:
    """The prose of the appendix layout names each 项 but prints no code: the code is that of
    the 附件5 项 row with the same name, and the prose amount must equal that row's 合计."""
    general = [r for r in records if isinstance(r, BudgetExpenditure) and r.fund_source == "general_public_budget"
               and r.subject_code and len(r.subject_code) == 7]
    sections = {r.subject_code: r.subject_name for r in records
                if isinstance(r, BudgetExpenditure) and r.subject_code and len(r.subject_code) == 5}
    matched = []
    for item in items:
        candidates = [r for r in general if r.subject_name == item.subject_name]
        if len(candidates) > 1:
            candidates = [r for r in candidates if sections.get(r.subject_code[:5]) == item.section_name]
        if len(candidates) != 1:
            findings.append(ParseFinding(document_id, "prose:二", item.source_line, "unmatched_line_item", "warn",
                                         item.subject_name, None, item.amount,
                                         f"line item {item.item_label} {item.subject_name} matches "
                                         f"{len(candidates)} 附件5 rows by name"))
            matched.append(item)
            continue
        row = candidates[0]
        if row.total != item.amount:
            findings.append(ParseFinding(document_id, "prose:二", item.source_line, "prose_differs_from_table",
                                         "warn", row.subject_code, row.total, item.amount,
                                         f"line item {item.item_label} prints {item.amount}; 附件5 "
                                         f"{row.subject_code} prints {row.total}"))
        matched.append(replace(item, matched_subject_code=row.subject_code))
    return matched

