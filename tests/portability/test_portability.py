"""Portability gate: every compiled model must carry over from DuckDB to Spark SQL and Trino.

Each model's compiled SQL (what dbt-duckdb runs) is parsed by sqlglot as DuckDB and
transpiled to Spark and Trino with unsupported_level=RAISE: anything sqlglot knows it
cannot express fails here, naming the model and the construct. sqlglot also translates some
constructs without complaint but wrongly; those are listed in SILENT below (and in
models/portability.md), each with an example that shows the silence, and are looked for in
the parsed SQL. A construct on that list is accepted only where it comes from an
adapter.dispatch macro of this project (named in the entry) that has its own implementation
for the engine concerned: on that engine dbt renders that implementation, not the DuckDB one
transpiled."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

import pytest
import sqlglot
from sqlglot import ErrorLevel, exp

TARGETS = ("spark", "trino")
PROJECT = "budget_warehouse"


@dataclass(frozen=True)
class Silent:
    name: str
    targets: tuple[str, ...]
    why: str
    example: str  # DuckDB that sqlglot transpiles to every target without raising
    find: Callable[[exp.Expression], list[exp.Expression]]
    dispatched_by: str | None = None  # the dispatch macro that may produce it


def _all(kind):
    return lambda tree: list(tree.find_all(kind))


SILENT = [
    Silent("recursive CTE", ("spark",),
           "Spark SQL has no WITH RECURSIVE; sqlglot emits it unchanged",
           "with recursive w as (select 1 as n union all select n + 1 from w where n < 3) select * from w",
           lambda tree: [w for w in tree.find_all(exp.With) if w.args.get("recursive")],
           dispatched_by="follow_crosswalk_links"),
    Silent("GROUP BY ALL", ("trino",),
           "Trino has no GROUP BY ALL (ALL is its set quantifier); sqlglot emits it unchanged",
           "select a, count(*) from t group by all",
           lambda tree: [g for g in tree.find_all(exp.Group) if g.args.get("all")]),
    Silent("LATERAL join", ("spark",),
           "sqlglot drops LATERAL before a values list on Spark, so the outer columns no longer resolve",
           "select * from t cross join lateral (values ('a', t.x)) as v (k, amount)",
           _all(exp.Lateral)),
    Silent("PIVOT / UNPIVOT", ("spark",),
           "DuckDB's UNPIVOT statement becomes Spark's UNPIVOT clause (3.4+ only) and fails on Trino",
           "select * from (unpivot t on a, b into name k value v)",
           _all(exp.Pivot)),
    Silent("DISTINCT in a window aggregate", ("spark", "trino"),
           "neither Spark nor Trino accepts count(distinct …) over (…); sqlglot emits it unchanged",
           "select count(distinct x) over (partition by a) from t",
           lambda tree: [w for w in tree.find_all(exp.Window) if w.this.find(exp.Distinct)]),
    Silent("regexp_replace", ("spark", "trino"),
           "DuckDB replaces the first match unless given 'g', Spark and Trino every match; sqlglot "
           "passes the call through (and Trino's 4th argument is a lambda, not flags)",
           "select regexp_replace(x, 'a', 'b') from t",
           _all(exp.RegexpReplace),
           dispatched_by="remove_whitespace"),
    Silent("string aggregate without ORDER BY", ("trino",),
           "Trino's listagg requires WITHIN GROUP (ORDER BY …), and the unordered list differs run to run",
           "select string_agg(x, ', ') from t",
           lambda tree: [g for g in tree.find_all(exp.GroupConcat) if not isinstance(g.this, exp.Order)]),
    Silent("RANGE frame with an offset", ("spark", "trino"),
           "the offset's unit follows the ORDER BY type, which differs between engines; sqlglot copies it",
           "select sum(x) over (order by y range between 1 preceding and current row) from t",
           lambda tree: [s for s in tree.find_all(exp.WindowSpec)
                         if str(s.args.get("kind", "")).lower() == "range"
                         and (isinstance(s.args.get("start"), exp.Expression)
                              or isinstance(s.args.get("end"), exp.Expression))]),
    Silent("starts_with", ("spark",),
           "dbt runs the SQL as written and Spark has no starts_with (UNRESOLVED_ROUTINE); sqlglot "
           "renames it to STARTSWITH, which hides that (found by make test-spark)",
           "select starts_with(a, b) from t",
           _all(exp.StartsWith),
           dispatched_by="has_prefix"),
    Silent("IGNORE NULLS", ("spark", "trino"),
           "sqlglot moves IGNORE NULLS around the call; which functions accept it differs by engine",
           "select last_value(x ignore nulls) over (order by y) from t",
           _all(exp.IgnoreNulls)),
]


def _macro_closure(manifest: dict, node: dict) -> set[str]:
    seen: set[str] = set()
    todo = list(node["depends_on"]["macros"])
    while todo:
        macro_id = todo.pop()
        if macro_id in seen:
            continue
        seen.add(macro_id)
        todo.extend(manifest["macros"].get(macro_id, {}).get("depends_on", {}).get("macros", []))
    return seen


def _has_implementation_for(manifest: dict, macro: str, target: str) -> bool:
    """dbt on `target` renders <target>__macro, else default__macro: either must exist."""
    return any(f"macro.{PROJECT}.{prefix}__{macro}" in manifest["macros"] for prefix in (target, "default"))


def _excerpt(node: exp.Expression) -> str:
    text = node.sql(dialect="duckdb")
    return text if len(text) < 100 else text[:97] + "..."


def test_gate_checks_every_model(built_project):
    models = built_project.models()
    assert len(models) >= 30, [m["name"] for m in models]
    assert all(m.get("compiled_code") for m in models), "dbt did not compile every model"


def test_every_model_transpiles_to_spark_and_trino(built_project):
    manifest = built_project.manifest
    problems: list[str] = []
    for model in built_project.models():
        name = model["name"]
        try:
            tree = sqlglot.parse_one(model["compiled_code"], read="duckdb")
        except sqlglot.errors.ParseError as error:
            problems.append(f"{name}: not parsed as DuckDB SQL: {error}")
            continue
        for target in TARGETS:
            try:
                tree.sql(dialect=target, unsupported_level=ErrorLevel.RAISE)
            except sqlglot.errors.UnsupportedError as error:
                problems.append(f"{name} → {target}: {str(error).splitlines()[0]}")
        macros = _macro_closure(manifest, model)
        for silent in SILENT:
            found = silent.find(tree)
            if not found:
                continue
            for target in silent.targets:
                macro = silent.dispatched_by
                if (macro and f"macro.{PROJECT}.{macro}" in macros
                        and _has_implementation_for(manifest, macro, target)):
                    continue
                problems.append(f"{name} → {target}: {silent.name} ({silent.why}): {_excerpt(found[0])}")
    assert not problems, "constructs that do not carry over:\n" + "\n".join(problems)


@pytest.mark.parametrize("silent", SILENT, ids=lambda s: s.name)
def test_silent_constructs_are_still_silent(silent):
    """Each entry of SILENT is something sqlglot (pinned) transpiles without raising, and the
    gate's finder recognises it; if sqlglot starts refusing one, RAISE covers it and the entry
    can go."""
    tree = sqlglot.parse_one(silent.example, read="duckdb")
    assert silent.find(tree), f"the finder of {silent.name!r} misses its own example"
    for target in silent.targets:
        tree.sql(dialect=target, unsupported_level=ErrorLevel.RAISE)


def test_dispatch_macros_of_the_gate_have_other_implementations(built_project):
    manifest = built_project.manifest
    for silent in SILENT:
        if silent.dispatched_by:
            for target in silent.targets:
                assert _has_implementation_for(manifest, silent.dispatched_by, target), (
                    f"{silent.dispatched_by} has no {target}__ or default__ implementation")
            assert f"macro.{PROJECT}.duckdb__{silent.dispatched_by}" in manifest["macros"] or \
                f"macro.{PROJECT}.default__{silent.dispatched_by}" in manifest["macros"]


def test_models_and_seeds_name_no_bare_varchar(built_project):
    """Spark 4 refuses VARCHAR without a length (DATATYPE_MISSING_SIZE), and sqlglot hides it by
    writing STRING (found by make test-spark). Models cast with dbt.type_string(), which each
    adapter renders (VARCHAR on DuckDB, string on Spark); seeds declare string, DuckDB's alias
    of VARCHAR. The compiled DuckDB SQL says VARCHAR either way, so the source is checked."""
    bare_varchar = re.compile(r"\bvarchar\b(?!\s*\()", re.IGNORECASE)
    problems = [f"{m['name']}: {line.strip()}" for m in built_project.models()
                for line in m["raw_code"].splitlines() if bare_varchar.search(line.split("--")[0])]
    seeds = [n for n in built_project.manifest["nodes"].values() if n["resource_type"] == "seed"]
    assert len(seeds) >= 7
    problems += [f"seed {seed['name']}.{column}: {kind}" for seed in seeds
                 for column, kind in seed["config"].get("column_types", {}).items() if bare_varchar.search(kind)]
    assert not problems, "varchar without a length (Spark refuses it):\n" + "\n".join(problems)


def test_gate_fails_on_duckdb_only_sql():
    """The finders catch what the project rewrote (lateral values, UNPIVOT, GROUP BY ALL, …)."""
    duckdb_only = """
        select t.a, v.k, count(distinct t.x) over (partition by t.a) as n
        from t cross join lateral (values ('a', t.x)) as v (k, amount)
        group by all
    """
    tree = sqlglot.parse_one(duckdb_only, read="duckdb")
    found = {silent.name for silent in SILENT if silent.find(tree)}
    assert {"LATERAL join", "GROUP BY ALL", "DISTINCT in a window aggregate"} <= found
