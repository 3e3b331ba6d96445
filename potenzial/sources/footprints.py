"""Building footprints from a shapefile or GeoPackage (ALKIS Hausumringe and the like).

ALKIS Hausumringe (GeoSN, dl-de/by-2-0) carry the building function as an ALKIS
``Gebäudefunktion`` code, either bare (``1010``) or with the object type in front
(``31001_1010``, 31001 = AX_Gebaeude). Codes 1000–1299 are dwellings (Wohngebäude, gemischt
genutzt mit Wohnen, land- und forstwirtschaftliche Wohngebäude); every other code is
non-residential (2xxx Wirtschaft/Gewerbe, 3xxx öffentliche Zwecke, 1300–1399 Freizeit such as
garden and weekend houses).

Output columns: ``building_id``, ``use`` (``residential`` | ``non_residential`` | ``unknown``),
``function`` (the code or text as found), geometry in EPSG:25833.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from potenzial.alkis import function_code
from potenzial.crs import ANALYSIS_CRS, parse_crs
from potenzial.errors import CRSError, InputDataError

ID_CANDIDATES = ("building_id", "oid", "OID", "oi", "OI", "gml_id", "uuid", "id", "ID", "fid")
FUNCTION_CANDIDATES = ("function", "gfk", "GFK", "funktion", "FUNKTION", "gebaeudefunktion",
                       "Gebaeudefunktion", "gebaeudefk")
RESIDENTIAL_CODES = (1000, 1299)  #: ALKIS Gebäudefunktion, inclusive range of dwellings


def alkis_use(function) -> str:
    """``residential`` / ``non_residential`` / ``unknown`` from an ALKIS Gebäudefunktion code."""
    code = function_code(function)
    if code is None:
        return "unknown"
    low, high = RESIDENTIAL_CODES
    return "residential" if low <= code <= high else "non_residential"


def read_footprints(path: Path | str, layer: str | None = None, *, id_column: str | None = None,
                    function_column: str | None = None, crs: str | None = None,
                    target_crs=ANALYSIS_CRS) -> gpd.GeoDataFrame:
    """Read a footprint file, find (or take) its id and function columns, map the use, reproject.

    ``crs`` is used only when the file has none; a file without CRS and no ``crs`` fails with the fix.
    """
    path = Path(path)
    what = f"building file {path}"
    if not path.exists():
        raise InputDataError(f"{what}: not found. Check the path.")
    try:
        frame = pyogrio.read_dataframe(path, layer=layer)
    except Exception as exc:  # GDAL raises a variety of DataSourceError / DataLayerError
        raise InputDataError(f"{what}: cannot be read as a shapefile/GeoPackage "
                             f"({str(exc).splitlines()[0][:160]}). Check the file is complete.") from None
    if not isinstance(frame, gpd.GeoDataFrame) or len(frame) == 0:
        raise InputDataError(f"{what}: holds no features with geometry. Point at a footprint layer.")
    if frame.crs is None:
        if not crs:
            raise CRSError(f"{what}: the file has no CRS (a shapefile without .prj?). Add the .prj or give "
                           "the CRS, e.g. crs = \"EPSG:25833\" for Saxony's ALKIS data.")
        frame = frame.set_crs(parse_crs(crs, what))
    id_col = id_column or _first(frame, ID_CANDIDATES)
    if id_col is None or id_col not in frame.columns:
        raise InputDataError(f"{what}: no building id column (looked for {', '.join(ID_CANDIDATES)}; "
                             f"the file has {', '.join(c for c in frame.columns if c != 'geometry')}). "
                             "Name it with id_column / fields = { building_id = \"…\" }.")
    fn_col = function_column or _first(frame, FUNCTION_CANDIDATES)
    function = frame[fn_col] if fn_col else pd.Series([None] * len(frame), index=frame.index, dtype=object)
    out = gpd.GeoDataFrame({
        "building_id": frame[id_col].astype(str).to_numpy(),
        "use": [alkis_use(v) for v in function],
        "function": function.astype(object).to_numpy(),
    }, geometry=frame.geometry.to_numpy(), crs=frame.crs)
    return out.to_crs(target_crs) if out.crs != target_crs else out


def _first(frame: pd.DataFrame, names: tuple[str, ...]) -> str | None:
    for name in names:
        if name in frame.columns:
            return name
    return None
