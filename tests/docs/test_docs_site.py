"""The dbt docs site, as a reader sees it: generated into a temporary target path from a copy
of a freshly built warehouse, then opened in headless Chromium (Debian's chromium, installed
by scripts/ensure_chromium.sh where missing). The static file embeds the whole manifest in a
<script>, so every check reads only what Chromium rendered, never the embedded JSON."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess

import pytest

from report import docs_site
from tests.report.warehouse import ARTEFACTS, ROOT

MODEL = "fct_expenditure"


@pytest.fixture(scope="module")
def chromium():
    result = subprocess.run(["sh", str(ROOT / "scripts" / "ensure_chromium.sh")], capture_output=True, text=True)
    if result.returncode != 0 or not docs_site.CHROMIUM.exists():
        reason = (result.stderr.strip().splitlines() or ["(no message)"])[-1]
        pytest.skip(f"headless Chromium is not installed and could not be installed: {reason}")
    return docs_site.CHROMIUM


@pytest.fixture(scope="module")
def site(chromium, warehouse, tmp_path_factory):
    before = hashlib.sha256(warehouse.read_bytes()).hexdigest()
    out = tmp_path_factory.mktemp("docs-target")
    path = docs_site.generate(warehouse, out, quiet=True)
    # dbt opened a copy for writing, never the warehouse itself.
    assert hashlib.sha256(warehouse.read_bytes()).hexdigest() == before
    return path


@pytest.fixture(scope="module")
def checked(site):
    """One pass of the same check `python -m budgetwh docs --check` runs: the model page, the
    overview and a screenshot, kept under target/test-artefacts/docs/ to look at."""
    shot = ARTEFACTS / "docs" / f"{MODEL}.png"
    result = docs_site.check(site, shot, model=MODEL)
    shutil.copyfile(site, ARTEFACTS / "docs" / "static_index.html")
    return result


def test_generated_into_the_given_target_path(site):
    assert site.name == "static_index.html"
    assert site.stat().st_size > 500_000
    for name in ("index.html", "manifest.json", "catalog.json"):
        assert (site.parent / name).is_file()


def test_the_unrendered_file_shows_none_of_it(site):
    """What the checks below find can only come from rendering: outside its scripts the
    static file holds neither the column nor its description."""
    text = docs_site.rendered_text(site.read_text(encoding="utf-8"))
    assert "amount_yuan" not in text and "金额（元）" not in text
    assert not docs_site.listed_models(site.read_text(encoding="utf-8"))


def test_mart_page_renders_columns_with_chinese_descriptions(checked):
    text = checked.model_page_text
    # dbt docs titles a model with its materialization: the facts are incremental on DuckDB.
    assert f"{MODEL} incremental" in text
    assert f"Relation budget.marts.{MODEL}" in text
    assert "支出事实表 / Budgeted expenditure at 项 level" in text
    # the column table: name, type, then its description (中文 / English)
    assert re.search(r"amount_yuan DECIMAL\(\d+,\s*\d+\) 金额（元） / Amount in yuan, exact DECIMAL \(no floating point\): "
                     r"amount_wan × 10000 for a", text), text[:3000]
    assert re.search(r"is_transfer_to_lower_level BOOLEAN 是否对区转移支付 / Transfer to lower level", text)
    assert "fund_source VARCHAR 资金来源 / Fund source" in text


def test_model_list_shows_every_mart(checked):
    marts = docs_site.mart_models()
    assert len(marts) >= 15
    assert marts <= checked.models_listed
    assert {"stg_xiamen__documents", "int_crosswalk_links_resolved"} <= checked.models_listed


def test_overview_explains_crosswalk_and_measures(checked):
    text = checked.overview_text
    assert "科目对照 / The classification crosswalk" in text
    assert "口径 / Measure definitions" in text
    assert "2011008 引进人才费用" in text and "2080116 引进人才费用" in text
    for column in ("general_public_budget_wan", "general_public_budget_transfers_wan",
                   "general_public_budget_with_transfers_wan", "is_transfer_to_lower_level"):
        assert column in text
    assert "2024 keeps its 20,826.00 万元 outside its 159,318.40 万元 total" in text


def test_screenshot_shows_the_page(checked):
    from PIL import Image

    shot = checked.screenshot
    assert shot == ARTEFACTS / "docs" / f"{MODEL}.png" and shot.is_file()
    with Image.open(shot) as image:
        assert image.size == (1400, 1000)
        colours = image.convert("RGB").getcolors(maxcolors=1_000_000)
    # a blank or error page has a handful of colours; the rendered page (logo, text,
    # anti-aliased CJK glyphs, highlighted menu entry) has thousands
    assert colours is not None and len(colours) > 500
