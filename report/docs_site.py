"""The dbt docs site: generate it from a copy of the warehouse, and check in headless Chromium
that it really renders (the model list and a mart's page with its columns), not just that a
file was written.

dbt opens its database for writing, even for ``docs generate``, so it is pointed at a copy:
the published warehouse analysts have open is never touched. ``DBT_TARGET_PATH`` puts the
site (static_index.html, index.html, manifest.json, catalog.json) where the caller wants it.

The site must read on a machine without CJK fonts, so ``embed_font`` writes into the head of
static_index.html a subset of Noto Sans SC (every CJK character of the file, the embedded
manifest and catalog included) as a base64 data: URL, with CSS putting it first in each of dbt's
font stacks: still one file, still offline. ``glyph_check`` proves it on a screenshot taken with
the fonts a plain machine has (report.fonts.plain_fontconfig): distinct Chinese characters must
come out as distinct pictures, where missing glyphs all come out as the same empty box."""

from __future__ import annotations

import base64
import html
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
ENSURE_CHROMIUM = PROJECT_ROOT / "scripts" / "ensure_chromium.sh"
# Without the background-networking flags Chromium tries to reach Google's services and, on a
# closed network, has its connections refused many at a time.
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
MODEL_PREFIX = "model.budget_warehouse."


class DocsFailed(RuntimeError):
    pass


def generate(warehouse: Path, out: Path, quiet: bool = False) -> Path:
    """``dbt docs generate --static`` against a copy of WAREHOUSE, written into OUT (dbt's
    target path); returns OUT/static_index.html."""
    warehouse, out = Path(warehouse).resolve(), Path(out).resolve()
    if not warehouse.is_file():
        raise DocsFailed(f"no warehouse at {warehouse}: run `make build` first")
    out.mkdir(parents=True, exist_ok=True)
    copy_folder = out / "docs-db"
    copy_folder.mkdir(exist_ok=True)
    copy = copy_folder / warehouse.name  # same file name: DuckDB names the catalog after it
    shutil.copyfile(warehouse, copy)
    env = {**os.environ, "BUDGET_WAREHOUSE_PATH": str(copy), "DBT_TARGET_PATH": str(out),
           "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    env.setdefault("DBT_LOG_PATH", str(out / "logs"))
    dbt = shutil.which("dbt", path=str(Path(sys.executable).parent)) or "dbt"
    result = subprocess.run(
        [dbt, "docs", "generate", "--static", "--project-dir", str(PROJECT_ROOT),
         "--profiles-dir", str(PROJECT_ROOT)],
        cwd=PROJECT_ROOT, env=env, capture_output=quiet, text=True)
    if result.returncode != 0:
        if quiet:
            sys.stderr.write((result.stdout or "")[-6000:])
        raise DocsFailed(f"dbt docs generate failed (exit {result.returncode})")
    site = out / "static_index.html"
    if not site.is_file():
        raise DocsFailed(f"dbt docs generate wrote no {site}")
    embed_font(site)
    return site


# What the embedded font covers: CJK ideographs and punctuation, kana, full-width forms. Latin
# text keeps dbt's own fonts; code keeps its monospace font and gets its Chinese from this one.
CJK_UNICODE_RANGE = ("U+2E80-2FDF", "U+3000-30FF", "U+3100-312F", "U+31C0-31FF", "U+3200-4DBF",
                     "U+4E00-9FFF", "U+F900-FAFF", "U+FE30-FE4F", "U+FF00-FFEF", "U+20000-2FA1F")
FONT_STYLE_ID = "budgetwh-cjk-font"
GENERIC_FAMILIES = ("sans-serif", "serif", "monospace", "system-ui")


def _in_cjk_range(char: str) -> bool:
    code = ord(char)
    for part in CJK_UNICODE_RANGE:
        low, high = (int(x, 16) for x in part.removeprefix("U+").split("-"))
        if low <= code <= high:
            return True
    return False


def _font_stack_overrides(page: str, family: str) -> list[str]:
    """For every rule of dbt's CSS (bundled in the page's scripts, injected at run time) that
    sets a font stack ending in a generic family, the same selector under `html body` (more
    specific, so it wins although dbt's styles come later) with FAMILY put first. Icon fonts
    (stacks without a generic family) are left alone."""
    rules: dict[str, str] = {}
    for match in re.finditer(r"font-family:\s*([^;{}!]+)", page):
        stack = " ".join(match.group(1).replace("\\n", " ").replace("\\t", " ").split())
        last = stack.split(",")[-1].strip().strip('"\'').lower()
        if last not in GENERIC_FAMILIES or family in stack:
            continue
        brace = page.rfind("{", max(0, match.start() - 2000), match.start())
        if brace < 0 or "}" in page[brace:match.start()]:
            continue
        start = max(page.rfind(c, max(0, brace - 2000), brace) for c in "{};")
        selectors = page[start + 1:brace].replace("\\n", " ").replace("\\t", " ")
        for selector in selectors.split(","):
            selector = " ".join(selector.split())
            if (not selector or selector.startswith("@") or len(selector) > 80
                    or not re.fullmatch(r"[A-Za-z0-9_\-.#:\[\]=\"*^$|() >+~]+", selector)
                    or selector.count('"') % 2 or selector.count("[") != selector.count("]")):
                continue
            scoped = "html body" if selector in ("html", "body") else f"html body {selector}"
            rules[scoped] = stack  # the later rule, as in dbt's own cascade
    return [f'{sel} {{ font-family: "{family}", {stack} !important; }}' for sel, stack in rules.items()]


def embed_font(site: Path) -> int:
    """Put a subset of the CJK font (every CJK character in SITE, JSON escapes included) into
    SITE's head as a data: URL @font-face, and put it first in every font stack of the page;
    returns the font's size in bytes (before base64). Running it again replaces the last one."""
    from report import fonts

    site = Path(site)
    page = site.read_text(encoding="utf-8")
    page = re.sub(rf'<style id="{FONT_STYLE_ID}">.*?</style>', "", page, flags=re.S)
    characters = "".join(c for c in fonts.page_characters(page) if _in_cjk_range(c))
    family = fonts.family_name()
    with tempfile.TemporaryDirectory(prefix="budgetwh-font-") as folder:
        data = fonts.subset_font(characters, Path(folder) / "subset.woff").read_bytes()
    encoded = base64.b64encode(data).decode("ascii")
    style = (f'<style id="{FONT_STYLE_ID}">\n'
             f"/* {family}: a subset (fontTools) to the {len(characters)} CJK characters of this file. "
             "SIL Open Font License 1.1, https://openfontlicense.org; from the Python package "
             "pylopdf-fonts-zh-cn, upstream https://github.com/notofonts/noto-cjk */\n"
             f'@font-face {{ font-family: "{family}"; src: url(data:font/woff;base64,{encoded}) format("woff"); '
             f"font-weight: 400; font-style: normal; font-display: block; "
             f"unicode-range: {', '.join(CJK_UNICODE_RANGE)}; }}\n"
             + "\n".join(_font_stack_overrides(page, family)) + "\n</style>")
    head_end = page.find("</head>")
    if head_end < 0:
        raise DocsFailed(f"{site} has no </head> to put the font in")
    site.write_text(page[:head_end] + style + page[head_end:], encoding="utf-8")
    return len(data)


def ensure_chromium() -> Path:
    """/usr/bin/chromium, installed from Debian by scripts/ensure_chromium.sh where missing."""
    if not CHROMIUM.exists():
        result = subprocess.run(["sh", str(ENSURE_CHROMIUM)], capture_output=True, text=True)
        if result.returncode != 0 or not CHROMIUM.exists():
            raise DocsFailed("headless Chromium is not available and could not be installed: "
                             + (result.stderr.strip().splitlines() or ["(no message)"])[-1])
    return CHROMIUM


def chromium(url: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run headless Chromium once on URL with a new profile and the fonts of a plain machine:
    the system's, with any CJK font hidden (report.fonts.plain_fontconfig). Chinese text is
    drawn only if the page brings its own font, as on a reader's machine without one."""
    from report.fonts import plain_fontconfig

    binary = ensure_chromium()
    with tempfile.TemporaryDirectory(prefix="budgetwh-chromium-") as profile:
        env = {**os.environ, "FONTCONFIG_FILE": str(plain_fontconfig(Path(profile) / "fontconfig"))}
        return subprocess.run(
            [str(binary), *CHROMIUM_FLAGS, f"--user-data-dir={Path(profile) / 'profile'}", *args, url],
            capture_output=True, text=True, timeout=timeout, env=env)


def page_url(site: Path, fragment: str = "") -> str:
    return Path(site).resolve().as_uri() + (f"#!/{fragment}" if fragment else "")


def dump_dom(site: Path, fragment: str = "", budget_ms: int = 15000) -> str:
    result = chromium(page_url(site, fragment), "--dump-dom", f"--virtual-time-budget={budget_ms}")
    if result.returncode != 0 or not result.stdout:
        raise DocsFailed(f"chromium --dump-dom failed (exit {result.returncode}): {result.stderr[-2000:]}")
    return result.stdout


def screenshot(site: Path, png: Path, fragment: str = "", size: tuple[int, int] = (1400, 1000),
               budget_ms: int = 15000) -> Path:
    png = Path(png).resolve()
    png.parent.mkdir(parents=True, exist_ok=True)
    png.unlink(missing_ok=True)
    result = chromium(page_url(site, fragment), f"--screenshot={png}", f"--window-size={size[0]},{size[1]}",
                      f"--virtual-time-budget={budget_ms}")
    if result.returncode != 0 or not png.is_file():
        raise DocsFailed(f"chromium --screenshot failed (exit {result.returncode}): {result.stderr[-2000:]}")
    return png


PROBE_ID = "budgetwh-glyph-probe"
PROBE_CELL = 64  # px: one character per cell, drawn at 48px


@dataclass
class GlyphCheck:
    """A screenshot of CHARACTERS drawn one per cell by the page's own CSS and fonts: a
    character the fonts lack comes out as the same empty box as every other one, so distinct
    characters drawn as distinct, inked pictures are real glyphs."""
    screenshot: Path
    characters: str
    distinct: int  # how many different pictures the cells hold
    inked: int  # how many cells hold any dark pixel

    @property
    def drawn(self) -> bool:
        return self.distinct == len(self.characters) == self.inked


def cjk_characters(text: str, count: int = 8) -> str:
    """The first COUNT distinct CJK ideographs of TEXT (what the glyph check draws)."""
    seen: list[str] = []
    for char in text:
        if "\u4e00" <= char <= "\u9fff" and char not in seen:
            seen.append(char)
            if len(seen) == count:
                break
    return "".join(seen)


def without_font(page: str, family: str = "Noto Sans SC") -> str:
    """PAGE with its @font-face rules for FAMILY removed: the page as it was before it shipped
    its font, which the glyph check must find drawn as boxes."""
    return re.sub(r"@font-face\s*\{[^{}]*" + re.escape(f'"{family}"') + r"[^{}]*\}", "", page)


def glyph_check(page: Path, characters: str, png: Path, fragment: str = "", strip_font: bool = False,
                budget_ms: int = 15000) -> GlyphCheck:
    """Draw CHARACTERS in PAGE itself, with its own CSS and font, in headless Chromium with the
    fonts of a plain machine (chromium()), and compare the pictures. A copy of PAGE gets a box
    at the top of the window holding one character per cell, in the page's inherited font
    family; the copy sits beside PAGE so its relative font URL resolves, and is removed after.
    STRIP_FONT removes the page's @font-face first (without_font), to show the check fails."""
    from PIL import Image

    page = Path(page)
    text = page.read_text(encoding="utf-8")
    if strip_font:
        text = without_font(text)
    cells = "".join(
        f'<div style="position:absolute;left:{i * PROBE_CELL}px;top:0;width:{PROBE_CELL}px;'
        f'height:{PROBE_CELL}px;font-size:48px;line-height:{PROBE_CELL}px;text-align:center;'
        f'overflow:hidden">{html.escape(char)}</div>' for i, char in enumerate(characters))
    probe = (f'<div id="{PROBE_ID}" style="position:fixed;left:0;top:0;margin:0;padding:0;border:0;'
             f"width:{PROBE_CELL * len(characters)}px;height:{PROBE_CELL}px;background:#fff;color:#000;"
             f'font-weight:400;font-style:normal;letter-spacing:0;z-index:2147483647">{cells}</div>')
    at = text.rfind("</body>")
    text = text[:at] + probe + text[at:] if at >= 0 else text + probe
    copy = page.with_name(f".glyph-probe-{page.name}")
    copy.write_text(text, encoding="utf-8")
    try:
        shot = screenshot(copy, png, fragment, size=(max(800, PROBE_CELL * len(characters)), 600),
                          budget_ms=budget_ms)
    finally:
        copy.unlink(missing_ok=True)
    with Image.open(shot) as image:
        grey = image.convert("L")
        crops = [grey.crop((i * PROBE_CELL, 0, (i + 1) * PROBE_CELL, PROBE_CELL)) for i in range(len(characters))]
    inked = sum(1 for crop in crops if crop.getextrema()[0] < 128)
    return GlyphCheck(screenshot=shot, characters=characters,
                      distinct=len({crop.tobytes() for crop in crops}), inked=inked)


def rendered_text(dom: str) -> str:
    """The text a reader sees: the static site embeds the whole manifest and catalog in
    <script> elements, so a name found there proves nothing. Scripts and styles are dropped."""
    body = re.sub(r"<(script|style|template)\b.*?</\1\s*>", " ", dom, flags=re.S | re.I)
    body = re.sub(r"<!--.*?-->", " ", body, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", " ", body))
    return re.sub(r"\s+", " ", text)


def listed_models(dom: str) -> set[str]:
    """Model names in the rendered navigation tree (Angular writes data-nav-unique-id on every
    entry it renders)."""
    body = re.sub(r"<script\b.*?</script\s*>", " ", dom, flags=re.S | re.I)
    return {m.removeprefix(MODEL_PREFIX)
            for m in re.findall(r'data-nav-unique-id="(model\.budget_warehouse\.[A-Za-z0-9_]+)"', body)}


def mart_models() -> set[str]:
    return {p.stem for p in (PROJECT_ROOT / "models" / "marts").glob("*.sql")}


@dataclass
class SiteCheck:
    site: Path
    screenshot: Path | None
    model: str
    models_listed: set[str]
    model_page_text: str
    overview_text: str
    glyphs: GlyphCheck | None = None


def check(site: Path, screenshot_png: Path | None = None, model: str = "fct_expenditure",
          column: str = "amount_yuan", column_text: str = "金额（元） / Amount in yuan") -> SiteCheck:
    """Open the model's page in headless Chromium and require what a reader must see: the
    model's title and relation, the column with its Chinese description, every mart in the
    model list, and the project overview explaining the crosswalk and the measures."""
    dom = dump_dom(site, f"model/{MODEL_PREFIX}{model}")
    text = rendered_text(dom)
    missing = [want for want in (model, f"budget.marts.{model}", column, column_text, "Columns")
               if want not in text]
    if missing:
        raise DocsFailed(f"the rendered page of {model} lacks {missing!r}")
    listed = listed_models(dom)
    absent = mart_models() - listed
    if absent:
        raise DocsFailed(f"the model list does not show the marts {sorted(absent)}")
    overview = rendered_text(dump_dom(site, "overview"))
    missing = [want for want in ("subject_code_crosswalk", "map_subject_code", "general_public_budget_wan",
                                 "general_public_budget_with_transfers_wan", "对区转移支付")
               if want not in overview]
    if missing:
        raise DocsFailed(f"the overview page lacks {missing!r}")
    shot = screenshot(site, screenshot_png, f"model/{MODEL_PREFIX}{model}") if screenshot_png else None
    glyphs = None
    if screenshot_png:
        # the Chinese of the model page, drawn by the site's own CSS and embedded font with
        # the fonts of a plain machine: distinct characters must not come out as the same box
        characters = cjk_characters(text)
        glyphs = glyph_check(site, characters, Path(screenshot_png).with_name(f"{model}-glyphs.png"),
                             f"model/{MODEL_PREFIX}{model}")
        if not glyphs.drawn:
            raise DocsFailed(f"the site draws {characters!r} as {glyphs.distinct} distinct pictures "
                             f"({glyphs.inked} inked) in {glyphs.screenshot}: its Chinese shows as "
                             "boxes on a machine without CJK fonts")
    return SiteCheck(site=site, screenshot=shot, model=model, models_listed=listed,
                     model_page_text=text, overview_text=overview, glyphs=glyphs)
