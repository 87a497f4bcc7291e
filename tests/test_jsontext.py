"""`jsontext.dumps` writes what `json.dumps(..., ensure_ascii=False, indent=...)` writes."""

from __future__ import annotations

import json
import random
from enum import IntEnum, StrEnum
from typing import Any

import pytest

from migfacts.jsontext import dumps


class Level(IntEnum):
    LOW = 1


class Shade(StrEnum):
    DARK = "dark"


EDGES: list[Any] = [
    None, True, False, 0, -1, 10**30, -(10**40), 0.1, -0.0, 1e300, 1e-300, float("nan"),
    float("inf"), -float("inf"), "", "Türkiye", 'quote " back \\ slash', "\x00\x1f\x7f\x9f",
    "\u202e\ud800", "日本語", Level.LOW, Shade.DARK, [], {}, (), [[]], [{}], {"": {}},
    {"a": [1, (2, 3)], "b": {"c": None}}, {7: "int key", 2.5: "float", True: "t", None: "n"},
    {False: 0, -3: [], float("inf"): 1},
]  # fmt: skip


@pytest.mark.parametrize("indent", [None, 0, 1, 2, 4])
def test_edge_values_read_the_same(indent: int | None) -> None:
    for value in EDGES:
        assert dumps(value, indent) == json.dumps(value, ensure_ascii=False, indent=indent)
    assert dumps(EDGES, indent) == json.dumps(EDGES, ensure_ascii=False, indent=indent)


def _random(rng: random.Random, depth: int = 0) -> Any:
    kind = rng.randrange(9 if depth < 5 else 6)
    if kind == 0:
        return rng.choice([None, True, False])
    if kind == 1:
        return rng.randint(-(10**20), 10**20)
    if kind == 2:
        return rng.choice([rng.random() * 10 ** rng.randint(-5, 20), 0.5, -2.25])
    if kind in (3, 4, 5):
        return "".join(rng.choice('ab "\\\n\t\x01é—«»\u2066\x85') for _ in range(rng.randint(0, 8)))
    if kind in (6, 7):
        items = [_random(rng, depth + 1) for _ in range(rng.randint(0, 4))]
        return items if rng.random() < 0.8 else tuple(items)
    return {
        rng.choice(["id", "value", "x y", "é", ""]) + str(i): _random(rng, depth + 1)
        for i in range(rng.randint(0, 4))
    }


def test_random_data_reads_the_same() -> None:
    rng = random.Random(20261202)
    for _ in range(2000):
        value = _random(rng)
        for indent in (None, 2):
            assert dumps(value, indent) == json.dumps(value, ensure_ascii=False, indent=indent)


def test_what_json_refuses_it_refuses_alike() -> None:
    circular: list[Any] = []
    circular.append(circular)
    for bad in ({"a": {1, 2}}, [object()], {(1, 2): "tuple key"}, circular):
        with pytest.raises((TypeError, ValueError)) as expected:
            json.dumps(bad, ensure_ascii=False, indent=2)
        with pytest.raises(type(expected.value)):
            dumps(bad, 2)
