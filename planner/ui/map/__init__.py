"""The map: a QGraphicsScene in Web Mercator metres with the basemap, sites, links and labels.

Import what you need from its modules (``scene``, ``view``, ``items``, ``tools``, …): the
package re-exports nothing, so importing one part never drags in the others.
"""
