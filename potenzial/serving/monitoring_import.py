"""Importing monitoring snapshots into a store: MaStR exports, and the region catalog's statistics
(MaStR sums per municipality 2021 and 2024) and 2015 plant list.

Every file is read and checked before anything is written, so one bad file leaves the store unchanged;
each snapshot is then written whole (:mod:`potenzial.store.snapshots`); a snapshot already in the store
is left as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from potenzial.errors import InputDataError
from potenzial.monitoring.mastr import RegionFilter, file_sha256, read_export
from potenzial.monitoring.params import load_monitoring_params
from potenzial.monitoring.snapshot import UFZ_LAYERS, Snapshot, from_export, from_plant_list, from_statistics
from potenzial.region import Region
from potenzial.sources.table import read_table
from potenzial.sources.vector import read_vector
from potenzial.store.base import Store

#: statistics years imported as sum-level snapshots
STATISTICS_YEARS = (2021, 2024)


@dataclass(frozen=True)
class Imported:
    snapshot_id: str
    title: str
    as_of: str
    source: str
    new: bool  #: False: the same snapshot was in the store already
    units: int
    rejected: int
    repaired: int
    flagged: int
    outside: int


def region_filter(region: Region) -> RegionFilter:
    """The region's municipalities and postcode lookup for the reader. The lookup holds the postcode of
    each municipality's administration (``plz_verwaltung`` of the statistics file, Gemeindeverzeichnis of
    the Landesdirektion Sachsen) where it names one municipality: a full postcode → AGS table is missing."""
    municipalities = read_vector(region.layer(region.municipalities_layer))[["ags", "geometry"]]
    postcodes: dict[str, str] = {}
    if region.statistics_layer:
        stats = read_table(region.layer(region.statistics_layer))
        if "plz_verwaltung" in stats.columns:
            number = pd.to_numeric(stats["plz_verwaltung"], errors="coerce")  # read as a number: 04651 -> 4651
            pairs = pd.DataFrame({"ags": stats["ags"].astype(str), "plz": number})
            pairs = pairs.dropna().assign(plz=lambda f: f["plz"].astype(int).astype(str).str.zfill(5))
            counts = pairs.groupby("plz")["ags"].nunique()
            postcodes = {p: a for p, a in zip(pairs["plz"], pairs["ags"], strict=True)
                         if counts[p] == 1 and a in set(municipalities["ags"])}
    return RegionFilter(municipalities, region.ags_prefix, postcodes)


def _summary(snapshot: Snapshot, new: bool) -> Imported:
    actions = snapshot.report["action"].value_counts() if len(snapshot.report) else pd.Series(dtype=int)
    return Imported(snapshot.snapshot_id, snapshot.title, snapshot.as_of, snapshot.source, new, len(snapshot.units),
                    int(actions.get("rejected", 0)), int(actions.get("repaired", 0)), int(actions.get("flagged", 0)),
                    snapshot.outside_count)


def write_snapshots(store: Store, region: Region, snapshots: list[Snapshot]) -> list[Imported]:
    target = store.snapshots()
    return [_summary(s, target.put(s, region.id)) for s in snapshots]


def import_exports(store: Store, region: Region, params_dir: Path, files: list[Path], as_of: str | None = None
                   ) -> list[Imported]:
    """Read every MaStR export in ``files`` (all before writing any), then write one snapshot each."""
    params = load_monitoring_params(params_dir)
    where = region_filter(region)
    snapshots = [from_export(read_export(Path(f), where, params, as_of), region.id) for f in files]
    return write_snapshots(store, region, snapshots)


def catalog_snapshots(region: Region) -> list[Snapshot]:
    """The sum-level snapshots of the region's catalog: the statistics file's MaStR sums (2021, 2024) and the
    UFZ plant list of 2015, each where the catalog has the layer."""
    municipalities = read_vector(region.layer(region.municipalities_layer))
    ags = set(municipalities["ags"].astype(str))
    out = []
    if region.statistics_layer:
        entry = region.layer(region.statistics_layer)
        table = read_table(entry)
        table["ags"] = table["ags"].astype(str)
        sha = file_sha256(entry.path)
        out += [from_statistics(table, year, entry.path, sha, ags) for year in STATISTICS_YEARS
                if f"mastr{year}_kw_pv" in table.columns]
    if all(layer_id in region.layers for layer_id in UFZ_LAYERS):
        entries = {layer_id: region.layer(layer_id) for layer_id in UFZ_LAYERS}
        paths = {e.path for e in entries.values()}
        if len(paths) != 1:
            raise InputDataError("the 2015 plant layers must come from one file (the UFZ GeoPackage).")
        layers = {lid: read_vector(e) for lid, e in entries.items()}
        path = paths.pop()
        out.append(from_plant_list(layers, path, file_sha256(path), ags))
    return out


def import_catalog(store: Store, region: Region) -> list[Imported]:
    """Import the catalog's sum-level snapshots (statistics 2021/2024, plants 2015)."""
    return write_snapshots(store, region, catalog_snapshots(region))
