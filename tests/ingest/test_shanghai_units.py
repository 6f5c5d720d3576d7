"""Which department a unit belongs to, as the Shanghai budgets print it (issue 23 item 4): the
unit list of a 部门预算's 机构设置, read with its page, and the 主管部门 a 单位预算's cover may
print beside its 预算单位. Real values from the samples; covers changed in memory as other
documents of the template print them."""

from __future__ import annotations

import pytest

from ingest.core.pdf import read_pdf
from ingest.core.records import DepartmentUnit
from ingest.registry import parse_source
from tests.conftest import PUTUO
from tests.ingest.test_shanghai_template import _with_cover

pytestmark = pytest.mark.samples


def _units(parsed, table_id: str) -> list[tuple]:
    return [(r.page_number, r.entry_number, r.unit_name, r.department_name, r.is_headquarters, r.has_own_budget)
            for r in parsed.records if isinstance(r, DepartmentUnit) and r.table_id == table_id]


@pytest.mark.parametrize("file_name, expected", [
    # 具体包括：1.普陀区司法局本部 2.普陀区法律援助中心 (page 6)
    ("2026-dept-justice.pdf", [(6, 1, "普陀区司法局", None, True, True),
                               (6, 2, "普陀区法律援助中心", None, False, True)]),
    # 1.商务委本部，…机关设9个内设机构… 2.上海市普陀区中小企业服务中心，不单列预算。 (page 5)
    ("2025-dept-commerce.pdf", [(5, 1, "商务委", None, True, True),
                                (5, 2, "上海市普陀区中小企业服务中心", None, False, False)]),
    # 1.…本部。 2.下属事业单位上海市普陀区交流服务中心不单列预算，并入本部。 (page 4)
    ("2025-dept-district-office.pdf", [(4, 1, "上海市普陀区人民政府办公室", None, True, True),
                                       (4, 2, "上海市普陀区交流服务中心", None, False, False)]),
])
def test_the_unit_list_of_a_department_budget(file_name, expected):
    parsed = parse_source(read_pdf(PUTUO / file_name))
    assert _units(parsed, "机构设置") == expected
    assert _units(parsed, "封面") == []


def test_the_unit_name_keeps_the_box_of_its_own_characters():
    pdf = read_pdf(PUTUO / "2026-dept-justice.pdf")
    unit = next(r for r in parse_source(pdf).records
                if isinstance(r, DepartmentUnit) and r.unit_name == "普陀区法律援助中心")
    line = next(line for line in pdf.pages[5].lines if line.joined == "2.普陀区法律援助中心")
    name = line.chars[2:]
    assert (unit.x0, unit.x1, unit.char_index) == (round(name[0].x0, 2), round(name[-1].x1, 2), name[0].index)
    assert unit.raw_text == "普陀区法律援助中心"


def test_a_unit_budget_lists_no_units():
    for file_name in ("2026-unit-justice.pdf", "2025-unit-commerce.pdf", "2025-unit-district-office.pdf"):
        parsed = parse_source(read_pdf(PUTUO / file_name))
        assert not [r for r in parsed.records if isinstance(r, DepartmentUnit)], file_name


@pytest.mark.parametrize("lines, holder, department", [
    (["上海市普陀区2025年区级单位预算", "预算单位：上海市普陀区交流服务中心", "主管部门：上海市普陀区人民政府办公室"],
     "上海市普陀区交流服务中心", "上海市普陀区人民政府办公室"),
    # The 主管部门 line before the 预算单位 line: the unit is still the holder.
    (["上海市普陀区2025年区级单位预算", "预算主管部门：上海市普陀区人民政府办公室", "预算单位：上海市普陀区交流服务中心"],
     "上海市普陀区交流服务中心", "上海市普陀区人民政府办公室"),
    # The unit named in the title, its department on the holder line.
    (["上海市普陀区交流服务中心2025年单位预算", "预算主管部门：普陀区人民政府办公室"],
     "上海市普陀区交流服务中心", "普陀区人民政府办公室"),
    # The samples' covers: the unit alone, no 主管部门 row.
    (["上海市普陀区2025年区级单位预算", "预算单位：上海市普陀区人民政府办公室"], "上海市普陀区人民政府办公室", None),
], ids=["department-after-unit", "department-before-unit", "unit-in-title", "no-department"])
def test_a_unit_budget_cover_names_its_department(lines, holder, department):
    parsed = parse_source(_with_cover(PUTUO / "2025-unit-district-office.pdf", lines))
    assert (parsed.document.department_name, parsed.document.document_scope) == (holder, "unit")
    assert _units(parsed, "封面") == ([(1, None, holder, department, False, None)] if department else [])
