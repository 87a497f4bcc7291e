"""Free-text search: a question or a few words in, facts out, best first.

The query is read in three passes, each with the reader migfacts already has for it, so
`search` understands a name exactly as `query` does:

1. places, by the place `NameIndex` (names, codes, demonyms; a near miss of five letters or
   more, "Kazakstan", counts too): a fact matches when it names the place, or a member of a
   region or union named, in any role;
2. topics, by the topic `NameIndex` on what is left ("GDP growth", "entry ban");
3. years, by `numbers.find_numbers` (kind "year"; "2014-2015" is a range): a fact matches
   when its period overlaps the year, more so the more of its period the year covers.

Every other word, without stop words ("what", "was", "how", "long"...), is matched against
the fact's statement, quote, attribution, topic labels and place names, case- and
accent-insensitively, with Okapi BM25. Words are compared by a crude stem (a plural, "-ing"
or "-ed" taken off, then the first six letters), so "violations" finds "violating".

A fact's score is the sum, over what the query names, of a weight times the term's inverse
document frequency in the base (a rare topic counts more than a common one), plus the words'
BM25. Places, topics and years weigh `STRUCTURED_WEIGHT` times a word. Facts that match
nothing are left out; ties go to the newer period, then the id.

A base read from its store is searched through the store's index, so that a search costs
what the facts that can win cost, not what the base does: each fact's search words
(`document`) are kept there, made by this module on first use and kept in step with edits,
and the store answers which facts have a place, a topic, a year or a word, and how many do
(BM25's statistics). A score is a sum of such parts, each at most some bound (`_most`): the
facts with all of them are scored first, and the last of the best `limit` sets the score to
beat; then only the facts in the sets of each smallest combination of parts whose bounds
reach it are scored, each from its stored words (`store.Store.search_rows`). Only the hits
are decoded, and each is scored again from its record. The scores are computed by the one
function `_score` either way, so the answers are the same to the last bit as when every fact
is read in memory, which is how any other base (several `--facts`, no store) is searched.
"""

from __future__ import annotations

import heapq
import itertools
import json
import math
import re
from collections import Counter
from collections.abc import Collection, Container, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from migfacts.names import NameIndex, normalize
from migfacts.periods import Period
from migfacts.query import Vocabulary
from migfacts.records import Fact, FactBase
from migfacts.render import Listing

if TYPE_CHECKING:
    from migfacts.store import SearchSet, Store

PAGE = 500  # facts read from the store at a time

STRUCTURED_WEIGHT = 3.0  # a place, topic or year against one ordinary word
K1 = 1.2  # BM25 term-frequency saturation
B = 0.75  # BM25 length normalization

_STOP_TEXT = """
    a about after all also an and any are as at be been before being between but by can
    could did do does during each for from had has have how i in into is it its long many me
    more most much my of on or our over per please show tell than that the their them there
    these they this those through to under up us was we were what when where which while who
    whom why will with would you your
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())

_WORD = re.compile(r"\w+")

# Words journalists use for the same thing, read as one word: "held jobs" and "were working",
# "killed" and "died", "slots" and "quota". Each line is a group; its first word stands for
# all. Phrases are read before single words.
_SYNONYM_TEXT = """
    work: works worked working job jobs employed employment employ employs hire hired hiring
        workers worker workforce
    citizen: citizens national nationals compatriots people persons individuals
    die: died dies dying killed deaths death dead lives fatalities casualties toll
    deport: deported deports deporting deportation deportations expel expelled expulsion
        expulsions
    remittance: remittances
    send: sent sends sending
    quota: quotas slot slots
    permit: permits visa visas patent patents
    found: founded founding established establish created formed
    grow: grew grows growing growth rose rise rises rising increase increased increases
        jumped jump jumps surged climbed gained expanded
    fall: fell falls falling dropped drop drops declined decline declines decreased decrease
        plunged plunge slumped shrank shrink contracted contraction contract
    illegal: undocumented irregular unregistered
    legalize: legalise legalized legalised regularize regularized regularise regularised
        formalize formalized formalise formalised legalization legalisation regularization
    ban: banned bans barred barring prohibited
    law: laws legislation
    arrive: arrived arriving arrivals arrival incoming
    economy: economic
"""
_PHRASES = {
    "came into being": "found",
    "come into being": "found",
    "set up": "found",
    "held jobs": "work",
    "found jobs": "work",
    "landed jobs": "work",
    "found work": "work",
    "took in": "receive",
    "money sent home": "remittance",
    "sent home": "remittance",
    "sending home": "remittance",
    "send home": "remittance",
    "sends home": "remittance",
    "money transfers": "remittance",
    "cash transfers": "remittance",
    "payments sent home": "remittance",
    "legal status": "legalize",
}
_SYNONYMS = {
    word: line.split(":")[0].strip()
    for line in re.sub(r"\n\s{8}", " ", _SYNONYM_TEXT).strip().splitlines()
    for word in line.split(":")[1].split()
}
_PHRASE_RE = re.compile(r"\b(?:" + "|".join(map(re.escape, _PHRASES)) + r")\b")


def stem(word: str) -> str:
    """A crude English stem: a plural, "-ing" or "-ed" off, then at most six letters."""
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    return word[:6]


def canonical(text: str) -> str:
    """`text` with the phrases that say one thing in other words replaced by that word."""
    return _PHRASE_RE.sub(lambda m: _PHRASES[m.group()], normalize(text))


def tokens(text: str) -> list[str]:
    """The stems of the words of `text` that carry meaning, in order, synonyms as one."""
    stems = _STEMS
    if len(stems) > 100_000:
        stems.clear()  # memory stays bounded whatever is searched
    found = []
    for word in _WORD.findall(canonical(text)):
        known = stems.get(word)
        if known is None:
            known = stems[word] = "" if word in STOP_WORDS else stem(_SYNONYMS.get(word, word))
        if known:
            found.append(known)
    return found


# Each word's stem ("" for a stop word), once worked out: a base has far fewer words than uses.
_STEMS: dict[str, str] = {}


@dataclass(frozen=True)
class SearchTerms:
    """What a query names: place groups, topics, year spans, and the remaining word stems."""

    places: tuple[tuple[str, frozenset[str]], ...] = ()  # (code named, it and its members)
    topics: tuple[str, ...] = ()
    years: tuple[Period, ...] = ()
    words: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.places or self.topics or self.years or self.words)


def _remove(text: str, phrase: str) -> str:
    """`text` without the first occurrence of `phrase`, as `find_in_text` reported it."""
    parts = [re.escape(p) for p in phrase.split()]
    if not parts:
        return text
    pattern = re.compile(r"(?<![\w’'])" + r"[^\w’'.-]+".join(parts) + r"(?:['’]s)?(?![\w’'])")
    return pattern.sub(" ", text, count=1)


def _found(index: NameIndex, text: str, *, forgive_typos: bool) -> tuple[list[str], str]:
    """Codes named in `text` (first mention order, no repeats) and the text without them."""
    codes: list[str] = []
    for code, phrase in index.find_in_text(text, forgive_typos=forgive_typos):
        text = _remove(text, phrase)
        if code not in codes:
            codes.append(code)
    return codes, text


def read_query(vocabulary: Vocabulary, text: str) -> SearchTerms:
    """Split a free-text query into places, topics, periods and other words, with the claim
    reader's periods ("the first half of 2020", "before the pandemic") and its words for the
    same thing ("send home" is remittances)."""
    from migfacts.claims import find_periods

    text = " ".join(text.split())
    place_codes, text = _found(vocabulary.places, text, forgive_typos=True)
    topic_ids, _ = _found(vocabulary.topics, canonical(text), forgive_typos=False)
    periods, spans = find_periods(text)
    for start, end in reversed(spans):
        text = text[:start] + " " + text[end:]
    return SearchTerms(
        places=tuple((code, vocabulary.expand_place(code)) for code in place_codes),
        topics=tuple(topic_ids),
        years=tuple(dict.fromkeys(p.period for p in periods)),
        # Topic words stay words too: "entry ban" ranks the entry ban above other bans.
        words=tuple(dict.fromkeys(tokens(text))),
    )


# What a question asks for, by unit: "how much money" is an amount in a currency.
_UNIT_WORDS = {
    "US dollars": "money amount dollars",
    "rubles": "money amount rubles",
    "percent of GDP": "share of GDP",
    "percent": "percent share rate",
}


def document(base: FactBase, fact: Fact) -> list[str]:
    """The word stems a fact is searched by."""
    labels = [base.topics[t].label for t in fact.topics if t in base.topics]
    names = [base.places[p].name for p in fact.places if p in base.places]
    unit = _UNIT_WORDS.get(fact.unit, fact.unit)
    parts = [fact.statement, fact.quote, fact.attribution or "", unit, *labels, *names]
    return tokens(" ".join(parts))


def idf(matching: int, total: int) -> float:
    """BM25's inverse document frequency: always positive, larger for rarer terms."""
    return math.log(1 + (total - matching + 0.5) / (matching + 0.5))


def _days(period: Period) -> int:
    return (period.end - period.start).days + 1


def _fit(period: Period, years: Period) -> float:
    if not period.overlaps(years):
        return 0.0
    start, end = max(period.start, years.start), min(period.end, years.end)
    covered = ((end - start).days + 1) / _days(period)
    return 0.5 + 0.5 * covered


@dataclass(frozen=True)
class Hit:
    fact: Fact
    score: float
    why: tuple[str, ...] = field(default=())  # what matched, for tests and curious users


@dataclass(frozen=True)
class _Corpus:
    """What a score needs to know of the whole base: how rare each term of the query is."""

    total: int  # facts in the base
    average: float  # search words per fact
    frequency: Mapping[str, int]  # in how many facts each word of the query occurs
    place_idf: list[float]
    topic_idf: list[float]
    year_idf: list[float]


@dataclass(frozen=True)
class _Seen:
    """What the score looks at in one fact: the same whether read from memory or the store."""

    places: Collection[str]  # its places (of the query's, at least)
    topics: Collection[str]  # its topics (of the query's, at least)
    period: Period
    counts: Mapping[str, int]  # how often each word (of the query's, at least) occurs
    length: int  # how many search words it has
    pairs: Container[tuple[str, str]]  # words side by side (the query's pairs, at least)


def _score(terms: SearchTerms, corpus: _Corpus, seen: _Seen) -> tuple[float, tuple[str, ...]]:
    """A fact's score for the query, and what matched."""
    total = corpus.total
    score, why = 0.0, []
    for (code, group), weight in zip(terms.places, corpus.place_idf, strict=True):
        if not group.isdisjoint(seen.places):
            score += STRUCTURED_WEIGHT * weight
            why.append(f"place:{code}")
    for topic, weight in zip(terms.topics, corpus.topic_idf, strict=True):
        if topic in seen.topics:
            score += STRUCTURED_WEIGHT * weight
            why.append(f"topic:{topic}")
    for span, weight in zip(terms.years, corpus.year_idf, strict=True):
        fit = _fit(seen.period, span)
        if fit:
            score += STRUCTURED_WEIGHT * weight * fit
            years = {span.start.year, span.end.year}
            why.append("year:" + "-".join(str(y) for y in sorted(years)))
    # Okapi BM25 over the words
    norm = 1 - B + B * seen.length / (corpus.average or 1.0)
    words, matched = 0.0, []
    for word in terms.words:
        tf = seen.counts.get(word, 0)
        if tf:
            weight = idf(corpus.frequency[word], total)
            words += weight * tf * (K1 + 1) / (tf + K1 * norm)
            matched.append(word)
    score += words
    for pair in itertools.pairwise(terms.words):
        if pair in seen.pairs:
            # The words as a phrase ("entry ban"), not only each somewhere.
            score += 0.5 * sum(idf(corpus.frequency[w], total) for w in pair)
            why.append(f"phrase:{' '.join(pair)}")
    why.extend(f"word:{w}" for w in matched)
    return score, tuple(why)


def _seen(base: FactBase, fact: Fact) -> _Seen:
    """What the score looks at in `fact`, from the fact itself."""
    stems = document(base, fact)
    return _Seen(
        fact.places,
        fact.topics,
        fact.interval,
        Counter(stems),
        len(stems),
        set(itertools.pairwise(stems)),
    )


def _order(hit: Hit) -> tuple[float, int, str]:
    """Best first; ties go to the newer period, then the id."""
    return (-hit.score, -hit.fact.interval.end.toordinal(), hit.fact.id)


def search_facts(base: FactBase, text: str, *, limit: int | None = None) -> list[Hit]:
    """The facts that match `text`, best first; at most `limit` of them.

    A base with a store is searched through its index (`store.Store.search_documents`),
    decoding only the facts returned; any other is searched in memory. Same answers.
    """
    vocabulary = Vocabulary(base)
    terms = read_query(vocabulary, text)
    if terms.empty:
        return []
    if base.store is not None:
        found = _search_stored(base, base.store, terms, limit)
        if found is not None:
            return found
    return _search_memory(base, terms, limit)


def _search_memory(base: FactBase, terms: SearchTerms, limit: int | None) -> list[Hit]:
    """Every fact read, and scored."""
    facts = list(base.facts)
    total = len(facts)
    seen = {fact.id: _seen(base, fact) for fact in facts}
    frequency: Counter[str] = Counter()
    for one in seen.values():
        frequency.update(one.counts.keys())
    lengths = sum(one.length for one in seen.values())

    def rarity(test: Iterable[bool]) -> float:
        return idf(sum(test), total)

    corpus = _Corpus(
        total=total,
        average=lengths / total if total else 0.0,
        frequency=frequency,
        place_idf=[
            rarity(not group.isdisjoint(f.places) for f in facts) for _, group in terms.places
        ],
        topic_idf=[rarity(topic in f.topics for f in facts) for topic in terms.topics],
        year_idf=[rarity(f.interval.overlaps(span) for f in facts) for span in terms.years],
    )
    hits = []
    for fact in facts:
        if terms.places and all(group.isdisjoint(fact.places) for _, group in terms.places):
            continue  # the question is about a place this fact does not speak of
        score, why = _score(terms, corpus, seen[fact.id])
        if score > 0:
            hits.append(Hit(fact, score, why))
    hits.sort(key=_order)
    return hits[:limit] if limit is not None else hits


def _stamp() -> str:
    """The code that makes a fact's search words: this module (its synonyms, its stems)."""
    from migfacts.store import code_stamp

    return code_stamp(["search"])


def _search_stored(
    base: FactBase, store: Store, terms: SearchTerms, limit: int | None
) -> list[Hit] | None:
    """The same hits, from the store's index: the statistics and the candidates are asked of
    it, and only the facts returned are read. None when the index cannot be used here.

    Each fact returned is scored again from its own (checked) record; an index that
    disagrees with it was changed by something else, and the store is removed.
    """
    import sqlite3

    names = {("place", code): place.name for code, place in base.places.items()}
    names.update({("topic", ident): topic.label for ident, topic in base.topics.items()})
    if not store.search_documents(_stamp(), names, lambda fact: document(base, fact)):
        return None
    try:
        total, lengths = store.search_totals()
        if total != store.count():
            return None  # the facts changed meanwhile: no index of them to trust
        frequency = {word: store.word_frequency(word) for word in terms.words}
        place_counts = [store.naming_count("place", group) for _, group in terms.places]
        topic_counts = [store.naming_count("topic", [topic]) for topic in terms.topics]
        year_counts = [store.period_count(s.start.isoformat(), s.end.isoformat())
                       for s in terms.years]  # fmt: skip
    except sqlite3.Error:
        return None  # locked for long, or an SQLite without what the index needs
    corpus = _Corpus(
        total=total,
        average=lengths / total if total else 0.0,
        frequency=frequency,
        place_idf=[idf(count, total) for count in place_counts],
        topic_idf=[idf(count, total) for count in topic_counts],
        year_idf=[idf(count, total) for count in year_counts],
    )
    counts = [*place_counts, *topic_counts, *year_counts]
    try:
        chosen = _best(terms, corpus, counts, store, limit)
    except sqlite3.Error:
        return None
    hits = []
    for start_at in range(0, len(chosen), PAGE):
        page = chosen[start_at : start_at + PAGE]
        facts = store.by_rowids([row[3] for row in page])
        for (negative, _end, ident, _rowid, (seen, why)), fact in zip(page, facts, strict=True):
            again = _score(terms, corpus, _seen(base, fact))
            if (fact.id, fact.interval, again) != (ident, seen.period, (-negative, why)):
                store.planted()
            hits.append(Hit(fact, -negative, why))
    return hits


_Best = tuple[float, int, str, int, tuple[_Seen, tuple[str, ...]]]

MAX_PARTS = 10  # more parts than this, and every fact with any of them is scored
MAX_GROUPS = 32  # likewise when the facts that can still win are described by more sets


@dataclass(frozen=True)
class _Part:
    """A part of the score: the query's `index`-th place, topic, year or word, and the set of
    facts (`store.SearchSet`) that have it."""

    kind: str
    index: int
    found: SearchSet


def _parts(terms: SearchTerms, corpus: _Corpus, counts: list[int]) -> list[_Part]:
    """The parts of the query that some fact has (`counts`: how many facts name each place,
    topic and year), each with its set of facts. A phrase is no part of its own: it adds to
    a score only where both its words do."""
    named: list[tuple[str, int, SearchSet]] = [
        *(("place", i, ("place", tuple(sorted(g)))) for i, (_, g) in enumerate(terms.places)),
        *(("topic", i, ("topic", topic)) for i, topic in enumerate(terms.topics)),
        *(
            ("years", i, ("years", s.start.isoformat(), s.end.isoformat()))
            for i, s in enumerate(terms.years)
        ),
    ]
    parts = [_Part(kind, i, found) for (kind, i, found), count in zip(named, counts, strict=True)
             if count]  # fmt: skip
    parts.extend(_Part("word", i, ("words", (word,))) for i, word in enumerate(terms.words)
                 if corpus.frequency[word])  # fmt: skip
    return parts


def _most(terms: SearchTerms, corpus: _Corpus, parts: Iterable[_Part]) -> float:
    """The most a fact with these parts (and no others) can score, added up as `_score` adds
    up what it finds, so that no score, rounded, exceeds it: a year fits at most 1, a word's
    BM25 term is below its idf times K1 + 1, and a phrase counts when both its words are
    there."""
    have = {(part.kind, part.index) for part in parts}
    total = corpus.total
    score = 0.0
    for kind, weights in (("place", corpus.place_idf), ("topic", corpus.topic_idf),
                          ("years", corpus.year_idf)):  # fmt: skip
        for i, weight in enumerate(weights):
            if (kind, i) in have:
                score += STRUCTURED_WEIGHT * weight
    words = 0.0
    for i, word in enumerate(terms.words):
        if ("word", i) in have:
            words += idf(corpus.frequency[word], total) * (K1 + 1)
    score += words
    index = {word: i for i, word in enumerate(terms.words)}
    for pair in itertools.pairwise(terms.words):
        if all(("word", index[w]) in have for w in pair):
            score += 0.5 * sum(idf(corpus.frequency[w], total) for w in pair)
    return score


def _best(
    terms: SearchTerms, corpus: _Corpus, counts: list[int], store: Store, limit: int | None
) -> list[_Best]:
    """The facts that score, best first, as (-score, -end of period, id, row, (what was seen,
    why)); at most `limit` of them. Only facts that can be among them are read.

    A fact's score is made of parts (`_parts`), each from a set of facts the store knows, and
    with a most it can add (`_most`). First the facts with all the parts (then all but the
    least, and so on, until there are `limit` hits) are scored, newest first: the last of
    the best `limit` of them sets the score to beat. Then every fact whose parts could add
    up to that score is scored: those in the sets of each smallest combination of parts that
    could (and, when no fact can score more than the one to beat, those no older than it).
    With places named, a fact must name one of them, as in memory.
    """
    parts = _parts(terms, corpus, counts)
    within = [part.found for part in parts if part.kind == "place"]
    if (terms.places and not within) or not parts:
        return []  # no fact names a place the query names, or has any part of the score
    places = sorted({code for _, group in terms.places for code in group})
    scored: dict[int, _Best] = {}
    looks: dict[tuple[Any, ...], tuple[float, int, tuple[_Seen, tuple[str, ...]]]] = {}
    pairs = list(itertools.pairwise(terms.words))

    def score(rowids: list[int]) -> None:
        new = [rowid for rowid in rowids if rowid not in scored]
        for rowid, ident, start, end, length, words, named, topics in store.search_rows(
            new, places, terms.topics
        ):
            tokens = words.split(" ")
            spaced = f" {words} "
            look = (
                named,
                topics,
                start,
                end,
                tuple([tokens.count(word) for word in terms.words]),
                length,
                tuple([f" {a} {b} " in spaced for a, b in pairs]),
            )
            known = looks.get(look)
            if known is None:
                seen = _Seen(
                    places=frozenset(json.loads(named)),
                    topics=frozenset(json.loads(topics)),
                    period=Period(date.fromisoformat(start), date.fromisoformat(end)),
                    counts={w: tf for w, tf in zip(terms.words, look[4], strict=True) if tf},
                    length=length,
                    pairs={pair for pair, side in zip(pairs, look[6], strict=True) if side},
                )
                points, why = _score(terms, corpus, seen)
                known = looks[look] = (-points, -seen.period.end.toordinal(), (seen, why))
            scored[rowid] = (known[0], known[1], ident, rowid, known[2])

    def best() -> list[_Best]:
        # The order of sorting them all (the ids are unique, so no two tie), without doing so.
        found = (entry for entry in scored.values() if entry[0] < 0)  # a positive score
        return heapq.nsmallest(limit, found) if limit is not None else sorted(found)

    if limit is None or len(parts) > MAX_PARTS:
        anything = [[part.found] for part in parts]
        score([row[0] for row in store.search_candidates(within, anything)])
        return best()
    most = _most(terms, corpus, parts)
    # Only a fact whose period lies within every year asked for can score the most.
    spans = [(part.found[1], part.found[2]) for part in parts if part.kind == "years"]
    beat, seeded = None, 0  # the hit to beat; the parts (a mask) whose facts were all scored
    kept = sorted(range(len(parts)), key=lambda i: -_most(terms, corpus, [parts[i]]))
    while kept and beat is None:
        # Those that could score the most first, then the newest: with many alike (a place
        # named alone), the first few are the answer.
        rows = store.search_candidates(
            within, [[parts[i].found for i in kept]], inside=spans, ranked=True
        )
        seeded = sum(1 << i for i in kept)
        size = 4 * limit
        while page := rows.fetchmany(size):
            score([row[0] for row in page])
            size *= 2
            if sum(1 for entry in scored.values() if entry[0] < 0) < limit:
                continue
            beat = best()[-1]
            if -beat[0] < most:
                continue
            # No fact can score more: one not within the years, or after it, cannot pass it.
            end, ident = date.fromordinal(-beat[1]).isoformat(), beat[2]
            following = rows.fetchone()
            if following is None:
                break
            inside = all(a <= following[1] and following[2] <= b for a, b in spans)
            if not (
                inside and (following[2] > end or (following[2] == end and following[3] < ident))
            ):
                seeded = 0  # nor can any after it, in this order
                break
            score([following[0]])
        rows.close()
        kept.pop()
    anything = [[part.found] for part in parts]  # any fact with any part
    if beat is None:
        score([row[0] for row in store.search_candidates(within, anything)])
        return best()
    bar = -beat[0]
    # The smallest combinations of parts that could reach the score to beat.
    groups: list[int] = []
    for mask in sorted(range(1, 1 << len(parts)), key=int.bit_count):
        if any(mask & group == group for group in groups):
            continue
        if _most(terms, corpus, [p for i, p in enumerate(parts) if mask >> i & 1]) >= bar:
            groups.append(mask)
    if seeded and all(mask & seeded == seeded for mask in groups):
        return best()  # every fact that can pass it has all the parts just scored
    sets = [[p.found for i, p in enumerate(parts) if mask >> i & 1] for mask in groups]
    if len(sets) > MAX_GROUPS:
        sets = anything
    if bar >= most:  # only a fact that scores the most, within the years, before it, can pass
        after = (date.fromordinal(-beat[1]).isoformat(), beat[2])
        rows = store.search_candidates(within, sets, after=after, inside=spans)
    else:
        rows = store.search_candidates(within, sets)
    score([row[0] for row in rows])
    return best()


# --- listing ----------------------------------------------------------------------------


def search_listing(base: FactBase, hits: list[Hit]) -> Listing:
    """The rows of `query`, best first; each JSON fact object gains its `score`."""
    from migfacts.listings import facts_listing

    listing = facts_listing(base, [hit.fact for hit in hits])
    for record, hit in zip(listing.records, hits, strict=True):
        record["score"] = round(hit.score, 3)
    return listing
