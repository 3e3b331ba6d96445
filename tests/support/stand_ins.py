"""The default region's stand-ins in a test's own data folder: copied from the session's folder (the
``stand_ins_dir`` fixture in tests/conftest.py) rather than generated again; ``ensure_stand_ins`` then
finds them current by their manifest."""

from __future__ import annotations

import shutil
from pathlib import Path


def copy_stand_ins(stand_ins_dir: Path, data_dir: Path) -> None:
    shutil.copytree(stand_ins_dir / "regions", data_dir / "regions", dirs_exist_ok=True)
