"""A region: its municipalities and a catalog of layers, read from a TOML file.

The catalog says, for every layer, where the file is, its CRS, units, licence and attribution,
and whether it is real or a synthetic stand-in. A ``region.local.toml`` beside the region file
overrides entries layer by layer, so a real file replaces a stand-in with no code change.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from potenzial.errors import ConfigError, UnknownLayerError

LayerKind = Literal["raster", "vector", "table"]
Provenance = Literal["real", "synthetic"]

_KINDS = ("raster", "vector", "table")
_PROVENANCES = ("real", "synthetic")
_GEOMETRIES = ("point", "line", "polygon", "")
_REQUIRED = ("title", "kind", "licence", "attribution", "provenance")


@dataclass(frozen=True)
class LayerEntry:
    """One catalog entry. ``path`` is resolved; for a stand-in it is where the generator writes."""

    id: str
    title: str
    kind: LayerKind
    provenance: Provenance
    licence: str
    attribution: str
    path: Path
    layer: str | None = None
    crs: str | None = None
    units: str = ""
    geometry: str = ""
    columns: tuple[str, ...] = ()
    optional_columns: tuple[str, ...] = ()
    fields: dict[str, str] = field(default_factory=dict)
    generator: str = ""
    attribution_url: str = ""
    retrieved: str = ""
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def synthetic(self) -> bool:
        return self.provenance == "synthetic"

    def describe(self) -> dict[str, object]:
        """A JSON-friendly summary (catalog listing, API, downloads)."""
        return {
            "id": self.id,
            "title": self.title,
            "kind": self.kind,
            "provenance": self.provenance,
            "synthetic": self.synthetic,
            "units": self.units,
            "crs": self.crs or "",
            "licence": self.licence,
            "attribution": self.attribution,
            "attribution_url": self.attribution_url,
            "retrieved": self.retrieved,
            "source": self.path.name,
            "generator": self.generator,
        }


@dataclass(frozen=True)
class Region:
    """A region definition: identity, analysis CRS, and the layer catalog."""

    id: str
    name: str
    crs: str
    ags_prefix: str
    municipalities_layer: str
    statistics_layer: str
    seed: int
    root: Path
    synthetic_dir: Path
    layers: dict[str, LayerEntry]

    def layer(self, layer_id: str) -> LayerEntry:
        try:
            return self.layers[layer_id]
        except KeyError:
            known = ", ".join(sorted(self.layers))
            raise UnknownLayerError(
                f"layer {layer_id!r} is not in the catalog of region {self.id!r}. Known layers: {known}."
            ) from None

    @property
    def synthetic_layers(self) -> list[LayerEntry]:
        return [e for e in self.layers.values() if e.generator and e.synthetic]


def resolve_region_file(region: str | Path, regions_dir: Path) -> Path:
    """Turn a region id (``lk-leipzig``) or a path into the region TOML path."""
    candidate = Path(region)
    if candidate.suffix == ".toml":
        if not candidate.is_file():
            raise ConfigError(f"region file {candidate} does not exist. Give a region id "
                              f"({', '.join(_known_regions(regions_dir))}) or an existing .toml path.")
        return candidate
    path = regions_dir / str(region) / "region.toml"
    if not path.is_file():
        known = ", ".join(_known_regions(regions_dir)) or "none"
        raise ConfigError(f"unknown region {str(region)!r}: no {path}. Known regions: {known}.")
    return path


def _known_regions(regions_dir: Path) -> list[str]:
    if not regions_dir.is_dir():
        return []
    return sorted(p.parent.name for p in regions_dir.glob("*/region.toml"))


def _read_toml(path: Path) -> dict:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc}). Fix the syntax at that line.") from None


def load_region(region: str | Path, regions_dir: Path, data_dir: Path) -> Region:
    """Load and validate a region file plus its optional ``region.local.toml`` overrides."""
    path = resolve_region_file(region, regions_dir)
    doc = _read_toml(path)
    local = path.with_name("region.local.toml")
    overrides = _read_toml(local).get("layers", {}) if local.is_file() else {}

    head = doc.get("region")
    if not isinstance(head, dict):
        raise ConfigError(f"{path}: missing [region] table with id, name, crs, municipalities.")
    for key in ("id", "name", "crs", "municipalities"):
        if key not in head:
            raise ConfigError(f"{path}: [region] lacks {key!r}. Add it (see layers/regions/lk-leipzig/region.toml).")
    region_id = str(head["id"])
    synthetic_dir = data_dir / "regions" / region_id / "synthetic"

    raw_layers = dict(doc.get("layers", {}))
    for layer_id, patch in overrides.items():
        raw_layers[layer_id] = merge_override(raw_layers.get(layer_id, {}), patch)
    layers = {lid: _entry(lid, raw, path, synthetic_dir) for lid, raw in raw_layers.items()}

    region_obj = Region(
        id=region_id,
        name=str(head["name"]),
        crs=str(head["crs"]),
        ags_prefix=str(head.get("ags_prefix", "")),
        municipalities_layer=str(head["municipalities"]),
        statistics_layer=str(head.get("statistics", "")),
        seed=int(head.get("seed", 0)),
        root=path.parent,
        synthetic_dir=synthetic_dir,
        layers=layers,
    )
    region_obj.layer(region_obj.municipalities_layer)  # must exist
    if region_obj.statistics_layer:
        region_obj.layer(region_obj.statistics_layer)
    return region_obj


#: keys that describe a file, not a layer: a local entry that points at another file does not
#: inherit them from the entry it overrides (the stand-in's CRS is not the new file's CRS)
FILE_KEYS = ("crs", "layer", "lod2_crs")


def merge_override(base: dict, patch: dict) -> dict:
    """``base`` with the keys of a ``region.local.toml`` entry ``patch`` put over it.

    A patch that sets ``source`` brings a new file: its CRS (and GeoPackage layer name) come
    from the patch or from the file itself, never from the entry it replaces. So a shapefile
    without ``.prj`` or a GeoTIFF without CRS is refused when read, instead of being taken for
    the stand-in's EPSG:25833."""
    merged = dict(base)
    if "source" in patch:
        for key in FILE_KEYS:
            merged.pop(key, None)
    merged.update(patch)
    return merged


def layer_entry_with_override(region_file: Path, layer_id: str, patch: dict, synthetic_dir: Path) -> LayerEntry:
    """The entry ``layer_id`` of ``region_file`` would have with ``patch`` as its ``region.local.toml``
    entry (validated as a loaded region's are; nothing is written)."""
    base = dict(_read_toml(region_file).get("layers", {}).get(layer_id, {}))
    return _entry(layer_id, merge_override(base, patch), region_file, synthetic_dir)


def _entry(layer_id: str, raw: dict, region_file: Path, synthetic_dir: Path) -> LayerEntry:
    where = f"{region_file}: [layers.{layer_id}]"
    missing = [k for k in _REQUIRED if not raw.get(k)]
    if missing:
        raise ConfigError(f"{where} lacks {', '.join(missing)}. Every layer needs title, kind, "
                          "licence, attribution and provenance.")
    kind = raw["kind"]
    if kind not in _KINDS:
        raise ConfigError(f"{where}: kind = {kind!r}; use one of {', '.join(_KINDS)}.")
    provenance = raw["provenance"]
    if provenance not in _PROVENANCES:
        raise ConfigError(f"{where}: provenance = {provenance!r}; use \"real\" or \"synthetic\".")
    geometry = raw.get("geometry", "")
    if geometry not in _GEOMETRIES:
        raise ConfigError(f"{where}: geometry = {geometry!r}; use point, line or polygon.")
    generator = str(raw.get("generator", "") or "")
    source = raw.get("source")
    if source:
        path = Path(source)
        if not path.is_absolute():
            path = region_file.parent / path
    elif generator:
        suffix = ".tif" if kind == "raster" else ".gpkg"
        path = synthetic_dir / f"{generator}{suffix}"
    else:
        raise ConfigError(f"{where}: neither source nor generator is set. Point source at a file.")
    if provenance == "real" and generator and not source:
        raise ConfigError(f"{where}: provenance is real but there is no source file. Set source.")
    known = {"title", "kind", "provenance", "licence", "attribution", "source", "layer", "crs", "units",
             "geometry", "columns", "optional_columns", "fields", "generator", "attribution_url", "retrieved"}
    return LayerEntry(
        id=layer_id,
        title=str(raw["title"]),
        kind=kind,
        provenance=provenance,
        licence=str(raw["licence"]),
        attribution=str(raw["attribution"]),
        path=path,
        layer=raw.get("layer"),
        crs=raw.get("crs"),
        units=str(raw.get("units", "")),
        geometry=geometry,
        columns=tuple(raw.get("columns", ())),
        optional_columns=tuple(raw.get("optional_columns", ())),
        fields=dict(raw.get("fields", {})),
        generator=generator if (generator and not source) else "",
        attribution_url=str(raw.get("attribution_url", "")),
        retrieved=str(raw.get("retrieved", "")),
        extra={k: v for k, v in raw.items() if k not in known},
    )
