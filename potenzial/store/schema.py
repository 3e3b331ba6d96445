"""The result layers and tables every store holds, with their column types.

Both stores write exactly these columns, in this order, so that the same run reads back
identically from either. Geometry is always in EPSG:25833. Later potentials add entries here
and a matching Alembic migration for PostGIS.
"""

from __future__ import annotations

from dataclasses import dataclass

#: column type names used below -> pandas dtype used when reading back
PANDAS_DTYPES = {"text": "object", "int": "int64", "float": "float64", "bool": "bool"}


@dataclass(frozen=True)
class ResultSchema:
    """A result layer (with geometry) or table (without)."""

    name: str
    columns: tuple[tuple[str, str], ...]  #: (name, type) with type in PANDAS_DTYPES
    geometry_type: str | None = None  #: e.g. "MULTIPOLYGON"; None for a plain table
    key: tuple[str, ...] = ()  #: columns that identify a row (sort order when reading back)
    description: str = ""

    @property
    def column_names(self) -> list[str]:
        return [c for c, _ in self.columns]


MUNICIPALITIES = ResultSchema(
    name="municipalities",
    geometry_type="MULTIPOLYGON",
    key=("ags",),
    description="One row per municipality: identity, area, population, buildings, land cover, installed capacity.",
    columns=(
        ("ags", "text"),
        ("name", "text"),
        ("area_km2", "float"),
        ("population", "int"),
        ("buildings", "int"),
        ("residential_buildings", "int"),
        ("arable_ha", "float"),
        ("grassland_ha", "float"),
        ("forest_ha", "float"),
        ("water_ha", "float"),
        ("settlement_ha", "float"),
        ("traffic_ha", "float"),
        ("pv_installed_mw", "float"),
        ("wind_installed_mw", "float"),
        ("biomass_installed_mw", "float"),
        ("hydro_installed_mw", "float"),
    ),
)

RUN_INPUTS = ResultSchema(
    name="run_inputs",
    key=("layer_id",),
    description="Every input layer a run read: file hash, provenance, licence, attribution.",
    columns=(
        ("layer_id", "text"),
        ("title", "text"),
        ("kind", "text"),
        ("provenance", "text"),
        ("source", "text"),
        ("sha256", "text"),
        ("licence", "text"),
        ("attribution", "text"),
    ),
)

RESULTS: dict[str, ResultSchema] = {s.name: s for s in (MUNICIPALITIES, RUN_INPUTS)}


def schema(name: str) -> ResultSchema:
    from potenzial.errors import UnknownLayerError

    try:
        return RESULTS[name]
    except KeyError:
        raise UnknownLayerError(f"result {name!r} is not a known result layer or table "
                                f"({', '.join(sorted(RESULTS))}).") from None
