"""Run a function over documents in worker processes, yielding results in input order with
a bounded number in flight.

`ProcessPoolExecutor.map` submits every input at once and keeps every finished result
until it is consumed; at 10,000 documents, with loading slower than parsing at moments,
that is every parsed document in memory. Here at most `ahead` documents are submitted
and not yet consumed, so memory stays bounded by `ahead`, whatever the number of documents."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


def ordered_map(function: Callable[[Item], Result], items: Iterable[Item], jobs: int,
                ahead: int) -> Iterator[Result]:
    """function(item) for each item, in the order of `items`; in `jobs` processes when
    jobs > 1, else in this process. An exception of an item is raised when its turn comes,
    after the results before it (so an error names the first bad document in input order)."""
    if jobs <= 1:
        yield from map(function, items)
        return
    pool = ProcessPoolExecutor(max_workers=jobs)
    pending: deque[Future] = deque()
    try:
        for item in items:
            pending.append(pool.submit(function, item))
            if len(pending) >= max(ahead, jobs):
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        # On an error (or the caller stopping early) the documents not started are dropped,
        # not parsed for nothing.
        pool.shutdown(wait=True, cancel_futures=True)
