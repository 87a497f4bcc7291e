"""The one claim reader: a journalist's sentence (or a search question) read as a person would.

`read_claim` returns what `check` and `search` need, each found by the tool migfacts already
has for it (numbers by `numbers.find_numbers`, places and topics by the `NameIndex` of
`names.py`), and put together here:

- figures, each with its value and hedge, its unit family ("count", "US dollars", "percent",
  "percentage points", "percent of GDP", "times", a duration, a date or a calendar year), its
  direction ("fell", "contraction", "deficit" read as down), whether it is a change ("by 10
  percent", "grew 2.6%") or a level ("to 17 percent"), the period it belongs to, and the
  clause of the sentence it owns;
- periods as people write them: "in 2024", "by mid-2024", "between 2001 and 2011",
  "2024-25", "in January 2021", "the first half of 2020", "the five years to 2021", "before
  the pandemic". A relative year ("last year") is read only where a date anchors it, and a
  claim carries none, so it is left unread rather than guessed;
- places with the roles the words give them: a nationality ("Tajik nationals", "citizens of
  Tajikistan", "Uzbeks"), an origin ("from"), a destination ("to", "into"), where something
  is ("in"); a possessive ("Kazakhstan's economy") or an adjective before a thing ("the
  Russian border") names a place in any role, never a nationality;
- the content words that say what is measured.

Numbers inside names (COVID-19, Su-27, G20, Article 18) are not figures. Work is linear in the
length of the text, and a claim longer than `MAX_CLAIM_CHARS` is refused by the caller.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from migfacts.names import NameIndex, normalize
from migfacts.numbers import NumberMention, ParsedNumber, find_numbers
from migfacts.periods import MONTH_NAMES, Period

if TYPE_CHECKING:
    from migfacts.records import Place

MAX_CLAIM_CHARS = 2_000
MAX_LINE_CHARS = 100_000  # a paragraph of a draft; a longer line is no prose a person wrote

# A place named by its name, possessive or adjective is where, from where or to where;
# only a demonym for people ("Tajiks", "Uzbek workers") or "citizens of X" is a nationality.
ANY_ROLE = frozenset({"origin", "destination", "area"})
NATIONALITY_ROLES = frozenset({"nationality", "origin"})
# A flow's ends, named by a preposition: a place the fact has at the other end is the flow
# the wrong way round. Other roles are looser: "Uzbek migrants sent home" is money *to* UZ.
STRICT_ROLES = (frozenset({"origin"}), frozenset({"destination"}))
# Prepositions after which a place is neither where nor whose: "fighting for Russia",
# "initiated by Russia", "compared with Russia".
_OBLIQUE = frozenset({"for", "by", "with", "against", "than", "unlike", "like"})
_ROLE_WORDS = {
    "from": frozenset({"origin"}),
    "to": frozenset({"destination"}),
    "into": frozenset({"destination"}),
    "in": frozenset({"destination", "area"}),
    "inside": frozenset({"destination", "area"}),
    "within": frozenset({"destination", "area"}),
    "across": frozenset({"destination", "area"}),
}

# Nouns for people: an adjective of nationality before one of these ("Tajik nationals") is a
# nationality; before anything else ("the Russian border", "Kazakh economy") it is the place.
_PEOPLE_TEXT = """
    citizen citizens national nationals migrant migrants worker workers laborer laborers
    labourer labourers people person persons men women man woman emigrant emigrants immigrant
    immigrants student students resident residents soldier soldiers fighter fighters specialist
    specialists employee employees refugee refugees guest family families compatriot
    compatriots nationality natives native individuals victims workforce
"""
PEOPLE_NOUNS = frozenset(_PEOPLE_TEXT.split())

_CURRENCY_WORDS = re.compile(
    r"[.\s]*(?:dollars?|rubles?|roubles?|tenge|soms?|somoni|sums?|euros?|pounds?)\b",
    re.IGNORECASE,
)
_GLUED_TO_NAME = re.compile(r"[A-Za-z]-?$")
_NAME_WORD_BEFORE = re.compile(
    r"\b(?:article|section|chapter|paragraph|clause|no\.?|number|flight|item|part)\s$",
    re.IGNORECASE,
)

_DOWN_WORDS = r"""fell|fall|falls|falling|dropped|drop|drops|declined?|declines|decline|lost|loses|
    lose|shr[au]nk|shrinks|contract(?:ed|ion|s)?|decreased?|decreases|devalued|devaluation|plunged?|
    plunges|slumped?|slumps|down|deficit|loss|losses|lower|less|slid|slides|tumbled?|sank|sinks|
    cut|cuts|reduced?|reduction|collapsed?"""
_UP_WORDS = r"""rose|rise|rises|rising|grew|grow|grows|growth|growing|increased?|increases|
    gained?|gains|raised?|raises|surplus|higher|more|jumped?|jumps|surged?|surges|climbed?|
    climbs|soared?|soars|expanded?|expansion|doubled|tripled|bounced|rebounded|hike|hiked"""
_DOWN = re.compile(rf"^(?:{_DOWN_WORDS})$", re.IGNORECASE | re.VERBOSE)
_UP = re.compile(rf"^(?:{_UP_WORDS})$", re.IGNORECASE | re.VERBOSE)
_WORD = re.compile(r"[\w’'-]+")
_LIST_JOIN = re.compile(r"\s*(?:,|,?\s(?:and|or))\s*")
_POSSESSIVE = ("'s", "’s")


def is_direction_word(word: str) -> bool:
    """ "fell", "growth", "deficit": said of a figure's direction, compared apart from words."""
    return bool(_DOWN.match(word) or _UP.match(word))


_SHARE_OF_GDP = re.compile(
    r"^\W*(?:of|in)\s+(?:[\w’'-]+\s+){0,4}?(?:gdp|gross\sdomestic\sproduct)\b", re.IGNORECASE
)
_DURATION_AFTER = re.compile(r"^[\s-]*(years?|months?|weeks?|days?|decades?)\b", re.IGNORECASE)
_DURATIONS = {"year": "years", "month": "months", "week": "days", "day": "days", "decade": "years"}
_DURATION_FACTOR = {"week": 7, "decade": 10}

# --- periods --------------------------------------------------------------------------------

_MONTHS = "|".join(MONTH_NAMES)
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_PERIOD_RE = re.compile(
    rf"""
    (?P<between>\b(?:between|from)\s(?P<b1>{_YEAR})\s(?:and|to|until|till)\s(?P<b2>{_YEAR})\b)
  | (?P<span>\b(?P<s1>{_YEAR})\s?[-–/]\s?(?P<s2>{_YEAR}|\d\d)\b)
  | (?P<years_to>\b(?:the\s)?(?:past\s|last\s|previous\s)?
        (?P<n>\d{{1,2}}|two|three|four|five|six|seven|eight|nine|ten)\s(?P<span_unit>years?|decades?)
        \s(?:up\s)?(?:to|before|until|till|through)\s(?:(?:mid-?|early\s|late\s)?(?P<ty>{_YEAR}))\b)
  | (?P<relative>\b(?:(?:over|in|during|for)\s)?(?:the\s)?(?:past|last|previous)\s
        (?:\d{{1,2}}|two|three|four|five|six|seven|eight|nine|ten)\s(?:years|decades|months)\b
      | \b(?:\d{{1,2}}|two|three|four|five|six|seven|eight|nine|ten)\s(?:years|decades|months)
        \s(?:earlier|ago|later)\b)
  | (?P<earlier>\b(?:a|one)\syear\s(?:earlier|before)\b|\bthe\s(?:previous|preceding)\syear\b
        |\bthe\syear\sbefore\b)
  | (?P<later>\b(?:a|one)\syear\slater\b|\bthe\s(?:next|following)\syear\b)
  | (?P<afterpandemic>\b(?:in\s)?the\syear\safter\sthe\s(?:covid(?:-19)?\s)?pandemic\b)
  | (?P<half>\b(?:the\s)?(?P<which>first|second)\shalf\sof\s(?P<hy>{_YEAR})\b)
  | (?P<quarter>\b(?:the\s)?(?P<q>first|second|third|fourth)\squarter\sof\s(?P<qy>{_YEAR})\b)
  | (?P<qshort>\bQ(?P<qn>[1-4])\s(?P<qsy>{_YEAR})\b)
  | (?P<mid>\bmid-?(?P<my>{_YEAR})\b)
  | (?P<endof>\b(?:the\s)?end\sof\s(?P<ey>{_YEAR})\b)
  | (?P<month>\b(?P<mname>{_MONTHS})(?:\s\d{{1,2}}(?:st|nd|rd|th)?,?)?\s(?P<mys>{_YEAR})\b)
  | (?P<prepandemic>\bbefore\s(?:the\s)?
        (?:(?:covid(?:-19)?|coronavirus)(?:\s(?:pandemic|outbreak))?|pandemic|outbreak)\b)
  | (?P<pandemic>\b(?:during|amid)\s(?:the\s)?(?:covid(?:-19)?\s)?pandemic\b)
  | (?P<year>\b{_YEAR}\b)
    """,
    re.VERBOSE | re.IGNORECASE,
)
_QUARTERS = {"first": 1, "second": 2, "third": 3, "fourth": 4}
_SMALL = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
          "nine": 9, "ten": 10}  # fmt: skip
_MONTH_NUMBER = {name.lower(): number for number, name in enumerate(MONTH_NAMES, start=1)}


def _month_end(year: int, month: int) -> date:
    if month == 12:
        return date(year, 12, 31)
    return date.fromordinal(date(year, month + 1, 1).toordinal() - 1)


def _years(first: int, last: int) -> Period:
    return Period(date(first, 1, 1), date(last, 12, 31))


def _period_of(match: re.Match[str]) -> Period | None:
    g = match.group
    if g("between"):
        first, last = sorted((int(g("b1")), int(g("b2"))))
        return _years(first, last)
    if g("span"):
        first, second = int(g("s1")), g("s2")
        last = int(second) if len(second) == 4 else first // 100 * 100 + int(second)
        return _years(first, last) if last >= first else None
    if g("years_to"):
        count = int(g("n")) if g("n").isdigit() else _SMALL[g("n").lower()]
        if g("span_unit").lower().startswith("decade"):
            count *= 10
        return _years(int(g("ty")) - count, int(g("ty")))
    if g("relative") or g("earlier") or g("later"):
        # "the past two years": a claim carries no date to count back from; "a year
        # earlier" counts from the period named before it (find_periods).
        return None
    if g("afterpandemic"):
        return _years(2021, 2021)
    if g("half"):
        year = int(g("hy"))
        if g("which").lower() == "first":
            return Period(date(year, 1, 1), date(year, 6, 30))
        return Period(date(year, 7, 1), date(year, 12, 31))
    if g("quarter") or g("qshort"):
        year = int(g("qy") or g("qsy"))
        number = _QUARTERS[g("q").lower()] if g("q") else int(g("qn"))
        return Period(date(year, 3 * number - 2, 1), _month_end(year, 3 * number))
    if g("mid"):
        year = int(g("my"))
        return Period(date(year, 4, 1), date(year, 9, 30))
    if g("endof"):
        year = int(g("ey"))
        return Period(date(year, 10, 1), date(year, 12, 31))
    if g("month"):
        year, month = int(g("mys")), _MONTH_NUMBER[g("mname").lower()]
        return Period(date(year, month, 1), _month_end(year, month))
    if g("prepandemic"):
        # COVID-19 reached Central Asia and Russia in March 2020.
        return Period(date(2019, 1, 1), date(2020, 2, 29))
    if g("pandemic"):
        return Period(date(2020, 3, 1), date(2021, 12, 31))
    year = int(g("year"))
    return _years(year, year)


@dataclass(frozen=True, slots=True)
class PeriodMention:
    start: int
    end: int
    period: Period
    text: str
    up_to: bool = False  # "by mid-2024", "since 2016", "as of August 2024": a running total


_UP_TO = re.compile(r"\b(?:by|since|until|till|through|as\sof)\s(?:the\s)?$", re.IGNORECASE)


def find_periods(text: str) -> tuple[list[PeriodMention], list[tuple[int, int]]]:
    """Every period a sentence names, in order, and the spans of all period phrases (those
    that name no date, "the past two years", included): numbers in them are not figures."""
    found: list[PeriodMention] = []
    spans = []
    for match in _PERIOD_RE.finditer(text):
        spans.append(match.span())
        period = _period_of(match)
        shift = -1 if match.group("earlier") else 1 if match.group("later") else 0
        if shift and found:
            # "a year earlier": the year before the period the sentence last named.
            year = found[-1].period.start.year + shift
            period = _years(year, year)
        if period is not None:
            up_to = bool(_UP_TO.search(text[max(0, match.start() - 12) : match.start()]))
            found.append(PeriodMention(match.start(), match.end(), period, match.group(), up_to))
    return found, spans


# --- the reading ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ClaimPlace:
    code: str
    roles: frozenset[str]  # the roles the words give it; see `_place_roles`
    start: int
    end: int
    phrase: str
    possessive: bool = False  # "Russia's 2014 crackdown": it may qualify another noun
    oblique: bool = False  # "fighting for Russia", "initiated by Russia": not where or whose
    owner: bool = False  # "of Kyrgyzstan's remittances": the measure's own place


@dataclass(frozen=True, slots=True)
class ClaimFigure:
    """One figure of a claim, as a person reads it."""

    mention: NumberMention
    family: str  # a unit family; see the module docstring
    scale: float  # what turns the written value into the family's unit (a third → 33.3%)
    sign: int | None  # -1 down, +1 up, None when the words say neither
    change: bool  # a change ("by 10 percent") rather than a level ("to 17 percent")
    period: Period | None
    up_to: bool  # the period is where a running total stands ("by mid-2024")
    segment: tuple[int, int]  # the stretch of the sentence this figure owns
    clause: tuple[int, int]  # the clause it stands in, within its stretch
    hedge: str | None  # the number's hedge, or a verb's: "tops 100,000" is over 100,000
    counted: str | None  # for a count, the fact unit its noun names ("42,000 slots")

    @property
    def parsed(self) -> ParsedNumber:
        return self.mention.parsed

    @property
    def text(self) -> str:
        return self.mention.parsed.text


@dataclass(frozen=True, slots=True)
class ClaimReading:
    text: str
    figures: tuple[ClaimFigure, ...]
    periods: tuple[PeriodMention, ...]
    places: tuple[ClaimPlace, ...]
    topics: tuple[str, ...]
    words: tuple[str, ...]  # content words, lower case, without figures, places or periods
    year_only: bool  # the claim's only numbers are years or dates: it dates an event


def is_part_of_name(text: str, mention: NumberMention) -> bool:
    """COVID-19, Su-27, G20, Article 18: a number glued to a name is no figure."""
    if mention.parsed.hedge or not mention.parsed.text[:1].isdigit():
        return False
    before = text[max(0, mention.start - 20) : mention.start]
    return bool(_GLUED_TO_NAME.search(before) or _NAME_WORD_BEFORE.search(before))


def _family(parsed: ParsedNumber, text: str, end: int) -> tuple[str, float]:
    if parsed.currency == "USD":
        return "US dollars", 1.0
    if parsed.currency == "RUB":
        return "rubles", 1.0
    following = text[end : end + 60]
    if parsed.kind == "percent":
        if "point" in parsed.text.lower() or re.match(r"^\s*(?:percentage\s)?points?\b",
                                                      following, re.IGNORECASE):  # fmt: skip
            return "percentage points", 1.0
        return ("percent of GDP" if _SHARE_OF_GDP.search(following) else "percent"), 1.0
    if parsed.kind == "fraction":
        return ("percent of GDP" if _SHARE_OF_GDP.search(following) else "percent"), 100.0
    if parsed.kind == "multiplier":
        return "times", 1.0
    if parsed.kind == "date":
        return "date", 1.0
    if parsed.kind == "year":
        return "calendar year", 1.0
    words = re.split(r"[\s-]+", parsed.text.lower())
    unit_word = next((w.rstrip("s") for w in words if w.rstrip("s") in _DURATIONS), None)
    if unit_word is None:
        after = _DURATION_AFTER.match(following)
        unit_word = after.group(1).lower().rstrip("s") if after else None
    if unit_word is not None:
        return _DURATIONS[unit_word], float(_DURATION_FACTOR.get(unit_word, 1))
    return "count", 1.0


_VERB_HEDGES = {
    "tops": "over", "topped": "over", "top": "over", "exceeds": "over", "exceeded": "over",
    "surpassed": "over", "surpasses": "over", "passed": "over", "passes": "over",
    "exceeding": "over",
}  # fmt: skip


# The nouns that say what a count counts, as the fact format's units.
_COUNT_NOUN_TEXT = """
    people: people persons person citizens citizen nationals national migrants migrant workers
        worker laborers labourers foreigners residents individuals lives victims violators
        soldiers fighters specialists students emigrants immigrants men women children employees
        refugees deportees compatriots workforce
    quota places: slots slot quotas quota places
    laws: laws law
    regions: regions region
    criminal cases: cases case
    countries: countries country
    permits: permits permit visas visa patents patent
    border crossings: crossings crossing entries
"""
_COUNT_NOUNS = {
    word: line.split(":")[0].strip()
    for line in re.sub(r"\n\s{8}", " ", _COUNT_NOUN_TEXT).strip().splitlines()
    for word in line.split(":")[1].split()
}
_ADJECTIVE_TEXT = """new foreign criminal illegal undocumented domestic highly qualified labor
    labour migrant more other additional skilled"""
_ADJECTIVES = frozenset(_ADJECTIVE_TEXT.split())


def _counted(text: str, mention: NumberMention, clause: tuple[int, int]) -> str | None:
    """The unit a count's noun names: "42,000 slots" counts quota places, "1,700 foreigners"
    people. Adjectives and nationalities between are passed over. A figure with no noun of
    its own ("Uzbek workers … numbered some 90,000") counts what its clause names, if the
    clause names one kind of thing only."""
    for word in _WORD.findall(text[mention.end : mention.end + 60])[:4]:
        lowered = word.lower()
        if lowered in _COUNT_NOUNS:
            return _COUNT_NOUNS[lowered]
        if lowered in _ADJECTIVES or word[:1].isupper():
            continue
        if lowered not in _ENDS_A_NOUN_PHRASE:
            return None  # "eight types of services": a noun the reader does not know
        break
    named = {
        _COUNT_NOUNS[word.lower()]
        for word in _WORD.findall(text[clause[0] : mention.start])
        if word.lower() in _COUNT_NOUNS
    }
    return named.pop() if len(named) == 1 else None


# Words after which a figure has no noun of its own: "numbered some 90,000 in 2024".
_FUNCTION_WORDS = """in on at by are were was is be been to for and or from during this that last as
    a the"""
_ENDS_A_NOUN_PHRASE = frozenset(_FUNCTION_WORDS.split())


def _verb_hedge(text: str, mention: NumberMention) -> str | None:
    before = _words_between(text, mention.start - 20, mention.start)
    return _VERB_HEDGES.get(before[-1]) if before else None


def _words_between(text: str, start: int, end: int) -> list[str]:
    return [w.lower() for w in _WORD.findall(text[max(0, start) : max(start, end)])]


_COMPARATIVES = frozenset({"more", "less", "higher", "lower", "fewer"})


def _direction(
    text: str, mention: NumberMention, segment: tuple[int, int], family: str
) -> int | None:
    """The direction word nearest the figure within its clause: a few words either side."""
    # (DIRECTION_WORDS, below, keeps these words out of what a figure is said to measure.)
    # The hedge ("more than 140") is the figure's, not a direction.
    hedge_start = mention.start - len(mention.parsed.hedge or "") - 1
    before = _words_between(text, segment[0], min(mention.start, hedge_start))[-6:]
    after = _words_between(text, mention.end, segment[1])[:4]
    ordered = [*reversed(before), *after]
    for word in ordered:
        if word in _COMPARATIVES and family not in ("percent", "percentage points", "times"):
            continue  # "108,000 more people emigrated than immigrated" is a difference
        if _DOWN.match(word):
            return -1
        if _UP.match(word):
            return 1
    return None


def _is_change(text: str, figure: NumberMention, family: str, sign: int | None) -> bool:
    """ "by 10 percent", "grew 2.6%", "a 22% drop", "27% more than": a change, not a level."""
    if family == "times":
        return True
    before = _words_between(text, figure.start - 30, figure.start)[-2:]
    if before and before[-1] == "to":
        return False
    if before and before[-1] == "by":
        return True
    if family in ("percent", "percentage points"):
        return sign is not None
    return False


def _segments(text: str, mentions: list[NumberMention]) -> list[tuple[int, int]]:
    """Each figure owns the text from the previous figure's end to the next figure's start."""
    bounds = []
    for index in range(len(mentions)):
        start = mentions[index - 1].end if index else 0
        end = mentions[index + 1].start if index + 1 < len(mentions) else len(text)
        bounds.append((start, end))
    return bounds


def _figure_periods(
    mentions: list[NumberMention], periods: list[PeriodMention]
) -> list[PeriodMention | None]:
    """Each figure's period: the one right after it, else the one in its own stretch, else a
    period that opens the sentence before any figure ("In 2024, … $14.8 billion … 13%")."""
    result: list[PeriodMention | None] = []
    leading = [p for p in periods if mentions and p.end <= mentions[0].start]
    taken: PeriodMention | None = None  # the period the figure before took as its own
    for index, mention in enumerate(mentions):
        next_start = mentions[index + 1].start if index + 1 < len(mentions) else 10**9
        previous_end = mentions[index - 1].end if index else 0
        after = [p for p in periods if mention.end <= p.start < next_start]
        before = [
            p for p in periods
            if previous_end <= p.start and p.end <= mention.start and p is not taken
        ]  # fmt: skip
        taken = after[0] if after else None
        if after:
            result.append(after[0])
        elif before:
            result.append(before[-1])
        elif leading:
            result.append(leading[-1])
        else:
            result.append(None)
    return result


def _place_roles(text: str, start: int, end: int, phrase: str, place: Place) -> frozenset[str]:
    before = _words_between(text, start - 40, start)
    after = _WORD.findall(text[end : end + 40])
    previous = before[-1] if before else ""
    next_word = after[0].lower() if after else ""
    is_demonym = normalize(phrase) in {normalize(d) for d in place.demonyms}
    possessive = text[end : end + 2] in _POSSESSIVE or phrase.endswith(_POSSESSIVE)
    if possessive:
        return ANY_ROLE
    if is_demonym:
        # "Tajiks", "Tajik nationals", "Uzbek migrant workers": people of that nationality.
        # "the Russian border", "Kazakh economy": the place itself.
        noun_window = [w.lower() for w in after[:3]]
        if phrase.lower().endswith("s") and phrase.lower() not in ("swiss",):
            return NATIONALITY_ROLES
        if any(word in PEOPLE_NOUNS for word in noun_window[:2]):
            return NATIONALITY_ROLES
        if not next_word or not after[0][:1].isalpha():
            return NATIONALITY_ROLES  # "… of 14,000 Tajik." / "Kyrgyz, Tajik and"
        return ANY_ROLE
    if previous == "of" and len(before) >= 2 and before[-2] in PEOPLE_NOUNS:
        return NATIONALITY_ROLES  # "citizens of Tajikistan"
    if previous == "from" and len(before) >= 2 and before[-2] in ("apart", "aside"):
        return ANY_ROLE  # "apart from Russia": besides, not out of
    if previous in _ROLE_WORDS:
        return _ROLE_WORDS[previous]
    return ANY_ROLE


def _find_places(
    text: str,
    index: NameIndex,
    places: dict[str, Place],
    *,
    proper_nouns: bool,
    every_mention: bool = False,
) -> list[ClaimPlace]:
    found: list[ClaimPlace] = []
    cursor = 0
    # A name where it first occurs or, with `every_mention`, every time ("the Uzbek agency ...
    # 70,000 Uzbek citizens"); a longer name before a shorter one it contains.
    named = index.find_in_text(text, forgive_typos=proper_nouns, capitalized_typos=True)
    spans = sorted(
        ((start, -len(phrase), code, phrase) for code, phrase in named
         for start in _locate_all(text, phrase, cursor)[: None if every_mention else 1]),
    )  # fmt: skip
    taken_until = -1
    for start, _length, code, phrase in spans:
        if start < 0 or (every_mention and start < taken_until):
            continue
        end = start + len(phrase)
        taken_until = max(taken_until, end)
        name = phrase[4:] if phrase.lower().startswith("the ") else phrase
        if proper_nouns and not (name[:1].isupper() or name[:1].isdigit()):
            continue  # "state", "union", "turkey" in prose are words, not places
        if _CURRENCY_WORDS.match(text, end):
            continue  # "U.S. dollar", "Russian rubles", "Kyrgyz som": a currency, not a place
        roles = _place_roles(text, start, end, phrase, places[code])
        possessive = text[end : end + 2] in _POSSESSIVE or phrase.endswith(_POSSESSIVE)
        before = _words_between(text, start - 12, start)
        oblique = (
            roles == ANY_ROLE
            and bool(before)
            and (before[-1] in _OBLIQUE or before[-2:] in (["apart", "from"], ["aside", "from"]))
        )
        if found and _LIST_JOIN.fullmatch(text[found[-1].end : start]):
            # "citizens of Uzbekistan, Kazakhstan and Kyrgyzstan": a list shares its role.
            roles, oblique = found[-1].roles, found[-1].oblique
        owner = (
            possessive
            and bool(before)
            and before[-1] in ("of", "the")
            and (before[-1] == "of" or (len(before) > 1 and before[-2] == "of"))
        )
        found.append(ClaimPlace(code, roles, start, end, phrase, possessive, oblique, owner))
    return found


def _locate_all(text: str, phrase: str, cursor: int) -> list[int]:
    pattern = re.compile(r"(?<![\w’'])" + re.escape(phrase) + r"(?![\w])")
    found = [match.start() for match in pattern.finditer(text)]
    return found or [text.find(phrase)]


def read_claim(
    text: str,
    places: NameIndex,
    topics: NameIndex,
    place_records: dict[str, Place],
    *,
    proper_nouns: bool = True,
    every_mention: bool = False,
) -> ClaimReading:
    """Read one sentence: figures, periods, places with roles, topics and content words."""
    text = " ".join(text.split())
    periods, period_spans = find_periods(text)

    def inside_period(mention: NumberMention) -> bool:
        return any(s <= mention.start and mention.end <= e for s, e in period_spans)

    mentions = [m for m in find_numbers(text) if not is_part_of_name(text, m)]
    figures_only = [
        m for m in mentions
        if m.parsed.kind != "year" and not inside_period(m) and not _is_rate(text, m, mentions)
    ]  # fmt: skip
    year_only = not any(m.parsed.kind != "date" for m in figures_only)
    if year_only:
        # A claim whose only numbers are years or dates dates an event: its years are its
        # figures, compared with the facts that date that event.
        figures_only = [m for m in mentions if m.parsed.kind in ("year", "date")]
    segments = _segments(text, figures_only)
    figure_periods = (
        _figure_periods(figures_only, periods) if not year_only else [None] * len(figures_only)
    )
    attributions = [m.span() for m in _ATTRIBUTION.finditer(text)]
    figures = []
    for mention, segment, period in zip(figures_only, segments, figure_periods, strict=True):
        family, scale = _family(mention.parsed, text, mention.end)
        sign = _direction(text, mention, segment, family)
        clause = _clause(text, mention, segment)
        figures.append(ClaimFigure(
            mention, family, scale, sign, _is_change(text, mention, family, sign),
            period.period if period else None, bool(period and period.up_to),
            segment, clause, _hedge(text, mention, family),
            _counted(text, mention, clause) if family == "count" else None,
        ))  # fmt: skip
    claim_places = [
        place
        for place in _find_places(
            text, places, place_records, proper_nouns=proper_nouns, every_mention=every_mention
        )
        if not any(start <= place.start < end for start, end in attributions)
    ]  # fmt: skip
    topic_ids = tuple(dict.fromkeys(code for code, _ in topics.find_in_text(text)))
    words = _content_words(text, figures, periods, claim_places)
    return ClaimReading(text, tuple(figures), tuple(periods), tuple(claim_places), topic_ids,
                        tuple(words), year_only)  # fmt: skip


# Who says it is not what is measured: places in "according to Kyrgyzstan's ministry" or
# ", Uzbek ministry data show" name the source, not the figure. What follows the verb is the
# source's words only when a few words end the sentence: in ", X estimated the total of
# migrants in Kazakhstan stood at 2 million" or ", X said that ...", the rest is the claim.
_ATTRIBUTION = re.compile(
    r"\baccording\sto\b[^,;.]*"
    r"|,\s[^,;]*?\b(?:said|says|say|reported|reports|told|estimates?|estimated|show|shows|"
    r"showed|found|finds|claims?|notes?|noted)\b(?:\s(?!that\b)[^\s,;]+){0,5}\s*(?=[.;!?]|$)",
    re.IGNORECASE,
)
_CLAUSE_BREAK = re.compile(r"[,;:()—–]|\s-\s")


def _clause(text: str, mention: NumberMention, segment: tuple[int, int]) -> tuple[int, int]:
    """The clause around a figure: from the punctuation before it to the punctuation after,
    within its own stretch of the sentence. Commas inside figures ("978,216") don't count."""
    start, end = segment
    for match in _CLAUSE_BREAK.finditer(text, start, mention.start):
        start = match.end()
    after = _CLAUSE_BREAK.search(text, mention.end, end)
    return (start, after.start() if after else end)


def _is_rate(text: str, mention: NumberMention, mentions: list[NumberMention]) -> bool:
    """ "$13.5 billion a year": "a year" right after a figure says per year; no figure."""
    if not mention.parsed.text.lower().startswith(("a ", "an ", "per ")):
        return False
    if mention.parsed.kind != "count" or mention.parsed.low != 1:
        return False
    return any(0 <= mention.start - other.end <= 2 for other in mentions if other is not mention)


_DURING_VERBS = frozenset(
    ["ran", "run", "runs", "lasted", "last", "lasts", "took", "held", "continued", "stretched"]
)


def _hedge(text: str, mention: NumberMention, family: str) -> str | None:
    """The number's hedge, or a verb's ("tops 100,000"); "ran over three days" is during."""
    hedge = mention.parsed.hedge or _verb_hedge(text, mention)
    if hedge == "over" and family in ("years", "months", "days"):
        start = mention.start - len(mention.parsed.hedge or "") - 1
        before = _words_between(text, start - 20, start)
        if before and before[-1] in _DURING_VERBS:
            return None
    return hedge


def _content_words(
    text: str,
    figures: list[ClaimFigure],
    periods: list[PeriodMention],
    places: list[ClaimPlace],
) -> list[str]:
    spans = sorted(
        [
            (
                f.mention.start - len(f.hedge or "") - 1
                if f.mention.parsed.hedge
                else f.mention.start,
                f.mention.end,
            )
            for f in figures
        ]
        + [(p.start, p.end) for p in periods]
        + [(p.start, p.end) for p in places]
    )
    kept, cursor = [], 0
    for start, end in spans:
        if start >= cursor:
            kept.append(text[cursor:start])
        cursor = max(cursor, end)
    kept.append(text[cursor:])
    return [w.lower() for w in _WORD.findall(" ".join(kept))]


# --- sentences ------------------------------------------------------------------------------

_ABBREVIATION_TEXT = """
    mr mrs ms dr st no nos vs etc e.g i.e jan feb mar apr jun jul aug sep sept oct nov dec
    gen col lt sgt prof inc ltd co corp approx est fig p pp vol ed eds govt dept
"""
_ABBREVIATIONS = frozenset(_ABBREVIATION_TEXT.split())
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence: split after . ! ? before a capital or a digit, but not
    after an abbreviation ("Mr.", "Jan.") or an initial ("U.S.", "A.")."""
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        words = text[start : match.start() + 1].rsplit(None, 1)
        token = words[-1].lower().rstrip(".!?…") if words else ""
        if token in _ABBREVIATIONS or re.fullmatch(r"(?:[a-z]\.)*[a-z]", token):
            continue
        spans.append((start, match.start() + len(match.group().rstrip())))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return [(s, e) for s, e in spans if text[s:e].strip()]


@dataclass(frozen=True, slots=True)
class ClaimLine:
    """A claim to check, as found in what the user gave: one sentence, and where it was."""

    text: str
    line: int  # the line it starts on, counting from 1
    in_draft: bool  # one of several sentences of prose, not a claim given on its own


class ClaimTooLong(ValueError):
    """A sentence longer than any a person writes as one claim."""

    def __init__(self, line: int, length: int, limit: int = MAX_CLAIM_CHARS,
                 what: str = "a sentence") -> None:  # fmt: skip
        super().__init__(
            f"line {line}: {what} of {length:,} characters; migfacts reads {what.split()[-1]}s "
            f"of at most {limit:,} (split it, or check a draft with full stops)"
        )


def claims_in(text: str) -> list[ClaimLine]:
    """The claims in a text: one per line, or, for prose, one per sentence.

    A line that is one sentence is one claim, as in a list of claims (a headline without a
    full stop included). A line of several sentences is prose: each sentence is a claim of
    the draft. A line that ends mid-sentence and a next line that starts in lower case are
    one hard-wrapped sentence.
    """
    # Each paragraph: its text, and where each of its lines starts in it.
    paragraphs: list[tuple[str, list[tuple[int, int]]]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if len(raw) > MAX_LINE_CHARS:
            raise ClaimTooLong(number, len(raw), MAX_LINE_CHARS, "a line")
        line = " ".join(raw.split())
        if not line:
            continue
        if paragraphs and line[:1].islower() and not paragraphs[-1][0].endswith(_ENDINGS):
            previous, starts = paragraphs[-1]
            paragraphs[-1] = (f"{previous} {line}", [*starts, (len(previous) + 1, number)])
        else:
            paragraphs.append((line, [(0, number)]))
    found = []
    for paragraph, starts in paragraphs:
        spans = split_sentences(paragraph)
        for start, end in spans:
            sentence = paragraph[start:end].strip()
            number = max(n for offset, n in starts if offset <= start)
            if len(sentence) > MAX_CLAIM_CHARS:
                raise ClaimTooLong(number, len(sentence))
            found.append(ClaimLine(sentence, number, len(spans) > 1))
    return found


_ENDINGS = (".", "!", "?", "…", '"', "”", "'", "’")
