"""PNG charts of the report (matplotlib, Agg, no display). Every label is Chinese or a code, so
the CJK font is registered first; a glyph missing from the fonts is an error, not boxes."""

from __future__ import annotations

import warnings
from contextlib import contextmanager
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from report.data import ReportData  # noqa: E402
from report.fonts import register_cjk_font  # noqa: E402

COLOURS = {
    "general_public_budget": "#2f6db3",
    "transfers": "#f0a030",
    "non_fiscal": "#5aa469",
    "government_fund": "#8e6bb8",
    "state_capital": "#c0504d",
}
SEGMENTS = [  # (key in ReportData.sections, legend label, colour)
    ("general_public_budget_wan", "一般公共预算（不含转移支付）", COLOURS["general_public_budget"]),
    ("transfers_wan", "对区转移支付", COLOURS["transfers"]),
    ("non_fiscal_wan", "非财政拨款", COLOURS["non_fiscal"]),
    ("government_fund_wan", "政府性基金预算", COLOURS["government_fund"]),
    ("state_capital_wan", "国有资本经营预算", COLOURS["state_capital"]),
]
THREE_PUBLIC = [
    ("outbound_travel", "因公出国（境）费"),
    ("official_reception", "公务接待费"),
    ("vehicle_purchase", "公务用车购置费"),
    ("vehicle_operation", "公务用车运行费"),
]
DPI = 110
thousands = FuncFormatter(lambda value, _: f"{value:,.0f}")


@contextmanager
def _strict_glyphs():
    """Turn matplotlib's 'Glyph … missing from font(s)' warning into an error."""
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=r"Glyph .* missing from")
        yield


def _short(text: str, limit: int = 16) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _save(figure: Figure, path: Path) -> Path:
    figure.savefig(path, dpi=DPI, bbox_inches="tight", facecolor="white")
    return path


def render_all(data: ReportData, out: Path) -> dict[str, Path]:
    register_cjk_font()
    charts = {}
    with _strict_glyphs():
        if data.sections:
            charts["latest_by_section"] = latest_by_section(data, out / "latest_by_section.png")
        if data.comparison:
            charts["subject_change"] = subject_change(data, out / "subject_change.png")
        if data.basic_project:
            charts["basic_project"] = basic_project(data, out / "basic_project.png")
        if data.three_public:
            charts["three_public"] = three_public(data, out / "three_public.png")
        if data.reconciliation_summary:
            charts["reconciliation"] = reconciliation(data, out / "reconciliation.png")
        if data.execution:
            charts["budget_execution"] = budget_execution(data, out / "budget_execution.png")
    return charts


def latest_by_section(data: ReportData, path: Path) -> Path:
    """The latest year's budget by 类 (top) and 款 (bottom), stacked by fund source, transfers
    to districts apart."""
    sections = data.sections
    classes: dict[str, dict] = {}
    for row in sections:
        entry = classes.setdefault(row["class_code"], {"label": f"{row['class_code']} {row['class_name']}"})
        for key, _, _ in SEGMENTS:
            entry[key] = entry.get(key, 0) + float(row[key])
    segments = [s for s in SEGMENTS if any(float(r[s[0]]) for r in sections)]
    n_class, n_section = len(classes), len(sections)
    figure = Figure(figsize=(11, 1.6 + 0.42 * (n_class + n_section)))
    grid = figure.add_gridspec(2, 1, height_ratios=[max(n_class, 1), max(n_section, 1)], hspace=0.35)
    panels = [
        (figure.add_subplot(grid[0]), list(classes.values()), f"{data.latest_year}年 按类（万元；条末数字为含转移支付合计）"),
        (figure.add_subplot(grid[1]),
         [{**r, "label": f"{r['section_code']} {_short(r['section_name'], 18)}"} for r in sections],
         f"{data.latest_year}年 按款（万元）"),
    ]
    for axis, rows, title in panels:
        labels = [r["label"] for r in rows]
        positions = range(len(rows))
        left = [0.0] * len(rows)
        for key, label, colour in segments:
            values = [float(r[key]) for r in rows]
            axis.barh(positions, values, left=left, color=colour, label=label, height=0.7)
            left = [a + b for a, b in zip(left, values)]
        for y, total in zip(positions, left):
            axis.text(total, y, f" {total:,.2f}", va="center", fontsize=8)
        axis.set_yticks(list(positions), labels, fontsize=9)
        axis.invert_yaxis()
        axis.xaxis.set_major_formatter(thousands)
        axis.set_xlim(0, max(left or [1]) * 1.18)
        axis.set_title(title, loc="left", fontsize=11)
        axis.grid(axis="x", alpha=0.3)
        axis.spines[["top", "right"]].set_visible(False)
    panels[0][0].legend(loc="lower right", fontsize=8, frameon=False)
    total_without = sum(float(r["without_transfers_wan"]) for r in sections)
    total_transfers = sum(float(r["transfers_wan"]) for r in sections)
    figure.suptitle(f"{data.latest_year}年部门预算支出：按功能分类 类/款（不含转移支付 {total_without:,.2f} 万元，"
                    f"另有对区转移支付 {total_transfers:,.2f} 万元）", x=0.02, ha="left", fontsize=12)
    return _save(figure, path)


def subject_change(data: ReportData, path: Path, top: int = 15) -> Path:
    """Totals per year and the largest changes by conformed subject, with and without
    transfers to districts."""
    rows = data.comparison[:top]
    previous, latest = rows[0]["previous_fiscal_year"], rows[0]["fiscal_year"]
    figure = Figure(figsize=(13, 1.8 + 0.45 * len(rows)))
    grid = figure.add_gridspec(1, 2, width_ratios=[1, 2.6], wspace=0.85)

    totals = figure.add_subplot(grid[0])
    years = [str(r["fiscal_year"]) for r in data.totals_by_year]
    width = 0.38
    xs = range(len(years))
    without = [float(r["general_public_budget_wan"]) for r in data.totals_by_year]
    with_transfers = [float(r["with_transfers_wan"]) for r in data.totals_by_year]
    totals.bar([x - width / 2 for x in xs], without, width, color=COLOURS["general_public_budget"], label="不含转移支付")
    totals.bar([x + width / 2 for x in xs], with_transfers, width, color=COLOURS["transfers"], label="含转移支付")
    for x, a, b in zip(xs, without, with_transfers):
        totals.text(x - width / 2, a, f"{a:,.0f}", ha="center", va="bottom", fontsize=7, rotation=90)
        totals.text(x + width / 2, b, f"{b:,.0f}", ha="center", va="bottom", fontsize=7, rotation=90)
    totals.set_xticks(list(xs), years)
    totals.yaxis.set_major_formatter(thousands)
    totals.set_ylim(0, max(with_transfers + [1]) * 1.25)
    totals.set_title("一般公共预算合计（万元）", loc="left", fontsize=11)
    totals.legend(fontsize=8, frameon=False, loc="upper left")
    totals.spines[["top", "right"]].set_visible(False)

    axis = figure.add_subplot(grid[1])
    labels = [f"{r['subject_code']} {_short(r['subject_name'], 14)}" for r in rows]
    positions = list(range(len(rows)))
    change = [float(r["change_wan"]) for r in rows]
    change_with = [float(r["change_with_transfers_wan"]) for r in rows]
    axis.barh([p - 0.2 for p in positions], change, 0.4, color=COLOURS["general_public_budget"], label="不含转移支付")
    axis.barh([p + 0.2 for p in positions], change_with, 0.4, color=COLOURS["transfers"], label="含转移支付")
    span = max([abs(v) for v in change + change_with] + [1])
    for p, a, b in zip(positions, change, change_with):
        for offset, value in ((-0.2, a), (0.2, b)):
            axis.text(value + (span * 0.01 if value >= 0 else -span * 0.01), p + offset, f"{value:+,.2f}",
                      va="center", ha="left" if value >= 0 else "right", fontsize=7)
    axis.axvline(0, color="black", linewidth=0.8)
    axis.set_yticks(positions, labels, fontsize=9)
    axis.invert_yaxis()
    axis.set_xlim(-span * 1.35, span * 1.35)
    axis.xaxis.set_major_formatter(thousands)
    axis.set_title(f"变动最大的 {len(rows)} 个统一科目：{previous} → {latest}（万元）", loc="left", fontsize=11)
    axis.legend(fontsize=8, frameon=False, loc="lower right")
    axis.grid(axis="x", alpha=0.3)
    axis.spines[["top", "right"]].set_visible(False)
    figure.suptitle("按统一科目的年度变动（一般公共预算，含/不含对区转移支付）", x=0.02, ha="left", fontsize=12)
    return _save(figure, path)


def basic_project(data: ReportData, path: Path) -> Path:
    """Basic vs project and personnel vs public by year, as each document's prose prints them."""
    rows = data.basic_project
    years = [str(r["fiscal_year"]) for r in rows]
    figure = Figure(figsize=(11, 4.8))
    panels = [
        (figure.add_subplot(1, 2, 1), "基本支出与项目支出（万元）",
         [("basic_wan", "基本支出", "#2f6db3"), ("project_wan", "项目支出", "#f0a030")]),
        (figure.add_subplot(1, 2, 2), "基本支出：人员支出与公用支出（万元）",
         [("personnel_wan", "人员支出", "#5aa469"), ("public_wan", "公用支出", "#8e6bb8")]),
    ]
    for axis, title, parts in panels:
        bottom = [0.0] * len(rows)
        totals = [sum(float(r[key] or 0) for key, _, _ in parts) for r in rows]
        for key, label, colour in parts:
            values = [float(r[key] or 0) for r in rows]
            axis.bar(years, values, 0.55, bottom=bottom, color=colour, label=label)
            for x, value, base, total in zip(years, values, bottom, totals):
                if value:
                    axis.text(x, base + value / 2, f"{value:,.2f}\n{value / total:.1%}", ha="center",
                              va="center", fontsize=8, color="white")
            bottom = [a + b for a, b in zip(bottom, values)]
        for x, total in zip(years, bottom):
            axis.text(x, total, f"{total:,.2f}", ha="center", va="bottom", fontsize=8)
        axis.set_ylim(0, max(bottom + [1]) * 1.12)
        axis.yaxis.set_major_formatter(thousands)
        axis.set_title(title, loc="left", fontsize=11)
        axis.legend(fontsize=8, frameon=False, loc="upper left")
        axis.spines[["top", "right"]].set_visible(False)
    notes = []
    for r in rows:
        if r.get("transfers_wan"):
            where = {True: "计入当年支出总额", False: "不计入当年支出总额", None: "口径见文档"}[r["transfers_in_total"]]
            notes.append(f"{r['fiscal_year']}年对区转移支付 {float(r['transfers_wan']):,.2f} 万元{where}")
    figure.suptitle("基本支出 / 项目支出，人员支出 / 公用支出（各年度文档说明部分所列）", x=0.02, y=1.03, ha="left", fontsize=12)
    if notes:
        figure.text(0.02, -0.02, "注：" + "；".join(notes) + "。", fontsize=8, ha="left")
    return _save(figure, path)


def three_public(data: ReportData, path: Path) -> Path:
    """三公经费 by year and category."""
    years = sorted({r["fiscal_year"] for r in data.three_public})
    amounts = {(r["fiscal_year"], r["cost_category"]): float(r["amount_wan"]) for r in data.three_public}
    figure = Figure(figsize=(10, 4.6))
    axis = figure.add_subplot(1, 1, 1)
    width = 0.8 / len(THREE_PUBLIC)
    colours = ["#2f6db3", "#f0a030", "#5aa469", "#c0504d"]
    top = max(amounts.values() or [1])
    for i, ((key, label), colour) in enumerate(zip(THREE_PUBLIC, colours)):
        xs = [y_index - 0.4 + width * (i + 0.5) for y_index in range(len(years))]
        values = [amounts.get((year, key), 0.0) for year in years]
        axis.bar(xs, values, width * 0.92, color=colour, label=label)
        for x, value in zip(xs, values):
            axis.text(x, value + top * 0.01, f"{value:,.2f}", ha="center", va="bottom", fontsize=8)
    totals = [sum(amounts.get((year, key), 0.0) for key, _ in THREE_PUBLIC) for year in years]
    axis.set_xticks(range(len(years)), [f"{year}年\n合计 {total:,.2f}" for year, total in zip(years, totals)])
    axis.set_ylim(0, top * 1.2)
    axis.set_ylabel("万元")
    axis.set_title("“三公”经费财政拨款预算（万元）", loc="left", fontsize=12)
    axis.legend(fontsize=8, frameon=False, loc="upper right")
    axis.spines[["top", "right"]].set_visible(False)
    return _save(figure, path)


def reconciliation(data: ReportData, path: Path) -> Path:
    """Identities checked per document, by status."""
    rows = data.reconciliation_summary
    statuses = [("ok", "一致 ok", "#5aa469"), ("known_finding", "已知问题 known_finding", "#f0a030"),
                ("rounding", "尾差 rounding", "#8e6bb8"), ("fail", "不符 fail", "#c0504d")]
    figure = Figure(figsize=(10, 1.6 + 0.6 * len(rows)))
    axis = figure.add_subplot(1, 1, 1)
    labels = [f"{r['fiscal_year']} {r['file_name']}" for r in rows]
    left = [0] * len(rows)
    for key, label, colour in statuses:
        values = [r[key] for r in rows]
        axis.barh(labels, values, left=left, color=colour, label=label, height=0.6)
        for y, value, base in zip(range(len(rows)), values, left):
            if value:
                axis.text(base + value / 2, y, str(value), ha="center", va="center", fontsize=8, color="white")
        left = [a + b for a, b in zip(left, values)]
    axis.invert_yaxis()
    axis.set_xlabel("勾稽关系数")
    axis.set_title("各文档勾稽核对结果（marts.fct_reconciliation）", loc="left", fontsize=12)
    axis.legend(fontsize=8, frameon=False, ncols=4, loc="upper center", bbox_to_anchor=(0.5, -0.25))
    axis.spines[["top", "right"]].set_visible(False)
    return _save(figure, path)


def budget_execution(data: ReportData, path: Path) -> Path:
    """Budget against outturn by subject for the latest department-year with a final account,
    with the execution rate beside each pair."""
    last = data.execution[-1]
    rows = [r for r in data.execution
            if (r["fiscal_year"], r["department_code"]) == (last["fiscal_year"], last["department_code"])]
    figure = Figure(figsize=(11, 1.8 + 0.5 * len(rows)))
    axis = figure.add_subplot(1, 1, 1)
    labels = [f"{r['subject_code']} {_short(r['subject_name'] or '', 16)}" for r in rows]
    positions = list(range(len(rows)))
    budgeted = [float(r["budgeted_wan"] or 0) for r in rows]
    outturn = [float(r["outturn_wan"] or 0) for r in rows]
    axis.barh([p - 0.2 for p in positions], budgeted, 0.4, color="#9bb7d9", label="预算数（年初预算或当年部门预算）")
    axis.barh([p + 0.2 for p in positions], outturn, 0.4, color="#2f6db3", label="决算数")
    top = max(budgeted + outturn + [1])
    for p, r, b, o in zip(positions, rows, budgeted, outturn):
        rate = "—" if r["execution_rate_pct"] is None else f"{float(r['execution_rate_pct']):.2f}%"
        axis.text(max(b, o) + top * 0.01, p, f"{b:,.2f} → {o:,.2f}（{rate}）", va="center", fontsize=8)
    axis.set_yticks(positions, labels, fontsize=9)
    axis.invert_yaxis()
    axis.set_xlim(0, top * 1.45)
    axis.xaxis.set_major_formatter(thousands)
    axis.grid(axis="x", alpha=0.3)
    axis.legend(fontsize=8, frameon=False, loc="lower right")
    axis.spines[["top", "right"]].set_visible(False)
    total_budget, total_outturn = sum(budgeted), sum(outturn)
    rate = f"{total_outturn / total_budget:.2%}" if total_budget else "—"
    axis.set_title(f"{last['fiscal_year']}年 {last['department_name']}：一般公共预算财政拨款支出 预算与决算"
                   f"（万元；合计 {total_budget:,.2f} → {total_outturn:,.2f}，执行率 {rate}）",
                   loc="left", fontsize=11)
    return _save(figure, path)
