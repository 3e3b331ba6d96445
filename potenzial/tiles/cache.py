"""The tile cache: rendered tiles on disk, keyed by run id, with a small in-memory layer on top.

Layout: ``<raster_cache>/<run_id>/tiles/<layer>/<z>/<x>/<y>.<ext>``. A new run has a new id and
so a new folder: nothing is ever invalidated in place. An empty file records an empty tile
(HTTP 204). Writes go to a temporary file and are renamed into place, so a reader never sees
half a tile. Only registry ids and integers build a path (never client text).
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from pathlib import Path

from potenzial.errors import ConfigError

#: bytes kept in memory (most recently used tiles)
DEFAULT_MEMORY_BYTES = 64 * 1024 * 1024
EMPTY = b""


class TileCache:
    """Disk cache of rendered tiles with an LRU memory layer of at most ``memory_bytes``."""

    def __init__(self, root: Path, memory_bytes: int = DEFAULT_MEMORY_BYTES) -> None:
        self.root = Path(root)
        self.memory_bytes = memory_bytes
        self._mem: OrderedDict[tuple, bytes] = OrderedDict()
        self._mem_size = 0
        self._lock = threading.Lock()

    def path(self, run_id: str, layer: str, z: int, x: int, y: int, ext: str) -> Path:
        for part in (run_id, layer, ext):
            if not part or "/" in part or "\\" in part or part.startswith("."):
                raise ConfigError(f"tile cache key part {part!r} is not a plain name.")
        return self.root / run_id / "tiles" / layer / str(int(z)) / str(int(x)) / f"{int(y)}.{ext}"

    def get(self, run_id: str, layer: str, z: int, x: int, y: int, ext: str) -> bytes | None:
        """The cached tile (``b""`` for an empty tile), or None when it is not cached."""
        key = (run_id, layer, z, x, y, ext)
        with self._lock:
            data = self._mem.get(key)
            if data is not None:
                self._mem.move_to_end(key)
                return data
        try:
            data = self.path(run_id, layer, z, x, y, ext).read_bytes()
        except OSError:
            return None
        self._remember(key, data)
        return data

    def get_memory(self, key: tuple) -> bytes | None:
        """The tile under ``(run_id, layer, z, x, y, ext)`` if it is in memory (no I/O)."""
        with self._lock:
            data = self._mem.get(key)
            if data is not None:
                self._mem.move_to_end(key)
            return data

    def put(self, run_id: str, layer: str, z: int, x: int, y: int, ext: str, data: bytes) -> None:
        """Store a tile; a failing disk (full, read-only) only loses the disk copy."""
        key = (run_id, layer, z, x, y, ext)
        self._remember(key, data)
        path = self.path(run_id, layer, z, x, y, ext)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(data)
            os.replace(tmp, path)
        except OSError:
            tmp.unlink(missing_ok=True)

    def _remember(self, key: tuple, data: bytes) -> None:
        size = len(data) + 100
        if size > self.memory_bytes:
            return
        with self._lock:
            old = self._mem.pop(key, None)
            if old is not None:
                self._mem_size -= len(old) + 100
            self._mem[key] = data
            self._mem_size += size
            while self._mem_size > self.memory_bytes and self._mem:
                _, dropped = self._mem.popitem(last=False)
                self._mem_size -= len(dropped) + 100

    def forget_memory(self) -> None:
        """Drop the memory layer (the disk copies stay)."""
        with self._lock:
            self._mem.clear()
            self._mem_size = 0
