"""The one sanitiser: text from the base or the user reaches no terminal or spreadsheet as code.

Every format and every command writes through these functions:

- `safe_text` for text formats (tables, tsv, csv, markdown, citations, messages on stderr):
  C0 controls other than tab and newline, DEL, C1 controls, the bidirectional embeddings,
  overrides and isolates (the "Trojan Source" characters, which reorder what a reader sees)
  and lone surrogates (undecodable bytes) are shown as visible escapes: `\\x1b`, `\\u202e`.
- `safe_json` for JSON text: the same characters as JSON's own `\\u` escapes, so a parser
  gets the raw value back while the text itself stays harmless in a terminal.
- `safe_cell` for csv and tsv cells: `safe_text`, and a cell a spreadsheet would run as a
  formula (starting with `=`, `+`, `-`, `@`, tab or carriage return) gets a leading `'`, as
  OWASP's CSV-injection guidance advises. A plain negative number (`-58`, `-108,000`,
  `-2.6%`) is left as it is: a spreadsheet reads it as a number, never as a formula.
"""

from __future__ import annotations

import re

# Characters that must not reach a reader raw. Tab and newline are layout, not commands.
_UNSAFE_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
# In JSON text, the encoder already escapes C0 controls; the rest are escaped here.
_UNSAFE_JSON = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")

# What makes a spreadsheet read a cell as a formula, fullwidth forms included.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_PLAIN_NEGATIVE = re.compile(r"-\d[\d,]*(?:\.\d+)?%?")

# Messages echo user input; a megabyte-long claim is cut, not printed whole.
MESSAGE_LIMIT = 1000


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe_text(text: object) -> str:
    """Text that cannot drive a terminal: unsafe characters become visible escapes."""
    return _UNSAFE_TEXT.sub(_escape, "" if text is None else str(text))


def safe_json(dumped: str) -> str:
    """JSON text with every unsafe character left in it as a `\\uXXXX` escape.

    Outside strings JSON holds only ASCII punctuation, digits, letters and white space, so
    every match is inside a string, where the escape means the same character.
    """
    return _UNSAFE_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", dumped)


def safe_cell(text: object) -> str:
    """A csv or tsv cell that a spreadsheet shows as text, never runs as a formula."""
    cell = safe_text(text)
    if cell.startswith(FORMULA_STARTS) and not _PLAIN_NEGATIVE.fullmatch(cell):
        return "'" + cell
    return cell


def clip(text: str, limit: int = MESSAGE_LIMIT) -> str:
    """A message line cut to `limit` characters, saying how much was left out."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text) - limit:,} more characters)"
