"""Regional Network Planner: one shared, resilient backbone for a partnership of public bodies."""

__version__ = "0.1.0"
