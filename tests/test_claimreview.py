"""`check --format claimreview`: schema.org ClaimReview JSON-LD, checked against schema.org's
own vocabulary and Google's required fields, with nothing invented."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import ASSETS, SOURCES, Invoke, write_base
from migfacts.claimreview import BEST, SCALE, WORST

# Types and properties extracted from schema.org's vocabulary (release 30.0).
VOCABULARY = json.loads((ASSETS / "schemaorg-claimreview.json").read_text("utf-8"))
LITERALS = {"Text", "URL", "Number", "Date", "DateTime", "Language"}

CLAIMS = [
    "About 35,000 Kyrgyz worked in Kazakhstan in 2021",  # supported
    "Remittances to Tajikistan were $9 billion in 2024",  # refuted
    "Remittances to Tajikistan were $5 billion or $5.8 billion in 2024",  # mixed figures
    "Over 100 people moved to Türkiye in 2010",  # nothing in the base on it
    "Kyrgyz workers went to Kazakhstan.",  # no figure: nothing to review
]


def _ancestors(kind: str) -> set[str]:
    found = {kind}
    for parent in VOCABULARY["types"].get(kind, []):
        found |= _ancestors(parent)
    return found


def _check_node(node: dict[str, Any], where: str = "") -> None:
    """Every property exists in schema.org for the node's type, with a value of its range."""
    kind = node["@type"]
    assert kind in VOCABULARY["types"], f"{where}: unknown type {kind}"
    types = _ancestors(kind)
    for name, value in node.items():
        if name.startswith("@"):
            continue
        definition = VOCABULARY["properties"].get(name)
        assert definition is not None, f"{where}.{name}: not a schema.org property"
        assert types & set(definition["domainIncludes"]), f"{where}.{name}: not on {kind}"
        for item in value if isinstance(value, list) else [value]:
            ranges = set(definition["rangeIncludes"])
            if isinstance(item, dict):
                assert _ancestors(item["@type"]) & ranges, f"{where}.{name}: {item['@type']}"
                _check_node(item, f"{where}.{name}")
            else:
                assert ranges & LITERALS, f"{where}.{name}: a literal where {ranges} is expected"


def _reviews(invoke: Invoke, base: Path, *args: str) -> tuple[Any, Any, str, int]:
    result = invoke("check", *CLAIMS, "--facts", str(base), "-f", "claimreview", *args)
    plain = invoke("check", *CLAIMS, "--facts", str(base), "-f", "json")
    assert plain.exit_code == result.exit_code  # the verdict's exit code, whatever the format
    return result.json(), plain.json(), result.stderr, result.exit_code


def test_one_review_per_claim_with_the_verdict_and_its_evidence(invoke: Invoke, base: Path) -> None:
    reviews, checks, stderr, _ = _reviews(invoke, base)
    assert len(checks) == len(CLAIMS)
    stated = [check for check in checks if check["figures"]]
    assert len(reviews) == len(stated) == len(CLAIMS) - 1
    assert "no review for 1 sentence that states no figure" in stderr
    verdicts = set()
    for review, check in zip(reviews, stated, strict=True):
        assert review["@context"] == "https://schema.org"
        assert review["@type"] == "ClaimReview"
        assert review["claimReviewed"] == check["claim"]
        assert review["itemReviewed"] == {"@type": "Claim", "text": check["claim"]}
        assert review["reviewBody"] == check["explanation"]
        rating = review["reviewRating"]
        assert rating["alternateName"] == check["verdict"]
        verdicts.add(check["verdict"])
        if check["verdict"] in SCALE:
            assert rating["ratingValue"] == SCALE[check["verdict"]]
            assert (rating["worstRating"], rating["bestRating"]) == (WORST, BEST)
        else:
            assert "ratingValue" not in rating  # not_enough_info is not a point on the scale
        cited = review.get("citation", [])
        assert [c["identifier"] for c in cited] == [fact["id"] for fact in check["evidence"]]
        assert [c["text"] for c in cited] == [fact["quote"] for fact in check["evidence"]]
    assert {"supported", "refuted", "not_enough_info"} <= verdicts


def test_every_property_is_schema_org(invoke: Invoke, base: Path) -> None:
    reviews, _, _, _ = _reviews(invoke, base, "--reviewer", "Desk", "--url", "https://x.org/c")
    for number, review in enumerate(reviews):
        _check_node(review, f"review {number}")


def test_google_required_fields_with_the_publishers_options(invoke: Invoke, base: Path) -> None:
    reviews, _, stderr, _ = _reviews(
        invoke, base, "--reviewer", "Migration Desk", "--url", "https://example.org/checks/1"
    )
    for review in reviews:
        assert review["claimReviewed"] and review["reviewRating"]["alternateName"]
        assert review["url"] == "https://example.org/checks/1"
        assert review["author"] == {"@type": "Organization", "name": "Migration Desk"}
    assert "url" not in stderr.split("left for the publisher:")[1].split(";")[0]
    assert "author (" not in stderr


def test_nothing_invented_and_what_is_missing_is_said(invoke: Invoke, base: Path) -> None:
    reviews, _, stderr, _ = _reviews(invoke, base)
    for review in reviews:
        assert "url" not in review and "author" not in review and "datePublished" not in review
        for quotation in review.get("citation", []):
            article = quotation["isBasedOn"]
            # The test source: named author, no URL, a date that is only inferred.
            assert article["author"] == [{"@type": "Person", "name": "Ann Writer"}]
            assert "url" not in article and "datePublished" not in article
            assert article["publisher"] == {"@type": "Organization", "name": "Test Gazette"}
    # stderr also carries the count per verdict; the publisher's line stands on its own.
    [line] = [
        line
        for line in stderr.strip().splitlines()
        if line.startswith("migfacts: claimreview: left for the publisher")
    ]
    for field in ("url (Google requires it", "author", "datePublished", "itemReviewed.author"):
        assert field in line
    assert "reviewRating.ratingValue" in line


def test_stated_dates_and_known_urls_are_given(invoke: Invoke, tmp_path: Path) -> None:
    stated = SOURCES.replace('published = "2025-03"', 'published = "2025-03-02"').replace(
        'published_basis = "inferred"', 'published_basis = "stated"\nurl = "https://example.org/a"'
    )
    base = write_base(tmp_path / "base", sources=stated)
    result = invoke("check", CLAIMS[0], "--facts", str(base), "-f", "claimreview")
    (review,) = result.json_list()
    article = review["citation"][0]["isBasedOn"]
    assert article["datePublished"] == "2025-03-02"
    assert article["url"] == "https://example.org/a"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--reviewer", "Desk"], "go with --format claimreview"),
        (["-f", "json", "--url", "https://x.org"], "go with --format claimreview"),
        (["-f", "claimreview", "--url", "example.org/check"], "not a web address"),
        (["-f", "claimreview", "--url", "javascript:alert(1)"], "not a web address"),
        (["-f", "claimreview", "--reviewer", "  "], "--reviewer needs a name"),
    ],
)
def test_bad_publisher_options_are_usage_errors(
    invoke: Invoke, base: Path, args: list[str], message: str
) -> None:
    result = invoke("check", CLAIMS[0], "--facts", str(base), *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""


def test_control_characters_in_a_claim_stay_escaped(invoke: Invoke, base: Path) -> None:
    result = invoke(
        "check", "About 35,000 \x1b[31mKyrgyz", "--facts", str(base), "-f", "claimreview"
    )
    assert "\x1b" not in result.stdout
    assert result.json_list()[0]["claimReviewed"] == "About 35,000 \x1b[31mKyrgyz"
