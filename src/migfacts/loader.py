"""Finding, reading and validating a fact base.

Every load validates: TOML syntax, the schema (`schema.py`) and the checks across files
(`validate.py`). Validation needs pydantic, whose import alone costs more than a whole query,
so a base that passed is cached as JSON under the user's cache folder, keyed by each file's
path, size and modification time (as mypy and pytest key theirs): a cache hit reads no fact
file at all. Editing, adding or removing any file changes the key and the base is validated
again. The cache never lives in the fact folder: migfacts writes nothing next to the user's
files.
"""

from __future__ import annotations

import errno
import json
import os
import re
import zlib
from pathlib import Path
from typing import Any

from migfacts import __version__
from migfacts.errors import FactBaseError, Problem, UsageError
from migfacts.records import (
    Fact,
    FactBase,
    Place,
    Skip,
    Source,
    Topic,
    record_from_dict,
    record_to_dict,
)

CACHE_ENV = "MIGFACTS_CACHE_DIR"
# Bumped whenever the records change shape, so an older cache is validated afresh.
_CACHE_FORMAT = 2  # 2: facts have `nationality`


def bundled_facts() -> Path:
    """The fact base shipped with migfacts: inside the installed package, or the checkout's."""
    here = Path(__file__).resolve().parent
    installed = here / "facts"
    if installed.is_dir():
        return installed
    return here.parent.parent / "facts"


def choose_facts(option: Path | None) -> Path:
    """The base the user chose (`--facts`, or MIGFACTS_FACTS through it), else the bundled one."""
    return option if option is not None else bundled_facts()


def fact_files(root: Path) -> list[Path]:
    """The TOML files of a base: the file itself, or every *.toml below a folder, sorted.

    Nothing named like a fact file is skipped in silence: a symlink that leads nowhere or
    round in a loop, a FIFO or device, a folder named `x.toml`, a sub-folder that cannot be
    listed: each is a problem naming it, and the base is invalid (FactBaseError).
    """
    if root.is_file():
        return [root]
    if root.is_dir():
        files, problems = _walk(root)
        if problems:
            raise FactBaseError(problems)
        if not files:
            raise UsageError(f"no fact files (*.toml) in {root}")
        return sorted(files)
    if root.is_symlink():
        raise UsageError(f"{root} is a symlink that leads nowhere: {_link_problem(root)}")
    if root.exists():
        raise UsageError(f"{root} is neither a file nor a folder")
    raise UsageError(f"no fact base at {root}: no such file or folder")


def _walk(root: Path) -> tuple[list[Path], list[Problem]]:
    """Every *.toml below `root`, following symlinked folders once each, and what is wrong."""
    files: list[Path] = []
    problems: list[Problem] = []
    seen: set[tuple[int, int]] = set()

    def failed(error: OSError) -> None:
        problems.append(Problem(_display(Path(error.filename or root)), _reason(error)))

    for folder, dirs, names in os.walk(root, followlinks=True, onerror=failed):
        here = Path(folder)
        try:
            stat = here.stat()
        except OSError as error:
            problems.append(Problem(_display(here), _reason(error)))
            dirs[:] = []
            continue
        if (stat.st_dev, stat.st_ino) in seen:  # a symlinked folder seen already: a loop
            dirs[:] = []
            continue
        seen.add((stat.st_dev, stat.st_ino))
        for name in list(dirs):
            if name.endswith(".toml"):
                problems.append(
                    Problem(
                        _display(here / name),
                        "a folder named like a fact file; fact files must be files "
                        "(rename the folder)",
                    )
                )
            elif (here / name).is_symlink() and _leads_back(here / name, root):
                problems.append(Problem(_display(here / name), _link_problem(here / name)))
                dirs.remove(name)
        for name in sorted(names):
            if not name.endswith(".toml"):
                continue
            path = here / name
            problem = _not_a_fact_file(path)
            if problem is None:
                files.append(path)
            else:
                problems.append(Problem(_display(path), problem))
    return files, problems


def _leads_back(link: Path, root: Path) -> bool:
    """Does a symlinked folder lead to the base itself or a folder above it (a loop)?"""
    target = link.resolve()
    return root.resolve().is_relative_to(target)


def _not_a_fact_file(path: Path) -> str | None:
    """Why a *.toml entry cannot be read as a fact file, or None when it can."""
    import stat as st

    try:
        mode = path.stat().st_mode
    except OSError as error:
        return _link_problem(path) if path.is_symlink() else _reason(error)
    if st.S_ISREG(mode):
        return None
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
    if path.is_dir():
        return f"a symlink loop: it leads back to {target}, a folder the base is in"
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


def _cache_key(paths: list[Path]) -> list[Any]:
    """What the cached base was validated from: format, version, and every file's stat."""
    files = []
    for path in paths:
        stat = path.stat()
        files.append([str(path.resolve()), stat.st_size, stat.st_mtime_ns])
    return [_CACHE_FORMAT, __version__, files]


def _cache_path(root: Path) -> Path | None:
    folder = _cache_dir()
    if folder is None:
        return None
    # The name only spreads bases over files; the key inside decides whether it is valid.
    name = f"{zlib.crc32(str(root.resolve()).encode()):08x}"
    return folder / f"base-{name}.json"


def _from_cache(path: Path | None, key: list[Any], origin: str) -> FactBase | None:
    if path is None:
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("key") != key:
            return None
        return _base_from_data(data["base"], origin)
    except (OSError, ValueError, KeyError, TypeError):
        return None  # a missing or damaged cache is only a slower load


def _to_cache(path: Path | None, key: list[Any], base: FactBase) -> None:
    if path is None:
        return
    data = {"key": key, "base": _base_to_data(base)}
    import tempfile

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write then rename, so a reader never sees half a file.
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=path.parent, delete=False, suffix=".tmp"
        ) as handle:
            json.dump(data, handle, ensure_ascii=False)
        os.replace(handle.name, path)
    except OSError:
        pass  # an unwritable cache folder costs speed, never correctness


def _base_to_data(base: FactBase) -> dict[str, Any]:
    return {
        "sources": [record_to_dict(s) for s in base.sources.values()],
        "places": [record_to_dict(p) for p in base.places.values()],
        "topics": [record_to_dict(t) for t in base.topics.values()],
        "facts": [record_to_dict(f) for f in base.facts],
        "skips": [record_to_dict(s) for s in base.skips],
        "fact_files": base.fact_files,
    }


def _base_from_data(data: dict[str, Any], origin: str) -> FactBase:
    sources = [record_from_dict(Source, item) for item in data["sources"]]
    places = [record_from_dict(Place, item) for item in data["places"]]
    topics = [record_from_dict(Topic, item) for item in data["topics"]]
    return FactBase(
        sources={s.id: s for s in sources},
        places={p.code: p for p in places},
        topics={t.id: t for t in topics},
        facts=tuple(record_from_dict(Fact, item) for item in data["facts"]),
        skips=tuple(record_from_dict(Skip, item) for item in data["skips"]),
        origin=origin,
        fact_files=dict(data.get("fact_files", {})),
    )


_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


def _parse_toml(name: str, raw: bytes) -> tuple[dict[str, Any] | None, Problem | None]:
    import tomllib

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
    try:
        return tomllib.loads(text), None
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        match = _TOML_POSITION.search(message)
        detail = _TOML_POSITION.sub("", getattr(error, "msg", message)).strip()
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
        found = _LONG_INTEGER.search(text)
        line_number = text.count("\n", 0, found.start()) + 1 if found else None
        return None, Problem(name, "an integer with more than 4,300 digits", line_number)


_LONG_INTEGER = re.compile(r"[0-9][0-9_]{4300,}")


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
_TABLES: dict[str, tuple[str | None, type[Source | Place | Topic | Fact | Skip]]] = {
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


def _validate(contents: dict[str, bytes], origin: str) -> FactBase:
    """Validate every item of every file on its own, so one bad fact hides no other problem."""
    from pydantic import ValidationError

    from migfacts.schema import ITEM_MODELS
    from migfacts.validate import cross_check

    problems: list[Problem] = []
    found: dict[str, list[tuple[str, Any]]] = {table: [] for table in _TABLES}
    for name, raw in contents.items():
        data, problem = _parse_toml(name, raw)
        if problem is not None or data is None:
            problems.append(problem or Problem(name, "unreadable"))
            continue
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
            for index, item in enumerate(items):
                label = _item_label(table, index, item)
                try:
                    model = ITEM_MODELS[table].model_validate(item)
                except ValidationError as error:
                    problems.extend(_schema_problems(name, label, error))
                    continue
                record = record_from_dict(record_type, model.model_dump())  # type: ignore[type-var]
                found[table].append((name, record))
    base, cross_problems = cross_check(
        found["source"], found["place"], found["topic"], found["fact"], found["skip"], origin
    )
    problems.extend(cross_problems)
    if problems:
        raise FactBaseError(problems)
    return base


def load_base(root: Path, *, use_cache: bool = True) -> FactBase:
    """Load and validate the fact base at `root` (a folder of TOML files, or one file).

    Raises UsageError when there is nothing to read and FactBaseError listing every problem
    when the base is invalid.
    """
    paths = fact_files(root)
    origin = str(root)
    cache = _cache_path(root) if use_cache else None
    try:
        key = _cache_key(paths)
    except OSError:
        cache = None  # a file vanished or cannot be read: validation will say which
        key = []
    cached = _from_cache(cache, key, origin)
    if cached is not None:
        return cached
    base = _validate(_read(paths), origin)
    _to_cache(cache, key, base)
    return base
