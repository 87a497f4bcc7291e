#!/usr/bin/env python3
"""Scores `migfacts check` on prose drafts: does it find each sentence that states a figure,
and give it the labelled verdict?

usage: score_drafts.py [--migfacts EXE] [--drafts FILE]

Each line of the drafts file is {"text": ..., "sentences": [{"sentence", "label"}, ...]},
labelling the sentences that carry a figure. Prints each miss, then a summary line.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

WANT = {"SUPPORTED": "supported", "REFUTED": "refuted", "NOT_ENOUGH_INFO": "not_enough_info"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--migfacts", default=shutil.which("migfacts") or ".venv/bin/migfacts")
    parser.add_argument(
        "--drafts", type=Path, default=Path(__file__).with_name("heldout-drafts.jsonl")
    )
    args = parser.parse_args()
    drafts = [json.loads(line) for line in args.drafts.open(encoding="utf-8") if line.strip()]
    found = right = total = 0
    for draft in drafts:
        run = subprocess.run(
            [args.migfacts, "check", "--format", "json"],
            input=draft["text"],
            capture_output=True,
            text=True,
            timeout=120,
        )
        verdicts = {item["claim"]: item["verdict"] for item in json.loads(run.stdout or "[]")}
        for sentence in draft["sentences"]:
            total += 1
            got = verdicts.get(sentence["sentence"])
            found += got is not None
            if got == WANT[sentence["label"]]:
                right += 1
            else:
                print(f"miss: want {WANT[sentence['label']]}, got {got}: {sentence['sentence']}")
    print(
        f"drafts: {len(drafts)}; sentences with figures found {found}/{total}; "
        f"verdicts right {right}/{total}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
