"""Text and numbers read from a user's file, checked before they become part of a project.

A text field (a site's id or name, a partner, a carrier) is one line of printable text:
it is shown on one line, saved as UTF-8 JSON and written to XLSX, GeoPackage and GeoJSON.
A control character (GIS files cut a name at NUL, openpyxl refuses most others), a line
break, a lone surrogate (it has no UTF-8 form) or a non-character (XML forbids U+FFFE,
U+FFFF) would break one of those later, so the importers refuse it, naming where it is.

A number is plain ASCII decimal notation (``53.8``, ``-1.5``, ``4.2e5``): Python's
``float`` also takes ``5_3.8`` as 53.8 and ``nan``, which no spreadsheet means.
"""

from __future__ import annotations

import re

__all__ = ["shown", "text_problem", "is_plain_number", "SHOWN_CHARS"]

#: The longest part of a value quoted in a message.
SHOWN_CHARS = 40

_REFUSED = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")
_LINE_BREAKS = "\n\r\x0b\x0c\x85\u2028\u2029"
_NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")


def shown(value: str) -> str:
    """``value`` quoted for a message: its first :data:`SHOWN_CHARS` characters, then ``…``.

    >>> shown("Leeds"), shown("x" * 45)
    ("'Leeds'", "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'…")
    """
    return repr(value[:SHOWN_CHARS]) + ("…" if len(value) > SHOWN_CHARS else "")


def text_problem(value: str) -> str | None:
    """Why ``value`` cannot be a one-line text field, or ``None`` when it can.

    >>> text_problem("Leeds – Kirkgate")
    >>> text_problem("Le\\x00eds")
    "'Le\\\\x00eds': character 3 is a control character (U+0000); text must be one line of printable characters"
    """
    match = _REFUSED.search(value)
    if match is None:
        return None
    char = match.group()
    if char in _LINE_BREAKS:
        kind = "a line break"
    elif char == "\t":
        kind = "a tab"
    elif "\ud800" <= char <= "\udfff":
        kind = "a lone surrogate, not a character"
    elif char in "\ufffe\uffff":
        kind = "a non-character"
    else:
        kind = "a control character"
    return (
        f"{shown(value)}: character {match.start() + 1} is {kind} (U+{ord(char):04X}); "
        "text must be one line of printable characters"
    )


def is_plain_number(text: str) -> bool:
    """Whether ``text`` is a number in plain ASCII decimal notation.

    >>> is_plain_number("-1.5"), is_plain_number("4.2E+05"), is_plain_number("5_3.8"), is_plain_number("nan")
    (True, True, False, False)
    """
    return _NUMBER.fullmatch(text) is not None
