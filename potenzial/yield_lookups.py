"""Yield lookups kept by the hash of their inputs: a run with the same irradiation cells and parameters
reads the lookup back instead of computing it again (the roof lookup of the default region: 6 s)."""

from __future__ import annotations

import hashlib
import os
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pvlib

from potenzial.irradiation import GHI_COLUMNS, IrradiationParams, YieldLookup, build_lookup

#: the folder beside the runs' raster folders where yield lookups are kept (by the hash of their inputs)
LOOKUP_FOLDER = "_yield_lookups"
_LOOKUP_FIELDS = ("cell_x_m", "cell_y_m", "cell_ghi_kwh_per_m2", "tilts_deg", "azimuths_deg",
                  "specific_yield_kwh_per_kwp", "poa_kwh_per_m2")


def lookup_key(cells: pd.DataFrame, params: IrradiationParams) -> str:
    """sha256 of what a lookup depends on: the cells' positions and monthly GHI, every parameter, the
    pvlib version (its models compute the yields)."""
    digest = hashlib.sha256()
    columns = ["lat", "lon", "x", "y", *GHI_COLUMNS]
    digest.update(np.ascontiguousarray(cells[columns].to_numpy(dtype=np.float64)).tobytes())
    digest.update(params.model_dump_json().encode("utf-8"))
    digest.update(str(pvlib.__version__).encode("utf-8"))
    return digest.hexdigest()


def cached_lookup(cells: pd.DataFrame, params: IrradiationParams, folder: Path) -> YieldLookup:
    """:func:`build_lookup`, kept in ``folder`` under the hash of its inputs (:func:`lookup_key`): a run
    with the same cells and parameters reads it back instead of computing it again. An unreadable file is
    computed again and replaced; the file is written atomically."""
    path = folder / f"{lookup_key(cells, params)}.npz"
    if path.is_file():
        try:
            with np.load(path) as saved:
                return YieldLookup(**{f: saved[f] for f in _LOOKUP_FIELDS})
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
            path.unlink(missing_ok=True)
    lookup = build_lookup(cells, params)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.stem}.{os.getpid()}.npz")
        np.savez(tmp, **{f: getattr(lookup, f) for f in _LOOKUP_FIELDS})
        os.replace(tmp, path)
    except OSError:
        pass  # a cache that cannot be written only costs the next run the computation
    return lookup
