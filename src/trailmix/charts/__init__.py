"""Elevation-profile charts: in the terminal (rich) and as PNG or SVG files (matplotlib)."""
