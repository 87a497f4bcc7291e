"""Fitting a table to a terminal without breaking a word or an id.

Each column has a priority: 1 is always shown; larger numbers are dropped first as the
terminal narrows, the way `gh` and `kubectl` drop low-value columns. A column is given at
least its longest word (its longest line, for a column that never wraps, such as an id), so a
wrapped cell breaks only between words. The room left over goes to the columns whose text
is longer than their share, in proportion to their weight, until each fits on one line.

When even the columns of priority 1 do not fit, or prose would be squeezed below its
comfortable width with nothing left to drop, `fit` returns None and the renderer stacks: first
short columns under their neighbours ("When" under "Where"), then, if that is not enough,
each row as a card: its id on a line of its own, then one labelled line per field. Pure:
widths in, widths out; the renderers do the drawing.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

SHORT = 24  # a field this wide or less is worth one line before prose widens
GAP = 3  # a column divider and its padding, as render.py draws a table
BARE_GAP = 2  # the same without box lines (TERM=dumb)


def cell_width(text: str) -> int:
    """Columns a string takes in a terminal: wide East Asian characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def longest_word(text: str) -> int:
    return max((cell_width(word) for word in text.split()), default=0)


def longest_line(text: str) -> int:
    return max((cell_width(line) for line in text.splitlines()), default=0)


@dataclass(frozen=True, slots=True)
class Need:
    """What one column needs: at least `least`, at most `most`; `weight` shares the rest."""

    least: int
    most: int
    priority: int = 1
    weight: int = 1
    comfort: int = 0  # below this, drop a column of lower value rather than squeeze this one


def measure(
    header: str,
    cells: Sequence[str],
    *,
    wrap: bool = True,
    readable: int = 0,
    cap: int | None = None,
    priority: int = 1,
    weight: int = 1,
    comfort: int = 0,
) -> Need:
    """The need of a column of `cells` under `header`.

    `wrap=False`: never wrapped (ids, codes), so it needs its longest line. `readable`: a
    width below which wrapped prose reads badly. `cap`: the width past which wrapping is
    preferred to a wider column.
    """
    if not any(cells):
        return Need(0, 0, priority, weight)  # an empty column is not shown
    texts = [header, *cells]
    most = max((longest_line(text) for text in texts), default=0)
    if not wrap:
        return Need(most, most, priority, weight)
    least = max(longest_word(text) for text in texts)
    if cap is not None:
        most = max(least, min(most, cap))
    least = max(least, min(readable, most))
    return Need(least, most, priority, weight, min(comfort, most))


def fit(needs: Sequence[Need], width: int, *, gap: int = GAP) -> list[int | None] | None:
    """A width for each column, None for a dropped one; None for the whole when the columns
    of priority 1 do not fit at their comfortable widths (the caller then stacks)."""
    shown = [need.most > 0 for need in needs]
    lifted = [max(need.least, need.comfort) for need in needs]

    def total() -> int:
        kept = [size for size, keep in zip(lifted, shown, strict=True) if keep]
        return sum(kept) + gap * max(0, len(kept) - 1)

    while total() > width:
        candidates = [i for i, need in enumerate(needs) if shown[i] and need.priority > 1]
        if not candidates:
            return None
        # The least valuable goes first; of equals, the rightmost.
        shown[max(candidates, key=lambda i: (needs[i].priority, i))] = False
    widths: list[int | None] = [
        need.least if keep else None for need, keep in zip(needs, shown, strict=True)
    ]
    spare = (
        width
        - total()
        + sum(
            size - need.least for size, need, keep in zip(lifted, needs, shown, strict=True) if keep
        )
    )
    # Short fields (a figure, a place, a date) first reach one line: "$2.7 / billion" reads
    # worse than a statement a few characters narrower. Then prose gets its comfortable
    # width, then the rest is shared.
    for i in sorted(range(len(needs)), key=lambda i: needs[i].most):
        current = widths[i]
        if current is None or needs[i].most > SHORT or needs[i].most - current > spare:
            continue
        spare -= needs[i].most - current
        widths[i] = needs[i].most
    for i, need in enumerate(needs):
        current = widths[i]
        if current is not None and current < need.comfort:
            grant = min(need.comfort - current, spare)
            widths[i] = current + grant
            spare -= grant
    _share(widths, needs, spare)
    return widths


def _share(widths: list[int | None], needs: Sequence[Need], spare: int) -> None:
    """Give `spare` columns out, weighted max-min fair: a column that needs less than its
    share gets what it needs, and what it leaves goes to the others (water filling)."""
    hungry = [i for i, w in enumerate(widths) if w is not None and w < needs[i].most]
    while spare > 0 and hungry:
        weight = sum(needs[i].weight for i in hungry)
        wants = {i: needs[i].most - (widths[i] or 0) for i in hungry}
        sated = [i for i in hungry if wants[i] * weight <= spare * needs[i].weight]
        if sated:
            for i in sated:
                widths[i] = needs[i].most
                spare -= wants[i]
            hungry = [i for i in hungry if i not in sated]
            continue
        for i in hungry:
            grant = spare * needs[i].weight // weight
            widths[i] = (widths[i] or 0) + grant
        return
