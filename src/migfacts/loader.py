"""Finding, reading and validating a fact base.

Every load validates: TOML syntax, the schema (`schema.py`) and the checks across files
(`validate.py`). Validation needs pydantic, whose import alone costs more than a whole query,
so a base that passed is kept in its store (`store.py`: SQLite under the user's cache folder,
never in the fact folder), checked against the files' contents on every run. Only the files
that changed are validated again, then the checks across files; a query then reads only the
facts its answer needs. A large base is validated on every core.

`load_base(path)` is the one entry point per base: it returns a `FactBase`, whose facts a
stored base reads lazily.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from migfacts.errors import FactBaseError, Problem, UsageError
from migfacts.parallel import cores as _cores
from migfacts.records import (
    Fact,
    FactBase,
    Place,
    Skip,
    Source,
    Topic,
    record_from_dict,
)

CACHE_ENV = "MIGFACTS_CACHE_DIR"


def bundled_facts() -> Path:
    """The fact base shipped with migfacts: inside the installed package, or the checkout's."""
    here = Path(__file__).resolve().parent
    installed = here / "facts"
    if installed.is_dir():
        return installed
    return here.parent.parent / "facts"


def fact_files(root: Path) -> list[Path]:
    """The TOML files of a base: the file itself, or every *.toml below a folder, sorted.

    Nothing named like a fact file is skipped in silence: a symlink that leads nowhere or
    round in a loop, a FIFO or device, a folder named `x.toml`, a sub-folder that cannot be
    listed: each is a problem naming it, and the base is invalid (FactBaseError).
    """
    if root.is_file():
        return [root]
    if root.is_dir():
        return [root / name for name in _fact_names(root)]
    if root.is_symlink():
        raise UsageError(f"{root} is a symlink that leads nowhere: {_link_problem(root)}")
    if root.exists():
        raise UsageError(f"{root} is neither a file nor a folder")
    raise UsageError(f"no fact base at {root}: no such file or folder")


def _fact_names(root: Path, stats: list[os.stat_result | None] | None = None) -> list[str]:
    """The fact files of a folder, as names below it, in the order of their sorted Paths.

    Given a list `stats`, each file's stat is added to it, in the same order (None for a
    file that could not be stat'ed, say one removed meanwhile).
    """
    problems: list[Problem] = []
    names = _toml_below(str(root), "", problems, stats)
    if problems:
        raise FactBaseError(problems)
    if not names:
        raise UsageError(f"no fact files (*.toml) in {root}")
    return names


def _entry_name(entry: os.DirEntry[str]) -> str:
    return entry.name


def _toml_below(
    folder: str, prefix: str, problems: list[Problem], stats: list[Any] | None = None
) -> list[str]:
    """What `Path.rglob("*.toml")` finds that is a file, as names below the base's folder.

    os.scandir instead of rglob: at 3,885 files rglob and sorting Paths cost 0.2 s a run.
    Each folder's entries are taken in the order of their names, a sub-folder's files where
    its name falls: the order of the sorted Paths, with no sort of the whole list. Like
    rglob, it does not descend into symlinked folders. Nothing named like a fact file is
    skipped in silence: a symlink that leads nowhere or round a loop, a FIFO or device, a
    folder named `x.toml`, a sub-folder that cannot be listed are each added to `problems`.
    With `stats`, each file found is stat'ed relative to its folder (one path step, not the
    whole path: the cost of a warm run of a large base is mostly these calls).
    """
    found: list[str] = []
    try:
        entries = sorted(os.scandir(folder), key=_entry_name)
    except OSError as error:
        problems.append(Problem(_display(Path(folder)), _reason(error)))
        return found
    fd = None
    if stats is not None and os.stat in os.supports_dir_fd:
        with contextlib.suppress(OSError):
            fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        for entry in entries:
            name = prefix + entry.name
            try:
                if entry.is_dir() and not entry.is_symlink():
                    if entry.name.endswith(".toml"):
                        problems.append(Problem(_display(Path(entry.path)), _FOLDER_NAMED_TOML))
                    else:
                        found.extend(_toml_below(entry.path, name + os.sep, problems, stats))
                elif entry.name.endswith(".toml"):
                    if entry.is_file():
                        found.append(name)
                        if stats is not None:
                            stats.append(_stat(entry, fd))
                    else:
                        problem = _not_a_fact_file(Path(entry.path)) or "not a regular file"
                        problems.append(Problem(_display(Path(entry.path)), problem))
            except OSError as error:  # a symlink loop, or an entry that vanished or is unreadable
                if entry.name.endswith(".toml"):
                    reason = _not_a_fact_file(Path(entry.path)) or _reason(error)
                    problems.append(Problem(_display(Path(entry.path)), reason))
    finally:
        if fd is not None:
            os.close(fd)
    return found


def _stat(entry: os.DirEntry[str], fd: int | None) -> os.stat_result | None:
    """A file's stat (following a symlink, as `is_file` does), or None if it has gone."""
    try:
        if fd is not None:
            return os.stat(entry.name, dir_fd=fd)
        return os.stat(entry.path)
    except OSError:
        return None


_FOLDER_NAMED_TOML = "a folder named like a fact file; fact files must be files (rename the folder)"


def _not_a_fact_file(path: Path) -> str | None:
    """Why a *.toml entry cannot be read as a fact file, or None when it can."""
    import stat as st

    try:
        mode = path.stat().st_mode
    except OSError as error:
        return _link_problem(path) if path.is_symlink() else _reason(error)
    if st.S_ISREG(mode):
        return None
    if st.S_ISDIR(mode):
        return _FOLDER_NAMED_TOML
    kind = "a FIFO" if st.S_ISFIFO(mode) else "a socket" if st.S_ISSOCK(mode) else "a device"
    return f"{kind}, not a regular file; fact files must be regular files"


def _link_problem(path: Path) -> str:
    try:
        target = os.readlink(path)
    except OSError:
        target = "?"
    try:
        path.resolve(strict=True)
    except RuntimeError:  # Python 3.11 reports a loop this way
        return f"a symlink loop (-> {target})"
    except OSError as error:
        if error.errno == errno.ELOOP:
            return f"a symlink loop (-> {target})"
        return f"a symlink to {target}, which does not exist"
    return f"a symlink to {target}, which cannot be read"


def _reason(error: OSError) -> str:
    return f"cannot read: {error.strerror or error}"


def _display(path: Path) -> str:
    """A file's name for messages: relative to the working folder when it is below it."""
    try:
        # abspath, not resolve: a symlink is named as the user sees it, not by its target.
        return str(Path(os.path.abspath(path)).relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _read(paths: list[Path]) -> dict[str, bytes]:
    contents: dict[str, bytes] = {}
    for path in paths:
        try:
            contents[_display(path)] = path.read_bytes()
        except OSError as error:
            raise UsageError(f"cannot read {path}: {error.strerror or error}") from None
    return contents


def _cache_dir() -> Path | None:
    configured = os.environ.get(CACHE_ENV)
    if configured is not None:
        return Path(configured) if configured else None  # empty: caching off
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "migfacts"


# Compiled on the way to an error only, through re's own cache, as is `_LONG_INTEGER`.
_TOML_POSITION = r"\(at line (\d+), column (\d+)\)"


def _fast_loads() -> Callable[[str], dict[str, Any]] | None:
    """tomli's compiled parser, when installed: the same parser as tomllib, about 3x faster."""
    global _FAST
    if _FAST is None:
        try:
            import tomli

            _FAST = (tomli.loads,)
        except ImportError:
            _FAST = (None,)
    return _FAST[0]


_FAST: tuple[Callable[[str], dict[str, Any]] | None] | None = None
# tomli nests inline tables deeper than tomllib (400 against about 330) before it gives up; a
# file with this many braces is read by tomllib alone, so both refuse the same files.
_FAST_BRACES = 200


def _parse_toml(name: str, raw: bytes) -> tuple[dict[str, Any] | None, Problem | None]:
    """A file's TOML, or the problem with it.

    tomli (compiled) reads a valid file; anything it refuses is read again by tomllib, whose
    wording and positions the problems keep, so they are the same with tomli or without.
    """
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = error.start - (before.rfind(b"\n") + 1) + 1
        return None, Problem(name, "not UTF-8 text (fact files must be UTF-8)", line, column)
    if text.startswith("\ufeff"):
        # tomllib reads a byte-order mark as an "Invalid statement"; say what it is.
        return None, Problem(
            name,
            "the file starts with a byte-order mark (BOM); save it as UTF-8 without BOM",
            1,
            1,
        )
    fast = _fast_loads()
    if fast is not None and text.count("{") < _FAST_BRACES:
        try:
            return fast(text), None
        except Exception:  # tomllib reads it again and says what is wrong
            pass
    import tomllib

    try:
        return tomllib.loads(text), None
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        match = re.search(_TOML_POSITION, message)
        detail = re.sub(_TOML_POSITION, "", getattr(error, "msg", message)).strip()
        if match:
            return None, Problem(name, f"invalid TOML: {detail}", int(match[1]), int(match[2]))
        if "at end of document" in message:
            detail = detail.replace("(at end of document)", "").strip()
            last_line = text.count("\n") + (0 if text.endswith("\n") else 1)
            return None, Problem(name, f"invalid TOML at the end of the file: {detail}", last_line)
        position = (getattr(error, "lineno", None), getattr(error, "colno", None))
        return None, Problem(name, f"invalid TOML: {detail}", *position)
    except RecursionError:
        return None, Problem(name, "arrays or inline tables nested too deeply", _too_deep(text))
    except ValueError:
        # tomllib lets Python's int() limit through: an integer of more than 4,300 digits.
        found = re.search(_LONG_INTEGER, text)
        line_number = text.count("\n", 0, found.start()) + 1 if found else None
        return None, Problem(name, "an integer with more than 4,300 digits", line_number)


_LONG_INTEGER = r"[0-9][0-9_]{4300,}"


def _too_deep(text: str, limit: int = 100) -> int | None:
    """The line where brackets first nest more than `limit` deep."""
    depth = 0
    line = 1
    for char in text:
        if char == "\n":
            line += 1
        elif char in "[{":
            depth += 1
            if depth > limit:
                return line
        elif char in "]}":
            depth = max(0, depth - 1)
    return None


# Each table of a fact file, the field that names an item of it in messages, and its record.
Record = Source | Place | Topic | Fact | Skip
_TABLES: dict[str, tuple[str | None, type[Record]]] = {
    "source": ("id", Source),
    "place": ("code", Place),
    "topic": ("id", Topic),
    "fact": ("id", Fact),
    "skip": (None, Skip),
}


def _item_label(table: str, index: int, item: object) -> str:
    key = _TABLES[table][0]
    ident = item.get(key) if key and isinstance(item, dict) else None
    if isinstance(ident, str) and ident:
        return f"{table} {ident!r}"
    return f"{table} #{index + 1}"


def _schema_problems(name: str, item: str, error: Any) -> list[Problem]:
    """Turn a pydantic ValidationError for one item into one readable Problem per error."""
    problems = []
    for detail in error.errors(include_url=False):
        # Drop pydantic's internal location parts ("function-after[...]", union branches).
        path = [str(part) for part in detail["loc"] if not _is_internal_loc(part)]
        field = ".".join(path) or None
        message = str(detail["msg"]).removeprefix("Value error, ")
        if detail["type"] == "extra_forbidden":
            message = "unknown field (see docs/fact-format.md for the fields)"
        elif detail["type"] == "missing" and field == "statement" and item.startswith("fact"):
            # `migfacts draft` leaves the statement to a person: the stub is not a fact yet.
            message = "unfinished draft: write the statement, a plain sentence saying what it is"
        problems.append(Problem(name, message, item=item, field=field))
    return problems


def _is_internal_loc(part: object) -> bool:
    return isinstance(part, str) and ("[" in part or part in {"int", "float", "str"})


def _line_of(raw: bytes, key: str) -> int | None:
    """The line where a top-level table or key is first written: `[[key]]`, `[key]`, `key =`."""
    text = raw.decode("utf-8", "replace")
    name = re.escape(key)
    pattern = rf"^[ \t]*(?:\[\[?[ \t]*(?:{name}|\"{name}\"|'{name}')[ \t]*[\].]|{name}[ \t]*[=.])"
    found = re.search(pattern, text, re.MULTILINE)
    return text.count("\n", 0, found.start()) + 1 if found else None


def validate_file(name: str, raw: bytes) -> tuple[list[tuple[str, Record]], list[Problem]]:
    """Validate one file on its own: its records by table, and its problems in file order.

    Every item is checked alone, so one bad fact hides no other problem. Checks across files
    (`validate.cross_check`) come after, over every file's records.
    """
    from pydantic import ValidationError

    from migfacts.schema import ITEM_MODELS

    found: list[tuple[str, Record]] = []
    problems: list[Problem] = []
    data, problem = _parse_toml(name, raw)
    if problem is not None or data is None:
        return found, [problem or Problem(name, "unreadable")]
    for table, items in data.items():
        if table not in _TABLES:
            problems.append(Problem(name, f"unknown table [[{table}]]; use source, place, "
                                    "topic, fact or skip", _line_of(raw, table)))  # fmt: skip
            continue
        if not isinstance(items, list):
            message = f"{table!r} must be an array of tables, written [[{table}]]"
            problems.append(Problem(name, message, _line_of(raw, table)))
            continue
        record_type = _TABLES[table][1]
        check = ITEM_MODELS[table].__pydantic_validator__.validate_python
        for index, item in enumerate(items):
            try:
                check(item)
            except ValidationError as error:
                problems.extend(_schema_problems(name, _item_label(table, index, item), error))
                continue
            # The models are strict and their validators return what they were given, so a
            # valid item is its model's dump less the defaults, which the record shares:
            # dumping the model again cost as much as validating it.
            found.append((table, _record(record_type, item)))
    return found, problems


# Each record's fields that hold lists in TOML and tuples in the record.
_LIST_FIELDS = {
    record: frozenset(n for n, v in record._field_defaults.items() if isinstance(v, tuple))
    for _key, record in _TABLES.values()
}


def _record(record_type: type[Record], item: dict[str, Any]) -> Record:
    """`record_from_dict` for a valid item, whose every key is a field: twice as fast."""
    values = dict(item)
    for name in _LIST_FIELDS[record_type] & values.keys():
        values[name] = tuple(values[name])
    return record_type(**values)


def cross_checked(
    files: list[tuple[str, list[tuple[str, Record]]]], origin: str
) -> tuple[FactBase, list[Problem]]:
    """The base from every file's valid records, and what does not fit together across files."""
    from migfacts.validate import cross_check

    found: dict[str, list[tuple[str, Any]]] = {table: [] for table in _TABLES}
    for name, records in files:
        for table, record in records:
            found[table].append((name, record))
    return cross_check(
        found["source"], found["place"], found["topic"], found["fact"], found["skip"], origin
    )


Progress = Callable[[int, int], None]  # (files done, files in all)
PARALLEL_BYTES = 4_000_000  # below this, starting a second process costs more than it saves
_BATCH = 48  # files per task handed to a worker


def sha256(data: bytes) -> Any:
    """The content key of a fact file; hashlib is imported only when a file is read."""
    import hashlib

    return hashlib.sha256(data)


def _check_batch(
    batch: list[tuple[str, str]], key: bytes | None
) -> list[tuple[str, str, list[Problem], Any]]:
    """Read, hash and validate files: (name, digest, problems, records or store rows).

    Runs in a worker process for a large base; `key` given, the records come back as the
    store's rows (`store.PreparedFile`), already serialised and signed.
    """
    out: list[tuple[str, str, list[Problem], Any]] = []
    for name, text in batch:
        path = Path(text)
        raw = _read_one(path)
        digest = sha256(raw).hexdigest()
        records, problems = validate_file(_display(path), raw)
        if key is not None:
            from migfacts.store import PreparedFile

            out.append((name, digest, problems, PreparedFile(name, digest, records, key)))
        else:
            out.append((name, digest, problems, records))
    return out


def _read_one(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror or error}") from None


def _check_files(
    files: list[tuple[str, Path]], key: bytes | None, progress: Progress | None
) -> list[tuple[str, str, list[Problem], Any]]:
    """`_check_batch` over every file, on every core when the files are large enough to pay.

    Workers take batches from the front while this process takes them from the back, each
    batch it takes cancelled in the pool first: whichever side is faster does more, so a
    worker slowed by other work on the machine costs little, and the batches this process
    checks itself are never pickled.
    """
    import migfacts.schema  # noqa: F401  # imported once, before workers fork

    todo = [(name, str(path)) for name, path in files]
    batches = [todo[i : i + _BATCH] for i in range(0, len(todo), _BATCH)]
    done: list[list[tuple[str, str, list[Problem], Any]] | None] = [None] * len(batches)

    def report(finished: Callable[[int], bool]) -> None:
        if progress is not None:
            count = sum(len(batch) for i, batch in enumerate(batches) if finished(i))
            progress(count, len(todo))

    cores = _cores() if len(batches) > 1 and _size(files) > PARALLEL_BYTES else 1
    if cores <= 1:
        for index, batch in enumerate(batches):
            done[index] = _check_batch(batch, key)
            report(lambda i: done[i] is not None)
    else:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(min(cores, 4) - 1, mp_context=context) as pool:
            futures = [pool.submit(_check_batch, batch, key) for batch in batches]

            def finished(i: int) -> bool:
                return done[i] is not None or (futures[i].done() and not futures[i].cancelled())

            for index in reversed(range(len(batches))):
                if not futures[index].cancel():
                    break  # a worker has it, and every batch before it
                done[index] = _check_batch(batches[index], key)
                report(finished)
            for index, future in enumerate(futures):
                if done[index] is None:
                    done[index] = future.result()
                    report(finished)
    return [result for results in done if results is not None for result in results]


def _size(files: list[tuple[str, Path]]) -> int:
    total = 0
    for _name, path in files:
        with contextlib.suppress(OSError):
            total += path.stat().st_size
    return total


def _validate(paths: list[Path], origin: str, progress: Progress | None = None) -> FactBase:
    """Validate every file, then the checks across files; raise with every problem found."""
    problems: list[Problem] = []
    files = []
    for _name, _digest, file_problems, records in _check_files(
        [(str(path), path) for path in paths], None, progress
    ):
        problems.extend(file_problems)
        files.append((_display(Path(_name)), records))
    base, cross_problems = cross_checked(files, origin)
    problems.extend(cross_problems)
    if problems:
        raise FactBaseError(problems)
    return base


def _records_of(prepared: Any) -> list[tuple[str, Any]]:
    """A prepared file's records again, in file order, from their stored JSON."""
    from migfacts.store import _KINDS

    rows = [(row[1], kind, row[4]) for row in prepared.items for kind in [row[2]]]
    rows += [(row[1], "fact", row[8]) for row in prepared.facts]
    kinds: dict[str, Any] = {**_KINDS, "fact": Fact}
    return [
        (kind, record_from_dict(kinds[kind], json.loads(text)))
        for _index, kind, text in sorted(rows, key=lambda row: row[0])
    ]


# Why the store was not used on this run, for the CLI to mention (one line each).
STORE_NOTES: list[str] = []


def load_base(root: Path, *, use_cache: bool = True, progress: Progress | None = None) -> FactBase:
    """Load and validate the fact base at `root` (a folder of TOML files, or one file).

    With the cache on (the default), the base comes from its store (`store.py`), brought up
    to date with the files first: only the files that changed are validated again. Raises
    UsageError when there is nothing to read and FactBaseError listing every problem when
    the base is invalid. `progress`, if given, is told how many files are validated.
    """
    with _collector_paused():
        return _load_base(root, use_cache, progress)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while a base loads.

    Validation makes millions of objects that live on (records, rows) and no cycles worth
    collecting, so each collection only walks what is still needed, more often the larger
    the base: at 100,000 facts it cost a second or more in the checks across files and
    in unpickling workers' results. Forked workers inherit the pause.
    """
    import gc

    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _load_base(root: Path, use_cache: bool, progress: Progress | None) -> FactBase:
    origin = str(root)
    folder = _cache_dir() if use_cache else None
    stats: list[os.stat_result | None] | None = None
    if folder is not None and root.is_dir():
        # Names, not Paths: at thousands of files, making Paths costs more than the query.
        # Each file's stat is taken as the folder is read: the store compares them all.
        stats = []
        names = _fact_names(root, stats)
        paths: list[Path] = _LazyPaths(root, names)
    else:
        paths = fact_files(root)
        names = [root.name] if root.is_file() else [str(path) for path in paths]
    if folder is not None and not _utf8(str(root.resolve()), *names):
        # The store keys files by their names as text; a name that is not UTF-8 cannot be.
        STORE_NOTES.append("not using the store: a path of this base is not UTF-8 text")
        folder = None
    if folder is not None:
        from migfacts.store import Unavailable

        try:
            return _load_stored(root, names, stats, paths, folder, origin, progress)
        except Unavailable as error:
            STORE_NOTES.append(f"not using the store: {error}")
    return _validate(list(paths), origin, progress)


def _utf8(*names: str) -> bool:
    try:
        for name in names:
            name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class _LazyPaths(list[Path]):
    """The Paths of a base's files, made only if something asks for them."""

    def __init__(self, root: Path, names: list[str]) -> None:
        super().__init__()
        self.root, self.names, self.made = root, names, False

    def _make(self) -> None:
        if not self.made:
            self.made = True
            self.extend(self.root / name for name in self.names)

    def __iter__(self) -> Any:
        self._make()
        return super().__iter__()

    def __len__(self) -> int:
        return len(self.names)


def _load_stored(
    root: Path,
    names: list[str],
    stats: list[os.stat_result | None] | None,
    paths: list[Path],
    folder: Path,
    origin: str,
    progress: Progress | None,
) -> FactBase:
    import time

    from migfacts import store as st

    folder = st.private_folder(folder)
    key = st.user_key(folder)
    rules = st.rules_stamp()
    if stats is None:  # the base is one file
        try:
            stats = [os.stat(root)]
        except OSError as error:
            raise st.Unavailable(f"cannot read the files: {error.strerror or error}") from None
    infos = [info for info in stats if info is not None]
    if len(infos) != len(names):
        raise st.Unavailable("cannot read the files: one was removed while they were listed")
    path = st.store_path(folder, root)
    opened = st.open_existing(path, key, rules)
    if opened is None:
        return _build(st.file_states(root, names, infos), path, key, rules, origin, progress)
    if opened.unchanged(key, st.stat_signature(names, infos), len(names)):
        # Every file as it was when it was last hashed, and none racily: nothing to read.
        return _stored_base(opened.conn, path, key, origin, opened)
    states = st.file_states(root, names, infos)
    known = opened.known
    hashed: dict[str, tuple[str, bool]] = {}
    changed = []
    started = time.time()
    for state in states:
        old = known.get(state.name)
        if old is not None and st.stat_trusted(key, state.name, old, state.stamp()):
            continue  # unchanged since it was hashed, and not racily so
        digest = sha256(_read_one(state.path)).hexdigest()
        hashed[state.name] = (digest, not st._racy(state.info, started))
        if old is None or old[1] != digest:
            changed.append(state)
    conn = opened.conn
    same_files = len(states) == len(known) and all(
        known.get(state.name, (None,))[0] == seq for seq, state in enumerate(states)
    )
    if not changed and same_files:
        if hashed:  # same contents, new stats: remember them, so the next run reads nothing
            st.remember_stats(conn, key, opened, states, hashed)
        return _stored_base(conn, path, key, origin, opened)
    results = _check_files([(s.name, s.path) for s in changed], key, progress) if changed else []
    if any(problems for _n, _d, problems, _p in results):
        conn.close()
        return _validate(list(paths), origin, progress)  # raises, with every problem of the base
    prepared = {name: item for name, _d, _p, item in results}
    for name, digest, _p, _item in results:
        hashed[name] = (digest, hashed.get(name, (digest, False))[1])
    valid = st.update(conn, key, rules, states, prepared, known, hashed)
    if valid is None:  # another process changed the store, or it could not be written
        conn.close()
        return _validate(list(paths), origin, progress)
    if not valid:
        conn.close()
        base = _validate(list(paths), origin, progress)  # raises, naming every problem
        st._unlink(path)  # the indexes disagreed with validation: start again next time
        return base
    return _stored_base(conn, path, key, origin)


def _stored_base(
    conn: Any, path: Path, key: bytes, origin: str, opened: Any | None = None
) -> FactBase:
    """The base read from its store; `opened`, the file list as its manifest checked it."""
    from migfacts import store as st

    if opened is not None:
        digests, order = opened.digests, opened.order
    else:  # just written by this run
        rows = conn.execute("SELECT name, seq, digest FROM files").fetchall()
        digests, order = {r[0]: r[2] for r in rows}, {r[0]: r[1] for r in rows}
    store = st.Store(conn, path, key, digests, order)
    root = Path(origin)

    def display(name: str) -> str:
        return _display(root / name if root.is_dir() else root)

    return st.StoredBase(store, origin, display)


def _build(
    states: list[Any], path: Path, key: bytes, rules: str, origin: str, progress: Progress | None
) -> FactBase:
    """Validate every file into a new store, renamed over the old one when complete."""
    import sqlite3
    import time

    from migfacts import store as st

    started = time.time()
    results = _check_files([(s.name, s.path) for s in states], key, progress)
    problems = [problem for _n, _d, file_problems, _p in results for problem in file_problems]
    prepared = {name: item for name, _d, _p, item in results}
    info = {state.name: state.info for state in states}
    hashed = {name: (digest, not st._racy(info[name], started)) for name, digest, _p, _i in results}
    if not problems:
        try:
            conn, temporary = st.new_store(path)
        except OSError as error:
            raise st.Unavailable(f"cannot write {path}: {error.strerror or error}") from None
        try:
            conn.execute("BEGIN")
            valid = st.write_files(conn, key, rules, states, prepared, {}, hashed)
            if valid:
                conn.execute("COMMIT")
                st.finish_new(conn, temporary, path)
                opened = st.open_existing(path, key, rules)
                if opened is not None:
                    return _stored_base(opened.conn, path, key, origin, opened)
        except (sqlite3.Error, OSError):
            pass  # a full disk, say: the base is still valid, served from memory
        finally:
            conn.close()
            st._unlink(temporary)  # gone after the rename; a leftover otherwise
    # Invalid (or not storable): every problem, or the base, from the records in memory.
    files = [(_display(state.path), _records_of(prepared[state.name])) for state in states]
    base, cross_problems = cross_checked(files, origin)
    problems.extend(cross_problems)
    if problems:
        raise FactBaseError(problems)
    return base
