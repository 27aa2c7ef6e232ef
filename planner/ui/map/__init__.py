"""The map: a QGraphicsScene in Web Mercator metres with the basemap, sites, links and labels."""

from planner.ui.map.scene import MapScene
from planner.ui.map.view import MapView

__all__ = ["MapScene", "MapView"]
