"""Performance-target tables: 附件10 (department-wide) and 附件11 (one per 一级项目) of the
appendix layout, and the tab-indented project tables of 第二部分 五(四) in the prose layout."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from ingest.core.amounts import AMOUNT_PATTERN, is_amount_cell, parse_amount
from ingest.core.document import SourceDocument
from ingest.core.errors import IngestError
from ingest.core.records import ParseFinding, PerformanceFund, PerformanceIndicator, PerformanceProject
from ingest.core.text import PAGE_NUMBER, JoinedText
from ingest.core.text_tokens import indent
from ingest.xiamen.layout import DocumentLayout, Region, nonblank_lines
from ingest.xiamen.rows import digit_offset, token_spans
from ingest.xiamen.tables import ExpenditureStructure

DIRECTIONS = ("大于等于", "小于等于", "等于", "大于", "小于")
LEVEL_1 = {"产出指标", "效益指标", "满意度指标", "成本指标"}
LEVEL_2 = {"数量指标", "质量指标", "时效指标", "成本指标", "经济成本指标", "社会成本指标", "社会效益指标",
           "经济效益指标", "生态效益指标", "可持续影响指标", "服务对象满意度指标"}
_SYMBOL_DIRECTIONS = {"≥": "大于等于", "≤": "小于等于", "=": "等于", ">": "大于", "<": "小于",
                      "＞": "大于", "＜": "小于"}
_FIELDS_2024 = ("项目名称", "实施单位", "总目标", "年度目标", "投入目标", "预算资金", "资金使用范围",
                "资金投入计划", "绩效指标")
_STRUCTURE_LABELS = {"人员支出": "basic", "公用支出": "basic", "部门专项": "project", "发展经费": "project",
                     "基建项目": "project", "合计": "total"}


@dataclass
class PerformanceTables:
    projects: list[PerformanceProject] = field(default_factory=list)
    indicators: list[PerformanceIndicator] = field(default_factory=list)
    funds: list[PerformanceFund] = field(default_factory=list)
    findings: list[ParseFinding] = field(default_factory=list)
    structure: ExpenditureStructure | None = None

    @property
    def records(self) -> list:
        return [*self.projects, *self.indicators, *self.funds]


class IndicatorReader:
    """Indicator rows whose cells wrap over lines: tokens gather until a line brings the
    direction and target (or a qualitative target such as 有所提升)."""

    def __init__(self, document: SourceDocument):
        self.document = document
        self.file_name = document.file_name
        self.pending: list[tuple[int, str]] = []  # (line, text)
        self.level_1: str | None = None
        self.level_2: str | None = None

    def feed(self, number: int, text: str) -> dict | None:
        self.pending.append((number, text))
        tokens = text.split()
        direction_at = next((i for i, t in enumerate(tokens) if t in DIRECTIONS), None)
        qualitative = tokens[-1].startswith("有所")
        if direction_at is None and not qualitative:
            return None
        lines = self.pending
        self.pending = []
        located = _merge_levels([((n, offset), t) for n, line in lines
                                 for offset, t in token_spans(self.document, n, line)])
        all_tokens = [t for _, t in located]
        if direction_at is not None:
            d = next(i for i, t in enumerate(all_tokens) if t in DIRECTIONS)
            before, direction, after = all_tokens[:d], all_tokens[d], all_tokens[d + 1:]
            if not after:
                raise IngestError(self.file_name, number, f"a target value after {direction}", text)
            target, unit = after[0], "".join(after[1:]) or None
            target_at = located[d + 1][0]
        else:
            before, direction, target, unit = all_tokens[:-1], None, all_tokens[-1], None
            target_at = located[-1][0]
        if before and before[0] in LEVEL_1:
            self.level_1, self.level_2 = before.pop(0), None
        if before and before[0] in LEVEL_2:
            self.level_2 = before.pop(0)
        name = "".join(before)
        if not name:
            raise IngestError(self.file_name, number, "an indicator name before its target", text)
        value = parse_amount(target) if is_amount_cell(target) else None
        return {"first_line": lines[0][0], "line": number, "raw": " ".join(t for _, t in lines),
                "level_1": self.level_1, "level_2": self.level_2, "name": name, "direction": direction,
                "target": target, "value": value, "unit": unit,
                "at": (target_at[0], digit_offset(target_at[1], target)) if value is not None else None}


def _merge_levels(tokens: list[tuple[tuple[int, int], str]]) -> list[tuple[tuple[int, int], str]]:
    """'服务对象满意度' + '指标' wrapped in a narrow cell is one level name. Tokens come with
    their (line, offset); a merged one keeps that of its first part."""
    merged: list[tuple[tuple[int, int], str]] = []
    for at, token in tokens:
        if merged and merged[-1][1] + token in LEVEL_2 | LEVEL_1:
            merged[-1] = (merged[-1][0], merged[-1][1] + token)
        else:
            merged.append((at, token))
    return merged


class PerformanceReader:
    def __init__(self, document: SourceDocument, layout: DocumentLayout, document_id: str):
        self.document = document
        self.layout = layout
        self.document_id = document_id
        self.output = PerformanceTables()

    def _lines(self, region: Region) -> list[tuple[int, str]]:
        kept = []
        for number, text in nonblank_lines(self.document, region):
            if PAGE_NUMBER.match(text):
                self.output.findings.append(ParseFinding(
                    self.document_id, region.table_id, number, "page_number_skipped", "info", text, None, None,
                    f"line {text!r} read as a page number"))
                continue
            kept.append((number, text))
        return kept

    def _suffix_at(self, number: int, fragment: str, offset: int) -> tuple[int, int]:
        """(line, offset in the line as read) of `offset` inside `fragment`, a suffix of the
        stripped line `number` (a field's text after its keyword, or the whole line)."""
        raw = self.document.line(number)
        return number, indent(raw) + len(raw.strip()) - len(fragment) + offset

    def _indicator(self, project_key: str, table_id: str, parsed: dict, task: str | None) -> None:
        self.output.indicators.append(PerformanceIndicator(
            self.document_id, table_id, len(self.output.indicators) + 1, parsed["line"], parsed["raw"],
            project_key, sum(1 for i in self.output.indicators if i.project_key == project_key) + 1,
            parsed["level_1"], parsed["level_2"], task, parsed["name"], parsed["direction"], parsed["target"],
            parsed["value"], parsed["unit"], figure_at={"target_value": parsed["at"]} if parsed.get("at") else None))

    # -- 附件11 -------------------------------------------------------------------------------
    def project_table(self, region: Region, project_key: str) -> None:
        lines = self._lines(region)
        fields: dict[str, list[tuple[int, str]]] = {}
        current = None
        indicator_start = None
        for i, (number, text) in enumerate(lines):
            keyword = next((k for k in _FIELDS_2024 if text.startswith(k)), None)
            if keyword == "绩效指标":
                indicator_start = i + 1
                break
            if keyword:
                current = keyword
                fields[current] = [(number, text[len(keyword):].strip())]
            elif current:
                fields[current].append((number, text))
        if indicator_start is None or "项目名称" not in fields or "预算资金" not in fields:
            raise IngestError(self.document.file_name, region.start,
                              f"项目名称, 预算资金 and 绩效指标 in {region.table_id}", "a table without them")
        name_line, name_text = fields["项目名称"][0]
        m = re.match(r"(?P<name>.+?)\s*实施期限\s*(?P<period>.*)$", name_text)
        if not m:
            raise IngestError(self.document.file_name, name_line, "项目名称 <name> 实施期限 <period>", name_text)
        unit_line, unit_text = fields.get("实施单位", [(name_line, "")])[0]
        u = re.match(r"(?P<unit>.+?)\s*主管部门\s*(?P<dept>.*)$", unit_text)
        budget_line, budget_text = fields["预算资金"][0]
        b = re.match(rf"(?P<budget>{AMOUNT_PATTERN})\s*万元\s*其中[：:]\s*财政拨款数\s*(?P<fiscal>{AMOUNT_PATTERN})\s*万元",
                     budget_text)
        if not b:
            raise IngestError(self.document.file_name, budget_line,
                              "预算资金 <amount> 万元 其中：财政拨款数 <amount> 万元", budget_text)

        def text_of(key: str) -> str | None:
            parts = [t for _, t in fields.get(key, []) if t]
            return "".join(parts) or None

        self.output.projects.append(PerformanceProject(
            self.document_id, region.table_id, len(self.output.projects) + 1, budget_line,
            f"{name_text} | {budget_text}", project_key, "project", m.group("name"), m.group("period") or None,
            u.group("unit") if u else None, u.group("dept") if u else None, text_of("总目标"), text_of("年度目标"),
            parse_amount(b.group("budget")), parse_amount(b.group("fiscal")), budget_line,
            text_of("资金使用范围"), text_of("资金投入计划"),
            figure_at={"budget_amount": self._suffix_at(budget_line, budget_text, b.start("budget")),
                       "fiscal_amount": self._suffix_at(budget_line, budget_text, b.start("fiscal"))}))
        for number, text in fields.get("资金投入计划", []):
            # Money in the 资金投入计划 text ('考务费：第一季度计划投入550万元，…') is printed
            # figures too: kept as the project's planned instalments.
            for m in re.finditer(rf"(?P<name>[^，,；;。]+?)(?P<v>{AMOUNT_PATTERN})\s*万元", text):
                self.output.funds.append(PerformanceFund(
                    self.document_id, region.table_id, len(self.output.funds) + 1, number, text, project_key,
                    None, f"资金投入计划 {m.group('name').strip()}", parse_amount(m.group("v")), None,
                    figure_at={"amount": self._suffix_at(number, text, m.start("v"))}))
        reader = IndicatorReader(self.document)
        body = lines[indicator_start:]
        if body and body[0][1].startswith("一级指标"):
            body = body[1:]
        for number, text in body:
            parsed = reader.feed(number, text)
            if parsed:
                self._indicator(project_key, region.table_id, parsed, None)
        if reader.pending:
            raise IngestError(self.document.file_name, reader.pending[0][0],
                              f"an indicator row ending with its direction and target in {region.table_id}",
                              " ".join(t for _, t in reader.pending))

    # -- 附件10 -------------------------------------------------------------------------------
    def department_table(self, region: Region) -> None:
        lines = self._lines(region)
        key = "附件10"
        unit = next((t.split(None, 1)[1] for _, t in lines if t.startswith("单位名称")), None)
        header = next((i for i, (_, t) in enumerate(lines) if t.startswith("支出结构")), None)
        goal = next((i for i, (_, t) in enumerate(lines) if t.startswith("年度目标")), None)
        targets = next((i for i, (_, t) in enumerate(lines) if t.startswith("年度工作任务")), None)
        if header is None or goal is None or targets is None:
            raise IngestError(self.document.file_name, region.start,
                              "支出结构, 年度目标 and 年度工作任务 in 附件10", "a table without them")
        structure: dict[str, tuple[int, str, Decimal | None, Decimal | None]] = {}
        structure_at: dict[str, dict[str, tuple[int, int]]] = {}
        for number, text in lines[header + 1:goal]:
            cells: list[list] = []
            at: dict[int, list[tuple[int, int]]] = {}  # cell index -> (line, offset) of its amounts
            for offset, token in token_spans(self.document, number, text):
                if is_amount_cell(token):
                    if not cells:
                        raise IngestError(self.document.file_name, number, "a 支出结构 label before its amounts", text)
                    cells[-1].append(parse_amount(token))
                    at.setdefault(len(cells) - 1, []).append((number, digit_offset(offset, token)))
                else:
                    cells.append([token])
            for index, (label, *amounts) in enumerate(cells):
                if label not in _STRUCTURE_LABELS:
                    raise IngestError(self.document.file_name, number,
                                      f"a 支出结构 label ({'/'.join(_STRUCTURE_LABELS)})", label)
                if len(amounts) == 1:
                    raise IngestError(self.document.file_name, number,
                                      f"both 资金总额 and 其中：财政资金 for {label} (one figure could be either)",
                                      text)
                total, fiscal = (amounts + [None, None])[:2]
                located = dict(zip(("amount", "fiscal_amount"), at.get(index, [])))
                structure[label] = (number, text, total, fiscal)
                structure_at[label] = located
                if label != "合计":  # the 合计 is the department row's budget in performance_projects
                    self.output.funds.append(PerformanceFund(
                        self.document_id, key, len(self.output.funds) + 1, number, text, key, None, label,
                        total, fiscal, figure_at=located))
        if "合计" not in structure:
            raise IngestError(self.document.file_name, lines[header][0], "a 合计 in 附件10 支出结构", "none")

        def summed(kind: str, position: int) -> Decimal:
            return sum((v[position] or Decimal(0)) for k, v in structure.items() if _STRUCTURE_LABELS[k] == kind)

        first = min(v[0] for v in structure.values())
        self.output.structure = ExpenditureStructure(
            first, " | ".join(dict.fromkeys(v[1] for v in structure.values())),
            summed("basic", 2), summed("basic", 3), summed("project", 2), summed("project", 3))
        total_line, _, total, fiscal = structure["合计"]
        annual_goal = "".join([lines[goal][1][len("年度目标"):].strip()] +
                              [t for _, t in lines[goal + 1:targets] if t != "绩效目标"])
        self.output.projects.append(PerformanceProject(
            self.document_id, key, len(self.output.projects) + 1, total_line, structure["合计"][1], key,
            "department", "部门整体支出", None, unit, None, None, annual_goal or None, total, fiscal, total_line,
            None, None, figure_at={{"amount": "budget_amount"}.get(k, k): v for k, v in structure_at["合计"].items()}))
        self._department_targets(lines[targets + 1:], key)

    def _department_targets(self, lines: list[tuple[int, str]], key: str) -> None:
        """年度工作任务 | 绩效指标 | 指标方向 | 目标值 | 计量单位 | 涉及项目 | 涉及财政资金, where the
        涉及项目 cell (names with amounts) wraps over many lines and may be split by a page
        break around the task's 涉及财政资金. A task name stands alone right after the header
        or a completed indicator, followed by that task's first indicator."""
        reader = IndicatorReader(self.document)
        task: str | None = None
        task_line = None
        projects: list[tuple[int, str]] = []
        totals: dict[str, tuple[int, Decimal]] = {}
        totals_at: dict[str, tuple[int, int]] = {}
        after_indicator = True

        def close_task() -> None:
            if task is not None:
                self._task_funds(key, task, task_line, projects, totals.get(task), totals_at.get(task))

        for number, text in lines:
            tokens = text.split()
            has_direction = any(t in DIRECTIONS for t in tokens)
            if len(tokens) == 1 and is_amount_cell(tokens[0]) and not reader.pending:
                totals[task] = (number, parse_amount(tokens[0]))
                totals_at[task] = (number, digit_offset(indent(self.document.line(number)), tokens[0]))
                after_indicator = False
                continue
            if not has_direction and (re.search(r"\d\s*万|万\s*元?$|^元$", text) or text[0] in ",，"
                                      or reader.pending and re.search(AMOUNT_PATTERN + r"\s*万", text)):
                projects.extend(reader.pending)
                reader.pending = []
                projects.append((number, text))
                after_indicator = False
                continue
            if has_direction and after_indicator and reader.pending:
                # The first gathered line is the next task's name.
                close_task()
                task_line, task = reader.pending[0]
                reader.pending = reader.pending[1:]
                projects = []
            parsed = reader.feed(number, text)
            if parsed:
                if task is None:
                    raise IngestError(self.document.file_name, number, "a 年度工作任务 before its first indicator", text)
                self._indicator(key, key, parsed, task)
                after_indicator = True
        if reader.pending:
            projects.extend(reader.pending)
        close_task()

    def _task_funds(self, key: str, task: str, task_line: int, project_lines: list[tuple[int, str]],
                    total: tuple[int, Decimal] | None, total_at: tuple[int, int] | None = None) -> None:
        joined = JoinedText.from_lines(project_lines,
                                       indents=[indent(self.document.line(n)) for n, _ in project_lines])
        items = list(re.finditer(rf"[,，；;]?\s*(?P<name>[^,，；;]+?)(?P<v>{AMOUNT_PATTERN})\s*万\s*元[；;]?",
                                 joined.text))
        covered = sum(len(m.group(0)) for m in items)
        if covered != len(joined.text.rstrip("，,；;")):
            raise IngestError(self.document.file_name, task_line,
                              f"涉及项目 of task {task} as '<name><amount>万元' items", joined.text)
        amounts = []
        for m in items:
            line = joined.line_at(m.start("v"))
            amount = parse_amount(m.group("v"))
            amounts.append(amount)
            self.output.funds.append(PerformanceFund(
                self.document_id, key, len(self.output.funds) + 1, line, self.document.line(line).strip(), key,
                task, m.group("name").strip(), amount, None, figure_at={"amount": joined.location(m.start("v"))}))
        if total is None:
            raise IngestError(self.document.file_name, task_line, f"涉及财政资金 for task {task}", "none")
        line, value = total
        self.output.funds.append(PerformanceFund(
            self.document_id, key, len(self.output.funds) + 1, line, self.document.line(line).strip(), key, task,
            "涉及财政资金", None, value, figure_at={"fiscal_amount": total_at} if total_at else None))
        if sum(amounts) != value:
            self.output.findings.append(ParseFinding(
                self.document_id, key, line, "parent_differs_from_children", "warn", task, sum(amounts), value,
                f"附件10 task {task}: 涉及财政资金 {value} vs its 涉及项目 adding to {sum(amounts)}"))

    # -- the prose layout's tab-indented tables -------------------------------------------------
    def prose_tables(self) -> None:
        region = self.layout.prose
        start = next((n for n in range(region.start, region.end)
                      if "一级项目的绩效目标如下" in self.document.line(n)), None)
        if start is None:
            return
        groups: list[list[tuple[int, str]]] = [[]]
        for n in range(start + 1, region.end):
            text = self.document.line(n).strip()
            if text:
                groups[-1].append((n, text))
            elif groups[-1]:
                groups.append([])
        tables: list[list[list[tuple[int, str]]]] = []
        for group in (g for g in groups if g):
            if group[0][1].endswith("项目绩效目标表"):
                tables.append([])
            if not tables:
                raise IngestError(self.document.file_name, group[0][0], "a '…项目绩效目标表' title", group[0][1])
            tables[-1].append(group)
        for index, table in enumerate(tables, 1):
            self._prose_table(table, f"{self.layout.fiscal_year}-{index}")

    def _prose_table(self, groups: list[list[tuple[int, str]]], key: str) -> None:
        title_line, title = groups[0][0]
        table_id = f"prose:五(四)-{key.split('-')[1]}"
        cells = {}
        indicator_groups = []
        in_indicators = False
        for group in groups[1:]:
            texts = [t for _, t in group]
            if "目标值" in texts:
                in_indicators = True
                continue
            if in_indicators:
                indicator_groups.append(group)
                continue
            for i, (number, text) in enumerate(group):
                if i + 1 < len(group):
                    cells.setdefault(text, group[i + 1])
        budget = cells.get("预算资金")
        fiscal = cells.get("其中,财政拨款数") or cells.get("其中，财政拨款数")
        name = cells.get("项目名称")
        if not (budget and fiscal and name):
            raise IngestError(self.document.file_name, title_line, f"项目名称 and 预算资金 in the table {title}", "missing")

        def amount(cell: tuple[int, str]) -> Decimal:
            m = re.fullmatch(rf"\s*(?P<v>{AMOUNT_PATTERN})\s*万元\s*", cell[1])
            if not m:
                raise IngestError(self.document.file_name, cell[0], "an amount in 万元", cell[1])
            return parse_amount(m.group("v"))

        def amount_at(cell: tuple[int, str]) -> tuple[int, int]:
            m = re.match(r"\s*", cell[1])
            return self._suffix_at(cell[0], cell[1], m.end())

        def value(label: str) -> str | None:
            cell = cells.get(label)
            return cell[1] if cell else None

        self.output.projects.append(PerformanceProject(
            self.document_id, table_id, len(self.output.projects) + 1, budget[0], f"{title} | 预算资金 {budget[1]}",
            key, "project", name[1], value("实施期限"), value("实施单位"), value("主管部门"), value("总目标"), None,
            amount(budget), amount(fiscal), fiscal[0], value("资金使用范围"), value("资金投入计划"),
            figure_at={"budget_amount": amount_at(budget), "fiscal_amount": amount_at(fiscal)}))
        for group in indicator_groups:
            texts = [t for _, t in group]
            if texts in (["指标类别", "具体指标", "目标值"],):
                continue
            if len(group) == 1 and not group[0][1].startswith(("产出", "效益", "满意")):
                self.output.findings.append(ParseFinding(
                    self.document_id, table_id, group[0][0], "stray_text", "info", group[0][1], None, None,
                    f"stray cell {group[0][1]!r} inside the table (a leftover label of the source's layout)"))
                continue
            if len(group) == 3:
                (n0, category), (_, indicator), (line, target) = group
                level = re.sub(r"\d+$", "", category)
            elif len(group) == 2:
                (_, indicator), (line, target) = group
                category, level = None, None
                self.output.findings.append(ParseFinding(
                    self.document_id, table_id, line, "blank_cell", "info", indicator, None, None,
                    f"指标类别 printed blank for indicator {indicator!r}"))
            else:
                raise IngestError(self.document.file_name, group[0][0],
                                  "an indicator of 指标类别 / 具体指标 / 目标值", " | ".join(texts))
            m = re.match(rf"^(?P<op>[≥≤=><＞＜])?\s*(?P<v>{AMOUNT_PATTERN})\s*(?P<unit>.*)$", target)
            direction = _SYMBOL_DIRECTIONS.get(m.group("op")) if m and m.group("op") else None
            parsed = {"line": line, "raw": " | ".join(texts), "level_1": level, "level_2": category,
                      "name": indicator, "direction": direction, "target": target.strip(),
                      "value": parse_amount(m.group("v")) if m else None,
                      "unit": (m.group("unit").strip() or None) if m else None,
                      "at": self._suffix_at(line, target, m.start("v")) if m else None}
            self._indicator(key, table_id, parsed, None)

    def read(self) -> PerformanceTables:
        if self.layout.template == "xiamen-appendix":
            department = self.layout.appendix("附件10")
            if department is None:
                raise IngestError(self.document.file_name, None, "a table headed 附件10", "none")
            self.department_table(department)
            projects = [r for r in self.layout.appendices if r.table_id.startswith("附件11")]
            for index, region in enumerate(projects, 1):
                self.project_table(region, f"附件11-{index}")
        else:
            self.prose_tables()
        return self.output
