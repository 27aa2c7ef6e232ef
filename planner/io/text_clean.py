"""Text and numbers read from a user's file, checked before they become part of a project.

The checks themselves are pure and live in :mod:`planner.core.text` (the project file
uses them too, and ``core`` does not import ``io``); the importers import them from here.
"""

from __future__ import annotations

from planner.core.text import SHOWN_CHARS, is_plain_number, shown, text_problem

__all__ = ["shown", "text_problem", "is_plain_number", "SHOWN_CHARS"]
