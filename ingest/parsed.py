"""What a template family's parser hands back for one document, whatever its input format."""

from __future__ import annotations

from dataclasses import dataclass, field

from ingest.core.records import DocumentRecord, ParseFinding


@dataclass
class ParsedDocument:
    document: DocumentRecord
    records: list = field(default_factory=list)
    findings: list[ParseFinding] = field(default_factory=list)
    # (page, char index) of printed cells a reading finding already reports as unread (a PDF
    # family's quarantine): the fidelity check leaves them to that finding.
    quarantined: set[tuple[int, int]] = field(default_factory=set)

    def rows(self) -> list:
        return [*self.records, *self.findings]
