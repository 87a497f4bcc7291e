#!/usr/bin/env python
"""Generate a synthetic, valid migfacts fact base of N facts from the bundled one.

    python benchmarks/gen_base.py N OUTDIR [--seed S] [--per-source K]

(Adapted from ../shared/bench/gen_base.py; `benchmarks/scale.py` runs it.)

Layout mirrors the bundled base: OUTDIR/sources.toml, places.toml, topics.toml (copied) and
one file of facts (and skips) per source: OUTDIR/facts/<source id>.toml.

Each fact is a bundled fact (the template) with: a new id and source; its figure scaled
(as_written, value, quote and statement kept in step, checked by migfacts' own parser);
its years (period, statement, quote) shifted to the new source's publication year; its
countries swapped (Central Asian for Central Asian, others for others; names and demonyms in
statement and quote swapped too); sometimes a topic changed or added. Every generated fact
is checked with migfacts.schema.FactModel; a variant that fails falls back to a milder one.
Sources get fake archive names and sha256 values: the archive check is out of scope.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
import tomllib
from collections import Counter
from decimal import Decimal
from pathlib import Path

from migfacts.loader import bundled_facts
from migfacts.numbers import parse_number
from migfacts.periods import parse_period
from migfacts.schema import FactModel

CA = ["KZ", "KG", "TJ", "UZ", "TM"]
# Where migrants and money go (weighted by repetition): Russia dominates, as in the articles.
DEST = ["RU"] * 6 + ["KR", "TR", "GB", "US", "DE", "PL", "AE", "CN", "UA", "BY", "IL", "FI"]

NUM = re.compile(r"^(?P<pre>\$ ?)?(?P<num>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?P<post>(?:\s.*)?|%)$")
YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20[0-4]\d)(?!\d)")


def load_bundled() -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {"source": [], "place": [], "topic": [], "fact": [], "skip": []}
    for path in sorted(bundled_facts().glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for table, items in data.items():
            out[table].extend(items)
    return out


def toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(value)


def toml_table(name: str, item: dict) -> str:
    lines = [f"[[{name}]]"]
    lines += [f"{k} = {toml_value(v)}" for k, v in item.items() if v is not None]
    return "\n".join(lines) + "\n"


def bounded(pattern: str) -> re.Pattern[str]:
    """A number as a whole token: "29" but not the 29 inside "2029" or "29.5"."""
    return re.compile(r"(?<![\w.,])" + re.escape(pattern) + r"(?![\w]|[.,]\d)")


def vary_number(fact: dict, rng: random.Random) -> dict | None:
    """The fact with its figure scaled, or None when its figure is words, a year or a date."""
    if fact.get("value") is None or fact["unit"] in ("calendar year", "date"):
        return None
    match = NUM.match(fact["as_written"])
    if not match:
        return None
    num = match["num"]
    grouped = "," in num
    decimals = len(num.split(".")[1]) if "." in num else 0
    magnitude = float(num.replace(",", ""))
    new = magnitude * rng.uniform(0.5, 1.6)
    if fact["unit"].startswith("percent") and magnitude <= 100:
        new = min(new, 99.0)
    if grouped:
        # Keep the written precision: "209,300" stays rounded to hundreds.
        zeros = len(num.replace(",", "")) - len(num.replace(",", "").rstrip("0"))
        step = 10 ** min(zeros, len(num.replace(",", "")) - 1)
        text = f"{max(step, round(new / step) * step):,}"
    elif decimals:
        text = f"{max(new, 10**-decimals):.{decimals}f}"
    else:
        text = str(max(1, round(new)))
    if text == num:
        return None
    written = f"{match['pre'] or ''}{text}{match['post']}"
    parsed = parse_number(written)
    if parsed is None:
        return None
    old = bounded(fact["as_written"])
    if not old.search(fact["quote"]):
        return None
    out = dict(fact)
    out["as_written"] = written
    out["quote"] = old.sub(lambda _: written, fact["quote"], count=1)
    out["statement"] = bounded(num).sub(lambda _: text, fact["statement"], count=1)
    size = parsed.low * (Decimal(100) if parsed.kind == "fraction" else 1)
    sign = -1 if fact["value"] < 0 else 1
    out["value"] = sign * (int(size) if size == size.to_integral_value() else float(size))
    return out


def _relative_date(fact: dict) -> bool:
    return fact["unit"] in ("calendar year", "date") and not re.search(r"\d", fact["as_written"])


def shift_years(fact: dict, delta: int) -> dict | None:
    if delta == 0 or fact["unit"] in ("calendar year", "date"):
        return None
    period = YEAR.sub(lambda m: str(int(m[1]) + delta), fact["period"])
    try:
        parse_period(period)
    except ValueError:
        return None
    out = dict(fact, period=period)
    if not YEAR.search(fact["as_written"]):
        for key in ("statement", "quote"):
            out[key] = YEAR.sub(lambda m: str(int(m[1]) + delta), fact[key])
    return out


def swap_places(fact: dict, places: dict[str, dict], rng: random.Random) -> dict:
    codes = {c for role in ("origin", "destination", "area") for c in fact.get(role, [])}
    ca = rng.sample(CA, len(CA))
    dest = list(dict.fromkeys(rng.sample(DEST, len(DEST))))
    others = sorted(c for c in codes if c not in CA and places[c]["kind"] == "country")
    mapping = dict(zip(CA, ca, strict=True)) if rng.random() < 0.8 else {}
    pool = [d for d in dest if d not in others] + others
    if rng.random() < 0.5:
        mapping.update(zip(others, pool, strict=False))
    mapping = {a: b for a, b in mapping.items() if a != b and a in codes}
    if not mapping:
        return fact
    out = dict(fact)
    for role in ("origin", "destination", "area"):
        if role in fact:
            out[role] = list(dict.fromkeys(mapping.get(c, c) for c in fact[role]))
    words: dict[str, str] = {}
    for a, b in mapping.items():
        pa, pb = places[a], places[b]
        words[pa["name"]] = pb["name"]
        for i, dem in enumerate(pa.get("demonyms", [])):
            if pb.get("demonyms"):
                words[dem] = pb["demonyms"][min(i, len(pb["demonyms"]) - 1)]
    pattern = re.compile(
        r"\b(" + "|".join(map(re.escape, sorted(words, key=len, reverse=True))) + r")\b"
    )
    statement = pattern.sub(lambda m: words[m[1]], fact["statement"])
    quote = pattern.sub(lambda m: words[m[1]], fact["quote"])
    if fact["as_written"] in quote:
        out["statement"], out["quote"] = statement, quote
    return out


def vary_topics(fact: dict, topic_ids: list[str], rng: random.Random) -> dict:
    r = rng.random()
    if r < 0.10:
        topics = list(fact["topics"])
        topics[rng.randrange(len(topics))] = rng.choice(topic_ids)
        return dict(fact, topics=list(dict.fromkeys(topics)))
    if r < 0.20:
        return dict(fact, topics=list(dict.fromkeys([*fact["topics"], rng.choice(topic_ids)])))
    return fact


def valid(fact: dict) -> bool:
    try:
        FactModel.model_validate(fact)
    except Exception:
        return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--per-source", type=int, default=26, help="mean facts per source/file")
    opts = parser.parse_args()
    rng = random.Random(opts.seed)
    bundled = load_bundled()
    places = {p["code"]: p for p in bundled["place"]}
    topic_ids = [t["id"] for t in bundled["topic"]]
    # A date written relative to its article ("last year") means another year in a source
    # published in another year; such facts are not templates.
    bundled["fact"] = [fact for fact in bundled["fact"] if not _relative_date(fact)]
    templates_by_source: dict[str, list[dict]] = {}
    for fact in bundled["fact"]:
        templates_by_source.setdefault(fact["source"], []).append(fact)
    skips_by_source: dict[str, list[dict]] = {}
    for skip in bundled["skip"]:
        skips_by_source.setdefault(skip["source"], []).append(skip)
    tmpl_sources = {s["id"]: s for s in bundled["source"]}
    tmpl_year = {s["id"]: int(s["published"][:4]) for s in bundled["source"]}
    skip_ratio = len(bundled["skip"]) / len(bundled["fact"])

    if opts.out.exists():
        shutil.rmtree(opts.out)
    (opts.out / "facts").mkdir(parents=True)
    for name in ("places.toml", "topics.toml"):
        shutil.copy(bundled_facts() / name, opts.out / name)

    stats: Counter[str] = Counter()
    sources_text = ["# Synthetic sources; archive and sha256 are placeholders.\n"]
    made = 0
    k = 0
    while made < opts.n:
        tmpl_id = list(tmpl_sources)[k % len(tmpl_sources)]
        tmpl = tmpl_sources[tmpl_id]
        year = rng.randint(2008, 2025)
        sid = f"{tmpl_id.rsplit('-', 1)[0]}-{year}-{k:05d}"
        source = {
            "id": sid,
            "title": f"{tmpl['title']} ({year}, no. {k})",
            "outlet": tmpl["outlet"],
            "authors": tmpl["authors"],
            "published": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "published_basis": "stated",
            "url": f"https://example.org/{sid}",
            "language": "en",
            "archive": f"{k:05d}_{rng.getrandbits(64):016x}.txt",
            "sha256": f"{rng.getrandbits(256):064x}",
        }
        sources_text.append(toml_table("source", source))
        count = min(opts.n - made, max(1, round(rng.uniform(0.4, 1.6) * opts.per_source)))
        chunks = [f"# Synthetic facts for {sid}.\n"]
        for _ in range(count):
            pool = templates_by_source[tmpl_id] if rng.random() < 0.7 else bundled["fact"]
            base = dict(rng.choice(pool))
            delta = year - tmpl_year[base["source"]]
            fact = base
            for name, step in (
                ("years", lambda f, delta=delta: shift_years(f, delta)),
                ("places", lambda f: swap_places(f, places, rng)),
                ("number", lambda f: vary_number(f, rng)),
                ("topics", lambda f: vary_topics(f, topic_ids, rng)),
            ):
                candidate = step(fact)
                if candidate is not None and candidate is not fact:
                    if valid(candidate):
                        fact = candidate
                        stats[name] += 1
                    else:
                        stats[f"{name} fallback"] += 1
            codes = fact.get("origin") or fact.get("destination") or fact.get("area")
            first_year = re.match(r"\d{4}", fact["period"])
            year_part = first_year[0] if first_year else "x"
            fid = f"{codes[0].lower()}-{fact['topics'][0]}-{year_part}-{made:06d}"
            fact = dict(fact, id=fid, source=sid)
            assert valid(fact), fact
            chunks.append(toml_table("fact", fact))
            made += 1
        tmpl_skips = skips_by_source.get(tmpl_id, [])
        for skip in rng.sample(tmpl_skips, min(len(tmpl_skips), round(count * skip_ratio))):
            chunks.append(toml_table("skip", dict(skip, source=sid)))
        text = "\n".join(chunks)
        tomllib.loads(text)  # well-formed
        (opts.out / "facts" / f"{sid}.toml").write_text(text, encoding="utf-8")
        k += 1
    (opts.out / "sources.toml").write_text("\n".join(sources_text), encoding="utf-8")
    print(
        f"{made} facts, {k} sources/files in {opts.out}; variants kept/fallbacks: {dict(stats)}",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
