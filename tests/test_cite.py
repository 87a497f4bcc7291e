"""`migfacts cite`: every style, and above all the honesty rules.

An inferred date is marked as inferred, a date known only by its bounds stays a range, an
unnamed author stays unnamed, and a source without a URL is cited without one.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from migfacts.cite import STYLES, cite
from migfacts.errors import UsageError
from migfacts.records import Fact, FactBase, Place, Source

FACTS_DIR = Path(__file__).resolve().parents[1] / "facts"

HUMAN_STYLES = ("plain", "markdown", "apa", "chicago")

# A signed article with a stated date and a URL.
SIGNED = Source(
    id="eurasianet-2018",
    title="Kazakhstan is Central Asia's migration outlier",
    outlet="Eurasianet",
    authors=("Sarah Calderone",),
    published="2018-05-03",
    published_basis="stated",
    url="https://timesca.com/kazakhstan-is-central-asia-s-migration-outlier/",
    language="en",
    archive="001.txt",
    sha256="0" * 64,
)

# An unsigned article whose date is read from its URL. Its note names a writer who is *not*
# the article's author: nothing may put her in the author position.
UNSIGNED = Source(
    id="asiaplus-2021",
    title="Central Asian migrant workers choosing Kazakhstan over Russia despite lower pay",
    outlet="Asia-Plus",
    authors=(),
    published="2021-06-04",
    published_basis="inferred",
    published_note="Read from the date in the article's URL; the page itself shows no date.",
    url="https://www.asiaplustj.info/en/news/20210604/central-asian-migrant-workers",
    language="en",
    archive="000.txt",
    sha256="1" * 64,
    note="Unsigned summary of a Radio Liberty article by Farangis Najibullah.",
)

# A date known only by its bounds, inferred.
RANGED = Source(
    id="orda-2025",
    title="Is Kazakhstan Ready to Become New Labor Migrant Center?",
    outlet="Orda.kz",
    authors=("Liliya Gaysina",),
    published="2025-03/2025-04-24",
    published_basis="inferred",
    published_note="The article calls the March 2025 operation recent.",
    url="https://en.orda.kz/is-kazakhstan-ready-5617/",
    language="en",
    archive="002.txt",
    sha256="2" * 64,
)

# No URL known, no author, and an interval that ends on a month.
NO_URL = Source(
    id="ng-2025",
    title="Migrants from Central Asia have become interested in the West",
    outlet="Nezavisimaya Gazeta",
    authors=(),
    published="2025-05-13/2025-08",
    published_basis="inferred",
    published_note="The article speaks of 1 September 2025 as still ahead.",
    language="en",
    archive="004.txt",
    sha256="4" * 64,
    note="English translation; the author is unknown.",
)

FACT = Fact(
    id="uz-workers-in-kz-test",
    statement="About 209,300 Uzbek workers went to Kazakhstan in 2024.",
    value=209300,
    unit="people",
    qualifier="about",
    as_written="209,300",
    period="2024",
    period_basis="stated",
    origin=("UZ",),
    destination=("KZ",),
    topics=("labor-migrants",),
    attribution="the ministry",
    quote="About 209,300 Uzbek workers went to Kazakhstan last year, the ministry said.",
    source="eurasianet-2018",
)


def base_for(source: Source, fact: Fact = FACT) -> tuple[FactBase, Fact]:
    fact = fact._replace(source=source.id)
    places = {"KZ": Place(code="KZ", kind="country", name="Kazakhstan", demonyms=("Kazakh",))}
    return FactBase(sources={source.id: source}, places=places, topics={}, facts=(fact,)), fact


def cite_source(source: Source, style: str, fact: Fact = FACT, markup: str = "markdown") -> str:
    """A citation, with markdown italics unless asked otherwise (the default of `cite` is
    plain text; see test_plain_markup_pastes_without_asterisks)."""
    base, fact = base_for(source, fact)
    return cite(base, fact, style, markup)


def chicago_both(source: Source) -> str:
    """The Chicago note and bibliography entry, labelled here (the styles print neither label)."""
    note, entry = cite_source(source, "chicago-note"), cite_source(source, "chicago")
    assert not note.startswith("Note") and not entry.startswith("Bibliography")
    return f"Note: {note}\nBibliography: {entry}"


# --- plain -------------------------------------------------------------------------------


def test_plain_signed_article() -> None:
    assert cite_source(SIGNED, "plain") == (
        "“About 209,300 Uzbek workers went to Kazakhstan last year, the ministry said.”\n"
        "— Sarah Calderone, “Kazakhstan is Central Asia's migration outlier”, Eurasianet, "
        "3 May 2018. https://timesca.com/kazakhstan-is-central-asia-s-migration-outlier/\n"
        "Figure: about 209,300 (period 2024), according to the ministry."
    )


def test_plain_unsigned_inferred_gives_the_outlet_and_the_reason() -> None:
    assert cite_source(UNSIGNED, "plain") == (
        "“About 209,300 Uzbek workers went to Kazakhstan last year, the ministry said.”\n"
        "— Asia-Plus, “Central Asian migrant workers choosing Kazakhstan over Russia despite "
        "lower pay”, 4 June 2021 (date inferred). "
        "https://www.asiaplustj.info/en/news/20210604/central-asian-migrant-workers\n"
        "Figure: about 209,300 (period 2024), according to the ministry.\n"
        "Date inferred: Read from the date in the article's URL; the page itself shows no date.\n"
        "Source note: Unsigned summary of a Radio Liberty article by Farangis Najibullah."
    )


def test_plain_range_and_inferred_period() -> None:
    fact = FACT._replace(period="2025-03", period_basis="inferred", period_note="x")
    text = cite_source(RANGED, "plain", fact)
    assert "Liliya Gaysina, “Is Kazakhstan Ready to Become New Labor Migrant Center?”, " in text
    assert "Orda.kz, between March and 24 April 2025 (date inferred)." in text
    assert "Figure: about 209,300 (period 2025-03, inferred), according to the ministry." in text


def test_plain_prints_text_literally() -> None:
    fact = FACT._replace(quote="[findings](#) show *about* 209,300 <b>people</b>")
    text = cite_source(SIGNED, "plain", fact)
    assert text.splitlines()[0] == "“[findings](#) show *about* 209,300 <b>people</b>”"


# --- markdown ----------------------------------------------------------------------------


def test_markdown_signed_article() -> None:
    assert cite_source(SIGNED, "markdown") == (
        "> About 209,300 Uzbek workers went to Kazakhstan last year, the ministry said.\n"
        "\n"
        "— Sarah Calderone, [Kazakhstan is Central Asia's migration outlier]"
        "(https://timesca.com/kazakhstan-is-central-asia-s-migration-outlier/), "
        "*Eurasianet*, 3 May 2018.\n"
        "\n"
        "Figure: about 209,300 (period 2024), according to the ministry."
    )


def test_markdown_without_url_has_no_link() -> None:
    text = cite_source(NO_URL, "markdown")
    assert "](" not in text
    assert (
        "— *Nezavisimaya Gazeta*, “Migrants from Central Asia have become interested in the "
        "West”, between 13 May and August 2025 (date inferred)." in text
    )
    assert "Date inferred: The article speaks of 1 September 2025 as still ahead." in text


def test_markdown_escapes_what_would_be_read_as_markup() -> None:
    # The archived Eurasianet text really holds a markdown link: "Similar [findings](#) by".
    fact = FACT._replace(quote="Similar [findings](#) by *one* scholar_x\n1. 209,300 <b>")
    source = SIGNED._replace(title="A_b *c*", url="https://example.org/a_(b)")
    text = cite_source(source, "markdown", fact)
    assert text.startswith(
        "> Similar \\[findings\\](#) by \\*one\\* scholar\\_x\n> 1\\. 209,300 \\<b\\>\n"
    )
    assert "[A\\_b \\*c\\*](https://example.org/a_\\(b\\))" in text
    noted = source._replace(note="Two lines:\n- not a list item")
    assert cite_source(noted, "markdown", fact).endswith(
        "Source note: Two lines:\n\\- not a list item."
    )


# --- APA ---------------------------------------------------------------------------------


def test_apa_signed_article() -> None:
    assert cite_source(SIGNED, "apa") == (
        "Calderone, S. (2018, May 3). Kazakhstan is Central Asia's migration outlier. "
        "*Eurasianet*. https://timesca.com/kazakhstan-is-central-asia-s-migration-outlier/"
    )


def test_apa_without_author_puts_the_title_first() -> None:
    assert cite_source(UNSIGNED, "apa") == (
        "Central Asian migrant workers choosing Kazakhstan over Russia despite lower pay. "
        "(2021, June 4 [date inferred]). *Asia-Plus*. "
        "https://www.asiaplustj.info/en/news/20210604/central-asian-migrant-workers"
    )


def test_apa_range_question_title_and_no_url() -> None:
    assert cite_source(RANGED, "apa") == (
        "Gaysina, L. (2025, March–April 24 [date inferred; published between these dates]). "
        "Is Kazakhstan ready to become new labor migrant center? *Orda.kz*. "
        "https://en.orda.kz/is-kazakhstan-ready-5617/"
    )
    assert cite_source(NO_URL, "apa") == (
        "Migrants from Central Asia have become interested in the West. "
        "(2025, May 13–August [date inferred; published between these dates]). "
        "*Nezavisimaya Gazeta*."
    )


def test_apa_several_authors() -> None:
    two = SIGNED._replace(authors=("Sarah Calderone", "Sher Khashimov"))
    assert cite_source(two, "apa").startswith("Calderone, S., & Khashimov, S. (2018, May 3).")
    three = SIGNED._replace(authors=("Jean-Paul Sartre", "Mary Ann Evans", "Ludwig van Beethoven"))
    assert cite_source(three, "apa").startswith(
        "Sartre, J.-P., Evans, M. A., & van Beethoven, L. (2018, May 3)."
    )


def test_apa_month_and_year_dates() -> None:
    month = SIGNED._replace(published="2025-03")
    assert "(2025, March)." in cite_source(month, "apa")
    year = SIGNED._replace(published="2025")
    assert "(2025)." in cite_source(year, "apa")


# --- Chicago -----------------------------------------------------------------------------


def test_chicago_signed_article() -> None:
    url = "https://timesca.com/kazakhstan-is-central-asia-s-migration-outlier/"
    assert chicago_both(SIGNED) == (
        "Note: Sarah Calderone, “Kazakhstan is Central Asia's migration outlier,” *Eurasianet*, "
        f"May 3, 2018, {url}.\n"
        "Bibliography: Calderone, Sarah. “Kazakhstan is Central Asia's migration outlier.” "
        f"*Eurasianet*, May 3, 2018. {url}."
    )


def test_chicago_unsigned_article() -> None:
    # CMOS 14.207: the note begins with the title; in the bibliography the outlet stands in.
    url = "https://www.asiaplustj.info/en/news/20210604/central-asian-migrant-workers"
    title = "Central Asian migrant workers choosing Kazakhstan over Russia despite lower pay"
    assert chicago_both(UNSIGNED) == (
        f"Note: “{title},” *Asia-Plus*, June 4, 2021 [date inferred], {url}.\n"
        f"Bibliography: *Asia-Plus*. “{title}.” June 4, 2021 [date inferred]. {url}."
    )


def test_chicago_question_title_range_and_several_authors() -> None:
    source = RANGED._replace(authors=("Liliya Gaysina", "Sher Khashimov"), url=None)
    assert chicago_both(source) == (
        "Note: Liliya Gaysina and Sher Khashimov, “Is Kazakhstan Ready to Become New Labor "
        "Migrant Center?” *Orda.kz*, March–April 24, 2025 "
        "[date inferred; published between these dates].\n"
        "Bibliography: Gaysina, Liliya, and Sher Khashimov. “Is Kazakhstan Ready to Become New "
        "Labor Migrant Center?” *Orda.kz*, March–April 24, 2025 "
        "[date inferred; published between these dates]."
    )
    four = SIGNED._replace(authors=("A B", "C D", "E F", "G H"))
    assert cite_source(four, "chicago-note").startswith("A B et al., ")


# --- BibTeX ------------------------------------------------------------------------------


def parse_bibtex(text: str) -> tuple[str, str, dict[str, str]]:
    """A small strict reader: one entry, braces balanced as BibTeX counts them, fields braced.

    BibTeX counts every brace, a backslash before it or not, so `\\{` would unbalance the entry.
    """
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        assert depth >= 0, "a closing brace without an opening one"
    assert depth == 0, "unbalanced braces"
    entries = re.findall(r"^@", text, flags=re.M)
    assert len(entries) == 1, "exactly one entry"
    head = re.match(r"@(\w+)\{([^\s,{}\"#%'()=\\]+),\n", text)
    assert head is not None, "an entry head: @type{key,"
    body, i, fields = text[head.end() :].rstrip(), 0, {}
    assert body.endswith("}")
    body = body[:-1]
    while True:
        field = re.compile(r"\s*(\w+)\s*=\s*\{").match(body, i)
        if field is None:
            break
        depth, j = 1, field.end()
        while depth:
            depth += {"{": 1, "}": -1}.get(body[j], 0)
            j += 1
        name = field[1].lower()
        assert name not in fields, f"field {name} twice"
        fields[name] = body[field.end() : j - 1]
        i = j
        comma = re.compile(r"\s*,").match(body, i)
        if comma is None:
            break
        i = comma.end()
    assert body[i:].strip() == "", f"unparsed text: {body[i:]!r}"
    return head[1], head[2], fields


def test_bibtex_signed_article() -> None:
    text = cite_source(SIGNED, "bibtex")
    assert text == (
        "@online{eurasianet-2018,\n"
        "  author       = {Sarah Calderone},\n"
        "  title        = {Kazakhstan is Central Asia's migration outlier},\n"
        "  organization = {Eurasianet},\n"
        "  date         = {2018-05-03},\n"
        "  url          = {https://timesca.com/kazakhstan-is-central-asia-s-migration-outlier/}\n"
        "}"
    )
    kind, key, fields = parse_bibtex(text)
    assert (kind, key) == ("online", "eurasianet-2018")
    assert {"title", "organization", "date", "url"} <= fields.keys()


def test_bibtex_unsigned_inferred() -> None:
    _, key, fields = parse_bibtex(cite_source(UNSIGNED, "bibtex"))
    assert key == "asiaplus-2021"
    assert "author" not in fields
    assert fields["date"] == "2021-06-04"
    assert fields["note"] == (
        "Publication date inferred: Read from the date in the article's URL; the page itself "
        "shows no date. Unsigned summary of a Radio Liberty article by Farangis Najibullah."
    )


def test_bibtex_range_several_authors_no_url() -> None:
    source = NO_URL._replace(authors=("Sarah Calderone", "Sher Khashimov"))
    _, _, fields = parse_bibtex(cite_source(source, "bibtex"))
    assert fields["author"] == "Sarah Calderone and Sher Khashimov"
    assert fields["date"] == "2025-05-13/2025-08"
    assert "url" not in fields
    assert fields["note"].startswith(
        "Publication date inferred (published between 13 May and August 2025): The article"
    )
    _, _, fields = parse_bibtex(cite_source(RANGED, "bibtex"))
    assert fields["date"] == "2025-03/2025-04-24"


def test_bibtex_escapes_special_characters() -> None:
    source = SIGNED._replace(
        title=r"Pay & 50% of $ #1_a {b} ~c ^d \e",
        outlet="R&D {Weekly}",
        authors=("Tom & Jerry", "Smith and Wesson"),
        note="A } lone brace",
    )
    text = cite_source(source, "bibtex")
    _, _, fields = parse_bibtex(text)
    assert fields["title"] == (
        r"Pay \& 50\% of \$ \#1\_a \textbraceleft{}b\textbraceright{} "
        r"\textasciitilde{}c \textasciicircum{}d \textbackslash{}e"
    )
    assert fields["organization"] == r"R\&D \textbraceleft{}Weekly\textbraceright{}"
    # An "and" inside one name is braced so BibTeX does not split it into two people.
    assert fields["author"] == r"Tom \& Jerry and {Smith and Wesson}"
    assert fields["note"] == r"A \textbraceright{} lone brace."


def test_bibtex_parses_with_bibtexparser_when_installed() -> None:
    import bibtexparser  # a test dependency: the entry must load in the parser people use

    text = cite_source(RANGED, "bibtex")
    if hasattr(bibtexparser, "parse_string"):  # bibtexparser 2
        library = bibtexparser.parse_string(text)
        assert not library.failed_blocks
        (entry,) = library.entries
        fields = {field.key: field.value for field in entry.fields}
        key, kind = entry.key, entry.entry_type
    else:  # bibtexparser 1
        # bibtexparser 1's API, untyped and absent from the typed bibtexparser 2
        from bibtexparser.bparser import BibTexParser  # type: ignore[import-not-found]

        parser = BibTexParser(ignore_nonstandard_types=False)
        (entry,) = bibtexparser.loads(text, parser=parser).entries  # type: ignore[attr-defined]
        fields, key, kind = entry, entry["ID"], entry["ENTRYTYPE"]
    assert (kind, key) == ("online", "orda-2025")
    assert fields["date"] == "2025-03/2025-04-24"
    assert fields["author"] == "Liliya Gaysina"


# --- CSL-JSON ----------------------------------------------------------------------------


def csl_item(text: str) -> dict[str, Any]:
    """Load CSL-JSON and check its shape: an array of one item with the keys CSL needs."""
    data = json.loads(text)
    assert isinstance(data, list) and len(data) == 1
    item = data[0]
    assert isinstance(item, dict)
    for key in ("id", "type", "title", "container-title", "issued", "language"):
        assert isinstance(item.get(key), str | dict), key
    assert item["type"] == "article-newspaper"
    parts = item["issued"]["date-parts"]
    assert set(item["issued"]) == {"date-parts"}
    assert isinstance(parts, list) and 1 <= len(parts) <= 2
    for part in parts:
        assert isinstance(part, list) and 1 <= len(part) <= 3
        assert all(type(number) is int for number in part)
        if len(part) > 1:
            assert 1 <= part[1] <= 12
        if len(part) > 2:
            assert 1 <= part[2] <= 31
    for name in item.get("author", []):
        assert set(name) in ({"family", "given"}, {"literal"})
        assert all(isinstance(value, str) and value for value in name.values())
    if "author" in item:
        assert item["author"], "an empty author list is omitted, not given"
    for key in ("URL", "note"):
        assert key not in item or isinstance(item[key], str)
    return item


def test_csl_json_signed_article() -> None:
    text = cite_source(SIGNED, "csl-json")
    assert text.startswith('[\n  {\n    "id": "eurasianet-2018",')  # indent 2
    assert csl_item(text) == {
        "id": "eurasianet-2018",
        "type": "article-newspaper",
        "title": "Kazakhstan is Central Asia's migration outlier",
        "container-title": "Eurasianet",
        "author": [{"family": "Calderone", "given": "Sarah"}],
        "issued": {"date-parts": [[2018, 5, 3]]},
        "URL": "https://timesca.com/kazakhstan-is-central-asia-s-migration-outlier/",
        "language": "en",
    }


def test_csl_json_unsigned_inferred() -> None:
    item = csl_item(cite_source(UNSIGNED, "csl-json"))
    assert "author" not in item
    assert item["issued"] == {"date-parts": [[2021, 6, 4]]}
    assert item["note"].startswith("Publication date inferred: Read from the date")


def test_csl_json_ranges_and_partial_dates() -> None:
    assert csl_item(cite_source(RANGED, "csl-json"))["issued"] == {
        "date-parts": [[2025, 3], [2025, 4, 24]]
    }
    item = csl_item(cite_source(NO_URL, "csl-json"))
    assert item["issued"] == {"date-parts": [[2025, 5, 13], [2025, 8]]}
    assert "URL" not in item
    assert "inferred" in item["note"]
    month = SIGNED._replace(published="2025-03")
    assert csl_item(cite_source(month, "csl-json"))["issued"] == {"date-parts": [[2025, 3]]}
    quarter = SIGNED._replace(published="2024-Q4")
    assert csl_item(cite_source(quarter, "csl-json"))["issued"] == {
        "date-parts": [[2024, 10], [2024, 12]]
    }


def test_csl_json_names_and_unicode() -> None:
    source = SIGNED._replace(
        authors=("Ludwig van Beethoven", "Madonna", "Мария Иванова"),
        title="Мигранты — «труд»",
    )
    text = cite_source(source, "csl-json")
    assert "Мигранты — «труд»" in text  # ensure_ascii=False: UTF-8, not \u escapes
    assert csl_item(text)["author"] == [
        {"family": "van Beethoven", "given": "Ludwig"},
        {"literal": "Madonna"},
        {"family": "Иванова", "given": "Мария"},
    ]


# --- the honesty rules, across styles ----------------------------------------------------


@pytest.mark.parametrize("style", HUMAN_STYLES)
@pytest.mark.parametrize("source", [UNSIGNED, RANGED, NO_URL], ids=lambda s: s.id)
def test_an_inferred_date_is_always_marked(style: str, source: Source) -> None:
    assert "date inferred" in cite_source(source, style)


@pytest.mark.parametrize("style", HUMAN_STYLES)
def test_an_inferred_date_is_marked_right_where_it_is_printed(style: str) -> None:
    text = cite_source(UNSIGNED, style)
    shown = {
        "plain": "4 June 2021",
        "markdown": "4 June 2021",
        "apa": "2021, June 4",
        "chicago": "June 4, 2021",
    }[style]
    marks = (" (date inferred).", " [date inferred])", " [date inferred],", " [date inferred].")
    places = [match.end() for match in re.finditer(re.escape(shown), text)]
    assert places, f"{shown!r} not in {text!r}"
    for end in places:
        assert text[end : end + 17] in marks, text[end : end + 17]


@pytest.mark.parametrize("style", ["bibtex", "csl-json"])
@pytest.mark.parametrize("source", [UNSIGNED, RANGED, NO_URL], ids=lambda s: s.id)
def test_an_inferred_date_is_noted_in_data_styles(style: str, source: Source) -> None:
    text = cite_source(source, style)
    note = parse_bibtex(text)[2]["note"] if style == "bibtex" else csl_item(text)["note"]
    assert note.startswith("Publication date inferred")
    assert source.published_note is not None and source.published_note in note


@pytest.mark.parametrize("style", STYLES)
def test_a_stated_date_is_not_called_inferred(style: str) -> None:
    text = cite_source(SIGNED, style)
    assert "inferred" not in text
    assert "between" not in text


@pytest.mark.parametrize("style", HUMAN_STYLES)
def test_a_date_range_is_never_printed_as_one_date(style: str) -> None:
    text = cite_source(RANGED, style)
    assert {
        "plain": "between March and 24 April 2025 (date inferred)",
        "markdown": "between March and 24 April 2025 (date inferred)",
        "apa": "(2025, March–April 24 [date inferred; published between these dates])",
        "chicago": "March–April 24, 2025 [date inferred; published between these dates]",
    }[style] in text
    assert "2025-03" not in text


def test_a_stated_range_says_the_exact_date_is_unknown() -> None:
    source = RANGED._replace(published_basis="stated", published_note=None)
    assert "between March and 24 April 2025." in cite_source(source, "plain")
    assert "[published between these dates]" in cite_source(source, "apa")
    note = csl_item(cite_source(source, "csl-json"))["note"]
    assert note == "Exact publication date unknown: published between March and 24 April 2025."
    assert "inferred" not in cite_source(source, "bibtex")


@pytest.mark.parametrize("style", STYLES)
def test_no_author_is_invented(style: str) -> None:
    text = cite_source(UNSIGNED, style)
    for invented in ("Anonymous", "Unknown author", "n.a.", "Staff", "Najibullah, F"):
        assert invented not in text
    if style == "plain":
        assert text.splitlines()[1].startswith("— Asia-Plus, “Central Asian")
        assert "Najibullah" not in text.splitlines()[1]
    elif style == "markdown":
        assert "\n— *Asia-Plus*, [Central Asian" in text
        assert "Najibullah" not in text.split("\n\n")[1]
    elif style == "apa":
        assert text.startswith("Central Asian migrant workers")
        assert "Najibullah" not in text
    elif style == "chicago":
        assert text.startswith("*Asia-Plus*. “Central Asian")
        assert "Najibullah" not in text
    elif style == "chicago-note":
        assert text.startswith("“Central Asian migrant workers")
        assert "Najibullah" not in text
    elif style == "bibtex":
        assert "author" not in parse_bibtex(text)[2]
    else:
        assert "author" not in csl_item(text)


@pytest.mark.parametrize("style", STYLES)
def test_no_url_is_constructed(style: str) -> None:
    text = cite_source(NO_URL, style)
    assert "http" not in text
    assert "www." not in text
    assert "](" not in text
    assert "url" not in text.lower()  # no url field, no "URL" key


def test_an_unknown_style_is_a_usage_error() -> None:
    base, fact = base_for(SIGNED)
    with pytest.raises(UsageError, match="unknown citation style 'mla'"):
        cite(base, fact, "mla")


# --- through the command line ------------------------------------------------------------

ONE_FACT = """\
[[fact]]
id = "uz-workers-in-kz-tenfold-cite-test"
statement = "The number of Uzbek migrant workers in Kazakhstan increased at least tenfold over \
the five years before mid-2021."
value = 10
unit = "times"
qualifier = "at least"
as_written = "tenfold"
period = "2016/2021"
period_basis = "inferred"
period_note = "\\"in the last five years\\" in an article published June 2021 (date from the URL)."
origin = ["UZ"]
destination = ["KZ"]
topics = ["labor-migrants"]
attribution = "official statistics"
quote = "According to official statistics, the number of Uzbek migrant workers in Kazakhstan \
has reportedly increased at least tenfold in the last five years, says an article by Farangis \
Najibullah."
source = "asiaplus-2021"
"""


@pytest.fixture
def tiny_base(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MIGFACTS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("MIGFACTS_FACTS", raising=False)
    folder = tmp_path / "facts"
    folder.mkdir()
    for name in ("sources.toml", "places.toml", "topics.toml"):
        shutil.copy(FACTS_DIR / name, folder / name)
    (folder / "asiaplus-2021.toml").write_text(ONE_FACT, encoding="utf-8")
    return folder


def test_cli_cite_csl_json(tiny_base: Path) -> None:
    from typer.testing import CliRunner

    from migfacts.cli import app

    args = ["cite", "uz-workers-in-kz-tenfold-cite-test", "--style", "csl-json"]
    result = CliRunner().invoke(app, [*args, "--facts", str(tiny_base)])
    assert result.exit_code == 0, result.output
    item = csl_item(result.stdout)
    assert item["id"] == "asiaplus-2021"
    assert item["container-title"] == "Asia-Plus"
    assert "author" not in item  # the bundled source names no author
    assert item["issued"] == {"date-parts": [[2021, 6, 4]]}
    assert item["note"].startswith("Publication date inferred: Read from the date")
    assert item["URL"].startswith("https://www.asiaplustj.info/")


# --- text that pastes cleanly, APA's sentence case, the date as precise as it is known ------


def test_plain_markup_pastes_without_asterisks(invoke: Any) -> None:
    for style in ("apa", "chicago", "chicago-note"):
        result = invoke("cite", "kg-remittances-2024-ng", "--style", style)
        assert result.exit_code == 0
        assert "*" not in result.stdout and "<i>" not in result.stdout
        assert "Nezavisimaya Gazeta" in result.stdout
        assert not result.stdout.startswith(("Note", "Bibliography"))
    html = invoke("cite", "kg-remittances-2024-ng", "--style", "apa", "--markup", "html")
    assert "<i>Nezavisimaya Gazeta</i>." in html.stdout
    markdown = invoke(
        "cite", "kg-remittances-2024-ng", "--style", "chicago", "--markup", "markdown"
    )
    assert "*Nezavisimaya Gazeta*" in markdown.stdout


def test_html_markup_escapes_the_base_text() -> None:
    source = SIGNED._replace(title="A <b> & c", outlet="X & Y")
    text = cite_source(source, "apa", markup="html")
    assert "A &lt;b&gt; &amp; c." in text and "<i>X &amp; Y</i>." in text


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        (
            "To Russia With Waning Love: Changing Migration Dynamics in Central Asia",
            "To Russia with waning love: Changing migration dynamics in Central Asia",
        ),
        (
            "Is Kazakhstan Ready to Become New Labor Migrant Center?",
            "Is Kazakhstan ready to become new labor migrant center?",
        ),
        # Already in sentence case: its capitals are names, kept as written.
        (
            "Migrants from Central Asia have become interested in the West",
            "Migrants from Central Asia have become interested in the West",
        ),
        ("Why The EU Needs Kazakh Workers", "Why the EU needs Kazakh workers"),
    ],
)
def test_apa_titles_in_sentence_case(title: str, expected: str) -> None:
    from migfacts.cite import sentence_case

    names = frozenset({"Russia", "Central", "Asia", "Kazakhstan", "Kazakh"})
    assert sentence_case(title, names) == expected


def test_the_diplomat_is_cited_by_its_issue_month(invoke: Any) -> None:
    fact = "uz-workers-to-developed-countries-2023-2025-diplomat"
    apa = invoke("cite", fact, "--style", "apa").stdout
    assert "(2025, March)." in apa and "March 1" not in apa
    assert "To Russia with waning love: Changing migration dynamics in Central Asia." in apa
    assert "The Diplomat, March 2025." in invoke("cite", fact, "--style", "chicago").stdout


def test_csl_json_is_read_by_citeproc() -> None:
    from citeproc import (  # type: ignore[import-untyped]
        Citation,
        CitationItem,
        CitationStylesBibliography,
        CitationStylesStyle,
        formatter,
    )
    from citeproc.source.json import CiteProcJSON  # type: ignore[import-untyped]

    for source in (SIGNED, UNSIGNED, RANGED):
        items = json.loads(cite_source(source, "csl-json"))
        style = CitationStylesStyle("harvard-cite-them-right", validate=False)
        bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
        bibliography.register(Citation([CitationItem(source.id)]))
        (entry,) = bibliography.bibliography()
        text = str(entry)
        assert source.outlet in text or source.title in text
        # citeproc-py renders a range by its months (its own limit): the year of a point.
        assert ("April" if "/" in source.published else source.published[:4]) in text
        if source.authors:
            assert _name_in(source.authors[0], text)


def _name_in(author: str, text: str) -> bool:
    return author.split()[-1] in text


# --- a republication is named beside the URL that points to it ---------------------------

REPUBLISHED = SIGNED._replace(republished_in="The Times of Central Asia")


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        ("plain", "Eurasianet, 3 May 2018; republished in The Times of Central Asia. https://"),
        ("markdown", "*Eurasianet*, 3 May 2018; republished in The Times of Central Asia."),
        ("apa", "*Eurasianet*. Republished in The Times of Central Asia. https://timesca.com/"),
        ("chicago", "May 3, 2018. Republished in The Times of Central Asia. https://timesca.com/"),
        ("chicago-note", "May 3, 2018, republished in The Times of Central Asia, https://"),
    ],
)
def test_a_republication_is_named(style: str, expected: str) -> None:
    assert expected in cite_source(REPUBLISHED, style)
    assert "republished" not in cite_source(SIGNED, style).lower()


def test_a_republication_is_in_the_data_styles_note() -> None:
    note = parse_bibtex(cite_source(REPUBLISHED, "bibtex"))[2]["note"]
    assert note.startswith("Republished in The Times of Central Asia.")
    assert csl_item(cite_source(REPUBLISHED, "csl-json"))["note"].startswith("Republished in")


def test_the_bundled_republications_are_named(invoke: Any) -> None:
    text = invoke("cite", "kz-emigration-1991-2004-eurasianet", "--style", "apa").stdout
    assert "Eurasianet. Republished in The Times of Central Asia. https://timesca.com/" in text
