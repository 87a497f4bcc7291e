"""The indexed store: a validated base in SQLite, so a query reads what its answer needs.

The TOML files stay the one source of truth; the store is a cache of what validation made of
them, one per base, under the user's cache folder (never in the fact folder). It holds every
record as its JSON (so a new field on a record flows through with no change here) next to
the columns queries look up: place codes by role, topics, period bounds, source, and
the folded text that `query`'s words match; each place and topic entry carries its fact's
period bounds too, so that places, topics and years narrow one another inside the indexes.
It is built per file: an edit re-validates that file, then the checks across files run in
SQL, and nothing else is read.

What it promises (the reliability issue's list):

- Keyed by content. Each file's SHA-256 is stored with its stat (size, mtime, ctime, inode,
  device). A file whose stat is unchanged is not read again, as git trusts its index: the
  kernel sets ctime on every write and no user call can set it back, so `touch -r` or
  `cp -p` cannot hide an edit. A file changed less than `RACY_SECONDS` before it was hashed
  is hashed again on the next run, since a second edit within one clock tick keeps its stat.
- Stamped with the rules: the hash of the modules that validate and index
  (`RULE_MODULES`), so a change to a rule rebuilds the store even without a version bump.
- Nothing planted is served: every row carries a keyed BLAKE2b MAC over its file's digest
  and its JSON, with a 32-byte key only the user can read (`key`, 0600). The list of files,
  their digests and row counts is MAC'd as a whole. A row that fails is never decoded; the
  store is removed and rebuilt. Rows found through an index are checked against the filter
  again, so a planted index entry cannot add a fact to an answer either. What `conflicts`
  compares of each fact (`compared`) has a MAC of its own, bound to the fact's file, place
  and id; reading them all, a fact met twice or missing is planted too. Notes, what
  `check` works out from a fact once (its words, the reading of its statement), are MAC'd
  with their fact's own MAC, and the word statistics with the manifest: a note that fails
  is worked out again, never used. Words notes are indexed by word (`note_words`), and
  the notes found there are read and checked: like any index entry, the index (or a note
  deleted) can hide a fact from `check`, but not plant one. `search`'s index (each fact's
  search words, made on first use) is checked as query's are: every fact it returns is
  scored again from its checked record, and an index that disagrees removes the store.
- The folder is created 0700 whatever the umask, and an existing one must belong to the
  user (its mode is then narrowed to 0700); the key and the database are checked the same
  way. Anything else and the store is not used: the base is validated in memory instead.
- Writes are atomic: a new store is built in a temporary file and renamed over the old; an
  update is one SQLite transaction. A failure of any kind (a full disk, SIGINT) rolls back
  and removes the temporary file; temporary files of processes that died are removed too.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sqlite3
import stat as stat_module

# hashlib.blake2b and hmac.compare_digest themselves, without importing hashlib (which loads
# OpenSSL, 3 ms of every run) or hmac; SHA-256 of file contents imports hashlib when needed.
from _blake2 import blake2b
from _operator import _compare_digest
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, overload

from migfacts.errors import ExitStatus, MigfactsError
from migfacts.names import normalize
from migfacts.records import (
    Fact,
    FactBase,
    Place,
    Skip,
    Source,
    Topic,
    record_from_dict,
)

if TYPE_CHECKING:
    from migfacts.query import FactFilter

FORMAT = 5  # the layout of the tables below
RACY_SECONDS = 2.0  # a file changed this recently when hashed is hashed again next time
PAGE = 500  # facts decoded per round trip while streaming
# The place roles a fact has, each indexed; "*" rows index `Fact.places` (any role).
ROLES = ("origin", "destination", "area")
# The modules whose code decides what a valid base is and what the store holds.
RULE_MODULES = ("schema", "validate", "numbers", "periods", "names", "records", "loader",
                "measures", "store")  # fmt: skip

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE files (
    name TEXT PRIMARY KEY, seq INTEGER NOT NULL, digest TEXT NOT NULL, size INTEGER NOT NULL,
    mtime INTEGER NOT NULL, ctime INTEGER NOT NULL, ino INTEGER NOT NULL, dev INTEGER NOT NULL,
    trusted INTEGER NOT NULL, facts INTEGER NOT NULL, items INTEGER NOT NULL, smac BLOB NOT NULL);
CREATE TABLE items (
    file TEXT NOT NULL, idx INTEGER NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL,
    json TEXT NOT NULL, mac BLOB NOT NULL);
CREATE TABLE facts (
    rowid INTEGER PRIMARY KEY, file TEXT NOT NULL, idx INTEGER NOT NULL, id TEXT NOT NULL,
    source TEXT NOT NULL, pstart TEXT NOT NULL, pend TEXT NOT NULL,
    haystack TEXT NOT NULL, json TEXT NOT NULL, mac BLOB NOT NULL);
CREATE TABLE compared (
    fact INTEGER PRIMARY KEY, file TEXT NOT NULL, idx INTEGER NOT NULL, id TEXT NOT NULL,
    source TEXT NOT NULL, measure TEXT NOT NULL, figure TEXT NOT NULL, period TEXT NOT NULL,
    shape TEXT NOT NULL, mac BLOB NOT NULL);
CREATE TABLE fact_place (
    fact INTEGER NOT NULL, role TEXT NOT NULL, code TEXT NOT NULL,
    pstart TEXT NOT NULL, pend TEXT NOT NULL);
CREATE TABLE fact_topic (
    fact INTEGER NOT NULL, topic TEXT NOT NULL, pstart TEXT NOT NULL, pend TEXT NOT NULL);
CREATE TABLE notes (
    kind TEXT NOT NULL, fact INTEGER NOT NULL, value TEXT NOT NULL, mac BLOB NOT NULL,
    PRIMARY KEY (kind, fact));
CREATE VIRTUAL TABLE note_words USING fts5(
    words, content='', detail=none, tokenize="ascii tokenchars '_@-'");
CREATE TRIGGER note_words_insert AFTER INSERT ON notes WHEN new.kind GLOB 'check-words/*' BEGIN
    INSERT INTO note_words(rowid, words) VALUES (new.fact, new.value); END;
CREATE TRIGGER note_words_replace BEFORE INSERT ON notes WHEN new.kind GLOB 'check-words/*'
BEGIN
    INSERT INTO note_words(note_words, rowid, words)
    SELECT 'delete', fact, value FROM notes WHERE kind = new.kind AND fact = new.fact; END;
CREATE TRIGGER note_words_delete AFTER DELETE ON notes WHEN old.kind GLOB 'check-words/*' BEGIN
    INSERT INTO note_words(note_words, rowid, words) VALUES ('delete', old.fact, old.value); END;
CREATE TRIGGER note_words_update AFTER UPDATE ON notes BEGIN
    INSERT INTO note_words(note_words, rowid, words)
    SELECT 'delete', old.fact, old.value WHERE old.kind GLOB 'check-words/*';
    INSERT INTO note_words(rowid, words)
    SELECT new.fact, new.value WHERE new.kind GLOB 'check-words/*'; END;
"""

# Notes are a rowid table, their key in an index of its own: in a WITHOUT ROWID table a
# search that meets a long value on its way reads all of it, and `conflicts` keeps its groups
# as one note (2.6 MB at 100,000 facts), so that looking for the notes of a new kind took
# 1 ms a fact (100 s at 100,000 facts, the first check after a change of code or names).

# `check`'s words notes ("check-words/<stamp>") hold a fact's words between spaces and its
# places as "@CODE", and `note_words` indexes them by word: a check at 100,000 facts finds
# the couple of thousand that share a word with its claim in the index, rather than reading
# the notes of every fact that names its places (a third of the time). The index keeps no
# text (content=''), so the triggers remove a note's words with the note's own value: an
# INSERT OR REPLACE, which fires no delete trigger, removes the old one first, and an
# UPDATE the old before it adds the new. Its rows are the facts' rows, so there is one
# words kind at a time: a note of a new kind drops the others first (`_write_notes`).

# Made after a new store's rows are in, which is faster than keeping them up to date row
# by row (100,000 facts: 1 s less); on a store that has them, nothing is done.
_INDEXES = (
    "CREATE INDEX IF NOT EXISTS items_kind ON items(kind, key)",
    "CREATE INDEX IF NOT EXISTS items_file ON items(file, idx)",
    "CREATE INDEX IF NOT EXISTS facts_order ON facts(pstart, pend, id)",
    "CREATE INDEX IF NOT EXISTS facts_id ON facts(id)",
    "CREATE INDEX IF NOT EXISTS facts_source ON facts(source)",
    "CREATE INDEX IF NOT EXISTS compared_measure ON compared(measure)",
    "CREATE INDEX IF NOT EXISTS facts_file ON facts(file, idx)",
    "CREATE INDEX IF NOT EXISTS fact_place_code ON fact_place(code, role, pend, pstart, fact)",
    "CREATE INDEX IF NOT EXISTS fact_place_fact ON fact_place(fact)",
    "CREATE INDEX IF NOT EXISTS fact_topic_topic ON fact_topic(topic, pend, pstart, fact)",
    "CREATE INDEX IF NOT EXISTS fact_topic_fact ON fact_topic(fact)",
    "CREATE INDEX IF NOT EXISTS notes_fact ON notes(fact)",
)

# `search`'s own index: each fact's search words (`search.document`), as search made them, in
# an FTS5 index whose tokens are exactly those words (the ascii tokenizer splits on spaces
# alone here: a word is made of \w characters, and all of them are token characters), so
# that its counts are search's counts. Built on first use, then kept in step with the facts:
# a fact removed takes its words with it, a new one gets them on the next search, and a
# place or topic renamed renews the words of the facts that name it.
_SEARCH_INSERT = (
    "CREATE TRIGGER search_docs_insert AFTER INSERT ON search_docs BEGIN "
    "INSERT INTO search_words(rowid, words) VALUES (new.rowid, new.words); END"
)
_SEARCH_SCHEMA = (
    "CREATE TABLE search_docs (rowid INTEGER PRIMARY KEY, words TEXT NOT NULL)",
    # What a score needs of each fact besides its words, in narrow rows: quick to read.
    "CREATE TABLE search_facts (rowid INTEGER PRIMARY KEY, id TEXT NOT NULL, "
    "pstart TEXT NOT NULL, pend TEXT NOT NULL, length INTEGER NOT NULL)",
    "CREATE INDEX search_facts_period ON search_facts(pend, pstart)",
    "CREATE INDEX search_facts_start ON search_facts(pstart, pend)",
    # How many facts have each period, and how many words they have: BM25's statistics and
    # the rarity of a year, summed over a few hundred periods rather than counted over every
    # fact. Kept by the triggers below, whoever changes `search_facts`.
    "CREATE TABLE search_periods (pstart TEXT NOT NULL, pend TEXT NOT NULL, "
    "facts INTEGER NOT NULL, words INTEGER NOT NULL, PRIMARY KEY (pstart, pend)) WITHOUT ROWID",
    "CREATE TRIGGER search_periods_insert AFTER INSERT ON search_facts BEGIN "
    "INSERT INTO search_periods VALUES (new.pstart, new.pend, 1, new.length) "
    "ON CONFLICT (pstart, pend) DO UPDATE SET facts = facts + 1, words = words + new.length; END",
    "CREATE TRIGGER search_periods_delete AFTER DELETE ON search_facts BEGIN "
    "UPDATE search_periods SET facts = facts - 1, words = words - old.length "
    "WHERE pstart = old.pstart AND pend = old.pend; END",
    "CREATE TRIGGER search_periods_update AFTER UPDATE OF pstart, pend, length ON search_facts "
    "BEGIN UPDATE search_periods SET facts = facts - 1, words = words - old.length "
    "WHERE pstart = old.pstart AND pend = old.pend; "
    "INSERT INTO search_periods VALUES (new.pstart, new.pend, 1, new.length) "
    "ON CONFLICT (pstart, pend) DO UPDATE SET facts = facts + 1, words = words + new.length; END",
    "CREATE TABLE search_names (kind TEXT NOT NULL, key TEXT NOT NULL, name TEXT NOT NULL, "
    "PRIMARY KEY (kind, key))",
    "CREATE VIRTUAL TABLE search_words USING fts5(words, content='search_docs', "
    "content_rowid='rowid', tokenize=\"ascii tokenchars '_'\")",
    "CREATE VIRTUAL TABLE search_terms USING fts5vocab(search_words, row)",
    _SEARCH_INSERT,
    "CREATE TRIGGER search_docs_delete AFTER DELETE ON search_docs BEGIN "
    "INSERT INTO search_words(search_words, rowid, words) "
    "VALUES ('delete', old.rowid, old.words); END",
    "CREATE TRIGGER search_facts_delete AFTER DELETE ON facts BEGIN "
    "DELETE FROM search_docs WHERE rowid = old.rowid; "
    "DELETE FROM search_facts WHERE rowid = old.rowid; END",
)
_SEARCH_DROP = (
    "DROP TRIGGER IF EXISTS search_facts_delete",
    "DROP TRIGGER IF EXISTS search_docs_delete",
    "DROP TRIGGER IF EXISTS search_docs_insert",
    "DROP TABLE IF EXISTS search_hits",
    "DROP TABLE IF EXISTS search_terms",
    "DROP TABLE IF EXISTS search_words",
    "DROP TABLE IF EXISTS search_names",
    "DROP TABLE IF EXISTS search_docs",
    "DROP TABLE IF EXISTS search_facts",
    "DROP TABLE IF EXISTS search_periods",
)

# What `search` asks of its index, one set of facts (rows) each: ("place", codes) the facts
# naming any of these places in any role, ("topic", id) those with this topic, ("years",
# start, end) those whose period overlaps these ISO dates, ("words", words) those whose search
# words hold these side by side (one word, or a phrase).
SearchSet = tuple[Any, ...]


_KINDS: dict[str, type[Source | Place | Topic | Skip]] = {
    "source": Source,
    "place": Place,
    "topic": Topic,
    "skip": Skip,
}


class Unavailable(Exception):
    """The store cannot be used safely here; the base is validated in memory instead."""


class _Tampered(Exception):
    """A row that fails its MAC, met while writing: the write is abandoned."""


class StoreChanged(MigfactsError):
    """A row failed its check while being read: the store was changed by something else."""

    exit_status = ExitStatus.RETRY


# --- the folder, the key, the rules ------------------------------------------------------


def private_folder(folder: Path) -> Path:
    """The cache folder, created 0700; an existing one must be the user's own folder."""
    missing = []
    probe = folder
    while not os.path.lexists(probe) and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    for path in reversed(missing):
        try:
            os.mkdir(path, 0o700)  # the mode is exact: a umask can only narrow it
        except FileExistsError:
            pass
        except OSError as error:
            raise Unavailable(f"cannot create {path}: {error.strerror or error}") from None
    try:
        info = os.stat(folder)
    except OSError as error:
        raise Unavailable(f"cannot use {folder}: {error.strerror or error}") from None
    if not stat_module.S_ISDIR(info.st_mode):
        raise Unavailable(f"{folder} is not a folder")
    if info.st_uid != os.geteuid():
        raise Unavailable(f"{folder} belongs to another user")
    if info.st_mode & 0o077:
        try:
            os.chmod(folder, 0o700)
        except OSError as error:
            raise Unavailable(f"cannot make {folder} private: {error.strerror}") from None
    return folder


def _private_file(fd: int, path: Path) -> None:
    info = os.fstat(fd)
    if not stat_module.S_ISREG(info.st_mode) or info.st_uid != os.geteuid():
        raise Unavailable(f"{path} is not the user's own file")
    if info.st_mode & 0o077:
        raise Unavailable(f"{path} can be read or written by others")


def user_key(folder: Path) -> bytes:
    """The user's MAC key: 32 random bytes in `folder/key`, readable by the user alone."""
    path = folder / "key"
    for _attempt in range(2):
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
        except FileNotFoundError:
            _make_key(path)
            continue
        except OSError as error:
            raise Unavailable(f"cannot read {path}: {error.strerror or error}") from None
        try:
            _private_file(fd, path)
            key = os.read(fd, 64)
        finally:
            os.close(fd)
        if len(key) != 32:
            raise Unavailable(f"{path} is not a migfacts key")
        return key
    raise Unavailable(f"cannot create {path}")


def _make_key(path: Path) -> None:
    temporary = path.with_name(f".key.{os.getpid()}.tmp")
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        try:
            os.write(fd, os.urandom(32))
            os.fsync(fd)
        finally:
            os.close(fd)
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)  # never replaces a key another process made first
    except OSError as error:
        raise Unavailable(f"cannot create {path}: {error.strerror or error}") from None
    finally:
        _unlink(temporary)


def _unlink(path: Path | str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


def rules_stamp() -> str:
    """The hash of the code that decides validity and indexing (see `RULE_MODULES`)."""
    return code_stamp(RULE_MODULES, str(FORMAT))


def code_stamp(modules: Iterable[str], salt: str = "") -> str:
    """The hash of these modules' code: what is kept from them is stale when it changes."""
    here = Path(__file__).parent
    digest = blake2b(salt.encode())
    for name in modules:
        try:
            digest.update((here / f"{name}.py").read_bytes())
        except OSError:
            from migfacts import __version__

            digest.update(f"{name}:{__version__}".encode())
    return digest.hexdigest()


# --- files -------------------------------------------------------------------------------


class FileState:
    """One fact file as found now: its name in the base, where it is, and its stat."""

    __slots__ = ("info", "name", "where")

    def __init__(self, name: str, where: str, info: os.stat_result) -> None:
        self.name, self.where, self.info = name, where, info

    @property
    def path(self) -> Path:
        return Path(self.where)

    def stamp(self) -> tuple[int, int, int, int, int]:
        i = self.info
        return (i.st_size, i.st_mtime_ns, i.st_ctime_ns, i.st_ino, i.st_dev)


def file_states(
    root: Path, names: Sequence[str], infos: Sequence[os.stat_result]
) -> list[FileState]:
    """Each file with its stat; `names` are below the folder `root`, or `root` is the one file.

    Made only when some file changed: a warm run compares `stat_signature` alone.
    """
    if root.is_file():
        return [FileState(root.name, str(root), infos[0])]
    folder = str(root)
    prefix = "" if folder == "." else folder if folder.endswith(os.sep) else folder + os.sep
    return [FileState(name, prefix + name, info) for name, info in zip(names, infos, strict=True)]


def stats_mac(key: bytes, signature: str, manifest: str) -> str:
    """The stat signature bound to the file list and the user's key: planted, it fails."""
    message = f"{signature}\0{manifest}".encode()
    return blake2b(message, key=key, digest_size=16).hexdigest()


def stat_mac(key: bytes, name: str, digest: str, stamp: tuple[int, ...], trusted: bool) -> bytes:
    """One file's stat bound to its name, digest and the user's key: the stat a file is
    trusted by, without reading it, when others have changed."""
    message = f"{name}\0{digest}\0{stamp}\0{int(trusted)}".encode()
    return blake2b(message, key=key, digest_size=16).digest()


def stat_trusted(key: bytes, name: str, known: tuple[Any, ...], stamp: tuple[int, ...]) -> bool:
    """Whether a file whose stat is `stamp` now is as it was when hashed (`known` is its
    row of `Opened.known`): the stored stat trusted, the same, and its MAC good."""
    return (
        bool(known[7])
        and tuple(known[2:7]) == stamp
        and _compare_digest(stat_mac(key, name, known[1], stamp, True), known[10])
    )


def stat_signature(names: Sequence[str], infos: Sequence[os.stat_result]) -> str:
    """One hash of every file's name and stat, to tell in one comparison that none changed."""
    parts = [
        f"{name}\0{i.st_size} {i.st_mtime_ns} {i.st_ctime_ns} {i.st_ino} {i.st_dev}"
        for name, i in zip(names, infos, strict=True)
    ]
    return blake2b("\n".join(parts).encode()).hexdigest()


def _signature_of(states: Sequence[FileState]) -> str:
    return stat_signature([state.name for state in states], [state.info for state in states])


def _racy(info: os.stat_result, hashed_at: float) -> bool:
    newest = max(info.st_mtime_ns, info.st_ctime_ns) / 1e9
    return hashed_at - newest < RACY_SECONDS


# --- rows --------------------------------------------------------------------------------


def _mac(key: bytes, kind: str, file: str, digest: str, text: str) -> bytes:
    message = f"{kind}\0{file}\0{digest}\0{text}".encode()
    return blake2b(message, key=key, digest_size=16).digest()


def _mac_state(key: bytes, kind: str, file: str, digest: str) -> Any:
    """`_mac` fed all but the text: a copy, fed the text, gives the same MAC."""
    return blake2b(f"{kind}\0{file}\0{digest}\0".encode(), key=key, digest_size=16)


# json.dumps with options makes a new encoder on every call: a third of the time of a row.
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _json(record: Source | Place | Topic | Fact | Skip) -> str:
    """`record_to_dict(record)` as compact JSON (the encoder writes tuples as arrays)."""
    return _encode(record._asdict())


_ITEM_KEY = {"source": "id", "place": "code", "topic": "id", "skip": "source"}


class PreparedFile:
    """One validated file, as the rows the store inserts for it."""

    def __init__(self, name: str, digest: str, records: list[tuple[str, Any]], key: bytes):
        self.name, self.digest = name, digest
        self.items: list[tuple[str, int, str, str, str, bytes]] = []
        self.facts: list[tuple[Any, ...]] = []
        for index, (table, record) in enumerate(records):
            text = _json(record)
            mac = _mac(key, table, name, digest, text)
            if table == "fact":
                self.facts.append(fact_row(name, index, record, text, mac, key, digest))
            else:
                ident = getattr(record, _ITEM_KEY[table])
                self.items.append((name, index, table, ident, text, mac))


def fact_row(file: str, index: int, fact: Fact, text: str, mac: bytes, key: bytes,
             digest: str) -> tuple[Any, ...]:  # fmt: skip
    """The columns of a fact's row, then its place and topic entries (role, code; topic)."""
    period = fact.interval
    measure = _measure(fact)
    compared = [_encode([getattr(fact, name) for name in group]) for group in COMPARED_FIELDS]
    return (
        file,
        index,
        fact.id,
        fact.source,
        measure,
        period.start.isoformat(),
        period.end.isoformat(),
        _haystack(fact),
        text,
        mac,
        *compared,
        _compared_mac(key, file, digest, index, fact.id, fact.source, measure, *compared),
        [("*", code) for code in fact.places]
        + [(role, code) for role in ROLES for code in getattr(fact, role)],
        list(fact.topics),
    )


# The fields `conflicts` compares, kept in a narrow table of their own (`compared`: `figure`,
# `period`, `shape`), each the JSON array of the fields' values: a comparison of the whole
# base reads these short rows, not 100,000 records of a kilobyte each.
COMPARED_FIELDS = (
    ("value", "low", "high", "as_written", "unit", "qualifier"),
    ("period", "period_basis"),
    ("unit", "origin", "destination", "area", "nationality", "topics"),
)


def _compared_mac(key: bytes, file: str, digest: str, index: int, *columns: str) -> bytes:
    """The MAC of a row's compared columns, bound to its file's content, its place in the
    file and its fact's id, source and measure (all in `columns`)."""
    return _mac(key, "compare", file, digest, "\0".join((str(index), *columns)))


def _measure(fact: Fact) -> str:
    from migfacts.measures import measure_key

    return _encode(measure_key(fact))


def _haystack(fact: Fact) -> str:
    """What `query`'s free words are matched in: the same text `FactFilter.matches` folds."""
    return normalize(f"{fact.statement} {fact.quote} {fact.id}")


# --- the store ---------------------------------------------------------------------------


def _connect(path: Path | str, factory: type[sqlite3.Connection] = sqlite3.Connection
             ) -> sqlite3.Connection:  # fmt: skip
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, factory=factory)
    conn.execute("PRAGMA busy_timeout = 5000")
    return conn


class Store:
    """An open, checked store: every read verifies what it decodes."""

    def __init__(self, conn: sqlite3.Connection, path: Path, key: bytes,
                 digests: dict[str, str], order: dict[str, int]) -> None:  # fmt: skip
        self.conn, self.path, self.key = conn, path, key
        self.digests = digests  # file name -> content digest, from the MAC'd manifest
        self.order = order  # file name -> position in the base's file order
        self.read_macs: dict[int, bytes] = {}  # row -> MAC of the record read (`by_rowids`)
        self.read: dict[tuple[str, str], Any] = {}  # (kind, key) -> item, once decoded

    # decoding, checked

    def _decode(self, cls: Any, kind: str, file: str, text: str, mac: bytes) -> Any:
        self._verify(kind, file, text, mac)
        return record_from_dict(cls, json.loads(text))

    def _verify(self, kind: str, file: str, text: str, mac: bytes) -> None:
        """Raise StoreChanged unless the row's MAC holds: nothing read from it may be used."""
        digest = self.digests.get(file)
        if digest is None or not _compare_digest(_mac(self.key, kind, file, digest, text), mac):
            self._refuse(file)

    def _refuse(self, file: str) -> NoReturn:
        """A row of `file` failed its MAC: raise StoreChanged, removing the store unless
        another migfacts updated that file while this one read it."""
        if self._updated_since(file, self.digests.get(file)):
            self.updated()  # another migfacts brought the file up to date: no harm
        self.planted()

    def _verified(self, cls: Any, kind: str, file: str, text: str, mac: bytes) -> Any:
        """A record checked as `_decode` checks it, for checks inside a write: one that fails
        raises `_Tampered`, and the store is left to the caller."""
        digest = self.digests.get(file)
        if digest is None or not _compare_digest(_mac(self.key, kind, file, digest, text), mac):
            raise _Tampered
        return record_from_dict(cls, json.loads(text))

    def _updated_since(self, file: str, digest: str | None) -> bool:
        try:
            row = self.conn.execute("SELECT digest FROM files WHERE name = ?", (file,)).fetchone()
        except sqlite3.Error:
            return False
        return row is not None and row[0] != digest

    def reconnect(self) -> None:
        """In a forked process: read through a connection of its own. The one inherited is
        the parent's and is never used nor closed here (SQLite's rule for a fork); it is
        kept referenced so that collecting it does not close it either."""
        self._inherited = self.conn
        self.conn = _connect(self.path)

    def discard(self) -> None:
        """Remove the store file: the next run rebuilds it from the TOML files."""
        self.conn.close()
        _unlink(self.path)

    def _facts_from(self, rows: Iterable[tuple[str, str, bytes]]) -> list[Fact]:
        return [self._decode(Fact, "fact", file, text, mac) for file, text, mac in rows]

    # records

    def items(self, kind: str) -> list[Any]:
        rows = self.conn.execute(
            "SELECT file, json, mac, idx FROM items WHERE kind = ?", (kind,)
        ).fetchall()
        rows.sort(key=lambda row: (self.order.get(row[0], -1), row[3]))  # as the files list them
        return [self._decode(_KINDS[kind], kind, *row[:3]) for row in rows]

    def item(self, kind: str, key: str) -> Any:
        if (kind, key) in self.read:
            return self.read[kind, key]
        row = self.conn.execute(
            "SELECT file, json, mac FROM items WHERE kind = ? AND key = ?", (kind, key)
        ).fetchone()
        return None if row is None else self._decode(_KINDS[kind], kind, *row)

    def prefetch(self, kind: str, keys: Iterable[str]) -> None:
        """Read the items `keys` of `kind` not read yet in one query, for `item` to find.

        A page of facts names a hundred sources or so: one query, not one for each.
        """
        wanted = sorted({key for key in keys if (kind, key) not in self.read})
        for start in range(0, len(wanted), PAGE):
            chunk = wanted[start : start + PAGE]
            rows = self.conn.execute(
                "SELECT key, file, json, mac FROM items WHERE kind = ? AND key IN "
                f"({','.join('?' * len(chunk))})",
                [kind, *chunk],
            ).fetchall()
            for key, file, text, mac in rows:
                self.read[kind, key] = self._decode(_KINDS[kind], kind, file, text, mac)

    def all_facts(self) -> tuple[Fact, ...]:
        """Every fact, in the order of the files and within them."""
        facts: list[Fact] = []
        for name in sorted(self.order, key=self.order.__getitem__):
            rows = self.conn.execute(
                "SELECT file, json, mac FROM facts WHERE file = ? ORDER BY idx", (name,)
            )
            facts.extend(self._facts_from(rows))
        return tuple(facts)

    def fact(self, fact_id: str) -> Fact | None:
        row = self.conn.execute(
            "SELECT file, json, mac FROM facts WHERE id = ?", (fact_id,)
        ).fetchone()
        return None if row is None else self._facts_from([row])[0]

    def fact_ids(self) -> list[str]:
        return [row[0] for row in self.conn.execute("SELECT id FROM facts ORDER BY rowid")]

    def count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM facts").fetchone()[0])

    def by_rowids(self, rowids: Sequence[int], *, remember: bool = False) -> list[Fact]:
        """Facts by row, in the order asked. With `remember`, the MAC of each record read is
        kept (`read_macs`), so a note worked out from it is kept only for that record."""
        marks = ",".join("?" * len(rowids))
        rows = self.conn.execute(
            f"SELECT rowid, file, json, mac FROM facts WHERE rowid IN ({marks})", list(rowids)
        )
        found = {rowid: (file, text, mac) for rowid, file, text, mac in rows}
        missing = [rowid for rowid in rowids if rowid not in found]
        if missing:
            self.updated()
        facts = self._facts_from(found[rowid] for rowid in rowids)
        if remember:
            self.read_macs.update((rowid, found[rowid][2]) for rowid in rowids)
        return facts

    # look-ups

    def select(self, fact_filter: FactFilter) -> Selection:
        """The facts `fact_filter` selects, oldest period first, read a page at a time."""
        where: list[str] = []
        params: list[Any] = []

        def within(column: str, values: Iterable[str]) -> str:
            values = list(values)
            params.extend(values)
            return f"{column} IN ({','.join('?' * len(values))})"

        def overlapping() -> str:
            """The periods asked for, as bounds a posting's index holds beside each fact."""
            if not fact_filter.periods:
                return ""
            for period in fact_filter.periods:
                params.extend((period.start.isoformat(), period.end.isoformat()))
            return (
                " AND ("
                + " OR ".join(["(pend >= ? AND pstart <= ?)"] * len(fact_filter.periods))
                + ")"
            )

        # Each a set of rows; the answer is in all of them. With years asked for, each reads
        # only its entries in those years: at 100,000 facts a place and a topic have tens of
        # thousands of entries, and intersecting them all cost more than the rest of a query.
        postings: list[str] = []
        for role, groups in (("*", fact_filter.places), ("origin", fact_filter.origins),
                             ("destination", fact_filter.destinations)):  # fmt: skip
            if groups:  # repeated, an option widens: any place of any group
                params.append(role)
                postings.append(
                    "SELECT fact FROM fact_place WHERE role = ? AND "
                    + within("code", sorted(set().union(*groups)))
                    + overlapping()
                )
        if fact_filter.topics:
            postings.append(
                "SELECT fact FROM fact_topic WHERE "
                + within("topic", sorted(fact_filter.topics))
                + overlapping()
            )
        if postings:
            where.append("rowid IN (" + " INTERSECT ".join(postings) + ")")
        if fact_filter.periods:
            spans = []
            for period in fact_filter.periods:
                spans.append("(pstart <= ? AND pend >= ?)")
                params.extend((period.end.isoformat(), period.start.isoformat()))
            where.append("(" + " OR ".join(spans) + ")")
        if fact_filter.sources:
            where.append(within("source", sorted(fact_filter.sources)))
        for word in fact_filter.words:
            where.append("instr(haystack, ?) > 0")
            params.append(word)
        sql = "SELECT rowid FROM facts"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY pstart, pend, id"
        rowids = [row[0] for row in self.conn.execute(sql, params)]
        if fact_filter.words or fact_filter.numbers:
            # SQL finds the candidates; whole words and figures in any written form are
            # decided on the records themselves (query.FactFilter), a page at a time.
            kept = []
            for start in range(0, len(rowids), PAGE):
                chunk = rowids[start : start + PAGE]
                for rowid, fact in zip(chunk, self.by_rowids(chunk), strict=True):
                    if fact_filter.matches(fact):
                        kept.append(rowid)
            rowids = kept
        return Selection(self, rowids, fact_filter.matches)

    def compared(self, measures: Iterable[str] | None = None) -> Iterator[tuple[Any, ...]]:
        """What `conflicts` compares of every fact, or of the facts on `measures` (the
        `measure` column: the JSON of `measures.measure_key`), without reading records.

        Yields, in row order, each fact's rowid, id, source and measure, then its three
        `COMPARED_FIELDS` texts (JSON arrays of the fields' values, as the record has them).
        Each row's MAC is checked before anything of it is handed out. A row that fails, a
        fact met twice, or (reading them all) a fact missing is planted: the store goes.
        """
        select = "SELECT fact, file, idx, id, source, measure, figure, period, shape, mac"
        if measures is None:
            # The count in the same statement, so in the same snapshot as the rows.
            statements: list[tuple[str, list[str]]] = [
                (f"{select}, (SELECT count(*) FROM facts) FROM compared", [])
            ]
        else:
            names = sorted(set(measures))
            statements = [
                (
                    f"{select}, NULL FROM compared WHERE measure IN ({','.join('?' * len(chunk))})",
                    chunk,
                )
                for chunk in (names[start : start + PAGE] for start in range(0, len(names), PAGE))
            ]
        # Each file's MAC state, keyed and fed the row's prefix once: a copy of it MACs a row
        # (`_compared_mac`) without hashing the key's block again.
        macs: dict[str, Any] = {}
        seen: set[str] = set()
        total = None
        try:
            for sql, params in statements:
                cursor = self.conn.execute(sql + " ORDER BY fact", params)
                while rows := cursor.fetchmany(PAGE):
                    for rowid, file, index, *columns, mac, total in rows:  # noqa: B007
                        state = macs.get(file)
                        if state is None:
                            state = macs[file] = self._compared_state(file)
                        state = state.copy()
                        state.update(f"{index}\0{chr(0).join(columns)}".encode())
                        if not _compare_digest(state.digest(), mac):
                            self._refuse(file)
                        if columns[0] in seen:
                            self.planted()
                        seen.add(columns[0])
                        yield (rowid, *columns)
        except sqlite3.Error as error:
            raise StoreChanged(f"the store {self.path} could not be read ({error}); "
                               "run the command again") from None  # fmt: skip
        except TypeError:  # a column of another type than the store writes
            self.planted()
        if measures is None and len(seen) != (total or 0):
            self.planted()

    def _compared_state(self, file: str) -> Any:
        digest = self.digests.get(file)
        if digest is None:
            self._refuse(file)
        return _mac_state(self.key, "compare", file, digest)

    def updated(self) -> NoReturn:
        """Another migfacts changed the store while this one read it: nothing is wrong with
        it, but what this run read may be of two states, so it stops."""
        raise StoreChanged(f"the store {self.path} was updated while it was read; "
                           "run the command again")  # fmt: skip

    def planted(self) -> NoReturn:
        """Something in the store is not what migfacts wrote: remove it (the next run builds
        a new one from the files) and raise StoreChanged."""
        self.discard()
        raise StoreChanged(
            f"the store {self.path} was changed outside migfacts; it has been removed, "
            "so run the command again"
        )

    # search's own index (`_SEARCH_SCHEMA`): candidates and BM25's statistics

    def search_documents(
        self,
        stamp: str,
        names: dict[tuple[str, str], str],
        document: Callable[[Fact], Sequence[str]],
    ) -> bool:
        """Make sure every fact has its search words, `document(fact)`; False when that
        cannot be done here (the caller then searches in memory).

        `stamp` names the code that makes the words: another stamp and every fact's words
        are made again. `names` are the place names and topic labels (by ("place", code) or
        ("topic", id)) the words include: the facts naming one that changed are redone.
        """
        try:
            if self._search_current(stamp, names):
                return True
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                self._renew_search(stamp, names, document)
                self.conn.execute("COMMIT")
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")  # SIGINT, a full disk: as it was
                raise
            return True
        except sqlite3.Error:
            return False

    def _search_current(self, stamp: str, names: dict[tuple[str, str], str]) -> bool:
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'search'").fetchone()
        if row is None or row[0] != stamp:
            return False
        stored = self.conn.execute("SELECT kind, key, name FROM search_names").fetchall()
        if {(kind, key): name for kind, key, name in stored} != names:
            return False
        documents = self.search_totals()[0]
        return bool(documents == self.count())  # a fact removed takes its words with it

    def _renew_search(
        self,
        stamp: str,
        names: dict[tuple[str, str], str],
        document: Callable[[Fact], Sequence[str]],
    ) -> None:
        conn = self.conn
        row = conn.execute("SELECT value FROM meta WHERE key = 'search'").fetchone()
        if row is None or row[0] != stamp:
            for sql in (*_SEARCH_DROP, *_SEARCH_SCHEMA):
                conn.execute(sql)
            conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('search', ?)", (stamp,))
        stored = {
            (kind, key): name
            for kind, key, name in conn.execute("SELECT kind, key, name FROM search_names")
        }
        changed = {name for name in stored.keys() | names.keys()
                   if stored.get(name) != names.get(name)}  # fmt: skip
        for kind, sql in (
            ("place", "SELECT fact FROM fact_place WHERE role = '*' AND code = ?"),
            ("topic", "SELECT fact FROM fact_topic WHERE topic = ?"),
        ):
            keys = [(key,) for what, key in sorted(changed) if what == kind]
            for table in ("search_docs", "search_facts"):
                conn.executemany(f"DELETE FROM {table} WHERE rowid IN ({sql})", keys)
        conn.execute("DELETE FROM search_names")
        conn.executemany(
            "INSERT INTO search_names (kind, key, name) VALUES (?, ?, ?)",
            [(kind, key, name) for (kind, key), name in names.items()],
        )
        missing = [row[0] for row in conn.execute(
            "SELECT rowid FROM facts WHERE rowid NOT IN (SELECT rowid FROM search_facts) "
            "ORDER BY rowid")]  # fmt: skip
        # Many at once: indexed in one pass at the end, five times faster than one by one.
        bulk = len(missing) * 5 > self.count()
        if bulk:
            conn.execute("DROP TRIGGER search_docs_insert")
        for start in range(0, len(missing), PAGE):
            chunk = missing[start : start + PAGE]
            docs, rows = [], []
            for rowid, fact in zip(chunk, self.by_rowids(chunk), strict=True):
                words = list(document(fact))
                docs.append((rowid, " ".join(words)))
                period = fact.interval
                rows.append((rowid, fact.id, period.start.isoformat(), period.end.isoformat(),
                             len(words)))  # fmt: skip
            conn.executemany("INSERT INTO search_docs (rowid, words) VALUES (?, ?)", docs)
            conn.executemany("INSERT INTO search_facts VALUES (?, ?, ?, ?, ?)", rows)
        if bulk:
            conn.execute("INSERT INTO search_words(search_words) VALUES ('rebuild')")
            conn.execute(_SEARCH_INSERT)

    def search_totals(self) -> tuple[int, int]:
        """How many facts have search words, and how many words they have in all."""
        count, words = self.conn.execute(
            "SELECT coalesce(sum(facts), 0), coalesce(sum(words), 0) FROM search_periods"
        ).fetchone()
        return int(count), int(words)

    def word_frequency(self, word: str) -> int:
        """In how many facts' search words `word` occurs."""
        row = self.conn.execute("SELECT doc FROM search_terms WHERE term = ?", (word,)).fetchone()
        return 0 if row is None else int(row[0])

    def naming_count(self, what: str, keys: Iterable[str]) -> int:
        """How many facts name any of these places (any role) or topics."""
        keys = sorted(set(keys))
        if len(keys) == 1:
            # The index lists a fact's entries for one key side by side (same period, same
            # row), so a fact that lists a topic twice is counted once without a sort.
            sql = {
                "place": "SELECT count(*) FROM (SELECT DISTINCT pend, pstart, fact "
                "FROM fact_place WHERE code = ? AND role = '*')",
                "topic": "SELECT count(*) FROM (SELECT DISTINCT pend, pstart, fact "
                "FROM fact_topic WHERE topic = ?)",
            }[what]
        else:
            sql = {
                "place": "SELECT count(DISTINCT fact) FROM fact_place "
                "WHERE role = '*' AND code IN ({})",
                "topic": "SELECT count(DISTINCT fact) FROM fact_topic WHERE topic IN ({})",
            }[what].format(",".join("?" * len(keys)))
        row = self.conn.execute(sql, keys).fetchone()
        return int(row[0])

    def period_count(self, start: str, end: str) -> int:
        """How many facts (with search words) have a period overlapping `start`..`end`."""
        row = self.conn.execute(
            "SELECT coalesce(sum(facts), 0) FROM search_periods WHERE pend >= ? AND pstart <= ?",
            (start, end),
        ).fetchone()
        return int(row[0])

    def search_candidates(
        self,
        within: Sequence[SearchSet],
        groups: Sequence[Sequence[SearchSet]],
        *,
        after: tuple[str, str] | None = None,
        inside: Sequence[tuple[str, str]] = (),
        ranked: bool = False,
    ) -> sqlite3.Cursor:
        """The facts in any of the sets `within` (no restriction when there are none) and in
        every set of any of the `groups`: (row, period start, period end, id) each.

        With `after` (an end of period and an id), only those that sort before it, newest
        first: a later end, or the same end and an id no greater. With `inside`, only those
        whose period lies within each of these (start, end) spans. `ranked`, those within
        the `inside` spans first, then the newest first, then by id; else in no order.

        Each set is read once, however many groups name it. The bounds on periods that every
        group needs narrow the sets inside their indexes, which hold each entry's period.
        """
        if not groups and not within:
            return self.conn.execute("SELECT 0, '', '', '' WHERE 0")
        params: list[Any] = []
        spans = [one for one in (groups[0] if groups else ())
                 if one[0] == "years" and all(one in group for group in groups)]  # fmt: skip
        bounds: list[tuple[str, tuple[str, ...]]] = [
            ("pend >= ? AND pstart <= ?", (one[1], one[2])) for one in spans
        ]
        bounds += [("pstart >= ? AND pend <= ?", span) for span in inside if not ranked]
        if after is not None:
            bounds.append(("pend >= ?", (after[0],)))

        def narrowed(sql: str) -> str:
            for condition, values in bounds:
                sql += " AND " + condition
                params.extend(values)
            return sql

        def postings(one: SearchSet) -> str:
            kind = one[0]
            if kind == "years":
                # Read through the index on whichever bound leaves fewer facts to look at.
                ending, starting = self.conn.execute(
                    "SELECT coalesce(sum(facts) FILTER (WHERE pend >= ?), 0), "
                    "coalesce(sum(facts) FILTER (WHERE pstart <= ?), 0) FROM search_periods",
                    (one[1], one[2]),
                ).fetchone()
                params.extend((one[1], one[2]))
                if ending <= starting:
                    return narrowed(
                        "SELECT rowid FROM search_facts WHERE pend >= ? AND +pstart <= ?"
                    )
                return narrowed("SELECT rowid FROM search_facts WHERE +pend >= ? AND pstart <= ?")
            if kind == "words":
                params.append(_fts_string(" ".join(one[1])))
                return "SELECT rowid FROM search_words WHERE search_words MATCH ?"
            if kind == "place":
                params.extend(one[1])
                return narrowed(f"SELECT fact FROM fact_place WHERE role = '*' AND "
                                f"code IN ({','.join('?' * len(one[1]))})")  # fmt: skip
            params.append(one[1])
            return narrowed("SELECT fact FROM fact_topic WHERE topic = ?")

        def needed(group: Sequence[SearchSet]) -> list[SearchSet]:
            # A year every group needs is already read into each place and topic set.
            if any(one[0] in ("place", "topic") for one in group):
                return [one for one in group if one not in spans]
            return list(group)

        # The sets read from an index of places or topics first: narrowed by the years,
        # they are the smallest.
        sets = sorted({one for group in groups for one in needed(group)},
                      key=lambda one: (one[0] not in ("place", "topic"), repr(one)))  # fmt: skip
        names = {one: f"c{number}" for number, one in enumerate(sets)}
        ctes = [f"{names[one]} AS MATERIALIZED ({postings(one)})" for one in sets]
        parts = []
        if groups:
            parts.append(" UNION ".join(
                "SELECT * FROM (" + " INTERSECT ".join(
                    f"SELECT * FROM {names[one]}" for one in sorted(needed(group), key=sets.index)
                ) + ")"
                for group in groups))  # fmt: skip
        if within and not all(any(one in within for one in group) for group in groups):
            parts.append(" UNION ".join(postings(one) for one in within))
        sql = (("WITH " + ", ".join(ctes) + " ") if ctes else "") + (
            "SELECT s.rowid, s.pstart, s.pend, s.id FROM search_facts s WHERE s.rowid IN ("
            + " INTERSECT ".join(f"SELECT * FROM ({part})" for part in parts)
            + ")"
        )
        if after is not None:
            sql += " AND (s.pend > ? OR (s.pend = ? AND s.id <= ?))"
            params.extend((after[0], after[0], after[1]))
        if ranked:
            inner = " AND ".join(["(s.pstart >= ? AND s.pend <= ?)"] * len(inside)) or "1"
            sql += f" ORDER BY ({inner}) DESC, s.pend DESC, s.id"
            params.extend(value for span in inside for value in span)
        else:
            for start, end in inside:
                sql += " AND s.pstart >= ? AND s.pend <= ?"
                params.extend((start, end))
        return self.conn.execute(sql, params)

    def search_rows(
        self, rowids: Sequence[int], places: Collection[str], topics: Collection[str]
    ) -> Iterator[tuple[int, str, str, str, int, str, str, str]]:
        """For these facts: (row, id, period start, period end, number of search words, the
        words, the JSON array of the `places` it names, and that of the `topics` it has)."""
        # Each fact's own few place and topic entries ("+" keeps SQLite from reading every
        # entry of the places asked for, once per fact, through the index by code instead);
        # none asked for, none read.
        named = (
            "(SELECT json_group_array(code) FROM fact_place WHERE fact = s.rowid AND "
            f"+role = '*' AND +code IN ({','.join('?' * len(places))}))"
            if places
            else "'[]'"
        )
        listed = (
            "(SELECT json_group_array(topic) FROM fact_topic WHERE fact = s.rowid AND "
            f"+topic IN ({','.join('?' * len(topics))}))"
            if topics
            else "'[]'"
        )
        sql = (
            f"SELECT s.rowid, s.id, s.pstart, s.pend, s.length, d.words, {named}, {listed} "
            "FROM json_each(?) j CROSS JOIN search_facts s ON s.rowid = j.value "
            "CROSS JOIN search_docs d ON d.rowid = s.rowid"
        )
        for start in range(0, len(rowids), PAGE * 20):
            chunk = rowids[start : start + PAGE * 20]
            yield from self.conn.execute(
                sql, [*sorted(places), *sorted(topics), json.dumps(list(chunk))]
            )

    # notes: what a command works out from a fact once and keeps (`check`'s readings)

    def positions(self, rowids: Sequence[int]) -> dict[int, tuple[int, int]]:
        """Where each fact (row) stands in the base: its file's place, its place in the file."""
        found: dict[int, tuple[int, int]] = {}
        for start in range(0, len(rowids), 900):
            chunk = rowids[start : start + 900]
            for rowid, file, index in self.conn.execute(
                f"SELECT rowid, file, idx FROM facts WHERE rowid IN ({','.join('?' * len(chunk))})",
                chunk,
            ):
                found[rowid] = (self.order.get(file, -1), index)
        return found

    def rows_of(self, ids: Sequence[str]) -> dict[str, int]:
        """The row of each fact id found."""
        found: dict[str, int] = {}
        for start in range(0, len(ids), 900):
            chunk = ids[start : start + 900]
            found.update(self.conn.execute(
                f"SELECT id, rowid FROM facts WHERE id IN ({','.join('?' * len(chunk))})", chunk
            ).fetchall())  # fmt: skip
        return found

    def notes_holding(
        self,
        kind: str,
        codes: Sequence[str] | None,
        words: Sequence[str],
        *,
        every_fact_has_one: bool = False,
    ) -> tuple[dict[int, str], list[int]]:
        """For the facts naming any of `codes` in any role (every fact when None): the
        `check-words` notes of `kind` that hold any of `words` (all, when there are none),
        each checked, and the facts with no such note yet or one that fails its check, to
        work out again.

        `words` are single tokens (`\\w+`); `note_words` picks the notes, so only those read
        are checked: a note changed so as to hold no word hides its fact, as a deleted index
        entry would, but a planted one adds none. A caller that knows `every_fact_has_one` (a
        summary of them all is kept for the base as it is) is spared the search for facts
        with none: at 100,000 facts, a lookup per fact named.
        """
        if codes is None:
            facts, params = "SELECT rowid AS fact FROM facts", []
        else:
            marks = ",".join("?" * len(codes))
            facts = f"SELECT fact FROM fact_place WHERE role = '*' AND code IN ({marks})"
            params = list(codes)
        sql = "SELECT n.fact, n.value, n.mac, f.mac FROM notes n JOIN facts f ON f.rowid = n.fact "
        terms = [_one_of([f"@{code}" for code in codes or ()]), _one_of(words)]
        if any(terms):
            rows = self.conn.execute(
                sql + "WHERE n.kind = ? AND n.fact IN "
                "(SELECT rowid FROM note_words WHERE note_words MATCH ?)",
                [kind, " AND ".join(term for term in terms if term)],
            )
        else:
            rows = self.conn.execute(sql + "WHERE n.kind = ?", [kind])
        found: dict[int, str] = {}
        again: list[int] = []
        for fact, value, mac, fact_mac in rows:
            if _compare_digest(self._note_mac(kind, fact_mac, value), mac):
                found[fact] = value
            else:
                again.append(fact)
        if every_fact_has_one:
            return found, again
        missing = self.conn.execute(
            f"SELECT DISTINCT p.fact FROM ({facts}) p WHERE NOT EXISTS "
            "(SELECT 1 FROM notes n WHERE n.kind = ? AND n.fact = p.fact)",
            [*params, kind],
        )
        return found, again + [row[0] for row in missing]

    def vocabulary_stamp(self) -> str:
        """The hash of the places and topics: what names and describes things in the base."""
        digest = blake2b(digest_size=16)
        for (text,) in self.conn.execute(
            "SELECT json FROM items WHERE kind IN ('place', 'topic') ORDER BY kind, key, file"
        ):
            digest.update(text.encode() + b"\0")
        return digest.hexdigest()

    def _note_mac(self, kind: str, bound: bytes, value: str) -> bytes:
        message = b"note\0" + kind.encode() + b"\0" + bound + b"\0" + value.encode()
        return blake2b(message, key=self.key, digest_size=16).digest()

    def notes(self, kind: str, rowids: Sequence[int] | None = None) -> dict[int, str]:
        """The notes of `kind` kept for these facts (every fact's when None), by row.

        A note is MAC'd with its fact's own MAC, so it cannot outlive its fact nor be moved to
        another. One that fails its check is left out: it is worked out again, never served.
        """
        sql = (
            "SELECT n.fact, n.value, n.mac, f.mac FROM notes n JOIN facts f ON f.rowid = n.fact "
            "WHERE n.kind = ?"
        )
        if rowids is None:
            chunks: list[Sequence[int]] = [[]]
        else:
            chunks = [rowids[start : start + 900] for start in range(0, len(rowids), 900)]
        found: dict[int, str] = {}
        for chunk in chunks:
            where = f" AND n.fact IN ({','.join('?' * len(chunk))})" if rowids is not None else ""
            for fact, value, mac, fact_mac in self.conn.execute(sql + where, [kind, *chunk]):
                if _compare_digest(self._note_mac(kind, fact_mac, value), mac):
                    found[fact] = value
        return found

    def put_notes(self, kind: str, values: Mapping[int, str], kinds: Iterable[str]) -> bool:
        """Keep notes of `kind`, and drop those of `kinds`' families not in `kinds` (made by
        other code). Whether every note given was kept.

        Best effort: a store that cannot be written now (locked, read-only) keeps nothing.
        """
        # Bound to the record it was worked out from (read with `remember`), and kept only if
        # that record is still the row's: another run may have replaced it meanwhile.
        rows = [
            (kind, rowid, value, self._note_mac(kind, mac, value), mac)
            for rowid, value in values.items()
            if (mac := self.read_macs.get(rowid)) is not None
        ]

        def write(conn: sqlite3.Connection) -> int:
            # Staged, then written in one statement: `note_words` takes them in one pass
            # (row by row, FTS5 writes each to disk apart: 100,000 notes, 5 s instead of 1).
            conn.execute(
                "CREATE TEMP TABLE IF NOT EXISTS new_notes "
                "(kind TEXT, fact INTEGER, value TEXT, mac BLOB, fact_mac BLOB)"
            )
            conn.execute("DELETE FROM temp.new_notes")
            conn.executemany("INSERT INTO temp.new_notes VALUES (?, ?, ?, ?, ?)", rows)
            written = conn.execute(
                "INSERT OR REPLACE INTO notes SELECT n.kind, n.fact, n.value, n.mac "
                "FROM temp.new_notes n JOIN facts f ON f.rowid = n.fact AND f.mac = n.fact_mac"
            ).rowcount
            conn.execute("DELETE FROM temp.new_notes")
            return int(written)

        return self._write_notes(write, kinds) == len(values)

    def summary(self, kind: str) -> str | None:
        """A note on the whole base (`check`'s word statistics, `conflicts`' groups), if kept
        for the base as it is: it is MAC'd with the manifest, so any change to any file
        leaves it out."""
        row = self.conn.execute(
            "SELECT n.value, n.mac, m.value FROM notes n JOIN meta m ON m.key = 'manifest' "
            "WHERE n.kind = ? AND n.fact = 0",
            (kind,),
        ).fetchone()
        if row is None or not _compare_digest(
            self._note_mac(kind, row[2].encode(), row[0]), row[1]
        ):
            return None
        return str(row[0])

    def manifest(self) -> str:
        """The MAC of the file list as it is now: it changes with any file."""
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'manifest'").fetchone()
        return "" if row is None else str(row[0])

    def put_summary(self, kind: str, value: str, kinds: Iterable[str], manifest: str) -> None:
        """Keep a note on the whole base worked out while the file list was `manifest`, if it
        still is."""
        mac = self._note_mac(kind, manifest.encode(), value)

        def write(conn: sqlite3.Connection) -> int:
            return int(conn.execute(
                "INSERT OR REPLACE INTO notes SELECT ?, 0, ?, ? "
                "WHERE (SELECT value FROM meta WHERE key = 'manifest') = ?",
                (kind, value, mac, manifest),
            ).rowcount)  # fmt: skip

        self._write_notes(write, kinds)

    def _write_notes(self, write: Callable[[sqlite3.Connection], int], kinds: Iterable[str]) -> int:
        """Drop the notes of `kinds`' families ("check-words" of "check-words/<stamp>") that
        are not in `kinds` (kept by other code, never read again) and `write`, in one
        transaction. The notes of other families (another command's) are left alone. How
        many notes `write` wrote: none when the store could not be written."""
        kinds = sorted(set(kinds))
        families = sorted({kind.split("/")[0] for kind in kinds})
        stale = (
            "DELETE FROM notes WHERE substr(kind, 1, instr(kind || '/', '/') - 1) IN "
            f"({','.join('?' * len(families))}) AND kind NOT IN ({','.join('?' * len(kinds))})"
        )
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                self.conn.execute(stale, [*families, *kinds])
                written = write(self.conn)
                self.conn.execute("COMMIT")
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
        except sqlite3.Error:
            return 0
        return max(written, 0)

    def counts(self, what: str) -> Counter[str]:
        """How many facts name each source, place (any role) or topic."""
        sql = {
            "source": "SELECT source, count(*) FROM facts GROUP BY source",
            "place": "SELECT code, count(*) FROM fact_place WHERE role = '*' GROUP BY code",
            "topic": "SELECT topic, count(*) FROM fact_topic GROUP BY topic",
        }[what]
        return Counter({key: count for key, count in self.conn.execute(sql)})


def _fts_string(text: str) -> str:
    """`text` as an FTS5 string: its tokens as a phrase, never read as operators."""
    return '"' + text.replace('"', '""') + '"'


def _one_of(tokens: Sequence[str]) -> str:
    """An FTS5 query matching any of `tokens`, or "" for none."""
    for token in tokens:
        if not _TOKEN.fullmatch(token):
            raise ValueError(f"not one index token: {token!r}")
    return " OR ".join(map(_fts_string, tokens))


# One token of `note_words`: what its tokenizer keeps whole. A word (`\w+`) or "@" and a
# place code; anything else would be read as several tokens, a phrase the index cannot match.
_TOKEN = re.compile(r"@?[\w-]+")


class Selection(Sequence[Fact]):
    """Selected facts, decoded a page at a time so memory follows the page, not the base.

    Each fact must pass `check` (an index entry that does not fit its record is planted: the
    store is removed). With `ids`, the rows must also still hold those facts, in that order:
    when another run updated the store since they were chosen, the command is run again.
    """

    def __init__(self, store: Store, rowids: list[int], check: Callable[[Fact], bool],
                 ids: list[str] | None = None) -> None:  # fmt: skip
        self.store, self.rowids, self.check, self.ids = store, rowids, check, ids

    def __len__(self) -> int:
        return len(self.rowids)

    @overload
    def __getitem__(self, index: int) -> Fact: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Fact]: ...
    def __getitem__(self, index: int | slice) -> Fact | Sequence[Fact]:
        ids = self.ids
        if isinstance(index, slice):
            return Selection(self.store, self.rowids[index], self.check,
                             None if ids is None else ids[index])  # fmt: skip
        return self._read(slice(index, index + 1 if index != -1 else None))[0]

    def __iter__(self) -> Iterator[Fact]:
        for start in range(0, len(self.rowids), PAGE):
            page = self._read(slice(start, start + PAGE))
            self.store.prefetch("source", (fact.source for fact in page))  # every row shows one
            yield from page

    def _read(self, part: slice) -> list[Fact]:
        facts = self.store.by_rowids(self.rowids[part])
        if self.ids is not None and [fact.id for fact in facts] != self.ids[part]:
            self.store.updated()
        return self._checked(facts)

    def _checked(self, facts: list[Fact]) -> list[Fact]:
        for fact in facts:
            if not self.check(fact):  # an index entry that does not fit its record
                self.store.planted()
        return facts


# --- a base read from the store ----------------------------------------------------------


class _StoredSources(Mapping[str, Source]):
    """Sources read when asked for; all of them at once when iterated."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.known: dict[str, Source | None] = {}

    @cached_property
    def _all(self) -> dict[str, Source]:
        return {source.id: source for source in self.store.items("source")}

    def __getitem__(self, key: str) -> Source:
        if "_all" in self.__dict__:
            return self._all[key]
        if key not in self.known:
            self.known[key] = self.store.item("source", key)
        found = self.known[key]
        if found is None:
            raise KeyError(key)
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._all)

    def __len__(self) -> int:
        return len(self._all)

    def values(self) -> Any:
        return self._all.values()

    def items(self) -> Any:
        return self._all.items()


class _StoredFacts(Mapping[str, Fact]):
    """Facts by id, read from the store one at a time."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def __getitem__(self, key: str) -> Fact:
        fact = self.store.fact(key)
        if fact is None:
            raise KeyError(key)
        return fact

    def __iter__(self) -> Iterator[str]:
        return iter(self.store.fact_ids())

    def __len__(self) -> int:
        return self.store.count()


class StoredBase(FactBase):
    """A base whose facts stay in the store until something asks for all of them."""

    def __init__(self, store: Store, origin: str, display: Callable[[str], str]) -> None:
        super().__init__(
            sources=_StoredSources(store),
            places={place.code: place for place in store.items("place")},
            topics={topic.id: topic for topic in store.items("topic")},
            origin=origin,
        )
        self.store = self._store = store
        self._display = display

    @cached_property
    def facts(self) -> tuple[Fact, ...]:
        return self._store.all_facts()

    @cached_property
    def skips(self) -> tuple[Skip, ...]:
        return tuple(self._store.items("skip"))

    @cached_property
    def fact_files(self) -> Mapping[str, str]:
        rows = self._store.conn.execute("SELECT id, file FROM facts")
        return {ident: self._display(file) for ident, file in rows}

    @cached_property
    def facts_by_id(self) -> Mapping[str, Fact]:
        return _StoredFacts(self._store)


# --- opening, building, updating ---------------------------------------------------------


def store_path(folder: Path, root: Path) -> Path:
    name = blake2b(str(root.resolve()).encode(), digest_size=8).hexdigest()
    return folder / f"base-{name}.sqlite"


def _manifest(key: bytes, rules: str, rows: Iterable[tuple[Any, ...]]) -> str:
    """The MAC of the file list: names, digests and row counts, under these rules."""
    digest = blake2b(key=key, digest_size=16)
    digest.update(rules.encode())
    for name, file_digest, facts, items in sorted(rows):
        digest.update(f"\0{name}\0{file_digest}\0{facts}\0{items}".encode())
    return digest.hexdigest()


class Opened:
    """A store as found on disk, checked against its manifest, and how it differs from now."""

    def __init__(
        self, conn: sqlite3.Connection, rows: list[tuple[Any, ...]], meta: dict[str, str]
    ) -> None:
        self.conn = conn
        self.rows = rows  # (name, seq, digest, facts, items), as the manifest checked them
        self.digests = {row[0]: row[2] for row in rows}  # file name -> content digest
        self.order = {row[0]: row[1] for row in rows}  # file name -> position in the base
        self.meta = meta

    def unchanged(self, key: bytes, signature: str, files: int) -> bool:
        """Whether every file has the stat it had when last hashed, none racily: one check.

        `signature` is `stat_signature` of the `files` found now.
        """
        stored = self.meta.get("stats", "")
        return (
            bool(stored)
            and files == len(self.rows)
            and _compare_digest(stored, stats_mac(key, signature, self.meta.get("manifest", "")))
        )

    @cached_property
    def known(self) -> dict[str, tuple[Any, ...]]:
        """name -> (seq, digest, size, mtime, ctime, ino, dev, trusted, facts, items, smac).

        Read only when some file changed, to tell which; it must agree with the rows the
        manifest checked, or the store changed meanwhile (and is not used this time).
        """
        rows = self.conn.execute(
            "SELECT name, seq, digest, size, mtime, ctime, ino, dev, trusted, facts, items, smac "
            "FROM files"
        ).fetchall()
        known = {row[0]: row[1:] for row in rows}
        checked = {row[0]: row[1:] for row in self.rows}
        if {name: (r[0], r[1], r[8], r[9]) for name, r in known.items()} != checked:
            self.conn.close()
            raise Unavailable("the store changed while it was read")
        return known


def open_existing(path: Path, key: bytes, rules: str) -> Opened | None:
    """The store at `path` if it is the user's, of this format and rules, and untampered."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except FileNotFoundError:
        return None
    except OSError:
        _unlink(path)
        return None
    try:
        _private_file(fd, path)
    except Unavailable:
        os.close(fd)
        _unlink(path)  # ours to remove: the folder is the user's own
        return None
    os.close(fd)
    conn = None
    try:
        conn = _connect(path)
        conn.execute("BEGIN")  # one snapshot of the list and the counts
        meta = dict(conn.execute("SELECT key, value FROM meta"))
        if meta.get("format") != str(FORMAT) or meta.get("rules") != rules:
            raise ValueError("another format or other rules")
        # Only what the manifest covers: the stats of every file are read only when the
        # signature of them all shows that something changed (`Opened.known`).
        rows = conn.execute("SELECT name, seq, digest, facts, items FROM files").fetchall()
        if meta.get("manifest") != _manifest(key, rules, ((r[0], r[2], r[3], r[4]) for r in rows)):
            raise ValueError("the file list fails its check")
        total = conn.execute("SELECT count(*) FROM facts").fetchone()[0]
        if total != sum(row[3] for row in rows):
            raise ValueError("rows are missing")
        conn.execute("COMMIT")  # no lock held while the command runs: others may update
        return Opened(conn, rows, meta)
    except (sqlite3.Error, ValueError):
        if conn is not None:
            conn.close()
        _unlink(path)
        return None


def _insert(conn: sqlite3.Connection, prepared: Iterable[PreparedFile]) -> None:
    """The rows of files, in one statement a table: 100,000 facts each alone cost seconds.

    Each fact gets the rowid SQLite would give it, the next after the largest, so its
    place and topic rows can name it without asking.
    """
    files = list(prepared)
    conn.executemany(
        "INSERT INTO items (file, idx, kind, key, json, mac) VALUES (?, ?, ?, ?, ?, ?)",
        [item for file in files for item in file.items],
    )
    rowid = conn.execute("SELECT coalesce(max(rowid), 0) FROM facts").fetchone()[0]
    facts: list[tuple[Any, ...]] = []
    compared: list[tuple[Any, ...]] = []
    places: list[tuple[int, str, str, str, str]] = []
    topics: list[tuple[int, str, str, str]] = []
    for file in files:
        for row in file.facts:
            rowid += 1
            facts.append((rowid, *row[:4], *row[5:10]))  # the measure is `compared`'s
            compared.append((rowid, *row[:5], *row[10:14]))
            start, end = row[5], row[6]
            places.extend((rowid, role, code, start, end) for role, code in row[14])
            topics.extend((rowid, topic, start, end) for topic in row[15])
    conn.executemany(
        "INSERT INTO facts (rowid, file, idx, id, source, pstart, pend, haystack, json, mac)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        facts,
    )
    conn.executemany(
        "INSERT INTO compared (fact, file, idx, id, source, measure, figure, period, shape, mac)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        compared,
    )
    conn.executemany(
        "INSERT INTO fact_place (fact, role, code, pstart, pend) VALUES (?, ?, ?, ?, ?)", places
    )
    conn.executemany(
        "INSERT INTO fact_topic (fact, topic, pstart, pend) VALUES (?, ?, ?, ?)", topics
    )


def _delete(conn: sqlite3.Connection, name: str) -> None:
    conn.execute("DELETE FROM items WHERE file = ?", (name,))
    inner = "SELECT rowid FROM facts WHERE file = ?"
    conn.execute(f"DELETE FROM fact_place WHERE fact IN ({inner})", (name,))
    conn.execute(f"DELETE FROM fact_topic WHERE fact IN ({inner})", (name,))
    conn.execute(f"DELETE FROM notes WHERE fact IN ({inner})", (name,))
    conn.execute(f"DELETE FROM compared WHERE fact IN ({inner})", (name,))
    conn.execute("DELETE FROM facts WHERE file = ?", (name,))


_CROSS_CHECKS = (
    "SELECT 1 FROM facts GROUP BY id HAVING count(*) > 1 LIMIT 1",
    "SELECT 1 FROM items WHERE kind != 'skip' GROUP BY kind, key HAVING count(*) > 1 LIMIT 1",
    "SELECT 1 FROM facts WHERE source NOT IN (SELECT key FROM items WHERE kind = 'source') LIMIT 1",
    "SELECT 1 FROM items WHERE kind = 'skip' AND key NOT IN "
    "(SELECT key FROM items WHERE kind = 'source') LIMIT 1",
    "SELECT 1 FROM fact_place WHERE role = '*' AND code NOT IN "
    "(SELECT key FROM items WHERE kind = 'place') LIMIT 1",
    "SELECT 1 FROM fact_topic WHERE topic NOT IN (SELECT key FROM items WHERE kind = 'topic') "
    "LIMIT 1",
)


# The checks of `_CROSS_CHECKS` that concern facts, for the facts of some files ({files}).
_SCOPED_CHECKS = (
    "SELECT 1 FROM facts WHERE id IN (SELECT id FROM facts WHERE file IN ({files})) "
    "GROUP BY id HAVING count(*) > 1 LIMIT 1",
    "SELECT 1 FROM facts WHERE file IN ({files}) AND source NOT IN "
    "(SELECT key FROM items WHERE kind = 'source') LIMIT 1",
    "SELECT 1 FROM fact_place WHERE role = '*' AND fact IN (SELECT rowid FROM facts WHERE "
    "file IN ({files})) AND code NOT IN (SELECT key FROM items WHERE kind = 'place') LIMIT 1",
    "SELECT 1 FROM fact_topic WHERE fact IN (SELECT rowid FROM facts WHERE file IN ({files})) "
    "AND topic NOT IN (SELECT key FROM items WHERE kind = 'topic') LIMIT 1",
)


def cross_problems_found(
    conn: sqlite3.Connection,
    key: bytes,
    digests: dict[str, str],
    only: list[str] | None = None,
    changed: list[str] | None = None,
) -> bool:
    """Whether the checks across files would find anything, asked of the indexes.

    Fact ids, source ids and every reference are checked in SQL; the places and topics
    (a few hundred at most) go through `validate.cross_check` itself, for members and names
    that two places or topics both claim.
    """
    try:
        if only is not None:
            # Sources, places and topics are as they were, and valid together: only the
            # facts of the changed files can clash, name what does not exist, or read a
            # relative year ("last year") against their source's date wrongly.
            marks = ",".join("?" * len(only))
            for sql in _SCOPED_CHECKS:
                if conn.execute(sql.format(files=marks), [*only]).fetchone() is not None:
                    return True
            return _relative_years_wrong(conn, key, digests, only)
        for sql in _CROSS_CHECKS:
            if conn.execute(sql).fetchone() is not None:
                return True
        from migfacts.validate import cross_check

        scratch = Store(conn, Path(), key, digests, {})
        places = [(row[0], scratch._verified(Place, "place", *row)) for row in conn.execute(
            "SELECT file, json, mac FROM items WHERE kind = 'place'")]  # fmt: skip
        topics = [(row[0], scratch._verified(Topic, "topic", *row)) for row in conn.execute(
            "SELECT file, json, mac FROM items WHERE kind = 'topic'")]  # fmt: skip
        _base, problems = cross_check([], places, topics, [], [], "")
        return bool(problems) or _relative_years_wrong(conn, key, digests, changed)
    except _Tampered:
        return True  # not the rows written: the caller validates in memory instead


def _relative_years_wrong(
    conn: sqlite3.Connection, key: bytes, digests: dict[str, str], only: list[str] | None
) -> bool:
    """Whether a year written relative to its source's date ("last year") is not the fact's
    value: the one check across files that reads a fact's figure. With `only`, the facts of
    those files and those of the sources they define; else every fact."""
    from migfacts.anchors import is_relative_date
    from migfacts.validate import _relative_year_mismatch

    scratch = Store(conn, Path(), key, digests, {})
    params: list[str] = []
    where = ""
    if only is not None:
        marks = ",".join("?" * len(only))
        where = (f" AND (file IN ({marks}) OR source IN (SELECT key FROM items WHERE "
                 f"kind = 'source' AND file IN ({marks})))")  # fmt: skip
        params = [*only, *only]
    # Digits first ("2024") is never relative: only words ("last year") are read further.
    rows = conn.execute(
        "SELECT file, json, mac FROM facts WHERE json_extract(json, '$.unit') = "
        f"'calendar year' AND json_extract(json, '$.as_written') NOT GLOB '[0-9]*'{where}",
        params,
    ).fetchall()
    published: dict[str, str] = {}
    for row in rows:
        fact = scratch._verified(Fact, "fact", *row)
        if not is_relative_date(fact.as_written):
            continue
        if fact.source not in published:
            source = conn.execute(
                "SELECT file, json, mac FROM items WHERE kind = 'source' AND key = ?",
                (fact.source,),
            ).fetchone()
            if source is None:
                return True
            published[fact.source] = scratch._verified(Source, "source", *source).published
        if _relative_year_mismatch(fact, published[fact.source]):
            return True
    return False


def write_files(
    conn: sqlite3.Connection,
    key: bytes,
    rules: str,
    states: list[FileState],
    prepared: dict[str, PreparedFile],
    known: dict[str, tuple[Any, ...]],
    hashed: dict[str, tuple[str, bool]],
) -> bool:
    """Bring the tables to the files now: replace the changed, drop the removed.

    `hashed` holds the digest (and whether it may be trusted by stat next time) of every file
    read this run. Runs inside the caller's transaction; returns False when the result is not
    a valid base (the caller rolls back and reports the problems).
    """
    current = {state.name for state in states}
    for name in known:
        if name not in current or name in prepared:
            _delete(conn, name)
    conn.execute("DELETE FROM files")
    _insert(conn, prepared.values())
    for sql in _INDEXES:
        conn.execute(sql)
    rows = []
    for seq, state in enumerate(states):
        if state.name in prepared:
            item = prepared[state.name]
            digest, trusted = hashed[state.name]
            facts, items = len(item.facts), len(item.items)
        else:
            old = known[state.name]
            digest = old[1]
            trusted = hashed[state.name][1] if state.name in hashed else bool(old[7])
            facts, items = old[8], old[9]
        smac = stat_mac(key, state.name, digest, state.stamp(), trusted)
        rows.append((state.name, seq, digest, *state.stamp(), int(trusted), facts, items, smac))
    conn.executemany("INSERT INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    digests = {row[0]: row[2] for row in rows}
    # Only facts changed (no source, place, topic or skip came or went): check only them.
    facts_only = (
        bool(known)
        and all(not item.items for item in prepared.values())
        and all(known[name][9] == 0 for name in known if name in prepared or name not in current)
    )
    only = sorted(prepared) if facts_only else None
    if cross_problems_found(conn, key, digests, only, sorted(prepared) if known else None):
        return False
    manifest = _manifest(key, rules, ((r[0], r[2], r[9], r[10]) for r in rows))
    trusted_all = all(row[8] for row in rows)
    stats = stats_mac(key, _signature_of(states), manifest) if trusted_all else ""
    conn.executemany(
        "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
        [("format", str(FORMAT)), ("rules", rules), ("manifest", manifest), ("stats", stats)],
    )
    return True


def remember_stats(
    conn: sqlite3.Connection,
    key: bytes,
    opened: Opened,
    states: list[FileState],
    hashed: dict[str, tuple[str, bool]],
) -> None:
    """New stats for files whose content is unchanged; no harm done if it cannot be written."""
    rows = [
        (*state.stamp(), int(trusted),
         stat_mac(key, state.name, digest, state.stamp(), trusted), state.name, digest)
        for state in states
        if state.name in hashed
        for digest, trusted in [hashed[state.name]]
    ]  # fmt: skip
    known = opened.known
    trusted_all = all(
        hashed[state.name][1] if state.name in hashed else bool(known[state.name][7])
        for state in states
    )
    manifest = opened.meta.get("manifest", "")
    stats = stats_mac(key, _signature_of(states), manifest) if trusted_all else ""
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.executemany(
                "UPDATE files SET size = ?, mtime = ?, ctime = ?, ino = ?, dev = ?, trusted = ?, "
                "smac = ? "
                "WHERE name = ? AND digest = ?",
                rows,
            )
            conn.execute(
                "UPDATE meta SET value = ? WHERE key = 'stats' AND "
                "(SELECT value FROM meta WHERE key = 'manifest') = ?",
                (stats, manifest),
            )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    except sqlite3.Error:
        pass


def update(
    conn: sqlite3.Connection,
    key: bytes,
    rules: str,
    states: list[FileState],
    prepared: dict[str, PreparedFile],
    known: dict[str, tuple[Any, ...]],
    hashed: dict[str, tuple[str, bool]],
) -> bool | None:
    """`write_files` as one transaction; None when the store could not be used for it.

    Under the write lock the file list is read again: if another process changed it since
    this one read it, nothing is written (the caller validates in memory instead).
    """
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            now_known = conn.execute("SELECT name, digest FROM files").fetchall()
            if dict(now_known) != {name: row[1] for name, row in known.items()}:
                conn.execute("ROLLBACK")
                return None
            valid = write_files(conn, key, rules, states, prepared, known, hashed)
            conn.execute("COMMIT" if valid else "ROLLBACK")
            return valid
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")  # SIGINT, a full disk: the store stays as it was
            raise
    except sqlite3.Error:
        return None


def remove_stale_temporaries(folder: Path) -> None:
    """Temporary stores left by processes that died (SIGKILL, power loss)."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        parts = entry.name.split(".")
        if not (entry.name.startswith(".base-") and entry.name.endswith(".tmp")):
            continue
        try:
            pid = int(parts[-2])
            os.kill(pid, 0)
        except (ValueError, IndexError):
            _unlink(entry.path)
        except ProcessLookupError:
            _unlink(entry.path)
        except PermissionError:
            pass  # a live process of another user: not ours


def new_store(path: Path) -> tuple[sqlite3.Connection, Path]:
    """An empty store in a temporary file beside `path`, 0600, to be renamed over it."""
    remove_stale_temporaries(path.parent)
    temporary = path.with_name(f".{path.stem}.{os.getpid()}.tmp")
    _unlink(temporary)
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    os.close(fd)
    conn = None
    try:
        conn = _connect(temporary)
        conn.execute("PRAGMA journal_mode = OFF")  # the rename is the atomic step
        conn.execute("PRAGMA synchronous = OFF")
        conn.executescript(_SCHEMA)
    except sqlite3.Error as error:  # a full disk, say: no store, and nothing left behind
        if conn is not None:
            conn.close()
        _unlink(temporary)
        raise OSError(f"cannot make a store: {error}") from None
    return conn, temporary


def finish_new(conn: sqlite3.Connection, temporary: Path, path: Path) -> None:
    conn.close()
    fd = os.open(temporary, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(temporary, path)
