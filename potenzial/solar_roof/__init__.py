"""Solar on roofs: roof planes per building, their capacity, yield and suitability, and the
sums per municipality. Pure calculations (no store, API, CLI); the wiring is
:mod:`potenzial.steps.solar_roof`.

- :mod:`.params`: the validated ``[solar_roof]`` parameters.
- :mod:`.planes`: building clean-up, the footprint heuristic, and the choice LoD2 > DSM > footprint.
- :mod:`.dsm`: planes from a surface model (slope/aspect) and horizon shading.
- :mod:`.potential`: usable area, capacity, yield, classes, municipality sums.
"""

from potenzial.solar_roof.params import SUITABILITY_CLASSES, RoofParams, roof_params
from potenzial.solar_roof.planes import (
    BuildingReport,
    choose_planes,
    clean_buildings,
    footprint_planes,
)
from potenzial.solar_roof.potential import (
    assess_planes,
    assign_municipality,
    municipality_sums,
    suitability_class,
)

__all__ = [
    "SUITABILITY_CLASSES", "BuildingReport", "RoofParams", "assess_planes", "assign_municipality",
    "choose_planes", "clean_buildings", "footprint_planes", "municipality_sums", "roof_params",
    "suitability_class",
]
