"""Bringing your own articles: init, add-source, draft, and the review loop."""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shlex
import shutil
import textwrap
import tomllib
from pathlib import Path

import pytest

from conftest import ASSETS, REPO, SEEDS, Invoke, Result
from migfacts import authoring
from migfacts.errors import UsageError

STORY = ASSETS / "walkthrough" / "kg-britain.txt"
SOURCE_ARGS = (
    "--id", "kgnews-2025", "--title", "Kyrgyz workers look to Britain", "--outlet", "KG News",
    "--published", "2025-06-12", "--published-basis", "stated", "--language", "en",
)  # fmt: skip


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def mybase(invoke: Invoke, tmp_path: Path) -> Path:
    folder = tmp_path / "mybase"
    result = invoke("init", str(folder))
    assert result.exit_code == 0, result.stderr
    return folder


@pytest.fixture
def with_source(invoke: Invoke, mybase: Path) -> Path:
    result = invoke("add-source", str(STORY), "--facts", str(mybase), *SOURCE_ARGS)
    assert result.exit_code == 0, result.stderr
    return mybase


# --- init -------------------------------------------------------------------------------


def test_init_makes_a_valid_empty_base_with_the_bundled_places(
    invoke: Invoke, mybase: Path
) -> None:
    assert (mybase / "archive").is_dir()
    valid = invoke("validate", "--facts", str(mybase))
    assert valid.exit_code == 0, valid.stderr
    assert "valid: 0 facts, 0 skips, 0 sources" in valid.stdout
    # Places resolve at once: no match (1), not an unknown place (2).
    query = invoke("query", "--facts", str(mybase), "-c", "Kyrgyzstan", "-t", "money transfers")
    assert query.exit_code == 1, query.stderr


def test_an_interrupted_init_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[Path] = []

    def interrupted(target: Path, data: bytes) -> None:
        if made:
            raise KeyboardInterrupt
        made.append(target)
        target.write_bytes(data)

    monkeypatch.setattr(authoring, "create_file", interrupted)
    with pytest.raises(KeyboardInterrupt):
        authoring.init_base(tmp_path / "new")
    assert made and not (tmp_path / "new").exists()


def test_init_never_overwrites(invoke: Invoke, tmp_path: Path) -> None:
    folder = tmp_path / "taken"
    folder.mkdir()
    (folder / "places.toml").write_text("# mine\n", encoding="utf-8")
    result = invoke("init", str(folder))
    assert result.exit_code == 2
    assert "not empty" in result.stderr
    assert _snapshot(folder) == {"places.toml": b"# mine\n"}
    a_file = tmp_path / "file"
    a_file.write_text("x", encoding="utf-8")
    assert invoke("init", str(a_file)).exit_code == 2
    assert a_file.read_text(encoding="utf-8") == "x"


# --- add-source -------------------------------------------------------------------------


def test_add_source_archives_the_text_and_appends_the_source(
    invoke: Invoke, with_source: Path
) -> None:
    archived = with_source / "archive" / STORY.name
    assert archived.read_bytes() == STORY.read_bytes()
    data = tomllib.loads((with_source / "sources.toml").read_text(encoding="utf-8"))
    (source,) = data["source"]
    assert source["sha256"] == hashlib.sha256(STORY.read_bytes()).hexdigest()
    assert source["authors"] == []
    # Unknown stays unknown: no option, no field.
    assert "url" not in source and "note" not in source and "published_note" not in source
    valid = invoke("validate", "--facts", str(with_source), "--archive", str(archived.parent))
    assert valid.exit_code == 0, valid.stderr


def test_add_source_refuses_and_changes_nothing(
    invoke: Invoke, with_source: Path, tmp_path: Path
) -> None:
    before = _snapshot(with_source)
    again = invoke("add-source", str(STORY), "--facts", str(with_source), *SOURCE_ARGS)
    assert again.exit_code == 2 and "already defined" in again.stderr
    renamed = [a if a != "kgnews-2025" else "other-2025" for a in SOURCE_ARGS]
    same_file = invoke("add-source", str(STORY), "--facts", str(with_source), *renamed)
    assert same_file.exit_code == 2 and "already exists" in same_file.stderr
    other = tmp_path / "other.txt"
    other.write_text("Some 3,000 workers left.", encoding="utf-8")
    unknown_date = invoke(
        "add-source", str(other), "--facts", str(with_source),
        "--id", "x-2025", "--title", "T", "--outlet", "O", "--language", "en",
    )  # fmt: skip
    assert unknown_date.exit_code == 2 and "--published" in unknown_date.stderr
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("Caf\xe9 3,000".encode("latin-1"))
    assert invoke("add-source", str(latin1), "--facts", str(with_source), *renamed).exit_code == 2
    bad_url = invoke(
        "add-source", str(other), "--facts", str(with_source), *renamed, "--url", "not a url"
    )
    assert bad_url.exit_code == 2 and "--url" in bad_url.stderr
    as_toml = tmp_path / "story.toml"
    as_toml.write_text("Some 3,000 workers left.", encoding="utf-8")
    named_toml = invoke("add-source", str(as_toml), "--facts", str(with_source), *renamed)
    assert named_toml.exit_code == 2 and ".toml" in named_toml.stderr
    assert _snapshot(with_source) == before
    bundled = invoke("add-source", str(other), "--facts", "bundled", *renamed)
    assert bundled.exit_code == 2 and "read-only" in bundled.stderr


def test_a_failed_write_leaves_every_file_as_it_was(
    with_source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _snapshot(with_source)
    other = tmp_path / "late.txt"
    other.write_text("Some 3,000 workers left.", encoding="utf-8")

    def full_disk(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("migfacts.authoring.os.replace", full_disk)
    new = authoring.NewSource(
        id="late-2025", title="T", outlet="O", published="2025", published_basis="stated",
        language="en",
    )  # fmt: skip
    with pytest.raises(OSError):
        authoring.add_source(with_source, other, new)
    assert _snapshot(with_source) == before  # no archive copy, no temporary file left
    assert not [p for p in with_source.rglob("*.tmp")]


def test_stub_comments_stay_comments() -> None:
    text = authoring.toml_table("skip", {"reason": "a\nb"}, ["from x\n[[fact]]\x1b[31m"])
    assert tomllib.loads(text) == {"skip": [{"reason": "a\nb"}]}
    assert "\x1b" not in text


def test_append_keeps_the_file_and_its_permissions(tmp_path: Path) -> None:
    target = tmp_path / "facts.toml"
    target.write_text("# mine\n", encoding="utf-8")
    os.chmod(target, 0o640)
    authoring.append_file(target, "[[skip]]\n")
    assert target.read_text(encoding="utf-8") == "# mine\n\n[[skip]]\n"
    assert target.stat().st_mode & 0o777 == 0o640
    with pytest.raises(FileExistsError):
        authoring.create_file(target, b"x")


# --- draft ------------------------------------------------------------------------------


def test_draft_prints_stubs_that_are_not_facts(invoke: Invoke, with_source: Path) -> None:
    result = invoke("draft", "kgnews-2025", "--facts", str(with_source))
    assert result.exit_code == 0, result.stderr
    data = tomllib.loads(result.stdout)
    facts, skips = data["fact"], data["skip"]
    assert all("statement" not in fact for fact in facts)
    workers = next(f for f in facts if f["as_written"] == "2,500")
    assert workers["value"] == 2500 and workers["unit"] == "people"
    assert workers["qualifier"] == "exact"
    assert workers["period"] == "2024" and workers["period_basis"] == "inferred"
    assert "last year" in workers["period_note"] and "2025-06-12" in workers["period_note"]
    assert workers["origin"] == ["KG"] and workers["destination"] == ["GB"]
    assert workers["attribution"] == "Ministry of Labor"
    assert workers["quote"].startswith("According to the Ministry of Labor, 2,500")
    money = next(f for f in facts if f["as_written"] == "$2.9 billion")
    assert money["value"] == 2900000000 and money["unit"] == "US dollars"
    assert money["destination"] == ["KG"] and money["topics"] == ["remittances"]
    assert money["period"] == "2024" and money["period_basis"] == "stated"
    assert money["attribution"] == "National Bank"
    reasons = {skip["as_written"]: skip["reason"] for skip in skips}
    assert "age" in reasons["34"]
    assert "publication" in reasons["12 June 2025"]
    assert not (with_source / "kgnews-2025.toml").exists()  # printing writes nothing


def test_draft_append_dry_run_and_no_second_copy(invoke: Invoke, with_source: Path) -> None:
    target = with_source / "kgnews-2025.toml"
    dry = invoke("draft", "kgnews-2025", "--facts", str(with_source), "--append", "--dry-run")
    assert dry.exit_code == 0
    assert "would add 2 fact stubs and 2 skip stubs" in dry.stderr
    assert not target.exists()
    done = invoke("draft", "kgnews-2025", "--facts", str(with_source), "--append")
    assert done.exit_code == 0, done.stderr
    assert tomllib.loads(target.read_text(encoding="utf-8")) == tomllib.loads(dry.stdout)
    # Unfinished stubs account for their numbers: nothing is drafted twice.
    again = invoke("draft", "kgnews-2025", "--facts", str(with_source), "--append")
    assert again.exit_code == 1 and "nothing to draft" in again.stderr
    # A draft can't be mistaken for a fact: the base does not load until statements exist.
    validate = invoke("validate", "--facts", str(with_source))
    assert validate.exit_code == 3
    unfinished = [line for line in validate.stderr.splitlines() if "unfinished draft" in line]
    assert len(unfinished) == 2
    assert invoke("query", "--facts", str(with_source)).exit_code == 3


def test_draft_of_an_unknown_source_or_text(invoke: Invoke, with_source: Path) -> None:
    result = invoke("draft", "nope-2025", "--facts", str(with_source))
    assert result.exit_code == 2 and "kgnews-2025" in result.stderr
    text = invoke("draft", str(STORY), "--facts", str(with_source), "--append")
    assert text.exit_code == 2 and "add-source" in text.stderr
    with pytest.raises(UsageError):
        authoring.writable_base(Path("bundled"))


# --- the walk-through, start to finish --------------------------------------------------


def finish_stubs(path: Path) -> None:
    """What the reviewer does: write each statement, drop the draft comments."""
    statements = {
        '"2,500"': "2,500 Kyrgyz migrant workers left for seasonal jobs in Britain in 2024.",
        '"$2.9 billion"': "Remittances to Kyrgyzstan reached $2.9 billion in 2024.",
    }
    lines = path.read_text(encoding="utf-8").splitlines()
    out: list[str] = []
    for index, line in enumerate(lines):
        if line.startswith("# DRAFT") or line.startswith("# not filled"):
            continue
        out.append(line)
        if line.startswith("id = "):
            block = "\n".join(lines[index : index + 6])
            statement = next(s for key, s in statements.items() if key in block)
            out.append(f'statement = "{statement}"')
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def _walkthrough() -> list[list[str]]:
    """The commands of the README's walk-through, in order."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- walkthrough:", 1)[1].split("<!-- end of walkthrough -->", 1)[0]
    return [shlex.split(line[2:]) for line in block.splitlines() if line.startswith("$ ")]


def test_walkthrough_ends_with_a_base_query_check_and_cite_use(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The README's walk-through, run as written from a fresh init on the fixture article."""
    monkeypatch.chdir(tmp_path)
    shutil.copy(STORY, tmp_path / STORY.name)
    commands = _walkthrough()
    assert [c[1] for c in commands if c[0] == "migfacts"] == [
        "init", "add-source", "draft", "draft", "validate", "validate", "coverage", "query",
        "check", "cite",
    ]  # fmt: skip
    edited = False
    outputs: dict[str, Result] = {}
    for command in commands:
        if command[0] == "$EDITOR":
            finish_stubs(tmp_path / command[1])
            edited = True
            continue
        assert command[0] == "migfacts"
        result = invoke(*command[1:])
        outputs.setdefault(command[1], result)  # the first run of each command
        outputs[command[1] + " (last)"] = result
        expected = 3 if command[1] == "validate" and not edited else 0
        assert result.exit_code == expected, (command, result.stdout, result.stderr)
    assert edited
    # The stub the README shows is the one draft wrote.
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    shown = readme.split("   ```toml\n   # DRAFT from kg-britain.txt:4", 1)[1].split("   ```", 1)[0]
    stub = textwrap.dedent("   # DRAFT from kg-britain.txt:4" + shown)
    assert stub in outputs["draft"].stdout  # the --dry-run
    assert "unfinished draft" in outputs["validate"].stderr
    assert "valid: 2 facts, 2 skips, 1 sources" in outputs["validate (last)"].stdout
    assert "gb-labor-migrants-2024-kgnews" in outputs["query"].stdout
    assert "supported" in outputs["check"].stdout
    assert "KG News" in outputs["cite"].stdout and "2,500" in outputs["cite"].stdout
    # And beside the bundled base, through the environment.
    env = {"MIGFACTS_FACTS": "mybase:bundled"}
    both = invoke("query", "-t", "remittances", "--to", "KG", "-f", "json", env=env).json_list()
    assert {f["source"]["id"] for f in both} >= {"kgnews-2025", "ng-2025"}


def test_draft_reads_relative_dates_nationality_and_falls(
    invoke: Invoke, mybase: Path, tmp_path: Path
) -> None:
    story = tmp_path / "tj-story.txt"
    story.write_text(
        "A law on labor migration was adopted last year.\n"
        "In March, officials said 77 Tajik citizens were deported from the United States.\n"
        "Remittances to Tajikistan fell by 22 percent in 2020.\n"
        "The number of labor migrants in Russia fell from 3 million in 2014 to 1.8 million "
        "the next year.\n",
        encoding="utf-8",
    )
    args = [a if a != "kgnews-2025" else "tjnews-2025" for a in SOURCE_ARGS]
    assert invoke("add-source", str(story), "--facts", str(mybase), *args).exit_code == 0
    result = invoke("draft", "tjnews-2025", "--facts", str(mybase))
    assert result.exit_code == 0, result.stderr
    facts = {f["as_written"]: f for f in tomllib.loads(result.stdout)["fact"]}
    law = facts["last year"]
    assert (law["value"], law["unit"], law["period"]) == (2024, "calendar year", "2024")
    deported = facts["77"]
    assert deported["origin"] == ["US"] and deported["nationality"] == ["TJ"]
    assert deported["period"] == "2025-03" and deported["period_basis"] == "inferred"
    assert deported["topics"] == ["deportations"]
    fall = facts["22 percent"]
    assert fall["value"] == -22 and fall["destination"] == ["TJ"] and fall["period"] == "2020"
    assert facts["3 million"]["period"] == "2014"
    assert facts["3 million"]["unit"] == "people" and facts["3 million"]["destination"] == ["RU"]
    assert facts["1.8 million"]["period"] == "2015"
    assert facts["1.8 million"]["period_basis"] == "inferred"


def test_draft_reads_places_in_their_roles_and_quotes_what_holds_the_figure(
    invoke: Invoke, tmp_path: Path
) -> None:
    story = tmp_path / "story.txt"
    story.write_text(
        "In August, police rounded up 400 migrant workers from Central Asia for its Ukraine "
        "war.\n"
        "Through the Uzbek agency, some 70,000 Uzbek citizens have gone to work in Russia.\n"
        "In 2022, Tajiks crossed the Russian border to work over 3.5 million times.\n"
        "There are about 90,000 illegal migrants from Kyrgyzstan and 200,000 from Tajikistan "
        "in Russia.\n"
        "Apart from Russia, the main market is South Korea, where 6,000 Tajik citizens found "
        "jobs in 2024.\n"
        "Growth fell from 4.5 percent in 2019 to 2.6 percent in 2020 in Kazakhstan, from 4.6 "
        "percent in 2019 to 8.6 percent in 2020 in Kyrgyzstan, and from 7.4 percent in 2019 to "
        "1.5 percent in 2020 in Tajikistan.\n"
        "“We sent 10,000 workers to Britain in 2024,” said the minister.\n"
        "Many migrants were deported from Russia in 2024. Probably half of them work in "
        "Kazakhstan now.\n"
        "Founded in 2015, the EAEU today includes Russia, Belarus and Kazakhstan.\n"
        "Russian lawmakers responded to Uzbekistan’s warnings by calling for visa restrictions "
        "on 300,000 Uzbek migrants in the country.\n"
        "In 2024, 77 Tajik citizens were deported from the United States, and the EU ordered "
        "725 citizens to leave.\n"
        "At least 100 citizens of Tajikistan had died in Ukraine by mid-2024.\n"
        "The attack, which claimed 145 lives and was conducted by four Tajik nationals, led to "
        "discrimination against Central Asians in Russia.\n"
        "In January, about 35,000 Kyrgyz worked in Kazakhstan, a fellow member of the Eurasian "
        "Economic Union.\n"
        "The largest group of workers in Kazakhstan is from Uzbekistan. Some sources estimated "
        "there to be nearly 360,000.\n"
        "Violators will be banned from leaving Uzbekistan for a period of one year.\n"
        "About 2,500 Kyrgyz have left for the UK, and another 3,000 citizens are expected to "
        "leave.\n"
        "The main receipts came from Russia, where 379,000 Kyrgyz citizens were registered. "
        "In 2020, the number of Kyrgyz migrants was 680,000.\n",
        encoding="utf-8",
    )
    result = invoke("draft", str(story))
    assert result.exit_code == 0, result.stderr
    facts = {f["as_written"]: f for f in tomllib.loads(result.stdout)["fact"]}

    def places(written: str) -> dict[str, list[str]]:
        roles = ("origin", "destination", "area", "nationality")
        return {role: facts[written][role] for role in roles if role in facts[written]}

    # People who went to work are from where they are citizens, and where they went is named
    # once for a whole list; "the Uzbek agency", "apart from Russia" name no role.
    assert places("70,000") == {"origin": ["UZ"], "destination": ["RU"]}
    assert places("3.5 million") == {"origin": ["TJ"], "destination": ["RU"]}
    assert places("90,000") == {"origin": ["KG"], "destination": ["RU"]}
    assert places("200,000") == {"origin": ["TJ"], "destination": ["RU"]}
    assert places("6,000") == {"origin": ["TJ"], "destination": ["KR"]}
    # "to Uzbekistan's warnings" sends no one there; "the country" is the one the sentence
    # names; a new clause ("..., and the EU ordered") ends a figure's places.
    assert places("300,000") == {"origin": ["UZ"], "destination": ["RU"]}
    assert places("77") == {"origin": ["US"], "nationality": ["TJ"]}
    assert places("725")["origin"] == ["eu"]
    # Counted by citizenship is no move; people set apart ("against Central Asians") and a
    # later figure's people ("four Tajik nationals") are not a figure's; an apposition
    # describes a place; the text before gives people from one place in another.
    assert places("100") == {"area": ["UA"], "nationality": ["TJ"]}
    assert places("145") == {"area": ["RU"]}
    assert places("four") == {"area": ["RU"], "nationality": ["TJ"]}
    assert places("35,000") == {"origin": ["KG"], "destination": ["KZ"]}
    assert places("360,000") == {"origin": ["UZ"], "destination": ["KZ"]}
    # A banned move is none; bare "citizens" are of the nationality named before; a place
    # before a noun it qualifies ("its Ukraine war") is no place of the figure; "Russia, where"
    # is where people are.
    assert places("one year") == {"area": ["UZ"]}
    assert places("3,000") == {"origin": ["KG"], "destination": ["GB"]}
    assert places("725")["nationality"] == ["TJ"]
    assert places("680,000") == {"origin": ["KG"], "destination": ["RU"]}
    assert places("400") == {"origin": ["central-asia"]}
    # A year founded is where the thing founded is.
    assert places("2015") == {"area": ["eaeu"]}
    # A list of changes: each item is the quote of its figures.
    assert (
        facts["8.6 percent"]["quote"]
        == "from 4.6 percent in 2019 to 8.6 percent in 2020 in Kyrgyzstan"
    )
    assert places("8.6 percent") == {"area": ["KG"]}
    # The speaker's words, without who spoke; a sentence with the one it speaks of.
    assert facts["10,000"]["quote"] == "We sent 10,000 workers to Britain in 2024"
    assert facts["half"]["quote"] == (
        "Many migrants were deported from Russia in 2024. Probably half of them work in "
        "Kazakhstan now."
    )


def test_draft_quality_script_measures_the_bundled_articles() -> None:
    """benchmarks/draft_quality.py runs, and its figures stay at what the README reports."""
    seeds = SEEDS if SEEDS.is_dir() else REPO.parent.parent / "shared" / "seeds"
    if not seeds.is_dir():
        pytest.skip("the archived articles (../shared/seeds) are not beside the repo")
    spec = importlib.util.spec_from_file_location(
        "draft_quality", REPO / "benchmarks" / "draft_quality.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    counts, _details = module.measure(seeds)
    assert counts["facts"] >= 130
    assert counts["stubbed"] / counts["facts"] >= 0.95
    assert counts["core"] / counts["facts"] >= 0.9
    assert counts["unit"] / counts["facts"] >= 0.9
    assert counts["period"] / counts["facts"] >= 0.8
    assert counts["places"] / counts["facts"] >= 0.8
    assert counts["skips_as_fact"] <= 6


def test_draft_agrees_with_coverage_on_the_bundled_base(invoke: Invoke) -> None:
    """Every number of the bundled articles is accounted for, so nothing is left to draft."""
    seeds = SEEDS if SEEDS.is_dir() else REPO.parent.parent / "shared" / "seeds"
    if not seeds.is_dir():
        pytest.skip("the archived articles (../shared/seeds) are not beside the repo")
    for source in ("asiaplus-2021", "eurasianet-2018", "orda-2025", "diplomat-2025", "ng-2025"):
        result = invoke("draft", source, "--facts", "bundled", "--archive", str(seeds))
        assert result.exit_code == 1, (source, result.stdout)
        assert "nothing to draft" in result.stderr
    refused = invoke("draft", "ng-2025", "--archive", str(seeds), "--append")
    assert refused.exit_code == 1  # nothing to add; and the bundled base is never written


def test_draft_never_appends_to_the_bundled_base() -> None:
    from migfacts.loader import bundled_facts

    target = bundled_facts() / "new-2025.toml"
    plan = authoring.DraftPlan(stubs=[object()], toml="[[skip]]\n", target=target, header="")
    with pytest.raises(UsageError, match="read-only"):
        authoring.append_draft(plan)
    assert not target.exists()
