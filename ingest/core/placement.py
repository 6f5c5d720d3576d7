"""Place a row's printed figures into its table's columns.

Text extraction keeps the order of a row's figures but drops blank cells and column
positions: `2080114 资助留学回国人员 610.00 550.00 550.00 60.00 60.00` carries five figures
for seven columns. A *placement* maps the figures, in order, onto a subset of the columns
(the rest are blank). The candidates of a row are the placements that satisfy the table's
accounting identities (合计 = 小计 + 小计, 小计 = 基本 + 项目, …). Constraints between rows
then narrow the candidates:

- a parent row equals the sum of its children, column by column (类 = Σ 款, 款 = Σ 项,
  合计 = Σ 类), within the source's rounding tolerance;
- a row of one table agrees with a row of another, or with a figure from prose or a
  label/value table (附件3's 财政拨款 part is 附件5's row);
- a rule of the table leaves a column of a row blank (附件6: a 商品和服务支出 row that
  prints its amount once besides 合计 prints it as 公用经费, by the economic classification).

This is the one placement mechanism for every table. When constraints leave more than one
candidate for a row, solving fails with that row, its line and its candidates: a figure is
never put in a column by guesswork.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from operator import add

from ingest.core.errors import AmbiguousPlacement, IngestError

Placement = tuple[int | None, ...]  # one entry per column, in cents; None = printed blank

# The source rounds each printed figure to 0.01; a parent printed from unrounded children
# can differ from the sum of its printed children by a cent or two (附件3 21011: 649.88
# printed, items add to 649.89). Larger differences are not rounding.
ROUNDING_TOLERANCE_CENTS = 2
# A sum constraint whose search exceeds this many steps is skipped for that round rather
# than allowed to stall the build; skipping only keeps candidates, it never removes one.
SEARCH_BUDGET = 200_000


def to_cents(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value())


def from_cents(cents: int | None) -> Decimal | None:
    return None if cents is None else (Decimal(cents) / 100).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class Identity:
    """`total` equals the sum of `parts` (blank counts as zero)."""

    total: str
    parts: tuple[str, ...]


@dataclass(frozen=True)
class TableShape:
    table_id: str
    columns: tuple[str, ...]
    identities: tuple[Identity, ...] = ()

    def index(self, column: str) -> int:
        return self.columns.index(column)


@dataclass
class FigureRow:
    """A row of a table whose figures await placement."""

    key: str
    shape: TableShape
    line: int
    text: str
    figures: tuple[int, ...]  # cents, in printed order
    candidates: list[Placement] = field(default_factory=list)

    def describe(self) -> str:
        return f"{self.shape.table_id} row {self.text!r}"


def row_placements(shape: TableShape, figures: Sequence[int], tolerance: int = 0) -> list[Placement]:
    """Order-preserving placements of `figures` that satisfy the shape's identities, in the
    order of itertools.combinations over the columns.

    Depth-first over the columns the figures go to, left to right: once every column of an
    identity is decided (the search has passed its last column) the identity is checked, and
    before that it is bounded by what the figures still to place could add; a branch that
    fails either is cut. This yields exactly the combinations that satisfy every
    identity, in the same order as filtering all of them, without visiting the C(17, 4) =
    2,380 of a 附件2 row one by one (row_placements_reference in the tests is that filter)."""
    width = len(shape.columns)
    count = len(figures)
    identities = [(shape.index(i.total), [shape.index(p) for p in i.parts]) for i in shape.identities]
    # The identities decided once the columns up to and including `c` are: those whose
    # last column is c.
    closing: list[list[tuple[int, list[int]]]] = [[] for _ in range(width)]
    for total, parts in identities:
        closing[max(total, *parts)].append((total, parts))
    values = [0] * width  # blank counts as zero in an identity
    chosen: list[int] = []
    placements: list[Placement] = []
    # An identity not yet decided can still be cut: total − Σ parts so far, plus what the
    # figures still to place can add (each goes to a part: −f, to the total: +f, or
    # elsewhere: 0), must be able to come within tolerance. Measured: on 附件2 (17 columns)
    # this makes the search 4× faster; on tables of at most 7 columns the exact checks cut
    # early enough and the bounds only cost time.
    bounded = []
    if width > 8:
        bounded = [(total, parts, max(parts), max(total, *parts)) for total, parts in identities]
        open_parts_low = [-sum(f for f in figures[i:] if f > 0) for i in range(count + 1)]
        open_parts_high = [-sum(f for f in figures[i:] if f < 0) for i in range(count + 1)]
        open_total_low = [min([0, *figures[i:]]) for i in range(count + 1)]
        open_total_high = [max([0, *figures[i:]]) for i in range(count + 1)]

    def holds(up_to: int, after: int) -> bool:
        """Every identity closing at a column in (after, up_to] holds."""
        for column in range(after + 1, up_to + 1):
            for total, parts in closing[column]:
                if abs(values[total] - sum([values[p] for p in parts])) > tolerance:
                    return False
        return True

    def may_hold(up_to: int, placed: int) -> bool:
        """Every identity still open (a column after `up_to`) can still hold."""
        for total, parts, last_part, last in bounded:
            if last <= up_to:
                continue
            difference = values[total] - sum([values[p] for p in parts])
            low = high = difference
            if last_part > up_to:
                low += open_parts_low[placed]
                high += open_parts_high[placed]
            if total > up_to:
                low += open_total_low[placed]
                high += open_total_high[placed]
            if low > tolerance or high < -tolerance:
                return False
        return True

    def place(index: int, previous: int) -> None:
        if index == count:
            if holds(width - 1, previous):
                cells: list[int | None] = [None] * width
                for column, figure in zip(chosen, figures):
                    cells[column] = figure
                placements.append(tuple(cells))
            return
        # Leave room for the figures still to place.
        for column in range(previous + 1, width - (count - index) + 1):
            values[column] = figures[index]
            if holds(column, previous) and (not bounded or may_hold(column, index + 1)):
                chosen.append(column)
                place(index + 1, column)
                chosen.pop()
            values[column] = 0

    place(0, -1)
    return placements


class Constraint:
    keys: tuple[str, ...]

    def feasible(self, candidates: dict[str, list[Placement]]) -> dict[str, set[int]] | None:
        """Indices of each row's candidates that take part in some solution of this
        constraint; None when the search was too large to conclude (prune nothing)."""
        raise NotImplementedError

    def describe(self) -> str:
        raise NotImplementedError


@dataclass
class SumConstraint(Constraint):
    """parent[pc] = Σ child[cc] column by column, where each child names its own columns
    (most often the parent's: 类 = Σ 款; across tables they differ: 附件3 财政拨款 = 附件5 + 附件8)."""

    parent: FigureRow
    parent_columns: tuple[str, ...]
    children: list[tuple[FigureRow, tuple[str, ...]]]
    tolerance: int = ROUNDING_TOLERANCE_CENTS

    def __post_init__(self) -> None:
        self.keys = (self.parent.key, *(c.key for c, _ in self.children))
        self._parent_index = [self.parent.shape.index(c) for c in self.parent_columns]
        self._child_index = [[c.shape.index(col) for col in cols] for c, cols in self.children]

    def describe(self) -> str:
        if self.tolerance:
            return (f"{self.parent.describe()} (line {self.parent.line}) must equal the sum of its "
                    f"{len(self.children)} rows below in {', '.join(self.parent_columns)}")
        others = " + ".join(f"{c.describe()} (line {c.line}) [{', '.join(cols)}]" for c, cols in self.children)
        return (f"{self.parent.describe()} (line {self.parent.line}) [{', '.join(self.parent_columns)}] "
                f"must equal {others}")

    def feasible(self, candidates):
        parent_vectors = [tuple(p[i] or 0 for i in self._parent_index)
                          for p in candidates[self.parent.key]]
        child_vectors = [[tuple(p[i] or 0 for i in index) for p in candidates[c.key]]
                         for (c, _), index in zip(self.children, self._child_index)]
        width = len(self._parent_index)
        count = len(self.children)
        # Bounds on what the remaining children can still add, per column.
        low = [[0] * width for _ in range(count + 1)]
        high = [[0] * width for _ in range(count + 1)]
        for i in range(count - 1, -1, -1):
            for c in range(width):
                low[i][c] = low[i + 1][c] + min(v[c] for v in child_vectors[i])
                high[i][c] = high[i + 1][c] + max(v[c] for v in child_vectors[i])
        used_parent: set[int] = set()
        used_children: list[set[int]] = [set() for _ in range(count)]
        steps = 0
        chosen = [0] * count
        columns = range(width)
        tolerance = self.tolerance
        for p_index, target in enumerate(parent_vectors):
            # What the sum so far may be at each depth and still reach the target within
            # tolerance given what the remaining children can add (the same test as
            # partial + low > target + tolerance or partial + high < target - tolerance).
            floor = [[target[c] - tolerance - high[d][c] for c in columns] for d in range(count + 1)]
            ceiling = [[target[c] + tolerance - low[d][c] for c in columns] for d in range(count + 1)]

            def within(depth: int, partial: tuple[int, ...]) -> bool:
                least, most = floor[depth], ceiling[depth]
                for c in columns:
                    if not least[c] <= partial[c] <= most[c]:
                        return False
                return True

            def search(depth: int, partial: tuple[int, ...]) -> bool:
                """Below a node already counted and within bounds. Every node of the plain
                recursive search (one call per child candidate, bounds checked on entry) is
                still counted against SEARCH_BUDGET in the same order, so the same constraints
                conclude or give up on the same documents; only a node out of bounds, most of
                them, is now checked here without a call of its own."""
                nonlocal steps
                if depth == count:
                    for i in range(count):
                        used_children[i].add(chosen[i])
                    return True
                found = False
                least, most = floor[depth + 1], ceiling[depth + 1]
                for k, vector in enumerate(child_vectors[depth]):
                    steps += 1
                    if steps > SEARCH_BUDGET:
                        raise _SearchTooLarge
                    below = tuple(map(add, partial, vector))
                    for c in columns:  # within(depth + 1, below), inline: most nodes end here
                        if not least[c] <= below[c] <= most[c]:
                            break
                    else:
                        chosen[depth] = k
                        if search(depth + 1, below):
                            found = True
                return found

            try:
                steps += 1
                if steps > SEARCH_BUDGET:
                    raise _SearchTooLarge
                if within(0, (0,) * width) and search(0, (0,) * width):
                    used_parent.add(p_index)
            except _SearchTooLarge:
                return None
        result = {self.parent.key: used_parent}
        for (child, _), used in zip(self.children, used_children):
            result[child.key] = used
        return result


@dataclass
class BlankConstraint(Constraint):
    """`columns` of `row` are printed blank: a rule of the table (not a sum) that says where
    a figure cannot stand, e.g. 附件6's 商品和服务支出 is no 人员经费 (see `reason`)."""

    row: FigureRow
    columns: tuple[str, ...]
    reason: str

    def __post_init__(self) -> None:
        self.keys = (self.row.key,)
        self._index = [self.row.shape.index(c) for c in self.columns]

    def describe(self) -> str:
        return f"{self.row.describe()} (line {self.row.line}) has {', '.join(self.columns)} blank: {self.reason}"

    def feasible(self, candidates):
        return {self.row.key: {k for k, p in enumerate(candidates[self.row.key])
                               if all(p[i] is None for i in self._index)}}


class _SearchTooLarge(Exception):
    pass


class _Contradiction(Exception):
    def __init__(self, constraint: Constraint):
        self.constraint = constraint


@dataclass(frozen=True)
class RoundingDifference:
    parent: FigureRow
    column: str
    printed: Decimal
    sum_of_children: Decimal


class PlacementSolver:
    """Collects rows and constraints of one document, then places every row's figures."""

    def __init__(self, file_name: str):
        self.file_name = file_name
        self.rows: dict[str, FigureRow] = {}
        self.constraints: list[Constraint] = []
        self.identity_roundings: list[FigureRow] = []
        # id(constraint) -> the candidate lists it was last checked on (see _settled_on);
        # holding the lists also keeps their ids from being reused.
        self._settled: dict[int, list[list[Placement]]] = {}

    def add_row(self, key: str, shape: TableShape, line: int, text: str,
                figures: Sequence[Decimal]) -> FigureRow:
        cents = tuple(to_cents(f) for f in figures)
        row = FigureRow(key, shape, line, text, cents)
        row.candidates = row_placements(shape, cents)
        if not row.candidates:
            row.candidates = row_placements(shape, cents, ROUNDING_TOLERANCE_CENTS)
            if row.candidates:
                self.identity_roundings.append(row)
        if not row.candidates:
            raise IngestError(
                self.file_name, line,
                f"{len(cents)} figures that fit the columns of {shape.table_id} "
                f"({', '.join(shape.columns)}) with its identities "
                f"({'; '.join(i.total + ' = ' + ' + '.join(i.parts) for i in shape.identities)})",
                text)
        if key in self.rows:
            raise IngestError(self.file_name, line, f"one row keyed {key} in {shape.table_id}",
                              "a second row with the same key")
        self.rows[key] = row
        return row

    def add_fixed(self, key: str, shape: TableShape, line: int, text: str,
                  values: dict[str, Decimal | None]) -> FigureRow:
        """A row whose cells are already known (a label/value table, a prose figure)."""
        cells = tuple(None if values.get(c) is None else to_cents(values[c]) for c in shape.columns)
        row = FigureRow(key, shape, line, text, tuple(c for c in cells if c is not None), [cells])
        self.rows[key] = row
        return row

    def require_sum(self, parent: FigureRow, children: list[FigureRow],
                    columns: Sequence[str] | None = None) -> None:
        """parent = Σ children in `columns` (default: every column), within rounding."""
        columns = tuple(columns or parent.shape.columns)
        if children:
            self.constraints.append(SumConstraint(parent, columns, [(c, columns) for c in children]))

    def require_total(self, parent: FigureRow, parent_columns: Sequence[str],
                      parts: list[tuple[FigureRow, Sequence[str]]]) -> None:
        """parent[parent_columns] = Σ part[its columns], exactly: rows of different tables
        that print the same money print the same figures."""
        if parts:
            self.constraints.append(SumConstraint(
                parent, tuple(parent_columns), [(row, tuple(cols)) for row, cols in parts], tolerance=0))

    def require_equal(self, a: FigureRow, a_columns: Sequence[str], b: FigureRow,
                      b_columns: Sequence[str]) -> None:
        """The same figures printed twice (another table, the prose) are printed the same."""
        self.require_total(a, a_columns, [(b, b_columns)])

    def require_blank(self, row: FigureRow, columns: Sequence[str], reason: str) -> None:
        """`columns` of `row` hold no figure, by a rule of the table stated in `reason`."""
        self.constraints.append(BlankConstraint(row, tuple(columns), reason))

    def solve(self) -> dict[str, Placement]:
        candidates = {key: list(row.candidates) for key, row in self.rows.items()}
        try:
            candidates = self._propagate(candidates)
        except _Contradiction as contradiction:
            raise IngestError(self.file_name, _first_line(contradiction.constraint, self.rows),
                              f"figures that satisfy: {contradiction.constraint.describe()}",
                              "no placement of the printed figures does") from None
        candidates = self._probe(candidates)
        for key, options in candidates.items():
            if len(options) > 1:
                row = self.rows[key]
                shown = "; ".join(_render(row.shape, p) for p in options)
                raise AmbiguousPlacement(
                    self.file_name, row.line,
                    f"exactly one placement of the figures of {row.describe()}",
                    f"{len(options)} placements satisfy every constraint: {shown}")
        return {key: options[0] for key, options in candidates.items()}

    def rounding_differences(self, placed: dict[str, Placement]) -> list[RoundingDifference]:
        """Sum constraints met only within the rounding tolerance: findings of the source."""
        differences = []
        for constraint in self.constraints:
            if not isinstance(constraint, SumConstraint) or constraint.tolerance == 0:
                continue
            parent = placed[constraint.parent.key]
            for n, column in enumerate(constraint.parent_columns):
                printed = parent[constraint._parent_index[n]] or 0
                total = sum(placed[c.key][index[n]] or 0
                            for (c, _), index in zip(constraint.children, constraint._child_index))
                if printed != total:
                    differences.append(RoundingDifference(
                        constraint.parent, column, from_cents(printed), from_cents(total)))
        return differences

    def _propagate(self, candidates: dict[str, list[Placement]]) -> dict[str, list[Placement]]:
        changed = True
        while changed:
            changed = False
            for constraint in self.constraints:
                inputs = [candidates[k] for k in constraint.keys]
                if self._settled_on(constraint, inputs):
                    continue
                feasible = constraint.feasible(candidates)
                if feasible is None:
                    self._settled[id(constraint)] = inputs
                    continue
                for key, keep in feasible.items():
                    if not keep:
                        raise _Contradiction(constraint)
                    if len(keep) < len(candidates[key]):
                        candidates[key] = [candidates[key][i] for i in sorted(keep)]
                        changed = True
                self._settled[id(constraint)] = [candidates[k] for k in constraint.keys]
        return candidates

    def _settled_on(self, constraint: Constraint, inputs: list[list[Placement]]) -> bool:
        """Whether `constraint` was last checked on exactly these candidate lists (the same
        objects: lists are replaced, never changed in place). Checking it again would keep
        every candidate: what it pruned is gone, and every solution it found uses only
        candidates it kept; a search that gave up gives up again. So it is skipped: that
        pass over every constraint was most of the parse time, and the result is the same."""
        settled = self._settled.get(id(constraint))
        return (settled is not None and len(set(constraint.keys)) == len(constraint.keys)
                and all(a is b for a, b in zip(settled, inputs)))

    def _probe(self, candidates: dict[str, list[Placement]]) -> dict[str, list[Placement]]:
        """Try each remaining candidate of an ambiguous row on its own: one that leads to a
        contradiction elsewhere cannot be the placement."""
        changed = True
        while changed:
            changed = False
            for key in [k for k, v in candidates.items() if len(v) > 1]:
                survivors = []
                for option in candidates[key]:
                    trial = dict(candidates)
                    trial[key] = [option]
                    try:
                        self._propagate(trial)
                        survivors.append(option)
                    except _Contradiction:
                        pass
                if not survivors:
                    row = self.rows[key]
                    raise IngestError(self.file_name, row.line,
                                      f"a placement of {row.describe()} consistent with the other tables",
                                      "none is")
                if len(survivors) < len(candidates[key]):
                    candidates[key] = survivors
                    candidates = self._propagate(candidates)
                    changed = True
        return candidates


def _render(shape: TableShape, placement: Placement) -> str:
    cells = [f"{c}={from_cents(v)}" for c, v in zip(shape.columns, placement) if v is not None]
    return "{" + ", ".join(cells) + "}"


def _first_line(constraint: Constraint, rows: dict[str, FigureRow]) -> int:
    return min(rows[k].line for k in constraint.keys)
