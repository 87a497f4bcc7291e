"""`migfacts export`: the SQLite database as Datasette and sqlite-utils read it, and the data
package as the Frictionless validator reads it; never overwriting, atomic, byte-identical."""

from __future__ import annotations

import asyncio
import csv
import hashlib
import io
import json
import sqlite3
import tomllib
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from conftest import FACTS, REPO, SOURCES, Invoke, write_base
from migfacts.loader import load_base
from migfacts.records import Fact, Place, Skip, Source, Topic

BUNDLED = REPO / "facts"
PLACE_LISTS = {"origin", "destination", "area", "nationality"}
RECORDS: dict[str, type[NamedTuple]] = {
    "sources": Source,
    "places": Place,
    "topics": Topic,
    "facts": Fact,
    "skips": Skip,
}


def _export(invoke: Invoke, kind: str, target: Path, base: Path, *extra: str) -> Any:
    result = invoke("export", kind, str(target), "--facts", str(base), *extra)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""  # data goes to files; the note goes to stderr
    return result


def _rows(connection: sqlite3.Connection, sql: str, *params: object) -> list[tuple[Any, ...]]:
    return connection.execute(sql, params).fetchall()


def _columns(connection: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in _rows(connection, f"PRAGMA table_info({table})")]


@pytest.fixture
def database(invoke: Invoke, base: Path, tmp_path: Path) -> Path:
    target = tmp_path / "out" / "migfacts.db"
    target.parent.mkdir()
    _export(invoke, "sqlite", target, base)
    return target


# --- SQLite -----------------------------------------------------------------------------


def test_sqlite_holds_every_record_and_field(database: Path, base: Path) -> None:
    facts = load_base(base, use_cache=False)
    connection = sqlite3.connect(database)
    for table, record in RECORDS.items():
        assert set(record._fields) <= set(_columns(connection, table)), table
    counts = {
        "sources": len(facts.sources),
        "places": len(facts.places),
        "topics": len(facts.topics),
        "facts": len(facts.facts),
        "skips": len(facts.skips),
    }
    for table, count in counts.items():
        assert _rows(connection, f"SELECT count(*) FROM {table}") == [(count,)]
    for fact in facts.facts:
        (stored,) = _rows(connection, "SELECT * FROM facts WHERE id = ?", fact.id)
        row = dict(zip(_columns(connection, "facts"), stored, strict=True))
        for name, value in zip(Fact._fields, fact, strict=True):
            expected = json.dumps(list(value)) if isinstance(value, tuple) else value
            if isinstance(value, tuple):
                assert json.loads(row[name]) == list(value)
            else:
                assert row[name] == expected, (fact.id, name)


def test_figure_is_beside_the_value_and_periods_are_dates(database: Path) -> None:
    connection = sqlite3.connect(database)
    columns = _columns(connection, "facts")
    assert columns.index("figure") + 1 == columns.index("value")
    row = _rows(
        connection,
        "SELECT figure, value, period_start, period_end FROM facts WHERE id = ?",
        "kg-workers-in-kz-2021",
    )
    assert row == [("about 35,000", 35000, "2021-01-01", "2021-01-31")]


def test_links_have_roles_and_foreign_keys(database: Path, base: Path) -> None:
    facts = load_base(base, use_cache=False)
    connection = sqlite3.connect(database)
    connection.execute("PRAGMA foreign_keys = ON")
    assert _rows(connection, "PRAGMA foreign_key_check") == []
    # Every list of a fact but its topics is a role of places (origin, destination, area...).
    lists = {name for name in Fact._fields if isinstance(getattr(Fact(), name), tuple)}
    assert lists - {"topics"} <= PLACE_LISTS
    roles = [name for name in Fact._fields if name in PLACE_LISTS]
    expected = {
        (fact.id, role, code)
        for fact in facts.facts
        for role in roles
        for code in getattr(fact, role)
    }
    assert set(_rows(connection, "SELECT fact_id, role, place_code FROM fact_places")) == expected
    topics = {(fact.id, topic) for fact in facts.facts for topic in fact.topics}
    assert set(_rows(connection, "SELECT fact_id, topic_id FROM fact_topics")) == topics
    members = set(_rows(connection, "SELECT member_code FROM place_members"))
    assert members == {(code,) for code in facts.places["central-asia"].members}
    keys = {
        (table, row[3], row[2], row[4])  # table, from column, referenced table, to column
        for table in ("facts", "skips", "fact_places", "fact_topics", "place_members")
        for row in _rows(connection, f"PRAGMA foreign_key_list({table})")
    }
    assert ("facts", "source", "sources", "id") in keys
    assert ("fact_places", "place_code", "places", "code") in keys
    assert ("fact_topics", "topic_id", "topics", "id") in keys
    with pytest.raises(sqlite3.IntegrityError):
        connection.execute("INSERT INTO fact_places VALUES ('kg-workers-in-kz-2021', 'area', 'XX')")


def test_full_text_search_over_statement_quote_and_attribution(database: Path) -> None:
    connection = sqlite3.connect(database)
    search = (
        "SELECT facts.id FROM facts_fts JOIN facts ON facts.rowid = facts_fts.rowid "
        "WHERE facts_fts MATCH ? ORDER BY facts.id"
    )
    assert _rows(connection, search, "Kazakhstan") == [("kg-workers-in-kz-2021",)]  # quote
    assert _rows(connection, search, "attribution:Migration") == [("kg-workers-in-kz-2021",)]
    assert _rows(connection, search, "official labor") == [
        ("ru-labor-migrants-2014",),
        ("ru-labor-migrants-2015",),
    ]
    assert _rows(connection, search, "migrant") == [  # stemmed: "migrants" too
        ("ru-labor-migrants-2014",),
        ("ru-labor-migrants-2015",),
    ]
    # The triggers keep the index in step with edits, as sqlite-utils' would.
    connection.execute("UPDATE facts SET statement = 'zebra' WHERE id = 'tj-remittances-2024'")
    assert _rows(connection, search, "zebra") == [("tj-remittances-2024",)]


def test_sqlite_utils_finds_the_index_and_keys(database: Path) -> None:
    sqlite_utils = pytest.importorskip("sqlite_utils")
    db = sqlite_utils.Database(database)
    assert db["facts"].detect_fts() == "facts_fts"
    found = [row["id"] for row in db["facts"].search("remittances")]
    assert sorted(found) == ["tj-remittances-2024", "tj-remittances-gdp-2024"]
    references = {(fk.column, fk.other_table) for fk in db["fact_places"].foreign_keys}
    assert references == {("fact_id", "facts"), ("place_code", "places")}


def test_datasette_metadata_has_titles_sources_and_licence(database: Path) -> None:
    metadata = json.loads(database.with_name("migfacts.metadata.json").read_text("utf-8"))
    project = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]
    assert metadata["license"].startswith(project["license"])
    assert metadata["license_url"].startswith("https://")
    tables = metadata["databases"]["migfacts"]["tables"]
    assert {"facts", "sources", "places", "topics", "fact_places"} <= set(tables)
    facts = tables["facts"]
    assert facts["fts_table"] == "facts_fts"
    assert {"array": "topics"} in facts["facets"] and "unit" in facts["facets"]
    assert set(facts["columns"]) == set(_columns(sqlite3.connect(database), "facts"))
    assert "Test Gazette" in metadata["description_html"]
    assert "no URL known" in metadata["description_html"]  # the test source has none


def test_metadata_escapes_html_and_links_only_web_addresses(invoke: Invoke, tmp_path: Path) -> None:
    hostile = SOURCES.replace(
        'title = "A test article on migration"',
        'title = "<script>alert(1)</script>"\nurl = "https://example.org/a?b=\\"><script>"',
    )
    base = write_base(tmp_path / "base", sources=hostile)
    _export(invoke, "sqlite", tmp_path / "x.db", base)
    metadata = json.loads((tmp_path / "x.metadata.json").read_text("utf-8"))
    text = metadata["description_html"]
    assert "<script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert 'href="https://example.org/a?b=&quot;&gt;&lt;script&gt;"' in text
    assert "<script>" not in metadata["databases"]["x"]["tables"]["sources"]["description_html"]


def test_datasette_serves_a_searchable_faceted_page(database: Path) -> None:
    datasette_app = pytest.importorskip("datasette.app")
    metadata = json.loads(database.with_name("migfacts.metadata.json").read_text("utf-8"))

    async def fetch() -> tuple[Any, Any, Any]:
        datasette = datasette_app.Datasette([str(database)], metadata=metadata)
        search = await datasette.client.get(
            "/migfacts/facts.json?_search=remittances&_shape=objects&_extra=facet_results"
        )
        page = await datasette.client.get("/migfacts/facts?_search=Kazakhstan")
        links = await datasette.client.get("/migfacts/fact_places.json?_labels=on&_shape=array")
        return search, page, links

    search, page, links = asyncio.run(fetch())
    assert search.status_code == 200
    body = search.json()
    assert sorted(row["id"] for row in body["rows"]) == [
        "tj-remittances-2024",
        "tj-remittances-gdp-2024",
    ]
    assert {"unit", "topics", "source"} <= set(body["facet_results"])
    assert page.status_code == 200 and "kg-workers-in-kz-2021" in page.text
    labels = {row["place_code"]["label"] for row in links.json()}
    assert "Kyrgyzstan" in labels  # the foreign key shows the place's name


# --- overwriting, atomicity, determinism --------------------------------------------------


@pytest.mark.parametrize("kind", ["sqlite", "datapackage"])
def test_never_overwrites_without_force(
    invoke: Invoke, base: Path, tmp_path: Path, kind: str
) -> None:
    target = tmp_path / ("out.db" if kind == "sqlite" else "pkg")
    _export(invoke, kind, target, base)
    written = sorted(tmp_path.rglob("*"))
    before = {path: path.read_bytes() for path in written if path.is_file()}
    result = invoke("export", kind, str(target), "--facts", str(base))
    assert result.exit_code == 2
    assert "--force" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert {path: path.read_bytes() for path in before} == before
    _export(invoke, kind, target, base, "--force")


@pytest.mark.parametrize("kind", ["sqlite", "datapackage"])
def test_same_base_gives_the_same_bytes(
    invoke: Invoke, base: Path, tmp_path: Path, kind: str
) -> None:
    outputs = []
    for name in ("one", "two"):
        folder = tmp_path / name
        folder.mkdir()
        _export(invoke, kind, folder / ("migfacts.db" if kind == "sqlite" else "pkg"), base)
        outputs.append({p.relative_to(folder): p.read_bytes() for p in folder.rglob("*.*")})
    assert outputs[0] == outputs[1]
    assert len(outputs[0]) == (2 if kind == "sqlite" else 9)


def test_a_failed_write_leaves_the_old_file_and_no_litter(
    invoke: Invoke, base: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.db"
    _export(invoke, "sqlite", target, base)
    before = target.read_bytes()
    monkeypatch.setattr("migfacts.export._fts_statements", lambda: ["NOT SQL"])
    result = invoke("export", "sqlite", str(target), "--facts", str(base), "--force")
    assert result.exit_code == 2
    assert result.stderr.startswith("migfacts: error: cannot write the database")
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["base", "out.db", "out.metadata.json"]


@pytest.mark.parametrize(
    ("kind", "target", "message"),
    [
        ("sqlite", "missing/out.db", "cannot write"),
        ("sqlite", ".", "is a folder"),
        ("datapackage", "missing/pkg", "cannot write"),
        ("datapackage", "afile", "is not a folder"),
    ],
)
def test_unwritable_targets_are_one_line_errors(
    invoke: Invoke, base: Path, tmp_path: Path, kind: str, target: str, message: str
) -> None:
    (tmp_path / "afile").write_text("x")
    result = invoke("export", kind, str(tmp_path / target), "--facts", str(base))
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


# --- the data package ---------------------------------------------------------------------


def _read_csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text("utf-8"), newline="")))


def test_datapackage_describes_every_file_and_key(
    invoke: Invoke, base: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "pkg"
    _export(invoke, "datapackage", folder, base)
    descriptor = json.loads((folder / "datapackage.json").read_text("utf-8"))
    assert descriptor["licenses"][0]["name"] == "MIT"
    assert [source["title"] for source in descriptor["sources"]] == [
        "Test Gazette: A test article on migration"
    ]
    for resource in descriptor["resources"]:
        data = (folder / resource["path"]).read_bytes()
        assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
        header = next(csv.reader(io.StringIO(data.decode("utf-8"))))
        assert header == [field["name"] for field in resource["schema"]["fields"]]
    resources = {resource["name"]: resource for resource in descriptor["resources"]}
    facts = resources["facts"]["schema"]
    assert facts["primaryKey"] == ["id"]
    assert {"fields": ["source"], "reference": {"resource": "sources", "fields": ["id"]}} in facts[
        "foreignKeys"
    ]
    types = {field["name"]: field["type"] for field in facts["fields"]}
    assert types["value"] == "number" and types["topics"] == "array"
    assert types["period_start"] == "date"
    rows = {row["id"]: row for row in _read_csv(folder / "facts.csv")}
    row = rows["kg-workers-in-kz-2021"]
    assert (row["figure"], row["value"], row["low"]) == ("about 35,000", "35000", "")
    assert json.loads(row["origin"]) == ["KG"]


def test_frictionless_validates_the_package_and_catches_a_broken_key(
    invoke: Invoke, tmp_path: Path
) -> None:
    frictionless = pytest.importorskip("frictionless")
    folder = tmp_path / "pkg"
    _export(invoke, "datapackage", folder, BUNDLED)  # the real base, every table
    report = frictionless.validate(str(folder / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note"])
    assert len(report.tasks) == 8

    # The validator does check the links: a place that does not exist fails it.
    links = folder / "fact_places.csv"
    data = links.read_bytes().replace(b",RU\r\n", b",XX\r\n", 1)
    links.write_bytes(data)
    descriptor = json.loads((folder / "datapackage.json").read_text("utf-8"))
    for resource in descriptor["resources"]:
        if resource["name"] == "fact_places":
            resource["hash"] = "sha256:" + hashlib.sha256(data).hexdigest()
            resource["bytes"] = len(data)
    (folder / "datapackage.json").write_text(json.dumps(descriptor), "utf-8")
    report = frictionless.validate(str(folder / "datapackage.json"))
    assert not report.valid
    assert ["foreign-key"] in report.flatten(["type"])


def test_the_bundled_base_exports_and_opens(invoke: Invoke, tmp_path: Path) -> None:
    target = tmp_path / "migfacts.db"
    _export(invoke, "sqlite", target, BUNDLED)
    connection = sqlite3.connect(target)
    connection.execute("PRAGMA foreign_keys = ON")
    assert _rows(connection, "PRAGMA foreign_key_check") == []
    base = load_base(BUNDLED)
    assert _rows(connection, "SELECT count(*) FROM facts") == [(len(base.facts),)]
    roles = {role for (role,) in _rows(connection, "SELECT DISTINCT role FROM fact_places")}
    assert roles <= set(Fact._fields)


def test_csv_cells_cannot_run_as_spreadsheet_formulas(invoke: Invoke, tmp_path: Path) -> None:
    hostile = FACTS.replace(
        'attribution = "Kyrgyzstan\'s State Migration Service"',
        'attribution = "=HYPERLINK(\\"http://x\\",\\"y\\")"',
    ).replace("value = 1800000", "value = -1800000")
    base = write_base(tmp_path / "base", facts=hostile)
    _export(invoke, "datapackage", tmp_path / "pkg", base)
    rows = {row["id"]: row for row in _read_csv(tmp_path / "pkg" / "facts.csv")}
    assert rows["kg-workers-in-kz-2021"]["attribution"] == '\'=HYPERLINK("http://x","y")'
    assert rows["ru-labor-migrants-2015"]["value"] == "-1800000"  # a number stays a number
    # The database keeps the text as it is: it is data, not a spreadsheet.
    _export(invoke, "sqlite", tmp_path / "x.db", base)
    connection = sqlite3.connect(tmp_path / "x.db")
    assert _rows(
        connection, "SELECT attribution FROM facts WHERE id = 'kg-workers-in-kz-2021'"
    ) == [('=HYPERLINK("http://x","y")',)]
