"""Make sure the synthetic stand-in layers of a region exist and match seed and generator.

Generated into a fresh folder and swapped in whole, so an interrupted generation never leaves
a mix of old and new files. A ``MANIFEST.json`` records seed, generator version and hashes.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

from potenzial.errors import InputDataError
from potenzial.provenance import sha256_file
from potenzial.region import Region
from potenzial.sources.table import read_table
from potenzial.sources.vector import read_vector

MANIFEST = "MANIFEST.json"


def stand_ins_needed(region: Region) -> list[str]:
    """Ids of the catalog layers that are synthetic stand-ins (to be generated)."""
    return [e.id for e in region.synthetic_layers]


def ensure_stand_ins(region: Region, progress: Callable[[str], None] | None = None) -> bool:
    """Generate the stand-ins when missing or stale. Returns True when it generated them."""
    entries = region.synthetic_layers
    if not entries:
        return False
    from potenzial import synth

    unknown = sorted({e.generator for e in entries} - set(synth.GENERATORS))
    if unknown:
        raise InputDataError(f"region {region.id}: unknown generator(s) {', '.join(unknown)}; "
                             f"known: {', '.join(synth.GENERATORS)}.")
    muni_entry = region.layer(region.municipalities_layer)
    stats_entry = region.layer(region.statistics_layer)
    wanted = {
        "seed": region.seed,
        "generator_version": synth.GENERATOR_VERSION,
        "municipalities_sha256": sha256_file(muni_entry.path),
        "statistics_sha256": sha256_file(stats_entry.path),
    }
    target = region.synthetic_dir
    if _is_current(target, wanted):
        return False

    municipalities = read_vector(muni_entry)[["ags", "name", "geometry"]]
    statistics = read_table(stats_entry, required=("ags",))
    fresh = target.with_name(target.name + ".partial")
    shutil.rmtree(fresh, ignore_errors=True)
    fresh.mkdir(parents=True)
    paths = synth.generate_all(municipalities, statistics, fresh, seed=region.seed, progress=progress)
    files = {gen: sha256_file(Path(p)) for gen, p in sorted(paths.items())}
    (fresh / MANIFEST).write_text(json.dumps({**wanted, "files": files}, indent=2, sort_keys=True),
                                  encoding="utf-8")
    old = target.with_name(target.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    fresh.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    return True


def _is_current(folder: Path, wanted: dict) -> bool:
    manifest = folder / MANIFEST
    if not manifest.is_file():
        return False
    try:
        have = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return False
    if any(have.get(k) != v for k, v in wanted.items()):
        return False
    files = have.get("files", {})
    return all((folder / name).is_file() for name in _file_names(folder, files))


def _file_names(folder: Path, files: dict) -> list[str]:
    names = []
    for gen in files:
        matches = list(folder.glob(f"{gen}.*"))
        names.append(matches[0].name if matches else f"{gen}.missing")
    return names
