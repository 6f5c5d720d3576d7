"""Analyst query latency on a scaled copy of a built warehouse's expenditure facts.

The generated corpora give about 400 expenditure facts per document, so 10^6 and 10^7 facts
would need tens of thousands of documents. Instead the facts of a real build are copied into
a scratch DuckDB file as many times as needed, each copy after the first under synthetic
department, document and row keys (`<key>~<copy>`), and the last copy cut so the table holds
exactly the asked number of rows. Subjects, years, fund sources and amounts are those the
build produced, so group sizes per subject and year grow with the copies the way they would
with more departments reporting the same classification.

Each query is timed in a fresh read-only connection: the first run (DuckDB's buffer pool
empty; the operating system's page cache is not dropped) is reported as *cold*, one more run
is discarded as a warm-up, then the median of the timed runs is reported."""

from __future__ import annotations

import json
import math
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

FACT_TABLE = "marts.fct_expenditure"
# Columns that identify who reported a fact; each copy gets its own values so a copy is a
# different department's document, not a duplicate of the same one.
SYNTHETIC_KEYS = ("expenditure_key", "department_code", "document_id", "file_name")


@dataclass(frozen=True)
class AnalystQuery:
    name: str
    description: str
    sql: str
    takes_department: bool = False


# Year over year by conformed subject: what marts.subject_year_comparison computes (its
# general-public-budget columns), done over the facts so its cost grows with them.
YEAR_OVER_YEAR = AnalystQuery(
    "year_over_year_by_subject",
    "year over year by conformed subject (sum by subject_code × fiscal_year, lag over years)",
    """
    with by_subject_year as (
        select subject_code, fiscal_year,
               sum(case when fund_source = 'general_public_budget' and not is_transfer_to_lower_level
                        then amount_wan else 0 end) as general_public_budget_wan,
               sum(case when fund_source = 'general_public_budget' and is_transfer_to_lower_level
                        then amount_wan else 0 end) as transfers_wan
        from marts.fct_expenditure
        group by subject_code, fiscal_year
    )
    select subject_code, fiscal_year, general_public_budget_wan, transfers_wan,
           general_public_budget_wan - lag(general_public_budget_wan) over by_year as change_wan
    from by_subject_year
    window by_year as (partition by subject_code order by fiscal_year)
    order by subject_code, fiscal_year
    """)

DEPARTMENT_HISTORY = AnalystQuery(
    "department_history",
    "one department's history (its totals by year and fund source)",
    """
    select fiscal_year, fund_source, is_transfer_to_lower_level, count(*) as facts, sum(amount_wan) as amount_wan
    from marts.fct_expenditure
    where department_code = ?
    group by all
    order by all
    """,
    takes_department=True)

TOP_CHANGES = AnalystQuery(
    "top_changes",
    "top 20 changes (department × subject, general public budget, against the department's previous year)",
    """
    with by_department_subject_year as (
        select department_code, subject_code, fiscal_year, sum(amount_wan) as amount_wan
        from marts.fct_expenditure
        where fund_source = 'general_public_budget' and not is_transfer_to_lower_level
        group by all
    ),
    changes as (
        select *,
               lag(fiscal_year) over previous as previous_fiscal_year,
               amount_wan - lag(amount_wan) over previous as change_wan
        from by_department_subject_year
        window previous as (partition by department_code, subject_code order by fiscal_year)
    )
    select department_code, subject_code, previous_fiscal_year, fiscal_year, change_wan
    from changes
    where change_wan is not null
    order by abs(change_wan) desc, department_code, subject_code, fiscal_year
    limit 20
    """)

ANALYST_QUERIES = (YEAR_OVER_YEAR, DEPARTMENT_HISTORY, TOP_CHANGES)


def scale_facts(source_db: Path, scratch_db: Path, rows: int) -> dict:
    """Write `rows` expenditure facts into a new `scratch_db`, copied from `source_db`."""
    for suffix in ("", ".wal"):
        Path(f"{scratch_db}{suffix}").unlink(missing_ok=True)
    connection = duckdb.connect(str(scratch_db))
    try:
        connection.execute(f"attach '{source_db}' as source (read_only)")
        source_rows = connection.execute(f"select count(*) from source.{FACT_TABLE}").fetchone()[0]
        if not source_rows:
            raise ValueError(f"{source_db}: {FACT_TABLE} is empty; nothing to scale")
        columns = [r[0] for r in connection.execute(
            "select column_name from information_schema.columns where table_catalog = 'source' "
            "and table_schema = 'marts' and table_name = 'fct_expenditure' order by ordinal_position").fetchall()]
        copies = math.ceil(rows / source_rows)
        select = ", ".join(
            f"case when copy = 0 then {c} else {c} || '~' || copy end as {c}" if c in SYNTHETIC_KEYS else c
            for c in columns)
        connection.execute("create schema marts")
        # Order: copy by copy, each in the build's own row order, as if every copy were a later
        # batch of departments appended to the warehouse.
        connection.execute(
            f"create table {FACT_TABLE} as "
            f"with numbered as (select row_number() over () as source_row, * from source.{FACT_TABLE}) "
            f"select {select} from numbered cross join range({copies}) as copies(copy) "
            f"where copy * {source_rows} + source_row <= {rows} order by copy, source_row")
        written = connection.execute(f"select count(*) from {FACT_TABLE}").fetchone()[0]
        # The department with the most facts in the build itself: its history is the one asked.
        department = connection.execute(
            f"select department_code from source.{FACT_TABLE} group by 1 order by count(*) desc, 1 limit 1"
        ).fetchone()[0]
        connection.execute("detach source")
        connection.execute("checkpoint")
    finally:
        connection.close()
    if written != rows:
        raise AssertionError(f"{scratch_db}: expected exactly {rows} facts after scaling, wrote {written}")
    return {"rows": rows, "source_rows": source_rows, "copies": copies, "department": department,
            "bytes": scratch_db.stat().st_size}


def time_queries(db: Path, department: str, runs: int) -> list[dict]:
    """Cold first run, one discarded warm-up and `runs` timed runs of each analyst query."""
    results = []
    for query in ANALYST_QUERIES:
        params = [department] if query.takes_department else []
        connection = duckdb.connect(str(db), read_only=True)
        try:
            threads = connection.execute("select current_setting('threads')").fetchone()[0]
            start = time.perf_counter()
            result_rows = len(connection.execute(query.sql, params).fetchall())
            cold = time.perf_counter() - start
            connection.execute(query.sql, params).fetchall()  # warm-up, discarded
            samples = []
            for _ in range(runs):
                start = time.perf_counter()
                connection.execute(query.sql, params).fetchall()
                samples.append(time.perf_counter() - start)
        finally:
            connection.close()
        results.append({"name": query.name, "description": query.description, "cold": cold,
                        "median": statistics.median(samples), "min": min(samples), "samples": samples,
                        "result_rows": result_rows, "threads": threads})
    return results


def operator_profile(db: Path, query: AnalystQuery, department: str, top: int = 6) -> list[dict]:
    """DuckDB's own profile of one warm run: time per operator, largest first (what bounds it)."""
    params = [department] if query.takes_department else []
    with tempfile.TemporaryDirectory(prefix="bench-profile-") as folder:
        output = Path(folder) / "profile.json"
        connection = duckdb.connect(str(db), read_only=True)
        try:
            connection.execute(query.sql, params).fetchall()
            connection.execute("pragma enable_profiling = 'json'")
            connection.execute(f"pragma profiling_output = '{output}'")
            connection.execute(query.sql, params).fetchall()
            connection.execute("pragma disable_profiling")
        finally:
            connection.close()
        tree = json.loads(output.read_text(encoding="utf-8"))
    operators: list[dict] = []

    def walk(node: dict) -> None:
        if "operator_name" in node:
            operators.append({"operator": node["operator_name"], "seconds": node.get("operator_timing", 0.0),
                              "rows": node.get("operator_cardinality", 0)})
        for child in node.get("children", []):
            walk(child)

    walk(tree)
    total = sum(o["seconds"] for o in operators) or float("nan")
    for operator in operators:
        operator["share"] = operator["seconds"] / total
    return sorted(operators, key=lambda o: o["seconds"], reverse=True)[:top]


def bench_queries(source_db: Path, work: Path, fact_rows: list[int], runs: int, log=None) -> dict:
    """Scale the facts of `source_db` to each size in `fact_rows` and time the analyst queries."""
    sizes = []
    for rows in fact_rows:
        scratch = work / f"facts-{rows}.duckdb"
        if log:
            log(f"scaling {FACT_TABLE} of {source_db.name} to {rows:,} rows")
        start = time.perf_counter()
        scaled = scale_facts(source_db, scratch, rows)
        scaled["scaling_seconds"] = time.perf_counter() - start
        if log:
            log(f"timing {len(ANALYST_QUERIES)} queries at {rows:,} facts ({runs} runs each)")
        scaled["queries"] = time_queries(scratch, scaled["department"], runs)
        if rows == max(fact_rows):
            scaled["profile"] = operator_profile(scratch, YEAR_OVER_YEAR, scaled["department"])
        for suffix in ("", ".wal"):
            Path(f"{scratch}{suffix}").unlink(missing_ok=True)
        sizes.append(scaled)
    return {"runs": runs, "sizes": sizes}
