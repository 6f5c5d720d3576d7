"""Find what a document is (department, year, layout) and where its parts stand."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.core.document import SourceDocument
from ingest.core.errors import IngestError

APPENDIX_LAYOUT = "xiamen-appendix"
PROSE_LAYOUT = "xiamen-prose"

_YEAR_HEADING = re.compile(r"^\s*第二部分\s*(\d{4})年部门(预算|决算)说明\s*$")
_DEPARTMENT = re.compile(r"（一）\s*(?P<name>\S+?)(?:部门)?\d{4}年收入(?:预算|决算)为")
_APPENDIX_HEADING = re.compile(r"^\s*附件(\d+)\s*$")
_DEPARTMENT_CODE = re.compile(r"(\d{3})-(\S+)")
_REGION = re.compile(r"^(.+?[省市县区])")


@dataclass(frozen=True)
class Region:
    """Lines [start, end) of the document (1-based), named as the document names them."""

    table_id: str
    start: int
    end: int


@dataclass(frozen=True)
class DocumentLayout:
    fiscal_year: int
    document_kind: str
    department_name: str
    department_code: str | None
    region: str
    template: str
    appendices: tuple[Region, ...]
    prose: Region

    def appendix(self, table_id: str) -> Region | None:
        return next((r for r in self.appendices if r.table_id == table_id), None)


def nonblank_lines(document: SourceDocument, region: Region) -> list[tuple[int, str]]:
    lines = document.lines  # each line stripped once: this runs over every table of every document
    return [(n, text) for n in range(region.start, region.end) if (text := lines[n - 1].strip())]


def is_xiamen_budget(document: SourceDocument) -> bool:
    """The template's mark: the heading '第二部分 YYYY年部门预算说明' on a line of its own."""
    return any(_YEAR_HEADING.match(line) for line in document.lines)


def read_layout(document: SourceDocument) -> DocumentLayout:
    lines = document.lines
    heading = next(((n, m) for n, line in enumerate(lines, 1) if (m := _YEAR_HEADING.match(line))), None)
    if heading is None:
        raise IngestError(document.file_name, None,
                          "a department budget document with a heading '第二部分 YYYY年部门预算说明'",
                          "no such heading: not a budget document of a known template")
    heading_line, match = heading
    fiscal_year = int(match.group(1))
    document_kind = match.group(2)
    prose_end = next((n for n in range(heading_line + 1, len(lines) + 1)
                      if lines[n - 1].strip().startswith("第三部分")), None)
    if prose_end is None:
        raise IngestError(document.file_name, len(lines),
                          "'第三部分 名词解释' after the 第二部分 prose", "end of file (truncated?)")
    prose = Region("prose", heading_line, prose_end)
    department = None
    for n in range(heading_line, prose_end):
        if m := _DEPARTMENT.search(lines[n - 1]):
            department = m.group("name")
            break
    if department is None:
        raise IngestError(document.file_name, heading_line,
                          "a sentence '（一）<department>YYYY年收入预算为…' naming the department",
                          "none in 第二部分")
    appendices = _appendix_regions(lines)
    template = APPENDIX_LAYOUT if appendices else PROSE_LAYOUT
    if appendices:
        _check_appendices_complete(document, appendices)
    department_code = None
    for n in range(1, len(lines) + 1):
        for m in _DEPARTMENT_CODE.finditer(lines[n - 1]):
            if m.group(2) == department:
                department_code = m.group(1)
                break
        if department_code:
            break
    region_match = _REGION.match(department)
    return DocumentLayout(
        fiscal_year=fiscal_year, document_kind=document_kind, department_name=department,
        department_code=department_code, region=region_match.group(1) if region_match else department,
        template=template, appendices=tuple(appendices), prose=prose)


# The appendix layout prints 附件1 … 附件11 in this order (第四部分 lists them); a document
# that stops earlier was cut short.
APPENDIX_NUMBERS = tuple(range(1, 12))


def _check_appendices_complete(document: SourceDocument, appendices: list[Region]) -> None:
    numbers = tuple(dict.fromkeys(int(r.table_id[2:].split("-")[0]) for r in appendices))
    if numbers != APPENDIX_NUMBERS:
        missing = [n for n in APPENDIX_NUMBERS if n not in numbers]
        last = appendices[-1]
        if missing and missing[0] > numbers[-1]:
            raise IngestError(document.file_name, len(document.lines),
                              f"附件{missing[0]}…附件{APPENDIX_NUMBERS[-1]} after {last.table_id}",
                              "end of file (truncated?)")
        raise IngestError(document.file_name, last.start,
                          f"附件{APPENDIX_NUMBERS[0]}…附件{APPENDIX_NUMBERS[-1]} in order",
                          "附件" + ", 附件".join(str(n) for n in numbers))


def _appendix_regions(lines: tuple[str, ...]) -> list[Region]:
    """附件N headings split the table part; 附件11 repeats once per project, so its
    occurrences become 附件11-1, 附件11-2, …"""
    starts = [(n, int(m.group(1))) for n, line in enumerate(lines, 1) if (m := _APPENDIX_HEADING.match(line))]
    regions = []
    seen: dict[int, int] = {}
    for i, (start, number) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else len(lines) + 1
        seen[number] = seen.get(number, 0) + 1
        regions.append((number, seen[number], start, end))
    return [Region(f"附件{number}-{k}" if seen[number] > 1 else f"附件{number}", start, end)
            for number, k, start, end in regions]
