"""Biomass feedstock potential per municipality, with uncertainty (pure calculations).

Modules, each one concept (the method and every factor's source: docs/METHOD.md, section Biomass):

- :mod:`~potenzial.biomass.feedstocks`: the feedstocks, the input columns and the factors they need;
- :mod:`~potenzial.biomass.params`: the validated ``[biomass]`` parameters and their seeded samples;
- :mod:`~potenzial.biomass.drivers`: areas, population and herds per municipality;
- :mod:`~potenzial.biomass.chains`: drivers × factor samples -> amount, methane, primary energy;
- :mod:`~potenzial.biomass.landcover_map`: land cover per municipality and the map layer over it;
- :mod:`~potenzial.biomass.potential`: the result tables and :func:`biomass_potential`.

No store, API or CLI imports; the pipeline step is potenzial/steps/biomass.py.
"""

from potenzial.biomass.chains import FeedstockSamples, feedstock_samples
from potenzial.biomass.drivers import Drivers, check_municipalities, livestock_heads, municipal_drivers
from potenzial.biomass.feedstocks import (
    COLLECTABLE_SHARE,
    FEEDSTOCK_IDS,
    FEEDSTOCKS,
    LANDCOVER_CLASSES,
    LIVESTOCK_GROUPS,
    REQUIRED_FACTORS,
    STAT_AGRI_HA,
    STAT_FOREST_HA,
    STAT_MASTR_2021_KW,
    STAT_MASTR_2024_KW,
    STAT_POPULATION,
    STAT_REQUIRED,
    STAT_WOODY_HA,
    Feedstock,
)
from potenzial.biomass.landcover_map import landcover_by_municipality, spread_over_landcover
from potenzial.biomass.params import BiomassParams, Factor, LivestockSettings, load_biomass_params, sample_factors
from potenzial.biomass.potential import (
    BIOMASS_COLUMNS,
    PLANT_POWER_COLUMN,
    QUANTILES,
    BiomassResult,
    biomass_potential,
    existing_plants,
    feedstock_table,
    municipality_totals,
    region_totals,
)

__all__ = [
    "BIOMASS_COLUMNS", "COLLECTABLE_SHARE", "FEEDSTOCKS", "FEEDSTOCK_IDS", "LANDCOVER_CLASSES", "LIVESTOCK_GROUPS",
    "PLANT_POWER_COLUMN", "QUANTILES", "REQUIRED_FACTORS", "STAT_AGRI_HA", "STAT_FOREST_HA", "STAT_MASTR_2021_KW",
    "STAT_MASTR_2024_KW", "STAT_POPULATION", "STAT_REQUIRED", "STAT_WOODY_HA", "BiomassParams", "BiomassResult",
    "Drivers", "Factor", "Feedstock", "FeedstockSamples", "LivestockSettings", "biomass_potential",
    "check_municipalities", "existing_plants", "feedstock_samples", "feedstock_table", "landcover_by_municipality",
    "livestock_heads", "load_biomass_params", "municipal_drivers", "municipality_totals", "region_totals",
    "sample_factors", "spread_over_landcover",
]
