"""What a step sees: the region, parameters, rules folder, cached inputs, earlier results and progress."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import geopandas as gpd
import numpy as np
import pandas as pd
import rasterio
from pyproj import CRS
from rasterio.transform import Affine

from potenzial.crs import parse_crs
from potenzial.errors import ConfigError, InputDataError, NotFoundError
from potenzial.exclusions import resolve_rule_set_path
from potenzial.params import ParameterSet
from potenzial.region import LayerEntry, Region
from potenzial.sources.raster import RasterInfo, inspect_raster
from potenzial.sources.table import read_table
from potenzial.sources.vector import read_vector


@dataclass(frozen=True)
class RasterBand:
    """Band 1 of a raster layer as read from its file, with the georeferencing it came with."""

    values: np.ndarray
    transform: Affine
    crs: CRS
    nodata: float | None


@dataclass
class StepContext:
    """Inputs are read once per run and cached; results of earlier steps (or of the previous run
    when a step was not re-run with ``--only``) are available through :meth:`result`.

    ``raster_reads`` counts, per layer id, how often the pixels of a raster file were read into
    memory for a step (:meth:`raster_band`): once per run, however many steps use it.
    """

    region: Region
    params: ParameterSet
    run_id: str
    raster_dir: Path  #: where steps write rasters of this run (raster_cache/<run_id>/)
    rules_dir: Path | None = None  #: dated rule sets (settings.rules_dir), for the steps that name one
    progress: Callable[[str], None] = lambda message: None
    previous: Callable[[str], pd.DataFrame] | None = None  #: reads a result of the previous run
    results: dict[str, pd.DataFrame] = field(default_factory=dict)
    raster_reads: Counter[str] = field(default_factory=Counter)
    _vectors: dict[str, gpd.GeoDataFrame] = field(default_factory=dict)
    _tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    _rasters: dict[str, RasterInfo] = field(default_factory=dict)
    _bands: dict[str, RasterBand] = field(default_factory=dict)

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

    def raster_band(self, layer_id: str) -> RasterBand:
        """Band 1 of a raster layer (checked first, see :meth:`raster`), read once per run.

        The CRS is the file's, else the catalog entry's; it is not changed here: a step checks
        it against the CRS it computes in."""
        entry, info = self.raster(layer_id)
        if layer_id not in self._bands:
            try:
                with rasterio.open(entry.path) as src:
                    values = src.read(1)
                    transform, nodata = src.transform, src.nodata
                    crs = CRS.from_user_input(src.crs) if src.crs else parse_crs(info.crs, f"layer {layer_id!r}")
            except rasterio.errors.RasterioIOError as exc:
                raise InputDataError(f"layer {layer_id!r} ({entry.path}): not readable any more "
                                     f"({str(exc).splitlines()[0][:160]}). Was the file replaced during the run?"
                                     ) from None
            self.raster_reads[layer_id] += 1
            self._bands[layer_id] = RasterBand(values=values, transform=transform, crs=crs, nodata=nodata)
        return self._bands[layer_id]

    def rule_set_path(self, name: str) -> Path:
        """``wind_sn_2022`` -> the file in the rules folder; a path to an existing .toml file stays."""
        if self.rules_dir is None:
            raise ConfigError(f"rule set {name!r}: the step context has no rules folder. Build the context with "
                              "rules_dir (settings.rules_dir, POTENZIAL_RULES_DIR, default layers/rules).")
        return resolve_rule_set_path(name, self.rules_dir)

    @property
    def municipalities(self) -> gpd.GeoDataFrame:
        return self.vector(self.region.municipalities_layer)

    @property
    def statistics(self) -> pd.DataFrame:
        return self.table(self.region.statistics_layer)

    def section(self, name: str) -> MappingProxyType:
        return self.params.section(name)

    def result(self, name: str) -> pd.DataFrame:
        """A result produced earlier in this run, else the previous run's."""
        if name in self.results:
            return self.results[name]
        if self.previous is not None:
            return self.previous(name)
        raise NotFoundError(f"result {name!r} is needed but neither this run nor a previous one has it. "
                            "Run the full pipeline (without --only) once.")
