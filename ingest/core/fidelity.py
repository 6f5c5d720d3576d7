"""The fidelity report of a text document: is every amount printed in it captured, and is
every captured figure printed at the place it was read from? It is the project's own
measure of completeness. A document that does not meet it is published with one finding per
gap (figure_not_captured, figure_not_printed; marts.dim_document says `not_faithfully_read`)
and fails `--strict`.

The comparison itself is format-independent (ingest/core/tokens.py); this module turns
records into captured figures and a text file into printed tokens (ingest/core/text_tokens.py)."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from decimal import Decimal

from ingest.core.document import SourceDocument
from ingest.core.records import FIGURE_FIELDS, ParseFinding, PerformanceProject
from ingest.core.text_tokens import text_tokens
from ingest.core.tokens import (CapturedFigure, FidelityCheck, FidelityError, check_fidelity, fidelity_error,
                                 printed_words, where_words)


@dataclass
class FidelityReport:
    file_name: str
    amount_tokens: int = 0
    captured_tokens: int = 0
    figures: int = 0
    by_position: int = 0
    missed: list[tuple[int, Decimal, str]] = field(default_factory=list)
    invented: list[tuple[int, Decimal, str]] = field(default_factory=list)
    check: FidelityCheck = field(default_factory=FidelityCheck)
    # How a location reads in a message, and the line it names (text: (line, offset) -> line N;
    # a PDF's (page, char index) -> page N, no line).
    describe: Callable[[Hashable], str] | None = None
    line_of: Callable[[Hashable], int | None] | None = None
    # A PDF's locations are (page, char index): a gap's finding names the page, not a line.
    by_page: bool = False

    @property
    def captured_share(self) -> float:
        return 1.0 if not self.amount_tokens else self.captured_tokens / self.amount_tokens

    def summary(self) -> str:
        return (f"{self.file_name}: {self.captured_tokens}/{self.amount_tokens} amount tokens captured "
                f"({self.captured_share:.1%}), {len(self.invented)} of {self.figures} figures without "
                f"their token")

    def error(self, limit: int = 10) -> FidelityError | None:
        """The build's error for this document's gaps (None when there are none)."""
        options = {k: v for k, v in (("describe", self.describe), ("line_of", self.line_of)) if v is not None}
        return fidelity_error(self.file_name, self.check, limit, **options)


    def findings(self, document_id: str) -> list[ParseFinding]:
        """One finding per gap, for a document published in spite of them: a printed amount
        not captured (expected = the printed value) and a captured figure not printed where
        it was read (actual = the figure, expected = what is printed there, if anything).
        Both are errors: the warehouse's rows for the document are not what it prints."""
        def where(location) -> tuple[int | None, int | None]:
            region = location[0] if isinstance(location[0], int) else None
            return (None, region) if self.by_page else (region, None)

        found = []
        for token in self.check.missed:
            line, page = where(token.location)
            found.append(ParseFinding(document_id, "fidelity", line, "figure_not_captured", "error", None,
                                      token.value, None,
                                      f"{printed_words(token)} printed{where_words(token)} but not captured", page))
        for invented in self.check.invented:
            figure = invented.figure
            line, page = where(figure.location or (figure.region,))
            printed = invented.printed.value if invented.printed is not None else None
            there = ("nothing printed there" if invented.printed is None
                     else f"{printed_words(invented.printed)} printed there")
            if invented.reason:
                there += f"; {invented.reason}"
            if figure.location is None:
                there = "not tied to a printed token"
            found.append(ParseFinding(document_id, "fidelity", line, "figure_not_printed", "error", figure.what,
                                      printed, abs(figure.value), f"{abs(figure.value)} captured ({figure.what}): {there}",
                                      page))
        return found


def captured_figures(records: list) -> list[CapturedFigure]:
    """Every non-blank figure of the records, at the location its record says it was read
    from (record.figure_at; a figure without one is reported as invented)."""
    figures = []
    for record in records:
        names = FIGURE_FIELDS.get(type(record), ())
        at = record.figure_at or {}
        for name in names:
            value = getattr(record, name)
            if value is None:
                continue
            line = record.source_line
            if isinstance(record, PerformanceProject) and name == "fiscal_amount" and record.fiscal_amount_line:
                line = record.fiscal_amount_line
            figures.append(CapturedFigure(at.get(name), Decimal(value), line,
                                          f"{record.table_id} row {record.row_order} {name}"))
    return figures


def fidelity_report(source: SourceDocument, records: list) -> FidelityReport:
    check = check_fidelity(text_tokens(source.lines), captured_figures(records))
    report = FidelityReport(source.file_name, check.required, check.captured, check.figures, check.by_position,
                            check=check)
    report.missed = [(t.location[0], t.value, source.line(t.location[0]).strip()) for t in check.missed]
    report.invented = [(i.figure.region, abs(i.figure.value), source.line(i.figure.region).strip())
                       for i in check.invented]
    return report
