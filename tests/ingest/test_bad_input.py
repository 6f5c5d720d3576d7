"""Bad input: a non-zero exit and one message naming the file, the line and what was expected,
and nothing written. The bad documents are made at test time from the real ones."""

from decimal import Decimal

import duckdb
import pytest

from ingest.cli import main
from tests.bad_documents import BAD_INPUTS, TEXT_2024


def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("bad", BAD_INPUTS, ids=[b.case for b in BAD_INPUTS])
def test_bad_input_fails_with_file_line_and_expectation(bad, tmp_path, capsys):
    db = tmp_path / "w.duckdb"
    code = main([*map(str, bad.make(tmp_path)), "--db", str(db), "--quiet"])
    err = capsys.readouterr().err
    assert code == 2
    assert bad.message in err
    assert err.startswith("error: ") and err.count("\n") == 1  # one clear message
    assert not db.exists()  # nothing half-written


def test_oversized_input_is_never_read(tmp_path, capsys, monkeypatch):
    oversized = next(b for b in BAD_INPUTS if b.case == "oversized")
    paths = oversized.make(tmp_path)
    read_calls = []
    monkeypatch.setattr(type(paths[0]), "read_bytes", lambda self: read_calls.append(self) or b"")
    assert main([*map(str, paths), "--db", str(tmp_path / "w.duckdb"), "--quiet"]) == 2
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
