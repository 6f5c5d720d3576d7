"""The placement solver on small tables: blank cells, parent sums, ambiguity."""

from decimal import Decimal as D
from pathlib import Path

import pytest

from ingest.core.document import read_document
from ingest.core.errors import AmbiguousPlacement, IngestError
from ingest.core.placement import PlacementSolver, from_cents, row_placements, to_cents
from ingest.xiamen.layout import Region
from ingest.xiamen.rows import read_code_rows
from ingest.xiamen.tables import ECONOMIC_SHAPE, GENERAL_BUDGET_SHAPE, SUBJECT_SHAPE


def cents(*amounts):
    return [to_cents(D(a)) for a in amounts]


def render(placement, shape):
    return {c: from_cents(v) for c, v in zip(shape.columns, placement) if v is not None}


def test_full_row_has_one_placement():
    placements = row_placements(GENERAL_BUDGET_SHAPE, cents("1760.12", "1685.42", "1314.64", "370.78", "74.70"))
    assert [render(p, GENERAL_BUDGET_SHAPE) for p in placements] == [{
        "total": D("1760.12"), "basic_subtotal": D("1685.42"), "basic_personnel": D("1314.64"),
        "basic_public": D("370.78"), "project": D("74.70")}]


def test_row_with_blank_cells_keeps_only_placements_meeting_identities():
    # 610.00 550.00 550.00 60.00 60.00: 合计, then 财政拨款 and 非财政拨款 each as 小计 + one of 基本/项目.
    placements = row_placements(SUBJECT_SHAPE, cents("610.00", "550.00", "550.00", "60.00", "60.00"))
    assert len(placements) == 4
    for p in placements:
        cells = render(p, SUBJECT_SHAPE)
        assert cells["total"] == D("610.00") and cells["fiscal_subtotal"] == D("550.00")
        assert cells["non_fiscal_subtotal"] == D("60.00")


def test_row_whose_figures_fit_no_column_layout_fails_with_its_line():
    solver = PlacementSolver("doc.txt")
    with pytest.raises(IngestError) as error:
        solver.add_row("x", GENERAL_BUDGET_SHAPE, 42, "2080101 行政运行 100.00 7.00 5.00", [D("100.00"), D("7.00"), D("5.00")])
    assert "doc.txt:42" in str(error.value) and "附件5" in str(error.value)


def test_parent_sums_resolve_personnel_against_public():
    solver = PlacementSolver("doc.txt")
    total = solver.add_row("合计", ECONOMIC_SHAPE, 1, "合计 30.00 20.00 10.00", [D("30.00"), D("20.00"), D("10.00")])
    a = solver.add_row("301", ECONOMIC_SHAPE, 2, "301 20.00 20.00", [D("20.00"), D("20.00")])
    b = solver.add_row("302", ECONOMIC_SHAPE, 3, "302 10.00 10.00", [D("10.00"), D("10.00")])
    solver.require_sum(total, [a, b])
    placed = solver.solve()
    assert render(placed["301"], ECONOMIC_SHAPE) == {"total": D("20.00"), "personnel": D("20.00")}
    assert render(placed["302"], ECONOMIC_SHAPE) == {"total": D("10.00"), "public": D("10.00")}


def test_ambiguous_row_fails_with_line_and_candidates():
    # Two children of equal amount under a parent split evenly: either could be personnel.
    solver = PlacementSolver("doc.txt")
    total = solver.add_row("合计", ECONOMIC_SHAPE, 1, "合计 20.00 10.00 10.00", [D("20.00"), D("10.00"), D("10.00")])
    a = solver.add_row("301", ECONOMIC_SHAPE, 7, "301 10.00 10.00", [D("10.00"), D("10.00")])
    b = solver.add_row("302", ECONOMIC_SHAPE, 9, "302 10.00 10.00", [D("10.00"), D("10.00")])
    solver.require_sum(total, [a, b])
    with pytest.raises(AmbiguousPlacement) as error:
        solver.solve()
    message = str(error.value)
    assert "doc.txt:7" in message
    assert "{total=10.00, personnel=10.00}" in message and "{total=10.00, public=10.00}" in message


def test_rounding_within_two_cents_is_a_finding_not_an_error():
    solver = PlacementSolver("doc.txt")
    parent = solver.add_row("21011", ECONOMIC_SHAPE, 1, "21011 649.88 649.88", [D("649.88"), D("649.88")])
    children = [solver.add_row(k, ECONOMIC_SHAPE, n, f"{k} {v} {v}", [D(v), D(v)])
                for n, (k, v) in enumerate([("a", "383.57"), ("b", "266.32")], 2)]
    solver.require_sum(parent, children)
    solver.require_equal(parent, ("public",), solver.add_fixed("zero", ECONOMIC_SHAPE, 1, "", {"public": D(0)}),
                         ("public",))
    placed = solver.solve()
    differences = solver.rounding_differences(placed)
    assert {(d.column, d.printed, d.sum_of_children) for d in differences} == {
        ("total", D("649.88"), D("649.89")), ("personnel", D("649.88"), D("649.89"))}


def test_contradicting_tables_fail_naming_the_constraint():
    solver = PlacementSolver("doc.txt")
    row = solver.add_row("x", ECONOMIC_SHAPE, 5, "x 10.00 10.00", [D("10.00"), D("10.00")])
    fixed = solver.add_fixed("prose", ECONOMIC_SHAPE, 99, "prose", {"total": D("11.00")})
    solver.require_equal(row, ("total",), fixed, ("total",))
    with pytest.raises(IngestError) as error:
        solver.solve()
    message = str(error.value)
    assert "doc.txt:5" in message and "[total] must equal 附件6 row 'prose' (line 99)" in message


def _doc(tmp_path: Path, body: str):
    path = tmp_path / "t.txt"
    path.write_text(body, encoding="utf-8")
    return read_document(path)


def test_wrapped_rows_and_page_numbers(tmp_path):
    source = _doc(tmp_path, "\n".join([
        "附件3", "", "合计: 30.00 30.00", "", "208 社会保障和就业支出 30.00 30.00", "", "37", "",
        "20801", "人力资源和社会保障管理事", "", "务", "30.00 30.00", "", "2080199",
        "其他人力资源和社会保障管理事务支", "", "出", "30.00 30.00"]))
    skipped = []
    rows = read_code_rows(source, Region("附件3", 1, len(source.lines) + 1), {3, 5, 7}, skipped)
    assert [(r.code, r.name, r.figure_line) for r in rows] == [
        (None, "合计", 3), ("208", "社会保障和就业支出", 5), ("20801", "人力资源和社会保障管理事务", 13),
        ("2080199", "其他人力资源和社会保障管理事务支出", 19)]
    assert [(s.line, s.text) for s in skipped] == [(7, "37")]


def test_stray_character_in_a_figure_fails_with_line(tmp_path):
    source = _doc(tmp_path, "附件6\n合计： 1,000.00 1,000.00\n301 工资福利支出 1,0O0.00 1,000.00\n")
    with pytest.raises(IngestError) as error:
        read_code_rows(source, Region("附件6", 1, 4), {3, 5}, [])
    assert "t.txt:3" in str(error.value) and "1,0O0.00" in str(error.value)


def test_truncated_table_fails_with_the_open_row(tmp_path):
    source = _doc(tmp_path, "附件3\n合计: 5.00 5.00\n2080199\n其他人力资源和社会保障管理事务支\n")
    with pytest.raises(IngestError) as error:
        read_code_rows(source, Region("附件3", 1, 5), {3, 5, 7}, [])
    assert "t.txt:3" in str(error.value) and "truncated" in str(error.value)


def _economic(rows):
    """附件6 rows (code, printed figures) under a 合计 (first), with the sums of _code_table."""
    from ingest.xiamen.tables import _economic_parent
    solver = PlacementSolver("doc.txt")
    by_code = {}
    for line, (code, figures) in enumerate(rows, 1):
        text = f"{code or '合计：'} {' '.join(figures)}"
        by_code[code] = solver.add_row(code or "合计", ECONOMIC_SHAPE, line, text, [D(f) for f in figures])
    for parent in by_code:
        children = [r for c, r in by_code.items() if c is not None and _economic_parent(c) == parent]
        if children:
            solver.require_sum(by_code[parent], children)
    return solver, by_code


def test_economic_class_decides_a_row_that_prints_its_amount_once():
    # Generated d420 2016 (seed 1): 302 商品和服务支出 220.40 and 303 对个人和家庭的补助 220.42 are
    # within the 0.02 of rounding of each other, so the sums alone allow swapping them between
    # 人员 and 公用; the classification does not: 302 is 公用经费, 303 人员经费.
    from ingest.xiamen.tables import require_economic_class_columns
    rows = [(None, ("1141.63", "882.80", "258.83")),
            ("301", ("662.38", "662.38")), ("30101", ("662.38", "662.38")),
            ("302", ("220.40", "220.40")), ("30201", ("220.40", "220.40")),
            ("303", ("220.42", "220.42")), ("30302", ("220.42", "220.42")),
            ("310", ("38.43", "38.43")), ("31002", ("38.43", "38.43"))]
    solver, _ = _economic(rows)
    with pytest.raises(AmbiguousPlacement, match="302 220.40 220.40"):
        solver.solve()
    solver, by_code = _economic(rows)
    require_economic_class_columns(solver, by_code)
    placed = solver.solve()
    assert render(placed["302"], ECONOMIC_SHAPE) == {"total": D("220.40"), "public": D("220.40")}
    assert render(placed["30201"], ECONOMIC_SHAPE) == {"total": D("220.40"), "public": D("220.40")}
    assert render(placed["303"], ECONOMIC_SHAPE) == {"total": D("220.42"), "personnel": D("220.42")}
    assert render(placed["310"], ECONOMIC_SHAPE) == {"total": D("38.43"), "public": D("38.43")}


def test_economic_class_leaves_a_split_row_as_printed_and_refuses_a_contradiction():
    from ingest.xiamen.tables import require_economic_class_columns
    # A row of three figures splits its amount: read as printed, the class rule does not apply.
    solver, by_code = _economic([(None, ("30.00", "22.00", "8.00")), ("301", ("20.00", "20.00")),
                                 ("302", ("10.00", "2.00", "8.00"))])
    require_economic_class_columns(solver, by_code)
    assert render(solver.solve()["302"], ECONOMIC_SHAPE) == {
        "total": D("10.00"), "personnel": D("2.00"), "public": D("8.00")}
    # Sums that put a whole 302 row in 人员经费 contradict the classification: refused (the
    # constraint that finds no placement left is named; here the 合计's sum).
    solver, by_code = _economic([(None, ("30.00", "30.00")), ("301", ("20.00", "20.00")), ("302", ("10.00", "10.00"))])
    require_economic_class_columns(solver, by_code)
    with pytest.raises(IngestError) as error:
        solver.solve()
    assert "doc.txt:1: expected figures that satisfy" in str(error.value)
    # Classes without a rule (399 其他支出) are still placed by the sums alone, or refused.
    solver, by_code = _economic([(None, ("20.00", "10.00", "10.00")), ("301", ("10.00", "10.00")),
                                 ("399", ("10.00", "10.00"))])
    require_economic_class_columns(solver, by_code)
    assert render(solver.solve()["399"], ECONOMIC_SHAPE) == {"total": D("10.00"), "public": D("10.00")}
