"""Jinja context for sqlfluff's jinja templater (library_path in .sqlfluff): a stand-in for
dbt's `dbt` namespace, so models can call dbt's cross-database macros (dbt.listagg, …) and
still be linted without dbt, a profile or a warehouse. Each stand-in renders what dbt-duckdb
renders, so sqlfluff parses the SQL dbt would run.

sqlfluff imports this package by file path under the name `sqlfluff_dbt_context`; it is not
imported by the project or the tests."""

from types import SimpleNamespace as _Namespace


def _listagg(measure, delimiter_text="','", order_by_clause=None, limit_num=None):
    # dbt-duckdb's duckdb__listagg without limit_num.
    order = f" {order_by_clause}" if order_by_clause else ""
    return f"string_agg({measure}, {delimiter_text}{order})"


def _concat(fields):
    return " || ".join(fields)


def _type_string():
    return "varchar"


def _hash(field):
    return f"md5(cast({field} as varchar))"


def _position(substring_text, string_text):
    # dbt's default__position (dbt-duckdb has no own).
    return f"position({substring_text} in {string_text})"


def _safe_cast(field, type_):
    return f"try_cast({field} as {type_})"


dbt = _Namespace(
    listagg=_listagg,
    concat=_concat,
    type_string=_type_string,
    hash=_hash,
    position=_position,
    safe_cast=_safe_cast,
)

# dbt's `target`: the fact models choose their materialization by the engine
# (macros/incremental.sql); lint renders them as dbt-duckdb does.
target = _Namespace(type="duckdb", name="dev", schema="main")
