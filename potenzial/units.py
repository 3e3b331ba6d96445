"""Named unit factors. Multiply a value in the left unit by the factor to get the right unit."""

M2_PER_HA = 10_000.0
M2_PER_KM2 = 1_000_000.0
HA_PER_KM2 = 100.0
KW_PER_MW = 1_000.0
KWH_PER_MWH = 1_000.0
MWH_PER_GWH = 1_000.0
KWH_PER_GWH = 1_000_000.0
KG_PER_T = 1_000.0
HOURS_PER_YEAR = 8_760.0
PCT_PER_SHARE = 100.0  #: a share [-] × this = a percentage [%]
KM_PER_100_KM = 100.0  #: a consumption per 100 km / this = per km
PER_THOUSAND = 1_000.0  #: a rate per 1,000 (e.g. cars per 1,000 inhabitants) / this = per one


def m2_to_ha(area_m2: float) -> float:
    """[m²] -> [ha]."""
    return area_m2 / M2_PER_HA


def m2_to_km2(area_m2: float) -> float:
    """[m²] -> [km²]."""
    return area_m2 / M2_PER_KM2


def kw_to_mw(power_kw: float) -> float:
    """[kW] -> [MW]."""
    return power_kw / KW_PER_MW
