"""Exclusion engine: dated rule sets of buffered layers -> exact exclusion rasters and polygons.

Shared by every land-based potential (wind, open-field PV). A **rule set** is a dated TOML file
in ``layers/rules/`` (law changes are a new file, not new code). Each **rule** names a layer
(a catalog layer id, or a layer the calling step derives, such as classified residential
buildings), an optional attribute filter (``where``), a buffer in metres, whether it is
``hard`` or ``soft``, whether the user may switch it, whether it excludes or includes land
(PV corridors), and its legal source.

Rules are evaluated on a :class:`Grid` in EPSG:25833 (default 10 m cells). A cell is *hit* by a
rule when the exact Euclidean distance from the cell **centre** to the rule's features is at
most ``buffer_m`` (for a buffer of 0: the centre lies inside a polygon). This is exact, not a
raster approximation: the raster only decides where the exact test is needed.

- Many features (e.g. 80,000 buildings): a Euclidean distance transform
  (:func:`scipy.ndimage.distance_transform_edt` with ``sampling = resolution``) against the
  features rasterised with ``all_touched``. Its error is at most resolution/√2, so every cell
  whose raster distance lies within 0.75 cell of the buffer gets the exact vector distance
  (``STRtree.query_nearest``). The distance raster itself is kept when asked for
  (distance bands, see :func:`area_by_distance`).
- Small features (building footprints): every candidate cell of each feature gets the exact
  test, vectorised (no rasterisation).
- Few large features (roads, lines, protected areas): the shapely buffer is rasterised twice,
  once widened and once narrowed by a tolerance; only the cells between the two get the exact
  test (against the features' segments). With a buffer of 0, GDAL's centre-in-polygon rule.

No diamonds, no squares: a single point with a 1,000 m buffer excludes the cells whose centres
lie within 1,000 m, i.e. a disc of area π·1000² (tests/test_exclusions.py).

Which rules hit a cell is kept as a bitmask raster (one bit per enabled rule, uint8/16/32), from
which the vector layers are polygonised (:func:`polygons`).
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import rasterio.features
import shapely
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from rasterio.transform import Affine
from scipy import ndimage

from potenzial.crs import ANALYSIS_CRS, require_metric
from potenzial.errors import ConfigError, InputDataError

MAX_BUFFER_M = 10_000.0  #: a larger buffer is taken for a unit mistake [m]
MAX_RULES = 32  #: enabled rules per evaluation (bits of the bitmask)
DEFAULT_RESOLUTION_M = 10.0
#: above this many (not small) features a rule is evaluated by distance transform, else by vector buffers
EDT_MIN_FEATURES = 3_000
#: a feature whose candidate box (bounds + buffer) has at most this many cells is tested cell by cell
SMALL_FEATURE_CELLS = 400
QUAD_SEGS = 16  #: segments per quarter circle of the shapely buffers
_EDT_STRIP_CELLS = 16_000_000  #: cells per distance-transform strip (bounds the memory)
_ID = re.compile(r"^[a-z][a-z0-9_]*$")

FilterValue = str | int | float | bool | list[str | int | float | bool] | dict[str, float]


# ================================================================================ rule sets

class Rule(BaseModel):
    """One rule: features of a layer, a buffer around them, and what hitting it means."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    title: str = ""
    layer: str  #: catalog layer id (or a layer derived by the calling step)
    where: dict[str, FilterValue] = Field(default_factory=dict)  #: attribute filter, see select_features
    buffer_m: float = Field(ge=0.0, le=MAX_BUFFER_M)  #: [m] exact Euclidean distance from the features
    kind: Literal["hard", "soft"]
    effect: Literal["exclude", "include"] = "exclude"
    switchable: bool = False  #: may a parameter set switch it on or off?
    enabled: bool = True
    width_column: str | None = None  #: lines are widened to this width [m] before measuring (edge)
    source: str = Field(min_length=3)  #: legal or technical source of the rule and its buffer
    note: str = ""

    @field_validator("id")
    @classmethod
    def _plain_id(cls, value: str) -> str:
        if not _ID.match(value):
            raise ValueError("use lower-case letters, digits and underscores, starting with a letter")
        return value

    @model_validator(mode="after")
    def _hard_rules_stay_on(self) -> Rule:
        if not self.enabled and not self.switchable:
            raise ValueError("a rule that is not switchable must be enabled (set switchable = true "
                             "or enabled = true)")
        return self


class RuleSet(BaseModel):
    """A dated, versioned set of rules (one TOML file in layers/rules/)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    title: str
    valid_from: date  #: the date from which the legal situation of this set applies
    jurisdiction: str = ""
    description: str = ""
    rules: tuple[Rule, ...]

    @model_validator(mode="after")
    def _unique_ids(self) -> RuleSet:
        ids = [r.id for r in self.rules]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise ValueError(f"rule ids {dup} occur more than once; every rule needs its own id")
        if not self.rules:
            raise ValueError("the rule set holds no [[rules]]")
        return self

    def rule(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise ConfigError(f"rule set {self.id!r} has no rule {rule_id!r}; its rules are "
                          f"{', '.join(r.id for r in self.rules)}.")

    @property
    def enabled_rules(self) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.enabled)

    def with_switches(self, switches: Mapping[str, bool]) -> RuleSet:
        """The set with switchable rules turned on/off; unknown or fixed rules are a ConfigError."""
        known = {r.id: r for r in self.rules}
        unknown = sorted(set(switches) - set(known))
        if unknown:
            raise ConfigError(f"switches name unknown rule(s) {', '.join(unknown)} of rule set {self.id!r}; "
                              f"switchable rules are {', '.join(r.id for r in self.rules if r.switchable) or 'none'}.")
        fixed = sorted(k for k, v in switches.items() if not known[k].switchable and bool(v) != known[k].enabled)
        if fixed:
            raise ConfigError(f"rule(s) {', '.join(fixed)} of rule set {self.id!r} are not switchable (a legal "
                              "requirement); remove them from the switches or write a new dated rule set.")
        rules = tuple(r.model_copy(update={"enabled": bool(switches.get(r.id, r.enabled))}) for r in self.rules)
        return self.model_copy(update={"rules": rules})


@dataclass(frozen=True)
class LayerSpec:
    """What the rule loader may know about a layer: its columns and geometry family."""

    columns: tuple[str, ...] = ()
    geometry: str = ""  #: point | line | polygon | "" (unknown)


def load_rule_set(path: Path, layers: Mapping[str, LayerSpec]) -> RuleSet:
    """Read and check a rule-set TOML file against the layers the run has.

    Fails with a ConfigError naming the file, the rule, the value and the fix for: invalid TOML,
    a missing or wrong field, a negative or absurd buffer, a layer that is not in ``layers``,
    a filter or width column the layer does not have, a line or point layer with no buffer
    and no width (which would exclude nothing).
    """
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"rule set {path} does not exist. Name a file in layers/rules/ (e.g. wind_sn_2022).")
    try:
        with path.open("rb") as fh:
            raw = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"rule set {path}: not valid TOML ({exc}). Fix the syntax at that line.") from None
    head = raw.get("rule_set")
    if not isinstance(head, dict):
        raise ConfigError(f"rule set {path}: missing [rule_set] table with id, title and valid_from.")
    doc = {**head, "rules": raw.get("rules", [])}
    try:
        rule_set = RuleSet.model_validate(doc)
    except ValidationError as exc:
        raise ConfigError(f"rule set {path}: {_describe_validation(exc, doc)}") from None
    for rule in rule_set.rules:
        _check_rule_against_layers(rule, layers, path)
    return rule_set


def _describe_validation(exc: ValidationError, doc: dict) -> str:
    first = exc.errors()[0]
    loc = list(first.get("loc", ()))
    where = ""
    if len(loc) >= 2 and loc[0] == "rules" and isinstance(loc[1], int):
        rules = doc.get("rules", [])
        rid = rules[loc[1]].get("id", f"#{loc[1] + 1}") if loc[1] < len(rules) else f"#{loc[1] + 1}"
        field_name = ".".join(str(x) for x in loc[2:])
        where = f"rule {rid!r}" + (f", field {field_name}" if field_name else "")
    else:
        where = f"field {'.'.join(str(x) for x in loc) or '?'}"
    value = first.get("input")
    msg = first.get("msg", "invalid")
    fix = ""
    if loc and loc[-1] == "buffer_m":
        fix = (f" Buffers are metres from the features, 0 to {MAX_BUFFER_M:,.0f} m "
               "(1 km = 1000); fix buffer_m.")
    elif first.get("type") == "missing":
        fix = " Add it."
    elif first.get("type") == "extra_forbidden":
        fix = " Remove it or check the spelling (fields: id, title, layer, where, buffer_m, kind, effect, " \
              "switchable, enabled, width_column, source, note)."
    shown = "" if first.get("type") == "missing" else f" (got {value!r})"
    return f"{where}: {msg}{shown}.{fix}"


def _check_rule_against_layers(rule: Rule, layers: Mapping[str, LayerSpec], path: Path) -> None:
    what = f"rule set {path}: rule {rule.id!r}"
    if rule.layer not in layers:
        raise ConfigError(f"{what} refers to layer {rule.layer!r}, which is not in the catalog. Known layers: "
                          f"{', '.join(sorted(layers))}. Fix `layer` or add the layer to the region catalog.")
    spec = layers[rule.layer]
    columns = set(spec.columns)
    if columns:
        for col in list(rule.where) + ([rule.width_column] if rule.width_column else []):
            if col not in columns:
                raise ConfigError(f"{what} filters on column {col!r}, but layer {rule.layer!r} has the columns "
                                  f"{', '.join(spec.columns)}. Fix `where`/`width_column`.")
    for col, value in rule.where.items():
        if isinstance(value, dict):
            bad = sorted(set(value) - {"min", "max"})
            if bad or not value:
                raise ConfigError(f"{what}: where.{col} = {value!r}; a range is {{ min = …, max = … }}.")
    if spec.geometry in ("line", "point") and rule.buffer_m == 0 and not rule.width_column:
        raise ConfigError(f"{what}: layer {rule.layer!r} has {spec.geometry} geometry, and buffer_m = 0 with no "
                          "width_column excludes nothing. Give it a buffer_m > 0 or width_column = \"width_m\".")


def resolve_rule_set_path(name: str, rules_dir: Path) -> Path:
    """``wind_sn_2022`` -> ``<rules_dir>/wind_sn_2022.toml``; a path to an existing .toml file stays."""
    candidate = Path(name)
    if candidate.suffix == ".toml" and candidate.is_file():
        return candidate
    path = rules_dir / f"{candidate.stem}.toml"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in rules_dir.glob("*.toml"))) or "none"
        raise ConfigError(f"rule set {name!r} not found in {rules_dir}. Known rule sets: {known}; "
                          "or give the path of a .toml file.")
    return path


# ================================================================================ the grid

@dataclass(frozen=True)
class Grid:
    """A north-up raster in EPSG:25833: west edge ``x0``, north edge ``y0``, square cells [m]."""

    x0: float
    y0: float
    res_m: float
    width: int
    height: int

    @classmethod
    def from_bounds(cls, bounds: Sequence[float], res_m: float = DEFAULT_RESOLUTION_M, pad_m: float = 0.0) -> Grid:
        """The smallest grid aligned to multiples of ``res_m`` covering ``bounds`` plus ``pad_m``."""
        if not (res_m > 0 and math.isfinite(res_m)):
            raise ConfigError(f"raster resolution {res_m!r} m: must be a positive number of metres (default 10).")
        xmin, ymin, xmax, ymax = (float(b) for b in bounds)
        x0 = math.floor((xmin - pad_m) / res_m) * res_m
        y1 = math.floor((ymin - pad_m) / res_m) * res_m
        x1 = math.ceil((xmax + pad_m) / res_m) * res_m
        y0 = math.ceil((ymax + pad_m) / res_m) * res_m
        return cls(x0=x0, y0=y0, res_m=float(res_m), width=int(round((x1 - x0) / res_m)),
                   height=int(round((y0 - y1) / res_m)))

    @property
    def shape(self) -> tuple[int, int]:
        return (self.height, self.width)

    @property
    def transform(self) -> Affine:
        return Affine(self.res_m, 0.0, self.x0, 0.0, -self.res_m, self.y0)

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        return (self.x0, self.y0 - self.height * self.res_m, self.x0 + self.width * self.res_m, self.y0)

    @property
    def cell_area_m2(self) -> float:
        return self.res_m * self.res_m

    def centers(self, rows: np.ndarray, cols: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """x, y [m] of the centres of cells (rows, cols)."""
        x = self.x0 + (np.asarray(cols, dtype=np.float64) + 0.5) * self.res_m
        y = self.y0 - (np.asarray(rows, dtype=np.float64) + 0.5) * self.res_m
        return x, y

    def padded(self, cells: int) -> Grid:
        return Grid(self.x0 - cells * self.res_m, self.y0 + cells * self.res_m, self.res_m,
                    self.width + 2 * cells, self.height + 2 * cells)


# ================================================================================ features

def select_features(frame: gpd.GeoDataFrame, rule: Rule) -> np.ndarray:
    """The geometries of ``frame`` that the rule's filter selects, as a shapely array.

    ``where`` entries: a scalar (equality), a list (membership) or ``{ min = …, max = … }``
    (numeric range, inclusive). With ``width_column``, lines become polygons of that width
    (half on each side: the distance is then measured from the edge, e.g. of a carriageway).
    """
    require_metric(frame.crs, f"layer {rule.layer!r} (rule {rule.id!r})")
    keep = np.ones(len(frame), dtype=bool)
    for col, value in rule.where.items():
        if col not in frame.columns:
            raise InputDataError(f"layer {rule.layer!r} has no column {col!r} that rule {rule.id!r} filters on "
                                 f"(it has {', '.join(c for c in frame.columns if c != 'geometry')}). "
                                 "Map it with fields = { … } in the catalog entry.")
        series = frame[col]
        if isinstance(value, dict):
            num = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float)
            ok = ~np.isnan(num)
            if "min" in value:
                ok &= num >= float(value["min"])
            if "max" in value:
                ok &= num <= float(value["max"])
            keep &= ok
        elif isinstance(value, list):
            keep &= _isin(series, value)
        else:
            keep &= _isin(series, [value])
    chosen = frame.loc[keep]
    geoms = np.asarray(chosen.geometry.values, dtype=object)
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    geoms = geoms[present]
    if rule.width_column and len(geoms):
        widths = pd.to_numeric(chosen[rule.width_column], errors="coerce").to_numpy(dtype=float)[present]
        if np.isnan(widths).any() or (widths < 0).any():
            raise InputDataError(f"layer {rule.layer!r}: column {rule.width_column!r} has missing or negative "
                                 f"widths (rule {rule.id!r}). Fill it with the width in metres.")
        geoms = shapely.buffer(geoms, widths / 2.0, quad_segs=QUAD_SEGS, cap_style="flat")
        geoms = geoms[~shapely.is_empty(geoms)]
    return geoms


def _isin(series: pd.Series, values: list) -> np.ndarray:
    """Membership; numeric columns compare numerically (class 1 == 1.0), others as text."""
    if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
        nums = []
        for v in values:
            try:
                nums.append(float(v))
            except (TypeError, ValueError):
                continue
        return np.isin(series.to_numpy(dtype=float), nums)
    return np.isin(series.astype(str).to_numpy(), [str(v) for v in values])


# ================================================================================ exact masks

def within_mask(grid: Grid, geoms: np.ndarray, buffer_m: float, *, method: str = "auto") -> np.ndarray:
    """Cells whose centre is within ``buffer_m`` [m] of any geometry (inside or on it, for polygons).

    Exact at cell centres (for a buffer of 0 and a polygon larger than a few cells, GDAL's
    centre-in-polygon rule decides; a centre exactly on an edge may fall either way). Methods:

    - ``"cells"``: each feature's candidate cells (its bounding box plus the buffer) get the
      exact test; used for small features such as building footprints;
    - ``"vector"``: the shapely buffer is rasterised widened and narrowed by a tolerance, the
      cells between get the exact test against the features' segments;
    - ``"edt"``: distance transform plus the exact test near the buffer (many features);
    - ``"auto"``: ``cells`` for features whose candidate box has at most :data:`SMALL_FEATURE_CELLS`
      cells, the rest by ``edt`` (at least :data:`EDT_MIN_FEATURES` of them) or ``vector``.
    """
    geoms = np.asarray(geoms, dtype=object)
    if len(geoms):
        geoms = geoms[~(shapely.is_missing(geoms) | shapely.is_empty(geoms))]
    if len(geoms) == 0:
        return np.zeros(grid.shape, dtype=bool)
    if method == "edt":
        return distance_raster(grid, geoms, exact_at_m=(buffer_m,), max_m=buffer_m) <= np.float32(buffer_m)
    if method == "vector":
        return _within_vector(grid, geoms, buffer_m)
    if method == "cells":
        return _within_cells(grid, geoms, buffer_m)
    if method != "auto":
        raise ValueError(f"method {method!r}: use auto, cells, vector or edt")
    small = _candidate_cells(grid, geoms, buffer_m)[4] <= SMALL_FEATURE_CELLS
    mask = _within_cells(grid, geoms[small], buffer_m) if small.any() else np.zeros(grid.shape, dtype=bool)
    big = geoms[~small]
    if len(big) >= EDT_MIN_FEATURES and buffer_m > 0:
        mask |= distance_raster(grid, big, exact_at_m=(buffer_m,), max_m=buffer_m) <= np.float32(buffer_m)
    elif len(big):
        mask |= _within_vector(grid, big, buffer_m)
    return mask


def _candidate_cells(grid: Grid, geoms: np.ndarray, buffer_m: float):
    """Per feature: first/last row and column whose centres lie in its bounds grown by the buffer,
    and the number of those cells (0 when off the grid)."""
    b = shapely.bounds(geoms)
    res = grid.res_m
    c0 = np.ceil((b[:, 0] - buffer_m - grid.x0) / res - 0.5).astype(np.int64)
    c1 = np.floor((b[:, 2] + buffer_m - grid.x0) / res - 0.5).astype(np.int64)
    r0 = np.ceil((grid.y0 - b[:, 3] - buffer_m) / res - 0.5).astype(np.int64)
    r1 = np.floor((grid.y0 - b[:, 1] + buffer_m) / res - 0.5).astype(np.int64)
    c0, r0 = np.maximum(c0, 0), np.maximum(r0, 0)
    c1, r1 = np.minimum(c1, grid.width - 1), np.minimum(r1, grid.height - 1)
    n = np.maximum(c1 - c0 + 1, 0) * np.maximum(r1 - r0 + 1, 0)
    return r0, r1, c0, c1, n


def _within_cells(grid: Grid, geoms: np.ndarray, buffer_m: float) -> np.ndarray:
    """Exact test of every candidate cell of every feature (vectorised over the pairs)."""
    mask = np.zeros(grid.shape, dtype=bool)
    if len(geoms) == 0:
        return mask
    r0, r1, c0, c1, n = _candidate_cells(grid, geoms, buffer_m)
    chunk_features = max(1, int(2_000_000 // max(1, n.mean())))
    for s in range(0, len(geoms), chunk_features):
        sl = slice(s, s + chunk_features)
        cnt = n[sl]
        total = int(cnt.sum())
        if total == 0:
            continue
        feat = np.repeat(np.arange(len(cnt)), cnt)
        k = np.arange(total) - np.repeat(np.cumsum(cnt) - cnt, cnt)
        ncols = (c1[sl] - c0[sl] + 1)[feat]
        rows = r0[sl][feat] + k // ncols
        cols = c0[sl][feat] + k % ncols
        x, y = grid.centers(rows, cols)
        g = geoms[sl][feat]
        if buffer_m == 0:
            hit = shapely.intersects_xy(g, x, y)
        else:
            hit = shapely.dwithin(g, shapely.points(x, y), buffer_m)
        mask[rows[hit], cols[hit]] = True
    return mask


def _rasterize(grid: Grid, geoms: Iterable, all_touched: bool = False) -> np.ndarray:
    shapes = [(g, 1) for g in geoms if g is not None and not g.is_empty]
    if not shapes:
        return np.zeros(grid.shape, dtype=bool)
    out = rasterio.features.rasterize(shapes, out_shape=grid.shape, transform=grid.transform, fill=0,
                                      all_touched=all_touched, dtype="uint8")
    return out.view(bool)


def _touched(grid: Grid, geoms: np.ndarray) -> np.ndarray:
    """Cells that a geometry touches (GDAL's all_touched), small features tested cell by cell."""
    b = shapely.bounds(geoms)
    res = grid.res_m
    c0 = np.maximum(np.floor((b[:, 0] - grid.x0) / res), 0).astype(np.int64)
    c1 = np.minimum(np.floor((b[:, 2] - grid.x0) / res), grid.width - 1).astype(np.int64)
    r0 = np.maximum(np.floor((grid.y0 - b[:, 3]) / res), 0).astype(np.int64)
    r1 = np.minimum(np.floor((grid.y0 - b[:, 1]) / res), grid.height - 1).astype(np.int64)
    n = np.maximum(c1 - c0 + 1, 0) * np.maximum(r1 - r0 + 1, 0)
    small = n <= SMALL_FEATURE_CELLS
    out = _rasterize(grid, geoms[~small], all_touched=True) if (~small).any() else np.zeros(grid.shape, bool)
    idx = np.flatnonzero(small & (n > 0))
    for s in range(0, len(idx), 200_000):
        sel = idx[s:s + 200_000]
        cnt = n[sel]
        feat = np.repeat(np.arange(len(sel)), cnt)
        k = np.arange(int(cnt.sum())) - np.repeat(np.cumsum(cnt) - cnt, cnt)
        ncols = (c1[sel] - c0[sel] + 1)[feat]
        rows = r0[sel][feat] + k // ncols
        cols = c0[sel][feat] + k % ncols
        x = grid.x0 + cols * res
        y = grid.y0 - rows * res
        hit = shapely.intersects(geoms[sel][feat], shapely.box(x, y - res, x + res, y))
        out[rows[hit], cols[hit]] = True
    return out


def _segments(geoms: np.ndarray) -> np.ndarray:
    """The features as two-point line segments (polygons by their rings) and points."""
    dims = shapely.get_dimensions(geoms)
    lines = np.concatenate([shapely.boundary(geoms[dims == 2]), geoms[dims == 1]])
    parts = shapely.get_parts(lines) if len(lines) else np.array([], dtype=object)
    out = [shapely.get_parts(geoms[dims == 0])]
    if len(parts):
        parts = shapely.get_parts(parts)  # rings of multi-boundaries
        coords, idx = shapely.get_coordinates(parts, return_index=True)
        same = idx[1:] == idx[:-1]
        a, b = coords[:-1][same], coords[1:][same]
        out.append(shapely.linestrings(np.stack([a, b], axis=1)))
    return np.concatenate(out) if out else np.array([], dtype=object)


def _within_vector(grid: Grid, geoms: np.ndarray, buffer_m: float) -> np.ndarray:
    areal = shapely.get_dimensions(geoms) == 2
    if buffer_m == 0:
        polys = geoms[areal]
        return _rasterize(grid, polys) if len(polys) else np.zeros(grid.shape, dtype=bool)
    # shapely buffers are inscribed polygons and GEOS simplifies the input by up to 1 % of the
    # distance: the exact answer lies between the buffers at (b - tol) and (b + tol)
    tol = max(0.5 * grid.res_m, 0.02 * buffer_m)
    outer = _rasterize(grid, shapely.buffer(geoms, buffer_m + tol, quad_segs=QUAD_SEGS))
    inner_d = buffer_m - tol
    if inner_d > 0:
        inner = _rasterize(grid, shapely.buffer(geoms, inner_d, quad_segs=QUAD_SEGS))
    elif areal.any():
        inner = _rasterize(grid, geoms[areal])
    else:
        inner = np.zeros(grid.shape, dtype=bool)
    unsure = outer & ~inner
    del outer
    rows, cols = np.nonzero(unsure)
    del unsure
    if len(rows):
        # the unsure cells lie outside the features: their distance is the distance to the edges
        x, y = grid.centers(rows, cols)
        tree = shapely.STRtree(_segments(geoms))
        hit_idx, _ = tree.query(shapely.points(x, y), predicate="dwithin", distance=buffer_m)
        inner[rows[hit_idx], cols[hit_idx]] = True
    return inner


def distance_raster(grid: Grid, geoms: np.ndarray, *, exact_at_m: Sequence[float] = (),
                    max_m: float | None = None) -> np.ndarray:
    """Distance [m] from each cell centre to the nearest geometry, float32.

    Euclidean distance transform on the features rasterised with ``all_touched`` (error at most
    resolution/√2), computed in strips so that memory stays bounded; then, for each threshold in
    ``exact_at_m``, the cells within 0.75 cell of it get the exact vector distance, so that
    ``distance <= t`` is exact for those thresholds (also after rounding to float32). Distances
    beyond ``max_m`` (default: the largest threshold) are only guaranteed to be ``> max_m``.
    """
    geoms = np.asarray(geoms, dtype=object)
    thresholds = sorted(float(t) for t in exact_at_m)
    if max_m is None:
        max_m = max(thresholds) if thresholds else float(np.hypot(grid.width, grid.height) * grid.res_m)
    res = grid.res_m
    if len(geoms) == 0:
        return np.full(grid.shape, np.inf, dtype=np.float32)
    halo = int(math.ceil(max_m / res)) + 2
    # features beyond the grid but within max_m still count: pad the feature raster
    gx0, gy0, gx1, gy1 = grid.bounds
    fx0, fy0, fx1, fy1 = shapely.total_bounds(geoms)
    pad = halo if (fx0 < gx0 or fy0 < gy0 or fx1 > gx1 or fy1 > gy1) else 0
    big = grid.padded(pad)
    features = _touched(big, geoms)
    dist = np.empty(grid.shape, dtype=np.float32)
    strip = max(1, _EDT_STRIP_CELLS // max(big.width, 1) - 2 * halo)
    for r0 in range(0, grid.height, strip):
        r1 = min(grid.height, r0 + strip)
        w0, w1 = max(0, r0 + pad - halo), min(big.height, r1 + pad + halo)
        window = features[w0:w1]
        if not window.any():
            dist[r0:r1] = np.inf
            continue
        dist[r0:r1] = _edt_rows(window, r0 + pad - w0, r1 + pad - w0, pad, pad + grid.width, res)
    del features
    if thresholds:
        _exact_near(grid, dist, geoms, thresholds)
    return dist


def _edt_rows(features: np.ndarray, a: int, b: int, c0: int, c1: int, res: float) -> np.ndarray:
    """Euclidean distance [m] (float32) of rows a:b, columns c0:c1 of ``features``' grid to the nearest
    True cell. Uses the feature transform (int32 indices) and float32 arithmetic: about a third of
    the memory of ``distance_transform_edt(..., return_distances=True)``."""
    ft = ndimage.distance_transform_edt(~features, return_distances=False, return_indices=True)
    out = np.empty((b - a, c1 - c0), dtype=np.float32)
    cols = np.arange(c0, c1, dtype=np.int32)
    step = max(1, 2_000_000 // max(1, c1 - c0))
    for s in range(a, b, step):
        e = min(b, s + step)
        dr = (ft[0, s:e, c0:c1] - np.arange(s, e, dtype=np.int32)[:, None]).astype(np.float32)
        dc = (ft[1, s:e, c0:c1] - cols[None, :]).astype(np.float32)
        np.sqrt(dr * dr + dc * dc, out=out[s - a:e - a])
    out *= np.float32(res)
    return out


def _exact_near(grid: Grid, dist: np.ndarray, geoms: np.ndarray, thresholds: list[float]) -> None:
    """Replace raster distances within 0.75 cell of a threshold by exact ones (in place)."""
    band = 0.75 * grid.res_m  # the transform's error is at most res/sqrt(2)
    near = np.zeros(grid.shape, dtype=bool)
    for t in thresholds:
        near |= np.abs(dist - np.float32(t)) <= np.float32(band)
    rows, cols = np.nonzero(near)
    del near
    if len(rows) == 0:
        return
    x, y = grid.centers(rows, cols)
    tree = shapely.STRtree(geoms)
    exact = np.full(len(rows), np.inf)
    chunk = 500_000
    for s in range(0, len(rows), chunk):
        pts = shapely.points(x[s:s + chunk], y[s:s + chunk])
        (idx_in, _), d = tree.query_nearest(pts, max_distance=max(thresholds) + 2 * band, return_distance=True,
                                            all_matches=False)
        exact[s + idx_in] = d
    d32 = exact.astype(np.float32)
    for t in thresholds:  # float32 rounding must not flip a comparison with a threshold
        t32 = np.float32(t)
        d32 = np.where((exact > t) & (d32 <= t32), np.nextafter(t32, np.float32(np.inf)), d32)
        d32 = np.where((exact <= t) & (d32 > t32), t32, d32)
    dist[rows, cols] = d32


# ================================================================================ evaluation

@dataclass
class Exclusions:
    """The outcome of a rule set on a grid: which enabled rules hit which cells.

    ``bitmask`` has bit ``bits[rule_id]`` set where that rule hits; ``distances`` holds the
    distance rasters [m] of the rules asked for (see :func:`evaluate`).
    """

    grid: Grid
    rule_set: RuleSet
    rules: tuple[Rule, ...]  #: the evaluated (enabled) rules, bit i = rules[i]
    bitmask: np.ndarray
    features: dict[str, int]  #: rule id -> number of features it used
    buffers_m: dict[str, float]  #: rule id -> effective buffer [m] (incl. extra_buffer_m)
    distances: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def bits(self) -> dict[str, int]:
        return {r.id: i for i, r in enumerate(self.rules)}

    def bits_of(self, rule_ids: Iterable[str]) -> int:
        bits = self.bits
        value = 0
        for rid in rule_ids:
            if rid not in bits:
                raise ConfigError(f"rule {rid!r} was not evaluated (unknown or switched off); evaluated rules: "
                                  f"{', '.join(bits)}.")
            value |= 1 << bits[rid]
        return value

    def _mask_of(self, rules: Iterable[Rule]) -> int:
        bits = self.bits
        value = 0
        for r in rules:
            value |= 1 << bits[r.id]
        return value

    def hits(self, rule_ids: Iterable[str]) -> np.ndarray:
        """Cells hit by any of the named rules."""
        return (self.bitmask & self.bitmask.dtype.type(self.bits_of(rule_ids))) != 0

    def excluded(self, *, kinds: Sequence[str] = ("hard", "soft"), ignore: Iterable[str] = ()) -> np.ndarray:
        """Cells hit by an exclusion rule of the given kinds (except the rules in ``ignore``)."""
        ignore = set(ignore)
        rules = [r for r in self.rules if r.effect == "exclude" and r.kind in kinds and r.id not in ignore]
        return (self.bitmask & self.bitmask.dtype.type(self._mask_of(rules))) != 0

    def exclusion_bits(self) -> int:
        return self._mask_of(r for r in self.rules if r.effect == "exclude")

    def eligible(self, *, ignore: Iterable[str] = ()) -> np.ndarray:
        """Cells hit by no exclusion rule and, when the set has inclusion rules, by at least one."""
        free = ~self.excluded(ignore=ignore)
        include = [r for r in self.rules if r.effect == "include"]
        if include:
            free &= (self.bitmask & self.bitmask.dtype.type(self._mask_of(include))) != 0
        return free

    def rule_ids_of(self, value: int) -> list[str]:
        return [r.id for i, r in enumerate(self.rules) if value >> i & 1]

    def describe(self) -> pd.DataFrame:
        """One row per rule of the set: bit (-1 when off), layer, filter, buffers, kind, source."""
        bits = self.bits
        rows = []
        for r in self.rule_set.rules:
            rows.append({
                "rule_id": r.id, "bit": bits.get(r.id, -1), "title": r.title, "layer": r.layer,
                "attribute_filter": _filter_text(r.where), "buffer_m": r.buffer_m,
                "effective_buffer_m": self.buffers_m.get(r.id, r.buffer_m), "kind": r.kind, "effect": r.effect,
                "switchable": r.switchable, "enabled": r.enabled, "features": self.features.get(r.id, 0),
                "source": r.source, "rule_set": self.rule_set.id, "valid_from": self.rule_set.valid_from.isoformat(),
            })
        return pd.DataFrame(rows)


def _filter_text(where: Mapping[str, Any]) -> str:
    parts = []
    for col, value in where.items():
        if isinstance(value, dict):
            parts.append(" and ".join(f"{col} {'>=' if k == 'min' else '<='} {v}" for k, v in value.items()))
        elif isinstance(value, list):
            parts.append(f"{col} in ({', '.join(str(v) for v in value)})")
        else:
            parts.append(f"{col} = {value}")
    return "; ".join(parts)


def evaluate(rule_set: RuleSet, layers: Mapping[str, gpd.GeoDataFrame], grid: Grid, *,
             extra_buffer_m: float = 0.0, keep_distance: Iterable[str] = (),
             distance_max_m: float | None = None, progress=None) -> Exclusions:
    """Evaluate every enabled rule of ``rule_set`` on ``grid``.

    ``layers`` maps layer ids to frames in EPSG:25833. ``extra_buffer_m`` is added to every
    exclusion buffer (e.g. the rotor radius for rotor-in areas: eroding the free land by r is
    the same as widening every buffer by r). For the rules in ``keep_distance`` the distance
    raster is computed (up to ``distance_max_m``) and kept in ``Exclusions.distances``.
    """
    if extra_buffer_m < 0:
        raise ConfigError(f"extra buffer {extra_buffer_m} m: must be >= 0.")
    rules = rule_set.enabled_rules
    if len(rules) > MAX_RULES:
        raise ConfigError(f"rule set {rule_set.id!r} enables {len(rules)} rules; at most {MAX_RULES} can be "
                          "evaluated at once. Switch some off or split the set.")
    keep_distance = set(keep_distance)
    unknown = keep_distance - {r.id for r in rules}
    if unknown:
        raise ConfigError(f"distance asked for rule(s) {', '.join(sorted(unknown))}, which rule set "
                          f"{rule_set.id!r} does not enable.")
    dtype = np.uint8 if len(rules) <= 8 else np.uint16 if len(rules) <= 16 else np.uint32
    bitmask = np.zeros(grid.shape, dtype=dtype)
    features: dict[str, int] = {}
    buffers: dict[str, float] = {}
    distances: dict[str, np.ndarray] = {}
    for bit, rule in enumerate(rules):
        if rule.layer not in layers:
            raise ConfigError(f"rule {rule.id!r} needs layer {rule.layer!r}, which was not loaded; "
                              f"loaded: {', '.join(sorted(layers))}.")
        frame = layers[rule.layer]
        if frame.crs is not None and not frame.crs.equals(ANALYSIS_CRS):
            frame = frame.to_crs(ANALYSIS_CRS)
        geoms = select_features(frame, rule)
        buffer_m = rule.buffer_m + (extra_buffer_m if rule.effect == "exclude" else 0.0)
        features[rule.id] = len(geoms)
        buffers[rule.id] = buffer_m
        if progress:
            progress(f"rule {rule.id}: {len(geoms)} features, {buffer_m:g} m")
        if rule.id in keep_distance:
            top = max(buffer_m, distance_max_m or buffer_m)
            dist = distance_raster(grid, geoms, exact_at_m=(buffer_m,), max_m=top)
            distances[rule.id] = dist
            mask = dist <= np.float32(buffer_m)
        else:
            mask = within_mask(grid, geoms, buffer_m)
        bitmask[mask] |= dtype(1 << bit)
        del mask
    return Exclusions(grid=grid, rule_set=rule_set, rules=rules, bitmask=bitmask, features=features,
                      buffers_m=buffers, distances=distances)


# ================================================================================ zones, bands, polygons

def zone_raster(grid: Grid, geoms: Sequence) -> np.ndarray:
    """Index (1-based, 0 = none) of the polygon that holds each cell centre (uint8/uint16)."""
    n = len(geoms)
    dtype = "uint8" if n < 255 else "uint16" if n < 65_535 else "int32"
    shapes = [(g, i + 1) for i, g in enumerate(geoms)]
    return rasterio.features.rasterize(shapes, out_shape=grid.shape, transform=grid.transform, fill=0,
                                       all_touched=False, dtype=dtype)


def area_by_distance(distance: np.ndarray, free: np.ndarray, zones: np.ndarray, n_zones: int,
                     thresholds_m: Sequence[float], cell_area_m2: float) -> np.ndarray:
    """Area [m²] per zone (rows 1..n_zones -> index 0..n-1) of the ``free`` cells whose
    distance is greater than each threshold (columns): the eligible area if the setback were t.

    One pass over the raster: a histogram of distance per zone, accumulated from the top.
    Monotone by construction (a larger setback never gives more area).
    """
    thr = np.asarray(sorted(thresholds_m), dtype=np.float32)
    width = len(thr) + 1
    counts = np.zeros(n_zones * width, dtype=np.int64)
    step = max(1, 4_000_000 // max(1, distance.shape[1]))
    for r in range(0, distance.shape[0], step):  # row blocks bound the memory
        sel = free[r:r + step] & (zones[r:r + step] > 0)
        z = zones[r:r + step][sel].astype(np.int64) - 1
        # number of thresholds strictly below d: the cell counts for all of them
        k = np.searchsorted(thr, distance[r:r + step][sel], side="left")
        counts += np.bincount(z * width + k, minlength=n_zones * width)
    counts = counts.reshape(n_zones, width)
    # cells with k = j count for thresholds 0..j-1 -> area(t_i) = sum_{j > i} counts[:, j]
    above = np.cumsum(counts[:, ::-1], axis=1)[:, ::-1]
    return above[:, 1:].astype(np.float64) * cell_area_m2


def polygons(grid: Grid, values: np.ndarray, mask: np.ndarray | None = None) -> gpd.GeoDataFrame:
    """Polygonise an integer raster (4-connected regions of equal value; cells outside ``mask``
    or with value 0 left out), dissolved to one (multi)polygon per value. Columns ``value``,
    ``geometry`` (EPSG:25833), sorted by value. Areas are exact multiples of the cell area."""
    if values.dtype == np.uint32 or values.dtype == np.int64 or values.dtype == np.uint64:
        if values.size and values.max() > np.iinfo(np.int32).max:
            raise ValueError("values exceed int32; factorize them first")
        values = values.astype(np.int32)
    m = values != 0 if mask is None else (mask & (values != 0))
    if not m.any():
        return gpd.GeoDataFrame({"value": np.array([], dtype=np.int64)}, geometry=[], crs=ANALYSIS_CRS)
    vals, ring_arrays, ring_poly = [], [], []
    for k, (geom, value) in enumerate(rasterio.features.shapes(values, mask=m, connectivity=4,
                                                                transform=grid.transform)):
        vals.append(int(value))
        for ring in geom["coordinates"]:
            ring_arrays.append(np.asarray(ring, dtype=np.float64))
            ring_poly.append(k)
    lengths = np.fromiter((len(r) for r in ring_arrays), dtype=np.int64, count=len(ring_arrays))
    rings = shapely.linearrings(np.concatenate(ring_arrays), indices=np.repeat(np.arange(len(lengths)), lengths))
    del ring_arrays
    # the first ring of each polygon is its shell, the others its holes
    polys = shapely.polygons(rings, indices=np.asarray(ring_poly, dtype=np.int64))
    vals_arr = np.asarray(vals, dtype=np.int64)
    order = np.argsort(vals_arr, kind="stable")
    vals_arr, polys = vals_arr[order], polys[order]
    codes, first = np.unique(vals_arr, return_index=True)
    # 4-connected regions of one value share at most corners: their union is a valid MultiPolygon
    counts = np.diff(np.append(first, len(vals_arr)))
    merged = polys[first].copy()
    multi = counts > 1
    if multi.any():
        owner = np.repeat(np.arange(len(codes)), counts)
        sel = multi[owner]
        dense = np.unique(owner[sel], return_inverse=True)[1]
        merged[np.flatnonzero(multi)] = shapely.multipolygons(polys[sel], indices=dense)
    return gpd.GeoDataFrame({"value": codes.astype(np.int64)}, geometry=merged, crs=ANALYSIS_CRS)
