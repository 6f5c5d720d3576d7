"""Build the static report: read the warehouse (read-only), draw the PNG charts, write
index.html beside them."""

from __future__ import annotations

from pathlib import Path

from report import charts as chart_module
from report.data import load
from report.html import render

CHART_NAMES = ("latest_by_section", "subject_change", "basic_project", "three_public", "reconciliation",
               "budget_execution")


def build_report(warehouse: Path, out: Path) -> Path:
    """Write OUT/index.html and OUT/<chart>.png from WAREHOUSE; returns the index path."""
    data = load(Path(warehouse))
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    for name in CHART_NAMES:  # a chart without data this time must not survive from the last run
        (out / f"{name}.png").unlink(missing_ok=True)
    charts = chart_module.render_all(data, out)
    index = out / "index.html"
    index.write_text(render(data, charts), encoding="utf-8")
    return index
