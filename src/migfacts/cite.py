"""Citations of a fact's source, ready to paste: plain, markdown, APA, Chicago, BibTeX, CSL-JSON.

What the fact base does not know stays unknown here too. An inferred publication date is
marked as inferred in every style (and its reason given where the style has room for it); a
date known only by its bounds (`2025-03/2025-04-24`) is given as that range, never as a day;
an article that names no author gets none (the outlet or the title stands in, as each style
says); a source without a URL is cited without one; a text republished by someone other than
its outlet (`republished_in`) is named beside the URL that points to it. Text from the base
is printed as written: nothing in it is read as markup, and where a style is itself markup
(markdown; apa and chicago with `markup="markdown"` or `"html"`; BibTeX) the characters that
would be taken for markup are escaped so they print literally. apa and chicago are plain text
by default, so they paste cleanly into a word processor.
Control and bidi characters go through the one sanitiser (`safety.py`): shown as visible
escapes in the text styles (escaped before a style's own escaping, so BibTeX and markdown
print the escape itself), as JSON escapes in CSL-JSON.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from migfacts.errors import UsageError
from migfacts.periods import MONTH_NAMES
from migfacts.present import figure
from migfacts.records import Fact, FactBase, Source
from migfacts.safety import safe_json, safe_text

STYLES = ("plain", "markdown", "apa", "chicago", "chicago-note", "bibtex", "csl-json")
MARKUPS = ("plain", "markdown", "html")


@dataclass(frozen=True, slots=True)
class _Markup:
    """How apa and chicago write italics: not at all (plain text pastes cleanly into a word
    processor), as markdown `*…*`, or as HTML `<i>…</i>`; text is escaped to match."""

    name: str

    def text(self, text: str) -> str:
        if self.name == "markdown":
            return _md(text)
        if self.name == "html":
            import html

            return html.escape(text, quote=False)
        return text

    def italic(self, text: str) -> str:
        if self.name == "markdown":
            return f"*{_md(text)}*"
        if self.name == "html":
            return f"<i>{self.text(text)}</i>"
        return text

    def line(self, text: str) -> str:
        return _md_line(text) if self.name == "markdown" else text


# Small words APA keeps in lower case inside a title; the rest of a Title Case title is
# lowered too, except names (the base's places, their demonyms) and acronyms.
_MINOR = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "but",
        "by",
        "for",
        "from",
        "in",
        "into",
        "nor",
        "of",
        "on",
        "or",
        "over",
        "per",
        "the",
        "to",
        "up",
        "via",
        "with",
    ]
)


def sentence_case(title: str, names: frozenset[str] = frozenset()) -> str:
    """APA's sentence case for an article title written in Title Case.

    A title already in sentence case ("Migrants from Central Asia have become interested in
    the West") is left as written, since its capitals are the author's names. In a Title Case
    title, a word keeps its capital when it starts the title or follows a colon, is an
    acronym, or is one of `names` (places and demonyms).
    """
    words = title.split(" ")
    content = [w for w in words[1:] if w[:1].isalpha() and w.lower() not in _MINOR]
    if not content or not all(w[:1].isupper() for w in content):
        return title
    result = []
    capital_next = True
    for word in words:
        bare = word.strip("“”\"'‘’?!.,;:()")
        stem = re.sub(r"['’]s$", "", bare)
        keep = capital_next or (bare.isupper() and len(bare) > 1) or stem in names or bare in names
        result.append(word if keep else word.lower())
        capital_next = word.endswith((":", "?", "!", "—"))
    return " ".join(result)


def _names(base: FactBase) -> frozenset[str]:
    """Proper names a title may hold: every word of the base's place names and demonyms."""
    found: set[str] = {"I"}
    for place in base.places.values():
        for name in (place.name, *place.aliases, *place.demonyms):
            found.update(word for word in name.split() if word[:1].isupper())
    return frozenset(found)


_POINT = re.compile(r"^(?P<y>\d{4})(?:-(?:Q(?P<q>[1-4])|(?P<m>\d{2})(?:-(?P<d>\d{2}))?))?$")


# --- dates ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Day:
    """A date known to the year, the month or the day."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def parts(self) -> list[int]:
        """CSL date-parts: only what is known."""
        return [part for part in (self.year, self.month, self.day) if part is not None]

    @property
    def iso(self) -> str:
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
            if self.day is not None:
                text += f"-{self.day:02d}"
        return text


@dataclass(frozen=True, slots=True)
class _Published:
    """When a source was published: a day, month or year, or a range known by its bounds."""

    start: _Day
    end: _Day | None  # None: a single date, not a range
    inferred: bool
    reason: str | None

    @property
    def edtf(self) -> str:
        """ISO 8601 / EDTF, the form biblatex reads: `2021-06-04`, `2025-03/2025-04-24`."""
        return self.start.iso if self.end is None else f"{self.start.iso}/{self.end.iso}"


def _endpoints(text: str) -> tuple[_Day, _Day]:
    """A period point as its first and last known date: a quarter is its months."""
    match = _POINT.match(text.strip())
    if match is None:
        raise ValueError(f"{text!r} is not a publication date")
    year = int(match["y"])
    if match["q"]:
        first = 3 * (int(match["q"]) - 1) + 1
        return _Day(year, first), _Day(year, first + 2)
    month = int(match["m"]) if match["m"] else None
    day = int(match["d"]) if match["d"] else None
    point = _Day(year, month, day)
    return point, point


def _published(source: Source) -> _Published:
    first, _, last = source.published.partition("/")
    start, end = _endpoints(first)
    if last:
        end = _endpoints(last)[1]
    return _Published(
        start=start,
        end=None if end == start else end,
        inferred=source.published_basis == "inferred",
        reason=source.published_note,
    )


def _day_month_year(day: _Day, *, year: bool = True, month: bool = True) -> str:
    """International order, as plain and markdown print it: `4 June 2021`, `March 2025`."""
    words = []
    if day.month is not None:
        if day.day is not None:
            words.append(str(day.day))
        if month:
            words.append(MONTH_NAMES[day.month - 1])
    if year:
        words.append(str(day.year))
    return " ".join(words)


def _human_date(date: _Published) -> str:
    """`4 June 2021`; a range: `between March and 24 April 2025`."""
    start, end = date.start, date.end
    if end is None:
        return _day_month_year(start)
    same_year = start.year == end.year and start.month is not None and end.month is not None
    same_month = (
        same_year and start.month == end.month and start.day is not None and end.day is not None
    )
    first = _day_month_year(start, year=not same_year, month=not same_month)
    return f"between {first} and {_day_month_year(end)}"


def _apa_point(day: _Day, *, year: bool = True) -> str:
    """`2021, June 4`; without the year: `June 4`."""
    parts = [str(day.year)] if year else []
    if day.month is not None:
        month = MONTH_NAMES[day.month - 1]
        parts.append(month if day.day is None else f"{month} {day.day}")
    return ", ".join(parts)


def _apa_date(date: _Published) -> str:
    """APA's date: `2021, June 4`; a range as APA writes one: `2025, March–April 24`."""
    start, end = date.start, date.end
    if end is None:
        text = _apa_point(start)
    elif start.year == end.year and start.month is not None and end.month is not None:
        if start.month == end.month and start.day is not None and end.day is not None:
            text = f"{_apa_point(start)}–{end.day}"
        else:
            text = f"{_apa_point(start)}–{_apa_point(end, year=False)}"
    else:
        text = f"{_apa_point(start)}–{_apa_point(end)}"
    return text + _bracket_mark(date)


def _chicago_point(day: _Day, *, year: bool = True) -> str:
    """`June 4, 2021`, `June 2021`, `2021`; without the year: `June 4`, `June`."""
    if day.month is None:
        return str(day.year) if year else ""
    month = MONTH_NAMES[day.month - 1]
    text = month if day.day is None else f"{month} {day.day}"
    if not year:
        return text
    return f"{text}, {day.year}" if day.day is not None else f"{text} {day.year}"


def _chicago_date(date: _Published) -> str:
    """Chicago's date: `June 4, 2021`; a range: `March–April 24, 2025`."""
    start, end = date.start, date.end
    if end is None:
        text = _chicago_point(start)
    elif start.year == end.year and start.month is not None and end.month is not None:
        if start.month == end.month and start.day is not None and end.day is not None:
            text = f"{MONTH_NAMES[start.month - 1]} {start.day}–{end.day}, {end.year}"
        else:
            text = f"{_chicago_point(start, year=False)}–{_chicago_point(end)}"
    else:
        text = f"{_chicago_point(start)}–{_chicago_point(end)}"
    return text + _bracket_mark(date)


def _bracket_mark(date: _Published) -> str:
    """What APA and Chicago add in brackets, the reference styles' mark for supplied facts."""
    marks = []
    if date.inferred:
        marks.append("date inferred")
    if date.end is not None:
        marks.append("published between these dates")
    return f" [{'; '.join(marks)}]" if marks else ""


def _full_stop(text: str) -> str:
    """End with a full stop unless it ends with one already (or a ? or !)."""
    return text if text.endswith((".", "!", "?", "…")) else text + "."


def _sentence(text: str) -> str:
    """End with a full stop, unless it ends one already or ends with a URL it would corrupt."""
    text = text.strip()
    last = text.rsplit(None, 1)[-1] if text else ""
    if text.endswith((".", "!", "?", "…")) or re.match(r"https?://", last):
        return text
    return text + "."


def _date_note(date: _Published) -> str | None:
    """The date's caveat in words, for a note field: what is inferred, and from what."""
    if date.inferred:
        head = "Publication date inferred"
        if date.end is not None:
            head += f" (published {_human_date(date)})"
        return f"{head}: {_sentence(date.reason)}" if date.reason else _sentence(head)
    if date.end is not None:
        return f"Exact publication date unknown: published {_human_date(date)}."
    return None


def _note(source: Source, date: _Published) -> str | None:
    """The note field of bibtex and CSL-JSON: the date's caveat, then the source's own note."""
    again = _republished(source, "", capital=True).strip()
    parts = [
        _sentence(again) if again else None,
        _date_note(date),
        _sentence(source.note) if source.note else None,
    ]
    text = " ".join(part for part in parts if part)
    return text or None


# --- names ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Name:
    """A person's name split as citation styles need it; `given` empty for a single name."""

    written: str
    family: str
    given: str


def _name(written: str) -> _Name:
    """`Sarah Calderone` → given `Sarah`, family `Calderone`; `Calderone, Sarah` likewise.

    The family name is the last word, with any lower-case particles before it (`van der`).
    A single word (a mononym) has no given name.
    """
    written = " ".join(written.split())
    if "," in written:
        family, _, given = written.partition(",")
        return _Name(written, family.strip(), given.strip())
    words = written.split(" ")
    if len(words) == 1:
        return _Name(written, written, "")
    cut = len(words) - 1
    while cut > 1 and words[cut - 1][:1].islower():
        cut -= 1
    return _Name(written, " ".join(words[cut:]), " ".join(words[:cut]))


def _initials(given: str) -> str:
    """APA initials: `Sarah` → `S.`, `Jean-Paul` → `J.-P.`, `Mary Ann` → `M. A.`."""
    words = []
    for word in given.split():
        pieces = [piece for piece in word.split("-") if piece]
        words.append("-".join(f"{piece[0]}." for piece in pieces))
    return " ".join(words)


def _natural_list(items: list[str], *, serial_comma: bool) -> str:
    if len(items) <= 2:
        return " and ".join(items)
    last = ", and " if serial_comma else " and "
    return ", ".join(items[:-1]) + last + items[-1]


# --- escaping ---------------------------------------------------------------------------

_MD_INLINE = re.compile(r"([\\`*_\[\]<>~|])|&(?=#?\w+;)")
_MD_LINE_START = re.compile(r"^(\s*)([#>+=-]|\d+[.)])")


def _md(text: str) -> str:
    """Text as markdown that renders as written: markup characters backslash-escaped."""
    return _MD_INLINE.sub(lambda match: "\\" + match[0], text)


def _md_line(line: str) -> str:
    """Escape what would make a line a heading, quote or list item."""
    match = _MD_LINE_START.match(line)
    if match is None:
        return line
    marker = match[2]
    escaped = marker[:-1] + "\\" + marker[-1]
    return match[1] + escaped + line[match.end() :]


def _md_block(text: str) -> str:
    """A paragraph of text as markdown that renders as written, line by line."""
    return "\n".join(_md_line(_md(line)) for line in text.splitlines())


def _md_url(url: str) -> str:
    """A URL as a markdown link destination: parentheses escaped, the address unchanged."""
    return re.sub(r"([()\\<>])", r"\\\1", url)


_BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_BIBTEX_SPECIAL_RE = re.compile("[" + re.escape("".join(_BIBTEX_SPECIAL)) + "]")


def _bibtex(text: str) -> str:
    """A field value with BibTeX's and LaTeX's special characters escaped; braces stay balanced.

    BibTeX counts braces even after a backslash, so `{` and `}` become `\\textbraceleft{}`
    and `\\textbraceright{}` rather than `\\{` and `\\}`.
    """
    return _BIBTEX_SPECIAL_RE.sub(lambda match: _BIBTEX_SPECIAL[match[0]], text)


def _bibtex_url(url: str) -> str:
    """biblatex reads `url` verbatim; only characters that would break the entry are encoded."""
    return url.replace("\\", "%5C").replace("{", "%7B").replace("}", "%7D")


def _bibtex_key(source_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9_:.\-]", "-", source_id) or "source"


# --- the styles -------------------------------------------------------------------------


def _figure_line(fact: Fact) -> str:
    """`Figure: at least tenfold (period 2016/2021, inferred), according to official statistics.`"""
    period = f"period {fact.period}" + (", inferred" if fact.period_basis == "inferred" else "")
    line = f"Figure: {figure(fact)} ({period})"
    if fact.attribution:
        line += f", according to {fact.attribution}"
    return _sentence(line)


def _plain_authors(source: Source) -> str:
    return _natural_list(list(source.authors), serial_comma=False)


def _inferred_line(date: _Published) -> str | None:
    if not date.inferred:
        return None
    return f"Date inferred: {_sentence(date.reason)}" if date.reason else None


def _plain(base: FactBase, fact: Fact, source: Source, date: _Published, markup: _Markup) -> str:
    """`“quote”` / `— Authors, “Title”, Outlet, date (date inferred). URL` / figure / caveats."""
    when = _human_date(date) + (" (date inferred)" if date.inferred else "")
    if source.authors:
        who = f"{_plain_authors(source)}, “{source.title}”, {source.outlet}"
    else:
        who = f"{source.outlet}, “{source.title}”"
    line = f"— {who}, {when}{_republished(source, ';')}."
    if source.url:
        line += f" {source.url}"
    lines = [f"“{fact.quote}”", line, _figure_line(fact)]
    lines += [text for text in (_inferred_line(date), _source_note(source)) if text]
    return "\n".join(lines)


def _republished(source: Source, lead: str, *, capital: bool = False) -> str:
    """`; republished in X`: the text (and URL) a citation points to is not the outlet's own."""
    if not source.republished_in:
        return ""
    word = "Republished" if capital else "republished"
    return f"{lead} {word} in {source.republished_in}"


def _source_note(source: Source) -> str | None:
    return f"Source note: {_sentence(source.note)}" if source.note else None


def _markdown(base: FactBase, fact: Fact, source: Source, date: _Published, markup: _Markup) -> str:
    """A blockquote of the quote, then the citation with the title linked to the URL."""
    quote = "\n".join(
        f"> {line}" if line.strip() else ">" for line in _md_block(fact.quote).split("\n")
    )
    title = (
        f"[{_md(source.title)}]({_md_url(source.url)})" if source.url else f"“{_md(source.title)}”"
    )
    when = _human_date(date) + (" (date inferred)" if date.inferred else "")
    if source.authors:
        who = f"{_md(_plain_authors(source))}, {title}, *{_md(source.outlet)}*"
    else:
        who = f"*{_md(source.outlet)}*, {title}"
    again = _md(_republished(source, ";"))
    paragraphs = [quote, f"— {who}, {when}{again}.", _md_block(_figure_line(fact))]
    paragraphs += [_md_block(text) for text in (_inferred_line(date), _source_note(source)) if text]
    return "\n\n".join(paragraphs)


def _apa_author(name: _Name) -> str:
    return f"{name.family}, {_initials(name.given)}" if name.given else name.family


def _apa_authors(authors: tuple[str, ...]) -> str:
    """APA 7: `Calderone, S.`, `A, B., & C, D.`; 21 or more: the first 19, `…`, the last."""
    names = [_apa_author(_name(author)) for author in authors]
    if len(names) == 1:
        return names[0]
    if len(names) > 20:
        return ", ".join(names[:19]) + ", . . . " + names[-1]
    return ", ".join(names[:-1]) + ", & " + names[-1]


def _apa(base: FactBase, fact: Fact, source: Source, date: _Published, markup: _Markup) -> str:
    """APA 7 news article: `Author, A. (Year, Month Day). Title. Outlet. URL`, the outlet in
    italics where the markup has them, the title in sentence case.

    With no author the title moves to the author position: `Title. (Year, Month Day). Outlet.`
    """
    title = _sentence(markup.text(sentence_case(source.title, _names(base))))
    dated = f"({_apa_date(date)})."
    if source.authors:
        parts = [_sentence(markup.text(_apa_authors(source.authors))), dated, title]
    else:
        parts = [title, dated]
    parts.append(f"{markup.italic(source.outlet)}.")
    if source.republished_in:
        parts.append(markup.text(_republished(source, "", capital=True).strip()) + ".")
    if source.url:
        parts.append(source.url)
    return markup.line(" ".join(parts))


def _chicago_authors(authors: tuple[str, ...], *, inverted: bool) -> str:
    """Note: `Sarah Calderone`, `A and B`, `A, B, and C`, four or more `A et al.`.

    Bibliography: the first name inverted (`Calderone, Sarah`), the others as written; more
    than ten: the first seven and `et al.`
    """
    names = [" ".join(author.split()) for author in authors]
    if not inverted:
        return f"{names[0]} et al." if len(names) > 3 else _natural_list(names, serial_comma=True)
    first = _name(names[0])
    names[0] = f"{first.family}, {first.given}" if first.given else first.family
    if len(names) > 10:
        return ", ".join(names[:7]) + ", et al."
    if len(names) == 2:
        return f"{names[0]}, and {names[1]}"
    return _natural_list(names, serial_comma=True)


def _chicago_parts(source: Source, date: _Published, markup: _Markup) -> tuple[str, str]:
    """Chicago notes-bibliography, news article: the full note and the bibliography entry.

    Note: `Author, “Title,” Outlet, Month Day, Year, URL.` (no author: it begins with the
    title). Bibliography: `Family, Given. “Title.” Outlet, Month Day, Year. URL.` (no author:
    the outlet stands in its place, `Outlet. “Title.” Month Day, Year. URL.`). The outlet is in
    italics where the markup has them.
    """
    title = markup.text(source.title)
    outlet = markup.italic(source.outlet)
    when = _chicago_date(date)
    asks = title.endswith(("?", "!"))
    note_title = f"“{title}”" if asks else f"“{title},”"
    bib_title = f"“{_sentence(title)}”"
    url = source.url

    again = markup.text(_republished(source, ","))
    note = [note_title, f"{outlet}, {when}{again}" + (f", {url}" if url else "")]
    if source.authors:
        note.insert(0, markup.text(_chicago_authors(source.authors, inverted=False)) + ",")
        bibliography = [
            _sentence(markup.text(_chicago_authors(source.authors, inverted=True))),
            bib_title,
            f"{outlet}, {_sentence(when)}",
        ]
    else:
        bibliography = [f"{outlet}.", bib_title, _sentence(when)]
    if source.republished_in:
        bibliography.append(markup.text(_republished(source, "", capital=True).strip()) + ".")
    if url:
        bibliography.append(_full_stop(url))  # Chicago ends an entry with a period, URL or not
    return _full_stop(" ".join(note)), " ".join(bibliography)


def _chicago(base: FactBase, fact: Fact, source: Source, date: _Published, markup: _Markup) -> str:
    """The Chicago bibliography entry."""
    return _chicago_parts(source, date, markup)[1]


def _chicago_note(
    base: FactBase, fact: Fact, source: Source, date: _Published, markup: _Markup
) -> str:
    """The Chicago full note, for a footnote."""
    return _chicago_parts(source, date, markup)[0]


def _bibtex_entry(
    base: FactBase, fact: Fact, source: Source, date: _Published, markup: _Markup
) -> str:
    """A biblatex `@online` entry keyed by the source id; `author` only when known."""
    fields: list[tuple[str, str]] = []
    if source.authors:
        fields.append(("author", " and ".join(_bibtex_name(author) for author in source.authors)))
    fields.append(("title", _bibtex(source.title)))
    fields.append(("organization", _bibtex(source.outlet)))
    fields.append(("date", date.edtf))
    if source.url:
        fields.append(("url", _bibtex_url(source.url)))
    note = _note(source, date)
    if note:
        fields.append(("note", _bibtex(note)))
    width = max(len(name) for name, _ in fields)
    body = ",\n".join(f"  {name.ljust(width)} = {{{value}}}" for name, value in fields)
    return f"@online{{{_bibtex_key(source.id)},\n{body}\n}}"


def _bibtex_name(author: str) -> str:
    """A name as written (BibTeX splits `Sarah Calderone` itself); braced if it holds `and`."""
    written = _bibtex(" ".join(author.split()))
    return "{" + written + "}" if " and " in f" {written.lower()} " else written


def _csl_json(base: FactBase, fact: Fact, source: Source, date: _Published, markup: _Markup) -> str:
    """A CSL-JSON array of one `article-newspaper` item, as Zotero and pandoc read it."""
    item: dict[str, Any] = {
        "id": source.id,
        "type": "article-newspaper",
        "title": source.title,
        "container-title": source.outlet,
    }
    if source.authors:
        item["author"] = [_csl_name(author) for author in source.authors]
    parts = [date.start.parts] + ([date.end.parts] if date.end is not None else [])
    item["issued"] = {"date-parts": parts}
    if source.url:
        item["URL"] = source.url
    item["language"] = source.language
    note = _note(source, date)
    if note:
        item["note"] = note
    return safe_json(json.dumps([item], ensure_ascii=False, indent=2))


def _csl_name(author: str) -> dict[str, str]:
    name = _name(author)
    if not name.given:
        return {"literal": name.written}
    return {"family": name.family, "given": name.given}


_Style = Callable[[FactBase, Fact, Source, _Published, _Markup], str]

_STYLES: dict[str, _Style] = {
    "plain": _plain,
    "markdown": _markdown,
    "apa": _apa,
    "chicago": _chicago,
    "chicago-note": _chicago_note,
    "bibtex": _bibtex_entry,
    "csl-json": _csl_json,
}


def cite(base: FactBase, fact: Fact, style: str, markup: str = "plain") -> str:
    """The citation of a fact's source in `style` (one of STYLES), without a final newline.

    `markup` (one of MARKUPS) is how apa and chicago write italics; the other styles have
    their own form and ignore it.
    """
    make = _STYLES.get(style.strip().lower())
    if make is None:
        raise UsageError(f"unknown citation style {style!r}; use one of: {', '.join(STYLES)}")
    if markup not in MARKUPS:
        raise UsageError(f"unknown markup {markup!r}; use one of: {', '.join(MARKUPS)}")
    source = base.sources[fact.source]
    if make is not _csl_json:  # JSON keeps the raw values, escaped as JSON
        fact, source = _safe_record(fact), _safe_record(source)
    return safe_text(make(base, fact, source, _published(source), _Markup(markup)))


_R = TypeVar("_R", Fact, Source)


def _safe_record(record: _R) -> _R:
    """The record with every text field through `safe_text`, before a style formats it."""
    changes: dict[str, Any] = {}
    for name, value in zip(record._fields, record, strict=True):
        if isinstance(value, str):
            changes[name] = safe_text(value)
        elif isinstance(value, tuple):
            changes[name] = tuple(safe_text(v) if isinstance(v, str) else v for v in value)
    return record._replace(**changes)
