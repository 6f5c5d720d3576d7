"""The column lineage cache (budgetwh/lineage.py: cache_key, cached_column_lineage): a result
reused only for the very inputs it was computed from, and a bad cache file never fails a
build. On a copy of the portability build (its own cache folder per test, not the project's)."""

from __future__ import annotations

import copy
import json
import shutil

import duckdb
import pytest

from budgetwh import lineage
from budgetwh.lineage import (TABLE, cache_key, cached_column_lineage, column_lineage, lineage_schema,
                              write_column_lineage)


@pytest.fixture(scope="module")
def warehouse(built_project, tmp_path_factory):
    """A copy of the built project (the catalog is named after the file: keep its name) and the
    rows computed without any cache."""
    database = tmp_path_factory.mktemp("lineage-cache") / built_project.database.name
    shutil.copyfile(built_project.database, database)
    connection = duckdb.connect(str(database), read_only=True)
    try:
        fresh = column_lineage(connection, built_project.manifest)
    finally:
        connection.close()
    assert len(fresh) > 100
    return database, fresh


@pytest.fixture
def connection(warehouse):
    connection = duckdb.connect(str(warehouse[0]), read_only=True)
    yield connection
    connection.close()


def one_mart(manifest: dict, name: str = "dim_document") -> dict:
    """The manifest with a single mart model: a walk of seconds, not of every mart."""
    trimmed = copy.deepcopy(manifest)
    trimmed["nodes"] = {uid: node for uid, node in trimmed["nodes"].items()
                        if not (node["resource_type"] == "model" and node["schema"] == "marts"
                                and node["name"] != name)}
    return trimmed


def test_a_hit_returns_the_rows_of_a_fresh_walk(built_project, warehouse, connection, tmp_path):
    _, fresh = warehouse
    rows, cached = cached_column_lineage(connection, built_project.manifest, tmp_path)
    assert not cached and rows == fresh
    assert len(list(tmp_path.glob("*.json"))) == 1
    rows, cached = cached_column_lineage(connection, built_project.manifest, tmp_path)
    assert cached
    assert rows == fresh
    assert all(isinstance(row, tuple) for row in rows)


def test_write_from_the_cache_writes_the_fresh_rows(built_project, warehouse, tmp_path):
    """Twice into the warehouse, the second time from the cache: the table holds the fresh
    rows. The first write creates marts.column_lineage, which must not change the key."""
    database, fresh = warehouse
    cache = tmp_path / "cache"
    assert write_column_lineage(database, built_project.manifest_path, cache) == len(fresh)
    [entry] = cache.glob("*.json")
    before = entry.stat().st_mtime_ns
    connection = duckdb.connect(str(database))
    try:
        connection.execute(f"delete from {TABLE}")
    finally:
        connection.close()
    assert write_column_lineage(database, built_project.manifest_path, cache) == len(fresh)
    assert [p.name for p in cache.glob("*.json")] == [entry.name]
    connection = duckdb.connect(str(database), read_only=True)
    try:
        written = connection.execute(f"select * from {TABLE}").fetchall()
        _, hit = cached_column_lineage(connection, built_project.manifest, cache)
    finally:
        connection.close()
    assert hit
    assert sorted(written, key=lambda row: tuple("" if v is None else v for v in row)) == fresh
    assert entry.stat().st_mtime_ns >= before


def test_the_key_changes_with_each_input(built_project, connection, monkeypatch):
    manifest, schema = built_project.manifest, lineage_schema(connection)
    key = cache_key(manifest, schema)
    assert cache_key(copy.deepcopy(manifest), copy.deepcopy(schema)) == key
    assert len(key) == 64

    renamed = copy.deepcopy(schema)
    [catalog] = renamed.values()
    columns = catalog["raw"]["line_items"]
    columns["amount_renamed"] = columns.pop("amount")
    assert cache_key(manifest, renamed) != key

    retyped = copy.deepcopy(schema)
    [catalog] = retyped.values()
    catalog["raw"]["line_items"]["amount"] = "BIGINT" if catalog["raw"]["line_items"]["amount"] != "BIGINT" else "DOUBLE"
    assert cache_key(manifest, retyped) != key

    edited = copy.deepcopy(manifest)
    node = next(n for n in edited["nodes"].values() if n["resource_type"] == "model" and n["schema"] != "marts")
    node["compiled_code"] += "\n-- changed"
    assert cache_key(edited, schema) != key

    realiased = copy.deepcopy(manifest)
    seed = next(n for n in realiased["nodes"].values() if n["resource_type"] == "seed")
    seed["alias"] += "_other"
    assert cache_key(realiased, schema) != key

    monkeypatch.setattr(lineage.sqlglot, "__version__", lineage.sqlglot.__version__ + ".other")
    assert cache_key(manifest, schema) != key


def test_tables_written_after_dbt_do_not_change_the_key(built_project, warehouse, tmp_path):
    """marts.column_lineage and meta.* exist in a copy of a published warehouse (incremental
    build), not in a build from scratch: they are not inputs."""
    database = tmp_path / warehouse[0].name
    shutil.copyfile(warehouse[0], database)
    connection = duckdb.connect(str(database))
    try:
        connection.execute(f"drop table if exists {TABLE}")
        key = cache_key(built_project.manifest, lineage_schema(connection))
        connection.execute("create schema meta")
        connection.execute("create table meta.build_info (built_at timestamp)")
        connection.execute(f"create table {TABLE} (mart_name varchar)")
        assert cache_key(built_project.manifest, lineage_schema(connection)) == key
        connection.execute("create table raw.something_new (a integer)")
        assert cache_key(built_project.manifest, lineage_schema(connection)) != key
    finally:
        connection.close()


def test_other_sql_misses_the_cache(built_project, connection, tmp_path):
    small = one_mart(built_project.manifest)
    rows, cached = cached_column_lineage(connection, small, tmp_path)
    assert not cached and rows
    assert {row[0] for row in rows} == {"dim_document"}
    edited = copy.deepcopy(small)
    mart = next(n for n in edited["nodes"].values() if n["name"] == "dim_document")
    mart["compiled_code"] += "\n-- changed"
    again, cached = cached_column_lineage(connection, edited, tmp_path)
    assert not cached and again == rows
    assert len(list(tmp_path.glob("*.json"))) == 2


@pytest.mark.parametrize("content", [
    b"",
    b'{"key": "',
    b"\xff\xfe not utf-8",
    b"[]",
    b'{"rows": []}',
    b'{"key": "KEY", "rows": {"not": "a list"}}',
    b'{"key": "KEY", "rows": [["too", "short"]]}',
    b'{"key": "KEY", "rows": [[1, 2, 3, 4, 5, 6]]}',
    b'{"key": "another key", "rows": []}',
], ids=["empty", "truncated", "binary", "list", "no-key", "rows-not-a-list", "short-row", "not-text",
        "other-key"])
def test_a_corrupt_cache_file_is_recomputed(built_project, connection, tmp_path, content):
    small = one_mart(built_project.manifest)
    expected = column_lineage(connection, small)
    key = cache_key(small, lineage_schema(connection))
    (tmp_path / f"{key}.json").write_bytes(content.replace(b"KEY", key.encode()))
    rows, cached = cached_column_lineage(connection, small, tmp_path)
    assert not cached and rows == expected
    # ... and written again, whole: the next build hits.
    assert json.loads((tmp_path / f"{key}.json").read_text(encoding="utf-8"))["key"] == key
    rows, cached = cached_column_lineage(connection, small, tmp_path)
    assert cached and rows == expected


def test_an_unwritable_cache_is_no_error(built_project, connection, tmp_path):
    small = one_mart(built_project.manifest)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    rows, cached = cached_column_lineage(connection, small, blocker / "cache")
    assert not cached and rows == column_lineage(connection, small)


def test_only_the_newest_entries_are_kept(tmp_path):
    import os

    for number in range(lineage.CACHE_ENTRIES + 3):
        key = f"{number:064x}"
        lineage._write_cache(tmp_path, tmp_path / f"{key}.json", key, [("m", "c", None, None, None, "p")])
        os.utime(tmp_path / f"{key}.json", (number, number))
    kept = sorted(p.name for p in tmp_path.glob("*.json"))
    assert len(kept) == lineage.CACHE_ENTRIES
    assert kept[0] == f"{3:064x}.json"
    assert not list(tmp_path.glob(".tmp-*"))
