r"""Make text taken from a file safe to print: nothing in a payload may steer a terminal.

A path, a member name in a pointer or a value in a message comes from the file linted. Raw, an
ESC would move the cursor or clear the screen, a newline would start a forged report line, and
a bidi override would show the line in another order than it reads. :func:`printable` writes
each such character as an escape (``\x1b``, ``\n``, ``\u202e``) for the text report;
:func:`json_text` dumps JSON whose strings hold none of them raw either.
"""

from __future__ import annotations

import json
import re

__all__ = ["json_safe", "json_text", "printable"]

# DEL and the C1 controls, the soft hyphen, the Arabic letter mark, the Mongolian vowel
# separator, zero-width characters and bidi marks, line and paragraph separators, bidi
# embeddings, overrides and isolates, invisible operators, the byte order mark, interlinear
# annotations, lone surrogates and tag characters: none is needed to read a report.
_INVISIBLE = (
    "\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff"
    "\ufff9-\ufffb\ud800-\udfff\U000e0000-\U000e007f"
)
# Compiled on first need (re keeps them), not on import: compiling the three costs a run
# about 2 ms, and text that is ASCII, as most is, never needs them (see below).
_UNPRINTABLE = f"[\x00-\x1f{_INVISIBLE}]"
_UNPRINTABLE_BUT_LINE_BREAKS = f"[\x00-\x09\x0b\x0c\x0e-\x1f{_INVISIBLE}]"
_JSON_UNSAFE = f"[{_INVISIBLE}]"  # json.dumps escapes the C0 controls itself
_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _SHORT:
        return _SHORT[char]
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def printable(text: str, *, line_breaks: bool = False) -> str:
    r"""``text`` with every control, invisible or direction-changing character escaped.

    With ``line_breaks``, ``\n`` and ``\r`` are left for the caller's format to escape its own
    way (GitHub's workflow commands spell them ``%0A`` and ``%0D``).
    """
    # In ASCII only the C0 controls and DEL are escaped, the characters isprintable refuses.
    if text.isascii() and text.isprintable():
        return text
    pattern = _UNPRINTABLE_BUT_LINE_BREAKS if line_breaks else _UNPRINTABLE
    return re.compile(pattern).sub(_escape, text)


def _json_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000  # a UTF-16 surrogate pair, as JSON spells a character beyond the BMP
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def json_safe(text: str) -> str:
    """JSON text (non-ASCII kept) with the characters above escaped in its strings."""
    # Outside strings JSON text is ASCII, so escaping anywhere in it escapes inside strings.
    if text.isascii() and "\x7f" not in text:  # DEL: the one ASCII character escaped here
        return text
    return re.compile(_JSON_UNSAFE).sub(_json_escape, text)


def json_text(value: object) -> str:
    """``value`` as indented JSON, non-ASCII kept, the characters above escaped."""
    return json_safe(json.dumps(value, indent=2, ensure_ascii=False))
