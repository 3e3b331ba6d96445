"""What a step sees: the region, parameters, cached inputs, earlier results and progress."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from potenzial.errors import NotFoundError
from potenzial.params import ParameterSet
from potenzial.region import LayerEntry, Region
from potenzial.sources.raster import RasterInfo, inspect_raster
from potenzial.sources.table import read_table
from potenzial.sources.vector import read_vector


@dataclass
class StepContext:
    """Inputs are read once per run and cached; results of earlier steps (or of the previous run
    when a step was not re-run with ``--only``) are available through :meth:`result`."""

    region: Region
    params: ParameterSet
    run_id: str
    raster_dir: Path  #: where steps write rasters of this run (raster_cache/<run_id>/)
    progress: Callable[[str], None] = lambda message: None
    previous: Callable[[str], pd.DataFrame] | None = None  #: reads a result of the previous run
    results: dict[str, pd.DataFrame] = field(default_factory=dict)
    _vectors: dict[str, gpd.GeoDataFrame] = field(default_factory=dict)
    _tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    _rasters: dict[str, RasterInfo] = field(default_factory=dict)

    def vector(self, layer_id: str) -> gpd.GeoDataFrame:
        """A vector layer of the catalog in EPSG:25833 (read and checked once per run)."""
        if layer_id not in self._vectors:
            self._vectors[layer_id] = read_vector(self.region.layer(layer_id))
        return self._vectors[layer_id]

    def table(self, layer_id: str) -> pd.DataFrame:
        if layer_id not in self._tables:
            self._tables[layer_id] = read_table(self.region.layer(layer_id))
        return self._tables[layer_id]

    def raster(self, layer_id: str) -> tuple[LayerEntry, RasterInfo]:
        """A raster layer's entry (with its path) and a checked description of the file."""
        entry = self.region.layer(layer_id)
        if layer_id not in self._rasters:
            self._rasters[layer_id] = inspect_raster(entry)
        return entry, self._rasters[layer_id]

    @property
    def municipalities(self) -> gpd.GeoDataFrame:
        return self.vector(self.region.municipalities_layer)

    @property
    def statistics(self) -> pd.DataFrame:
        return self.table(self.region.statistics_layer)

    def section(self, name: str):
        return self.params.section(name)

    def result(self, name: str) -> pd.DataFrame:
        """A result produced earlier in this run, else the previous run's."""
        if name in self.results:
            return self.results[name]
        if self.previous is not None:
            return self.previous(name)
        raise NotFoundError(f"result {name!r} is needed but neither this run nor a previous one has it. "
                            "Run the full pipeline (without --only) once.")
