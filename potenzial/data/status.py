"""`data status`: per catalog layer, what a run would use now (real or synthetic, source, hash)."""

from __future__ import annotations

from potenzial.provenance import sha256_path
from potenzial.region import Region


def layer_status(region: Region) -> list[dict[str, str]]:
    """One row per layer: id, provenance, source file, where it came from, date, licence, sha256.

    The hash is that of the file (or folder) the catalog points at now; a stand-in not generated
    yet has none ("not generated")."""
    rows = []
    for entry in region.layers.values():
        exists = entry.path.exists()
        rows.append({
            "layer": entry.id,
            "provenance": entry.provenance,
            "source": entry.path.name,
            "origin": str(entry.extra.get("fetched_from", "") or ("stand-in: " + entry.generator if entry.generator
                                                                   else "region catalog")),
            "retrieved": entry.retrieved,
            "licence": entry.licence,
            "sha256": sha256_path(entry.path) if exists else ("not generated" if entry.generator else "missing"),
        })
    return rows
