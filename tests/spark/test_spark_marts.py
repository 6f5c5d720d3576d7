"""Every mart built on Spark equals the DuckDB mart row for row: the same columns and the same
multiset of rows, each value compared with its Python type (a DECIMAL is compared exactly as
a Decimal, never as a float; strings exactly), plus real values read on the Spark side."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from tests.spark.compare import row_differences

pytestmark = pytest.mark.spark

MARTS = sorted(p.stem for p in (Path(__file__).resolve().parents[2] / "models" / "marts").glob("*.sql"))


def test_every_mart_is_listed():
    assert len(MARTS) >= 15 and {"fct_expenditure", "map_subject_code", "subject_year_comparison"} <= set(MARTS)


@pytest.mark.parametrize("mart", MARTS)
def test_spark_mart_equals_duckdb_mart(mart, spark, duckdb_warehouse):
    duck = duckdb_warehouse.execute(f"select * from marts.{mart}")
    duck_columns = [column[0] for column in duck.description]
    duck_rows = duck.fetchall()
    frame = spark.sql(f"select * from marts.{mart}")
    assert sorted(frame.columns) == sorted(duck_columns), "column sets differ"
    spark_rows = [tuple(row[column] for column in duck_columns) for row in frame.collect()]
    assert duck_rows, f"marts.{mart} is empty on DuckDB: nothing would be compared"
    only_duckdb, only_spark = row_differences(duck_rows, spark_rows)
    assert not only_duckdb and not only_spark, (
        f"marts.{mart}: {len(duck_rows)} rows on DuckDB, {len(spark_rows)} on Spark; "
        f"only on DuckDB: {only_duckdb[:5]}; only on Spark: {only_spark[:5]}")


def test_talent_spending_on_spark(spark):
    # 2024 2080116 引进人才费用: 32994.00 万元 of general public budget, project, 附件5 line 1287.
    rows = spark.sql("""
        select fund_source, expenditure_type, amount_wan, amount_yuan, source_line, file_name
        from marts.fct_expenditure
        where fiscal_year = 2024 and subject_code = '2080116'
        order by source_line""").collect()
    assert [tuple(row) for row in rows] == [
        ("non_fiscal", "project", Decimal("952.00"), Decimal("9520000.00"), 1096, "xiamen-hrss-2024-budget.txt"),
        ("general_public_budget", "project", Decimal("32994.00"), Decimal("329940000.00"), 1287,
         "xiamen-hrss-2024-budget.txt"),
        ("general_public_budget", "project", Decimal("17513.00"), Decimal("175130000.00"), 1487,
         "xiamen-hrss-2024-budget.txt"),
    ]


def test_crosswalk_on_spark(spark):
    # 2020's 2011008 (款 20110, abolished) is 2024's 2080116; the walk is spark__follow_crosswalk_links.
    mapped = spark.sql("""
        select subject_code from marts.map_subject_code
        where fiscal_year = 2020 and reported_code = '2011008'""").collect()
    assert [row.subject_code for row in mapped] == ["2080116"]
    compared = spark.sql("""
        select fiscal_year, reported_subject_codes, general_public_budget_wan, general_public_budget_transfers_wan
        from marts.subject_year_comparison where subject_code = '2080116' and fiscal_year in (2020, 2024)
        order by fiscal_year""").collect()
    assert [tuple(row) for row in compared] == [
        (2020, "2011008", Decimal("22557.92"), Decimal("3200.00")),
        (2024, "2080116", Decimal("32994.00"), Decimal("17513.00")),
    ]


def test_totals_reconcile_on_spark(spark):
    # 厦门市人社局 (department 403) budgets. 2024: 159,318.40 万元 without the 20,826.00 of
    # transfers (20,632.00 + 194.00). The fact also holds the Putuo departments and the final
    # account's 年初预算 and 决算 phases, so the total is of one department's budgeted phase.
    totals = spark.sql("""
        select fiscal_year, sum(amount_wan) as amount_wan
        from marts.fct_expenditure
        where not is_transfer_to_lower_level and department_code = '403' and budget_phase = 'budgeted'
            and fiscal_year in (2020, 2024)
        group by fiscal_year
        order by fiscal_year""").collect()
    assert [tuple(row) for row in totals] == [(2020, Decimal("74587.17")), (2024, Decimal("159318.40"))]


def test_budget_execution_on_spark(spark):
    # 上海市普陀区财政局 2024 部门决算: 2010601 行政运行 年初预算 1,560.05 万元 (prose, page 22)
    # against 决算 1,511.89 (table, page 15), 96.91% executed; the rate is a decimal division,
    # where DuckDB and Spark differ in type unless the model casts it.
    rows = spark.sql("""
        select execution.budgeted_wan, execution.outturn_wan, execution.difference_wan,
            execution.execution_rate_pct, execution.outturn_page_number, execution.initial_budget_page_number
        from marts.budget_execution as execution
        inner join marts.dim_document as document
            on execution.department_code = document.department_code
            and execution.fiscal_year = document.fiscal_year
        where document.file_name = '2024-final-finance.pdf' and execution.subject_code = '2010601'""").collect()
    assert [tuple(row) for row in rows] == [
        (Decimal("1560.05"), Decimal("1511.89"), Decimal("-48.16"), Decimal("96.91"), 15, 22)]


def test_marts_are_spark_tables_over_parquet(spark):
    described = {row.col_name: row.data_type for row in spark.sql("describe table extended marts.fct_expenditure").collect()}
    assert described["Provider"] == "parquet"
    assert described["amount_wan"] == "decimal(18,2)"
