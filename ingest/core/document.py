"""Read a document's extracted text: size limit, encoding, line ends. Nothing here parses budgets."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from ingest.core.errors import IngestError

# A department's budget text is ~100 KB; anything this large is not one, and reading it
# whole would only waste the scheduled build's memory.
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class SourceDocument:
    path: Path
    file_name: str
    sha256: str
    byte_size: int
    text_encoding: str
    lines: tuple[str, ...]
    # What was normalised on reading (BOM, CRLF), so it can be recorded as a finding.
    normalisations: tuple[str, ...] = field(default=())

    @property
    def document_id(self) -> str:
        return self.id_for(self.sha256)

    @staticmethod
    def id_for(sha256: str) -> str:
        """Documents are keyed by content: the same text is the same document."""
        return sha256[:16]

    def line(self, number: int) -> str:
        """The 1-based line `number` as read."""
        return self.lines[number - 1]


@dataclass(frozen=True)
class SourceFile:
    """A document file known by its content hash, before its text is read: what the ingest
    holds for every document of a run (the text of 10,000 documents would not fit)."""
    path: Path
    file_name: str
    sha256: str
    byte_size: int

    @property
    def document_id(self) -> str:
        return SourceDocument.id_for(self.sha256)


def fingerprint(path: Path) -> SourceFile:
    """The file's content hash, with the checks read_document makes before reading."""
    path = Path(path)
    size = _checked_size(path)
    return SourceFile(path=path, file_name=path.name, sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
                      byte_size=size)


def read_document(path: Path) -> SourceDocument:
    path = Path(path)
    name = path.name
    size = _checked_size(path)
    data = path.read_bytes()
    if not data.strip():
        raise IngestError(name, None, "a budget document's text", "an empty file")
    if b"\x00" in data[:65536]:
        raise IngestError(name, None, "text extracted from a budget PDF", "binary data (NUL bytes)")
    text, encoding = _decode(name, data)
    normalisations: list[str] = []
    if encoding == "utf-8" and data.startswith(b"\xef\xbb\xbf"):
        normalisations.append("UTF-8 byte-order mark removed")
    if "\r\n" in text:
        normalisations.append("CRLF line ends read as LF")
    if encoding != "utf-8":
        normalisations.append(f"decoded from {encoding}")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = tuple(text.split("\n"))
    if lines and lines[-1] == "":
        lines = lines[:-1]
    return SourceDocument(
        path=path, file_name=name, sha256=hashlib.sha256(data).hexdigest(), byte_size=size,
        text_encoding=encoding, lines=lines, normalisations=tuple(normalisations))


def _checked_size(path: Path) -> int:
    if not path.is_file():
        raise IngestError(path.name, None, "a readable text file", "no such file")
    size = path.stat().st_size
    if size > MAX_DOCUMENT_BYTES:
        raise IngestError(
            path.name, None, f"a budget text of at most {MAX_DOCUMENT_BYTES // (1024 * 1024)} MiB",
            f"{size / (1024 * 1024):.0f} MiB (refused before reading)")
    return size


def _decode(name: str, data: bytes) -> tuple[str, str]:
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        # Chinese government text that is not UTF-8 is almost always GBK or its superset GB18030.
        try:
            return data.decode("gb18030"), "gb18030"
        except UnicodeDecodeError:
            line = data[: utf8_error.start].count(b"\n") + 1
            raise IngestError(name, line, "UTF-8 or GB18030 text",
                              f"undecodable bytes at offset {utf8_error.start}") from None
