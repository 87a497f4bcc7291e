"""Long output made on two cores, and still written in order.

`in_order(work, items)` gives `work(item)` for each item, in the order of `items`, as a
generator does: a forked worker process makes every other item, this process the rest, and
this process writes them all. An item the worker has not begun when it is needed is made
here, so a worker slowed by other work on the machine costs little. The worker runs a few
items ahead and no further (`AHEAD`), so memory holds a few items' results, not the output.
Used by the renderers (`render.Batched`) where each item is costly and the items are many:
the text of a batch of a long stored answer (a full export, `conflicts` over a large
base), each fact in it a record read, checked, decoded and laid out.

The worker is forked, so `work` and what it reads (the base, the groups) need no pickling;
only the results come back pickled. A worker cannot share this process's SQLite connection
(a connection must not cross a fork): `in_worker` runs first in the worker, to open its own.
An error in the worker (a store changed while read) is raised here, at its item.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Generator, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Output laid out in batches of about BATCH_FACTS facts, on two cores from PARALLEL_FACTS
# facts on: below that, the fork and the pool's imports cost more than they save.
BATCH_FACTS = 500
PARALLEL_FACTS = 5_000

AHEAD = 4  # items handed to the worker before this process needs them
LOCAL_EVERY = 2  # this process makes every other item (and writes them all)

_work: Callable[[Any], Any] | None = None  # in the worker: what `in_order` was given


def _start(work: Callable[[Any], Any], in_worker: Callable[[], None] | None) -> None:
    global _work
    _work = work
    # The worker writes nothing: its standard output and error go nowhere, so output this
    # process had buffered when it forked is never written twice (the worker flushes its
    # copy as it exits), and nothing a worker prints reaches the terminal; its errors come
    # back to this process with its results.
    nowhere = os.open(os.devnull, os.O_WRONLY)
    os.dup2(nowhere, 1)
    os.dup2(nowhere, 2)
    os.close(nowhere)
    if in_worker is not None:
        in_worker()


def _call(item: Any) -> Any:
    assert _work is not None  # set by `_start` when the worker began
    return _work(item)


def cores() -> int:
    """The cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1


def in_order(
    work: Callable[[T], R],
    items: Sequence[T],
    *,
    in_worker: Callable[[], None] | None = None,
) -> Generator[R, None, None]:
    """`work(item)` for each of `items`, in order; on two cores when there are two."""
    if len(items) < LOCAL_EVERY or cores() < 2:
        yield from map(work, items)
        return
    import multiprocessing
    from concurrent.futures import Future, ProcessPoolExecutor

    pool = ProcessPoolExecutor(
        1,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_start,
        initargs=(work, in_worker),
    )
    pending: dict[int, Future[Any]] = {}
    handed = 0  # items up to here have been handed to the worker or left for this process
    try:
        for index, item in enumerate(items):
            while handed < min(index + 1 + AHEAD, len(items)):
                if handed % LOCAL_EVERY:
                    pending[handed] = pool.submit(_call, items[handed])
                handed += 1
            future = pending.pop(index, None)
            if future is None or future.cancel():  # not begun: the worker is behind
                yield work(item)
            else:
                yield future.result()
    except BaseException:
        # A reader gone (`| head`), an error or Ctrl-C: what the worker has not begun is
        # dropped, and it ends after the item in hand.
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    # Done: the worker, idle, ends now, not while the interpreter exits (where Ctrl-C
    # would end migfacts by the signal, not with exit code 130).
    pool.shutdown(wait=True)
