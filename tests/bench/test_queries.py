"""bench/queries.py: the scaled fact table holds exactly the asked rows, each copy under its
own department and document keys, and the analyst queries return what the facts say."""

from __future__ import annotations

from decimal import Decimal

import duckdb
import pytest

from bench.queries import ANALYST_QUERIES, DEPARTMENT_HISTORY, YEAR_OVER_YEAR, scale_facts, time_queries

# (department, year, subject, fund source, transfer, amount 万元) of a tiny built warehouse.
FACTS = [
    ("403", 2020, "2080116", "general_public_budget", False, "22557.92"),
    ("403", 2024, "2080116", "general_public_budget", False, "32994.00"),
    ("403", 2024, "2080116", "general_public_budget", True, "17513.00"),
    ("403", 2024, "2080116", "non_fiscal", False, "952.00"),
    ("401", 2024, "2080101", "general_public_budget", False, "100.50"),
]


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    path = tmp_path_factory.mktemp("source") / "budget.duckdb"
    connection = duckdb.connect(str(path))
    connection.execute("create schema marts")
    connection.execute("create table marts.fct_expenditure (expenditure_key varchar, fiscal_year integer, "
                       "department_code varchar, subject_code varchar, fund_source varchar, "
                       "is_transfer_to_lower_level boolean, amount_wan decimal(18, 2), document_id varchar, "
                       "file_name varchar, source_line integer)")
    for i, (department, year, subject, fund, transfer, amount) in enumerate(FACTS):
        connection.execute("insert into marts.fct_expenditure values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           [f"k{i}", year, department, subject, fund, transfer, Decimal(amount),
                            f"doc-{department}-{year}", f"xiamen-{department}-{year}.txt", 100 + i])
    connection.close()
    return path


def test_scaled_table_has_exactly_the_rows_asked_with_synthetic_keys(source, tmp_path):
    scaled = scale_facts(source, tmp_path / "facts.duckdb", 12)
    assert (scaled["rows"], scaled["source_rows"], scaled["copies"], scaled["department"]) == (12, 5, 3, "403")
    connection = duckdb.connect(str(tmp_path / "facts.duckdb"), read_only=True)
    try:
        assert connection.execute("select count(*) from marts.fct_expenditure").fetchone() == (12,)
        # Copy 0 keeps the build's keys; copies 1 and 2 (cut to 2 rows) are other departments.
        departments = dict(connection.execute(
            "select department_code, count(*) from marts.fct_expenditure group by 1").fetchall())
        assert departments == {"403": 4, "401": 1, "403~1": 4, "401~1": 1, "403~2": 2}
        assert connection.execute("select count(distinct expenditure_key), count(distinct document_id) "
                                  "from marts.fct_expenditure").fetchone() == (12, 8)
        # Source lines and amounts are the build's own.
        assert connection.execute("select sum(amount_wan), min(source_line), max(source_line) "
                                  "from marts.fct_expenditure").fetchone() == (
            Decimal("74117.42") * 2 + Decimal("22557.92") + Decimal("32994.00"), 100, 104)
        yoy = connection.execute(YEAR_OVER_YEAR.sql).fetchall()
    finally:
        connection.close()
    # 2080116's general public budget without transfers: 3 copies of 2020 (22,557.92), 3 of 2024
    # (32,994.00); the transfers stay apart (2 copies reach the 2024 transfer row).
    assert yoy == [
        ("2080101", 2024, Decimal("201.00"), Decimal("0.00"), None),
        ("2080116", 2020, Decimal("67673.76"), Decimal("0.00"), None),
        ("2080116", 2024, Decimal("98982.00"), Decimal("35026.00"), Decimal("31308.24")),
    ]


def test_each_query_is_timed_in_its_own_connection_and_answers(source, tmp_path):
    scale_facts(source, tmp_path / "facts.duckdb", 10)
    timed = time_queries(tmp_path / "facts.duckdb", "403", runs=3)
    assert [q["name"] for q in timed] == [q.name for q in ANALYST_QUERIES]
    by_name = {q["name"]: q for q in timed}
    for query in timed:
        assert len(query["samples"]) == 3 and query["cold"] > 0 and query["min"] <= query["median"]
    # 403's history: 2020 general budget; 2024 general budget, its transfers, non-fiscal.
    assert by_name[DEPARTMENT_HISTORY.name]["result_rows"] == 4
    assert by_name["year_over_year_by_subject"]["result_rows"] == 3
    # Changes exist only for 2080116 from 2020 to 2024, once per copy holding both years.
    assert by_name["top_changes"]["result_rows"] == 2


def test_scaling_refuses_an_empty_fact_table(tmp_path):
    path = tmp_path / "empty.duckdb"
    connection = duckdb.connect(str(path))
    connection.execute("create schema marts")
    connection.execute("create table marts.fct_expenditure (department_code varchar, amount_wan decimal(18, 2))")
    connection.close()
    with pytest.raises(ValueError, match="fct_expenditure is empty"):
        scale_facts(path, tmp_path / "facts.duckdb", 10)
