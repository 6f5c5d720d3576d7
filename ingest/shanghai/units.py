"""Which department a unit belongs to, as a Shanghai budget prints it.

A 部门预算 covers its department's 本部 and every unit under it, and its 机构设置 part lists them:
`…部门预算是包括区司法局本部以及下属1家预算单位的综合收支计划。… 具体包括：1.普陀区司法局本部
2.普陀区法律援助中心`. Each numbered entry after 具体包括 names one unit, in the wording the
template allows: the department's own office as `<name>本部` (the name often shortened: 商务委本部),
a unit with the words around it (`下属事业单位<name>不单列预算，并入本部`, `<name>，不单列预算。`),
a description after the first comma (`商务委本部，…机关设9个内设机构…`). A 单位预算's cover may
print the unit's 主管部门 beside its 预算单位; that line is kept too. The dbt models match these
names to the 单位预算 (int_unit_departments_resolved)."""

from __future__ import annotations

import re

from ingest.core.pdf import Char, PdfDocument, TextLine
from ingest.core.records import DepartmentUnit

LIST_TABLE = "机构设置"
COVER_TABLE = "封面"
# 具体包括： / 具体包括（列示至基层预算单位）：: the entries follow the colon, on its line or the next.
_LIST_START = re.compile(r"具体包括[^：:]*[：:]")
# An entry starts its line with its number: 1. / 1、 / 1．
_ENTRY = re.compile(r"^(\d{1,2})[.、．]")
# The unit's name is the entry's first clause; what follows a comma describes it.
_CLAUSE_END = re.compile(r"[，,。；;：:]")
# 下属事业单位<name>: the entry says what kind of unit it is before naming it.
_KIND_PREFIX = re.compile(r"^下属(?:的)?(?:行政|事业|参公|参照公务员法管理的?事业)?单位")
# The unit prints no budget of its own; its money is the 本部's (不单列预算，并入本部).
_NO_OWN_BUDGET = re.compile(r"不单列预算|不单独编制预算")
_HEADQUARTERS = "本部"


def read_unit_list(pdf: PdfDocument, document_id: str, pages: list[int]) -> list[DepartmentUnit]:
    """The numbered entries after 具体包括 on the 机构设置 pages, each with its name's box."""
    entries: list[tuple[int, str, list[Char], TextLine]] = []
    started = False
    for number in pages:
        for line in pdf.pages[number - 1].lines:
            text, chars = line.joined, list(line.chars)
            if len(chars) != len(text):
                chars = []  # no character-by-character boxes: the line's box stands for the name's
            if not started:
                start = _LIST_START.search(text)
                if start is None:
                    continue
                started = True
                text, chars = text[start.end():], chars[start.end():]
            entry = _ENTRY.match(text)
            if entry:
                entries.append((int(entry.group(1)), text[entry.end():], chars[entry.end():], line))
            elif entries and text:
                number_, body, body_chars, first = entries[-1]
                entries[-1] = (number_, body + text, body_chars + chars if body_chars else [], first)
    records = []
    for order, (number_, body, chars, line) in enumerate(entries, start=1):
        name_end = m.start() if (m := _CLAUSE_END.search(body)) else len(body)
        name_start = m.end() if (m := _KIND_PREFIX.match(body[:name_end])) else 0
        name = body[name_start:name_end]
        if m := _NO_OWN_BUDGET.search(name):
            name, name_end = name[:m.start()], name_start + m.start()
        headquarters = name.endswith(_HEADQUARTERS) and len(name) > len(_HEADQUARTERS)
        if headquarters:
            name, name_end = name[:-len(_HEADQUARTERS)], name_end - len(_HEADQUARTERS)
        if not name:
            continue
        records.append(DepartmentUnit(
            document_id=document_id, table_id=LIST_TABLE, row_order=order, page_number=line.page_number,
            **_box(chars[name_start:name_end], line), raw_text=body, entry_number=number_, unit_name=name,
            department_name=None, is_headquarters=headquarters,
            has_own_budget=_NO_OWN_BUDGET.search(body) is None))
    return records


def cover_department(line: TextLine, department: str, unit: str, document_id: str) -> DepartmentUnit:
    """The 主管部门 a 单位预算's cover prints for its 预算单位, with the box of the department's name."""
    text = line.joined
    start = len(text) - len(department)
    chars = list(line.chars)[start:] if len(line.chars) == len(text) else []
    return DepartmentUnit(
        document_id=document_id, table_id=COVER_TABLE, row_order=1, page_number=line.page_number,
        **_box(chars, line), raw_text=text, entry_number=None, unit_name=unit, department_name=department,
        is_headquarters=False, has_own_budget=None)


def _box(chars: list[Char], line: TextLine) -> dict:
    """The box of the name's characters on the page it starts on (a name broken over a line
    keeps its first line's part), else the line's."""
    printed = set(line.chars)
    on_line = [c for c in chars if c in printed]
    if not on_line:
        words = line.words
        return dict(x0=round(words[0].x0, 2), top=round(min(w.top for w in words), 2),
                    x1=round(words[-1].x1, 2), bottom=round(max(w.bottom for w in words), 2),
                    char_index=words[0].first_index)
    return dict(x0=round(min(c.x0 for c in on_line), 2), top=round(min(c.top for c in on_line), 2),
                x1=round(max(c.x1 for c in on_line), 2), bottom=round(max(c.bottom for c in on_line), 2),
                char_index=on_line[0].index)
