"""Loading replaces exactly one document's slice."""

import duckdb

from ingest.cli import main
from tests.conftest import DOC_2020, DOC_2024

COUNTS = ("select table_name, estimated_size from duckdb_tables() where schema_name = 'raw' order by table_name")


def table_counts(path):
    connection = duckdb.connect(str(path), read_only=True)
    try:
        tables = [r[0] for r in connection.execute(
            "select table_name from duckdb_tables() where schema_name = 'raw' order by 1").fetchall()]
        return {t: connection.execute(f"select document_id, count(*) from raw.{t} group by 1 order by 1").fetchall()
                for t in tables}
    finally:
        connection.close()


def test_reingesting_a_document_replaces_its_rows(tmp_path):
    db = tmp_path / "w.duckdb"
    assert main([str(DOC_2020), str(DOC_2024), "--db", str(db), "--quiet"]) == 0
    first = table_counts(db)
    assert main([str(DOC_2024), "--db", str(db), "--quiet"]) == 0
    assert table_counts(db) == first
    assert first["line_items"] == sorted(first["line_items"])
    assert sum(n for _, n in first["line_items"]) == 37 + 32


def test_same_document_twice_is_ingested_once(tmp_path, capsys):
    copy = tmp_path / "copy-of-2024.txt"
    copy.write_bytes(DOC_2024.read_bytes())
    db = tmp_path / "w.duckdb"
    assert main([str(DOC_2024), str(copy), "--db", str(db), "--quiet"]) == 0
    assert "same content as xiamen-hrss-2024-budget.txt" in capsys.readouterr().err
    assert table_counts(db)["documents"] == [(table_counts(db)["documents"][0][0], 1)]


def test_other_content_for_a_department_year_already_loaded_is_refused(tmp_path, capsys):
    db = tmp_path / "w.duckdb"
    assert main([str(DOC_2024), "--db", str(db), "--quiet"]) == 0
    revised = tmp_path / "revised-2024.txt"
    revised.write_text(DOC_2024.read_text(encoding="utf-8").replace("现代化提供坚实", "现代化提供有力"), encoding="utf-8")
    assert main([str(revised), "--db", str(db), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "revised-2024.txt: expected one document per department and year; xiamen-hrss-2024-budget.txt" in err
    assert table_counts(db)["documents"] == [(table_counts(db)["documents"][0][0], 1)]
