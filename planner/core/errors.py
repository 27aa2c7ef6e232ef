"""Errors a user can act on.

Every problem with a user's input is raised as :class:`PlannerError` carrying one
line that names the file, the row or field, and the problem, e.g.
``sites.csv: row 4: lat: '95.1' is out of range -90..90``. The command line prints
that line and exits non-zero; the app shows it in a message box.
"""

__all__ = ["PlannerError", "InputError", "InfeasibleError", "DesignCancelled"]


class PlannerError(ValueError):
    """A problem the user can fix; ``str(err)`` is one clear line."""


class InputError(PlannerError):
    """A file or value the user supplied is malformed or inconsistent."""

    def __init__(self, problems: str | list[str]):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        shown = self.problems[:5]
        more = len(self.problems) - len(shown)
        text = "; ".join(shown) + (f" (and {more} more problems)" if more > 0 else "")
        super().__init__(text)


class InfeasibleError(PlannerError):
    """No design of the requested kind exists with the permitted links."""


class DesignCancelled(Exception):
    """The user cancelled a running design (not an error to report)."""
