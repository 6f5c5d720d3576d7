"""The template registry: which family reads a document, whatever its input format.

An input format is a reader in ingest/core (text: read_document; PDF: read_pdf), chosen by
the file's own bytes, not its name. Each family (ingest/<family>/) offers the same entry
point: `recognise(source) -> bool` and `parse(source, source_path) -> ParsedDocument`. A
document that no family recognises is refused with its file named, and so is one that two
families claim (the registry never picks one by order)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from ingest.core.document import SourceDocument, read_document
from ingest.core.errors import UnknownTemplate
from ingest.core.pdf import PdfDocument, read_pdf
from ingest.parsed import ParsedDocument
from ingest.jiangsu import parse as jiangsu
from ingest.shanghai import parse as shanghai
from ingest.shanghai_final import parse as shanghai_final
from ingest.xiamen import parse as xiamen

FAMILIES = (
    SimpleNamespace(name="xiamen", recognise=xiamen.recognise, parse=xiamen.parse_document,
                    describes="厦门市部门预算 text (第二部分 YYYY年部门预算说明)"),
    SimpleNamespace(name="shanghai", recognise=shanghai.recognise, parse=shanghai.parse,
                    describes="上海市 budget PDF (cover: 上海市[…区]YYYY年[区级|市级]部门预算 / 单位预算)"),
    SimpleNamespace(name="shanghai_final", recognise=shanghai_final.recognise, parse=shanghai_final.parse,
                    describes="上海市 final account PDF (cover: 上海市…<department> / YYYY年度部门决算 / 单位决算)"),
    SimpleNamespace(name="jiangsu", recognise=jiangsu.recognise, parse=jiangsu.parse,
                    describes="江苏省 provincial department budget PDF (cover: YYYY年度江苏省…部门预算公开; or its "
                              "tables alone: 公开表一 … with 部门：江苏省…)"),
)


def read_source(path: Path) -> SourceDocument | PdfDocument:
    path = Path(path)
    with open(path, "rb") as handle:
        head = handle.read(5)
    return read_pdf(path) if head == b"%PDF-" else read_document(path)


def parse_source(source: SourceDocument | PdfDocument, source_path: str | None = None) -> ParsedDocument:
    claimed = [family for family in FAMILIES if family.recognise(source)]
    if len(claimed) != 1:
        where = f"{source.file_name}:page 1" if isinstance(source, PdfDocument) else source.file_name
        expected = "a document of one known template: " + "; ".join(f.describes for f in FAMILIES)
        found = ("none of them (not a budget document of a known template)" if not claimed else
                 "several: " + ", ".join(f.name for f in claimed))
        raise UnknownTemplate(where, None, expected, found)
    return claimed[0].parse(source, source_path)
