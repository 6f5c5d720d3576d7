"""The report's index.html: one static page (inline CSS, PNGs and its font beside it, no
scripts, nothing fetched from the network), every figure formatted as the documents print it
(22,557.92) and every text escaped. Its Chinese is drawn in the subset of Noto Sans SC written
to fonts/ beside it (report.build), so it reads on a machine without any CJK font."""

from __future__ import annotations

from datetime import datetime, timezone
from html import escape
from pathlib import Path

from ingest.core.errors import SET_ASIDE_KINDS
from report.charts import THREE_PUBLIC
from report.data import ReportData, pct, wan

# The font the page ships (report.build writes it, cut to the page's characters, with its licence).
FONT_FILE = "fonts/noto-sans-sc-subset.woff"
FONT_LICENCE = "fonts/OFL.txt"
FONT_FACE = f"""
@font-face {{ font-family: "Noto Sans SC"; src: url("{FONT_FILE}") format("woff");
             font-weight: 400; font-style: normal; font-display: block; }}
"""

CSS = FONT_FACE + """
body { font-family: "Noto Sans SC", "Noto Sans CJK SC", "WenQuanYi Micro Hei", "PingFang SC",
       "Microsoft YaHei", sans-serif; margin: 2rem auto; max-width: 1200px; padding: 0 1rem;
       color: #222; line-height: 1.5; }
h1 { font-size: 1.6rem; } h2 { margin-top: 2.5rem; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: 0.8rem 0 1.5rem; font-size: 0.85rem; }
th, td { border: 1px solid #ddd; padding: 0.25rem 0.5rem; vertical-align: top; }
th { background: #f3f5f8; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.sub td { background: #fafafa; font-weight: 600; }
img { max-width: 100%; border: 1px solid #eee; }
.note { color: #555; font-size: 0.85rem; }
code { background: #f3f3f3; padding: 0 0.2rem; }
footer { margin-top: 3rem; }
"""


def _cell(value, numeric: bool = False) -> str:
    if numeric:
        return f'<td class="n">{escape(value)}</td>'
    return f"<td>{escape('' if value is None else str(value))}</td>"


def _table(headers: list[str], rows: list[list[tuple]], row_class: list[str] | None = None) -> str:
    """rows: lists of (text, numeric) cells."""
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = []
    for i, row in enumerate(rows):
        cls = f' class="{row_class[i]}"' if row_class and row_class[i] else ""
        body.append(f"<tr{cls}>" + "".join(_cell(text, numeric) for text, numeric in row) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _img(charts: dict[str, Path], key: str, alt: str) -> str:
    if key not in charts:
        return '<p class="note">（无数据，未生成图表 / no data, no chart）</p>'
    return f'<p><img src="{escape(charts[key].name)}" alt="{escape(alt)}"></p>'


def render(data: ReportData, charts: dict[str, Path]) -> str:
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        "<title>部门预算报告 / Budget warehouse report</title>",
        f"<style>{CSS}</style></head><body>",
        "<h1>部门预算报告 / Budget warehouse report</h1>",
        _header(data),
        _quality(data),
        _latest(data, charts),
        _comparison(data, charts),
        _basic_project(data, charts),
        _three_public(data, charts),
        _execution(data, charts),
        _findings(data, charts),
        '<footer class="note">Chinese text set in a subset of Noto Sans SC shipped beside this page '
        f'(<code>{FONT_FILE}</code>, SIL Open Font License 1.1: <a href="{FONT_LICENCE}">{FONT_LICENCE}</a>).</footer>',
        "</body></html>",
    ]
    return "\n".join(parts)


def _header(data: ReportData) -> str:
    built = f"{data.built_at:%Y-%m-%d %H:%M:%S} UTC" if data.built_at else "unknown (no meta.build_info)"
    generated = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
    documents = _table(
        ["年度 year", "部门 department", "文件 file", "版式 template", "document_id"],
        [[(d["fiscal_year"], False), (d["department_name"], False), (d["file_name"], False),
          (d["template"], False), (d["document_id"], False)] for d in data.documents])
    return (f'<p class="note">Warehouse <code>{escape(str(data.warehouse))}</code>, built {escape(built)}; '
            f"report generated {escape(generated)} (read-only connection). Amounts in 万元 as printed. "
            "Column meanings: the dbt docs site (<code>make docs</code>).</p>"
            f"<h2>文档 / Documents</h2>{documents}")


QUALITY_STATUSES = (
    ("not_faithfully_read", "未如实读取", "a printed amount not captured, or a figure not printed where it was "
                                       "read (the fidelity check)"),
    ("contradicts_itself", "自相矛盾", "a difference within the document above 0.02 万元 that is not a known "
                                     "finding of the source"),
    ("incomplete", "不完整", "a table of the template is not printed"),
    ("rounding_only", "仅有舍入差", "only differences within 0.02 万元"),
    ("clean", "无差异", "no amount difference"),
)


def _quality(data: ReportData) -> str:
    """Data quality: documents per status, their findings, findings across documents, and the
    documents rejected with their reasons."""
    out = ["<h2>数据质量 / Data quality</h2>",
           '<p class="note">marts.dim_document: every published document with its quality status (the first '
           "rule that applies, in the order below) and the counts of its findings (marts.fct_parse_finding, "
           "marts.fct_reconciliation). A disagreement with another document (文件间不一致) is counted apart "
           "and never changes the status: it does not say which document is wrong. Nothing is corrected: the "
           "printed figures stay as printed. meta.rejected_documents: the files the ingest rejected or set "
           "aside (blank_template), each with its reason; nothing of them is in the warehouse.</p>"]
    counts = {status: sum(1 for d in data.quality if d["quality_status"] == status) for status, _, _ in QUALITY_STATUSES}
    with_findings = sum(1 for d in data.quality if d["finding_count"] or d["cross_document_finding_count"])
    out.append(_table(
        ["状态 status", "中文", "规则 rule", "文档数 documents"],
        [[(status, False), (zh, False), (rule, False), (str(counts[status]), True)]
         for status, zh, rule in QUALITY_STATUSES]
        + [[("published", False), ("已发布", False), (f"{with_findings} with findings", False),
            (str(len(data.quality)), True)],
           [("rejected", False), ("已拒绝", False), ("the ingest could not read it: nothing of it loaded", False),
            (str(sum(1 for r in data.rejected if r["rejection_kind"] not in SET_ASIDE_KINDS)), True)],
           [("set aside", False), ("已搁置", False), ("no department's document (a blank template): not loaded, "
                                                     "no failure", False),
            (str(sum(1 for r in data.rejected if r["rejection_kind"] in SET_ASIDE_KINDS)), True)]]))
    out.append("<h3>文档质量 / Quality per document</h3>")
    if data.quality:
        out.append(_table(
            ["状态 status", "年度", "部门", "类型", "文件 file", "发现", "矛盾", "舍入差", "已知问题", "缺表", "未如实读取",
             "其他",
             "文件间不一致", "被取代 superseded by"],
            [[(d["quality_status"], False), (d["fiscal_year"], False), (d["department_name"], False),
              (d["document_kind"], False), (d["file_name"], False), (str(d["finding_count"]), True),
              (str(d["contradiction_count"]), True), (str(d["rounding_difference_count"]), True),
              (str(d["known_finding_count"]), True), (str(d["missing_table_count"]), True),
              (str(d["fidelity_gap_count"]), True), (str(d["other_finding_count"]), True), (str(d["cross_document_finding_count"]), True),
              (d["superseded_by_file_name"] or "", False)] for d in data.quality]))
    else:
        out.append('<p class="note">No marts.dim_document in this warehouse.</p>')
    out.append("<h3>文件间不一致 / Disagreements between documents</h3>")
    if data.cross_document_findings:
        out.append(_table(
            ["finding_kind", "年度", "文件", "对象", "期望 expected", "实际 actual", "差额", "说明", "行/页"],
            [[(r["finding_kind"], False), (r["fiscal_year"], False), (r["file_name"], False),
              (r["finding_subject"], False), (wan(r["expected_value"]), True), (wan(r["actual_value"]), True),
              (wan(r["difference_value"]), True), (r["message"], False),
              (f"line {r['source_line']}" if r["source_line"] is not None
               else f"p.{r['page_number']}" if r["page_number"] is not None else "", False)]
             for r in data.cross_document_findings]))
    else:
        out.append('<p class="note">None: no stated change on the prior year and no 年初预算 disagrees with '
                   "another document the warehouse holds (a check needs both documents: the prior year's of "
                   "the same department, kind and scope, or the year's 部门预算 beside its 部门决算).</p>")
    out.append("<h3>未确认科目 / Unresolved subject codes</h3>")
    if data.unresolved_codes:
        out.append('<p class="note">marts.unresolved_subject_code: codes a table prints beside their name in an '
                   "older classification year that no later year the warehouse holds prints again under the "
                   "same name; their comparison across years assumes the code kept its meaning, and a crosswalk "
                   "row with its evidence would settle it.</p>")
        out.append(_table(
            ["年度", "科目编码 code", "科目名称 name", "原因 resolution_gap", "较晚年度", "较晚名称", "首次出现"],
            [[(r["fiscal_year"], False), (r["reported_code"], False), (r["reported_name"], False),
              (r["resolution_gap"], False), (r["later_classification_years"], False),
              (r["later_names"] or "", False), (r["first_seen_at"] or "", False)]
             for r in data.unresolved_codes]))
    else:
        out.append('<p class="note">None: every code printed in an older classification year is printed again '
                   "under the same name by a later year the warehouse holds, or reaches the conformed "
                   "classification through the crosswalk.</p>")
    out.append("<h3>被拒绝或搁置的文档 / Rejected and set-aside documents</h3>")
    if data.rejected:
        out.append(_table(
            ["文件 file", "原因类别 rejection_kind", "说明 message", "版式 template", "取代的已发布版本", "sha256"],
            [[(r["file_name"], False), (r["rejection_kind"], False), (r["message"], False),
              (r["template"] or "", False), (r["superseded_document_id"] or "", False),
              ((r["sha256"] or "")[:16], False)] for r in data.rejected]))
    else:
        out.append('<p class="note">No document was rejected: every file given to the build is published.</p>')
    return "\n".join(out)


def _latest(data: ReportData, charts: dict[str, Path]) -> str:
    year = data.latest_year
    rows, classes = [], []
    by_class: dict[str, list[dict]] = {}
    for row in data.sections:
        by_class.setdefault(row["class_code"], []).append(row)
    keys = ["general_public_budget_wan", "transfers_wan", "non_fiscal_wan", "government_fund_wan",
            "state_capital_wan", "without_transfers_wan", "with_transfers_wan"]
    for class_code, sections in by_class.items():
        sums = {k: sum(r[k] for r in sections) for k in keys}
        rows.append([(f"{class_code} {sections[0]['class_name']}", False), ("", False)]
                    + [(wan(sums[k]), True) for k in keys])
        classes.append("sub")
        for r in sections:
            rows.append([("", False), (f"{r['section_code']} {r['section_name']}", False)]
                        + [(wan(r[k]), True) for k in keys])
            classes.append("")
    total = {k: sum(r[k] for r in data.sections) for k in keys}
    rows.append([("合计 total", False), ("", False)] + [(wan(total[k]), True) for k in keys])
    classes.append("sub")
    table = _table(["类 class", "款 section", "一般公共预算（不含转移支付）", "对区转移支付", "非财政拨款",
                    "政府性基金", "国有资本经营", "合计（不含转移支付）", "合计（含转移支付）"], rows, classes)
    return (f"<h2>{year}年预算：按类/款 / {year} budget by class and section</h2>"
            + _department_note(data) +
            '<p class="note">marts.fct_expenditure (项 rows only, summed to their 类/款 through '
            "marts.dim_subject). Transfers to districts (对区转移支付, 附件9) are kept apart: the "
            "document's own total excludes them.</p>"
            + _img(charts, "latest_by_section", f"{year} budget by 类/款") + table)


def _department_note(data: ReportData) -> str:
    return (f'<p class="note">Department: {escape(data.department_name or "—")} '
            f"(<code>{escape(data.department_code or '—')}</code>), its 部门预算 only "
            "(document_scope department, budget_phase budgeted): the per-department sections below "
            "(by class, change by subject, basic vs project, 三公 by year) show this department, never "
            "a sum of departments, of a 部门预算 and its 单位预算, or of a budget and a final account.</p>")


def _execution(data: ReportData, charts: dict[str, Path]) -> str:
    title = "<h2>预算执行：预算数与决算数 / Budget execution: budget against outturn</h2>"
    if not data.execution:
        return title + '<p class="note">No final account (部门决算) in the warehouse.</p>'
    rows = [[(r["fiscal_year"], False), (r["department_name"], False), (r["subject_code"], False),
             (r["subject_name"], False), (r["budget_source"] or "—", False), (wan(r["budgeted_wan"]), True),
             (wan(r["outturn_wan"]), True), (wan(r["difference_wan"]), True), (pct(r["execution_rate_pct"]), True),
             ("是" if r["budget_sources_disagree"] else "", False), (r["stated_reason"] or "", False),
             (f"{r['final_account_file_name']} p.{r['outturn_page_number']}/{r['initial_budget_page_number']}", False)]
            for r in data.execution]
    table = _table(["年度", "部门", "科目", "名称", "预算来源", "预算数", "决算数", "差额", "执行率", "预算不一致",
                    "说明原因", "出处 (决算表/说明页)"], rows)
    three = _table(["年度", "部门", "类别", "预算来源", "预算数", "决算数", "决算空白", "差额", "执行率", "说明原因", "出处"],
                   [[(r["fiscal_year"], False), (r["department_name"], False), (r["cost_category"], False),
                     (r["budget_source"], False), (wan(r["budgeted_wan"]), True), (wan(r["outturn_wan"]), True),
                     ("是" if r["is_outturn_printed_blank"] else "", False), (wan(r["difference_wan"]), True),
                     (pct(r["execution_rate_pct"]), True), (r["stated_reason"] or "", False),
                     (f"{r['final_account_file_name']} p.{r['page_number']}", False)]
                    for r in data.execution_three_public])
    return (title + '<p class="note">marts.budget_execution: per 项, the budget (that year\'s 部门预算 when '
            "the warehouse holds one, else the 年初预算 the final account restates) against the 决算数 of the "
            "final account's 一般公共预算财政拨款支出决算表, with the reason the document prints. "
            "marts.budget_execution_three_public: the 三公 table's 预算数 and 决算数.</p>"
            + _img(charts, "budget_execution", "budget against outturn by subject") + table
            + "<h3>“三公”经费 预算与决算</h3>" + three)


def _comparison(data: ReportData, charts: dict[str, Path]) -> str:
    if not data.comparison:
        return ("<h2>年度对比 / Year-over-year</h2><p class=\"note\">Only one fiscal year in the "
                "warehouse: nothing to compare.</p>")
    previous, latest = data.comparison[0]["previous_fiscal_year"], data.comparison[0]["fiscal_year"]
    totals = _table(["年度 year", "一般公共预算（不含转移支付）", "对区转移支付", "含转移支付"],
                    [[(t["fiscal_year"], False), (wan(t["general_public_budget_wan"]), True),
                      (wan(t["transfers_wan"]), True), (wan(t["with_transfers_wan"]), True)]
                     for t in data.totals_by_year])
    rows = [[(r["subject_code"], False), (r["subject_name"], False),
             (r["previous_reported_codes"] or "—", False), (r["reported_codes"] or "—", False),
             (wan(r["previous_wan"]), True), (wan(r["current_wan"]), True), (wan(r["change_wan"]), True),
             (pct(r["growth_pct"]), True),
             (wan(r["previous_with_transfers_wan"]), True), (wan(r["current_with_transfers_wan"]), True),
             (wan(r["change_with_transfers_wan"]), True), (pct(r["growth_with_transfers_pct"]), True)]
            for r in data.comparison]
    table = _table(["统一科目 subject", "名称 name", f"{previous} 报告编码", f"{latest} 报告编码",
                    f"{previous} 不含转移支付", f"{latest} 不含转移支付", "变动", "增长率",
                    f"{previous} 含转移支付", f"{latest} 含转移支付", "变动（含）", "增长率（含）"], rows)
    return (f"<h2>按统一科目的年度变动 {previous} → {latest} / Change by conformed subject</h2>"
            '<p class="note">marts.subject_year_comparison: every year\'s codes mapped onto the '
            "latest classification through the crosswalk (e.g. 2020's 2011008 is 2024's 2080116), "
            "general public budget without and with transfers to districts. Like for like: compare "
            "either the columns without transfers or those with them.</p>"
            + _img(charts, "subject_change", "change by conformed subject") + totals + table)


def _basic_project(data: ReportData, charts: dict[str, Path]) -> str:
    rows = []
    for r in data.basic_project:
        total = (r["basic_wan"] or 0) + (r["project_wan"] or 0)
        basic_total = (r["personnel_wan"] or 0) + (r["public_wan"] or 0)
        rows.append([(r["fiscal_year"], False), (wan(r["basic_wan"]), True), (wan(r["project_wan"]), True),
                     (pct(100 * r["project_wan"] / total) if total and r["project_wan"] is not None else "—", True),
                     (wan(r["personnel_wan"]), True), (wan(r["public_wan"]), True),
                     (pct(100 * r["personnel_wan"] / basic_total) if basic_total and r["personnel_wan"] is not None else "—", True),
                     (wan(r["transfers_wan"]), True),
                     (wan(r.get("fact_basic_wan")), True), (wan(r.get("fact_project_wan")), True),
                     (wan(r.get("fact_personnel_wan")), True), (wan(r.get("fact_public_wan")), True),
                     (r["printed_at"], False)])
    table = _table(["年度", "基本支出", "项目支出", "项目占比", "人员支出", "公用支出", "人员占比",
                    "对区转移支付", "基本（表）", "项目（表）", "人员（表）", "公用（表）", "说明出处 printed at"], rows)
    return ("<h2>基本支出与项目支出，人员支出与公用支出 / Basic vs project, personnel vs public</h2>"
            '<p class="note">As each document\'s prose prints them (marts.fct_headline_figure, first '
            "printing): the only source both years share, since the 2020 document splits no subject "
            "into basic and project. The （表） columns are the same split summed from the tables "
            "(marts.fct_expenditure general public budget without transfers; "
            "marts.fct_basic_expenditure_economic), where a document has them.</p>"
            + _img(charts, "basic_project", "basic vs project, personnel vs public") + table)


def _three_public(data: ReportData, charts: dict[str, Path]) -> str:
    years = sorted({r["fiscal_year"] for r in data.three_public})
    amounts = {(r["fiscal_year"], r["cost_category"]): r for r in data.three_public}
    rows = []
    for year in years:
        cells = [amounts.get((year, key)) for key, _ in THREE_PUBLIC]
        total = sum(c["amount_wan"] for c in cells if c)
        sources = sorted({c["printed_at"] for c in cells if c})
        rows.append([(year, False)] + [(wan(c["amount_wan"]) if c else "—", True) for c in cells]
                    + [(wan(total), True), ("; ".join(sources), False)])
    table = _table(["年度"] + [label for _, label in THREE_PUBLIC] + ["合计", "出处 printed at"], rows)
    return ("<h2>“三公”经费 / Three public costs by year</h2>"
            '<p class="note">marts.fct_three_public (2024 附件7, 2020 prose); zero categories are '
            "statements of the documents and are kept.</p>"
            + _img(charts, "three_public", "三公 by year") + table)


def _findings(data: ReportData, charts: dict[str, Path]) -> str:
    summary = _table(["年度", "文件", "勾稽关系", "ok", "known_finding", "rounding", "fail"],
                     [[(r["fiscal_year"], False), (r["file_name"], False), (str(r["identities"]), True),
                       (str(r["ok"]), True), (str(r["known_finding"]), True), (str(r["rounding"]), True),
                       (str(r["fail"]), True)] for r in data.reconciliation_summary])
    out = ["<h2>勾稽核对与解析发现 / Reconciliation findings per document</h2>",
           '<p class="note">marts.fct_reconciliation: every identity checked (parents = Σ children, '
           "row arithmetic, table vs table, prose vs table); below, those whose status is not ok. "
           "marts.fct_parse_finding: what ingest flagged in the source (rounding, printing errors, "
           "page numbers, blank cells), recorded and never silently fixed.</p>",
           _img(charts, "reconciliation", "reconciliation status per document"), summary]
    documents = sorted({(r["fiscal_year"], r["file_name"]) for r in data.reconciliation_summary}
                       | {(r["fiscal_year"], r["file_name"]) for r in data.parse_findings})
    for year, file_name in documents:
        out.append(f"<h3>{year} · {escape(file_name)}</h3>")
        issues = [r for r in data.reconciliation if (r["fiscal_year"], r["file_name"]) == (year, file_name)]
        if issues:
            out.append(_table(
                ["identity_key", "说明", "印刷值 expected", "合计值 actual", "差额", "status", "已知问题说明", "表", "行"],
                [[(r["identity_key"], False), (r["description"], False), (wan(r["expected_wan"]), True),
                  (wan(r["actual_wan"]), True), (wan(r["difference_wan"]), True), (r["status"], False),
                  (r["known_finding_explanation"] or "", False), (r["table_id"], False),
                  (str(r["source_line"]), True)] for r in issues]))
        else:
            out.append('<p class="note">Every identity of this document holds exactly (status ok).</p>')
        findings = [r for r in data.parse_findings if (r["fiscal_year"], r["file_name"]) == (year, file_name)]
        if findings:
            out.append(_table(
                ["finding_kind", "severity", "对象", "期望", "实际", "差额", "说明", "表", "行"],
                [[(r["finding_kind"], False), (r["severity"], False), (r["finding_subject"], False),
                  (wan(r["expected_value"]), True), (wan(r["actual_value"]), True),
                  (wan(r["difference_value"]), True), (r["message"], False), (r["table_id"], False),
                  (str(r["source_line"]), True)] for r in findings]))
        else:
            out.append('<p class="note">No parse findings.</p>')
    return "\n".join(out)
