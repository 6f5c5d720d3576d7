"""Bad input. By default a document the ingest cannot read is rejected: exit 3, the others
loaded, the rejected one in raw.rejected_documents with the message naming the file, the line
and what was expected, and none of its rows loaded. With --strict: a non-zero exit, one
message, and nothing written. The bad documents are made at test time from the real ones."""

from decimal import Decimal

import duckdb
import pytest

from ingest.cli import main
from ingest.core.errors import IngestError, UnknownTemplate
from tests.bad_documents import BAD_INPUTS, TEXT_2024


def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("bad", BAD_INPUTS, ids=[b.case for b in BAD_INPUTS])
def test_bad_input_fails_with_file_line_and_expectation_in_strict_mode(bad, tmp_path, capsys):
    db = tmp_path / "w.duckdb"
    code = main([*map(str, bad.make(tmp_path)), "--db", str(db), "--quiet", "--strict"])
    err = capsys.readouterr().err
    assert code == 2
    assert bad.message in err
    assert err.startswith("error: ") and err.count("\n") == 1  # one clear message
    assert not db.exists()  # nothing half-written


@pytest.mark.parametrize("bad", BAD_INPUTS, ids=[b.case for b in BAD_INPUTS])
def test_bad_input_is_rejected_and_recorded_the_others_loaded(bad, tmp_path, capsys):
    db = tmp_path / "w.duckdb"
    paths = bad.make(tmp_path)
    code = main([*map(str, paths), "--db", str(db), "--quiet"])
    err = capsys.readouterr().err
    assert code == 3
    assert "rejected: " in err and bad.message in err
    connection = duckdb.connect(str(db), read_only=True)
    try:
        rejected = connection.execute("select file_name, document_id, message, rejection_kind "
                                      "from raw.rejected_documents").fetchall()
        loaded = {r[0] for r in connection.execute("select file_name from raw.documents").fetchall()}
        ids = {r[0] for r in connection.execute("select document_id from raw.documents").fetchall()}
        slices = connection.execute("select count(*) from raw.parse_findings where document_id in "
                                    "(select document_id from raw.rejected_documents)").fetchone()[0]
    finally:
        connection.close()
    assert len(rejected) == 1 and bad.message in rejected[0][2]
    name, document_id = rejected[0][:2]
    assert name not in loaded
    assert document_id not in ids and slices == 0  # nothing of the rejected document
    # Every other (good) document given is loaded.
    assert loaded == {p.name for p in paths if p.name != name and p.exists()}


def test_oversized_input_is_never_read(tmp_path, capsys, monkeypatch):
    oversized = next(b for b in BAD_INPUTS if b.case == "oversized")
    paths = oversized.make(tmp_path)
    read_calls = []
    monkeypatch.setattr(type(paths[0]), "read_bytes", lambda self: read_calls.append(self) or b"")
    assert main([*map(str, paths), "--db", str(tmp_path / "w.duckdb"), "--quiet"]) == 3
    assert read_calls == []


def test_gb18030_document_is_decoded_and_reported(tmp_path, capsys):
    path = write(tmp_path, "gbk.txt", TEXT_2024.encode("gb18030"))
    db = tmp_path / "w.duckdb"
    assert main([str(path), "--db", str(db), "--quiet"]) == 0
    connection = duckdb.connect(str(db), read_only=True)
    assert connection.execute("select text_encoding from raw.documents").fetchall() == [("gb18030",)]
    assert connection.execute("select message from raw.parse_findings where finding_kind = 'normalised'").fetchall() \
        == [("decoded from gb18030",)]
    assert connection.execute("select total from raw.subject_expenditure where subject_code = '2080116'").fetchall() \
        == [(Decimal("33946.00"),)]


def test_bom_and_crlf_are_read_and_recorded(tmp_path):
    path = write(tmp_path, "bom.txt", b"\xef\xbb\xbf" + TEXT_2024.replace("\n", "\r\n").encode("utf-8"))
    db = tmp_path / "w.duckdb"
    assert main([str(path), "--db", str(db), "--quiet"]) == 0
    connection = duckdb.connect(str(db), read_only=True)
    notes = {r[0] for r in connection.execute("select message from raw.parse_findings where finding_kind = 'normalised'").fetchall()}
    assert notes == {"UTF-8 byte-order mark removed", "CRLF line ends read as LF"}
    # Line numbers are unchanged by the normalisation.
    assert connection.execute("select source_line from raw.subject_expenditure where subject_code = '2080116'").fetchall() == [(1096,)]


@pytest.mark.parametrize("error, kind", [
    # A family's own error that happens to use the registry's words is still the family's.
    (IngestError("budget.txt", 12, "a document of one known template: 附件3"), "unreadable"),
    (UnknownTemplate("budget.txt", None, "a document of one known template: …", "none of them"), "unknown_template"),
])
def test_the_rejection_kind_comes_from_the_errors_type_not_its_words(tmp_path, monkeypatch, error, kind):
    import ingest.cli as cli
    from ingest.core.document import fingerprint

    path = tmp_path / "budget.txt"
    path.write_text("第一部分 部门概况\n", encoding="utf-8")

    def fails(source):
        raise error

    monkeypatch.setattr(cli, "_parse_one", fails)
    rejected = cli._parse_guarded((fingerprint(path), 5.0))
    assert (rejected.kind, rejected.message) == (kind, str(error))
