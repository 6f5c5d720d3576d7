"""Fidelity by position: every captured figure is tied to the token it was read from, so a
figure whose value only equals a subject code, a year or another column's cell on its line
is invented, and a column swap inside a row is caught. The core check works on any
hashable locations (a PDF's (page, char index) as well as a text file's (line, offset))."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.core.document import read_document
from ingest.core.fidelity import captured_figures, fidelity_report
from ingest.core.records import FIGURE_FIELDS
from ingest.core.text_tokens import line_tokens, text_tokens
from ingest.core.tokens import CapturedFigure, PrintedToken, check_fidelity, fidelity_error
from ingest.xiamen.parse import parse_document
from tests.conftest import DOC_2020, DOC_2024

SOURCE = read_document(DOC_2024)
RECORDS = parse_document(SOURCE).records
TOKENS = list(text_tokens(SOURCE.lines))
# (record index, figure field) of every figure captured from the 2024 document.
FIGURES = [(i, name) for i, record in enumerate(RECORDS) for name in FIGURE_FIELDS.get(type(record), ())
           if getattr(record, name) is not None]
# Rows whose figures a placement spread over columns (附件2, 3, 5, 6, 7, 8) with two distinct figures.
ROWS_TO_SWAP = [i for i, record in enumerate(RECORDS) if record.table_id.split("-")[0] in
                {"附件2", "附件3", "附件5", "附件6", "附件7", "附件8"}
                and len({getattr(record, n) for n in FIGURE_FIELDS.get(type(record), ())} - {None}) >= 2]


def code_of(record) -> str | None:
    return getattr(record, "subject_code", None) or getattr(record, "economic_code", None)


# Rows whose code is printed on the line of their figures (not wrapped onto a line above).
CODED = [i for i in ROWS_TO_SWAP if code_of(RECORDS[i])
         and code_of(RECORDS[i]) in SOURCE.line(RECORDS[i].source_line).split()]


def check(records):
    return check_fidelity(TOKENS, captured_figures(records))


def with_figure(index: int, name: str, value: Decimal) -> list:
    records = list(RECORDS)
    records[index] = replace(records[index], **{name: value})
    return records


@pytest.mark.parametrize("path", [DOC_2020, DOC_2024], ids=["2020", "2024"])
def test_every_figure_of_the_real_documents_is_tied_to_its_token(path):
    source = read_document(path)
    report = fidelity_report(source, parse_document(source).records)
    assert report.check.by_position == report.figures > 100
    assert report.missed == [] and report.invented == [] and report.error() is None


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_figure_equal_to_the_subject_code_of_its_row_is_invented(data):
    index = data.draw(st.sampled_from(CODED))
    record = RECORDS[index]
    code = code_of(record)
    name = data.draw(st.sampled_from([n for n in FIGURE_FIELDS[type(record)] if getattr(record, n) is not None]))
    result = check(with_figure(index, name, Decimal(code)))
    assert [(i.figure.region, i.figure.value) for i in result.invented] == [(record.source_line, Decimal(code))]
    # The code is printed on the line, but not where the figure was read from.
    assert Decimal(code) in {t.value for t in line_tokens(record.source_line, SOURCE.line(record.source_line))}
    assert [t.location[0] for t in result.missed] == [record.source_line]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_column_swap_within_a_row_is_two_invented_figures(data):
    index = data.draw(st.sampled_from(ROWS_TO_SWAP))
    record = RECORDS[index]
    filled = [n for n in FIGURE_FIELDS[type(record)] if getattr(record, n) is not None]
    a, b = data.draw(st.lists(st.sampled_from(filled), min_size=2, max_size=2, unique=True)
                     .filter(lambda pair: getattr(record, pair[0]) != getattr(record, pair[1])))
    records = with_figure(index, a, getattr(record, b))
    records[index] = replace(records[index], **{b: getattr(record, a)})
    result = check(records)
    assert sorted(i.figure.what for i in result.invented) == sorted(
        f"{record.table_id} row {record.row_order} {n}" for n in (a, b))
    assert {i.figure.region for i in result.invented} == {record.source_line}
    # Every printed value is still captured somewhere on the line; only the position tells.
    error = fidelity_error(SOURCE.file_name, result)
    assert error is not None and error.line == record.source_line
    assert f"{getattr(record, b)} invented (line {record.source_line}" in str(error)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_figure_replaced_by_another_number_on_its_line_is_invented(data):
    """Years, codes, counts and other cells: any other number printed on the figure's line."""
    index, name = data.draw(st.sampled_from(FIGURES))
    record = RECORDS[index]
    location = record.figure_at[name]
    others = [t.value for t in line_tokens(location[0], SOURCE.line(location[0]))
              if t.value != abs(getattr(record, name))]
    if not others:
        return
    value = data.draw(st.sampled_from(others))
    result = check(with_figure(index, name, value))
    assert [(i.figure.location, i.figure.value) for i in result.invented] == [(location, value)]


def test_a_year_captured_as_a_figure_is_invented():
    index = next(i for i, r in enumerate(RECORDS) if getattr(r, "figure_key", None) == "income_change")
    record = RECORDS[index]
    year = next(t for t in line_tokens(record.source_line, SOURCE.line(record.source_line))
                if len(str(t.value)) == 4 and str(t.value).startswith("20"))
    result = check(with_figure(index, "value", year.value))
    assert [(i.figure.region, i.figure.value) for i in result.invented] == [(record.source_line, year.value)]


def test_a_figure_without_a_location_is_invented():
    index, name = FIGURES[0]
    records = list(RECORDS)
    records[index] = replace(records[index], figure_at=None)
    result = check(records)
    assert len(result.invented) == 1 and result.invented[0].figure.location is None
    assert "not tied to a printed token" in str(fidelity_error("f.txt", result))


def test_the_check_takes_any_hashable_locations():
    """What a PDF reader supplies: (page, char index) tokens and figures."""
    tokens = [PrintedToken((1, 10), Decimal("610.00")), PrintedToken((1, 20), Decimal("550.00")),
              PrintedToken((1, 2), Decimal("2080114"), required=False), PrintedToken((2, 5), Decimal("7.5"))]
    figures = [CapturedFigure((1, 10), Decimal("610.00"), what="total"),
               CapturedFigure((1, 20), Decimal("2080114"), what="fiscal"),  # 550.00 is printed there
               CapturedFigure((2, 5), Decimal("-7.5"), what="change")]  # 减少 7.5: the sign is the parser's
    result = check_fidelity(tokens, figures)
    assert [t.location for t in result.missed] == [(1, 20)]
    assert [i.figure.what for i in result.invented] == ["fiscal"]
    assert result.required == 3 and result.captured == 2 and result.by_position == 2
    error = fidelity_error("budget.pdf", result, describe=lambda at: f"page {at[0]} char {at[1]}",
                           line_of=lambda at: None)
    assert str(error) == ("budget.pdf: expected every printed amount captured and every captured figure printed "
                          "where it was read; found 550.00 not captured (page 1 char 20); 2080114 invented "
                          "(page 1 char 20, fiscal: 550.00 printed there)")


def test_one_token_read_twice_is_captured_not_invented():
    tokens = [PrintedToken(("a", 0), Decimal(1))]
    result = check_fidelity(tokens, [CapturedFigure(("a", 0), Decimal(1)), CapturedFigure(("a", 0), Decimal(1))])
    assert result.complete and result.figures == 2


def test_text_tokens_are_located_at_their_first_digit():
    line = "  2080114 资助留学回国人员 610.00 1,550.00 另240万元，2024年"
    assert [(t.location, str(t.value), t.required) for t in line_tokens(7, line)] == [
        ((7, line.index("2080114")), "2080114", False), ((7, line.index("610.00")), "610.00", True),
        ((7, line.index("1,550.00")), "1550.00", True), ((7, line.index("240")), "240", True),
        ((7, line.index("2024")), "2024", False)]
