"""Download one file into the cache: resume (HTTP Range), checksum, no half-written files.

A download goes to ``<cache>/<name>.part`` and is renamed to ``<cache>/<name>`` only when it is
complete (the length the server announced), its checksum matches (when the catalog gives one)
and it is what it should be (a zip starts with ``PK``, not with an HTML error page). A dropped
connection is resumed from the bytes already there with a ``Range`` request; a server that
ignores ``Range`` (200 instead of 206) starts over. A file that fails a check is removed, so the
cache only ever holds verified files, and the next attempt starts clean.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from potenzial.errors import InputDataError

CHUNK_BYTES = 1 << 16
MAX_ATTEMPTS = 5
TIMEOUT_S = 60.0
USER_AGENT = "potenzial-data-fetch"

#: progress(received_bytes, total_bytes or None)
Progress = Callable[[int, int | None], None]


class FetchError(InputDataError):
    """A download failed or is not what the source catalog says (checksum, format, tiles, CRS)."""


class NotOnServer(FetchError):
    """The server answered 404: the file is not there (a grid tile outside the provider's area)."""


@dataclass(frozen=True)
class Downloaded:
    path: Path
    sha256: str
    size_bytes: int
    resumed: bool       #: True when a dropped transfer was continued with a Range request
    cached: bool        #: True when the verified file was already in the cache


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def download(url: str, cache_dir: Path, name: str, sha256: str = "", expect: str = "",
             progress: Progress | None = None, refresh: bool = False) -> Downloaded:
    """``url`` -> ``cache_dir/name`` (verified). ``expect``: ``zip``, ``gzip``, ``tiff`` or ``""``.
    ``refresh``: fetch again even when the cache has the file (a tile index, which changes in place);
    the cached copy is replaced only by a verified new one."""
    if not url.startswith(("https://", "http://")):
        raise FetchError(f"{url!r}: not an http(s) URL. Fix the url (or the tile index's location) in the source "
                         "catalog.")
    cache_dir.mkdir(parents=True, exist_ok=True)
    final = cache_dir / name
    if not refresh and final.is_file() and (not sha256 or sha256_of(final) == sha256.lower()):
        return Downloaded(final, sha256_of(final), final.stat().st_size, resumed=False, cached=True)
    part = cache_dir / f"{name}.part"
    resumed, complete = False, False
    for attempt in range(1, MAX_ATTEMPTS + 1):
        have = part.stat().st_size if part.is_file() else 0
        try:
            done, total = _transfer(url, part, have, progress)
        except (http.client.IncompleteRead, ConnectionError, TimeoutError, OSError) as exc:
            if isinstance(exc, urllib.error.HTTPError):
                part.unlink(missing_ok=True)
                error = NotOnServer if exc.code == 404 else FetchError
                raise error(f"{url}: the server answered HTTP {exc.code} ({exc.reason}). Check the URL in the "
                                 "source catalog (layers/sources/) against the provider's download page.") from None
            if isinstance(exc, urllib.error.URLError) and not part.is_file():
                raise FetchError(f"{url}: cannot connect ({exc.reason}). Check the network and the URL.") from None
            if attempt == MAX_ATTEMPTS:
                raise FetchError(f"{url}: the connection broke {MAX_ATTEMPTS} times ({type(exc).__name__}); "
                                 f"{part.stat().st_size if part.is_file() else 0} bytes are kept and the next "
                                 "`potenzial data fetch` resumes from there.") from None
            resumed = resumed or (part.is_file() and part.stat().st_size > 0)
            continue
        if total is not None and done != total:
            resumed = True
            continue
        complete = True
        break
    if not complete:
        raise FetchError(f"{url}: the transfer stopped short {MAX_ATTEMPTS} times; the bytes so far are kept and the "
                         "next `potenzial data fetch` resumes from there.")
    _check(part, url, sha256, expect)
    digest = sha256_of(part)
    os.replace(part, final)
    return Downloaded(final, digest, final.stat().st_size, resumed=resumed, cached=False)


def _transfer(url: str, part: Path, have: int, progress: Progress | None) -> tuple[int, int | None]:
    """Append to ``part`` from byte ``have`` on; return (bytes in part, announced total or None)."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    if have:
        request.add_header("Range", f"bytes={have}-")
    with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:  # noqa: S310 (catalog URLs, http/https)
        if have and response.status == 200:     # Range ignored: start over
            have = 0
        mode = "ab" if have else "wb"
        length = response.headers.get("Content-Length")
        total = have + int(length) if length is not None else None
        received = have
        with part.open(mode) as fh:
            while True:
                block = response.read(CHUNK_BYTES)
                if not block:
                    break
                fh.write(block)
                received += len(block)
                if progress:
                    progress(received, total)
    return received, total


_MAGIC = {"zip": (b"PK\x03\x04", b"PK\x05\x06"), "gzip": (b"\x1f\x8b",), "tiff": (b"II*\x00", b"MM\x00*")}


def _check(part: Path, url: str, sha256: str, expect: str) -> None:
    with part.open("rb") as fh:
        head = fh.read(512)
    if expect in _MAGIC and not head.startswith(_MAGIC[expect]):
        part.unlink(missing_ok=True)
        text = head.lstrip().lower()
        if text.startswith((b"<!doctype html", b"<html", b"<?xml", b"<head")):
            raise FetchError(f"{url}: the server sent an HTML page instead of a {expect} file (an error or login "
                             "page; the download link may have moved). Open the URL in a browser, fix it in the "
                             "source catalog (layers/sources/) and fetch again.")
        raise FetchError(f"{url}: the download is not a {expect} file (it starts with {head[:8]!r}). Check the URL "
                         "and the format in the source catalog.")
    if sha256 and sha256_of(part) != sha256.lower():
        found = sha256_of(part)
        part.unlink(missing_ok=True)
        raise FetchError(f"{url}: checksum mismatch (sha256 {found[:16]}…, the catalog expects {sha256[:16]}…). "
                         "The file was not kept; the provider may have published a new version: check it and "
                         "update sha256 in the source catalog.")
