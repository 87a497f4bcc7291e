"""Writing a fact base: a new base (`init`), a new article (`add-source`), appended drafts.

Every write is atomic: the new content goes to a temporary file in the same folder, is
flushed to disk, and then takes the target's name in one step (`os.replace`), so a reader
sees the old file or the new one, never half of either. Nothing is overwritten unless the
caller says so: new files are linked into place, which fails if the name is taken. On any
error every file is left as it was.

The bundled base is never written to: authoring commands need a base of the user's own.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import os
import re
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from migfacts.errors import UsageError

ARCHIVE_FOLDER = "archive"
SOURCES_FILE = "sources.toml"
VOCABULARY_FILES = ("places.toml", "topics.toml")

# --- atomic writes ----------------------------------------------------------------------


def _mode_for(target: Path) -> int:
    """The permissions `target` has, or those a new file gets under the user's umask."""
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0o022)
        os.umask(umask)
        return 0o666 & ~umask


def _temp_beside(target: Path, data: bytes) -> Path:
    """Write `data` to a new temporary file in `target`'s folder, flushed to disk."""
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        os.chmod(name, _mode_for(target))  # mkstemp makes it private; the file is not
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)


def _sync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable, where the system allows opening folders."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


def create_file(target: Path, data: bytes) -> None:
    """Create `target` with `data`, atomically; FileExistsError if the name is taken."""
    temp = _temp_beside(target, data)
    try:
        os.link(temp, target)  # fails, rather than replaces, when target exists
    finally:
        temp.unlink(missing_ok=True)
    _sync_folder(target.parent)


def replace_file(target: Path, data: bytes) -> None:
    """Give `target` the content `data` in one step (the caller decided to replace it)."""
    temp = _temp_beside(target, data)
    try:
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    _sync_folder(target.parent)


def append_file(target: Path, text: str) -> None:
    """Add `text` at the end of `target` (created if missing), as one atomic replacement."""
    try:
        old = target.read_bytes()
    except FileNotFoundError:
        create_file(target, text.encode("utf-8"))
        return
    if old and not old.endswith(b"\n"):
        old += b"\n"
    replace_file(target, old + b"\n" + text.encode("utf-8"))


# --- TOML out ---------------------------------------------------------------------------

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def toml_string(text: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped."""
    out = ['"']
    for char in text:
        if char == '"':
            out.append('\\"')
        elif char == "\\":
            out.append("\\\\")
        elif char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append("\\t")
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


def _one_line(text: str) -> str:
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"cannot write {value} to TOML")
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} to TOML")


def toml_table(name: str, fields: Mapping[str, Any], comments: Iterable[str] = ()) -> str:
    """One `[[name]]` table; None values are left out, comments go first."""
    # A comment is one line: a line break or control character from the data would end it.
    lines = [f"# {_one_line(line)}" if line else "#" for line in comments]
    lines.append(f"[[{name}]]")
    for key, value in fields.items():
        if value is None:
            continue
        assert _BARE_KEY.match(key), key
        lines.append(f"{key} = {toml_value(value)}")
    return "\n".join(lines) + "\n"


# --- reading a base without validating it -----------------------------------------------


@dataclass
class RawBase:
    """The tables of a base as written, unvalidated: drafts are read before they are done."""

    root: Path
    tables: dict[str, list[tuple[Path, dict[str, Any]]]]

    def items(self, table: str) -> list[dict[str, Any]]:
        return [item for _, item in self.tables.get(table, [])]

    def find(self, table: str, key: str, value: str) -> tuple[Path, dict[str, Any]] | None:
        for path, item in self.tables.get(table, []):
            if item.get(key) == value:
                return path, item
        return None


def read_raw(root: Path) -> RawBase:
    """Every table of every TOML file of a base; UsageError naming a file TOML can't read."""
    import tomllib

    from migfacts.loader import fact_files

    tables: dict[str, list[tuple[Path, dict[str, Any]]]] = {}
    for path in fact_files(root):
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as error:
            raise UsageError(f"cannot read {path}: {error}") from None
        except tomllib.TOMLDecodeError as error:
            raise UsageError(f"{path}: invalid TOML: {error}") from None
        for table, items in data.items():
            if isinstance(items, list):
                tables.setdefault(table, []).extend(
                    (path, item) for item in items if isinstance(item, dict)
                )
    return RawBase(root, tables)


def writable_base(root: Path) -> Path:
    """`root` as a base the user may write to: a folder of their own, not the bundled base."""
    from migfacts.loader import bundled_facts

    if str(root) == "bundled" or root.resolve() == bundled_facts().resolve():
        raise UsageError(
            "the bundled base is read-only; make a base of your own with `migfacts init DIR` "
            "and pass it with --facts DIR"
        )
    if not root.is_dir():
        raise UsageError(f"no fact base folder at {root}; make one with `migfacts init {root}`")
    return root


# --- init -------------------------------------------------------------------------------

_SOURCES_HEADER = """\
# The articles of this base, one [[source]] each, added with `migfacts add-source`.
# Their archived texts are in {archive}/; `migfacts validate --archive {archive}` checks every
# quote against them. Unknown stays unknown: leave out a field you do not know.
"""

_FACTS_HEADER = """\
# Figures from "{title}" ({outlet}), source id {id}; archived text: {archive}/{file}.
# A stub from `migfacts draft` has no statement until a person writes one, and the base
# does not validate until they do.
"""


def init_base(folder: Path) -> list[Path]:
    """A new, valid, empty base in `folder` with the bundled places and topics; never
    overwrites: UsageError if any file it would create exists. Returns the files created."""
    from migfacts.loader import bundled_facts

    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} exists and is not a folder")
    if folder.is_dir() and any(folder.iterdir()):
        raise UsageError(f"{folder} is not empty; `migfacts init` only fills a new or empty folder")
    bundled = bundled_facts()
    contents = {
        SOURCES_FILE: _SOURCES_HEADER.format(archive=ARCHIVE_FOLDER).encode("utf-8"),
    }
    for name in VOCABULARY_FILES:
        contents[name] = (bundled / name).read_bytes()
    made_folder = not folder.exists()
    created: list[Path] = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in contents.items():
            create_file(folder / name, data)
            created.append(folder / name)
        (folder / ARCHIVE_FOLDER).mkdir()
        created.append(folder / ARCHIVE_FOLDER)
    except FileExistsError as error:
        _undo(created, folder if made_folder else None)
        raise UsageError(
            f"{error.filename or folder} already exists; nothing was written"
        ) from None
    except OSError as error:
        _undo(created, folder if made_folder else None)
        raise UsageError(f"cannot create a base in {folder}: {error.strerror or error}") from None
    except BaseException:  # interrupted: leave no half-made base behind
        _undo(created, folder if made_folder else None)
        raise
    return created


def _undo(created: list[Path], folder: Path | None) -> None:
    for path in reversed(created):
        if path.is_dir():
            path.rmdir()
        else:
            path.unlink(missing_ok=True)
    if folder is not None:
        with contextlib.suppress(OSError):
            folder.rmdir()


# --- add-source -------------------------------------------------------------------------


@dataclass(frozen=True)
class NewSource:
    """What the user said about an article. None is unknown, and stays out of the file."""

    id: str
    title: str
    outlet: str
    authors: tuple[str, ...] = ()
    published: str | None = None
    published_basis: str | None = None
    published_note: str | None = None
    url: str | None = None
    language: str | None = None
    note: str | None = None


def add_source(root: Path, text_file: Path, new: NewSource) -> tuple[Path, Path]:
    """Archive `text_file` in the base and append its `[[source]]` to sources.toml.

    Refuses a duplicate id, an archive name already taken, a text that is not UTF-8, and a
    record the format would reject; on any error no file is changed. Returns the archived
    text's path and the file the source went to.
    """
    root = writable_base(root)
    try:
        raw = text_file.read_bytes()
    except OSError as error:
        raise UsageError(f"cannot read {text_file}: {error.strerror or error}") from None
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UsageError(f"{text_file} is not UTF-8 text (byte {error.start})") from None
    existing = read_raw(root)
    if existing.find("source", "id", new.id) is not None:
        path, _ = existing.find("source", "id", new.id)  # type: ignore[misc]
        raise UsageError(f"source id {new.id!r} is already defined in {path}")
    if text_file.name.endswith(".toml"):
        # Every *.toml under the base is read as a fact file, the archive folder included.
        raise UsageError(f"{text_file.name}: an article text must not end in .toml; rename it")
    archive = root / ARCHIVE_FOLDER / text_file.name
    fields: dict[str, Any] = {
        "id": new.id,
        "title": new.title,
        "outlet": new.outlet,
        "authors": list(new.authors),
        "published": new.published,
        "published_basis": new.published_basis,
        "published_note": new.published_note,
        "url": new.url,
        "language": new.language,
        "archive": text_file.name,
        "sha256": hashlib.sha256(raw).hexdigest(),
        "note": new.note,
    }
    _check_source(fields)
    taken = [s for s in existing.items("source") if s.get("archive") == text_file.name]
    if archive.exists() or taken:
        raise UsageError(
            f"{archive} already exists; rename the text file so each source has its own archive"
        )
    archive.parent.mkdir(exist_ok=True)
    try:
        create_file(archive, raw)
    except FileExistsError:
        raise UsageError(f"{archive} already exists; nothing was written") from None
    target = root / SOURCES_FILE
    try:
        append_file(target, toml_table("source", fields))
    except BaseException:
        archive.unlink(missing_ok=True)
        raise
    return archive, target


def _check_source(fields: dict[str, Any]) -> None:
    """The record as the format's model would judge it: every problem, named by option."""
    from pydantic import ValidationError

    from migfacts.schema import SourceModel

    try:
        SourceModel.model_validate({k: v for k, v in fields.items() if v is not None})
    except ValidationError as error:
        messages = []
        for detail in error.errors(include_url=False):
            field = ".".join(str(part) for part in detail["loc"] if isinstance(part, str))
            option = "--" + field.replace("_", "-") if field else "the source"
            message = str(detail["msg"]).removeprefix("Value error, ")
            if detail["type"] == "missing":
                message = "is required by the fact format"
            messages.append(f"{option}: {message}")
        raise UsageError("; ".join(messages)) from None


def fact_file_for(root: Path, source: Mapping[str, Any]) -> Path:
    """Where a source's facts go: `<source id>.toml` in the base."""
    return root / f"{source['id']}.toml"


def fact_file_header(source: Mapping[str, Any]) -> str:
    def one_line(key: str) -> str:  # a title with a line break must not end the comment
        return " ".join(str(source.get(key, "")).split())

    return _FACTS_HEADER.format(
        title=one_line("title"),
        outlet=one_line("outlet"),
        id=one_line("id"),
        archive=ARCHIVE_FOLDER,
        file=one_line("archive"),
    )


# --- draft ------------------------------------------------------------------------------


@dataclass
class DraftPlan:
    """What `migfacts draft` would write: the stubs, as TOML, and where they would go."""

    stubs: list[Any]
    toml: str
    target: Path | None  # the source's fact file; None for a text that is not a source
    header: str  # what a new fact file starts with


def plan_draft(root: Path, wanted: str, archive: Path | None) -> DraftPlan:
    """Stubs for the numbers of a source (by id) or a text file that nothing accounts for.

    The base is read as written, not validated: stubs already appended and still unfinished
    count as accounting for their numbers, so drafting twice adds nothing twice.
    """
    from migfacts.draft import SourceInfo, draft_article, render_stubs
    from migfacts.loader import bundled_facts
    from migfacts.records import Place, Topic, record_from_dict

    if str(root) == "bundled":
        root = bundled_facts()
    raw_base = read_raw(root)
    found = raw_base.find("source", "id", wanted)
    if found is not None:
        _, source = found
        folder = archive if archive is not None else root / ARCHIVE_FOLDER
        text_path = folder / str(source.get("archive", ""))
        info = SourceInfo(str(source["id"]), _text(source.get("published")))
        facts = [f for f in raw_base.items("fact") if f.get("source") == source["id"]]
        skips = [s for s in raw_base.items("skip") if s.get("source") == source["id"]]
        target: Path | None = fact_file_for(root, source)
        header = fact_file_header(source)
    elif Path(wanted).is_file():
        text_path = Path(wanted)
        info, facts, skips, target, header = SourceInfo(None, None), [], [], None, ""
    else:
        known = ", ".join(str(s.get("id")) for s in raw_base.items("source")) or "none yet"
        raise UsageError(
            f"{wanted!r} is neither a source id of {root} (sources: {known}) nor a text file"
        )
    try:
        raw = text_path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(
            f"no archived text at {text_path}; give the folder of archived texts with --archive"
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"cannot read {text_path}: {error}") from None
    places = [record_from_dict(Place, p) for p in raw_base.items("place")]
    topics = [record_from_dict(Topic, t) for t in raw_base.items("topic")]
    taken = [str(f.get("id")) for f in raw_base.items("fact")]
    stubs = draft_article(raw, info, places, topics, facts, skips, taken)
    return DraftPlan(stubs, render_stubs(stubs, text_path.name), target, header)


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def append_draft(plan: DraftPlan) -> Path:
    """Add the stubs to the source's fact file, atomically (a new file gets a header)."""
    if plan.target is not None:
        writable_base(plan.target.parent)
    if plan.target is None:
        raise UsageError(
            "a text file that is not a source of the base cannot be appended to it; "
            "add it first with `migfacts add-source`"
        )
    text = plan.toml if plan.target.exists() else plan.header + "\n" + plan.toml
    append_file(plan.target, text)
    return plan.target
