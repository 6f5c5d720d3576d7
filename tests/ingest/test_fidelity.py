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
