"""Wording shared by the app's panels and the printed reports."""

from __future__ import annotations

__all__ = ["plural", "short_name"]


def plural(n: int, word: str) -> str:
    """``1 hub``, ``3 hubs``, ``1,024 sites``.

    >>> plural(1, "hub"), plural(1024, "site")
    ('1 hub', '1,024 sites')
    """
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def short_name(name: str) -> str:
    """A site's name as maps and lists show it: up to the first comma (the address is elsewhere).

    >>> short_name("Leeds Civic Hall, Calverley Street, Leeds")
    'Leeds Civic Hall'
    """
    return name.split(",", 1)[0].strip() or name
