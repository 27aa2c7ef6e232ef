"""Presenter mode: the partnership's story, full screen, on the app's own map."""

from planner.ui.presenter.mode import Presenter

__all__ = ["Presenter"]
