"""Exports for publishing: a Datasette-ready SQLite database and a Frictionless data package.

Both write the tables of `tables.py`, so they hold the same records with the same names.

- `write_sqlite` writes OUT.db with primary and foreign keys, the full-text index `facts_fts`
  over statement, quote and attribution (an FTS5 table with Porter stemming, named and built
  as sqlite-utils builds them, with the same triggers, so Datasette finds it and sqlite-utils
  keeps it up to date), and OUT.metadata.json, Datasette's metadata: titles, descriptions
  of every table and column, facets, the sources' links and the licence. Hand-written SQL
  over the standard library's sqlite3, not sqlite-utils: it needs a dozen statements, and
  importing sqlite-utils costs about 90 ms, more than a whole query.
- `write_datapackage` writes one CSV per table and `datapackage.json` (Frictionless Tabular
  Data Package: field types, primary and foreign keys, sources, licence, each file's hash).

Nothing is overwritten unless `force` is given. Every file is written to a temporary file
beside it and renamed into place, so a reader never sees half a file; the data package's
descriptor is renamed last. The same base gives byte-identical files (with the same SQLite
library): nothing in them depends on the time, the machine or the order of a set.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from migfacts.errors import UsageError
from migfacts.present import web_url
from migfacts.records import FactBase
from migfacts.safety import safe_cell, safe_json
from migfacts.tables import Table, base_tables, json_array

TITLE = "migfacts: labor migration in Central Asia"
DESCRIPTION = (
    "Sourced figures on labor migration in Central Asia. Every figure comes with the "
    "article it is from and the verbatim quote that gives it; dates and periods that were "
    "reasoned rather than stated are marked inferred."
)
# The licence migfacts and its bundled fact base are published under (pyproject.toml).
LICENSE = {"name": "MIT", "title": "MIT License", "path": "https://opensource.org/licenses/MIT"}
RIGHTS = (
    "The quotes are short excerpts of the source articles, whose rights stay with their publishers."
)
# Bumped when the layout of the exported tables changes (SQLite's user_version).
EXPORT_VERSION = 1

_SQL_TYPES = {"string": "TEXT", "number": "NUMERIC", "date": "TEXT", "array": "TEXT"}
FTS_TABLE = "facts_fts"
FTS_COLUMNS = ("statement", "quote", "attribution")


# --- writing files safely ---------------------------------------------------------------


def _refuse_existing(paths: list[Path], force: bool) -> None:
    existing = [path for path in paths if path.exists() or path.is_symlink()]
    for path in existing:
        if path.is_dir():
            raise UsageError(f"{path} is a folder; give a file name to write")
    if existing and not force:
        first, more = existing[0], len(existing) - 1
        what = f"{first} and {more} more file{'s' if more > 1 else ''}" if more else str(first)
        raise UsageError(f"{what} already exist{'s' if not more else ''}; add --force to replace")


@contextmanager
def _cannot_write(path: Path) -> Iterator[None]:
    try:
        yield
    except OSError as error:
        raise UsageError(f"cannot write {path}: {error.strerror or error}") from None


def _temporary(target: Path) -> Path:
    """A new empty file beside the target, on the same file system so a rename is atomic."""
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(handle)
    return Path(name)


def _write_atomic(target: Path, fill: Callable[[Path], object]) -> None:
    """Fill a temporary file beside the target, then rename it over the target."""
    with _cannot_write(target):
        temporary = _temporary(target)
        try:
            fill(temporary)
            os.chmod(temporary, 0o644)
            os.replace(temporary, target)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise


def _write_bytes(target: Path, data: bytes) -> None:
    _write_atomic(target, lambda path: path.write_bytes(data))


def _json_bytes(data: Any) -> bytes:
    return (safe_json(json.dumps(data, ensure_ascii=False, indent=2)) + "\n").encode("utf-8")


# --- SQLite and Datasette ---------------------------------------------------------------


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sql_value(value: Any) -> Any:
    return json_array(value) if isinstance(value, tuple) else value


def _create_table(table: Table) -> str:
    lines = []
    for item in table.fields:
        line = f"{_quote(item.name)} {_SQL_TYPES[item.type]}"
        if item.required or item.name in table.primary_key:
            line += " NOT NULL"
        lines.append(line)
    if table.primary_key:
        lines.append(f"PRIMARY KEY ({', '.join(map(_quote, table.primary_key))})")
    for key in table.foreign_keys:
        lines.append(
            f"FOREIGN KEY ({', '.join(map(_quote, key.fields))}) "
            f"REFERENCES {_quote(key.table)} ({', '.join(map(_quote, key.columns))})"
        )
    body = ",\n  ".join(lines)
    return f"CREATE TABLE {_quote(table.name)} (\n  {body}\n)"


def _fts_statements() -> list[str]:
    """The full-text index as sqlite-utils' `enable_fts(..., create_triggers=True)` makes it."""
    table, fts = _quote("facts"), _quote(FTS_TABLE)
    columns = ", ".join(map(_quote, FTS_COLUMNS))
    new = ", ".join(f"new.{_quote(c)}" for c in FTS_COLUMNS)
    old = ", ".join(f"old.{_quote(c)}" for c in FTS_COLUMNS)
    delete = f"INSERT INTO {fts} ({fts}, rowid, {columns}) VALUES('delete', old.rowid, {old});"
    insert = f"INSERT INTO {fts} (rowid, {columns}) VALUES (new.rowid, {new});"
    return [
        # Porter stemming: "deport" finds "deported" and "deportations".
        f"CREATE VIRTUAL TABLE {fts} USING FTS5 ({columns}, tokenize='porter', content={table})",
        f"INSERT INTO {fts} (rowid, {columns}) SELECT rowid, {columns} FROM {table}",
        f"CREATE TRIGGER {_quote('facts_ai')} AFTER INSERT ON {table} BEGIN {insert} END",
        f"CREATE TRIGGER {_quote('facts_ad')} AFTER DELETE ON {table} BEGIN {delete} END",
        f"CREATE TRIGGER {_quote('facts_au')} AFTER UPDATE ON {table} BEGIN {delete} {insert} END",
    ]


def _fill_database(path: Path, tables: list[Table]) -> None:
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("PRAGMA foreign_keys = ON")
        connection.execute(f"PRAGMA user_version = {EXPORT_VERSION}")
        connection.execute("BEGIN")
        for table in tables:
            connection.execute(_create_table(table))
            marks = ", ".join("?" for _ in table.fields)
            connection.executemany(
                f"INSERT INTO {_quote(table.name)} VALUES ({marks})",
                ([_sql_value(value) for value in row] for row in table.rows),
            )
        for statement in _fts_statements():
            connection.execute(statement)
        connection.execute("COMMIT")
        connection.execute("VACUUM")  # a compact file, laid out the same way every time
    except sqlite3.Error as error:
        raise UsageError(f"cannot write the database {path}: {error}") from None
    finally:
        connection.close()


def _sources_html(base: FactBase) -> str:
    items = []
    for source in base.sources.values():
        text = html.escape(f"{source.outlet}: “{source.title}”")
        url = web_url(source.url)
        item = f'<a href="{html.escape(url)}">{text}</a>' if url else f"{text} (no URL known)"
        items.append(f"<li>{item}</li>")
    return "<p>The source articles:</p><ul>" + "".join(items) + "</ul>"


def datasette_metadata(base: FactBase, tables: list[Table], database: str) -> dict[str, Any]:
    """Datasette's metadata for the database: titles, descriptions, facets, sources, licence."""
    table_metadata: dict[str, Any] = {}
    for table in tables:
        entry: dict[str, Any] = {"title": table.title, "description": table.description}
        if table.name == "sources":
            entry["description_html"] = html.escape(table.description) + _sources_html(base)
        if table.label:
            entry["label_column"] = table.label
        if table.facets:
            kinds = {item.name: item.type for item in table.fields}
            entry["facets"] = [
                {"array": name} if kinds[name] == "array" else name for name in table.facets
            ]
        if table.name == "facts":
            entry["fts_table"] = FTS_TABLE
            entry["sort"] = "period_start"
        entry["columns"] = {item.name: item.description for item in table.fields}
        table_metadata[table.name] = entry
    table_metadata[FTS_TABLE] = {"hidden": True}
    return {
        "title": TITLE,
        "description_html": html.escape(f"{DESCRIPTION} {RIGHTS}") + _sources_html(base),
        "license": LICENSE["title"],
        "license_url": LICENSE["path"],
        "databases": {database: {"title": TITLE, "tables": table_metadata}},
    }


def metadata_path(database: Path) -> Path:
    """Where the Datasette metadata of a database goes: `migfacts.db` → `migfacts.metadata.json`."""
    return database.with_name(database.stem + ".metadata.json")


def write_sqlite(base: FactBase, target: Path, *, force: bool = False) -> list[Path]:
    """Write the database and its Datasette metadata; return the paths written."""
    metadata = metadata_path(target)
    _refuse_existing([target, metadata], force)
    tables = base_tables(base)
    _write_atomic(target, lambda path: _fill_database(path, tables))
    _write_bytes(metadata, _json_bytes(datasette_metadata(base, tables, target.stem)))
    return [target, metadata]


# --- Frictionless data package -----------------------------------------------------------


def _csv_cell(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if isinstance(value, tuple):
        return json_array(value)
    if kind == "number":
        return str(int(value)) if float(value).is_integer() else repr(value)
    text = str(value)
    if kind == "string":
        # The one sanitiser (safety.py): controls escaped, and a cell a spreadsheet would run
        # as a formula (OWASP's CSV-injection list) gets a leading apostrophe.
        text = safe_cell(text)
    return text


def _csv_bytes(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180, the Table Schema's CSV dialect
    writer.writerow([item.name for item in table.fields])
    kinds = [item.type for item in table.fields]
    for row in table.rows:
        writer.writerow([_csv_cell(value, kind) for value, kind in zip(row, kinds, strict=True)])
    return out.getvalue().encode("utf-8")


def _table_schema(table: Table) -> dict[str, Any]:
    fields = []
    for item in table.fields:
        entry: dict[str, Any] = {"name": item.name, "type": item.type}
        entry["description"] = item.description
        constraints: dict[str, Any] = {}
        if item.required:
            constraints["required"] = True
        if item.enum:
            constraints["enum"] = list(item.enum)
        if constraints:
            entry["constraints"] = constraints
        fields.append(entry)
    schema: dict[str, Any] = {"fields": fields, "missingValues": [""]}
    if table.primary_key:
        schema["primaryKey"] = list(table.primary_key)
    if table.foreign_keys:
        schema["foreignKeys"] = [
            {
                "fields": list(key.fields),
                "reference": {"resource": key.table, "fields": list(key.columns)},
            }
            for key in table.foreign_keys
        ]
    return schema


def datapackage_descriptor(base: FactBase, files: dict[str, bytes]) -> dict[str, Any]:
    """The package descriptor for the tables written as `files` (name → CSV bytes)."""
    tables = {table.name: table for table in base_tables(base)}
    resources = []
    for name, data in files.items():
        table = tables[name]
        resources.append(
            {
                "name": name,
                "path": f"{name}.csv",
                "profile": "tabular-data-resource",
                "title": table.title,
                "description": table.description,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "bytes": len(data),
                "hash": "sha256:" + hashlib.sha256(data).hexdigest(),
                "schema": _table_schema(table),
            }
        )
    sources = []
    for source in base.sources.values():
        entry = {"title": f"{source.outlet}: {source.title}"}
        url = web_url(source.url)
        if url:
            entry["path"] = url
        sources.append(entry)
    return {
        "profile": "tabular-data-package",
        "name": "migfacts",
        "title": TITLE,
        "description": (
            f"{DESCRIPTION} {RIGHTS} Lists are JSON arrays. A text cell that a spreadsheet "
            "would read as a formula (starting with =, +, -, @, a tab or a carriage return) "
            "starts with an apostrophe."
        ),
        "licenses": [LICENSE],
        "sources": sources,
        "resources": resources,
    }


DESCRIPTOR = "datapackage.json"


def write_datapackage(base: FactBase, folder: Path, *, force: bool = False) -> list[Path]:
    """Write one CSV per table and `datapackage.json` into the folder; return the paths."""
    files = {table.name: _csv_bytes(table) for table in base_tables(base)}
    targets = [folder / f"{name}.csv" for name in files] + [folder / DESCRIPTOR]
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} is not a folder")
    _refuse_existing(targets, force)
    with _cannot_write(folder):
        folder.mkdir(exist_ok=True)
    for name, data in files.items():
        _write_bytes(folder / f"{name}.csv", data)
    # The descriptor last: it names files that are all there, each with its hash.
    _write_bytes(folder / DESCRIPTOR, _json_bytes(datapackage_descriptor(base, files)))
    return targets
