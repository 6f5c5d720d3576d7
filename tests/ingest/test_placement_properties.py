"""Property tests: mutate real rows of 附件3/5/6 the way text extraction mangles tables and
check that the parser either places every cell as in the unmutated document or fails with
a line number — never a wrong placement."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.core.errors import IngestError
from ingest.core.records import BasicExpenditureEconomic, BudgetExpenditure, SubjectExpenditure
from ingest.xiamen.parse import parse_document
from ingest.core.document import SourceDocument
from tests.conftest import DOC_2024

LINES = tuple(DOC_2024.read_text(encoding="utf-8").split("\n"))
# The bodies of 附件3, 附件5 and 附件6 (1-based line ranges, 合计 rows included).
BODIES = {"附件3": (1068, 1173), "附件5": (1259, 1352), "附件6": (1362, 1445)}
ROW = re.compile(r"^\s*(?P<code>\d{3,7})\s+(?P<name>\S+)\s+(?P<figures>[\d,.\s]+)$")
ROW_LINES = [n for table, (start, end) in BODIES.items() for n in range(start, end + 1)
             if ROW.match(LINES[n - 1])]
TABLE_RECORDS = (SubjectExpenditure, BudgetExpenditure, BasicExpenditureEconomic)


def cells(records) -> dict:
    placed = {}
    for record in records:
        if isinstance(record, TABLE_RECORDS):
            code = getattr(record, "subject_code", None) or getattr(record, "economic_code", None)
            values = {k: v for k, v in record.__dict__.items()
                      if k not in ("document_id", "table_id", "row_order", "source_line", "raw_text", "figure_at")}
            placed[(record.table_id, code)] = values
    return placed


ORIGINAL = cells(parse_document(SourceDocument(DOC_2024, DOC_2024.name, "0" * 64, 0, "utf-8", LINES)).records)


def mutate(lines: list[str], line: int, kind: str, data) -> list[str]:
    match = ROW.match(lines[line - 1])
    code, name, figures = match["code"], match["name"], match["figures"].split()
    leading = lines[line - 1][: len(lines[line - 1]) - len(lines[line - 1].lstrip())]
    if kind == "strip_separators":
        lines[line - 1] = f"{leading}{code} {name} {' '.join(f.replace(',', '') for f in figures)}"
    elif kind == "wrap_name" and len(name) > 1:
        k = data.draw(st.integers(1, len(name) - 1))
        lines[line - 1: line] = [f"{leading}{code}", name[:k], "", name[k:], " ".join(figures)]
    elif kind == "page_number":
        lines[line - 1: line - 1] = [str(data.draw(st.integers(1, 999))), ""]
    elif kind == "drop_figure":
        i = data.draw(st.integers(0, len(figures) - 1))
        lines[line - 1] = f"{leading}{code} {name} {' '.join(figures[:i] + figures[i + 1:])}"
    return lines


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_mutated_rows_are_placed_as_printed_or_fail_with_a_line(data):
    lines = list(LINES)
    kinds = data.draw(st.lists(st.sampled_from(["strip_separators", "wrap_name", "page_number", "drop_figure"]),
                               min_size=1, max_size=3))
    # Mutate from the bottom up so earlier line numbers stay valid.
    targets = sorted(data.draw(st.lists(st.sampled_from(ROW_LINES), min_size=len(kinds), max_size=len(kinds),
                                        unique=True)), reverse=True)
    for line, kind in zip(targets, kinds):
        lines = mutate(lines, line, kind, data)
    dropped = "drop_figure" in kinds
    source = SourceDocument(DOC_2024, "mutated.txt", "0" * 64, 0, "utf-8", tuple(lines))
    try:
        parsed = parse_document(source)
    except IngestError as error:
        assert error.line is not None and error.file_name == "mutated.txt"
        assert dropped, f"only a dropped figure may make the document unplaceable: {error}"
        return
    assert not dropped, "a row that lost a figure was placed anyway"
    assert cells(parsed.records) == ORIGINAL
