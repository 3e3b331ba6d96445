"""`potenzial monitoring status` as text: the snapshots and the county's installed capacity in each, with
technology titles from the result schema."""

from __future__ import annotations

from potenzial.region import Region
from potenzial.results.monitoring import TECHNOLOGY_CLASSES
from potenzial.store.base import Store
from potenzial.units import KW_PER_MW

_TITLES = {c.code: c.title_de for c in TECHNOLOGY_CLASSES}


def status_lines(store: Store, region: Region) -> list[str]:
    snapshots = store.snapshots()
    records = snapshots.records(region.id)
    if not records:
        return [f"no monitoring snapshot of region {region.id} yet: `potenzial monitoring import` imports the "
                "catalog's MaStR sums and 2015 plants, `potenzial monitoring import FILE.zip` a MaStR export."]
    lines = [f"{len(records)} snapshots of region {region.id}:"]
    for rec in records:
        sums = snapshots.read(rec.snapshot_id).sums
        per_tech = sums.groupby("technology")["capacity_kw"].sum()
        figures = ", ".join(f"{_TITLES.get(t, t)} {v / KW_PER_MW:,.1f} MW" for t, v in per_tech.items())
        units = f", {rec.units_count} units, {rec.report_count} report entries" if rec.kind == "units" else ""
        lines.append(f"  {rec.as_of}  {rec.title} ({rec.source}{units}): {figures}  [{rec.snapshot_id}]")
    return lines
