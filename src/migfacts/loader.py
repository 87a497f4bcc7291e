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
_CACHE_FORMAT = 1


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
    """The TOML files of a base: the file itself, or every *.toml below a folder, sorted."""
    if root.is_file():
        return [root]
    if root.is_dir():
        files = sorted(path for path in root.rglob("*.toml") if path.is_file())
        if not files:
            raise UsageError(f"no fact files (*.toml) in {root}")
        return files
    if root.exists():
        raise UsageError(f"{root} is neither a file nor a folder")
    raise UsageError(f"no fact base at {root}: no such file or folder")


def _display(path: Path, root: Path) -> str:
    """A file's name for messages: relative to the working folder when it is below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _read(paths: list[Path], root: Path) -> dict[str, bytes]:
    contents: dict[str, bytes] = {}
    for path in paths:
        try:
            contents[_display(path, root)] = path.read_bytes()
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
    try:
        return tomllib.loads(text), None
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        match = _TOML_POSITION.search(message)
        detail = _TOML_POSITION.sub("", getattr(error, "msg", message)).strip()
        if match:
            return None, Problem(name, f"invalid TOML: {detail}", int(match[1]), int(match[2]))
        position = (getattr(error, "lineno", None), getattr(error, "colno", None))
        return None, Problem(name, f"invalid TOML: {detail}", *position)


_TABLES = {"source": "source", "place": "place", "topic": "topic", "fact": "fact", "skip": "skip"}


def _item_label(data: dict[str, Any], table: str, index: int) -> str:
    items = data.get(table)
    key = {"source": "id", "place": "code", "topic": "id", "fact": "id"}.get(table)
    if isinstance(items, list) and index < len(items) and isinstance(items[index], dict):
        ident = items[index].get(key) if key else None
        if isinstance(ident, str) and ident:
            return f"{table} {ident!r}"
    return f"{table} #{index + 1}"


def _schema_problems(name: str, data: dict[str, Any], error: Any) -> list[Problem]:
    """Turn a pydantic ValidationError into one readable Problem per error."""
    problems = []
    for detail in error.errors(include_url=False):
        loc = list(detail["loc"])
        item = None
        field = None
        if loc and loc[0] in _TABLES:
            table = str(loc[0])
            if len(loc) >= 2 and isinstance(loc[1], int):
                item = _item_label(data, table, loc[1])
                rest = [str(part) for part in loc[2:] if not str(part).startswith("function-")]
                field = ".".join(rest) or None
            else:
                field = table
        elif loc:
            field = ".".join(str(part) for part in loc)
        message = str(detail["msg"]).removeprefix("Value error, ")
        if detail["type"] == "extra_forbidden":
            message = "unknown field (see docs/fact-format.md for the fields)"
            if item is None and field:
                message = f"unknown table [[{field}]]; use source, place, topic, fact or skip"
                field = None
        problems.append(Problem(name, message, item=item, field=field))
    return problems


def _validate(contents: dict[str, bytes], origin: str) -> FactBase:
    from pydantic import ValidationError

    from migfacts.schema import FactFile
    from migfacts.validate import cross_check

    problems: list[Problem] = []
    sources: list[tuple[str, Source]] = []
    places: list[tuple[str, Place]] = []
    topics: list[tuple[str, Topic]] = []
    facts: list[tuple[str, Fact]] = []
    skips: list[tuple[str, Skip]] = []
    for name, raw in contents.items():
        data, problem = _parse_toml(name, raw)
        if problem is not None or data is None:
            problems.append(problem or Problem(name, "unreadable"))
            continue
        try:
            model = FactFile.model_validate(data)
        except ValidationError as error:
            problems.extend(_schema_problems(name, data, error))
            continue
        sources += [(name, record_from_dict(Source, m.model_dump())) for m in model.source]
        places += [(name, record_from_dict(Place, m.model_dump())) for m in model.place]
        topics += [(name, record_from_dict(Topic, m.model_dump())) for m in model.topic]
        facts += [(name, record_from_dict(Fact, m.model_dump())) for m in model.fact]
        skips += [(name, record_from_dict(Skip, m.model_dump())) for m in model.skip]
    base, cross_problems = cross_check(sources, places, topics, facts, skips, origin)
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
    base = _validate(_read(paths, root), origin)
    _to_cache(cache, key, base)
    return base
