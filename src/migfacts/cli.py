"""The command line: options in, core calls, renderers out. No logic lives here.

Exit codes are `errors.ExitStatus`; `--help` and the README list them from `EXIT_MEANINGS`.
"""

# Annotations are read when a command is built (typer evaluates them), and only the command
# run is built (`_invoked`): the other commands' options cost nothing at import.
from __future__ import annotations

import io
import os
import sys
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TextIO, cast

import typer
from typer.core import TyperGroup

from migfacts import __version__
from migfacts.errors import (
    ExitStatus,
    FactBaseError,
    MigfactsError,
    OutputError,
    exit_codes_help,
)
from migfacts.render import Format, Listing, choose_format, render
from migfacts.safety import clip, safe_text

if TYPE_CHECKING:
    from migfacts.claims import ClaimLine
    from migfacts.records import Fact, FactBase

# Kept here rather than imported from the loader so that `--help` and `--version` do not load
# the core; each command imports what it needs when it runs.
FACTS_ENV = "MIGFACTS_FACTS"


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
    return ExitStatus.INTERNAL


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
            from migfacts.bases import choose_bases, load_bases

            base = load_bases(choose_bases(ctx.params.get("facts"), os.environ.get(FACTS_ENV)))
            return _candidates(base, kind, incomplete)
        except Exception:
            return []

    return complete


def _candidates(base: FactBase, kind: str, incomplete: str) -> list[tuple[str, str]]:
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


FactsOption = Annotated[
    list[str] | None,
    typer.Option(
        "--facts",
        help=(
            "Fact base to read: a folder of TOML files or one file; repeat it to read several "
            "(`bundled` is the bundled base). MIGFACTS_FACTS takes a list separated by ':'. "
            "Default: the bundled base."
        ),
        metavar="PATH",
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
    facts: FactsOption = None,
    fmt: FormatOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Options given before the command apply to it (`migfacts -f json query -c KG`); the
    same option after the command wins."""
    _state["debug"] = debug
    _global.update(facts=facts, fmt=fmt, no_color=no_color)


# The options that every command takes, as given before the command.
_global: dict[str, Any] = {"facts": None, "fmt": None, "no_color": False}


def _load(facts: list[str] | None, *, use_cache: bool = True) -> FactBase:
    from migfacts.bases import choose_bases, load_bases
    from migfacts.loader import STORE_NOTES
    from migfacts.progress import validation_progress

    paths = choose_bases(_facts(facts), os.environ.get(FACTS_ENV))
    with validation_progress() as progress:
        base = load_bases(paths, use_cache=use_cache, progress=progress)
    for note in STORE_NOTES:  # why this run was slower than it could be
        print(f"migfacts: note: {note}", file=sys.stderr)
    STORE_NOTES.clear()
    return base


def _facts(facts: list[str] | None) -> list[str] | None:
    """A command's own --facts, else the one given before the command."""
    return facts if facts else _global["facts"]


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
    base: FactBase,
    country: list[str] | None,
    from_: list[str] | None,
    to: list[str] | None,
    year: list[str] | None,
    topic: list[str] | None,
    source: list[str] | None,
    words: list[str] | None,
) -> tuple[Sequence[Fact], frozenset[str]]:
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


# The formats of every listing, and ClaimReview JSON-LD (claimreview.py) for publishing.
CheckFormat = StrEnum("CheckFormat", [*(f.value for f in Format), "claimreview"])  # type: ignore[misc]


_MAX_CLAIM_INPUT = 10 * 1024 * 1024  # a draft, not a corpus


def _claims_to_check(claims: list[str] | None, file: Path | None) -> list[ClaimLine]:
    """The claims the user gave: arguments, a file, or standard input, read as the one claim
    reader reads them (a line per claim, or prose sentence by sentence)."""
    from migfacts.claims import ClaimTooLong, claims_in
    from migfacts.errors import UsageError

    given = [claim for claim in claims or [] if claim != "-"]
    if file is not None:
        given.append(_decoded(_read_bytes(file), str(file)))
    elif not given:
        if sys.stdin is None or sys.stdin.isatty():
            raise UsageError("give a claim, --file FILE, or claims on standard input")
        given.append(_decoded(sys.stdin.buffer.read(_MAX_CLAIM_INPUT + 1), "standard input"))
    try:
        found = claims_in("\n".join(given))
    except ClaimTooLong as error:
        raise UsageError(str(error)) from None
    if not found:
        raise UsageError("no claims to check")
    return found


def _read_bytes(path: Path) -> bytes:
    from migfacts.errors import UsageError

    try:
        with path.open("rb") as stream:
            return stream.read(_MAX_CLAIM_INPUT + 1)
    except OSError as error:
        raise UsageError(f"cannot read claims from {path}: {error.strerror or error}") from None


def _decoded(data: bytes, where: str) -> str:
    from migfacts.errors import UsageError

    if len(data) > _MAX_CLAIM_INPUT:
        raise UsageError(f"{where}: more than {_MAX_CLAIM_INPUT // 1024 // 1024} MiB of claims")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise UsageError(f"{where}: line {line}: not UTF-8 text (byte {error.start})") from None


@app.command()
def check(
    claims: Annotated[
        list[str] | None,
        typer.Argument(
            help="Claims to check; none, or '-', reads standard input.", show_default=False
        ),
    ] = None,
    file: Annotated[
        Path | None,
        typer.Option(
            "--file",
            help="Read claims from a file: a claim per line, or prose.",
            show_default=False,
        ),
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

    A file or standard input is read a line at a time: a line that is one sentence is one
    claim; a line of several sentences is prose, checked sentence by sentence (sentences
    stating no figure are passed over), and a line ending mid-sentence joins a next line
    that starts in lower case. With several claims, a count per verdict goes to stderr.

    Examples:

      migfacts check "Remittances to Uzbekistan hit nearly $15bn in 2024"

      migfacts check --file claims.txt --format json

      migfacts check --file draft.txt

      migfacts check --file claims.txt -f claimreview --reviewer Desk --url URL
    """
    from migfacts.check import (
        CONFLICTING,
        NOT_ENOUGH_INFO,
        REFUTED,
        Checker,
        check_summary,
        overall_verdict,
    )
    from migfacts.claimreview import check_publisher
    from migfacts.errors import UsageError
    from migfacts.listings import check_listing
    from migfacts.query import Vocabulary

    claimreview = fmt is not None and fmt.value == "claimreview"
    if not claimreview and (reviewer is not None or url is not None):
        raise UsageError("--reviewer and --url go with --format claimreview")
    check_publisher(reviewer, url)

    base = _load(facts)
    vocabulary = Vocabulary(base)
    checker = Checker(base, vocabulary.places, vocabulary.topics)
    found = _claims_to_check(claims, file)
    checks = []
    for claim in found:
        result = checker.check(claim.text)
        if claim.in_draft and not result.checked:
            continue  # a sentence of prose that states no figure: nothing to check
        result.line = claim.line
        checks.append(result)
    if not checks:
        raise UsageError("no sentence states a figure to check")
    if len(found) > 1:
        print(f"migfacts: {check_summary(checks, len(found))}", file=sys.stderr)
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

      migfacts search "Tajikstan money transfers" -f json | jq '.[0].figure'
    """
    from migfacts.claims import MAX_CLAIM_CHARS
    from migfacts.search import search_facts, search_listing

    base = _load(facts)
    question = " ".join(text)
    if len(question) > MAX_CLAIM_CHARS:
        from migfacts.errors import UsageError

        raise UsageError(
            f"search text of {len(question):,} characters; a question is at most "
            f"{MAX_CLAIM_CHARS:,}"
        )
    hits = search_facts(base, question, limit=limit)
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
    from migfacts.validate import check_archive

    _archive_folder(archive)
    base = _load(facts, use_cache=False)
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

    Example: migfacts coverage --archive ARCHIVE_DIR --missing
    """
    from migfacts.coverage import measure
    from migfacts.listings import coverage_listing, coverage_summary

    _archive_folder(archive)
    base = _load(facts)
    report = measure(base, archive)
    _emit(coverage_listing(report, missing_only=missing_only), fmt, no_color)
    print(safe_text(coverage_summary(report)), file=sys.stderr)
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


# --- your own articles: init, add-source, draft ------------------------------------------


def _write_base(facts: list[str] | None) -> Path:
    """The base authoring commands write to: the first given (--facts, else MIGFACTS_FACTS)."""
    from migfacts.errors import UsageError

    entries = [f for f in (facts or os.environ.get(FACTS_ENV, "").split(os.pathsep)) if f]
    if not entries:
        raise UsageError(
            "give the base to write to with --facts DIR (make one with `migfacts init DIR`)"
        )
    return Path(os.path.expanduser(entries[0]))


@app.command()
def init(
    folder: Annotated[Path, typer.Argument(metavar="DIR", help="A new or empty folder.")],
) -> None:
    """Make a new, valid, empty fact base of your own in DIR.

    It starts with the bundled places and topics (so `-c Kyrgyzstan` works at once), an
    empty sources.toml and an archive/ folder for article texts. Nothing is overwritten.

    Example: migfacts init ~/mybase && migfacts query --facts ~/mybase --facts bundled
    """
    from migfacts.authoring import init_base

    init_base(folder)
    print(f"made a fact base in {folder}; add an article with "
          f"`migfacts add-source TEXT_FILE --facts {folder} --id ... --title ... --outlet ...`",
          file=sys.stderr)  # fmt: skip


class Basis(StrEnum):
    stated = "stated"
    inferred = "inferred"


@app.command("add-source")
def add_source(
    text_file: Annotated[
        Path, typer.Argument(metavar="TEXT_FILE", help="The article's text, UTF-8.")
    ],
    source_id: Annotated[
        str, typer.Option("--id", help="A new slug: mynews-2025.", show_default=False)
    ],
    title: Annotated[str, typer.Option("--title", help="As published.", show_default=False)],
    outlet: Annotated[str, typer.Option("--outlet", help="As published.", show_default=False)],
    author: Annotated[
        list[str] | None,
        typer.Option("--author", help="A named author; repeat for each. None: names none."),
    ] = None,
    url: Annotated[str | None, typer.Option("--url", help="Only when known.")] = None,
    published: Annotated[
        str | None,
        typer.Option("--published", help="2025-03-01, 2025-03, 2025, or 2025-03/2025-04-24."),
    ] = None,
    basis: Annotated[
        Basis | None,
        typer.Option(
            "--published-basis", help="Whether the text states the date or it is inferred."
        ),
    ] = None,
    published_note: Annotated[
        str | None, typer.Option("--published-note", help="What an inferred date rests on.")
    ] = None,
    language: Annotated[
        str | None, typer.Option("--language", help="BCP 47 code of the text: en.")
    ] = None,
    note: Annotated[
        str | None, typer.Option("--note", help="Republications, translations.")
    ] = None,
    facts: FactsOption = None,
) -> None:
    """Add an article to your base: archive its text, record its SHA-256, append its [[source]].

    Unknown stays unknown: leave out an option you do not know, and the field stays out.
    Refuses a duplicate id or an archive file that exists; on any error no file changes.

    Example: migfacts add-source story.txt --facts ~/mybase --id mynews-2025 --title "..."
    --outlet "My News" --published 2025-06-04 --published-basis stated --language en
    """
    from migfacts.authoring import NewSource
    from migfacts.authoring import add_source as add

    new = NewSource(
        id=source_id, title=title, outlet=outlet, authors=tuple(author or ()), url=url,
        published=published, published_basis=basis.value if basis else None,
        published_note=published_note, language=language, note=note,
    )  # fmt: skip
    root = _write_base(facts)
    archived, target = add(root, text_file, new)
    print(f"added source {source_id!r} to {target}, its text as {archived}; "
          f"now: migfacts draft {source_id} --facts {root} --append", file=sys.stderr)  # fmt: skip


@app.command()
def draft(
    source: Annotated[
        str, typer.Argument(metavar="SOURCE", help="A source id of the base, or a text file.")
    ],
    append: Annotated[
        bool, typer.Option("--append", help="Add the stubs to the source's fact file.")
    ] = False,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="With --append: show what would be added; write nothing."),
    ] = False,
    archive: Annotated[
        Path | None,
        typer.Option(
            "--archive",
            help="Folder of archived texts. Default: the base's archive/.",
            show_default=False,
        ),
    ] = None,
    facts: FactsOption = None,
) -> None:
    """Draft [[fact]] stubs for every number of an article that nothing accounts for yet.

    Each stub has what migfacts can read (figure, hedge, unit, the sentence as quote, period,
    places in their roles, topics, attribution) and no statement: write it, check the rest,
    and the base validates again. Numbers that look like no figure (ages, dates of events,
    page furniture) are proposed as [[skip]] stubs with a reason. Prints TOML, or adds it
    to the source's fact file with --append (atomically). Exits 1 when nothing is left.

    Example: migfacts draft mynews-2025 --facts ~/mybase --append
    """
    from migfacts.authoring import append_draft, plan_draft

    plan = plan_draft(_write_base(facts) if facts or os.environ.get(FACTS_ENV) else Path("bundled"),
                      source, archive)  # fmt: skip
    facts_count = sum(stub.table == "fact" for stub in plan.stubs)
    skips_count = len(plan.stubs) - facts_count
    summary = (f"{facts_count} fact stub{'s' * (facts_count != 1)} and "
               f"{skips_count} skip stub{'s' * (skips_count != 1)}")  # fmt: skip
    if not plan.stubs:
        print("migfacts: nothing to draft: every number is accounted for", file=sys.stderr)
        raise typer.Exit(ExitStatus.NO_MATCH)
    if append and not dry_run:
        target = append_draft(plan)
        print(f"added {summary} to {target}; write each statement, then run "
              "`migfacts validate`", file=sys.stderr)  # fmt: skip
        return
    sys.stdout.write(plan.toml)
    if append:
        print(f"would add {summary} to {plan.target}", file=sys.stderr)


# --- entry point ------------------------------------------------------------------------

# The options before a command that take a value, and those that do not (see `_main`).
_GLOBAL_VALUES = ("--facts", "--format", "-f")
_GLOBAL_FLAGS = ("--debug", "--no-color")


def _invoked(commands: list[Any], args: list[str]) -> list[Any]:
    """Only the command `args` run, when that is certain; else every command.

    Typer builds each command's options from its signature before it parses anything, and
    for all of them that costs more than a whole query. Help, completion, an unknown
    command or an option it does not know here: every command, as before.
    """
    if any(name.startswith("_") and name.endswith("_COMPLETE") for name in os.environ):
        return commands
    position = 0
    while position < len(args):
        arg = args[position]
        if arg in _GLOBAL_VALUES:
            position += 2
        elif arg in _GLOBAL_FLAGS or arg.startswith(("--facts=", "--format=")):
            position += 1
        elif arg.startswith("-f") and len(arg) > 2 and not arg.startswith("--"):
            position += 1  # -fjson
        else:
            break
    if position >= len(args):
        return commands
    wanted = args[position]
    chosen = [
        command
        for command in commands
        if (command.name or getattr(command.callback, "__name__", "").lower().replace("_", "-"))
        == wanted
    ]
    return chosen if len(chosen) == 1 else commands


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
    commands = app.registered_commands
    app.registered_commands = _invoked(commands, sys.argv[1:])
    try:
        app()
    except KeyboardInterrupt:
        code = ExitStatus.INTERRUPTED
    except SystemExit as done:
        code = done.code
    except BrokenPipeError:  # help or a usage message to a reader that left
        _discard_stdout()
        code = ExitStatus.OK
    except OSError as error:  # help or a usage message that cannot be written
        _say(f"migfacts: error: {_output_error(error).message}")
        _discard_stdout()
        code = ExitStatus.OUTPUT_ERROR
    finally:
        app.registered_commands = commands
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
