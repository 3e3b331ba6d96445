"""`data fetch` shows progress bars on a terminal and keeps them out of logs.

The same fetch (two DGM tiles of a 2 km grid from the loopback server) runs twice: once with
stderr a pipe, as under cron or CI, where only one-line messages may appear (no bar glyphs, no
cursor movement, no carriage returns); once on a pseudo-terminal (``pty``), as a person at a
shell sees it, where the tile count is drawn as a bar.
"""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys

import pytest

from potenzial.settings import PROJECT_ROOT
from tests.support.child_env import child_env
from tests.support.source_files import PAIR, dgm_tile, municipalities, potenzial
from tests.support.source_server import SourceServer

BAR = "━"   #: rich's bar glyph


@pytest.fixture
def grid_fetch(tmp_path):
    """(command, env) of a `data fetch` of the tiles over Belgershain, served on loopback."""
    regions, served = tmp_path / "regions", tmp_path / "served"
    regions.mkdir()
    env = {"POTENZIAL_REGIONS_DIR": str(regions), "POTENZIAL_DATA_DIR": str(tmp_path / "data")}
    assert potenzial("region", "create", "--county", "14729", "--municipality", PAIR[0], "--id", "one",
                     "--name", "Belgershain", env=env).returncode == 0
    box = municipalities().geometry.loc[[PAIR[0]]].total_bounds
    e0, n0 = int(box[0] // 2000) * 2, int(box[1] // 2000) * 2
    (served / "dgm").mkdir(parents=True)
    for e_km in (e0, e0 + 2):
        dgm_tile(served / "dgm", e_km, n0, 150.0)
    with SourceServer(served) as server:
        sources = tmp_path / "sources.toml"
        sources.write_text(f"""
[catalog]
id = "test-progress"
version = "2026-12-03"

[sources.dgm1_grid]
title = "DGM1 (Test)"
fills = "terrain"
kind = "raster"
layout = "tiles"
tile_url_pattern = "{server.url}/dgm/dgm1_33{{e_km}}_{{n_km}}_2_sn_tiff.zip"
tile_size_m = 2000
member = "*.tif"
crs = "EPSG:25833"
licence = "dl-de/by-2-0"
attribution = "Quelle: GeoSN, dl-de/by-2-0"
""", encoding="utf-8")
        yield ["data", "fetch", "--region", "one", "--only", "terrain", "--catalog", str(sources)], env


def test_no_bars_in_a_log(grid_fetch):
    args, env = grid_fetch
    result = potenzial(*args, env=env)
    assert result.returncode == 0, result.stderr
    log = result.stderr
    assert "dgm1_grid: 2 of" in log and "grid tiles" in log   # the one-line messages are there
    assert BAR not in log and "\r" not in log and "\x1b[" not in log


def test_bars_on_a_terminal(grid_fetch):
    args, env = grid_fetch
    full = child_env()
    full.update({"TERM": "xterm-256color", "COLUMNS": "120", "LINES": "40", **env})
    full.pop("NO_COLOR", None)
    main, child = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "potenzial.cli.main", *args], stdin=child, stdout=child,
                            stderr=child, env=full, cwd=PROJECT_ROOT, close_fds=True)
    os.close(child)
    screen = b""
    while True:
        ready, _, _ = select.select([main], [], [], 1.0)
        if ready:
            try:
                chunk = os.read(main, 65536)
            except OSError:          # EIO: the child closed the terminal
                break
            if not chunk:
                break
            screen += chunk
        elif proc.poll() is not None:
            break
    assert proc.wait(timeout=300) == 0, screen.decode("utf-8", "replace")[-2000:]
    os.close(main)
    text = screen.decode("utf-8", "replace")
    assert "dgm1_grid tiles" in text and BAR in text
    assert "terrain: real from dgm1_grid" in " ".join(text.split())
