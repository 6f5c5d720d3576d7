"""The fidelity report must read 100% captured and 0 invented for every committed document."""

from dataclasses import replace
from decimal import Decimal

import pytest

from ingest.core.document import read_document
from ingest.core.fidelity import fidelity_report
from ingest.xiamen.parse import parse_document
from tests.conftest import DOC_2020, DOC_2024


@pytest.mark.parametrize("path", [DOC_2020, DOC_2024], ids=["2020", "2024"])
def test_every_amount_token_captured_and_none_invented(path):
    source = read_document(path)
    report = fidelity_report(source, parse_document(source).records)
    assert report.missed == []
    assert report.invented == []
    assert report.amount_tokens > 100


def test_report_counts_a_dropped_figure_as_missed(parsed_2024):
    source = read_document(DOC_2024)
    records = [r for r in parsed_2024.records if getattr(r, "source_line", None) != 1096]
    report = fidelity_report(source, records)
    assert {(line, str(value)) for line, value, _ in report.missed} >= {(1096, "33946.00"), (1096, "952.00")}


def test_a_dropped_figure_is_an_error_naming_its_line(parsed_2024):
    source = read_document(DOC_2024)
    records = [r for r in parsed_2024.records if getattr(r, "source_line", None) != 1096]
    error = fidelity_report(source, records).error()
    assert error is not None and error.line == 1096
    assert "33946.00 not captured (line 1096)" in str(error)


def with_an_amount_added(folder):
    """A copy of the 2024 document with an amount the parser has no place for on line 10."""
    lines = DOC_2024.read_text(encoding="utf-8").split("\n")
    lines[9] += "另安排经费123.45万元。"
    copy = folder / DOC_2024.name
    copy.write_text("\n".join(lines), encoding="utf-8")
    return copy


def test_an_amount_added_to_a_copy_is_loaded_with_a_finding_naming_its_line(tmp_path, capsys):
    """A document whose printed amounts are not all captured is loaded, not set aside: one
    error finding per gap, with its line and the printed value, and stderr names it."""
    import duckdb

    from ingest.cli import main

    copy = with_an_amount_added(tmp_path)
    db = tmp_path / "x.duckdb"
    assert main([str(copy), "--db", str(db), "--quiet"]) == 0
    message = capsys.readouterr().err
    assert f"not faithfully read (loaded with a finding per gap): {DOC_2024.name}:10: " in message
    assert "123.45 not captured (line 10)" in message
    connection = duckdb.connect(str(db), read_only=True)
    try:
        gaps = connection.execute("select table_id, source_line, finding_kind, severity, expected, actual, page_number "
                                  "from raw.parse_findings where table_id = 'fidelity'").fetchall()
        assert connection.execute("select count(*) from raw.rejected_documents").fetchone() == (0,)
    finally:
        connection.close()
    assert gaps == [("fidelity", 10, "figure_not_captured", "error", Decimal("123.45"), None, None)]


def test_an_amount_added_to_a_copy_fails_strict_ingest_naming_its_line(tmp_path, capsys):
    """--strict: the run fails on it and writes nothing (the database it would have created
    is removed)."""
    from ingest.cli import main

    copy = with_an_amount_added(tmp_path)
    db = tmp_path / "x.duckdb"
    assert main([str(copy), "--db", str(db), "--quiet", "--strict"]) == 2
    message = capsys.readouterr().err
    assert f"{DOC_2024.name}:10: expected every printed amount captured" in message
    assert "123.45 not captured (line 10)" in message
    assert not db.exists()


def test_a_figure_read_from_the_wrong_token_is_a_finding_with_both_values(parsed_2024):
    """An invented figure becomes a figure_not_printed finding: what was captured (actual),
    what is printed at that place (expected), the line and what captured it."""
    source = read_document(DOC_2024)
    records = list(parsed_2024.records)
    index, record = next((i, r) for i, r in enumerate(records)
                         if getattr(r, "source_line", None) == 1096 and getattr(r, "figure_at", None))
    name = next(n for n in record.figure_at if getattr(record, n) is not None)
    records[index] = replace(record, **{name: getattr(record, name) + Decimal("1.00")})
    (gap,) = [f for f in fidelity_report(source, records).findings("d")
              if f.finding_kind == "figure_not_printed"]
    printed = getattr(record, name)
    assert (gap.source_line, gap.expected, gap.actual, gap.severity) == (1096, printed, printed + 1, "error")
    assert gap.subject.startswith(record.table_id) and gap.page_number is None


def test_gaps_are_listed_up_to_a_bound(parsed_2024):
    source = read_document(DOC_2024)
    records = [r for r in parsed_2024.records if getattr(r, "table_id", None) != "附件3"]
    message = str(fidelity_report(source, records).error(limit=5))
    assert message.count("not captured") == 5 and "more" in message


@pytest.mark.parametrize("line, amounts", [
    ("单位价值100万以上专用设备0台", []),
    # The threshold wrapped between 以 and 上 is still a label (a longer department name moves
    # the wrap of the 2024 sentence on line 761 there).
    ("各预算单位共有车辆4辆，单位价值100万以", []),
    ("单位价值100万以\r", []),
    ("项目资金240万，其中", ["240"]),
    ("合计4000万元", ["4000"]),
])
def test_a_threshold_label_is_not_an_amount_even_when_wrapped(line, amounts):
    from ingest.core.amounts import PROSE_AMOUNT
    assert [m.group() for m in PROSE_AMOUNT.finditer(line)] == amounts


@pytest.mark.parametrize("lines, required", [
    # Generated d279 2021 (seed 1): the longer department name wraps the sentence between 万 and
    # 以上, with the blank line the text files print between lines.
    (["管理委员会所属各预算单位共有车辆12辆，单位价值100万", "", "以上专用设备3台（套）。"], []),
    (["单位价值100万 ", " 以上专用设备0台"], []),
    (["单位价值100万以", "", "上专用设备0台"], []),
    # A 万 at the end of a line before anything but 以上 is an amount.
    (["项目资金240万", "", "用于培训"], [(1, "240")]),
    (["项目资金240万"], [(1, "240")]),
    (["项目资金240万", "2024年"], [(1, "240")]),
])
def test_a_threshold_wrapped_before_yishang_is_not_an_amount(lines, required):
    from ingest.core.text_tokens import text_tokens
    assert [(t.location[0], str(t.value)) for t in text_tokens(lines) if t.required] == required
