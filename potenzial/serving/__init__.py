"""The application services of the map server, in the library (the API only translates HTTP):

- :mod:`~potenzial.serving.services`: :class:`RunServices`, everything below per run and cached;
- :mod:`~potenzial.serving.registry`: the served layers of a run (vector results, run and catalog
  rasters) with style, provenance (:mod:`~potenzial.serving.sources`) and tiles;
- :mod:`~potenzial.serving.summaries`: merged per-municipality figures (:mod:`~potenzial.serving.figures`)
  as CSV and XLSX;
- :mod:`~potenzial.serving.municipality`: one municipality's detail and fact-sheet inputs;
- :mod:`~potenzial.serving.downloads`: the municipality GeoPackage (:mod:`~potenzial.serving.geopackage`,
  QGIS styles from :mod:`~potenzial.serving.styles`);
- :mod:`~potenzial.serving.point`: raster values, features and exclusion reasons at a point;
- :mod:`~potenzial.serving.factsheet`: the printable fact sheet.

They read the store through its interface (:class:`potenzial.store.base.Store`), never a backend,
and raise :class:`~potenzial.errors.PotenzialError` subclasses that ``api/errors.py`` maps to HTTP.
"""
