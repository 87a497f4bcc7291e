"""Shared fixtures: a small fact base with its archived text, and a CLI runner.

Every test gets its own cache folder (MIGFACTS_CACHE_DIR), so nothing is written to the
user's home and no test sees another's cache. Rich output is made stable with a fixed width
and no colour.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from migfacts.cli import app

ASSETS = Path(__file__).parent / "assets"
ARCHIVE = ASSETS / "archive"
REPO = Path(__file__).parent.parent
# The archived articles: ../shared/seeds beside the repo, or wherever MIGFACTS_SEEDS points.
SEEDS = Path(os.environ.get("MIGFACTS_SEEDS") or REPO.parent / "shared" / "seeds")

SOURCES = """
[[source]]
id = "test-2024"
title = "A test article on migration"
outlet = "Test Gazette"
authors = ["Ann Writer"]
published = "2025-03"
published_basis = "inferred"
published_note = "Read from the issue the article appeared in."
language = "en"
archive = "mini.txt"
sha256 = "70977c4987d9136eceaadb1979a4a57fd607e01a2d070ecc4dffffb586fb8b17"
"""

PLACES = """
[[place]]
code = "KG"
kind = "country"
name = "Kyrgyzstan"
aliases = ["KGZ", "Kirghizia"]
demonyms = ["Kyrgyz", "Kirghiz"]

[[place]]
code = "KZ"
kind = "country"
name = "Kazakhstan"
aliases = ["KAZ"]
demonyms = ["Kazakh"]

[[place]]
code = "TJ"
kind = "country"
name = "Tajikistan"
demonyms = ["Tajik"]

[[place]]
code = "RU"
kind = "country"
name = "Russia"
aliases = ["Russian Federation"]
demonyms = ["Russian"]

[[place]]
code = "TR"
kind = "country"
name = "Türkiye"
aliases = ["Turkey"]

[[place]]
code = "central-asia"
kind = "region"
name = "Central Asia"
members = ["KG", "KZ", "TJ"]
"""

TOPICS = """
[[topic]]
id = "remittances"
label = "Remittances"
description = "Money sent home."
aliases = ["money transfers"]

[[topic]]
id = "labor-migrants"
label = "Labor migrants"
description = "Migrant workers."
aliases = ["migrant workers"]
"""

FACTS = """
[[fact]]
id = "kg-workers-in-kz-2021"
statement = "About 35,000 Kyrgyz worked in Kazakhstan in January 2021."
value = 35000
unit = "people"
qualifier = "about"
as_written = "35,000"
period = "2021-01"
period_basis = "inferred"
period_note = "\\"In January\\" in an article of June 2021."
origin = ["KG"]
destination = ["KZ"]
topics = ["labor-migrants"]
attribution = "Kyrgyzstan's State Migration Service"
quote = "In January, Kyrgyzstan's State Migration Service said about 35,000 Kyrgyz worked in Kazakhstan."
source = "test-2024"

[[fact]]
id = "tj-remittances-2024"
statement = "Remittances to Tajikistan in 2024."
value = 5800000000
unit = "US dollars"
qualifier = "exact"
as_written = "$5.8 billion"
period = "2024"
period_basis = "stated"
destination = ["TJ"]
topics = ["remittances"]
quote = "the volume of money transfers in 2024 amounted to $5.8 billion"
source = "test-2024"

[[fact]]
id = "tj-remittances-gdp-2024"
statement = "Remittances were 45% of Tajikistan's GDP in 2024."
value = 45
unit = "percent of GDP"
qualifier = "exact"
as_written = "45%"
period = "2024"
period_basis = "stated"
destination = ["TJ"]
topics = ["remittances"]
quote = "in 2024 amounted to $5.8 billion, which accounts for 45% of the republic’s GDP"
source = "test-2024"

[[fact]]
id = "ru-labor-migrants-2014"
statement = "The official number of labor migrants in Russia in 2014."
value = 3000000
unit = "people"
qualifier = "exact"
as_written = "3 million"
period = "2014"
period_basis = "stated"
destination = ["RU"]
topics = ["labor-migrants"]
quote = "The official number of labor migrants in Russia fell from 3 million in 2014"
source = "test-2024"

[[fact]]
id = "ru-labor-migrants-2015"
statement = "The official number of labor migrants in Russia in 2015."
value = 1800000
unit = "people"
qualifier = "exact"
as_written = "1.8 million"
period = "2015"
period_basis = "inferred"
period_note = "\\"the next year\\" after 2014."
destination = ["RU"]
topics = ["labor-migrants"]
quote = "down to 1.8 million the next year"
source = "test-2024"

[[skip]]
source = "test-2024"
as_written = "55"
quote = "An interviewee, 55, said"
reason = "an interviewee's age"
"""


def write_base(
    folder: Path,
    *,
    facts: str = FACTS,
    sources: str = SOURCES,
    places: str = PLACES,
    topics: str = TOPICS,
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in (
        ("sources.toml", sources),
        ("places.toml", places),
        ("topics.toml", topics),
        ("facts.toml", facts),
    ):
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(autouse=True)
def isolated(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MIGFACTS_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.delenv("MIGFACTS_FACTS", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("COLUMNS", "200")


@pytest.fixture
def base(tmp_path: Path) -> Path:
    return write_base(tmp_path / "base")


Invoke = Callable[..., "Result"]


class Result:
    """What a CLI run gave: exit code, stdout and stderr apart."""

    def __init__(self, exit_code: int, stdout: str, stderr: str) -> None:
        self.exit_code = exit_code
        self.stdout = stdout
        self.stderr = stderr

    def json(self) -> object:
        return json.loads(self.stdout)

    def json_list(self) -> list[Any]:
        """The JSON output of a command that prints an array (every listing and `check`)."""
        data = self.json()
        assert isinstance(data, list), data
        return data

    def json_object(self) -> dict[str, Any]:
        """The JSON output of a command that prints one object (`show`)."""
        data = self.json()
        assert isinstance(data, dict), data
        return data


@pytest.fixture
def invoke() -> Invoke:
    runner = CliRunner()

    def run(*args: str, env: dict[str, str] | None = None, input: str | None = None) -> Result:
        result = runner.invoke(app, list(args), env=env, input=input, catch_exceptions=False)
        return Result(result.exit_code, result.stdout, result.stderr)

    return run
