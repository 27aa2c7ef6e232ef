"""Data files shipped with the planner (basemap layers, icons), read through ``importlib.resources``."""
