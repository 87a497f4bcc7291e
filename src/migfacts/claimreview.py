"""`check --format claimreview`: verdicts as schema.org ClaimReview, the markup fact-checkers
publish and Google's Fact Check Tools read.

One ClaimReview per claim, each a complete JSON-LD object with its own `@context`, in a JSON
array (valid JSON-LD as it stands: paste it into a `<script type="application/ld+json">`):

- `claimReviewed`: the claim as given; `itemReviewed`: a `Claim` with the same text;
- `reviewRating`: a `Rating` with the verdict as `alternateName`, a readable `name`, and on
  the scale below `ratingValue`, `worstRating` 1 and `bestRating` 3;
- `reviewBody`: the explanation, figure by figure;
- `citation`: the evidence, one `Quotation` per fact: the verbatim quote, the fact id as
  `identifier`, and the article it is from (`isBasedOn`: headline, outlet as publisher,
  named authors, the URL when one is known, the date only when it is stated to the day);
- `author` and `url` only when given (`--reviewer`, `--url`): they belong to the publisher.

A sentence that states no figure gets no review: nothing in it was checked.

Nothing is invented. What migfacts cannot know (when the review is published; who made the
claim, when and where) is left out, and `notes` names it, so the publisher can add it.
Google requires `claimReviewed`, `reviewRating.alternateName` and `url`, and recommends
`author`, `datePublished`, `itemReviewed` (with its `author`, `datePublished`,
`appearance` or `firstAppearance`) and the rating's `name`, `ratingValue`, `bestRating`,
`worstRating`.

The rating scale: 1 refuted, 2 conflicting (the sources disagree), 3 supported. A claim the
sources do not decide (`not_enough_info`) is not placed on the scale: it has no
`ratingValue`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from migfacts.errors import UsageError
from migfacts.present import web_url
from migfacts.records import FactBase, Source

if TYPE_CHECKING:
    from migfacts.check import ClaimCheck
    from migfacts.records import Fact

CONTEXT = "https://schema.org"
WORST, BEST = 1, 3
SCALE = {"refuted": 1, "conflicting": 2, "supported": 3}
RATING_NAMES = {
    "supported": "Supported by the sources",
    "refuted": "Refuted by the sources",
    "conflicting": "The sources disagree",
    "not_enough_info": "Not enough information in the sources",
}
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def check_publisher(reviewer: str | None, url: str | None) -> None:
    """Reject a blank reviewer or a URL that is not an absolute web address."""
    if reviewer is not None and not reviewer.strip():
        raise UsageError("--reviewer needs a name")
    if url is not None and not re.match(r"^https?://[^\s/]+\S*$", url, re.IGNORECASE):
        raise UsageError(f"--url {url!r} is not a web address (https://...)")


def _article(source: Source) -> dict[str, Any]:
    article: dict[str, Any] = {"@type": "NewsArticle", "headline": source.title}
    if source.authors:
        article["author"] = [{"@type": "Person", "name": name} for name in source.authors]
    article["publisher"] = {"@type": "Organization", "name": source.outlet}
    if source.published_basis == "stated" and _DAY.match(source.published):
        article["datePublished"] = source.published
    if source.language:
        article["inLanguage"] = source.language
    url = web_url(source.url)
    if url:
        article["url"] = url
    return article


def _quotation(base: FactBase, fact: Fact) -> dict[str, Any]:
    return {
        "@type": "Quotation",
        "identifier": fact.id,
        "text": fact.quote,
        "isBasedOn": _article(base.sources[fact.source]),
    }


def _rating(verdict: str) -> dict[str, Any]:
    rating: dict[str, Any] = {"@type": "Rating", "alternateName": verdict}
    rating["name"] = RATING_NAMES.get(verdict, verdict)
    if verdict in SCALE:
        rating["ratingValue"] = SCALE[verdict]
        rating["worstRating"] = WORST
        rating["bestRating"] = BEST
    return rating


def claim_review(
    base: FactBase, item: ClaimCheck, *, reviewer: str | None = None, url: str | None = None
) -> dict[str, Any]:
    """One claim's check as a ClaimReview JSON-LD object."""
    review: dict[str, Any] = {"@context": CONTEXT, "@type": "ClaimReview"}
    if url is not None:
        review["url"] = url
    review["claimReviewed"] = item.claim
    review["itemReviewed"] = {"@type": "Claim", "text": item.claim}
    if reviewer is not None:
        review["author"] = {"@type": "Organization", "name": reviewer.strip()}
    review["reviewRating"] = _rating(item.verdict)
    review["reviewBody"] = item.explanation
    if item.evidence:
        review["citation"] = [_quotation(base, fact) for fact in item.evidence]
    return review


def claim_reviews(
    base: FactBase,
    checks: list[ClaimCheck],
    *,
    reviewer: str | None = None,
    url: str | None = None,
) -> list[dict[str, Any]]:
    """A review for each claim that states a figure: a sentence without one was not reviewed."""
    return [claim_review(base, item, reviewer=reviewer, url=url) for item in checks if item.figures]


def notes(
    checks: list[ClaimCheck], *, reviewer: str | None = None, url: str | None = None
) -> list[str]:
    """What the publisher must know: the fields left to fill, and sentences not reviewed."""
    lines = ["left for the publisher: " + "; ".join(missing_fields(checks, reviewer, url))]
    unreviewed = sum(1 for item in checks if not item.figures)
    if unreviewed:
        what = "sentence that states" if unreviewed == 1 else "sentences that state"
        lines.append(f"no review for {unreviewed} {what} no figure")
    return lines


def missing_fields(checks: list[ClaimCheck], reviewer: str | None, url: str | None) -> list[str]:
    """The fields Google requires or recommends that these reviews leave for the publisher."""
    checks = [item for item in checks if item.figures]
    missing = []
    if url is None:
        missing.append("url (Google requires it: give --url)")
    if reviewer is None:
        missing.append("author (give --reviewer)")
    missing += [
        "datePublished (when you publish the review)",
        "itemReviewed.author, itemReviewed.datePublished, itemReviewed.firstAppearance "
        "(who made the claim, when, and where)",
    ]
    undecided = sum(1 for item in checks if item.verdict not in SCALE)
    if undecided:
        missing.append(
            f"reviewRating.ratingValue for {undecided} claim{'s' if undecided != 1 else ''} "
            "the sources do not decide (not on the scale)"
        )
    return missing
