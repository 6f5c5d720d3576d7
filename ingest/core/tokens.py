"""The fidelity check, independent of the input format: printed tokens against captured figures.

A *location* is an opaque hashable tuple whose first element is the coarse place (the line
of a text file, the page of a PDF) and whose rest pins the token inside it (the character
offset in the line, the character index on the page). A format supplies the tokens it sees
printed (text: ingest/core/text_tokens.py) and the parser ties every figure it captures to
the location of the token it read; this module only compares the two lists:

- a printed amount (a *required* token) with no figure at its location is *missed*;
- a figure whose location holds no token, or a token of another value, is *invented*: a
  figure read from a subject code, a year or another column's cell is caught by position,
  not excused because the same value stands somewhere on its line. A figure the parser did
  not tie to a location (location None) is invented too: nothing says where it was printed.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from ingest.core.errors import IngestError

Location = Hashable


@dataclass(frozen=True)
class PrintedToken:
    """A number as printed. `required`: an amount that must be captured; a plain number (a
    code, a year, a count, a percentage target) is not required but a figure may come from it."""

    location: Location
    value: Decimal | None  # None: printed characters no cell or prose holds (a PDF's stray text)
    required: bool = True
    # What a PDF prints there and its box (x0, top, x1, bottom), for the finding; why it counts.
    text: str = field(default="", compare=False)
    box: tuple[float, float, float, float] | None = field(default=None, compare=False)
    note: str = field(default="", compare=False)

    @property
    def region(self) -> Hashable:
        return self.location[0]


@dataclass(frozen=True)
class CapturedFigure:
    """A figure the parser captured: its value (the sign of 减少/下降 allowed), the location of
    the token it was read from (None: not known, so not printed as far as the check can
    tell), the coarse place it belongs to (its line; for messages) and what captured it."""

    location: Location | None
    value: Decimal
    region: Hashable = None
    what: str = ""

    def __post_init__(self) -> None:
        if self.region is None and self.location is not None:
            object.__setattr__(self, "region", self.location[0])


@dataclass(frozen=True)
class InventedFigure:
    figure: CapturedFigure
    printed: PrintedToken | None  # what stands at the figure's location, if anything
    reason: str = ""  # why the printed token does not back the figure, when its value alone does not say


@dataclass
class FidelityCheck:
    required: int = 0  # required tokens
    captured: int = 0  # required tokens captured
    figures: int = 0
    by_position: int = 0  # figures tied to a token of their value at their location
    missed: list[PrintedToken] = field(default_factory=list)
    invented: list[InventedFigure] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.missed and not self.invented


def check_fidelity(tokens: Iterable[PrintedToken], figures: Iterable[CapturedFigure]) -> FidelityCheck:
    """Tie every figure to the token at its location; the required tokens left over are
    missed, the figures without a token of their value there are invented. Several figures
    may read one token (the same printed figure kept in two places)."""
    tokens = list(tokens)
    check = FidelityCheck(required=sum(t.required for t in tokens))
    at = {t.location: t for t in tokens}
    taken: set[Location] = set()
    for figure in figures:
        check.figures += 1
        token = None if figure.location is None else at.get(figure.location)
        if token is None or token.value != abs(figure.value):
            check.invented.append(InventedFigure(figure, token))
        else:
            taken.add(token.location)
            check.by_position += 1
    check.missed = [t for t in tokens if t.required and t.location not in taken]
    check.captured = check.required - len(check.missed)
    return check


def printed_words(token: PrintedToken) -> str:
    """A printed token in a message: as printed when the format says (a PDF's '91,016,775.35'),
    else its value; characters that are no number are quoted."""
    if token.value is None:
        return repr(token.text)
    return token.text or str(token.value)


def where_words(token: PrintedToken) -> str:
    """' at (x0, top, x1, bottom)' and why the token counts, for a token with a box (a PDF's)."""
    out = "" if token.box is None else " at ({:.1f}, {:.1f}, {:.1f}, {:.1f})".format(*token.box)
    return out + (f", {token.note}" if token.note else "")


class FidelityError(IngestError):
    """Printed amounts not captured or captured figures not printed where they were read."""

    def __init__(self, file_name: str, line: int | None, expected: str, found: str | None = None):
        super().__init__(file_name, line, expected, found)
        where = f"{file_name}:{line}" if line else file_name
        self.args = (f"{where}: expected {expected}; found {found}",)


def _line_of(location: Location) -> int | None:
    first = location[0]
    return first if isinstance(first, int) else None


def _describe(location: Location) -> str:
    return f"line {location[0]}"


def fidelity_error(file_name: str, check: FidelityCheck, limit: int = 10,
                   describe: Callable[[Location], str] = _describe,
                   line_of: Callable[[Location], int | None] = _line_of) -> FidelityError | None:
    """The error naming every gap (at most `limit`), or None when the check is complete.
    `describe` and `line_of` read a location (the defaults: a text file's (line, offset))."""
    if check.complete:
        return None
    gaps: list[tuple[Location, str]] = [(t.location, f"{printed_words(t)} not captured ({describe(t.location)}"
                                         f"{where_words(t)})") for t in check.missed]
    for invented in check.invented:
        figure = invented.figure
        if figure.location is None:
            location, printed = (figure.region,), "not tied to a printed token"
        else:
            location = figure.location
            printed = ("nothing printed there" if invented.printed is None
                       else f"{printed_words(invented.printed)} printed there")
            if invented.reason:
                printed += f"; {invented.reason}"
        gaps.append((location, f"{figure.value} invented ({describe(location)}, {figure.what}: {printed})"))
    try:
        gaps.sort(key=lambda gap: gap[0])
    except TypeError:  # locations that do not order: keep missed, then invented
        pass
    shown = [text for _, text in gaps[:limit]]
    if len(gaps) > limit:
        shown.append(f"… and {len(gaps) - limit} more")
    return FidelityError(file_name, line_of(gaps[0][0]),
                         "every printed amount captured and every captured figure printed where it was read",
                         "; ".join(shown))
