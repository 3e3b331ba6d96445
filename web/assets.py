"""Where the map page's browser assets live and under which URL the API serves them.

Nothing is loaded from a CDN: third-party scripts and stylesheets come from npm packages pinned in
``web/package.json`` / ``web/package-lock.json`` and installed into ``web/node_modules`` by
``make web`` (``npm ci --prefix web``). Our own assets live in ``web/static``: the stylesheet, the
icon and the page's script as ES modules in ``web/static/js`` (entry point ``main.js``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from potenzial.errors import ConfigError

WEB_ROOT = Path(__file__).resolve().parent
NODE_MODULES = WEB_ROOT / "node_modules"
OWN_STATIC = WEB_ROOT / "static"

#: URL path under which everything of ours is served; the page references nothing else
STATIC_URL = "/static"
#: own assets: ``/static/web/<file>`` -> ``web/static/<file>``
OWN_MOUNT_PATH = "web"
#: the page's ES modules, below ``web/static``, and the one the page imports
MODULES_FOLDER = "js"
MAIN_MODULE = "main.js"


class MissingAssetsError(ConfigError):
    """The npm packages of the map page are not installed (``web/node_modules`` is missing)."""


@dataclass(frozen=True)
class VendorPackage:
    """An npm package whose ``folder`` (relative to ``node_modules``) is served as ``/static/vendor/<name>/``."""

    name: str
    folder: str
    required_files: tuple[str, ...]

    @property
    def mount_path(self) -> str:
        """Path below the static URL, e.g. ``vendor/leaflet``."""
        return f"vendor/{self.name}"


#: The only third-party browser code the page needs (classic scripts, loaded before the page's
#: modules). Everything else (choropleth, layer control, legend, side panel, search, point query)
#: is the page's own script, the ES modules in ``web/static/js``.
VENDOR_PACKAGES: tuple[VendorPackage, ...] = (
    VendorPackage("leaflet", "leaflet/dist", ("leaflet.js", "leaflet.css", "images/layers.png")),
    # Mapbox Vector Tiles in Leaflet (the bundle includes its pbf and vector-tile decoders)
    VendorPackage("leaflet.vectorgrid", "leaflet.vectorgrid/dist", ("Leaflet.VectorGrid.bundled.min.js",)),
    # the accessibility checker the browser tests inject (WCAG 2.1 A/AA); the page itself never loads it
    VendorPackage("axe-core", "axe-core", ("axe.min.js",)),
)


def vendor_dirs(node_modules: Path = NODE_MODULES) -> dict[VendorPackage, Path]:
    """The folder to serve for every vendor package; raise MissingAssetsError (one line) if absent."""
    found: dict[VendorPackage, Path] = {}
    for package in VENDOR_PACKAGES:
        folder = node_modules / package.folder
        missing = [f for f in package.required_files if not (folder / f).is_file()]
        if missing:
            raise MissingAssetsError(
                f"map page assets are not installed: {package.name} ({', '.join(missing)}) is missing "
                f"under {node_modules}. Run `make web` (or `npm ci --prefix web`) and start again."
            )
        found[package] = folder
    return found


def vendor_url(static_url: str, package: str, file: str) -> str:
    """``<static_url>/vendor/<package>/<file>`` for a known vendor package."""
    for known in VENDOR_PACKAGES:
        if known.name == package:
            return f"{static_url}/{known.mount_path}/{file}"
    raise ConfigError(f"{package!r} is not a vendor package of the map page "
                      f"({', '.join(p.name for p in VENDOR_PACKAGES)}). Add it to web/assets.py and web/package.json.")


def own_url(static_url: str, file: str) -> str:
    """``<static_url>/web/<file>`` for a file below ``web/static``."""
    return f"{static_url}/{OWN_MOUNT_PATH}/{file}"


def own_modules(static: Path = OWN_STATIC) -> list[str]:
    """The page's ES modules (paths below ``web/static``, sorted), the entry point first."""
    names = sorted(p.name for p in (static / MODULES_FOLDER).glob("*.js"))
    if MAIN_MODULE not in names:
        raise MissingAssetsError(f"the map page's entry module {MODULES_FOLDER}/{MAIN_MODULE} is missing under "
                                 f"{static}. Restore it from the repository (git checkout -- web/static).")
    return [f"{MODULES_FOLDER}/{n}" for n in [MAIN_MODULE, *(n for n in names if n != MAIN_MODULE)]]
