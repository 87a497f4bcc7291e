"""The command line: options in, core calls, renderers out. No logic lives here.

Exit codes (also in `migfacts --help` and the README):
0 results, 1 no match, 2 usage error, 3 invalid fact base, 4 coverage finds a missing number;
`check` exits 0 supported, 5 refuted, 6 not enough information, 7 conflicting.
"""

import os
import sys
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from migfacts import __version__
from migfacts.errors import ExitStatus, FactBaseError, MigfactsError
from migfacts.render import Format, Listing, choose_format, render

if TYPE_CHECKING:
    from migfacts.records import Fact, FactBase

# Kept here rather than imported from the loader so that `--help` and `--version` do not load
# the core; each command imports what it needs when it runs.
FACTS_ENV = "MIGFACTS_FACTS"

EXIT_CODES_HELP = (
    "Exit codes: 0 results; 1 no match; 2 usage error (bad option, unknown place or topic); "
    "3 invalid fact base; 4 coverage: a number is missing; check: 0 supported, 5 refuted, "
    "6 not enough information, 7 conflicting."
)


def report(error: Exception) -> int:
    """Print an error for the user, one clear line (per problem) on stderr; return the exit code."""
    if isinstance(error, FactBaseError):
        # One line per problem, each naming its file, so editors can jump to them.
        for problem in error.problems:
            print(problem, file=sys.stderr)
        count = len(error.problems)
        plural = "s" if count != 1 else ""
        print(f"migfacts: {count} problem{plural} in the fact base", file=sys.stderr)
        return error.exit_status
    if isinstance(error, MigfactsError):
        print(f"migfacts: error: {error.message}", file=sys.stderr)
        return error.exit_status
    print(
        f"migfacts: internal error: {type(error).__name__}: {error} "
        "(run `migfacts --debug ...` for the traceback)",
        file=sys.stderr,
    )
    return INTERNAL_ERROR


INTERNAL_ERROR = 70  # EX_SOFTWARE: a bug in migfacts, never the user's input


class _Group(TyperGroup):
    """Every command's errors end here: one line to stderr and a documented exit code."""

    def invoke(self, ctx: Any) -> Any:  # click's Context: typer does not export its type
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise  # usage errors and exits: typer reports them itself
        except BrokenPipeError:
            # The reader went away (`| head -1`) after taking what it wanted: stop quietly,
            # with success, so `set -o pipefail` scripts do not see a failure. Further
            # writes (Python flushes stdout at exit) go nowhere.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise typer.Exit(ExitStatus.OK) from None
        except Exception as error:
            if _state["debug"] and not isinstance(error, MigfactsError):
                raise
            raise typer.Exit(report(error)) from None


app = typer.Typer(
    name="migfacts",
    cls=_Group,
    help=(
        "Sourced figures on labor migration in Central Asia: every number with its source "
        "and the verbatim quote it came from.\n\n" + EXIT_CODES_HELP
    ),
    # Bracketed words in help ("[json|tsv]") must print as written, not be eaten as markup.
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

_state = {"debug": False}

FactsOption = Annotated[
    Path | None,
    typer.Option(
        "--facts",
        envvar=FACTS_ENV,
        help="Fact base to read: a folder of TOML files or one file. Default: the bundled base.",
        show_default=False,
    ),
]
FormatOption = Annotated[
    Format | None,
    typer.Option(
        "--format",
        "-f",
        help="Output format. Default: table in a terminal, tsv when piped.",
        show_default=False,
        case_sensitive=False,
    ),
]
NoColorOption = Annotated[
    bool, typer.Option("--no-color", help="No colour (also: NO_COLOR set, or TERM=dumb).")
]


def _version(value: bool) -> None:
    if value:
        print(f"migfacts {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show a traceback for unexpected errors.")
    ] = False,
) -> None:
    _state["debug"] = debug


def _load(facts: Path | None, *, use_cache: bool = True) -> "FactBase":
    from migfacts.loader import STORE_NOTES, choose_facts, load_base
    from migfacts.progress import validation_progress

    with validation_progress() as progress:
        base = load_base(choose_facts(facts), use_cache=use_cache, progress=progress)
    for note in STORE_NOTES:  # why this run was slower than it could be
        print(f"migfacts: note: {note}", file=sys.stderr)
    return base


def _emit(listing: Listing, fmt: Format | None, no_color: bool) -> None:
    render(listing, choose_format(fmt), sys.stdout, color=not no_color)


def _finish(found: bool, what: str = "facts") -> NoReturn:
    if not found:
        print(f"migfacts: no {what} match", file=sys.stderr)
        raise typer.Exit(ExitStatus.NO_MATCH)
    raise typer.Exit(ExitStatus.OK)


# --- the filters of query, conflicts and series -----------------------------------------

_SelCountry = Annotated[
    list[str] | None,
    typer.Option(
        "--country", "-c", help="A place in any role: name, code or demonym.", show_default=False
    ),
]
_SelFrom = Annotated[
    list[str] | None,
    typer.Option("--from", help="Where people or money come from.", show_default=False),
]
_SelTo = Annotated[
    list[str] | None,
    typer.Option("--to", help="Where people or money go.", show_default=False),
]
_SelYear = Annotated[
    list[str] | None,
    typer.Option(
        "--year", "-y", help="A year or range (2014..2016); periods overlap.", show_default=False
    ),
]
_SelTopic = Annotated[
    list[str] | None,
    typer.Option(
        "--topic", "-t", help="A topic id or alias (money transfers).", show_default=False
    ),
]
_SelSource = Annotated[
    list[str] | None,
    typer.Option("--source", "-s", help="A source id or outlet.", show_default=False),
]
_SelWords = Annotated[
    list[str] | None,
    typer.Argument(
        help="Words that must all appear in the statement or quote.", show_default=False
    ),
]


def _selection(
    base: "FactBase",
    country: list[str] | None,
    from_: list[str] | None,
    to: list[str] | None,
    year: list[str] | None,
    topic: list[str] | None,
    source: list[str] | None,
    words: list[str] | None,
) -> tuple[Sequence["Fact"], frozenset[str]]:
    """The facts `query` would select with these filters, and the topics asked for."""
    from migfacts.query import Vocabulary, build_filter, select

    fact_filter = build_filter(
        Vocabulary(base),
        countries=country or (),
        origins=from_ or (),
        destinations=to or (),
        years=year or (),
        topics=topic or (),
        sources=source or (),
        words=words or (),
    )
    return select(base, fact_filter), fact_filter.topics


# --- query ------------------------------------------------------------------------------


@app.command()
def query(
    words: _SelWords = None,
    country: _SelCountry = None,
    from_: _SelFrom = None,
    to: _SelTo = None,
    year: _SelYear = None,
    topic: _SelTopic = None,
    source: _SelSource = None,
    quotes: Annotated[bool, typer.Option("--quotes", help="Add the verbatim quote.")] = False,
    facts: FactsOption = None,
    fmt: FormatOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Find figures by place, direction, year, topic, source and words.

    Repeating an option widens it; different options narrow. Examples:

      migfacts query --country Kyrgyzstan

      migfacts query --from Uzbek --to Kazakhstan --year 2020..2024

      migfacts query -t "money transfers" -c TJ --quotes

      migfacts query --format json | jq '.[].figure_text'
    """
    from migfacts.listings import facts_listing

    base = _load(facts)
    chosen, _topics = _selection(base, country, from_, to, year, topic, source, words)
    _emit(facts_listing(base, chosen, quotes=quotes), fmt, no_color)
    _finish(bool(chosen))


# --- show -------------------------------------------------------------------------------


@app.command()
def show(
    fact_id: Annotated[str, typer.Argument(metavar="ID", help="A fact id, as `query` lists.")],
    facts: FactsOption = None,
    fmt: FormatOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Every field of one fact, its quote with the figure marked, and its full source.

    Example: migfacts show tj-remittances-2024-ng
    """
    from migfacts.listings import find_fact, show_fact

    base = _load(facts)
    fact = find_fact(base, fact_id)
    show_fact(base, fact, choose_format(fmt), sys.stdout, color=not no_color)


# --- sources, places, topics ------------------------------------------------------------


@app.command()
def sources(
    facts: FactsOption = None, fmt: FormatOption = None, no_color: NoColorOption = False
) -> None:
    """The articles in the base, with how many facts each gives.

    Example: migfacts sources --format json
    """
    from migfacts.listings import sources_listing

    base = _load(facts)
    _emit(sources_listing(base), fmt, no_color)
    _finish(bool(base.sources), "sources")


@app.command()
def places(
    facts: FactsOption = None, fmt: FormatOption = None, no_color: NoColorOption = False
) -> None:
    """Countries, regions and unions, their other names, and how many facts name them.

    Example: migfacts places --format tsv
    """
    from migfacts.listings import places_listing

    base = _load(facts)
    _emit(places_listing(base), fmt, no_color)
    _finish(bool(base.places), "places")


@app.command()
def topics(
    facts: FactsOption = None, fmt: FormatOption = None, no_color: NoColorOption = False
) -> None:
    """The topics, the words that find them, and how many facts each has.

    Example: migfacts topics
    """
    from migfacts.listings import topics_listing

    base = _load(facts)
    _emit(topics_listing(base), fmt, no_color)
    _finish(bool(base.topics), "topics")


# --- check ------------------------------------------------------------------------------


@app.command()
def check(
    claims: Annotated[
        list[str] | None,
        typer.Argument(
            help="Claims to check; none, or '-', reads one per line from stdin.", show_default=False
        ),
    ] = None,
    file: Annotated[
        Path | None,
        typer.Option("--file", help="Read claims from a file, one per line.", show_default=False),
    ] = None,
    facts: FactsOption = None,
    fmt: FormatOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Check a sentence's figures against the sourced facts, and explain the verdict.

    Verdicts and exit codes: supported 0, refuted 5, not_enough_info 6, conflicting 7;
    with several claims, the most serious one. Hedges count: "nearly 6 million" is a little
    below 6 million, "over 300,000" above it, a bare "6,300" what rounds to it.

    Examples:

      migfacts check "Remittances to Uzbekistan hit nearly $15bn in 2024"

      migfacts check --file claims.txt --format json
    """
    from migfacts.check import CONFLICTING, NOT_ENOUGH_INFO, REFUTED, check_claim, overall_verdict
    from migfacts.errors import UsageError
    from migfacts.listings import check_listing
    from migfacts.query import Vocabulary

    lines = list(claims or [])
    if file is not None:
        try:
            lines += file.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as error:
            raise UsageError(f"cannot read claims from {file}: {error}") from None
    if lines in ([], ["-"]) and file is None:
        if sys.stdin.isatty() and not lines:
            raise UsageError("give a claim, --file FILE, or claims on standard input")
        lines = sys.stdin.read().splitlines()
    lines = [line.strip() for line in lines if line.strip() and line.strip() != "-"]
    if not lines:
        raise UsageError("no claims to check")
    base = _load(facts)
    vocabulary = Vocabulary(base)
    checks = [check_claim(base, vocabulary.places, vocabulary.topics, line) for line in lines]
    _emit(check_listing(base, checks), fmt, no_color)
    codes = {REFUTED: ExitStatus.REFUTED, NOT_ENOUGH_INFO: ExitStatus.NOT_ENOUGH_INFO,
             CONFLICTING: ExitStatus.CONFLICTING}  # fmt: skip
    raise typer.Exit(codes.get(overall_verdict(checks), ExitStatus.OK))


# --- cite -------------------------------------------------------------------------------


class CiteStyle(StrEnum):
    plain = "plain"
    markdown = "markdown"
    apa = "apa"
    chicago = "chicago"
    bibtex = "bibtex"
    csl_json = "csl-json"


@app.command()
def cite(
    fact_id: Annotated[str, typer.Argument(metavar="ID", help="A fact id, as `query` lists.")],
    style: Annotated[
        CiteStyle, typer.Option("--style", help="Citation style.", case_sensitive=False)
    ] = CiteStyle.plain,
    facts: FactsOption = None,
) -> None:
    """The source of one fact, ready to paste: with its quote in plain and markdown.

    Inferred dates and unknown authors are shown as such, never filled in.

    Examples: migfacts cite tj-remittances-2024-ng --style apa

      migfacts cite tj-remittances-2024-ng --style bibtex >> refs.bib
    """
    from migfacts.cite import cite as make_citation
    from migfacts.listings import find_fact

    base = _load(facts)
    print(make_citation(base, find_fact(base, fact_id), style.value))


# --- search, conflicts, series ----------------------------------------------------------


@app.command()
def search(
    text: Annotated[
        list[str],
        typer.Argument(help="Free text or a whole question.", show_default=False),
    ],
    limit: Annotated[
        int, typer.Option("--limit", "-n", min=1, help="At most this many facts.")
    ] = 10,
    facts: FactsOption = None,
    fmt: FormatOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Find facts by free text or a question, best match first.

    Places (names, codes, demonyms; small typos forgiven), topics and years count for more
    than other words; stop words ("what", "was", "how") are ignored. JSON adds a `score` to
    each fact. Examples:

      migfacts search "What was Russia's GDP growth in 1999?"

      migfacts search remittances to Kyrgyzstan 2024 --limit 3

      migfacts search "Tajikstan money transfers" -f json | jq '.[0].figure_text'
    """
    from migfacts.search import search_facts, search_listing

    base = _load(facts)
    hits = search_facts(base, " ".join(text), limit=limit)
    _emit(search_listing(base, hits), fmt, no_color)
    _finish(bool(hits))


@app.command()
def conflicts(
    words: _SelWords = None,
    country: _SelCountry = None,
    from_: _SelFrom = None,
    to: _SelTo = None,
    year: _SelYear = None,
    topic: _SelTopic = None,
    source: _SelSource = None,
    facts: FactsOption = None,
    fmt: FormatOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Figures on which sources disagree, side by side.

    Facts conflict when they come from different sources, are on the same measure (unit,
    places in each role, a shared topic), have overlapping periods (an inferred period is
    taken as uncertain by one year on each side) and give figures that cannot both hold,
    hedges and written precision counted ("45%" is 44.5 to 45.5; "approximately a third"
    30 to 36.7). The filters of `query` pick the disagreements to show: those in which a
    fact they select takes part, with every side of it. One row per fact; `group` numbers
    the disagreements. JSON: a list of {"group", "measure", "facts"}, each fact with the
    `interval` it was read as. Examples:

      migfacts conflicts

      migfacts conflicts -c Tajikistan -t remittances --format json
    """
    from migfacts.conflicts import conflicts_involving, conflicts_listing

    base = _load(facts)
    chosen, _topics = _selection(base, country, from_, to, year, topic, source, words)
    found = conflicts_involving(base, chosen)
    _emit(conflicts_listing(base, found), fmt, no_color)
    _finish(bool(found), "conflicts")


@app.command()
def series(
    words: _SelWords = None,
    country: _SelCountry = None,
    from_: _SelFrom = None,
    to: _SelTo = None,
    year: _SelYear = None,
    topic: _SelTopic = None,
    source: _SelSource = None,
    facts: FactsOption = None,
    fmt: FormatOption = None,
    no_color: NoColorOption = False,
) -> None:
    """One measure across time, from the facts `query` selects, oldest period first.

    Facts on the same unit and places, sharing a topic (one of --topic's, when given), make
    a series when they cover two periods or more. A terminal shows a bar per figure; "▒"
    marks a fall, contraction or deficit. Other formats give the data: one row per point,
    or in JSON a list of {"series", "measure", "points"}. Examples:

      migfacts series -t remittances --to Kyrgyzstan

      migfacts series -t labor-migrants --to RU -y 2014..2015

      migfacts series -t economy -c KZ --format csv
    """
    from migfacts.series import find_series, show_series

    base = _load(facts)
    chosen, topics = _selection(base, country, from_, to, year, topic, source, words)
    found = find_series(base, chosen, topics=topics)
    show_series(base, found, choose_format(fmt), sys.stdout, color=not no_color)
    _finish(bool(found), "series")


# --- validate, coverage, schema ---------------------------------------------------------


@app.command()
def validate(
    archive: Annotated[
        Path | None,
        typer.Option(
            "--archive",
            help="Folder of archived article texts to check quotes in.",
            show_default=False,
        ),
    ] = None,
    facts: FactsOption = None,
) -> None:
    """Check the fact base: syntax, schema, references, figures, and quotes against archives.

    Reports every problem, not just the first; exits 3 when there is any.

    Example: migfacts validate --archive ../shared/seeds
    """
    from migfacts.errors import FactBaseError
    from migfacts.validate import check_archive

    base = _load(facts, use_cache=False)
    if archive is not None:
        problems = check_archive(base, archive)
        if problems:
            raise FactBaseError(problems)
    checked = f", quotes checked against {archive}" if archive is not None else ""
    print(
        f"valid: {len(base.facts)} facts, {len(base.skips)} skips, {len(base.sources)} sources, "
        f"{len(base.places)} places, {len(base.topics)} topics{checked}"
    )


@app.command()
def coverage(
    archive: Annotated[Path, typer.Option("--archive", help="Folder of archived article texts.")],
    missing_only: Annotated[
        bool, typer.Option("--missing", help="List only numbers that nothing accounts for.")
    ] = False,
    facts: FactsOption = None,
    fmt: FormatOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Every number in each archived article, and the fact or skip that accounts for it.

    Exits 4 while any number is missing. The per-source summary goes to stderr.

    Example: migfacts coverage --archive ../shared/seeds --missing
    """
    from migfacts.coverage import measure
    from migfacts.listings import coverage_listing, coverage_summary

    base = _load(facts)
    report = measure(base, archive)
    _emit(coverage_listing(report, missing_only=missing_only), fmt, no_color)
    print(coverage_summary(report), file=sys.stderr)
    raise typer.Exit(ExitStatus.MISSING if report.missing else ExitStatus.OK)


@app.command()
def schema() -> None:
    """Print the JSON Schema of a fact file, for editors that check TOML as you type.

    Example: migfacts schema > fact-file.schema.json
    """
    from migfacts.render import dumps_json
    from migfacts.schema import json_schema

    print(dumps_json(json_schema()))


# --- entry point ------------------------------------------------------------------------


def main() -> None:
    """The console script: `app`, with a last guard for what the group's handler lets through."""
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
