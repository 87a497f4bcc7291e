"""`values.valueclass` behaves as `dataclasses.dataclass` does for what migfacts uses."""

from __future__ import annotations

import copy
import dataclasses
import pickle
from functools import cached_property

import pytest

from migfacts.periods import Period, parse_period
from migfacts.render import Column, Listing
from migfacts.values import FrozenInstanceError, field, replace, valueclass


@valueclass(frozen=True)
class Light:
    a: int
    b: str = "b"
    c: tuple[int, ...] = ()

    @cached_property
    def doubled(self) -> int:
        return self.a * 2


@dataclasses.dataclass(frozen=True)
class Heavy:
    a: int
    b: str = "b"
    c: tuple[int, ...] = ()


@valueclass
class Open:
    items: list[int] = field(default_factory=list)
    name: str | None = None


def test_construction_repr_and_equality_match_a_dataclass() -> None:
    for args, kwargs in (((1,), {}), ((1, "x"), {}), ((1,), {"c": (2,)}), ((), {"a": 3})):
        light, heavy = Light(*args, **kwargs), Heavy(*args, **kwargs)
        assert repr(light).replace("Light", "Heavy") == repr(heavy)
        assert hash(light) == hash(heavy)  # the hash of the fields' tuple, as dataclasses
    assert Light(1) == Light(1, "b", ()) and Light(1) != Light(2)
    others: list[object] = [Heavy(1), (1, "b", ())]
    assert all(Light(1) != other for other in others)
    assert len({Light(1), Light(1), Light(2)}) == 2
    assert Light(5).doubled == 10  # a cached property on a frozen value


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [((), {}), ((1, "b", (), 4), {}), ((1,), {"a": 1}), ((1,), {"d": 1})],
)
def test_wrong_arguments_are_a_type_error_as_for_a_dataclass(
    args: tuple[object, ...], kwargs: dict[str, object]
) -> None:
    with pytest.raises(TypeError):
        Heavy(*args, **kwargs)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Light(*args, **kwargs)  # type: ignore[arg-type]


def test_frozen_and_open_values() -> None:
    light = Light(1)
    with pytest.raises(FrozenInstanceError):
        light.a = 2  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del light.b
    first, second = Open(), Open()
    first.items.append(1)
    assert second.items == [] and first.items == [1]  # a new list for each
    first.name = "changed"
    assert first.name == "changed"
    with pytest.raises(TypeError):
        hash(first)  # equal by value and mutable: unhashable


def test_copies_and_pickles_keep_the_value() -> None:
    period = parse_period("2020-03/2021")
    for value in (period, Light(1, "x", (2, 3)), Column("id", "ID", no_wrap=True)):
        assert copy.copy(value) == value
        assert copy.deepcopy(value) == value
        assert pickle.loads(pickle.dumps(value)) == value


def test_the_query_path_classes() -> None:
    period = Period(parse_period("2024").start, parse_period("2024").end)
    assert period == parse_period("2024") and not hasattr(period, "__dict__")
    assert (
        repr(period) == "Period(start=datetime.date(2024, 1, 1), end=datetime.date(2024, 12, 31))"
    )
    column = Column("id", "ID", no_wrap=True)
    assert column.in_table and column.max_width is None and column.no_wrap
    assert Listing(columns=[column]).rows == []


def test_replace_makes_a_changed_copy_as_dataclasses_does() -> None:
    light = Light(1, "x", (2,))
    changed = replace(light, b="y")
    assert changed == Light(1, "y", (2,)) and light == Light(1, "x", (2,))
    assert repr(replace(light, a=3)).replace("Light", "Heavy") == repr(
        dataclasses.replace(Heavy(1, "x", (2,)), a=3)
    )
    with pytest.raises(TypeError):
        replace(light, nothing=1)
