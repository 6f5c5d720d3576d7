"""The tuned placement search gives exactly what the plain definitions give: row_placements
equals filtering every combination of columns (in the same order), and a solver that skips
constraints already settled places every row as one that checks every constraint each pass."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.core.placement import Identity, Placement, PlacementSolver, SumConstraint, TableShape, row_placements
from ingest.xiamen.tables import (ECONOMIC_SHAPE, GENERAL_BUDGET_SHAPE, SUBJECT_SHAPE, THREE_PUBLIC_SHAPE,
                                  UNIT_INCOME_SHAPE)
from tests.conftest import DOC_2024


def row_placements_reference(shape: TableShape, figures: Sequence[int], tolerance: int = 0) -> list[Placement]:
    """The definition: every order-preserving choice of columns, kept if every identity holds."""
    width = len(shape.columns)
    identities = [(shape.index(i.total), [shape.index(p) for p in i.parts]) for i in shape.identities]
    placements = []
    for columns in itertools.combinations(range(width), len(figures)):
        cells: list[int | None] = [None] * width
        for column, figure in zip(columns, figures):
            cells[column] = figure
        if all(abs((cells[t] or 0) - sum(cells[p] or 0 for p in parts)) <= tolerance for t, parts in identities):
            placements.append(tuple(cells))
    return placements


SHAPES = [SUBJECT_SHAPE, GENERAL_BUDGET_SHAPE, ECONOMIC_SHAPE, THREE_PUBLIC_SHAPE, UNIT_INCOME_SHAPE,
          TableShape("t", ("a", "b", "c", "d"), (Identity("d", ("a", "b")), Identity("b", ("c",)))),
          TableShape("plain", ("a", "b", "c"))]


@st.composite
def rows(draw):
    shape = draw(st.sampled_from(SHAPES))
    # Small values so that sums coincide often; negatives and zeros as the sources print them.
    pool = draw(st.lists(st.integers(-3, 12), min_size=1, max_size=4))
    count = draw(st.integers(0, min(len(shape.columns), 6)))
    figures = [draw(st.sampled_from(pool)) for _ in range(count)]
    # A figure equal to the sum of others, so that identities hold for some placements.
    if len(figures) >= 3 and draw(st.booleans()):
        figures[0] = sum(figures[1:])
    return shape, figures, draw(st.sampled_from([0, 0, 2]))


@settings(max_examples=400, deadline=None)
@given(rows())
def test_row_placements_equal_filtering_every_combination(row):
    shape, figures, tolerance = row
    assert row_placements(shape, figures, tolerance) == row_placements_reference(shape, figures, tolerance)


def test_real_unit_income_row_has_the_placements_of_the_definition():
    # 附件2 of 2024 line 970: '合计: 159,318.40 159,318.40 156,161.40 2,145.00 1,012.00', five
    # figures for seventeen columns.
    figures = [15931840, 15931840, 15616140, 214500, 101200]
    assert row_placements(UNIT_INCOME_SHAPE, figures) == row_placements_reference(UNIT_INCOME_SHAPE, figures)
    assert len(row_placements(UNIT_INCOME_SHAPE, figures)) > 1  # the other tables decide which


class CheckEveryPass(PlacementSolver):
    """The solver as it was: every constraint checked on every pass."""

    def _settled_on(self, constraint, inputs):
        return False


def count_checks(monkeypatch) -> list:
    calls = []
    original = SumConstraint.feasible
    monkeypatch.setattr(SumConstraint, "feasible", lambda self, candidates: calls.append(1) or original(self, candidates))
    return calls


def test_skipping_settled_constraints_places_every_row_as_checking_them_all(monkeypatch):
    import ingest.xiamen.tables as tables
    from ingest.core.document import read_document
    from ingest.xiamen.parse import parse_document

    source = read_document(DOC_2024)
    tuned_checks = count_checks(monkeypatch)
    tuned = parse_document(source)
    tuned_checks = len(tuned_checks)
    monkeypatch.setattr(tables, "PlacementSolver", CheckEveryPass)
    plain_checks = count_checks(monkeypatch)
    plain = parse_document(source)
    assert tuned.rows() == plain.rows()
    assert len(tuned.rows()) > 500
    assert tuned_checks < len(plain_checks) / 2  # the skipping did happen
