"""The fidelity report must read 100% captured and 0 invented for every committed document."""

import pytest

from ingest.core.document import read_document
from ingest.core.fidelity import fidelity_report
from ingest.xiamen.parse import parse_document
from tests.conftest import DOC_2020, DOC_2024


@pytest.mark.parametrize("path", [DOC_2020, DOC_2024], ids=["2020", "2024"])
def test_every_amount_token_captured_and_none_invented(path):
    source = read_document(path)
    report = fidelity_report(source, parse_document(source).records)
    assert report.missed == []
    assert report.invented == []
    assert report.amount_tokens > 100


def test_report_counts_a_dropped_figure_as_missed(parsed_2024):
    source = read_document(DOC_2024)
    records = [r for r in parsed_2024.records if getattr(r, "source_line", None) != 1096]
    report = fidelity_report(source, records)
    assert {(line, str(value)) for line, value, _ in report.missed} >= {(1096, "33946.00"), (1096, "952.00")}


def test_fidelity_gaps_become_findings(parsed_2024):
    from ingest.core.fidelity import fidelity_findings

    source = read_document(DOC_2024)
    records = [r for r in parsed_2024.records if getattr(r, "source_line", None) != 1096]
    findings = fidelity_findings("d", fidelity_report(source, records))
    assert {(f.finding_kind, f.source_line, str(f.expected)) for f in findings} >= {
        ("figure_not_captured", 1096, "33946.00")}


@pytest.mark.parametrize("line, amounts", [
    ("单位价值100万以上专用设备0台", []),
    # The threshold wrapped between 以 and 上 is still a label (a longer department name moves
    # the wrap of the 2024 sentence on line 761 there).
    ("各预算单位共有车辆4辆，单位价值100万以", []),
    ("单位价值100万以\r", []),
    ("项目资金240万，其中", ["240"]),
    ("合计4000万元", ["4000"]),
])
def test_a_threshold_label_is_not_an_amount_even_when_wrapped(line, amounts):
    from ingest.core.amounts import PROSE_AMOUNT
    assert [m.group() for m in PROSE_AMOUNT.finditer(line)] == amounts
