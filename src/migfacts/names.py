"""The one resolver for names: places (countries, regions, unions) and topics.

A user may type "Kyrgyz", "kyrgyzstan", "KGZ", "Kirghiz" or "Kyrgyz Republic" for KG, and
"money transfers" for remittances. Matching ignores case, accents, dots ("U.K.") and a
leading "the"; an unknown name gets the closest known names as suggestions.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING

from migfacts.errors import UsageError
from migfacts.values import valueclass

if TYPE_CHECKING:
    from migfacts.records import Place, Topic

Entry = tuple[str, str, tuple[str, ...]]


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _unless_mark(match: re.Match[str]) -> str:
    return "" if unicodedata.combining(match.group()) else match.group()


@lru_cache(maxsize=1 << 16)
def normalize(name: str) -> str:
    """Fold a name for comparison: no accents, no case, no dots or possessive 's."""
    decomposed = unicodedata.normalize("NFKD", name)
    # Marks are dropped; only non-ASCII characters can be marks, so only they are looked at.
    text = _NON_ASCII.sub(_unless_mark, decomposed).casefold()
    text = text.replace("’", "'").replace(".", "")
    text = re.sub(r"'s\b", "", text)
    text = re.sub(r"[^\w\s-]", " ", text)
    text = " ".join(text.split())
    return text.removeprefix("the ")


@valueclass(frozen=True)
class NameIndex:
    """Names of one vocabulary (places or topics) mapped to their codes."""

    kind: str  # "place" or "topic", for messages
    codes: dict[str, str]  # normalized name -> code
    labels: dict[str, str]  # code -> display label, e.g. "Kyrgyzstan (KG)"

    @classmethod
    def build(cls, kind: str, entries: Iterable[tuple[str, str, Iterable[str]]]) -> NameIndex:
        """Entries are (code, label, names); the code itself is always a name."""
        codes: dict[str, str] = {}
        labels: dict[str, str] = {}
        for code, label, names in entries:
            labels[code] = label
            for name in (code, *names):
                key = normalize(name)
                # First definition wins; duplicates are reported by `validate`.
                codes.setdefault(key, code)
        return cls(kind, codes, labels)

    def clashes(
        self, entries: Iterable[tuple[str, str, Iterable[str]]]
    ) -> Iterator[tuple[str, str, str]]:
        """Names that two entries both claim: (the name, the first code, the later code)."""
        seen: dict[str, str] = {}
        for code, _label, names in entries:
            for name in dict.fromkeys((code, *names)):
                key = normalize(name)
                if key in seen and seen[key] != code:
                    yield name, seen[key], code
                seen.setdefault(key, code)

    @cached_property
    def _longest(self) -> int:
        """The most words in one name."""
        return max((len(key.split()) for key in self.codes), default=1)

    @cached_property
    def _long_names(self) -> list[str]:
        # Only long names are worth forgiving ("Kazakstan"); a short word such as "State"
        # near "states" (the States) is an ordinary word.
        return [key for key in self.codes if len(key) >= 7]

    def lookup(self, name: str) -> str | None:
        return self._lookup_key(normalize(name))

    def _lookup_key(self, key: str) -> str | None:
        found = self.codes.get(key)
        # Places are proper names: "State" is not "the States". Topics are words.
        if found is None and len(key) > 3 and self.kind != "place":
            # "money transfer" finds "money transfers", "deportation" finds "deportations".
            found = self.codes.get(key[:-1] if key.endswith("s") else key + "s")
        return found

    def resolve(self, name: str) -> str:
        """The code for `name`, or a UsageError that suggests the closest names."""
        code = self.lookup(name)
        if code is not None:
            return code
        raise UsageError(f"unknown {self.kind} {name!r}{self.suggest(name)}")

    def suggest(self, name: str) -> str:
        import difflib  # only on the way to an error message

        close = difflib.get_close_matches(normalize(name), self.codes, n=6, cutoff=0.6)
        suggestions = list(dict.fromkeys(self.labels[self.codes[key]] for key in close))[:3]
        if not suggestions:
            return f"; `migfacts {self.kind}s` lists them all"
        return "; did you mean " + ", ".join(suggestions) + "?"

    def find_in_text(
        self, text: str, *, forgive_typos: bool = False, capitalized_typos: bool = False
    ) -> list[tuple[str, str]]:
        """Codes named in free text, as (code, the words that named it), longest names first.

        With `forgive_typos`, a single word of five letters or more that is close to a known
        name ("Kazakstan", "Tajikstan") counts too; with `capitalized_typos`, only a
        capitalised one (prose, where a name is capitalised and a word is not).
        """
        words = re.findall(r"[\w’'.-]+", text)
        # Each word is folded once; a phrase's key is its folded words (what `normalize`
        # makes of the whole phrase), so a long text costs a pass per phrase length.
        folded = [normalize(word) for word in words]
        found: list[tuple[str, str]] = []
        used = [False] * len(words)
        for size in range(min(self._longest, 5), 0, -1):
            for start in range(len(words) - size + 1):
                if any(used[start : start + size]):
                    continue
                phrase = " ".join(words[start : start + size]).strip(".-")
                if len(phrase) <= 3 and not phrase.isupper():
                    continue  # "us", "am", "it" in prose are words, not US, AM, IT
                key = " ".join(w for w in folded[start : start + size] if w).strip("-")
                code = self._lookup_key(key.removeprefix("the "))
                if (
                    code is None
                    and size == 1
                    and forgive_typos
                    and len(phrase) >= 5
                    # In prose, names are capitalised: a lower-case "transfers" is a word.
                    and (phrase[:1].isupper() or not capitalized_typos)
                ):
                    import difflib

                    close = difflib.get_close_matches(
                        normalize(phrase), self._long_names, n=1, cutoff=0.85
                    )
                    code = self.codes[close[0]] if close else None
                if code is not None:
                    found.append((code, phrase))
                    for index in range(start, start + size):
                        used[index] = True
        return found


def place_entries(places: Iterable[Place]) -> list[Entry]:
    """A place answers to its code, name, aliases and demonyms."""
    return [(p.code, f"{p.name} ({p.code})", (p.name, *p.aliases, *p.demonyms)) for p in places]


def topic_entries(topics: Iterable[Topic]) -> list[Entry]:
    """A topic answers to its id, label and aliases."""
    return [(t.id, t.id, (t.label, *t.aliases)) for t in topics]


def place_index(places: Iterable[Place]) -> NameIndex:
    return NameIndex.build("place", place_entries(places))


def topic_index(topics: Iterable[Topic]) -> NameIndex:
    return NameIndex.build("topic", topic_entries(topics))
