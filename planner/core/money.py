"""Money as integer pence, so the screen and the spreadsheet always agree.

>>> parse_pounds("1,234.5")
123450
>>> format_gbp(123450)
'£1,234.50'
"""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

__all__ = [
    "MAX_POUNDS",
    "parse_pounds",
    "pence_from_decimal",
    "pounds",
    "format_gbp",
    "format_gbp_short",
    "format_saving_percent",
]


#: The largest amount a file or a person may give, in pounds: far beyond any network's cost.
MAX_POUNDS = 1_000_000_000
_AMOUNT = re.compile(r"([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?", re.ASCII)


def pence_from_decimal(value: Decimal) -> int:
    """Round an amount of pounds to whole pence (half up, as invoices do)."""
    return int((value * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def parse_pounds(text: str | int | float | Decimal) -> int:
    """Pounds written by a person (``"£1,250"``, ``"99.99"``, ``1250``) as pence.

    Raises ``ValueError`` naming the text (its first 40 characters) when it is not plain
    decimal notation (``5_3.8``, ``NaN`` and non-ASCII digits are not), is negative, or is
    more than ``MAX_POUNDS``.
    """
    shown = repr(str(text)[:40]) + ("…" if len(str(text)) > 40 else "")
    if isinstance(text, bool):
        raise ValueError(f"{shown} is not an amount of money")
    raw = str(text).strip().replace(",", "").removeprefix("£").strip()
    negative = raw.startswith("-")
    if not _AMOUNT.fullmatch(raw.removeprefix("-").removeprefix("+")):
        raise ValueError(f"{shown} is not an amount of money")
    try:
        value = abs(Decimal(raw))
        if value > MAX_POUNDS:
            raise ValueError(f"{shown} is more than £{MAX_POUNDS:,}")
        pence = pence_from_decimal(value)
    except (InvalidOperation, OverflowError):  # an exponent Decimal cannot hold
        raise ValueError(f"{shown} is not an amount of money") from None
    if negative and pence:
        raise ValueError(f"{shown} is negative")
    return pence


def pounds(pence: int) -> Decimal:
    """Pence as an exact ``Decimal`` of pounds with two places."""
    return (Decimal(pence) / 100).quantize(Decimal("0.01"))


def format_gbp(pence: int) -> str:
    """``£1,234.50``; negative amounts as ``-£12.00``."""
    sign = "-" if pence < 0 else ""
    return f"{sign}£{pounds(abs(pence)):,}"


def format_gbp_short(pence: int) -> str:
    """A compact figure for headlines: ``£1.23m``, ``£45.6k``, ``£950``."""
    value = abs(pence) / 100
    sign = "-" if pence < 0 else ""
    if value >= 1_000_000:
        return f"{sign}£{value / 1_000_000:.2f}m"
    if value >= 10_000:
        return f"{sign}£{value / 1_000:.1f}k"
    return f"{sign}£{value:,.0f}"


def format_saving_percent(fraction: float) -> str:
    """A saving as a percentage for a headline: whole percent, with a decimal below 1% so it never reads 0%.

    >>> format_saving_percent(0.0437), format_saving_percent(0.0023), format_saving_percent(-0.0036)
    ('4%', '0.2%', '-0.4%')
    """
    return f"{fraction:.1%}" if abs(fraction) < 0.01 else f"{fraction:.0%}"
