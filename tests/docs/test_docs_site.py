"""The dbt docs site, as a reader sees it: generated into a temporary target path from a copy
of a freshly built warehouse, then opened in headless Chromium (Debian's chromium, installed
by scripts/ensure_chromium.sh where missing). The static file embeds the whole manifest in a
<script>, so every check reads only what Chromium rendered, never the embedded JSON."""

from __future__ import annotations

import base64
import hashlib
import io
import re
import shutil

import pytest

from report import docs_site
from report import fonts
from tests.report.warehouse import ARTEFACTS

MODEL = "fct_expenditure"


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


def _embedded_font(site_text: str) -> bytes:
    styles = re.findall(rf'<style id="{docs_site.FONT_STYLE_ID}">(.*?)</style>', site_text, flags=re.S)
    assert len(styles) == 1
    encoded = re.search(r'url\(data:font/woff;base64,([A-Za-z0-9+/=]+)\) format\("woff"\)', styles[0]).group(1)
    return base64.b64decode(encoded)


def test_site_embeds_a_font_with_every_chinese_character_it_holds(site):
    """One file still: the font is a data: URL in the head, cut to the CJK characters of the
    whole file (the embedded manifest and catalog, JSON escapes included), and small."""
    from fontTools.ttLib import TTFont

    text = site.read_text(encoding="utf-8")
    data = _embedded_font(text)
    assert data[:4] == b"wOFF" and len(data) < 300_000
    assert site.stat().st_size < 8_000_000
    font = TTFont(io.BytesIO(data))
    assert font["name"].getDebugName(1) == "Noto Sans SC"
    assert "Open Font License" in font["name"].getDebugName(13)
    wanted = {c for c in fonts.page_characters(text) if docs_site._in_cjk_range(c)}
    assert {"金", "额", "支", "出", "转", "移"} <= wanted and len(wanted) > 300
    assert wanted <= {chr(code) for code in font.getBestCmap()}
    # dbt's font stacks (body, headings, code) put it first; its icon fonts are left alone
    style = re.search(rf'<style id="{docs_site.FONT_STYLE_ID}">(.*?)</style>', text, flags=re.S).group(1)
    for selector in ("html body {", "html body h1 {", "html body code {"):
        assert f'{selector} font-family: "Noto Sans SC", ' in style
    assert "entypo" not in style and "arrows" not in style
    # nothing fetched: the only url() of the injected style is the data: URL
    assert [url[:22] for url in re.findall(r"url\(([^)]*)\)", style)] == ["data:font/woff;base64,"]


def test_embedding_again_replaces_the_font(site, tmp_path):
    copy = tmp_path / "static_index.html"
    shutil.copyfile(site, copy)
    size = docs_site.embed_font(copy)
    assert copy.read_text(encoding="utf-8").count(f'<style id="{docs_site.FONT_STYLE_ID}">') == 1
    assert size == len(_embedded_font(copy.read_text(encoding="utf-8")))
    assert abs(copy.stat().st_size - site.stat().st_size) < 1000


def test_chinese_is_drawn_without_system_cjk_fonts(checked, site):
    """On a screenshot, as a reader without CJK fonts sees it: Chromium runs with the system's
    fonts minus any CJK one, the model page's Chinese characters are drawn one per cell in
    the site's own CSS and embedded font, and each comes out as a different picture. The same
    page without its @font-face draws every one as the same box, and the check says so."""
    glyphs = checked.glyphs
    assert glyphs is not None and glyphs.drawn, glyphs
    assert len(glyphs.characters) == 8 and set(glyphs.characters) <= set(checked.model_page_text)
    boxes = docs_site.glyph_check(site, glyphs.characters, ARTEFACTS / "docs" / f"{MODEL}-glyphs-without-font.png",
                                  f"model/{docs_site.MODEL_PREFIX}{MODEL}", strip_font=True)
    assert not boxes.drawn and boxes.distinct == 1 and boxes.inked == len(glyphs.characters), boxes
