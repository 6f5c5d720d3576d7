"""Bad input: a non-zero exit and one message naming the file, the line and what was expected.

Each bad document is made at test time from the real ones."""

from decimal import Decimal

import duckdb
import pytest

from ingest.cli import main
from tests.conftest import DOC_2020, DOC_2024

TEXT_2024 = DOC_2024.read_text(encoding="utf-8")
LINES_2024 = TEXT_2024.split("\n")


def run(tmp_path, capsys, *paths):
    db = tmp_path / "w.duckdb"
    code = main([*map(str, paths), "--db", str(db), "--quiet"])
    return code, capsys.readouterr().err, db


def write(tmp_path, name, data):
    path = tmp_path / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def test_truncated_mid_table(tmp_path, capsys):
    # Cut inside 附件3 right after the wrapped code line of 2080199.
    path = write(tmp_path, "cut.txt", "\n".join(LINES_2024[:1101]) + "\n")
    code, err, db = run(tmp_path, capsys, path)
    assert code == 2
    assert "cut.txt:" in err and "expected" in err
    assert not db.exists()  # nothing half-written


def test_truncated_in_prose(tmp_path, capsys):
    path = write(tmp_path, "cut.txt", "\n".join(LINES_2024[:400]) + "\n")
    code, err, _ = run(tmp_path, capsys, path)
    assert code == 2 and "cut.txt:400: expected '第三部分 名词解释'" in err


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


@pytest.mark.parametrize("name, data, expected", [
    ("empty.txt", b"", "empty.txt: expected a budget document's text; found 'an empty file'"),
    ("blank.txt", b"\n \n", "blank.txt: expected a budget document's text; found 'an empty file'"),
    ("binary.bin", bytes(range(256)) * 4, "binary.bin: expected text extracted from a budget PDF; found 'binary data (NUL bytes)'"),
    ("novel.txt", "第一章 春天\n\n这是一部小说，不是预算。\n".encode(), "novel.txt: expected a department budget document"),
])
def test_not_a_budget_document(tmp_path, capsys, name, data, expected):
    code, err, db = run(tmp_path, capsys, write(tmp_path, name, data))
    assert code == 2 and expected in err and not db.exists()


def test_stray_character_in_a_number(tmp_path, capsys):
    lines = list(LINES_2024)
    assert lines[1414] == "30226 劳务费 2,002.70 2,002.70"
    lines[1414] = "30226 劳务费 2,0O2.70 2,002.70"
    code, err, _ = run(tmp_path, capsys, write(tmp_path, "typo.txt", "\n".join(lines)))
    assert code == 2 and "typo.txt:1415: expected an amount (like 1,234.56) in 附件6; found '2,0O2.70'" in err


def test_figures_that_fit_no_placement(tmp_path, capsys):
    lines = list(LINES_2024)
    assert lines[1095].startswith("2080116 引进人才费用 33,946.00")
    lines[1095] = "2080116 引进人才费用 33,946.00 32,994.00 32,994.00 952.00 951.00"
    code, err, _ = run(tmp_path, capsys, write(tmp_path, "bad.txt", "\n".join(lines)))
    assert code == 2 and "bad.txt:1096: expected 5 figures that fit the columns of 附件3" in err


def test_figure_contradicting_another_table(tmp_path, capsys):
    lines = list(LINES_2024)
    lines[1286] = "2080116 引进人才费用 32,995.00 32,995.00"  # 附件5 disagrees with 附件3 and its parent
    code, err, _ = run(tmp_path, capsys, write(tmp_path, "bad.txt", "\n".join(lines)))
    assert code == 2 and "bad.txt:" in err and "expected figures that satisfy" in err


def test_year_or_department_missing(tmp_path, capsys):
    text = TEXT_2024.replace("第二部分 2024年部门预算说明", "第二部分 部门预算说明")
    code, err, _ = run(tmp_path, capsys, write(tmp_path, "noyear.txt", text))
    assert code == 2 and "noyear.txt: expected a department budget document with a heading" in err
    text = TEXT_2024.replace("（一）厦门市人力资源和社会保障局2024年收入预算为", "（一）2024年收入为")
    code, err, _ = run(tmp_path, capsys, write(tmp_path, "nodept.txt", text))
    assert code == 2 and "nodept.txt:197: expected a sentence '（一）<department>YYYY年收入预算为…'" in err


def test_two_documents_for_the_same_department_and_year(tmp_path, capsys):
    changed = write(tmp_path, "other-2024.txt", TEXT_2024.replace("现代化提供坚实", "现代化提供有力"))
    code, err, db = run(tmp_path, capsys, DOC_2024, changed)
    assert code == 2
    assert "other-2024.txt: expected one document per department and year; xiamen-hrss-2024-budget.txt" in err
    assert not db.exists()


def test_oversized_input_refused_before_reading(tmp_path, capsys, monkeypatch):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as handle:
        handle.truncate(200 * 1024 * 1024)  # sparse: 200 MB on paper, nothing on disk
    read_calls = []
    monkeypatch.setattr(type(path), "read_bytes", lambda self: read_calls.append(self) or b"")
    code, err, _ = run(tmp_path, capsys, path)
    assert code == 2 and "huge.txt: expected a budget text of at most 20 MiB; found '200 MiB (refused before reading)'" in err
    assert read_calls == []


def test_missing_file(tmp_path, capsys):
    code, err, _ = run(tmp_path, capsys, tmp_path / "nope.txt")
    assert code == 2 and "nope.txt: expected a readable text file" in err


def test_valid_document_next_to_a_bad_one_loads_nothing(tmp_path, capsys):
    code, _, db = run(tmp_path, capsys, DOC_2020, write(tmp_path, "empty.txt", b""))
    assert code == 2 and not db.exists()
