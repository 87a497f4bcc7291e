"""Checks across the files of a fact base, and against the archived article texts.

`cross_check` runs on every load (unique ids, references that exist, names that two places
both claim). `check_archive` runs for `migfacts validate --archive DIR`: each source's archived
text exists, its SHA-256 matches, and every quote occurs in it verbatim.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from migfacts.anchors import is_relative_date, relative_period
from migfacts.errors import Problem
from migfacts.names import place_entries, place_index, topic_entries, topic_index
from migfacts.records import Fact, FactBase, Place, Skip, Source, Topic


def _duplicates(kind: str, items: list[tuple[str, str]], problems: list[Problem]) -> None:
    """Report every id defined more than once, naming the files that define it."""
    by_id: dict[str, list[str]] = {}
    for file, ident in items:
        by_id.setdefault(ident, []).append(file)
    for ident, files in by_id.items():
        if len(files) > 1:
            for file in files[1:]:
                others = ", ".join(sorted(set(files) - {file})) or file
                problems.append(
                    Problem(
                        file,
                        f"{kind} id {ident!r} is already defined in {others}",
                        item=f"{kind} {ident!r}",
                        field="id",
                    )
                )


def _clash(kind: str, name: str, first: str, later: str, files: dict[str, str]) -> Problem:
    """A name two entries claim, reported at the later one, naming the file of each."""
    first_file, later_file = files.get(first, "?"), files.get(later, "?")
    where = "" if first_file == later_file else f" (in {first_file})"
    return Problem(
        later_file,
        f"the {kind} name {name!r} is claimed by both {first}{where} and {later}",
        item=f"{kind} {later!r}",
    )


def cross_check(
    sources: list[tuple[str, Source]],
    places: list[tuple[str, Place]],
    topics: list[tuple[str, Topic]],
    facts: list[tuple[str, Fact]],
    skips: list[tuple[str, Skip]],
    origin: str,
) -> tuple[FactBase, list[Problem]]:
    """Build the base from validated records and report what does not fit together."""
    problems: list[Problem] = []
    _duplicates("source", [(f, s.id) for f, s in sources], problems)
    _duplicates("place", [(f, p.code) for f, p in places], problems)
    _duplicates("topic", [(f, t.id) for f, t in topics], problems)
    _duplicates("fact", [(f, fact.id) for f, fact in facts], problems)

    source_ids = {s.id for _, s in sources}
    place_codes = {p.code for _, p in places}
    topic_ids = {t.id for _, t in topics}

    for file, place in places:
        for member in place.members:
            if member not in place_codes:
                problems.append(
                    Problem(
                        file,
                        f"unknown place {member!r}",
                        item=f"place {place.code!r}",
                        field="members",
                    )
                )
        for field_name in ("aliases", "demonyms"):
            names: tuple[str, ...] = getattr(place, field_name)
            for name in sorted({n for n in names if names.count(n) > 1}):
                problems.append(
                    Problem(
                        file,
                        f"{name!r} is listed twice; list each name once",
                        item=f"place {place.code!r}",
                        field=field_name,
                    )
                )
    index = place_index(p for _, p in places)
    place_files = {p.code: f for f, p in places}
    for name, first, later in index.clashes(place_entries(p for _, p in places)):
        problems.append(_clash("place", name, first, later, place_files))
    topic_names = topic_index(t for _, t in topics)
    topic_files = {t.id: f for f, t in topics}
    for name, first, later in topic_names.clashes(topic_entries(t for _, t in topics)):
        problems.append(_clash("topic", name, first, later, topic_files))

    published = {s.id: s.published for _, s in sources}
    for file, fact in facts:
        item = f"fact {fact.id!r}"
        if fact.source not in source_ids:
            problems.append(
                Problem(file, f"unknown source {fact.source!r}", item=item, field="source")
            )
        elif fact.unit == "calendar year" and is_relative_date(fact.as_written):
            mismatch = _relative_year_mismatch(fact, published[fact.source])
            if mismatch:
                problems.append(Problem(file, mismatch, item=item, field="as_written"))
        for role in ("origin", "destination", "area", "nationality"):
            for code in getattr(fact, role):
                if code not in place_codes:
                    hint = index.suggest(code)
                    problems.append(
                        Problem(file, f"unknown place {code!r}{hint}", item=item, field=role)
                    )
        for topic in fact.topics:
            if topic not in topic_ids:
                hint = topic_names.suggest(topic)
                problems.append(
                    Problem(file, f"unknown topic {topic!r}{hint}", item=item, field="topics")
                )
    for file, skip in skips:
        if skip.source not in source_ids:
            problems.append(
                Problem(
                    file,
                    f"unknown source {skip.source!r}",
                    item=f"skip {skip.as_written!r}",
                    field="source",
                )
            )

    base = FactBase(
        sources={s.id: s for _, s in sources},
        places={p.code: p for _, p in places},
        topics={t.id: t for _, t in topics},
        facts=tuple(fact for _, fact in facts),
        skips=tuple(skip for _, skip in skips),
        origin=origin,
        fact_files={fact.id: file for file, fact in facts},
    )
    return base, problems


def _relative_year_mismatch(fact: Fact, published: str) -> str | None:
    """Why a year written as "last year" is not the fact's value, given when the source appeared."""
    period = relative_period(fact.as_written, published)
    if period is None or period.start.year != period.end.year:
        return (
            f"as_written {fact.as_written!r} names no single year for a source published "
            f"{published}; give the year in digits or a source date that anchors it"
        )
    if fact.value != period.start.year:
        return (
            f"as_written {fact.as_written!r} in a source published {published} reads as "
            f"{period.start.year}, but value is {fact.value}"
        )
    return None


_SPACE = re.compile(r"\s+")


def squash(text: str) -> str:
    """Collapse every run of white space (no-break spaces included) to one space."""
    return _SPACE.sub(" ", text.replace("\u00a0", " ")).strip()


def read_archive(archive: Path, source: Source) -> tuple[str | None, Problem | None]:
    """The archived text of a source, or the problem that prevents reading it."""
    path = archive / source.archive
    item = f"source {source.id!r}"
    try:
        raw = path.read_bytes()
    except OSError as error:
        reason = "no such file" if isinstance(error, FileNotFoundError) else error.strerror
        return None, Problem(
            str(path), f"archived text not readable: {reason}", item=item, field="archive"
        )
    digest = hashlib.sha256(raw).hexdigest()
    if digest != source.sha256:
        return None, Problem(
            str(path),
            f"sha256 is {digest}, but the base records {source.sha256}",
            item=item,
            field="sha256",
        )
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError:
        return None, Problem(str(path), "archived text is not UTF-8", item=item, field="archive")


def check_archive(base: FactBase, archive: Path) -> list[Problem]:
    """Every source's archive exists and matches; every quote occurs in it verbatim."""
    problems: list[Problem] = []
    if not archive.is_dir():
        return [Problem(str(archive), "archive folder not found")]
    texts: dict[str, str] = {}
    for source in base.sources.values():
        text, problem = read_archive(archive, source)
        if problem is not None:
            problems.append(problem)
        elif text is not None:
            texts[source.id] = squash(text)
    for fact in base.facts:
        text = texts.get(fact.source)
        if text is not None and squash(fact.quote) not in text:
            problems.append(
                Problem(
                    base.fact_files.get(fact.id, base.origin),
                    f"quote not found verbatim in {base.sources[fact.source].archive}",
                    item=f"fact {fact.id!r}",
                    field="quote",
                )
            )
    for skip in base.skips:
        text = texts.get(skip.source)
        if text is not None and squash(skip.quote) not in text:
            problems.append(
                Problem(
                    base.origin,
                    f"quote not found verbatim in {base.sources[skip.source].archive}",
                    item=f"skip {skip.as_written!r}",
                    field="quote",
                )
            )
    return problems
