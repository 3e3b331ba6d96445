"""Irradiation and specific yield of tilted PV planes, shared by roof and open-field PV.

From long-term monthly mean global horizontal irradiance (GHI) per irradiation cell to the
specific AC yield [kWh/kWp·a] of a module plane of any tilt and azimuth:

1. **Typical days.** Each month is represented by its recommended average day (Klein 1977;
   Duffie & Beckman, *Solar Engineering of Thermal Processes*, Table 1.6.1) in steps of
   ``step_minutes``, the sun's position from ``pvlib.solarposition`` (NREL SPA).
2. **Decomposition** of the monthly mean GHI into diffuse and beam with the Erbs, Klein & Duffie
   (1982) correlation for *monthly means* (the hourly Erbs model, ``pvlib.irradiance.erbs``, would
   see one uniform clearness index all month and overstate the diffuse share: tried here, it gave
   a south 35° plane only 5 % more irradiation than the horizontal, the monthly correlation 18 %);
   both spread over the day with Collares-Pereira & Rabl (total) and Liu & Jordan (diffuse).
3. **Transposition** to the plane with Hay–Davies (``pvlib.irradiance.haydavies``) plus
   isotropic ground reflection (``pvlib.irradiance.get_ground_diffuse``).
4. **PVWatts-style DC/AC**: incidence-angle losses (``pvlib.iam.physical`` for the beam,
   ``pvlib.iam.marion_diffuse`` for sky and ground diffuse), cell temperature
   (``pvlib.temperature.faiman``, monthly mean air temperature), ``pvlib.pvsystem.pvwatts_dc``,
   PVWatts system losses (about 14 %), ``pvlib.inverter.pvwatts``.

The result is a :class:`YieldLookup`: per cell a table over tilt × azimuth of the specific yield
and of the plane-of-array irradiation. pvlib is called once per cell on the whole tilt × azimuth
grid (numpy broadcasting), never per building; planes are then interpolated
(:meth:`YieldLookup.interpolate`): bilinearly in tilt and azimuth, and between cells with
barycentric weights of the Delaunay triangle of cell centres that contains the plane.

Azimuths are in degrees clockwise from north (0 = north, 90 = east, 180 = south), tilts in
degrees from horizontal. Pure calculation: no file, store or web access.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
import pvlib
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from scipy.spatial import Delaunay, QhullError, cKDTree

from potenzial.errors import ConfigError, InputDataError

MONTHS = 12
GHI_COLUMNS = tuple(f"ghi_wm2_{m:02d}" for m in range(1, MONTHS + 1))
#: recommended average day of each month (Klein 1977; Duffie & Beckman Table 1.6.1)
AVERAGE_DAY_OF_MONTH = (17, 16, 16, 15, 15, 11, 17, 16, 15, 15, 14, 10)
#: days per month in an average year (February 28.25, as in the CM SAF/IWU annual sums)
DAYS_IN_MONTH = np.array([31, 28.25, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
HOURS_PER_DAY = 24.0
W_PER_KW = 1000.0
STC_IRRADIANCE_WM2 = 1000.0


class IrradiationParams(BaseModel):
    """Parameters of the irradiation and yield chain (section ``[irradiation]``)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    step_minutes: int = Field(15, ge=1, le=60)
    albedo: float = Field(0.2, ge=0.0, le=1.0)
    air_temperature_c_by_month: tuple[float, ...] = (
        1.2, 2.0, 5.3, 9.8, 14.2, 17.5, 19.6, 19.2, 14.8, 9.9, 5.2, 2.1)
    wind_speed_m_per_s: float = Field(1.0, ge=0.0, le=20.0)
    temperature_coefficient_per_k: float = Field(-0.0037, ge=-0.01, le=0.0)
    module_refractive_index: float = Field(1.526, ge=1.0, le=2.0)
    system_losses_share: float = Field(0.14, ge=0.0, le=0.5)
    inverter_efficiency_nominal: float = Field(0.96, gt=0.5, le=1.0)
    dc_ac_ratio: float = Field(1.1, gt=0.5, le=2.0)
    tilt_step_deg: float = Field(5.0, gt=0.0, le=30.0)
    azimuth_step_deg: float = Field(10.0, gt=0.0, le=90.0)

    @field_validator("step_minutes")
    @classmethod
    def _divides_the_day(cls, value: int) -> int:
        if (24 * 60) % value:
            raise ValueError(f"must divide the day (1440 min) evenly, e.g. 10, 15, 20, 30 or 60; got {value}")
        return value

    @field_validator("air_temperature_c_by_month")
    @classmethod
    def _twelve(cls, value: tuple[float, ...]) -> tuple[float, ...]:
        if len(value) != MONTHS:
            raise ValueError(f"needs 12 monthly values (January to December), got {len(value)}")
        return value


def irradiation_params(section) -> IrradiationParams:
    """Validate the ``[irradiation]`` parameter section; a bad value is a ConfigError with the fix."""
    try:
        return IrradiationParams(**dict(section))
    except ValidationError as exc:
        raise ConfigError(f"parameter section [irradiation]: {_first_error(exc)}. "
                          "Fix the value in layers/params/default/solar_roof.toml.") from None


def _first_error(exc: ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first.get("loc", ())) or "section"
    return f"{where} = {first.get('input')!r}: {first.get('msg')}"


@dataclass(frozen=True)
class YieldLookup:
    """Specific yield and plane-of-array irradiation per cell over a tilt × azimuth grid.

    ``specific_yield_kwh_per_kwp[c, i, j]`` is the AC yield [kWh/kWp·a] of cell ``c`` at
    ``tilts_deg[i]`` and ``azimuths_deg[j]``; ``poa_kwh_per_m2[c, i, j]`` the irradiation on the
    plane [kWh/m²·a] (before incidence-angle losses). The azimuth grid runs from 0 to 360 inclusive
    so interpolation wraps around north.
    """

    cell_x_m: np.ndarray  #: cell centres, EPSG:25833 [m]
    cell_y_m: np.ndarray
    cell_ghi_kwh_per_m2: np.ndarray  #: annual GHI per cell [kWh/m²·a]
    tilts_deg: np.ndarray
    azimuths_deg: np.ndarray
    specific_yield_kwh_per_kwp: np.ndarray
    poa_kwh_per_m2: np.ndarray

    @property
    def best_poa_kwh_per_m2(self) -> np.ndarray:
        """Per cell: the irradiation of the best orientation [kWh/m²·a]."""
        return self.poa_kwh_per_m2.reshape(len(self.cell_x_m), -1).max(axis=1)

    @property
    def best_specific_yield_kwh_per_kwp(self) -> np.ndarray:
        return self.specific_yield_kwh_per_kwp.reshape(len(self.cell_x_m), -1).max(axis=1)

    def interpolate(self, x_m, y_m, tilt_deg, azimuth_deg) -> pd.DataFrame:
        """Per plane (arrays of equal length, EPSG:25833 metres, degrees): ``specific_yield_kwh_per_kwp``,
        ``poa_kwh_per_m2``, ``best_poa_kwh_per_m2`` (of the best orientation at that place) and
        ``relative_irradiation`` (poa / best poa)."""
        x = np.asarray(x_m, dtype=float)
        y = np.asarray(y_m, dtype=float)
        tilt = np.clip(np.asarray(tilt_deg, dtype=float), self.tilts_deg[0], self.tilts_deg[-1])
        azimuth = np.mod(np.asarray(azimuth_deg, dtype=float), 360.0)
        cells, weights = self._cell_weights(x, y)  # (n, 3) each
        ti, tf = _bracket(self.tilts_deg, tilt)
        ai, af = _bracket(self.azimuths_deg, azimuth)
        out = {}
        for name, table in (("specific_yield_kwh_per_kwp", self.specific_yield_kwh_per_kwp),
                            ("poa_kwh_per_m2", self.poa_kwh_per_m2)):
            value = np.zeros(len(x))
            for k in range(cells.shape[1]):
                c = cells[:, k]
                v = ((1 - tf) * (1 - af) * table[c, ti, ai] + tf * (1 - af) * table[c, ti + 1, ai]
                     + (1 - tf) * af * table[c, ti, ai + 1] + tf * af * table[c, ti + 1, ai + 1])
                value += weights[:, k] * v
            out[name] = value
        best = (weights * self.best_poa_kwh_per_m2[cells]).sum(axis=1)
        out["best_poa_kwh_per_m2"] = best
        out["relative_irradiation"] = out["poa_kwh_per_m2"] / best
        return pd.DataFrame(out)

    def _cell_weights(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        points = np.column_stack([self.cell_x_m, self.cell_y_m])
        query = np.column_stack([x, y])
        nearest = cKDTree(points).query(query)[1] if len(query) else np.zeros(0, dtype=int)
        cells = np.repeat(nearest[:, None], 3, axis=1)
        weights = np.zeros((len(x), 3))
        weights[:, 0] = 1.0
        if len(points) < 3 or len(query) == 0:
            return cells, weights
        try:
            tri = Delaunay(points)
        except QhullError:  # all cells on a line: nearest cell only
            return cells, weights
        simplex = tri.find_simplex(query)
        inside = simplex >= 0
        if inside.any():
            s = simplex[inside]
            transform = tri.transform[s]  # (m, 3, 2)
            delta = query[inside] - transform[:, 2]
            bary = np.einsum("mij,mj->mi", transform[:, :2], delta)
            weights[inside] = np.column_stack([bary, 1 - bary.sum(axis=1)])
            cells[inside] = tri.simplices[s]
        return cells, weights


def _bracket(grid: np.ndarray, value: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Index of the grid node at or below ``value`` and the fraction towards the next node."""
    i = np.clip(np.searchsorted(grid, value, side="right") - 1, 0, len(grid) - 2)
    frac = (value - grid[i]) / (grid[i + 1] - grid[i])
    return i, np.clip(frac, 0.0, 1.0)


def orientation_grid(params: IrradiationParams) -> tuple[np.ndarray, np.ndarray]:
    """Tilts 0–90° and azimuths 0–360° (inclusive) at the parameter steps [deg]."""
    tilts = np.unique(np.append(np.arange(0.0, 90.0, params.tilt_step_deg), 90.0))
    azimuths = np.unique(np.append(np.arange(0.0, 360.0, params.azimuth_step_deg), 360.0))
    return tilts, azimuths


def erbs_monthly_diffuse_fraction(clearness_index, sunset_hour_angle_deg):
    """Monthly-average daily diffuse fraction H_d/H from the monthly-average clearness index
    K_T = H/H_0 (Erbs, Klein & Duffie 1982, Solar Energy 28(4):293, the correlation for monthly
    means; Duffie & Beckman eq. 2.12.2)."""
    k = np.clip(np.asarray(clearness_index, dtype=float), 0.3, 0.8)
    short = 1.391 - 3.560 * k + 4.189 * k**2 - 2.137 * k**3
    long = 1.311 - 3.022 * k + 3.427 * k**2 - 1.821 * k**3
    return np.where(np.asarray(sunset_hour_angle_deg) <= 81.4, short, long)


def typical_days(latitude_deg: float, longitude_deg: float, ghi_monthly_wm2, params: IrradiationParams
                 ) -> pd.DataFrame:
    """Irradiance on the horizontal for the 12 average days of one cell, one row per time step.

    The monthly mean GHI [W/m², 24-hour mean] gives the daily total H; the Erbs monthly
    correlation splits it into diffuse and beam; Collares-Pereira & Rabl (total) and Liu & Jordan
    (diffuse) spread both over the day (Duffie & Beckman eqs. 2.13.1–2.13.2), normalised so that
    the steps add up to the daily totals exactly.

    Columns: ``month``, ``weight_h`` (hours of the year the step stands for), ``ghi``, ``dni``,
    ``dhi``, ``dni_extra`` [W/m²], ``zenith_deg``, ``azimuth_deg`` (of the sun), ``temp_air_c``.
    Only steps with the sun above the horizon are returned.
    """
    ghi_monthly = np.asarray(ghi_monthly_wm2, dtype=float)
    if ghi_monthly.shape != (MONTHS,) or not np.isfinite(ghi_monthly).all() or (ghi_monthly < 0).any():
        raise InputDataError(f"monthly GHI at ({latitude_deg:.3f}, {longitude_deg:.3f}) must be 12 "
                             f"non-negative numbers [W/m²], got {ghi_monthly.tolist()}. Check the "
                             "ghi_wm2_01 … ghi_wm2_12 columns of the irradiation layer.")
    step_h = params.step_minutes / 60.0
    steps_per_day = round(HOURS_PER_DAY / step_h)
    lat = np.radians(latitude_deg)
    offsets = pd.to_timedelta((np.arange(steps_per_day) + 0.5) * params.step_minutes, unit="min")
    all_times = pd.DatetimeIndex(np.concatenate([
        (pd.Timestamp(year=2021, month=m, day=AVERAGE_DAY_OF_MONTH[m - 1]) + offsets).to_numpy()
        for m in range(1, MONTHS + 1)])).tz_localize("UTC")
    all_sun = pvlib.solarposition.get_solarposition(all_times, latitude_deg, longitude_deg, method="nrel_numpy")
    all_doy = all_times.day_of_year.to_numpy()
    all_omega = np.radians(pvlib.solarposition.hour_angle(
        all_times, longitude_deg, pvlib.solarposition.equation_of_time_spencer71(all_doy)))
    frames = []
    for month in range(1, MONTHS + 1):
        part = slice((month - 1) * steps_per_day, month * steps_per_day)
        doy = all_doy[part]
        sun = all_sun.iloc[part]
        zenith = sun["zenith"].to_numpy()
        dni_extra = np.asarray(pvlib.irradiance.get_extra_radiation(doy), dtype=float)
        declination = pvlib.solarposition.declination_spencer71(doy[0])
        omega = all_omega[part]
        omega_s = np.arccos(np.clip(-np.tan(lat) * np.tan(declination), -1.0, 1.0))
        # daily extraterrestrial irradiation on the horizontal [Wh/m²] (Duffie & Beckman eq. 1.10.3)
        h0_wh = (HOURS_PER_DAY / np.pi) * dni_extra[0] * (
            np.cos(lat) * np.cos(declination) * np.sin(omega_s)
            + omega_s * np.sin(lat) * np.sin(declination))
        h_wh = ghi_monthly[month - 1] * HOURS_PER_DAY
        k_t = h_wh / h0_wh if h0_wh > 0 else 0.0
        hd_wh = h_wh * erbs_monthly_diffuse_fraction(k_t, np.degrees(omega_s))
        up = (np.cos(omega) > np.cos(omega_s)) & (zenith < 90.0)
        shape_d = np.where(up, np.cos(omega) - np.cos(omega_s), 0.0)
        a = 0.409 + 0.5016 * np.sin(omega_s - np.pi / 3)
        b = 0.6609 - 0.4767 * np.sin(omega_s - np.pi / 3)
        shape_t = (a + b * np.cos(omega)) * shape_d
        ghi = h_wh * shape_t / (shape_t.sum() * step_h) if shape_t.sum() > 0 else np.zeros_like(shape_t)
        dhi = hd_wh * shape_d / (shape_d.sum() * step_h) if shape_d.sum() > 0 else np.zeros_like(shape_d)
        dhi = np.minimum(dhi, ghi)
        cos_z = np.cos(np.radians(zenith))
        dni = np.where(up, (ghi - dhi) / np.maximum(cos_z, 0.065), 0.0)
        dni = np.minimum(dni, dni_extra)
        frame = pd.DataFrame({
            "month": month,
            "weight_h": DAYS_IN_MONTH[month - 1] * step_h,
            "ghi": ghi,
            "dni": dni,
            "dhi": dhi,
            "dni_extra": dni_extra,
            "zenith_deg": zenith,
            "azimuth_deg": sun["azimuth"].to_numpy(),
            "temp_air_c": params.air_temperature_c_by_month[month - 1],
        })
        frames.append(frame[up])
    return pd.concat(frames, ignore_index=True)


def poa_components(days: pd.DataFrame, tilt_deg, azimuth_deg, albedo: float
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Beam, sky-diffuse (Hay–Davies) and ground-reflected irradiance on planes [W/m²] and the angle
    of incidence [deg], shape ``tilt.shape + (steps,)`` for the time steps of ``days``."""
    tilt = np.asarray(tilt_deg, dtype=float)[..., None]
    azimuth = np.asarray(azimuth_deg, dtype=float)[..., None]
    zenith = days["zenith_deg"].to_numpy()
    sun_azimuth = days["azimuth_deg"].to_numpy()
    dni, dhi, ghi = days["dni"].to_numpy(), days["dhi"].to_numpy(), days["ghi"].to_numpy()
    aoi = pvlib.irradiance.aoi(tilt, azimuth, zenith, sun_azimuth)
    beam = np.where(aoi < 90.0, np.maximum(dni * np.cos(np.radians(aoi)), 0.0), 0.0)
    sky = pvlib.irradiance.haydavies(tilt, azimuth, dhi, dni, days["dni_extra"].to_numpy(), zenith, sun_azimuth)
    sky = np.nan_to_num(np.asarray(sky, dtype=float), nan=0.0)
    ground = np.broadcast_to(pvlib.irradiance.get_ground_diffuse(tilt, ghi, albedo=albedo), beam.shape)
    return beam, sky, ground, aoi


def plane_yield(days: pd.DataFrame, tilt_deg, azimuth_deg, params: IrradiationParams
                ) -> tuple[np.ndarray, np.ndarray]:
    """Annual specific AC yield [kWh/kWp·a] and plane-of-array irradiation [kWh/m²·a] for planes
    of ``tilt_deg`` × ``azimuth_deg`` (broadcastable arrays) under the typical days ``days``."""
    beam, sky, ground, aoi = poa_components(days, tilt_deg, azimuth_deg, params.albedo)
    poa = beam + sky + ground
    weight_h = days["weight_h"].to_numpy()

    # incidence-angle losses: beam by its angle, sky and ground diffuse by Marion's (2017) integrals
    tilt = np.asarray(tilt_deg, dtype=float)
    iam_sky, iam_ground = _diffuse_iam(np.broadcast_to(tilt, beam.shape[:-1]), params.module_refractive_index)
    effective = (beam * pvlib.iam.physical(np.where(aoi < 90.0, aoi, 90.0), n=params.module_refractive_index)
                 + sky * iam_sky[..., None] + ground * iam_ground[..., None])
    temp_cell = pvlib.temperature.faiman(poa, days["temp_air_c"].to_numpy(), params.wind_speed_m_per_s)
    pdc_kw_per_kwp = pvlib.pvsystem.pvwatts_dc(effective, temp_cell, pdc0=1.0,
                                               gamma_pdc=params.temperature_coefficient_per_k)
    pdc_kw_per_kwp = np.asarray(pdc_kw_per_kwp) * (1.0 - params.system_losses_share)
    pac0 = 1.0 / params.dc_ac_ratio
    pac = pvlib.inverter.pvwatts(pdc_kw_per_kwp, pac0 / params.inverter_efficiency_nominal,
                                 eta_inv_nom=params.inverter_efficiency_nominal)
    pac = np.maximum(np.asarray(pac, dtype=float), 0.0)
    yield_kwh_per_kwp = (pac * weight_h).sum(axis=-1)
    poa_kwh_per_m2 = (poa * weight_h).sum(axis=-1) / W_PER_KW
    return yield_kwh_per_kwp, poa_kwh_per_m2


def _diffuse_iam(tilt_deg: np.ndarray, refractive_index: float) -> tuple[np.ndarray, np.ndarray]:
    """Marion's diffuse incidence-angle modifiers (sky, ground) for each tilt [deg]."""
    unique, inverse = np.unique(np.clip(tilt_deg, 0.0, 90.0), return_inverse=True)
    sky, ground = _marion_table(tuple(float(t) for t in unique), float(refractive_index))
    shape = np.shape(tilt_deg)
    return sky[inverse].reshape(shape), ground[inverse].reshape(shape)


@lru_cache(maxsize=64)
def _marion_table(tilts_deg: tuple[float, ...], refractive_index: float) -> tuple[np.ndarray, np.ndarray]:
    """Marion's integrals depend only on tilt and glass: computed once per tilt grid (they are slow)."""
    iam = pvlib.iam.marion_diffuse("physical", np.array(tilts_deg), n=refractive_index)
    return (np.asarray(iam["sky"], dtype=float), np.nan_to_num(np.asarray(iam["ground"], dtype=float)))


def build_lookup(cells: pd.DataFrame, params: IrradiationParams) -> YieldLookup:
    """The yield lookup for the irradiation cells ``cells``.

    ``cells`` needs ``lat``, ``lon`` [deg, WGS84], ``x``, ``y`` [m, EPSG:25833] and the monthly
    mean GHI columns ``ghi_wm2_01`` … ``ghi_wm2_12`` [W/m²].
    """
    missing = [c for c in ("lat", "lon", "x", "y", *GHI_COLUMNS) if c not in cells.columns]
    if missing:
        raise InputDataError(f"irradiation cells lack column(s) {', '.join(missing)}. The GHI layer needs "
                             "lat, lon and the monthly means ghi_wm2_01 … ghi_wm2_12 [W/m²]; map them "
                             "with `fields` in the catalog entry.")
    if len(cells) == 0:
        raise InputDataError("the irradiation layer has no cell. Point the `ghi` catalog entry at a file with data.")
    tilts, azimuths = orientation_grid(params)
    tilt_grid, azimuth_grid = np.meshgrid(tilts, azimuths, indexing="ij")
    n = len(cells)
    yields = np.empty((n, len(tilts), len(azimuths)))
    poas = np.empty_like(yields)
    ghi_year = np.empty(n)
    for k, row in enumerate(cells.itertuples(index=False)):
        monthly = [getattr(row, c) for c in GHI_COLUMNS]
        days = typical_days(row.lat, row.lon, monthly, params)
        yields[k], poas[k] = plane_yield(days, tilt_grid, azimuth_grid, params)
        ghi_year[k] = (days["ghi"] * days["weight_h"]).sum() / W_PER_KW
    return YieldLookup(
        cell_x_m=cells["x"].to_numpy(dtype=float),
        cell_y_m=cells["y"].to_numpy(dtype=float),
        cell_ghi_kwh_per_m2=ghi_year,
        tilts_deg=tilts,
        azimuths_deg=azimuths,
        specific_yield_kwh_per_kwp=yields,
        poa_kwh_per_m2=poas,
    )


def cells_from_points(points) -> pd.DataFrame:
    """Irradiation cells from a point GeoDataFrame in EPSG:25833 (e.g. the ``ghi`` layer):
    adds ``x``/``y`` from the geometry and ``lat``/``lon`` (WGS84) when the layer lacks them."""
    frame = pd.DataFrame(points.drop(columns=points.geometry.name))
    frame["x"] = points.geometry.x.to_numpy()
    frame["y"] = points.geometry.y.to_numpy()
    if "lat" not in frame.columns or "lon" not in frame.columns:
        wgs = points.geometry.to_crs(4326)
        frame["lat"] = wgs.y.to_numpy()
        frame["lon"] = wgs.x.to_numpy()
    return frame
