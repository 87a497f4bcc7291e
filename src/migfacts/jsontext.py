"""Indented JSON text, as `json.dumps(data, ensure_ascii=False, indent=...)` writes it, faster.

The standard library's C encoder serves only compact output; with an indent, `json` falls
back to a generator in pure Python that costs more than the rest of a JSON query of a
hundred facts. This writes the same characters from the same C string encoder, walking the
data in one plain recursive function. Anything it does not know exactly as `json` does
(another type, a key that is not text, a number or a constant, a container inside itself)
is handed to `json.dumps`, which writes it or raises as it always has.
"""

from __future__ import annotations

import json
from itertools import repeat
from json.encoder import encode_basestring  # the C function when the C accelerator is there
from typing import Any

_int = int.__repr__
_float = float.__repr__


class _Unusual(Exception):
    """Something `json.dumps` should decide about."""


def dumps(
    data: Any, indent: int | None = 2, *, level: int = 0, one_line_from: int | None = None
) -> str:
    """`json.dumps(data, ensure_ascii=False, indent=indent)`, character for character, as if
    nested `level` deep. With `one_line_from`, an object or array nested that deep or deeper
    is written on one line, as `json.dumps` writes it without indent."""
    if indent is None:
        return json.dumps(data, ensure_ascii=False)  # the C encoder already
    parts: list[str] = []
    try:
        _write(data, parts, "\n" + " " * indent * level, " " * indent, level, one_line_from)
    except (_Unusual, RecursionError):
        text = json.dumps(data, ensure_ascii=False, indent=indent)
        return text.replace("\n", "\n" + " " * indent * level)
    return "".join(parts)


_one_line = json.JSONEncoder(ensure_ascii=False).encode


def _number(value: float) -> str:
    if value != value:
        return "NaN"
    if value == float("inf"):
        return "Infinity"
    if value == -float("inf"):
        return "-Infinity"
    return _float(value)


def _key(key: object) -> str:
    if isinstance(key, str):
        return key
    if isinstance(key, float):
        return _number(key)
    if key is True:
        return "true"
    if key is False:
        return "false"
    if key is None:
        return "null"
    if isinstance(key, int):
        return _int(key)
    raise _Unusual


_MAX_DEPTH = 200  # deeper than any record; past it, `json` decides (and finds any cycle)


def _write(
    value: Any, parts: list[str], newline: str, step: str, depth: int, one_line_from: int | None
) -> None:
    # The order of the tests is json's own: text, the constants, numbers, containers.
    if isinstance(value, str):
        parts.append(encode_basestring(value))
    elif value is None:
        parts.append("null")
    elif value is True:
        parts.append("true")
    elif value is False:
        parts.append("false")
    elif isinstance(value, int):
        parts.append(_int(value))
    elif isinstance(value, float):
        parts.append(_number(value))
    elif (
        one_line_from is not None
        and depth >= one_line_from
        and isinstance(value, (list, tuple, dict))
    ):
        parts.append(_one_line(value))
    elif isinstance(value, (list, tuple, dict)):
        mapping = isinstance(value, dict)
        if not value:
            parts.append("{}" if mapping else "[]")
            return
        if depth > _MAX_DEPTH:
            raise _Unusual
        inner = newline + step
        separator = "," + inner
        parts.append(("{" if mapping else "[") + inner)
        first = True
        pairs = value.items() if isinstance(value, dict) else zip(repeat(None), value)
        for key, item in pairs:
            if first:
                first = False
            else:
                parts.append(separator)
            if mapping:
                parts.append(encode_basestring(_key(key)) + ": ")
            _write(item, parts, inner, step, depth + 1, one_line_from)
        parts.append(newline + ("}" if mapping else "]"))
    else:
        raise _Unusual
