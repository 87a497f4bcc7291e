"""Where sources disagree: figures on one measure and period that cannot both be right.

Two facts conflict when all of these hold:

- they come from different sources (a source's own figures are never set against each other);
- they are on the same measure (`measures.same_measure`: the same unit, the same places in the
  same roles, and a topic in common);
- their periods overlap, an inferred period (`period_basis = "inferred"`) being taken as
  uncertain by one year on each side: "approximately a third of GDP", in an article of 2025
  that gives no year, may speak of 2024 as well as of 2025 or 2026;
- the intervals their figures stand for do not overlap: `measures.fact_interval` reads each
  figure with its hedge and written precision ("45%" is 44.5 to 45.5, "approximately a third"
  30 to 36.7) and `measures.direction` gives it its sign, so a fall never agrees with a rise.

Conflicting facts are gathered into groups: the facts linked by conflicts, directly or through
one another (connected components), so every fact in a group disagrees with at least one fact
of another source in it. Each group is labelled by its measure: the topics its facts share, the
unit and the places ("Remittances, percent of GDP, → TJ").

The filters of `query` choose which disagreements to show, not which facts may disagree: a
group is shown, whole, when at least one of its facts passes them (`conflicts_involving`).
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence, Sized
from dataclasses import dataclass
from datetime import date
from heapq import heappop, heappush
from typing import TYPE_CHECKING, Any, NamedTuple

from migfacts.measures import Interval, direction, fact_interval, measure_key, same_measure
from migfacts.parallel import BATCH_FACTS, PARALLEL_FACTS
from migfacts.periods import Period
from migfacts.present import where
from migfacts.records import Fact, FactBase
from migfacts.render import Batched, Column, Listing
from migfacts.store import Selection

if TYPE_CHECKING:
    from migfacts.store import Store

INFERRED_SLACK_YEARS = 1  # how far an inferred period may be off, on each side


def _shift_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


def uncertain_period(fact: Fact) -> Period:
    """The fact's period, widened by a year on each side when it is inferred."""
    period = fact.interval
    if fact.period_basis != "inferred":
        return period
    return Period(
        _shift_years(period.start, -INFERRED_SLACK_YEARS),
        _shift_years(period.end, INFERRED_SLACK_YEARS),
    )


def signed_interval(fact: Fact) -> Interval:
    """What the figure stands for, with its sign: a fall of 2.6% is -2.65 to -2.55."""
    interval = fact_interval(fact)
    if direction(fact) < 0:
        return Interval(-interval.high, -interval.low)
    return interval


def describe(interval: Interval) -> str:
    """An interval for a reader: "44.5 to 45.5", "at least 35,000", "minus 2.65 to 2.55"."""
    if interval.high <= 0 and interval.low < 0:
        return "minus " + Interval(-interval.high, -interval.low).describe()
    return interval.describe()


def disagree(a: Fact, b: Fact) -> bool:
    """True when two sources give figures on one measure and period that cannot both hold."""
    return (
        a.source != b.source
        and same_measure(a, b)
        and uncertain_period(a).overlaps(uncertain_period(b))
        and not signed_interval(a).overlaps(signed_interval(b))
    )


def measure_label(base: FactBase, facts: Sequence[Fact]) -> str:
    """Topic labels, unit and places of facts on one measure: "Remittances, US dollars, → KG"."""
    first = facts[0]
    return _label(base, [fact.topics for fact in facts], first.unit, where(first))


def _label(base: FactBase, topic_lists: Sequence[Sequence[str]], unit: str, places: str) -> str:
    first = topic_lists[0]
    shared = [t for t in first if all(t in topics for topics in topic_lists)]
    topics = shared or list(dict.fromkeys(t for each in topic_lists for t in each))
    labels = " / ".join(base.topics[t].label if t in base.topics else t for t in topics)
    return ", ".join(part for part in (labels, unit, places) if part)


@dataclass(frozen=True)
class Conflict:
    """Facts from two or more sources that disagree on one measure."""

    measure: str
    # A tuple, or for a stored base the group's facts read from the store when iterated.
    facts: Sequence[Fact]

    @property
    def sources(self) -> frozenset[str]:
        return frozenset(fact.source for fact in self.facts)


def _order(fact: Fact) -> tuple[date, date, str, str]:
    return (fact.interval.start, fact.interval.end, fact.source, fact.id)


# --- what a comparison needs of a fact, worked out once per distinct value ----------------


class _Measure(NamedTuple):
    """A fact's measure and topics, and how a label shows them."""

    number: int  # the same for every fact of one `measure_key`
    topics: tuple[str, ...]
    unit: str
    places: str  # `present.where`
    buckets: tuple[tuple[int, str], ...]  # (number, topic) for each topic: where it is compared


class _Reading:
    """Memos from what a fact writes to what the comparison uses; records are built only
    from the fields each needs, so a figure, a period or a measure is worked out once."""

    def __init__(self) -> None:
        self.figures: dict[Any, tuple[float, float]] = {}
        self.periods: dict[Any, tuple[date, date, int, int]] = {}
        self.measures: dict[Any, _Measure] = {}
        self.numbers: dict[Any, int] = {}

    def figure(self, value: Any, low: Any, high: Any, as_written: str, unit: str,
               qualifier: str) -> tuple[float, float]:  # fmt: skip
        interval = signed_interval(
            Fact(
                value=value,
                low=low,
                high=high,
                as_written=as_written,
                unit=unit,
                qualifier=qualifier,
            )
        )
        return (interval.low, interval.high)

    def period(self, period: str, basis: str) -> tuple[date, date, int, int]:
        fact = Fact(period=period, period_basis=basis)
        span = uncertain_period(fact)
        return (fact.interval.start, fact.interval.end, span.start.toordinal(),
                span.end.toordinal())  # fmt: skip

    def measure(self, fact: Fact, key: Any = None) -> _Measure:
        """`key`: what tells the fact's measure from others (`measure_key` when not given)."""
        key = measure_key(fact) if key is None else key
        number = self.numbers.setdefault(key, len(self.numbers))
        buckets = tuple((number, topic) for topic in dict.fromkeys(fact.topics))
        return _Measure(number, fact.topics, fact.unit, where(fact), buckets)

    def of_fact(self, fact: Fact) -> tuple[tuple[float, float], tuple[date, date, int, int],
                                           _Measure]:  # fmt: skip
        figure_key = (fact.value, fact.low, fact.high, fact.as_written, fact.unit,
                      fact.qualifier)  # fmt: skip
        figure = self.figures.get(figure_key)
        if figure is None:
            figure = self.figures[figure_key] = self.figure(*figure_key)
        period_key = (fact.period, fact.period_basis)
        period = self.periods.get(period_key)
        if period is None:
            period = self.periods[period_key] = self.period(*period_key)
        measure_fields = (fact.unit, fact.origin, fact.destination, fact.area,
                          fact.nationality, fact.topics)  # fmt: skip
        measure = self.measures.get(measure_fields)
        if measure is None:
            measure = self.measures[measure_fields] = self.measure(fact)
        return figure, period, measure


class _Table:
    """The facts to compare, as columns: what the comparison reads, nothing more.

    `refs` holds the facts themselves, or for a stored base their rowids, read again only
    for the groups that are shown.
    """

    def __init__(self) -> None:
        self.orders: list[tuple[date, date, str, str]] = []
        self.starts: list[int] = []  # the uncertain period's bounds, as ordinals
        self.ends: list[int] = []
        self.figures: list[tuple[float, float]] = []
        self.measures: list[_Measure] = []
        self.refs: list[Any] = []

    def add(self, ref: Any, figure: tuple[float, float],
            period: tuple[date, date, int, int], measure: _Measure, source: str,
            ident: str) -> None:  # fmt: skip
        self.orders.append((period[0], period[1], source, ident))
        self.starts.append(period[2])
        self.ends.append(period[3])
        self.figures.append(figure)
        self.measures.append(measure)
        self.refs.append(ref)

    @classmethod
    def of_facts(cls, facts: Iterable[Fact]) -> _Table:
        table, reading = cls(), _Reading()
        for fact in facts:
            table.add(fact, *reading.of_fact(fact), fact.source, fact.id)
        return table

    @classmethod
    def of_store(cls, store: Store, measures: Iterable[str] | None = None) -> _Table:
        """Every stored fact, or those on `measures` (the store's `measure` JSON), read from
        the columns the store keeps of what a comparison needs (`Store.compared`)."""
        table, reading, loads = cls(), _Reading(), json.loads
        figures, periods, kinds = reading.figures, reading.periods, reading.measures
        for rowid, ident, source, key, figure_text, period_text, measure_text in store.compared(
            measures
        ):
            figure = figures.get(figure_text)
            if figure is None:
                figure = figures[figure_text] = reading.figure(*loads(figure_text))
            period = periods.get(period_text)
            if period is None:
                period = periods[period_text] = reading.period(*loads(period_text))
            measure = kinds.get(measure_text)
            if measure is None:
                unit, origin, destination, area, nationality, topics = loads(measure_text)
                measure = kinds[measure_text] = reading.measure(
                    Fact(
                        unit=unit,
                        origin=tuple(origin),
                        destination=tuple(destination),
                        area=tuple(area),
                        nationality=tuple(nationality),
                        topics=tuple(topics),
                    ),
                    key,  # the JSON of `measure_key`: one measure, one text
                )
            table.add(rowid, figure, period, measure, source, ident)
        return table

    def groups(self, base: FactBase) -> list[tuple[str, list[int]]]:
        """Each group of disagreeing facts as its label and its facts' places in `refs`,
        the earliest period first."""
        order = sorted(range(len(self.refs)), key=self.orders.__getitem__)
        measures = [self.measures[i] for i in order]
        buckets: defaultdict[tuple[int, str], list[int]] = defaultdict(list)
        for position, measure in enumerate(measures):
            for bucket in measure.buckets:
                buckets[bucket].append(position)
        parent, linked = _link(
            buckets.values(),
            [self.starts[i] for i in order],
            [self.ends[i] for i in order],
            [self.figures[i] for i in order],
            [self.orders[i][2] for i in order],  # the sources
        )
        found: dict[int, list[int]] = {}
        for position, flag in enumerate(linked):
            if flag:
                found.setdefault(_root(parent, position), []).append(position)
        labelled = []
        for members in found.values():
            first = measures[members[0]]
            label = _label(base, [measures[p].topics for p in members], first.unit, first.places)
            labelled.append((self.orders[order[members[0]]], label, [order[p] for p in members]))
        labelled.sort(key=lambda group: (group[0], group[1]))
        return [(label, members) for _first, label, members in labelled]


def _root(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def _link(
    buckets: Iterable[list[int]],
    starts: list[int],
    ends: list[int],
    figures: list[tuple[float, float]],
    sources: list[str],
) -> tuple[list[int], bytearray]:
    """Union the facts that disagree, bucket by bucket; which facts disagree with any.

    Within a bucket, a sweep over the (widened) periods keeps the facts whose periods still
    overlap the next one, gathered by figure: a fact is compared with each distinct figure
    once, not with every fact that gives it. The facts of a figure already joined into one
    group (`merged`) need one union; those not yet joined (`pending`) are joined each.
    """
    parent = list(range(len(starts)))
    linked = bytearray(len(starts))  # 1: disagrees with at least one other fact
    for members in buckets:
        if len(members) < 2:
            continue
        expiring: list[tuple[int, int]] = []  # (end, fact) of the facts still open
        gone: set[int] = set()
        # figure -> [low, high, pending, merged, open facts, a member of merged's group]
        open_figures: dict[tuple[float, float], list[Any]] = {}
        for i in sorted(members, key=starts.__getitem__):
            start = starts[i]
            while expiring and expiring[0][0] < start:
                j = heappop(expiring)[1]
                gone.add(j)
                state = open_figures[figures[j]]
                state[4] -= 1
                if not state[4]:
                    del open_figures[figures[j]]
            low, high = figures[i]
            source = sources[i]
            mine = -1  # the root of i's group, once i disagrees with someone
            for state in open_figures.values():
                if not (state[1] < low or high < state[0]):
                    continue
                if mine >= 0 and not state[2]:
                    # i joined a group already: when it is merged's, there is nothing to do.
                    member = state[5]
                    if member >= 0:
                        if parent[member] != member:
                            member = state[5] = _root(parent, member)
                        if member == mine:
                            continue
                anchor, seen = -1, False
                merged = state[3]
                for m in reversed(merged):
                    if m in gone:
                        continue
                    seen = True
                    if sources[m] != source:
                        anchor = m
                        break
                if not state[2]:  # nothing pending: at most one union, with the group
                    if anchor >= 0:
                        if mine < 0:
                            mine = _root(parent, i)
                            linked[i] = 1
                        other = _root(parent, anchor)
                        if other != mine:
                            parent[other] = mine
                        state[5] = mine
                    continue
                keep: list[int] = []
                joined: list[int] = []
                for p in state[2]:
                    if p not in gone:
                        (keep if sources[p] == source else joined).append(p)
                if anchor < 0 and not joined:
                    state[2] = keep
                    continue
                if mine < 0:
                    mine = _root(parent, i)
                    linked[i] = 1
                if anchor >= 0:
                    other = _root(parent, anchor)
                    if other != mine:
                        parent[other] = mine
                for p in joined:
                    linked[p] = 1
                    other = _root(parent, p)
                    if other != mine:
                        parent[other] = mine
                if anchor >= 0 or not seen:
                    # Every open fact of `merged` and the joined are in one group now.
                    if len(merged) > 2 * state[4] + 8:
                        merged[:] = [m for m in merged if m not in gone]
                    merged.extend(joined)
                    state[2] = keep
                    state[5] = mine
                else:  # `merged` is all i's own source: not joined to i, so apart still
                    state[2] = keep + joined
            mine_open = open_figures.get(figures[i])
            if mine_open is None:
                open_figures[figures[i]] = [low, high, [i], [], 1, -1]
            else:
                mine_open[2].append(i)
                mine_open[4] += 1
            heappush(expiring, (ends[i], i))
    return parent, linked


def find_conflicts(base: FactBase, facts: Iterable[Fact]) -> list[Conflict]:
    """Every group of disagreeing facts among `facts`, the earliest period first.

    Only facts on one measure can disagree, so facts are put in buckets by measure and topic
    once, and compared within their bucket only (`_link`). The groups are the same as
    comparing every pair with `disagree` would give.
    """
    table = _Table.of_facts(facts)
    return [
        Conflict(label, tuple(table.refs[i] for i in members))
        for label, members in table.groups(base)
    ]


def conflicts_involving(base: FactBase, chosen: Iterable[Fact]) -> list[Conflict]:
    """The groups of the whole base in which at least one of `chosen` takes part, whole.

    The other side of a disagreement is shown even when a filter would not select it: asked
    about 2024, the 45% of 2024 still meets the "third" of an inferred 2025; asked about one
    source, its figures meet the others' that contradict them. Groups never cross measures,
    so only the facts on the measures of `chosen` are read and compared.

    A stored base is compared on the fields the store keeps for it (`Store.compared`), and the
    facts of the groups are read from the store as they are written: memory holds the
    columns of the comparison, not the base.
    """
    store = base.store
    everything = store is not None and isinstance(chosen, Sized) and len(chosen) == store.count()
    if store is not None and everything:
        return _stored_conflicts(store, _groups_of_base(base, store), None)
    wanted = set()
    measures = set()
    for fact in chosen:
        wanted.add(fact.id)
        measures.add(measure_key(fact))
    if not measures:
        return []
    if store is not None:
        kept = _kept_groups(store)
        if kept is None:
            keys = [json.dumps(key, ensure_ascii=False, separators=(",", ":")) for key in measures]
            kept = _stored_groups(base, _Table.of_store(store, keys))
        return _stored_conflicts(store, kept, wanted)
    candidates = [fact for fact in base.facts if measure_key(fact) in measures]
    return [
        conflict
        for conflict in find_conflicts(base, candidates)
        if any(fact.id in wanted for fact in conflict.facts)
    ]


# A stored group: its label, its facts' rows and their ids, in the order they are shown.
_StoredGroup = tuple[str, list[int], list[str]]


def _stored_groups(base: FactBase, table: _Table) -> list[_StoredGroup]:
    return [
        (label, [table.refs[i] for i in members], [table.orders[i][3] for i in members])
        for label, members in table.groups(base)
    ]


def _groups_kind() -> str:
    from migfacts.store import code_stamp

    # The store's own stamp covers measures, periods and numbers; the labels are present's.
    return "conflicts-groups/" + code_stamp(("conflicts", "present"))[:16]


def _kept_groups(store: Store) -> list[_StoredGroup] | None:
    """The groups of the whole base as a run over all of it kept them, if the base is still
    as it was then (`Store.summary`: MAC'd with the manifest)."""
    kept = store.summary(_groups_kind())
    if kept is None:
        return None
    return [(label, rowids, ids) for label, rowids, ids in json.loads(kept)]


def _groups_of_base(base: FactBase, store: Store) -> list[_StoredGroup]:
    """Every group of the base: kept from an earlier run over the same files, or worked out
    and kept for the next (a filtered run then picks its groups from them too)."""
    kept = _kept_groups(store)
    if kept is not None:
        return kept
    manifest = store.manifest()  # the groups are kept only if the files are still these
    groups = _stored_groups(base, _Table.of_store(store))
    kind = _groups_kind()
    text = json.dumps(groups, ensure_ascii=False, separators=(",", ":"))
    store.put_summary(kind, text, [kind], manifest)
    return groups


def _any_fact(_fact: Fact) -> bool:
    return True  # a group's rows were chosen by their records' own fields: checked by id


def _stored_conflicts(
    store: Store, groups: list[_StoredGroup], wanted: set[str] | None
) -> list[Conflict]:
    return [
        Conflict(label, Selection(store, rowids, _any_fact, ids))
        for label, rowids, ids in groups
        if wanted is None or not wanted.isdisjoint(ids)
    ]


# --- listing ----------------------------------------------------------------------------


def _bound(number: float) -> float | None:
    return None if math.isinf(number) else number


def conflicts_listing(base: FactBase, conflicts: list[Conflict]) -> Listing:
    """One row per fact, with its group number and measure; JSON: one object per group,
    its facts one to a line."""
    from migfacts.listings import FACT_COLUMNS, fact_row
    from migfacts.present import fact_object, source_object

    fact_columns = {column.key: column for column in FACT_COLUMNS}
    columns = [
        # A group's number and measure head its first row; the rows below leave them blank.
        Column("group", "#", style="bold", no_wrap=True, repeat=False),
        Column("measure", "Measure", max_width=30, min_width=14, ratio=2, repeat=False),
        fact_columns["id"],
        fact_columns["figure"],
        Column("reads_as", "Reads as", max_width=24, ratio=2, priority=3),
        fact_columns["when"],
        fact_columns["source"],
        # The measure says what is compared; the statement is for the other formats.
        Column("statement", "Statement", in_table=False),
        *(c for c in FACT_COLUMNS if c.key not in {"id", "figure", "when", "source", "statement"}),
    ]
    columns = [
        Column(c.key, c.header, in_table=False)
        if c.key in {"where", "status", "attribution"}
        else c
        for c in columns
    ]

    # Many facts share a figure, and a source gives many facts: each is worked out once.
    readings: dict[tuple[Any, ...], tuple[str, dict[str, float | None]]] = {}

    def reading(fact: Fact) -> tuple[str, dict[str, float | None]]:
        key = (fact.value, fact.low, fact.high, fact.as_written, fact.unit, fact.qualifier)
        found = readings.get(key)
        if found is None:
            interval = signed_interval(fact)
            bounds = {"low": _bound(interval.low), "high": _bound(interval.high)}
            found = readings[key] = (describe(interval), bounds)
        return found

    def rows_of(batch: range) -> list[dict[str, str]]:
        return [
            {"group": str(number + 1), "measure": conflicts[number].measure,
             "reads_as": reading(fact)[0], **fact_row(base, fact)}
            for number in batch
            for fact in conflicts[number].facts
        ]  # fmt: skip

    sources: dict[str, dict[str, Any]] = {}

    def records_of(batch: range) -> list[dict[str, Any]]:
        made = []
        for number in batch:
            objects = []
            for fact in conflicts[number].facts:
                source = sources.get(fact.source)
                if source is None:
                    source = sources[fact.source] = source_object(base.sources[fact.source])
                reads_as, bounds = reading(fact)
                objects.append(
                    {
                        **fact_object(base, fact, source=source),
                        "reads_as": reads_as,
                        "interval": dict(bounds),
                    }
                )
            made.append({"group": number + 1, "measure": conflicts[number].measure,
                         "facts": objects})  # fmt: skip
        return made

    sizes = [len(conflict.facts) for conflict in conflicts]
    batches = _batches(sizes)
    in_worker = None if base.store is None else base.store.reconnect
    two_cores = sum(sizes) >= PARALLEL_FACTS
    # Made while written, a batch of groups at a time, on two cores from `PARALLEL_FACTS`
    # facts on (`render.Batched`): memory holds a few batches, not the base's rows and objects.
    # JSON: each fact of a group on one line (the group's fields one to a line above them).
    return Listing(
        columns=columns,
        rows=Batched(batches, rows_of, in_worker, on_two_cores=two_cores),
        records=Batched(batches, records_of, in_worker, on_two_cores=two_cores),
        json_one_line_from=3,
    )


def _batches(sizes: Sequence[int]) -> list[range]:
    """The groups, as runs of consecutive groups of about `BATCH_FACTS` facts each (or more,
    when one group holds more)."""
    batches, start, held = [], 0, 0
    for index, size in enumerate(sizes):
        held += size
        if held >= BATCH_FACTS:
            batches.append(range(start, index + 1))
            start, held = index + 1, 0
    if start < len(sizes):
        batches.append(range(start, len(sizes)))
    return batches
