"""The static report, built through `python -m budgetwh report` from a freshly built warehouse:
real figures in the HTML, PNG charts that are real pictures with Chinese drawn in the CJK
font (a glyph missing from the fonts is an error while drawing, not boxes), the warehouse only
read. The charts and the page are kept under target/test-artefacts/report/ to look at."""

from __future__ import annotations

import hashlib
import re
import shutil
from html import unescape

import pytest

from budgetwh.__main__ import main
from report import fonts
from report.build import CHART_NAMES
from tests.report.warehouse import ARTEFACTS


@pytest.fixture(scope="module")
def report(warehouse, tmp_path_factory):
    before = hashlib.sha256(warehouse.read_bytes()).hexdigest()
    out = tmp_path_factory.mktemp("report")
    # The per-department charts of 厦门市人社局 (403): the department these tests know by its
    # printed figures (by default the report shows the one with the most years, a Jiangsu one).
    assert main(["report", "--target", str(warehouse), "--out", str(out), "--department", "403"]) == 0
    assert hashlib.sha256(warehouse.read_bytes()).hexdigest() == before  # read-only
    keep = ARTEFACTS / "report"
    shutil.rmtree(keep, ignore_errors=True)
    shutil.copytree(out, keep)
    return out


@pytest.fixture(scope="module")
def page(report):
    return (report / "index.html").read_text(encoding="utf-8")


def _row(page: str, first_cell: str) -> list[str]:
    """The cells of the first table row whose first cell is FIRST_CELL."""
    for cells in _table_rows(page):
        if cells and cells[0] == first_cell:
            return cells
    raise AssertionError(f"no table row starting with {first_cell!r}")


def test_talent_spending_like_for_like(page):
    # 2020 printed as 2011008, conformed to 2080116; without transfers, then with them
    assert _row(page, "2080116") == [
        "2080116", "引进人才费用", "2011008", "2080116",
        "22,557.92", "32,994.00", "10,436.08", "46.26%",
        "25,757.92", "50,507.00", "24,749.08", "96.08%"]


def test_latest_year_by_class_and_section(page):
    assert "2024年预算：按类/款" in page
    assert _row(page, "208 社会保障和就业支出")[2:] == [
        "150,926.51", "20,632.00", "3,157.00", "0.00", "0.00", "154,083.51", "174,715.51"]
    # the document's own total: 159,318.40 without the 20,826.00 of transfers
    assert _row(page, "合计 total")[2:] == [
        "156,161.40", "20,826.00", "3,157.00", "0.00", "0.00", "159,318.40", "180,144.40"]


def test_totals_by_year_with_and_without_transfers(page):
    rows = _table_rows(page)
    assert ["2020", "74,587.17", "3,458.89", "78,046.06"] in rows
    assert ["2024", "156,161.40", "20,632.00", "176,793.40"] in rows


def test_basic_project_personnel_public(page):
    # year, basic, project, project share, personnel, public, personnel share, transfers,
    # then the same split summed from the tables where the document has them
    rows = {cells[0]: cells for cells in _table_rows(page) if len(cells) == 13}
    assert rows["2020"][:8] == ["2020", "13,658.87", "66,030.59", "82.86%", "10,670.85", "2,988.02",
                                "78.12%", "3,458.89"]
    assert rows["2024"][:8] == ["2024", "17,187.60", "138,973.80", "88.99%", "13,712.97", "3,474.63",
                                "79.78%", "20,826.00"]
    # 附件6's 款 add to 3,474.64, 0.01 above the printed 3,474.63 (a known finding)
    assert rows["2024"][8:12] == ["17,187.60", "138,973.80", "13,712.97", "3,474.64"]


def test_three_public_by_year(page):
    assert "“三公”经费" in page
    rows = [cells[:6] for cells in _table_rows(page)]
    assert ["2020", "0.00", "22.59", "0.00", "15.04", "37.63"] in rows
    assert ["2024", "0.00", "16.54", "0.00", "11.42", "27.96"] in rows


def test_budget_execution_by_subject(page):
    # 上海市普陀区财政局 2024: 年初预算 against 决算 (final account pages 15 and 22), and 三公
    assert "预算执行：预算数与决算数" in page
    rows = _table_rows(page)
    assert ["2024", "上海市普陀区财政局", "2010601", "行政运行", "initial_budget", "1,560.05", "1,511.89",
            "-48.16", "96.91%", ""] in [r[:10] for r in rows]
    assert ["2024", "上海市普陀区财政局", "2010607", "信息化建设", "initial_budget", "135.90", "135.25",
            "-0.65", "99.52%", ""] in [r[:10] for r in rows]
    assert ["2024", "上海市普陀区财政局", "total", "final_account", "0.95", "0.00", "是", "-0.95",
            "0.00%"] in [r[:9] for r in rows]


def test_per_department_sections_show_one_department(page):
    # the latest year of the department shown (Xiamen 403's 2024), not Shanghai's 2026
    assert "厦门市人力资源和社会保障局" in page and "<code>403</code>" in page
    assert "2024年预算：按类/款" in page and "2026年预算：按类/款" not in page


def _table_rows(page: str) -> list[list[str]]:
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", page, flags=re.S):
        rows.append([unescape(re.sub(r"<[^>]+>", "", c)) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)])
    return rows


def test_reconciliation_findings_per_document(page):
    assert "2020 · xiamen-hrss-2020-budget.txt" in page and "2024 · xiamen-hrss-2024-budget.txt" in page
    assert "Every identity of this document holds exactly" in page  # 2020
    assert _row(page, "附件3:children_sum:21011:total")[2:6] == ["649.88", "649.89", "0.01", "known_finding"]
    # 21 of Xiamen 2024, 4 of 司法局 2026's misprint, 1 of 财政局 2024's (known_source_findings).
    assert len(re.findall(r"<td>known_finding</td>", page)) == 26
    # parse findings: the 2020 printing error and the 2024 rounding
    assert "code_printed_twice" in page and "row_identity_rounding" in page


def test_charts_are_real_pictures(report, page):
    from PIL import Image

    for name in CHART_NAMES:
        png = report / f"{name}.png"
        assert png.is_file(), name
        assert f'src="{name}.png"' in page
        assert png.stat().st_size > 20_000, name
        with Image.open(png) as image:
            assert image.format == "PNG"
            assert image.width >= 800 and image.height >= 300, (name, image.size)
            colours = image.convert("RGB").getcolors(maxcolors=1_000_000)
        assert colours is not None and len(colours) > 200, name


def test_charts_use_the_cjk_font():
    from matplotlib import font_manager

    name = fonts.register_cjk_font()
    path = font_manager.findfont(font_manager.FontProperties(family=name), fallback_to_default=False)
    assert fonts._covers(fonts.cjk_font_path(), "一般公共预算对区转移支付三公经费")
    assert path == str(fonts.cjk_font_path())


def test_missing_cjk_font_fails_clearly(monkeypatch, tmp_path):
    monkeypatch.setattr(fonts, "candidates", lambda: [tmp_path / "none.ttf"])
    with pytest.raises(fonts.CJKFontMissing, match="no CJK font found.*pylopdf-fonts-zh-cn.*fonts-noto-cjk"):
        fonts.cjk_font_path.__wrapped__()


def test_missing_warehouse_fails_clearly(tmp_path, capsys):
    assert main(["report", "--target", str(tmp_path / "nothing.duckdb"), "--out", str(tmp_path / "out")]) == 1
    assert "no warehouse at" in capsys.readouterr().err


def test_command_line_help_explains_each_step(capsys):
    for command, words in (("report", ["read-only", "latest_by_section.png", "CJK font", "index.html"]),
                           ("docs", ["docs-db", "static_index.html", "headless", "Chromium", "screenshot"])):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        text = capsys.readouterr().out
        for word in words:
            assert word in text, (command, word)


def test_a_glyph_missing_from_the_fonts_is_an_error(tmp_path):
    """What keeps boxes out of the charts: drawing a character the fonts lack fails."""
    from matplotlib.figure import Figure

    from report.charts import _strict_glyphs

    figure = Figure()
    figure.text(0.5, 0.5, "类款项", family="DejaVu Sans")
    with _strict_glyphs(), pytest.raises(UserWarning, match="missing from font"):
        figure.savefig(tmp_path / "boxes.png")


def _section(page: str, heading: str) -> str:
    start = page.index(heading)
    end = page.find("<h2>", start + len(heading))
    return page[start:end if end > 0 else len(page)]


def test_data_quality_documents_per_status(page, real_warehouse):
    """The sample documents: 13 clean, 3 rounding_only, none contradicting itself or not
    faithfully read (7 with findings): 司法局's and 财政局's misprints are known source findings
    with their evidence; the session's warehouse also had one bad document of each kind given
    to its build (tests/warehouses.py), each listed as rejected, and the blank template set
    aside; each document with its status and counts, the worst status first."""
    quality = _section(page, "<h2>数据质量 / Data quality</h2>")
    rows = [r for r in _table_rows(quality) if r]  # header rows have no <td>
    assert [r[0] for r in rows[:8]] == ["not_faithfully_read", "contradicts_itself", "incomplete", "rounding_only",
                                        "clean", "published", "rejected", "set aside"]
    # The blank final-account template among the samples is set aside, not rejected.
    assert [r[3] for r in rows[:8]] == ["0", "0", "0", "3", "13", "16", str(len(real_warehouse.bad) - 1), "1"]
    assert rows[5][2] == "7 with findings"
    documents = {r[4]: r for r in rows if len(r) == 14}
    assert len(documents) == 16
    # status, year, department, kind, file, findings, contradictions, rounding, known, missing
    # tables, fidelity gaps, other, across documents, superseded by
    assert documents["2024-final-finance.pdf"] == [
        "rounding_only", "2024", "上海市普陀区财政局", "部门决算", "2024-final-finance.pdf",
        "13", "0", "10", "1", "0", "0", "2", "0", ""]
    assert documents["2026-unit-justice.pdf"][:9] == [
        "rounding_only", "2026", "上海市普陀区司法局", "单位预算", "2026-unit-justice.pdf", "9", "0", "5", "4"]
    assert documents["xiamen-hrss-2024-budget.txt"][:9] == [
        "rounding_only", "2024", "厦门市人力资源和社会保障局", "预算", "xiamen-hrss-2024-budget.txt",
        "25", "0", "21", "21"]
    assert documents["2019-npc-office-tables.pdf"][:5] == [
        "clean", "2019", "江苏省人大常委会办公厅", "部门预算", "2019-npc-office-tables.pdf"]
    assert {r[4] for r in rows if len(r) == 14 and r[0] == "rounding_only"} == {
        "2024-final-finance.pdf", "2026-unit-justice.pdf", "xiamen-hrss-2024-budget.txt"}
    assert [r[0] for r in rows if len(r) == 14][:3] == ["rounding_only"] * 3
    rejected = {r[0] for r in rows if len(r) == 6}
    assert {path.name for path, _, _ in real_warehouse.bad} <= rejected
    assert "None: no stated change on the prior year" in quality
    # 财政局's 2024 部门决算 prints 2010601 行政运行 (page 10) and no 2025 or 2026 document does:
    # printed in one year only, no evidence of a change, so it is not listed as unresolved.
    assert not any(len(r) == 7 and r[1] == "2010601" for r in rows)
    assert not any(len(r) == 7 and r[1] == "2101101" for r in rows)  # 司法局 2026 prints it again


def test_data_quality_lists_rejected_documents_and_disagreements(warehouse, tmp_path):
    """A copy of the warehouse with one rejected document and one finding across documents (the
    rows a build writes for them; tests/publish/test_across_documents.py builds the finding):
    both are listed, and the text of a document stays text in the HTML."""
    import duckdb

    copy = tmp_path / "copy" / "budget.duckdb"
    copy.parent.mkdir()
    shutil.copyfile(warehouse, copy)
    message = ("2025-dept-district-office-cut.pdf: expected a complete PDF (ending in %%EOF); "
               "found 'a file cut short (no %%EOF trailer)' <script>")
    finding = ("2024 xiamen-d401-2024-budget.txt states office_operation_change -151.33 万元 "
               "(比2023年预算减少151.33万元); office_operation_cost 474.18 − 624.51 of 2023 "
               "xiamen-d401-2023-budget.txt = -150.33 万元")
    connection = duckdb.connect(str(copy))
    try:
        # The blank template the real build sets aside is counted on its own row, not as rejected.
        rejected_before = connection.execute("select file_name from meta.rejected_documents "
                                             "where rejection_kind <> 'blank_template'").fetchall()
        connection.execute(
            "insert into meta.rejected_documents (document_id, file_name, source_path, sha256, template, "
            "rejection_kind, message, superseded_document_id, rejected_at) values "
            "('0123456789abcdef', '2025-dept-district-office-cut.pdf', 'x/2025-dept-district-office-cut.pdf', "
            "'ab' || repeat('0', 62), null, 'unreadable', ?, null, now())", [message])
        connection.execute(
            "insert into marts.fct_parse_finding (finding_key, fiscal_year, department_code, finding_kind, "
            "severity, finding_subject, expected_value, actual_value, difference_value, message, document_id, "
            "file_name, table_id, source_line, document_scope, page_number) values ('k', 2024, '401', "
            "'stated_change_differs_from_prior_year', 'warn', 'office_operation_change', -150.33, -151.33, -1.00, "
            "?, 'd', 'xiamen-d401-2024-budget.txt', null, 598, 'department', null)", [finding])
    finally:
        connection.close()
    out = tmp_path / "report"
    assert main(["report", "--target", str(copy), "--out", str(out)]) == 0
    page = (out / "index.html").read_text(encoding="utf-8")
    quality = _section(page, "<h2>数据质量 / Data quality</h2>")
    rows = [r for r in _table_rows(quality) if r]
    assert rows[6][:1] + rows[6][3:] == ["rejected", str(len(rejected_before) + 1)]
    assert rows[7][:1] + rows[7][3:] == ["set aside", "1"]
    assert ["2025-dept-district-office-cut.pdf", "unreadable", message, "", "", "ab00000000000000"] in rows
    assert ["stated_change_differs_from_prior_year", "2024", "xiamen-d401-2024-budget.txt",
            "office_operation_change", "-150.33", "-151.33", "-1.00", finding, "line 598"] in rows
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "No document was rejected" not in quality


def test_font_ships_beside_the_page(report, page):
    """The report is a folder a reader opens offline: its @font-face loads a WOFF subset of
    Noto Sans SC beside index.html that holds every character of the page, with its licence."""
    from fontTools.ttLib import TTFont

    from report.html import FONT_FILE, FONT_LICENCE

    assert FONT_FILE == "fonts/noto-sans-sc-subset.woff"
    assert re.search(r'@font-face \{ font-family: "Noto Sans SC"; src: url\("fonts/noto-sans-sc-subset\.woff"\) '
                     r'format\("woff"\)', page)
    font_file = report / FONT_FILE
    data = font_file.read_bytes()
    assert data[:4] == b"wOFF" and 20_000 < len(data) < 200_000
    font = TTFont(str(font_file))
    assert font["name"].getDebugName(1) == "Noto Sans SC"
    cmap = {chr(code) for code in font.getBestCmap()}
    shown = set(unescape(re.sub(r"<[^>]+>", "", page))) - set("\n\t\r")
    assert {"部", "门", "预", "算", "厦", "陀", "决"} <= shown and shown <= cmap, sorted(shown - cmap)
    licence = (report / FONT_LICENCE).read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence and "Adobe" in licence
    assert "pylopdf-fonts-zh-cn" in licence and "noto-sans-sc-subset.woff" in licence
    assert f'href="{FONT_LICENCE}"' in page


def test_chinese_is_drawn_without_system_cjk_fonts(report, chromium):
    """On a screenshot, as a reader without CJK fonts sees it (Chromium with the system's fonts,
    any CJK one hidden): characters of the page's headings and department names, drawn one per
    cell in the page itself by its own CSS and shipped font, are distinct pictures; the same
    page without its @font-face draws them all as the same box, and the check says so."""
    from report import docs_site

    index = report / "index.html"
    characters = docs_site.cjk_characters(docs_site.rendered_text(index.read_text(encoding="utf-8")))
    assert characters == "部门预算报告万元"
    glyphs = docs_site.glyph_check(index, characters, ARTEFACTS / "report" / "glyphs.png")
    assert glyphs.drawn, glyphs
    boxes = docs_site.glyph_check(index, characters, ARTEFACTS / "report" / "glyphs-without-font.png", strip_font=True)
    assert not boxes.drawn and boxes.distinct == 1 and boxes.inked == len(characters), boxes
    assert not list(report.glob(".glyph-probe-*"))  # the probe copy is removed
    docs_site.screenshot(index, ARTEFACTS / "report" / "page.png", size=(1200, 900))  # to look at


def test_plain_machine_fonts_hide_an_installed_cjk_font(tmp_path):
    """What the screenshots run with: even a CJK font fontconfig knows about is not offered."""
    import os
    import subprocess

    if not shutil.which("fc-list"):
        pytest.skip("fc-list (fontconfig) is not installed")
    conf = fonts.plain_fontconfig(tmp_path / "plain")
    with_font = conf.read_text(encoding="utf-8").replace(
        "<cachedir>", f"<dir>{fonts.cjk_font_path().parent}</dir>\n  <cachedir>")
    (tmp_path / "with-font.conf").write_text(with_font, encoding="utf-8")
    for config in (conf, tmp_path / "with-font.conf"):
        env = {**os.environ, "FONTCONFIG_FILE": str(config)}
        listed = subprocess.run(["fc-list", ":lang=zh"], env=env, capture_output=True, text=True, check=True)
        assert listed.stdout.strip() == "", config
        everything = subprocess.run(["fc-list"], env=env, capture_output=True, text=True, check=True)
        assert everything.stdout.strip()  # the other system fonts stay


def test_page_characters_read_json_escapes():
    chars = fonts.page_characters('{"d": "\\u91d1\\u989d \\ud83d\\ude00 \\ud83d"} 中')
    assert {"金", "额", "中", "\U0001F600", "A", "，"} <= set(chars)
    assert not any(0xD800 <= ord(c) <= 0xDFFF for c in chars) and "\n" not in chars


def test_the_department_of_the_charts_is_the_one_asked_for_or_the_one_with_most_years(warehouse):
    """By code or by name; by default the department whose 部门预算 the warehouse holds for the
    most years (the Jiangsu departments, 2017-2019), the latest first; one it does not hold is
    an error naming it."""
    from report.data import WarehouseMissing, load

    assert (load(warehouse, "403").department_name, load(warehouse, "403").latest_year) == ("厦门市人力资源和社会保障局", 2024)
    assert load(warehouse, "江苏省高级人民法院").latest_year == 2019
    assert load(warehouse).department_name in {"江苏省高级人民法院", "江苏省人大常委会办公厅"}
    with pytest.raises(WarehouseMissing, match="no 部门预算 of department '999'"):
        load(warehouse, "999")
