"""The optimisation engine: candidate links, heuristics, exact solving, verification. No Qt."""

from planner.design.control import Control
from planner.design.engine import design_project

__all__ = ["Control", "design_project"]
