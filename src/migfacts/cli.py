"""The command line: options in, core calls, renderers out. No logic lives here.

Exit codes (also in `migfacts --help` and the README):
0 results, 1 no match, 2 usage error, 3 invalid fact base, 4 coverage finds a missing number;
`check` exits 0 supported, 5 refuted, 6 not enough information, 7 conflicting; 74 standard
output is closed or cannot be written.
"""

import io
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TextIO, cast

import typer
from typer.core import TyperGroup

from migfacts import __version__
from migfacts.errors import ExitStatus, FactBaseError, MigfactsError, OutputError
from migfacts.render import Format, Listing, choose_format, render
from migfacts.safety import clip, safe_text

if TYPE_CHECKING:
    from migfacts.records import Fact, FactBase

# Kept here rather than imported from the loader so that `--help` and `--version` do not load
# the core; each command imports what it needs when it runs.
FACTS_ENV = "MIGFACTS_FACTS"

EXIT_CODES_HELP = (
    "Exit codes: 0 results; 1 no match; 2 usage error (bad option, unknown place or topic); "
    "3 invalid fact base; 4 coverage: a number is missing; check: 0 supported, 5 refuted, "
    "6 not enough information, 7 conflicting; 74 output cannot be written (closed, disk full)."
)


def _say(line: str) -> None:
    """One line on stderr, through the one sanitiser and cut to a readable length."""
    print(clip(safe_text(line)), file=sys.stderr)


def report(error: Exception) -> int:
    """Print an error for the user, one clear line (per problem) on stderr; return the exit code."""
    if isinstance(error, FactBaseError):
        # One line per problem, each naming its file, so editors can jump to them.
        for problem in error.problems:
            _say(str(problem))
        count = len(error.problems)
        plural = "s" if count != 1 else ""
        _say(f"migfacts: {count} problem{plural} in the fact base")
        return error.exit_status
    if isinstance(error, MigfactsError):
        _say(f"migfacts: error: {error.message}")
        return error.exit_status
    _say(
        f"migfacts: internal error: {type(error).__name__}: {error} "
        "(run `migfacts --debug ...` for the traceback)"
    )
    return INTERNAL_ERROR


INTERNAL_ERROR = 70  # EX_SOFTWARE: a bug in migfacts, never the user's input


class _Output:
    """Standard output while a command runs: a write it refuses becomes an OutputError.

    A disk that is full (`> /dev/full`) or an I/O error ends the command with one line and
    ExitStatus.OUTPUT_ERROR; a BrokenPipeError (the reader left) passes through unchanged.
    """

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            raise
        except OSError as error:
            raise _output_error(error) from None

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            raise
        except OSError as error:
            raise _output_error(error) from None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _output_error(error: OSError) -> OutputError:
    return OutputError(f"cannot write the output: {error.strerror or error}")


def _discard_stdout() -> None:
    """After the reader went away, send whatever is still buffered nowhere."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass  # not a real file (a test runner's stream): nothing is flushed to a pipe


# Options whose values are paths: a file name may hold any bytes, so only these may carry
# bytes that are not UTF-8.
_PATH_OPTIONS = ("--facts", "--file", "--archive")


def _undecodable(args: list[str]) -> str | None:
    """A message for the first argument that is not UTF-8 text, or None when all are."""
    after_path_option = False
    for number, arg in enumerate(args, start=1):
        is_path = after_path_option or arg.startswith(tuple(f"{o}=" for o in _PATH_OPTIONS))
        after_path_option = arg in _PATH_OPTIONS
        if is_path:
            continue
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            # Python decodes argv with surrogateescape: the surrogates are the raw bytes.
            shown = arg.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
            return f"argument {number} is not UTF-8 text: {shown!r}"
    return None


class _Group(TyperGroup):
    """Every command's errors end here: one line to stderr and a documented exit code."""

    def main(self, args: Any = None, *rest: Any, **options: Any) -> Any:
        # Arguments first: bytes that are not UTF-8 are a usage error, never a crash or raw
        # bytes in the output, whatever the locale.
        problem = _undecodable(list(sys.argv[1:] if args is None else args))
        if problem is not None:
            _say(f"migfacts: error: {problem}")
            sys.exit(ExitStatus.USAGE)
        return super().main(args, *rest, **options)

    def invoke(self, ctx: Any) -> Any:  # click's Context: typer does not export its type
        real_stdout = sys.stdout
        sys.stdout = cast(TextIO, _Output(real_stdout))
        try:
            try:
                return super().invoke(ctx)
            finally:
                sys.stdout.flush()  # output that cannot be written fails the command
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise  # usage errors and exits: typer reports them itself
        except BrokenPipeError:
            # The reader went away (`| head -1`) after taking what it wanted: stop quietly,
            # with success, so `set -o pipefail` scripts do not see a failure. Further
            # writes (Python flushes stdout at exit) go nowhere.
            _discard_stdout()
            raise typer.Exit(ExitStatus.OK) from None
        except Exception as error:
            if _state["debug"] and not isinstance(error, MigfactsError):
                raise
            if isinstance(error, OutputError):
                _discard_stdout()  # said once; what is still buffered goes nowhere
            raise typer.Exit(report(error)) from None
        finally:
            sys.stdout = real_stdout


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


def _load(facts: Path | None) -> "FactBase":
    from migfacts.loader import choose_facts, load_base

    return load_base(choose_facts(facts))


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


# The formats of every listing, and ClaimReview JSON-LD (claimreview.py) for publishing.
CheckFormat = StrEnum("CheckFormat", [*(f.value for f in Format), "claimreview"])  # type: ignore[misc]


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
    fmt: Annotated[
        CheckFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="Output format; claimreview: schema.org ClaimReview JSON-LD, to publish.",
            show_default=False,
            case_sensitive=False,
        ),
    ] = None,
    reviewer: Annotated[
        str | None,
        typer.Option(
            "--reviewer", help="claimreview: who publishes the review (author).", show_default=False
        ),
    ] = None,
    url: Annotated[
        str | None,
        typer.Option(
            "--url", help="claimreview: the page that publishes the review.", show_default=False
        ),
    ] = None,
    no_color: NoColorOption = False,
) -> None:
    """Check a sentence's figures against the sourced facts, and explain the verdict.

    Verdicts and exit codes: supported 0, refuted 5, not_enough_info 6, conflicting 7;
    with several claims, the most serious one. Hedges count: "nearly 6 million" is a little
    below 6 million, "over 300,000" above it, a bare "6,300" what rounds to it.

    Examples:

      migfacts check "Remittances to Uzbekistan hit nearly $15bn in 2024"

      migfacts check --file claims.txt --format json

      migfacts check --file claims.txt -f claimreview --reviewer Desk --url URL
    """
    from migfacts.check import CONFLICTING, NOT_ENOUGH_INFO, REFUTED, Checker, overall_verdict
    from migfacts.claimreview import check_publisher
    from migfacts.errors import UsageError
    from migfacts.listings import check_listing
    from migfacts.query import Vocabulary

    claimreview = fmt is not None and fmt.value == "claimreview"
    if not claimreview and (reviewer is not None or url is not None):
        raise UsageError("--reviewer and --url go with --format claimreview")
    check_publisher(reviewer, url)

    lines = list(claims or [])
    if file is not None:
        try:
            raw = file.read_bytes()
        except OSError as error:
            raise UsageError(f"cannot read claims from {file}: {error.strerror}") from None
        lines += _utf8_lines(raw, str(file))
    if lines in ([], ["-"]) and file is None:
        if sys.stdin is None:
            raise UsageError("standard input is closed; give a claim or --file FILE")
        if sys.stdin.isatty() and not lines:
            raise UsageError("give a claim, --file FILE, or claims on standard input")
        stream = getattr(sys.stdin, "buffer", None)
        raw = stream.read() if stream is not None else sys.stdin.read().encode()
        lines = _utf8_lines(raw, "standard input")
    lines = [line.strip() for line in lines if line.strip() and line.strip() != "-"]
    if not lines:
        raise UsageError("no claims to check")
    base = _load(facts)
    vocabulary = Vocabulary(base)
    checker = Checker(base, vocabulary.places, vocabulary.topics)
    checks = [checker.check(line) for line in lines]
    if claimreview:
        from migfacts.claimreview import claim_reviews, notes
        from migfacts.render import dumps_json

        print(dumps_json(claim_reviews(base, checks, reviewer=reviewer, url=url)))
        for note in notes(checks, reviewer=reviewer, url=url):
            _say(f"migfacts: claimreview: {note}")
    else:
        _emit(check_listing(base, checks), Format(fmt.value) if fmt else None, no_color)
    codes = {REFUTED: ExitStatus.REFUTED, NOT_ENOUGH_INFO: ExitStatus.NOT_ENOUGH_INFO,
             CONFLICTING: ExitStatus.CONFLICTING}  # fmt: skip
    raise typer.Exit(codes.get(overall_verdict(checks), ExitStatus.OK))


def _utf8_lines(raw: bytes, where: str) -> list[str]:
    """Claims as lines of text; bytes that are not UTF-8 are a usage error naming the line."""
    from migfacts.errors import UsageError

    try:
        return raw.decode("utf-8").removeprefix("\ufeff").splitlines()
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise UsageError(f"{where} is not UTF-8 text: line {line}") from None


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


# --- export -----------------------------------------------------------------------------


class ExportKind(StrEnum):
    sqlite = "sqlite"
    datapackage = "datapackage"


@app.command()
def export(
    kind: Annotated[ExportKind, typer.Argument(metavar="KIND", help="sqlite or datapackage.")],
    target: Annotated[
        Path,
        typer.Argument(metavar="OUT", help="sqlite: the database file; datapackage: a folder."),
    ],
    force: Annotated[bool, typer.Option("--force", help="Replace files that exist.")] = False,
    facts: FactsOption = None,
) -> None:
    """Write the base for publishing: a Datasette-ready SQLite database, or a data package.

    sqlite: OUT with tables, links and foreign keys, and the full-text index facts_fts, and
    beside it Datasette's metadata (OUT's name with .metadata.json). datapackage: one CSV
    per table and a Frictionless datapackage.json in the folder OUT. Existing files are
    replaced only with --force; the same base gives the same bytes. Examples:

      migfacts export sqlite migfacts.db && datasette migfacts.db -m migfacts.metadata.json

      migfacts export datapackage migfacts-data
    """
    from migfacts.export import write_datapackage, write_sqlite

    base = _load(facts)
    write = write_sqlite if kind is ExportKind.sqlite else write_datapackage
    written = write(base, target, force=force)
    if kind is ExportKind.sqlite:
        database, metadata = written
        _say(f"migfacts: wrote {database} and {metadata}; open them with: "
             f"datasette {database} -m {metadata}")  # fmt: skip
    else:
        _say(f"migfacts: wrote {len(written) - 1} CSV files and {written[-1]}")


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
    from migfacts.loader import choose_facts, load_base
    from migfacts.validate import check_archive

    base = load_base(choose_facts(facts), use_cache=False)
    if archive is not None:
        problems = check_archive(base, archive)
        if problems:
            raise FactBaseError(problems)
    checked = f", quotes checked against {safe_text(archive)}" if archive is not None else ""
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
    print(safe_text(coverage_summary(report)), file=sys.stderr)
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
    if sys.stderr is None:  # `2>&-`: messages go nowhere rather than to stdout
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    if sys.stdout is None:  # `>&-`: Python starts with no stdout at all
        _say("migfacts: error: standard output is closed; redirect it to a file or /dev/null")
        sys.exit(ExitStatus.OUTPUT_ERROR)
    if isinstance(sys.stdout, io.TextIOWrapper):
        # Output is UTF-8 whatever the locale (JSON's contract), and can never carry raw
        # bytes: a surrogate that got this far is written as an escape.
        sys.stdout.reconfigure(encoding="utf-8", errors="backslashreplace")
    code: Any = ExitStatus.OK
    try:
        app()
    except KeyboardInterrupt:
        code = 130
    except SystemExit as done:
        code = done.code
    except BrokenPipeError:  # help or a usage message to a reader that left
        _discard_stdout()
        code = ExitStatus.OK
    except OSError as error:  # help or a usage message that cannot be written
        _say(f"migfacts: error: {_output_error(error).message}")
        _discard_stdout()
        code = ExitStatus.OUTPUT_ERROR
    # What is still buffered (help, usage errors) is written here, not at interpreter exit,
    # where a failure would be a traceback-like warning and exit code 120.
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _discard_stdout()
    except OSError as error:
        _say(f"migfacts: error: {_output_error(error).message}")
        _discard_stdout()
        code = ExitStatus.OUTPUT_ERROR
    sys.exit(code)
