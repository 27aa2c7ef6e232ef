"""Everything Qt: the main window, the map, the panels, undo commands and the design worker."""
