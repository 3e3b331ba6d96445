"""Seeded, deterministic synthetic stand-ins for the layers a real user would bring.

Only for the demo region (Landkreis Leipzig): the geography (towns, rivers, corridors,
mining lakes) is anchored on real places, the amounts on the real statistics, the rest is
seeded noise. Every output is marked synthetic in the region catalog. The same seed and
inputs give byte-identical files; a municipality gets the same features whatever other
municipalities are generated with it (except where a layer is built county-wide: lines,
protected areas and rasters are clipped to the region generated).

Public API: :data:`GENERATORS`, :data:`RASTER_GENERATORS`, :data:`GENERATOR_VERSION`,
:func:`generate_all`. All outputs are in EPSG:25833.
"""

from __future__ import annotations

from potenzial.synth.generate import generate_all

GENERATOR_VERSION: str = "6"   #: bump whenever the output of any generator changes
GENERATORS: tuple[str, ...] = ("terrain", "buildings", "landcover", "builtup_areas", "development_plans",
                               "roads", "railways", "power_lines", "protected_areas", "less_favoured_areas",
                               "post_mining", "wind_speed_150m",
                               # the planning criteria (potenzial/synth/criteria.py)
                               "aviation_areas", "navigation_aids", "water_protection_zones", "flood_areas",
                               "heritage_sites", "bird_breeding_sites", "protected_biotopes", "soil_quality",
                               "regional_plan_areas", "wind_energy_areas", "residential_plots",
                               # roofs (potenzial/synth/monuments.py)
                               "listed_buildings")
RASTER_GENERATORS = {"terrain", "wind_speed_150m"}

__all__ = ["GENERATORS", "GENERATOR_VERSION", "RASTER_GENERATORS", "generate_all"]
