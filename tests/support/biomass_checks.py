"""Checks shared by the biomass tests on the tiny region and on the default region."""

from __future__ import annotations

from typing import Protocol

import numpy as np
import pandas as pd
import pytest


class BiomassFrames(Protocol):
    """The four biomass result frames (a BiomassResult, or the step's frames wrapped)."""

    biomass: pd.DataFrame
    totals: pd.DataFrame
    region: pd.DataFrame
    map: pd.DataFrame


def check_quantiles_and_sums(res: BiomassFrames) -> None:
    """P10 <= P50 <= P90 >= 0 everywhere; per feedstock the region quantiles equal the sums of the
    municipality quantiles (the factors are shared, so the municipality values of a feedstock are one
    random variable scaled by fixed drivers); over all feedstocks only the mean adds up."""
    p10, p50, p90 = (f"primary_energy_mwh_per_a_p{q}" for q in (10, 50, 90))
    for frame, prefix in ((res.biomass, ""), (res.region, ""), (res.map, ""), (res.totals, "biomass_")):
        assert (frame[prefix + p10] <= frame[prefix + p50]).all()
        assert (frame[prefix + p50] <= frame[prefix + p90]).all()
        assert (frame[prefix + p10] >= 0).all()
    region = res.region.set_index("feedstock")
    summed = res.biomass.groupby("feedstock")[[p10, p50, p90, "primary_energy_mwh_per_a_mean", "amount_t_per_a",
                                              "amount_m3_per_a", "methane_m3_per_a_p50"]].sum(min_count=1)
    for col in summed.columns:
        assert np.allclose(region.loc[summed.index, col], summed[col], rtol=1e-9, atol=1e-9, equal_nan=True), col
    # over all feedstocks the mean adds up exactly (quantiles of a sum of independent feedstocks do not)
    assert region.loc["total", "primary_energy_mwh_per_a_mean"] == pytest.approx(
        res.totals["biomass_primary_energy_mwh_per_a_mean"].sum(), rel=1e-12)
    assert region.loc["total", "primary_energy_mwh_per_a_mean"] == pytest.approx(
        res.biomass["primary_energy_mwh_per_a_mean"].sum(), rel=1e-12)
