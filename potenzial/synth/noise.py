"""Seeded, smooth value noise on a global lattice (coordinates in metres, EPSG:25833).

The value at a lattice node depends only on the key and the node's integer coordinates
(a splitmix64 hash), and the field between nodes is a cubic B-spline of those values. A
field sampled on any window is therefore identical where windows overlap, so a
municipality gets the same land cover whether it is generated alone or with the county.
"""

from __future__ import annotations

import numpy as np

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX_X = np.uint64(0xBF58476D1CE4E5B9)
_MIX_Y = np.uint64(0x94D049BB133111EB)
_ROW = np.uint64(0xC2B2AE3D27D4EB4F)
#: E[sum of squared cubic B-spline weights] per axis; divides out to give unit variance
_BSPLINE_VAR = 0.4793650793650794


def hash01(key: int, ix: np.ndarray, iy: np.ndarray) -> np.ndarray:
    """Uniform [0, 1) values for integer lattice nodes ``(ix, iy)`` under ``key``."""
    with np.errstate(over="ignore"):
        x = (ix.astype(np.int64).view(np.uint64) * _GOLDEN) ^ (iy.astype(np.int64).view(np.uint64) * _ROW)
        x = x ^ np.uint64(key & ((1 << 64) - 1))
        x = x ^ (x >> np.uint64(30))
        x = x * _MIX_X
        x = x ^ (x >> np.uint64(27))
        x = x * _MIX_Y
        x = x ^ (x >> np.uint64(31))
    return (x >> np.uint64(11)).astype(np.float64) * (1.0 / (1 << 53))


def _weights(coords: np.ndarray, spacing: float) -> tuple[np.ndarray, np.ndarray]:
    """Lattice base index (n,) and cubic B-spline weights (4, n) for 1-D ``coords`` [m]."""
    t = np.asarray(coords, dtype=np.float64) / spacing
    base = np.floor(t).astype(np.int64)
    f = t - base
    w = np.stack([
        (1 - f) ** 3 / 6.0,
        (3 * f**3 - 6 * f**2 + 4) / 6.0,
        (-3 * f**3 + 3 * f**2 + 3 * f + 1) / 6.0,
        f**3 / 6.0,
    ])
    return base, w


def lattice_noise(key: int, xs: np.ndarray, ys: np.ndarray, spacing_m: float) -> np.ndarray:
    """One octave of smooth noise, shape ``(len(ys), len(xs))``, mean 0, std about 1.

    ``xs`` and ``ys`` are cell-centre coordinates [m]; ``spacing_m`` is the lattice spacing,
    i.e. the typical feature size.
    """
    bx, wx = _weights(xs, spacing_m)
    by, wy = _weights(ys, spacing_m)
    x0, y0 = bx.min() - 1, by.min() - 1
    nx, ny = bx.max() + 3 - x0, by.max() + 3 - y0
    gx, gy = np.meshgrid(np.arange(nx) + x0, np.arange(ny) + y0)
    lattice = (hash01(key, gx, gy) - 0.5) * np.sqrt(12.0)
    rows = sum(wx[k][None, :] * lattice[:, bx - x0 - 1 + k] for k in range(4))
    field = sum(wy[k][:, None] * rows[by - y0 - 1 + k, :] for k in range(4))
    return field / _BSPLINE_VAR


def fractal_noise(key: int, xs: np.ndarray, ys: np.ndarray, spacing_m: float, octaves: int = 3,
                  persistence: float = 0.5) -> np.ndarray:
    """Sum of ``octaves`` octaves (spacing halves, amplitude times ``persistence``), std about 1."""
    total = np.zeros((len(ys), len(xs)))
    norm = 0.0
    for octave in range(octaves):
        amp = persistence**octave
        total += amp * lattice_noise(key + 7919 * (octave + 1), xs, ys, spacing_m / 2**octave)
        norm += amp**2
    return total / np.sqrt(norm)


def noise_at_points(key: int, x: np.ndarray, y: np.ndarray, spacing_m: float) -> np.ndarray:
    """The :func:`lattice_noise` field evaluated at scattered points ``(x, y)`` [m]."""
    bx, wx = _weights(x, spacing_m)
    by, wy = _weights(y, spacing_m)
    out = np.zeros(len(bx))
    for i in range(4):
        for j in range(4):
            out += wx[i] * wy[j] * (hash01(key, bx - 1 + i, by - 1 + j) - 0.5) * np.sqrt(12.0)
    return out / _BSPLINE_VAR
