"""Loading replaces exactly one document's slice."""

import duckdb

from ingest.cli import main
from tests.conftest import DOC_2020, DOC_2024

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
    assert main([str(revised), "--db", str(db), "--quiet", "--strict"]) == 2
    err = capsys.readouterr().err
    assert "revised-2024.txt: expected one document per department and year; xiamen-hrss-2024-budget.txt" in err
    assert table_counts(db)["documents"] == [(table_counts(db)["documents"][0][0], 1)]


def raw_contents(path) -> dict:
    """Every raw table's rows, without the load time."""
    connection = duckdb.connect(str(path), read_only=True)
    try:
        tables = [r[0] for r in connection.execute(
            "select table_name from duckdb_tables() where schema_name = 'raw' order by 1").fetchall()]
        return {t: connection.execute(f"select * exclude (ingested_at) from raw.{t} order by all"
                                      if t == "documents" else f"select * from raw.{t} order by all").fetchall()
                for t in tables}
    finally:
        connection.close()


def test_unchanged_documents_are_not_parsed_again(tmp_path, capsys, monkeypatch):
    db = tmp_path / "w.duckdb"
    assert main([str(DOC_2020), "--db", str(db)]) == 0
    before = raw_contents(db)
    parsed = []
    import ingest.cli

    original = ingest.cli._parse_one
    monkeypatch.setattr(ingest.cli, "_parse_one", lambda source: parsed.append(source.file_name) or original(source))
    capsys.readouterr()
    assert main([str(DOC_2020), str(DOC_2024), "--db", str(db), "--jobs", "1"]) == 0
    assert parsed == ["xiamen-hrss-2024-budget.txt"]
    assert "xiamen-hrss-2020-budget.txt: unchanged since it was loaded; not parsed again" in capsys.readouterr().out
    after = raw_contents(db)
    assert [r for r in after["line_items"] if r[0] == before["line_items"][0][0]] == before["line_items"]


def test_prune_removes_documents_no_longer_given(tmp_path):
    db = tmp_path / "w.duckdb"
    assert main([str(DOC_2020), str(DOC_2024), "--db", str(db), "--quiet"]) == 0
    assert main([str(DOC_2024), "--db", str(db), "--prune", "--quiet"]) == 0
    contents = raw_contents(db)
    assert [r[1] for r in contents["documents"]] == ["xiamen-hrss-2024-budget.txt"]
    assert {r[0] for r in contents["line_items"]} == {contents["documents"][0][0]}


def test_parallel_parsing_gives_the_same_database_as_serial(tmp_path, monkeypatch):
    import ingest.cli

    monkeypatch.setattr(ingest.cli, "PARALLEL_THRESHOLD", 1)
    serial, parallel = tmp_path / "serial.duckdb", tmp_path / "parallel.duckdb"
    assert main([str(DOC_2020), str(DOC_2024), "--db", str(serial), "--jobs", "1", "--quiet"]) == 0
    assert main([str(DOC_2020), str(DOC_2024), "--db", str(parallel), "--jobs", "2", "--quiet"]) == 0
    assert raw_contents(serial) == raw_contents(parallel)


def test_errors_cross_back_from_worker_processes(tmp_path, capsys, monkeypatch):
    import ingest.cli

    monkeypatch.setattr(ingest.cli, "PARALLEL_THRESHOLD", 1)
    bad = tmp_path / "cut.txt"
    bad.write_text("\n".join(DOC_2024.read_text(encoding="utf-8").split("\n")[:400]), encoding="utf-8")
    assert main([str(DOC_2020), str(bad), "--db", str(tmp_path / "w.duckdb"), "--jobs", "2", "--strict"]) == 2
    assert "error: cut.txt:399: expected '第三部分 名词解释'" in capsys.readouterr().err


def test_a_revised_document_replaces_its_older_version_when_pruning(tmp_path, capsys):
    db = tmp_path / "w.duckdb"
    assert main([str(DOC_2020), str(DOC_2024), "--db", str(db), "--quiet"]) == 0
    revised = tmp_path / "xiamen-hrss-2024-budget-revised.txt"
    revised.write_text(DOC_2024.read_text(encoding="utf-8").replace("现代化提供坚实", "现代化提供有力"), encoding="utf-8")
    assert main([str(DOC_2020), str(revised), "--db", str(db), "--prune"]) == 0
    assert "xiamen-hrss-2024-budget.txt: no longer among the documents; removed" in capsys.readouterr().out
    assert sorted(r[1] for r in raw_contents(db)["documents"]) == [
        "xiamen-hrss-2020-budget.txt", "xiamen-hrss-2024-budget-revised.txt"]
