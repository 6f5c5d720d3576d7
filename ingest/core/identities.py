"""Accounting identities checked on the table cells a document gave: one mechanism, declared as data.

Nothing is placed or corrected by a check (every cell was read from its printed position);
a difference is a ParseFinding with what the identity expects and what is printed, and the
printed figure stays as printed. A family declares its identities (`Identities`):

- in a row: a total column = Σ its part columns (合计 = 基本支出 + 项目支出), per table; a
  blank part counts as zero, and a row that prints the total or no part is not checked;
- down a code hierarchy, for every column: a parent = Σ its children (类 = Σ 款, 款 = Σ 项;
  a child's code is its parent's plus two digits) and the 合计 row = Σ the top level (类).

What is a family's own (which totals agree across its tables, prose against tables) it
checks with `sum_check` and `finding`, so every finding has one shape."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from ingest.core.records import ParseFinding, TableCell

# (total column key, part column keys) of one row identity.
RowIdentity = tuple[str, tuple[str, ...]]


@dataclass(frozen=True)
class Identities:
    """rows: table id -> its row identities; hierarchies: the tables whose subject codes are
    checked parent = Σ children and 合计 = Σ top level (in this order, for stable findings)."""
    rows: Mapping[str, tuple[RowIdentity, ...]]
    hierarchies: tuple[str, ...] = ()

    def check(self, by_table: Mapping[str, list[TableCell]], document_id: str) -> list[ParseFinding]:
        findings = row_identities(by_table, self.rows, document_id)
        for table_id in self.hierarchies:
            findings += hierarchy(by_table.get(table_id, []), table_id, document_id)
        return findings


def cells_by_table(tables: Iterable) -> dict[str, list[TableCell]]:
    """Table id -> its cells in reading order (a table printed twice: both, in order)."""
    by_table: dict[str, list[TableCell]] = defaultdict(list)
    for table in tables:
        by_table[table.table_id] += table.cells
    return by_table


def finding(document_id: str, table_id: str, page: int | None, kind: str, subject: str,
            expected: Decimal | None, actual: Decimal | None, message: str) -> ParseFinding:
    return ParseFinding(document_id, table_id, None, kind, "warn", subject, expected, actual, message,
                        page_number=page)


def row_identities(by_table: Mapping[str, list[TableCell]],
                   identities_by_table: Mapping[str, tuple[RowIdentity, ...]],
                   document_id: str) -> list[ParseFinding]:
    """合计 = Σ parts within each printed row (a blank cell counts as zero)."""
    findings = []
    for table_id, identities in identities_by_table.items():
        rows: dict[int, dict[str, TableCell]] = defaultdict(dict)
        for cell in by_table.get(table_id, []):
            rows[cell.row_order][cell.column_key] = cell
        for row in rows.values():
            for total_key, part_keys in identities:
                total = row.get(total_key)
                parts = [row[k] for k in part_keys if k in row]
                if total is None or not parts:
                    continue
                expected = sum((p.amount or Decimal(0) for p in parts), Decimal(0))
                actual = total.amount or Decimal(0)
                if expected != actual:
                    findings.append(finding(document_id, table_id, total.page_number, "row_identity",
                                            total.subject_code or total.row_label, expected, actual,
                                            f"{total.table_title} {total.subject_code or ''} {total.row_label}: "
                                            f"{total.column_label} prints {actual}; "
                                            f"{' + '.join(part_keys)} = {expected}"))
    return findings


def hierarchy(cells: list[TableCell], table_id: str, document_id: str) -> list[ParseFinding]:
    """类 = Σ 款 and 款 = Σ 项 for every column; the 合计 row = Σ 类."""
    findings = []
    by_column: dict[str, dict[str, TableCell]] = defaultdict(dict)
    totals: dict[str, TableCell] = {}
    for cell in cells:
        if cell.subject_code:
            by_column[cell.column_key][cell.subject_code] = cell
        elif cell.row_label.startswith("合计"):
            totals[cell.column_key] = cell
    for column, rows in by_column.items():
        for code, parent in rows.items():
            children = [c for k, c in rows.items() if len(k) == len(code) + 2 and k.startswith(code)]
            if not children:
                continue
            findings += sum_check(document_id, table_id, parent, children, "parent_sum")
        if column in totals:
            findings += sum_check(document_id, table_id, totals[column],
                                  [c for k, c in rows.items() if len(k) == 3], "total_sum")
    return findings


def sum_check(document_id: str, table_id: str, parent: TableCell, children: list[TableCell],
              kind: str) -> list[ParseFinding]:
    """`parent` = Σ `children` (blank = zero): no finding, or one of `kind`."""
    expected = sum((c.amount or Decimal(0) for c in children), Decimal(0))
    actual = parent.amount or Decimal(0)
    if expected == actual:
        return []
    return [finding(document_id, table_id, parent.page_number, kind, parent.subject_code or parent.row_label,
                    expected, actual, f"{parent.table_title} {parent.subject_code or parent.row_label} "
                    f"{parent.column_label} prints {actual}; its {len(children)} rows add to {expected}")]
