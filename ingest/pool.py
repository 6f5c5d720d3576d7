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
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


def ordered_map(function: Callable[[Item], Result], items: Iterable[Item], jobs: int, ahead: int,
                on_crash: Callable[[Item, BaseException], Result] | None = None) -> Iterator[Result]:
    """function(item) for each item, in the order of `items`; in `jobs` processes when
    jobs > 1, else in this process. An exception of an item is raised when its turn comes,
    after the results before it (so an error names the first bad document in input order).

    With `on_crash`, a worker process that dies (a crash in native code, the kernel's OOM
    killer) does not end the run: a dead worker breaks the whole pool, so every item that was
    in flight is run again alone in a fresh process, and the one whose process dies again
    gets on_crash(item, error) as its result; the others continue in a new pool."""
    if jobs <= 1:
        yield from map(function, items)
        return
    pool = ProcessPoolExecutor(max_workers=jobs)
    pending: deque[tuple[Item, Future]] = deque()

    def take() -> Iterator[Result]:
        nonlocal pool
        item, future = pending.popleft()
        try:
            yield future.result()
            return
        except BrokenProcessPool as error:
            if on_crash is None:
                raise
            broken = error
        pool.shutdown(wait=True, cancel_futures=True)
        in_flight = [item, *(i for i, _ in pending)]
        pending.clear()
        for again in in_flight:
            yield _alone(function, again, on_crash, broken)
        pool = ProcessPoolExecutor(max_workers=jobs)

    try:
        for item in items:
            pending.append((item, pool.submit(function, item)))
            if len(pending) >= max(ahead, jobs):
                yield from take()
        while pending:
            yield from take()
    finally:
        # On an error (or the caller stopping early) the documents not started are dropped,
        # not parsed for nothing.
        pool.shutdown(wait=True, cancel_futures=True)


def _alone(function: Callable[[Item], Result], item: Item,
           on_crash: Callable[[Item, BaseException], Result], error: BaseException) -> Result:
    with ProcessPoolExecutor(max_workers=1) as single:
        try:
            return single.submit(function, item).result()
        except BrokenProcessPool as crashed:
            return on_crash(item, crashed)
