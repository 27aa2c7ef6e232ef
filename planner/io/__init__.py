"""Importers and exporters of sites, quotes, schedules, reports and GIS layers."""
