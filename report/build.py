"""Build the static report: read the warehouse (read-only), draw the PNG charts, write
index.html beside them, and the subset of the CJK font the page uses with its licence in
fonts/ (a reader's machine may have no CJK font)."""

from __future__ import annotations

from pathlib import Path

from report import charts as chart_module
from report import fonts
from report.data import load
from report.html import FONT_FILE, FONT_LICENCE, render

CHART_NAMES = ("latest_by_section", "subject_change", "basic_project", "three_public", "reconciliation",
               "budget_execution")


def build_report(warehouse: Path, out: Path, department: str | None = None) -> Path:
    """Write OUT/index.html, OUT/<chart>.png and OUT/fonts/ (the CJK font cut to the page's
    characters, and its licence) from WAREHOUSE; returns the index path."""
    data = load(Path(warehouse), department)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    for name in CHART_NAMES:  # a chart without data this time must not survive from the last run
        (out / f"{name}.png").unlink(missing_ok=True)
    charts = chart_module.render_all(data, out)
    page = render(data, charts)
    font = fonts.subset_font(fonts.page_characters(page), out / FONT_FILE)
    (out / FONT_LICENCE).write_text(fonts.font_notice(font), encoding="utf-8")
    index = out / "index.html"
    index.write_text(page, encoding="utf-8")
    return index
