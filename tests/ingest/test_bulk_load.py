"""The bulk load (ingest/core/load.py) is exact: amounts keep every digit as DECIMAL, a
blank cell stays NULL and never meets an empty text, hostile text comes back byte for byte,
and a load that fails leaves the database as it was. Each test runs on both load paths: the
typed frames the ingest loads with, and the CSV path kept as their comparison."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import duckdb
import pytest

from bench.csv_load import CSV
from ingest.core.load import ARROW, ensure_schema, replace_document, rollback
from ingest.core.records import DocumentRecord, OverviewItem, ParseFinding, PerformanceIndicator, PerformanceProject

HOSTILE_TEXTS = [
    "", " ", "\\N", "NULL", "null", '"', '""', "a,b", 'say "hi", then ""', "line\nbreak", "crlf\r\nend", "\r",
    "tab\tinside", "  leading and trailing  ", "'); drop table raw.documents; --", "\\", "ends with \\",
    "厦门市人力资源和社会保障局（本级）", "全角，逗号；引号“”‘’", "\u2028\u2029", "\ufeffbom", "nul\x00byte",
    "{{ env_var('HOME') }} {% raise %} $(rm -rf /)",
    "x" * 3_000_000,  # longer than read_csv's default line limit
]


def document(document_id: str = "0123456789abcdef", file_name: str = "doc.txt") -> DocumentRecord:
    return DocumentRecord(
        document_id=document_id, file_name=file_name, source_path=f"/data/{file_name}", sha256="ab" * 32,
        byte_size=12345, text_encoding="utf-8", line_count=99, region="厦门市", department_name="某局",
        department_code=None, fiscal_year=2024, document_kind="预算", amount_unit="万元",
        template="xiamen-appendix", parser_version="test", ingested_at=datetime(2026, 11, 29, 22, 15, 1, 123456))


def project(document_id: str, order: int, text: str | None, budget: Decimal | None) -> PerformanceProject:
    return PerformanceProject(
        document_id=document_id, table_id="附件11-1", row_order=order, source_line=100 + order,
        raw_text=text if text is not None else "", project_key=f"p{order}", scope="project",
        project_name=f"项目{order}", implementation_period=text, implementing_unit=None,
        supervising_department="", overall_goal=text, annual_goal=None, budget_amount=budget,
        fiscal_amount=None, fiscal_amount_line=None, fund_scope=text, investment_plan=None)


@pytest.fixture(params=[ARROW, CSV], ids=lambda loader: loader.name)
def loader(request):
    return request.param


@pytest.fixture
def connection(tmp_path):
    connection = duckdb.connect(str(tmp_path / "w.duckdb"))
    ensure_schema(connection)
    yield connection
    connection.close()


def test_hostile_text_and_null_versus_empty_round_trip_exactly(connection, loader):
    doc = document()
    rows = [project(doc.document_id, i, text, None) for i, text in enumerate(HOSTILE_TEXTS, 1)]
    rows.append(project(doc.document_id, len(rows) + 1, None, None))
    replace_document(connection, doc, rows, loader)
    stored = connection.execute(
        "select row_order, raw_text, implementation_period, overall_goal, fund_scope, implementing_unit, "
        "supervising_department, annual_goal from raw.performance_projects order by row_order").fetchall()
    assert [r[1] for r in stored] == [*HOSTILE_TEXTS, ""]
    for (order, _, period, goal, scope, unit, supervising, annual), row in zip(stored, rows):
        assert (period, goal, scope) == (row.implementation_period,) * 3, order
        assert unit is None and annual is None  # NULL stays NULL
        assert supervising == ""  # '' stays ''
    # The NULL row is NULL, not the text '\N' nor ''.
    assert connection.execute("select count(*) from raw.performance_projects where overall_goal is null"
                              ).fetchone() == (1,)
    assert connection.execute("select count(*) from raw.performance_projects where overall_goal = '\\N'"
                              ).fetchone() == (1,)
    assert connection.execute("select count(*) from raw.performance_projects where overall_goal = ''"
                              ).fetchone() == (1,)


def test_amounts_are_exact_decimals_and_other_types_keep_their_values(connection, loader):
    doc = document()
    amounts = [Decimal("0.01"), Decimal("-0.01"), Decimal("9999999999999999.99"), Decimal("-9999999999999999.99"),
               Decimal("159318.40"), Decimal("1E+2"), Decimal("0"), Decimal("0.10"), None]
    rows = [project(doc.document_id, i, "t", amount) for i, amount in enumerate(amounts, 1)]
    rows.append(PerformanceIndicator(doc.document_id, "附件11-1", 1, 7, "满意度 ≥ 95.125%", "p1", 1, "产出指标", None,
                                     None, "满意度", "≥", "95.125%", Decimal("95.125"), "%"))
    rows.append(ParseFinding(doc.document_id, "附件5", None, "rounding", "warn", None, Decimal("649.88"),
                             Decimal("649.89"), "附件3 21011 prints 649.88, its items add to 649.89"))
    counts = replace_document(connection, doc, rows, loader)
    assert counts == {"performance_projects": 9, "performance_indicators": 1, "parse_findings": 1}
    stored = [r[0] for r in connection.execute(
        "select budget_amount from raw.performance_projects order by row_order").fetchall()]
    assert stored == amounts
    assert [str(a) for a in stored[:6]] == ["0.01", "-0.01", "9999999999999999.99", "-9999999999999999.99",
                                            "159318.40", "100.00"]
    assert connection.execute("select target_value, source_line, indicator_order, level_2 "
                              "from raw.performance_indicators").fetchall() == [(Decimal("95.1250"), 7, 1, None)]
    assert connection.execute("select source_line, expected, actual from raw.parse_findings").fetchall() == [
        (None, Decimal("649.88"), Decimal("649.89"))]
    assert connection.execute("select ingested_at, department_code, fiscal_year from raw.documents").fetchall() == [
        (datetime(2026, 11, 29, 22, 15, 1, 123456), None, 2024)]
    line_item_flag = connection.execute("select data_type from duckdb_columns() where table_name = 'line_items' "
                                        "and column_name = 'is_transfer_to_lower_level'").fetchone()
    assert line_item_flag == ("BOOLEAN",)


def test_reloading_replaces_exactly_the_documents_slice(connection, loader):
    first, other = document("aaaaaaaaaaaaaaaa", "a.txt"), document("bbbbbbbbbbbbbbbb", "b.txt")
    replace_document(connection, first, [project(first.document_id, i, "old", Decimal(i)) for i in (1, 2, 3)], loader)
    replace_document(connection, other, [project(other.document_id, 1, "other", Decimal("5.50"))], loader)
    replace_document(connection, first, [project(first.document_id, 1, "new", Decimal("7.25"))], loader)
    assert connection.execute("select document_id, raw_text, budget_amount from raw.performance_projects "
                              "order by all").fetchall() == [
        ("aaaaaaaaaaaaaaaa", "new", Decimal("7.25")), ("bbbbbbbbbbbbbbbb", "other", Decimal("5.50"))]
    assert connection.execute("select file_name from raw.documents order by 1").fetchall() == [("a.txt",), ("b.txt",)]


def contents(connection) -> list:
    return [connection.execute(f"select * from raw.{t} order by all").fetchall()
            for t in ("documents", "performance_projects", "overview_items")]


def test_a_failing_load_leaves_the_database_unchanged(connection, loader):
    first = document("aaaaaaaaaaaaaaaa", "a.txt")
    replace_document(connection, first, [project(first.document_id, 1, "kept", Decimal("1.00"))], loader)
    before = contents(connection)
    # item_label is NOT NULL: the reload of `first` fails after its old slice was deleted and
    # its new rows were partly inserted; nothing of that may remain.
    bad = OverviewItem(first.document_id, "附件1", 1, 9, "x", "income", None, None, "一、", Decimal("1.00"))
    with pytest.raises(duckdb.ConstraintException):
        replace_document(connection, first, [project(first.document_id, 2, "new", Decimal("2.00")), bad], loader)
    assert contents(connection) == before

    # The same inside a caller's transaction with a batch of several documents.
    second = document("cccccccccccccccc", "c.txt")
    slices = [loader.prepare(replace(first, file_name="a2.txt"), [project(first.document_id, 3, "n", None)]),
              loader.prepare(second, [replace(bad, document_id=second.document_id)])]
    connection.execute("begin transaction")
    with pytest.raises(duckdb.ConstraintException):
        loader.load(connection, slices)
    rollback(connection)
    assert contents(connection) == before


def test_a_batch_loads_the_same_rows_as_one_document_at_a_time(tmp_path, parsed_2020, parsed_2024, loader):
    one_by_one = duckdb.connect(str(tmp_path / "one.duckdb"))
    batched = duckdb.connect(str(tmp_path / "batch.duckdb"))
    for connection in (one_by_one, batched):
        ensure_schema(connection)
    for parsed in (parsed_2020, parsed_2024):
        replace_document(one_by_one, parsed.document, parsed.rows(), loader)
    batched.execute("begin transaction")
    loader.load(batched, [loader.prepare(p.document, p.rows()) for p in (parsed_2020, parsed_2024)])
    batched.execute("commit")
    tables = [r[0] for r in batched.execute(
        "select table_name from duckdb_tables() where schema_name = 'raw' order by 1").fetchall()]
    for table in tables:
        query = f"select * from raw.{table} order by all"
        assert one_by_one.execute(query).fetchall() == batched.execute(query).fetchall(), table
    # Real values of the documents, as printed: 附件3 2080116 of 2024, line 1096.
    assert batched.execute("select total, non_fiscal_project, source_line from raw.subject_expenditure "
                           "where subject_code = '2080116'").fetchall() == [
        (Decimal("33946.00"), Decimal("952.00"), 1096)]
    assert batched.execute("select count(*) from raw.line_items").fetchone() == (37 + 32,)


def test_a_value_the_declared_type_cannot_hold_fails_the_load(connection, loader):
    """Too many digits for decimal(18,2), an aware timestamp: an error, never a NULL or a
    shifted value (the CSV path's errors come from DuckDB, the frames' from the loader)."""
    doc = document()
    too_large = project(doc.document_id, 1, "t", Decimal("10000000000000000.00"))
    with pytest.raises((ValueError, duckdb.ConversionException)):
        replace_document(connection, doc, [too_large], loader)
    aware = replace(doc, ingested_at=datetime(2026, 1, 1, tzinfo=timezone(timedelta(hours=8))))
    with pytest.raises(ValueError, match="naive UTC"):
        replace_document(connection, aware, [], loader)
    assert connection.execute("select count(*) from raw.documents").fetchone() == (0,)


def test_excess_decimal_places_round_half_away_from_zero_on_both_paths(connection, loader):
    doc = document()
    amounts = [Decimal("1.005"), Decimal("-1.005"), Decimal("1.0149"), Decimal("2.675"), Decimal("0.004")]
    replace_document(connection, doc, [project(doc.document_id, i, "t", a) for i, a in enumerate(amounts, 1)], loader)
    assert [r[0] for r in connection.execute("select budget_amount from raw.performance_projects "
                                             "order by row_order").fetchall()] == [
        Decimal("1.01"), Decimal("-1.01"), Decimal("1.01"), Decimal("2.68"), Decimal("0.00")]
