"""What the API serves besides tiles, built from frames (no store, no web framework here):
per-municipality figures with units, the municipality GeoPackage, QGIS styles and the fact sheet.
"""
