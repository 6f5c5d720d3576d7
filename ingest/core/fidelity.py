"""The fidelity report: is every amount printed in the document captured, and is every
captured figure printed? It is the project's own measure of completeness."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from ingest.core.amounts import PROSE_AMOUNT, parse_amount
from ingest.core.document import SourceDocument
from ingest.core.records import FIGURE_FIELDS, ParseFinding, PerformanceProject

_ANY_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")


@dataclass
class FidelityReport:
    file_name: str
    amount_tokens: int = 0
    captured_tokens: int = 0
    figures: int = 0
    missed: list[tuple[int, Decimal, str]] = field(default_factory=list)
    invented: list[tuple[int, Decimal, str]] = field(default_factory=list)

    @property
    def captured_share(self) -> float:
        return 1.0 if not self.amount_tokens else self.captured_tokens / self.amount_tokens

    def summary(self) -> str:
        return (f"{self.file_name}: {self.captured_tokens}/{self.amount_tokens} amount tokens captured "
                f"({self.captured_share:.1%}), {len(self.invented)} figures without a token")


def captured_figures(records: list) -> list[tuple[int, Decimal]]:
    figures = []
    for record in records:
        fields = FIGURE_FIELDS.get(type(record), ())
        for name in fields:
            value = getattr(record, name)
            if value is None:
                continue
            line = record.source_line
            if isinstance(record, PerformanceProject) and name == "fiscal_amount" and record.fiscal_amount_line:
                line = record.fiscal_amount_line
            figures.append((line, abs(Decimal(value))))
    return figures


def fidelity_report(source: SourceDocument, records: list) -> FidelityReport:
    report = FidelityReport(source.file_name)
    captured = Counter(captured_figures(records))
    report.figures = sum(captured.values())
    remaining = Counter(captured)
    for number, line in enumerate(source.lines, 1):
        for match in PROSE_AMOUNT.finditer(line):
            value = parse_amount(match.group())
            report.amount_tokens += 1
            if remaining[(number, value)] > 0:
                remaining[(number, value)] -= 1
                report.captured_tokens += 1
            else:
                report.missed.append((number, value, line.strip()))
    # A figure not matched to an amount token may still be printed as a plain number on its
    # line (an integer target such as '90 %'); only a figure with no such number is invented.
    for (number, value), count in remaining.items():
        if count <= 0:
            continue
        line = source.line(number)
        printed = Counter(parse_amount(m.group()) for m in _ANY_NUMBER.finditer(line))
        amount_tokens = Counter(parse_amount(m.group()) for m in PROSE_AMOUNT.finditer(line))
        available = printed[value] - amount_tokens[value]
        if count > max(available, 0):
            report.invented.append((number, value, line.strip()))
    return report


def fidelity_findings(document_id: str, report: FidelityReport) -> list[ParseFinding]:
    """Gaps of the fidelity report as findings, so the warehouse shows them next to the data."""
    findings = [ParseFinding(document_id, "document", line, "figure_not_captured", "warn", None, value, None,
                             f"amount {value} printed on line {line} is in no raw table: {text!r}")
                for line, value, text in report.missed]
    findings += [ParseFinding(document_id, "document", line, "figure_without_token", "error", None, None, value,
                              f"captured figure {value} is not printed on line {line}: {text!r}")
                 for line, value, text in report.invented]
    return findings
