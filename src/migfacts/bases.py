"""Several fact bases read as one: a journalist's own facts beside the bundled ones.

`--facts` may be repeated and MIGFACTS_FACTS may hold a list separated by `:` (as PATH is);
the name `bundled` stands for the base shipped with migfacts. Each base is loaded and
validated on its own by `loader.load_base`, then `merge` puts them together: ids, sources,
places and topics resolve across them. The same id defined differently in two bases is a
clash, reported with both files. A place (or topic) both define with the same kind and name
(label) is one place whose other names are pooled: a base made by `migfacts init` starts from
copies of the bundled places and topics, and must keep working beside a newer bundled base.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from migfacts.errors import FactBaseError, Problem, UsageError
from migfacts.loader import Progress, bundled_facts, load_base
from migfacts.records import Fact, FactBase, Place, Skip, Source, Topic

BUNDLED = "bundled"


def choose_bases(options: Sequence[str] | None, env: str | None = None) -> list[Path]:
    """The bases to read, in order: the `--facts` given, else the list in MIGFACTS_FACTS
    (`env`), else the bundled base. `bundled` names the bundled base anywhere in the list.

    An entry left empty by the list syntax (`a::b`, a trailing `:`) is ignored; a repeated
    base is read once.
    """
    entries = list(options or ()) or (env.split(os.pathsep) if env else [])
    chosen: list[Path] = []
    for text in entries:
        if not text.strip():
            continue  # an empty entry of a list ("a::b") names no base
        path = bundled_facts() if text == BUNDLED else Path(os.path.expanduser(text))
        if path not in chosen:
            chosen.append(path)
    return chosen or [bundled_facts()]


def load_bases(
    paths: Sequence[Path], *, use_cache: bool = True, progress: Progress | None = None
) -> FactBase:
    """Load each base (validated, from its store when it has one) and merge them."""
    if len(paths) == 1:
        return load_base(paths[0], use_cache=use_cache, progress=progress)
    bases: list[FactBase] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            bases.append(load_base(path, use_cache=use_cache, progress=progress))
        except FactBaseError as error:
            problems.extend(error.problems)  # every base's problems, not just the first's
    if problems:
        raise FactBaseError(problems)
    return merge(bases, paths)


def merge(bases: Sequence[FactBase], roots: Sequence[Path]) -> FactBase:
    """One base from several; FactBaseError naming both files for every clash."""
    problems: list[Problem] = []
    sources: dict[str, Source] = {}
    places: dict[str, Place] = {}
    topics: dict[str, Topic] = {}
    facts: dict[str, Fact] = {}
    skips: list[Skip] = []
    fact_files: dict[str, str] = {}
    where: dict[tuple[str, str], Path] = {}  # (table, id) -> root of the base defining it

    def take(
        table: str, key: str, record: Source | Place | Topic, into: dict[str, Any], root: Path
    ) -> None:
        previous = into.get(key)
        if previous is None:
            into[key] = record
            where[table, key] = root
            return
        combined = _combine(previous, record)
        if combined is None:
            first = _defining_file(where[table, key], table, key)
            second = _defining_file(root, table, key)
            message = f"{table} {key!r} is also defined in {first}, differently"
            problems.append(Problem(second, message))
        else:
            into[key] = combined

    for base, root in zip(bases, roots, strict=True):
        for source in base.sources.values():
            take("source", source.id, source, sources, root)
        for place in base.places.values():
            take("place", place.code, place, places, root)
        for topic in base.topics.values():
            take("topic", topic.id, topic, topics, root)
        for fact in base.facts:
            file = base.fact_files.get(fact.id, base.origin)
            if fact.id in facts:
                problems.append(
                    Problem(
                        file,
                        f"fact id {fact.id!r} is also defined in {fact_files[fact.id]}",
                        item=f"fact {fact.id!r}",
                        field="id",
                    )
                )
                continue
            facts[fact.id] = fact
            fact_files[fact.id] = file
        skips.extend(base.skips)
    problems.extend(_name_clashes(places.values(), topics.values()))
    if problems:
        raise FactBaseError(problems)
    return FactBase(
        sources=sources,
        places=places,
        topics=topics,
        facts=tuple(facts.values()),
        skips=tuple(skips),
        origin=os.pathsep.join(str(root) for root in roots),
        fact_files=fact_files,
    )


def _combine(
    first: Source | Place | Topic, second: Source | Place | Topic
) -> Source | Place | Topic | None:
    """One record for an id two bases define, or None when they disagree.

    A source must be the same in both. A place is the same place when its kind and name
    agree, and a topic when its label does; their other names (and a group's members) are
    pooled, so a base made by `init` keeps working beside a newer bundled base.
    """
    if first == second:
        return first
    if isinstance(first, Place) and isinstance(second, Place):
        if (first.kind, first.name) != (second.kind, second.name):
            return None
        return first._replace(
            aliases=_pool(first.aliases, second.aliases),
            demonyms=_pool(first.demonyms, second.demonyms),
            members=_pool(first.members, second.members),
        )
    if isinstance(first, Topic) and isinstance(second, Topic):
        if first.label != second.label:
            return None
        return first._replace(aliases=_pool(first.aliases, second.aliases))
    return None


def _pool(first: tuple[str, ...], second: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(first + second))


def _name_clashes(places: Iterable[Place], topics: Iterable[Topic]) -> list[Problem]:
    """A name two bases give to different places or topics would make queries ambiguous."""
    from migfacts.names import NameIndex, place_entries, topic_entries

    problems = []
    for kind, entries in (("place", place_entries(places)), ("topic", topic_entries(topics))):
        index = NameIndex.build(kind, [])
        problems += [
            Problem("several bases", f"the {kind} name {name!r} is claimed by both {a} and {b}")
            for name, a, b in index.clashes(entries)
        ]
    return problems


_KEYS = {"source": "id", "place": "code", "topic": "id"}


def _defining_file(root: Path, table: str, key: str) -> str:
    """The file of base `root` that defines `[[table]]` `key` (only on the way to an error)."""
    import tomllib

    from migfacts.loader import fact_files

    try:
        files = fact_files(root)
    except UsageError:
        return str(root)
    for path in files:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        items = data.get(table, [])
        if isinstance(items, list) and any(
            isinstance(item, dict) and item.get(_KEYS[table]) == key for item in items
        ):
            return str(path)
    return str(root)
