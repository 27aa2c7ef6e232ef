"""Text and numbers from a user's file, checked before they become part of a project.

A text field (a site's id or name, a partner, a carrier) is one line of printable text:
it is shown on one line, saved as UTF-8 JSON and written to XLSX, GeoPackage and GeoJSON.
A control character (GIS files cut a name at NUL, openpyxl refuses most others), a line
break, a lone surrogate (it has no UTF-8 form) or a non-character (XML forbids U+FFFE,
U+FFFF) would break one of those later, so the readers refuse it, naming where it is.
A few fields are paragraphs by nature (a project's description): :func:`text_problem`
with ``lines=True`` lets those hold line breaks and tabs, and refuses the rest alike.

A number is plain ASCII decimal notation (``53.8``, ``-1.5``, ``4.2e5``): Python's
``float`` also takes ``5_3.8`` as 53.8 and ``nan``, which no spreadsheet means.

Pure functions, used by the project file (``planner.core.project_file``) and the
importers (``planner.io.text_clean`` re-exports them).
"""

from __future__ import annotations

import re

__all__ = ["shown", "text_problem", "clean_text", "is_plain_number", "SHOWN_CHARS"]

#: The longest part of a value quoted in a message.
SHOWN_CHARS = 40

_REFUSED = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")
#: What a paragraph may hold besides printable text: a tab, and line breaks as LF, CR LF or CR.
_PARAGRAPH = re.compile("[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")
_LINE_BREAKS = "\n\r\x0b\x0c\x85\u2028\u2029"
_NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")


def shown(value: object) -> str:
    """``value`` quoted for a message: its first :data:`SHOWN_CHARS` characters, then ``…``.

    Text is quoted; anything else (a number from a JSON file) is shown as Python writes it.

    >>> shown("Leeds"), shown("x" * 45), shown(2.5), shown(10**50)
    ("'Leeds'", "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'…", '2.5', '1000000000000000000000000000000000000000…')
    """
    if isinstance(value, str):
        return repr(value[:SHOWN_CHARS]) + ("…" if len(value) > SHOWN_CHARS else "")
    try:
        text = repr(value)
    except ValueError:  # an int past Python's 4,300-digit limit for text
        return "a number too long to show"
    return text[:SHOWN_CHARS] + ("…" if len(text) > SHOWN_CHARS else "")


def text_problem(value: str, *, lines: bool = False) -> str | None:
    """Why ``value`` cannot be a one-line text field (a paragraph when ``lines``), or ``None`` when it can.

    >>> text_problem("Leeds – Kirkgate")
    >>> text_problem("Le\\x00eds")
    "'Le\\\\x00eds': character 3 is a control character (U+0000); text must be one line of printable characters"
    >>> text_problem("Two\\nlines", lines=True)
    >>> text_problem("Two\\nlines").split("; ")[0]
    "'Two\\\\nlines': character 4 is a line break (U+000A)"
    """
    match = (_PARAGRAPH if lines else _REFUSED).search(value)
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
    rule = "printable characters, tabs and line breaks" if lines else "one line of printable characters"
    return f"{shown(value)}: character {match.start() + 1} is {kind} (U+{ord(char):04X}); text must be {rule}"


def clean_text(value: str) -> str:
    """``value`` as one line of printable text, for a name typed or pasted into the app.

    Line breaks and tabs become spaces and the other characters :func:`text_problem` refuses
    are dropped, so a name pasted from a document can always be saved and exported.

    >>> clean_text(" Leeds\\tGeneral\\r\\nInfir\\x00mary ")
    'Leeds General Infirmary'
    """
    spaced = _REFUSED.sub(lambda m: " " if m.group() in _LINE_BREAKS or m.group() == "\t" else "", value)
    return " ".join(spaced.split())


def is_plain_number(text: str) -> bool:
    """Whether ``text`` is a number in plain ASCII decimal notation.

    >>> is_plain_number("-1.5"), is_plain_number("4.2E+05"), is_plain_number("5_3.8"), is_plain_number("nan")
    (True, True, False, False)
    """
    return _NUMBER.fullmatch(text) is not None
