"""The tuned placement search gives exactly what the plain definitions give: row_placements
equals filtering every combination of columns (in the same order), and a solver that skips
constraints already settled places every row as one that checks every constraint each pass."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.core.placement import (FigureRow, Identity, Placement, PlacementSolver, SumConstraint, TableShape,
                                   row_placements)
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


def feasible_reference(constraint: SumConstraint, candidates, budget: int):
    """SumConstraint.feasible as first written: one recursive call per child candidate, bounds
    checked on entry, every call counted against the budget."""
    parent_vectors = [tuple(p[i] or 0 for i in constraint._parent_index) for p in candidates[constraint.parent.key]]
    child_vectors = [[tuple(p[i] or 0 for i in index) for p in candidates[c.key]]
                     for (c, _), index in zip(constraint.children, constraint._child_index)]
    width, count = len(constraint._parent_index), len(constraint.children)
    low = [[0] * width for _ in range(count + 1)]
    high = [[0] * width for _ in range(count + 1)]
    for i in range(count - 1, -1, -1):
        for c in range(width):
            low[i][c] = low[i + 1][c] + min(v[c] for v in child_vectors[i])
            high[i][c] = high[i + 1][c] + max(v[c] for v in child_vectors[i])
    used_parent, used_children = set(), [set() for _ in range(count)]
    steps, chosen = 0, [0] * count

    class TooLarge(Exception):
        pass

    for p_index, target in enumerate(parent_vectors):
        def search(depth, partial):
            nonlocal steps
            steps += 1
            if steps > budget:
                raise TooLarge
            for c in range(width):
                if partial[c] + low[depth][c] > target[c] + constraint.tolerance:
                    return False
                if partial[c] + high[depth][c] < target[c] - constraint.tolerance:
                    return False
            if depth == count:
                for i in range(count):
                    used_children[i].add(chosen[i])
                return True
            found = False
            for k, vector in enumerate(child_vectors[depth]):
                chosen[depth] = k
                if search(depth + 1, tuple(a + b for a, b in zip(partial, vector))):
                    found = True
            return found

        try:
            if search(0, (0,) * width):
                used_parent.add(p_index)
        except TooLarge:
            return None
    result = {constraint.parent.key: used_parent}
    for (child, _), used in zip(constraint.children, used_children):
        result[child.key] = used
    return result


TWO = TableShape("two", ("a", "b"))


@st.composite
def sum_constraints(draw):
    def candidates():
        cell = st.one_of(st.none(), st.integers(-2, 6))
        return draw(st.lists(st.tuples(cell, cell), min_size=1, max_size=4))

    parent = FigureRow("parent", TWO, 1, "p", ())
    children = [FigureRow(f"child{i}", TWO, 2 + i, "c", ()) for i in range(draw(st.integers(1, 5)))]
    columns = draw(st.sampled_from([("a",), ("b",), ("a", "b")]))
    constraint = SumConstraint(parent, columns, [(c, columns) for c in children], draw(st.sampled_from([0, 2])))
    table = {row.key: candidates() for row in (parent, *children)}
    return constraint, table, draw(st.sampled_from([5, 20, 60, 200_000]))


@settings(max_examples=400, deadline=None)
@given(sum_constraints())
def test_sum_search_equals_the_plain_recursive_search_budget_included(case):
    import ingest.core.placement as placement

    constraint, table, budget = case
    saved = placement.SEARCH_BUDGET
    placement.SEARCH_BUDGET = budget
    try:
        assert constraint.feasible(table) == feasible_reference(constraint, table, budget)
    finally:
        placement.SEARCH_BUDGET = saved
