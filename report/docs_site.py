"""The dbt docs site: generate it from a copy of the warehouse, and check in headless Chromium
that it really renders (the model list and a mart's page with its columns), not just that a
file was written.

dbt opens its database for writing, even for ``docs generate``, so it is pointed at a copy:
the published warehouse analysts have open is never touched. ``DBT_TARGET_PATH`` puts the
site (static_index.html, index.html, manifest.json, catalog.json) where the caller wants it."""

from __future__ import annotations

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
    return site


def ensure_chromium() -> Path:
    """/usr/bin/chromium, installed from Debian by scripts/ensure_chromium.sh where missing."""
    if not CHROMIUM.exists():
        result = subprocess.run(["sh", str(ENSURE_CHROMIUM)], capture_output=True, text=True)
        if result.returncode != 0 or not CHROMIUM.exists():
            raise DocsFailed("headless Chromium is not available and could not be installed: "
                             + (result.stderr.strip().splitlines() or ["(no message)"])[-1])
    return CHROMIUM


def chromium(url: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run headless Chromium once on URL with a new profile; the CJK font is added through
    fontconfig so Chinese text is drawn in screenshots."""
    from report.fonts import CJKFontMissing, fontconfig_file

    binary = ensure_chromium()
    with tempfile.TemporaryDirectory(prefix="budgetwh-chromium-") as profile:
        env = dict(os.environ)
        try:
            env["FONTCONFIG_FILE"] = str(fontconfig_file(Path(profile) / "fontconfig"))
        except CJKFontMissing:
            pass  # the DOM checks do not need it; a screenshot would show boxes
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
    return SiteCheck(site=site, screenshot=shot, model=model, models_listed=listed,
                     model_page_text=text, overview_text=overview)
