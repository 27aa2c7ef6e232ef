"""The map's colours in one Qt-free place: the app's map (``planner/ui/style.py``) and the printed
map (``planner/io/map_painter.py``) both read them, so the screen and the board pack agree.

Hex strings, so that modules without Qt can use them too.
"""

from __future__ import annotations

__all__ = ["SEA", "LAND", "COAST", "COUNTY_EDGE", "ROLE_COLOURS", "NO_GO"]

SEA = "#D6E4EE"
LAND = "#F7F5F0"
COAST = "#A9BCCB"
COUNTY_EDGE = "#D3CCBF"
#: No-go areas and forbidden links.
NO_GO = "#C0392B"

#: Circuit colours by role. Roles differ by dash pattern as well (each renderer sets its own), so a
#: greyscale print still tells them apart.
ROLE_COLOURS: dict[str, str] = {
    "backbone": "#2F3E4E",
    "protection": "#2F3E4E",
    "access": "#5F6F7F",
    "existing": "#7A8793",
}
