"""Column lineage of the marts: for every column of every mart, the raw and reference columns
it is computed from, through the staging and intermediate views.

Read from what dbt compiled (manifest.json: every model's SQL and the relation it builds) and
from the warehouse's own catalog (the columns behind `select *`), with sqlglot's lineage. A
model's column is followed into the models, seeds and sources its SQL reads, recursively,
until a source table (schema raw) or a seed (schema reference). Published as
marts.column_lineage, one row per mart column × source column × path:

    mart_name, column_name        the mart column
    source_schema, source_table   raw.<table> (a document table) or reference.<seed>
    source_column                 the column read; NULL when the value is not read from a
                                  column but set for each row of that table (a constant such
                                  as 'prose', a count(*), a name from a values list)
    path                          the way there, mart first:
                                  fct_expenditure.amount_yuan <- int_expenditure_lines_unioned.amount_wan
                                  <- stg_xiamen__line_items.amount_wan <- raw.line_items.amount

The rows depend only on the SQL dbt compiled, the catalog's columns, this file and sqlglot's
version, never on the data: `write_column_lineage` keeps its result in
PROJECT_ROOT/.cache/column_lineage/<sha256 of those inputs>.json (the last few, not committed)
and reuses it when every input is the same (a rebuild with new documents, the test suite's
builds of one project).

`python -m budgetwh.lineage DATABASE [MANIFEST]` writes the table into DATABASE.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import duckdb
import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError
from sqlglot.lineage import Node, lineage
from sqlglot.optimizer.qualify import qualify
from sqlglot.optimizer.scope import Scope, build_scope

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DIALECT = "duckdb"
TABLE = "marts.column_lineage"
COLUMNS = ("mart_name", "column_name", "source_schema", "source_table", "source_column", "path")
ARROW = " <- "
CACHE_DIR = PROJECT_ROOT / ".cache" / "column_lineage"
CACHE_ENTRIES = 8  # results kept; the oldest used beyond that are deleted
# Written by the build after dbt (so no model can read them), and present only in a copy of a
# published warehouse: left out of the schema the walker sees, so that an incremental build
# and a build from scratch of the same models share one result.
_WRITTEN_AFTER_DBT = (("marts", "column_lineage"), ("meta", None))


@dataclass(frozen=True)
class Source:
    schema: str | None
    table: str | None
    column: str | None  # None: the value is set per row of the table, not read from a column
    path: tuple[str, ...]


def manifest_path() -> Path:
    """Where `dbt build` just wrote its manifest: DBT_TARGET_PATH (relative to the project)
    or target/."""
    target = Path(os.environ.get("DBT_TARGET_PATH") or "target")
    return (target if target.is_absolute() else PROJECT_ROOT / target) / "manifest.json"


class _Lineage:
    def __init__(self, manifest: dict, schema: dict[str, dict[str, dict[str, dict[str, str]]]]):
        self.schema = schema
        self.relations: dict[tuple[str, str, str], dict] = {}
        for node in manifest["nodes"].values():
            if node["resource_type"] in ("model", "seed", "snapshot"):
                self.relations[_key(node["database"], node["schema"], node["alias"])] = node
        for source in manifest["sources"].values():
            self.relations[_key(source["database"], source["schema"], source["identifier"])] = source
        self._graphs: dict[str, tuple[dict[str, Node], dict[int, Scope], Scope]] = {}
        self._columns: dict[tuple[str, str], list[Source]] = {}
        self._tables: dict[str, list[Source]] = {}

    # -- one model's SQL, parsed and qualified once -----------------------------------------
    def _graph(self, node: dict) -> tuple[dict[str, Node], dict[int, Scope], Scope]:
        uid = node["unique_id"]
        if uid not in self._graphs:
            tree = sqlglot.parse_one(node["compiled_code"], read=DIALECT)
            tree = qualify(tree, dialect=DIALECT, schema=self.schema, validate_qualify_columns=False,
                           identify=False)
            root = build_scope(tree)
            scopes = {id(scope.expression): scope for scope in root.traverse()}
            nodes = lineage(None, tree, self.schema, dialect=DIALECT, scope=root, trim_selects=False,
                            copy=False)
            self._graphs[uid] = (nodes, scopes, root)
        return self._graphs[uid]

    # -- column level -------------------------------------------------------------------------
    def column(self, node: dict, column: str) -> list[Source]:
        """Sources of `column` of the relation `node` (model, seed or source)."""
        memo = (node["unique_id"], column)
        if memo in self._columns:
            return self._columns[memo]
        name = _name(node)
        if node["resource_type"] in ("source", "seed"):
            found = [Source(node["schema"], name, column, (f"{node['schema']}.{name}.{column}",))]
        else:
            nodes, scopes, _ = self._graph(node)
            here = f"{name}.{column}"
            found = []
            for leaf, parent in _leaves(nodes[column]):
                if isinstance(leaf.expression, exp.Table):
                    upstream = self.relations.get(_key(leaf.expression.catalog, leaf.expression.db,
                                                       leaf.expression.name))
                    if upstream is None:
                        continue
                    for source in self.column(upstream, leaf.name.split(".")[-1]):
                        found.append(Source(source.schema, source.table, source.column,
                                            (here, *source.path)))
                else:
                    # No column behind it: a literal, count(*), or a values list. Its value is
                    # set per row of whatever the select around it reads.
                    select = leaf.source if not isinstance(leaf.source, exp.Values) else parent.source
                    scope = scopes.get(id(select))
                    if scope is None:
                        continue
                    for table in _scope_tables(scope):
                        upstream = self.relations.get(_key(table.catalog, table.db, table.name))
                        if upstream is None:
                            continue
                        for source in self.table(upstream):
                            found.append(Source(source.schema, source.table, None,
                                                (here + " (set per row)", *source.path)))
        self._columns[memo] = found = _drop_redundant_rows(found)
        return found

    # -- table level: which source tables a relation's rows come from -------------------------
    def table(self, node: dict) -> list[Source]:
        uid = node["unique_id"]
        if uid in self._tables:
            return self._tables[uid]
        name = _name(node)
        if node["resource_type"] in ("source", "seed"):
            found = [Source(node["schema"], name, None, (f"{node['schema']}.{name}",))]
        else:
            _, _, root = self._graph(node)
            found = []
            for table in _scope_tables(root):
                upstream = self.relations.get(_key(table.catalog, table.db, table.name))
                if upstream is not None:
                    found.extend(Source(s.schema, s.table, None, (name, *s.path)) for s in self.table(upstream))
        self._tables[uid] = found
        return found


def _key(database: str | None, schema: str | None, name: str | None) -> tuple[str, str, str]:
    return ((database or "").lower(), (schema or "").lower(), (name or "").lower())


def _name(node: dict) -> str:
    return node.get("identifier") or node.get("alias") or node["name"]


def _leaves(root: Node):
    """(leaf, its parent) for every leaf of a lineage graph."""
    stack: list[tuple[Node, Node]] = [(root, root)]
    while stack:
        node, parent = stack.pop()
        if node.downstream:
            stack.extend((child, node) for child in node.downstream)
        else:
            yield node, parent


def _scope_tables(scope: Scope) -> list[exp.Table]:
    """The tables a select reads rows from: its FROM and JOINs, through CTEs, derived tables
    and union branches (not subqueries of WHERE, which only filter)."""
    tables: list[exp.Table] = []
    seen: set[int] = set()
    stack = [scope]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        stack.extend(current.set_operation_scopes)
        for _, source in current.selected_sources.values():
            if isinstance(source, Scope):
                stack.append(source)
            elif isinstance(source, exp.Table):
                tables.append(source)
    return tables


def _drop_redundant_rows(sources: list[Source]) -> list[Source]:
    """A per-row entry for a table that the column also reads a column of says nothing more."""
    with_columns = {(s.schema, s.table) for s in sources if s.column is not None}
    kept, seen = [], set()
    for source in sources:
        if source.column is None and (source.schema, source.table) in with_columns:
            continue
        if source not in seen:
            seen.add(source)
            kept.append(source)
    return kept


def catalog_schema(connection: duckdb.DuckDBPyConnection) -> dict:
    """{catalog: {schema: {table: {column: type}}}} of every table and view."""
    schema: dict = {}
    for catalog, db, table, column, data_type in connection.execute(
            "select table_catalog, table_schema, table_name, column_name, data_type "
            "from information_schema.columns order by all").fetchall():
        schema.setdefault(catalog, {}).setdefault(db, {}).setdefault(table, {})[column] = data_type
    return schema


def lineage_schema(connection: duckdb.DuckDBPyConnection) -> dict:
    """catalog_schema without the relations the build writes after dbt (_WRITTEN_AFTER_DBT)."""
    schema = catalog_schema(connection)
    for tables in schema.values():
        for db, table in _WRITTEN_AFTER_DBT:
            if table is None:
                tables.pop(db, None)
            elif table in tables.get(db, {}):
                del tables[db][table]
    return schema


def mart_models(manifest: dict) -> list[dict]:
    return sorted((node for node in manifest["nodes"].values()
                   if node["resource_type"] == "model" and node["schema"] == "marts"),
                  key=lambda node: node["name"])


def column_lineage(connection: duckdb.DuckDBPyConnection, manifest: dict) -> list[tuple]:
    """Rows of marts.column_lineage, sorted. A column whose SQL sqlglot cannot follow gets one
    row with no source and the reason in `path` (the lineage tests fail on it; the build does
    not)."""
    return _column_lineage(connection, manifest, lineage_schema(connection))


def _column_lineage(connection: duckdb.DuckDBPyConnection, manifest: dict, schema: dict) -> list[tuple]:
    walker = _Lineage(manifest, schema)
    rows: set[tuple] = set()
    for mart in mart_models(manifest):
        columns = connection.execute(
            "select column_name from information_schema.columns where table_schema = ? and table_name = ? "
            "order by ordinal_position", [mart["schema"], mart["alias"]]).fetchall()
        for (column,) in columns:
            try:
                sources = walker.column(mart, column)
            except (SqlglotError, KeyError) as error:
                rows.add((mart["alias"], column, None, None, None, f"lineage unavailable: {error}"))
                continue
            for source in sources:
                rows.add((mart["alias"], column, source.schema, source.table, source.column,
                          ARROW.join(source.path)))
    return sorted(rows, key=lambda row: tuple("" if value is None else value for value in row))


# -- cache: the rows of one set of inputs, reused by later builds ------------------------------
# The manifest fields the walker reads: which relations exist (models, seeds, snapshots and
# sources, by database, schema and alias or identifier) and every model's compiled SQL.
_NODE_FIELDS = ("unique_id", "resource_type", "name", "database", "schema", "alias", "identifier",
                "compiled_code", "depends_on")


def cache_key(manifest: dict, schema: dict) -> str:
    """sha256 of everything column_lineage's rows depend on: the relations and compiled SQL of
    the manifest, the catalog schema the walker sees, this file's code and sqlglot's version.
    (Sorted: dbt refuses two nodes that build one relation, so the order of the manifest does
    not matter to the walker.)"""
    nodes = sorted(([{field: node.get(field) for field in _NODE_FIELDS}
                     for node in manifest["nodes"].values() if node["resource_type"] in ("model", "seed", "snapshot")]
                    + [{field: source.get(field) for field in _NODE_FIELDS}
                       for source in manifest.get("sources", {}).values()]),
                   key=lambda node: (node["resource_type"], node["unique_id"]))
    digest = hashlib.sha256()
    for part in (json.dumps(schema, sort_keys=True, ensure_ascii=False),
                 json.dumps(nodes, sort_keys=True, ensure_ascii=False),
                 Path(__file__).read_text(encoding="utf-8"),
                 sqlglot.__version__):
        data = part.encode("utf-8")
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


def _read_cache(path: Path, key: str) -> list[tuple] | None:
    """The rows cached at `path`, or None when missing, unreadable, corrupt or for another key."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data["key"] != key or not isinstance(data["rows"], list):
            return None
        rows = [tuple(row) for row in data["rows"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not all(len(row) == len(COLUMNS) and all(v is None or isinstance(v, str) for v in row) for row in rows):
        return None
    try:
        os.utime(path)  # recently used: kept longer
    except OSError:
        pass
    return rows


def _write_cache(folder: Path, path: Path, key: str, rows: list[tuple]) -> None:
    """Write atomically (temp file, then rename); a cache that cannot be written is no error."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as file:
                json.dump({"key": key, "rows": rows}, file, ensure_ascii=False)
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        entries = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime if p.exists() else 0,
                         reverse=True)
        for old in entries[CACHE_ENTRIES:]:
            old.unlink(missing_ok=True)
    except OSError:
        pass


def cached_column_lineage(connection: duckdb.DuckDBPyConnection, manifest: dict,
                          cache_dir: Path | None = CACHE_DIR) -> tuple[list[tuple], bool]:
    """column_lineage's rows, from `cache_dir` when computed before from the same inputs
    (cache_key); (rows, whether they came from the cache). cache_dir None: no cache."""
    schema = lineage_schema(connection)
    if cache_dir is None:
        return _column_lineage(connection, manifest, schema), False
    key = cache_key(manifest, schema)
    path = cache_dir / f"{key}.json"
    rows = _read_cache(path, key)
    if rows is not None:
        return rows, True
    rows = _column_lineage(connection, manifest, schema)
    _write_cache(cache_dir, path, key, rows)
    return rows, False


def write_column_lineage(database: Path, manifest: Path | None = None, cache_dir: Path | None = CACHE_DIR) -> int:
    """Write marts.column_lineage into `database` (a built warehouse); returns its row count.
    The rows come from cache_dir when the same inputs were seen before (cached_column_lineage)."""
    manifest_data = json.loads((manifest or manifest_path()).read_text(encoding="utf-8"))
    connection = duckdb.connect(str(database))
    try:
        rows, _ = cached_column_lineage(connection, manifest_data, cache_dir)
        connection.execute(f"create or replace table {TABLE} (mart_name varchar, column_name varchar, "
                           "source_schema varchar, source_table varchar, source_column varchar, path varchar)")
        # One statement with the rows as one JSON parameter: executemany runs one insert per
        # row (2,300 rows: 36 s on a loaded 2-core machine, against 0.1 s this way).
        struct = "struct(" + ", ".join(f"{column} varchar" for column in COLUMNS) + ")[]"
        connection.execute(f"insert into {TABLE} select row.* from (select unnest(cast(json(?) as {struct})) as row)",
                           [json.dumps([dict(zip(COLUMNS, row)) for row in rows], ensure_ascii=False)])
        connection.execute("checkpoint")
        return len(rows)
    finally:
        connection.close()


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not 1 <= len(args) <= 2:
        print("usage: python -m budgetwh.lineage DATABASE [MANIFEST]", file=sys.stderr)
        return 2
    count = write_column_lineage(Path(args[0]), Path(args[1]) if len(args) == 2 else None)
    print(f"{TABLE}: {count} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
