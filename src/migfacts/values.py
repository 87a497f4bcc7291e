"""Value classes for the query path, declared as dataclasses are, at no cost on import.

`dataclasses` writes each class's `__init__`, `__repr__`, `__eq__` (and, frozen, `__hash__`,
`__setattr__`, `__delattr__`) as source text and compiles it: 0.5 to 1.1 ms a class, 5 ms
for the six a query imports, plus the module: a sixth of what a bundled query adds to
`import typer`. `valueclass` gives a class the same methods, written once here, reading the
field names from its annotations: the same constructor (positional or by name, defaults,
`field(default_factory=...)`), equality between instances of the one class, a hash of the
fields when frozen (none when not), the dataclass `repr`, and `FrozenInstanceError` on
assignment; `replace` here is `dataclasses.replace`. Type checkers read it as a dataclass
(PEP 681). Not provided: `dataclasses.fields` or `asdict` on these classes, `__post_init__`,
`ClassVar`, `slots=` (write `__slots__` in the class instead), ordering.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any, TypeVar, dataclass_transform, overload

T = TypeVar("T")
C = TypeVar("C", bound=type)


class FrozenInstanceError(AttributeError):
    """An assignment to a field of a frozen value."""


class _Factory:
    __slots__ = ("make",)

    def __init__(self, make: Callable[[], Any]) -> None:
        self.make = make


def field(*, default_factory: Callable[[], T]) -> T:
    """A field whose default is made anew for each instance, as `dataclasses.field` does."""
    return _Factory(default_factory)  # type: ignore[return-value]


@overload
def valueclass(cls: C, /) -> C: ...
@overload
def valueclass(*, frozen: bool = False) -> Callable[[C], C]: ...
@dataclass_transform(field_specifiers=(field,))
def valueclass(cls: Any = None, /, *, frozen: bool = False) -> Any:
    """A class decorator like `dataclasses.dataclass(frozen=...)`; see the module."""

    def make(cls: Any) -> Any:
        _install(cls, frozen)
        return cls

    return make if cls is None else make(cls)


def replace(obj: T, /, **changes: Any) -> T:
    """A copy of the value `obj` with `changes`, as `dataclasses.replace` makes."""
    names = type(obj).__value_fields__  # type: ignore[attr-defined]
    return type(obj)(**{name: changes.pop(name, getattr(obj, name)) for name in names}, **changes)


_set = object.__setattr__


def _install(cls: Any, frozen: bool) -> None:
    names = tuple(inspect.get_annotations(cls))
    defaults: dict[str, Any] = {}
    for name in names:
        if name in cls.__dict__:
            default = cls.__dict__[name]
            defaults[name] = default
            if isinstance(default, _Factory):
                delattr(cls, name)  # as dataclasses does: the class has no such attribute
    title = cls.__qualname__

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        if len(args) > len(names):
            raise TypeError(
                f"{title}.__init__() takes {len(names) + 1} positional arguments "
                f"but {len(args) + 1} were given"
            )
        for name, given in zip(names, args, strict=False):
            if name in kwargs:
                raise TypeError(f"{title}.__init__() got multiple values for argument {name!r}")
            _set(self, name, given)
        for name in names[len(args) :]:
            if name in kwargs:
                given = kwargs.pop(name)
            elif name in defaults:
                default = defaults[name]
                given = default.make() if isinstance(default, _Factory) else default
            else:
                raise TypeError(f"{title}.__init__() missing required argument: {name!r}")
            _set(self, name, given)
        if kwargs:
            unknown = next(iter(kwargs))
            raise TypeError(f"{title}.__init__() got an unexpected keyword argument {unknown!r}")

    def fields(self: Any) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in names)

    def __repr__(self: Any) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"{type(self).__qualname__}({shown})"

    def __eq__(self: Any, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return fields(self) == fields(other)

    def __reduce__(self: Any) -> tuple[Any, tuple[Any, ...]]:
        return type(self), fields(self)

    methods: dict[str, Any] = {
        "__init__": __init__,
        "__repr__": __repr__,
        "__eq__": __eq__,
        "__reduce__": __reduce__,
        "__match_args__": names,
        "__value_fields__": names,
    }
    if frozen:

        def __hash__(self: Any) -> int:
            return hash(fields(self))

        def __setattr__(self: Any, name: str, given: Any) -> None:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")

        def __delattr__(self: Any, name: str) -> None:
            raise FrozenInstanceError(f"cannot delete field {name!r}")

        methods.update(__hash__=__hash__, __setattr__=__setattr__, __delattr__=__delattr__)
    elif "__hash__" not in cls.__dict__ or cls.__dict__["__hash__"] is None:
        methods["__hash__"] = None  # equal by value and mutable: unhashable, as dataclasses
    for attribute, method in methods.items():
        if callable(method):
            method.__qualname__ = f"{title}.{attribute}"
        setattr(cls, attribute, method)
