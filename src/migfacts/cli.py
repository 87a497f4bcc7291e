"""The command line: options in, core calls, renderers out. No logic lives here.

Exit codes are `errors.ExitStatus`; `--help` and the README list them from `EXIT_MEANINGS`.
"""

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from migfacts import __version__
from migfacts.errors import ExitStatus, FactBaseError, MigfactsError, exit_codes_help
from migfacts.render import Format, Listing, choose_format, render

if TYPE_CHECKING:
    from migfacts.records import Fact, FactBase

# Kept here rather than imported from the loader so that `--help` and `--version` do not load
# the core; each command imports what it needs when it runs.
FACTS_ENV = "MIGFACTS_FACTS"


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
    return ExitStatus.INTERNAL


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
        "and the verbatim quote it came from.\n\n" + exit_codes_help()
    ),
    # Bracketed words in help ("[json|tsv]") must print as written, not be eaten as markup.
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    # --install-completion and --show-completion for bash, zsh, fish and PowerShell; the
    # values of options (places, topics, sources) and fact ids complete from the base.
    add_completion=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)

_state = {"debug": False}


def _completer(kind: str) -> Any:
    """Complete the values of one kind from the fact base; quietly nothing on any error."""

    def complete(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
        try:
            from migfacts.loader import choose_facts, load_base

            given = ctx.params.get("facts") or os.environ.get(FACTS_ENV)
            base = load_base(choose_facts(Path(given) if given else None))
            return _candidates(base, kind, incomplete)
        except Exception:
            return []

    return complete


def _candidates(base: "FactBase", kind: str, incomplete: str) -> list[tuple[str, str]]:
    """(value, what it is) for every value of `kind` that starts with what is typed."""
    from migfacts.present import place_label

    pairs: list[tuple[str, str]]
    if kind == "fact":
        pairs = [(fact.id, fact.statement) for fact in base.facts]
    elif kind == "place":
        pairs = [(place_label(p.code), p.name) for p in base.places.values()]
        pairs += [(p.name, place_label(p.code)) for p in base.places.values()]
    elif kind == "topic":
        pairs = [(t.id, t.label) for t in base.topics.values()]
    else:
        pairs = [(s.id, s.outlet) for s in base.sources.values()]
    typed = incomplete.casefold()
    return [(value, help) for value, help in pairs if value.casefold().startswith(typed)]


# Only the option before the command reads MIGFACTS_FACTS: a command's own --facts is then
# always the user's explicit choice, and wins over both.
GlobalFactsOption = Annotated[
    Path | None,
    typer.Option(
        "--facts",
        envvar=FACTS_ENV,
        help="Fact base to read: a folder of TOML files or one file. Default: the bundled base.",
        show_default=False,
    ),
]
FactsOption = Annotated[
    Path | None,
    typer.Option(
        "--facts",
        help=f"Fact base to read: a folder of TOML files or one file (or set {FACTS_ENV}). "
        "Default: the bundled base.",
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
    facts: GlobalFactsOption = None,
    fmt: FormatOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Options given before the command apply to it (`migfacts -f json query -c KG`); the
    same option after the command wins."""
    _state["debug"] = debug
    _global.update(facts=facts, fmt=fmt, no_color=no_color)


# The options that every command takes, as given before the command.
_global: dict[str, Any] = {"facts": None, "fmt": None, "no_color": False}


def _load(facts: Path | None) -> "FactBase":
    from migfacts.loader import choose_facts, load_base

    return load_base(choose_facts(_facts(facts)))


def _facts(facts: Path | None) -> Path | None:
    return facts if facts is not None else _global["facts"]


def _format(fmt: Format | None) -> Format:
    return choose_format(fmt if fmt is not None else _global["fmt"])


def _color(no_color: bool) -> bool:
    return not (no_color or _global["no_color"])


def _emit(listing: Listing, fmt: Format | None, no_color: bool) -> None:
    render(listing, _format(fmt), sys.stdout, color=_color(no_color))


def _finish(found: bool, what: str = "facts") -> NoReturn:
    if not found:
        print(f"migfacts: no {what} match", file=sys.stderr)
        raise typer.Exit(ExitStatus.NO_MATCH)
    raise typer.Exit(ExitStatus.OK)


# --- the filters of query, conflicts and series -----------------------------------------

_SelCountry = Annotated[
    list[str] | None,
    typer.Option(
        "--country",
        "-c",
        help="A place in any role: name, code or demonym.",
        show_default=False,
        autocompletion=_completer("place"),
    ),
]
_SelFrom = Annotated[
    list[str] | None,
    typer.Option(
        "--from",
        help="Where people or money come from.",
        show_default=False,
        autocompletion=_completer("place"),
    ),
]
_SelTo = Annotated[
    list[str] | None,
    typer.Option(
        "--to",
        help="Where people or money go.",
        show_default=False,
        autocompletion=_completer("place"),
    ),
]
_SelYear = Annotated[
    list[str] | None,
    typer.Option(
        "--year",
        "-y",
        help="A year, a range (2014..2016, 2024-2025, '2020 to 2024') or a period (2024-03, "
        "2014/2015); facts whose period overlaps it.",
        show_default=False,
    ),
]
_SelTopic = Annotated[
    list[str] | None,
    typer.Option(
        "--topic",
        "-t",
        help="A topic id or alias (money transfers).",
        show_default=False,
        autocompletion=_completer("topic"),
    ),
]
_SelSource = Annotated[
    list[str] | None,
    typer.Option(
        "--source",
        "-s",
        help="A source id or outlet.",
        show_default=False,
        autocompletion=_completer("source"),
    ),
]
_SelWords = Annotated[
    list[str] | None,
    typer.Argument(
        help="Words that must all appear, whole, in the statement or quote; a number matches "
        "however it is written (978216, 978,216).",
        show_default=False,
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
) -> tuple[list["Fact"], frozenset[str]]:
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

      migfacts query --format json | jq '.[].figure'
    """
    from migfacts.listings import facts_listing

    base = _load(facts)
    chosen, _topics = _selection(base, country, from_, to, year, topic, source, words)
    _emit(facts_listing(base, chosen, quotes=quotes), fmt, no_color)
    _finish(bool(chosen))


# --- show -------------------------------------------------------------------------------


@app.command()
def show(
    fact_id: Annotated[
        str,
        typer.Argument(
            metavar="ID", help="A fact id, as `query` lists.", autocompletion=_completer("fact")
        ),
    ],
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
    show_fact(base, fact, _format(fmt), sys.stdout, color=_color(no_color))


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
    chicago_note = "chicago-note"
    bibtex = "bibtex"
    csl_json = "csl-json"


class CiteMarkup(StrEnum):
    plain = "plain"
    markdown = "markdown"
    html = "html"


@app.command()
def cite(
    fact_id: Annotated[
        str,
        typer.Argument(
            metavar="ID", help="A fact id, as `query` lists.", autocompletion=_completer("fact")
        ),
    ],
    style: Annotated[
        CiteStyle,
        typer.Option(
            "--style",
            help="Citation style: chicago is the bibliography entry, chicago-note the footnote.",
            case_sensitive=False,
        ),
    ] = CiteStyle.plain,
    markup: Annotated[
        CiteMarkup,
        typer.Option(
            "--markup",
            help="How apa and chicago write italics: plain text (pastes cleanly), markdown "
            "(*Outlet*) or html (<i>Outlet</i>).",
            case_sensitive=False,
        ),
    ] = CiteMarkup.plain,
    facts: FactsOption = None,
) -> None:
    """The source of one fact, ready to paste: with its quote in plain and markdown.

    Inferred dates, date ranges and unknown authors are shown as such, never filled in.

    Examples: migfacts cite tj-remittances-2024-ng --style apa

      migfacts cite tj-remittances-2024-ng --style chicago --markup html

      migfacts cite tj-remittances-2024-ng --style bibtex >> refs.bib
    """
    from migfacts.cite import cite as make_citation
    from migfacts.listings import find_fact

    base = _load(facts)
    print(make_citation(base, find_fact(base, fact_id), style.value, markup.value))


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

      migfacts search "Tajikstan money transfers" -f json | jq '.[0].figure'
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
    show_series(base, found, _format(fmt), sys.stdout, color=_color(no_color))
    _finish(bool(found), "series")


# --- validate, coverage, schema ---------------------------------------------------------


def _archive_folder(archive: Path | None) -> None:
    """A missing --archive folder is the user's mistake (2), not a fault in the base (3)."""
    if archive is not None and not archive.is_dir():
        from migfacts.errors import UsageError

        raise UsageError(
            f"--archive {archive}: no such folder (the archived articles are the files that "
            "each source's `archive` field names; see the README)"
        )


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

    Example: migfacts validate --archive ARCHIVE_DIR
    """
    from migfacts.errors import FactBaseError
    from migfacts.loader import choose_facts, load_base
    from migfacts.validate import check_archive

    _archive_folder(archive)
    base = load_base(choose_facts(_facts(facts)), use_cache=False)
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

    Example: migfacts coverage --archive ARCHIVE_DIR --missing
    """
    from migfacts.coverage import measure
    from migfacts.listings import coverage_listing, coverage_summary

    _archive_folder(archive)
    base = _load(facts)
    report = measure(base, archive)
    _emit(coverage_listing(report, missing_only=missing_only), fmt, no_color)
    print(coverage_summary(report), file=sys.stderr)
    raise typer.Exit(ExitStatus.MISSING if report.missing else ExitStatus.OK)


@app.command()
def schema(
    output: Annotated[
        bool,
        typer.Option(
            "--output",
            help="The JSON Schema of what --format json prints instead; $defs/COMMAND is "
            "each command's output.",
        ),
    ] = False,
) -> None:
    """Print the JSON Schema of a fact file, for editors that check TOML as you type.

    Examples: migfacts schema > fact-file.schema.json

      migfacts schema --output > migfacts-output.schema.json
    """
    from migfacts.render import dumps_json

    if output:
        from migfacts.output_schema import output_schema

        print(dumps_json(output_schema()))
        return
    from migfacts.schema import json_schema

    print(dumps_json(json_schema()))


# --- entry point ------------------------------------------------------------------------


def main() -> None:
    """The console script: `app`, with a last guard for what the group's handler lets through."""
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(ExitStatus.INTERRUPTED)
