"""The map page: an HTML document for one run (the Jinja2 template ``web/templates/page.html.j2``),
finished in the browser by the ES modules in ``web/static/js`` from ``/api/layers`` and
``/api/municipalities``.

The page loads every script and stylesheet from the app (``/static/...``, see
:mod:`web.assets`); the only requests that may leave the server are base-map tiles, and the
"no base map" option needs none, so the page works offline.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from typing import Literal
from urllib.parse import urlsplit

import geopandas as gpd
import jinja2
import pandas as pd
import xyzservices
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from potenzial.crs import WGS84
from potenzial.errors import ConfigError
from potenzial.region import Region
from potenzial.runs import RunRecord
from potenzial.serving.figures import Figure
from web.assets import MAIN_MODULE, MODULES_FOLDER, STATIC_URL, own_modules, own_url, vendor_url
from web.figures import figure_config

NO_BASEMAP = "none"
#: the offline base map drawn from the region's own layers (potenzial.serving.basemap), served by the app
REGION_BASEMAP = "region"
OSM_TILES = "OpenStreetMap.Mapnik"
DEFAULT_TILES = REGION_BASEMAP
#: the figure the choropleth shows first (when the run has it)
DEFAULT_FIGURE = "electricity_potential"
#: fractional zoom steps, so that the county fills the space between the panels
ZOOM_SNAP = 0.25
#: where the API serves every result column's title, unit, description and classes per language
#: (``{schema: {"title": {de, en}, "columns": {column: {"title", "unit", "description", "classes"}}}}``);
#: the page shows a figure only by its title from there
SCHEMAS_PATH: str | None = "/api/schemas"


# ------------------------------------------------------------------ base map


@dataclass(frozen=True)
class BaseMap:
    """An XYZ tile provider. ``url`` is a Leaflet template (``{z}/{x}/{y}``, optional ``{s}``, ``{r}``)."""

    name: str
    url: str
    attribution: str  #: HTML, shown in the map's attribution control
    max_zoom: int = 19
    subdomains: str = "abc"
    #: "raster": an XYZ provider's images; "region": the app's own vector base map (no outside request)
    kind: Literal["raster", "region"] = "raster"

    @property
    def csp_source(self) -> str:
        """The Content-Security-Policy source that admits this provider's tiles and nothing else."""
        parts = urlsplit(self.url.replace("{s}", "*"))
        host = parts.hostname or ""
        if "{" in host or ("*" in host and not host.startswith("*.")):
            return f"{parts.scheme}:"
        port = f":{parts.port}" if parts.port else ""
        return f"{parts.scheme}://{host}{port}"


class MapSettings(BaseSettings):
    """Base map of the page, from ``POTENZIAL_MAP_*``. Built by the app factory, never at import time.

    ``tiles`` is ``region`` (default: the offline base map drawn from the region's own layers and
    served by the app), an xyzservices provider name such as ``OpenStreetMap.Mapnik``, ``none`` for
    no base map, or an ``https://…/{z}/{x}/{y}.png`` template, which then needs ``tiles_attribution``.
    """

    model_config = SettingsConfigDict(env_prefix="POTENZIAL_MAP_", extra="ignore")

    tiles: str = Field(DEFAULT_TILES, description="'region' (offline base map), an xyzservices name, 'none', "
                                                  "or an XYZ URL template")
    tiles_attribution: str = Field("", description="attribution HTML for a custom tile URL")
    tiles_max_zoom: int = Field(19, ge=0, le=24, description="highest zoom level the provider serves")

    def basemap(self) -> BaseMap | None:
        """The configured provider, or None for no base map. Raises ConfigError with the fix."""
        tiles = self.tiles.strip()
        if not tiles or tiles.lower() == NO_BASEMAP:
            return None
        if tiles.lower() == REGION_BASEMAP:
            return BaseMap(name=REGION_BASEMAP, url="", attribution="", kind="region")
        if "{z}" in tiles:
            return self._custom(tiles)
        try:
            provider = xyzservices.providers.query_name(tiles)
        except ValueError:
            raise ConfigError(
                f"POTENZIAL_MAP_TILES={tiles!r} is neither a tile provider name nor an XYZ URL. Use "
                f"{REGION_BASEMAP!r}, {OSM_TILES!r}, 'none', or a template like https://tile.example.org/{{z}}/{{x}}/{{y}}.png."
            ) from None
        if provider.requires_token():
            raise ConfigError(f"tile provider {tiles!r} needs an API key. Choose a provider without one, "
                              "or give its full URL with the key in POTENZIAL_MAP_TILES.")
        return BaseMap(
            name=provider.name,
            url=provider.build_url(fill_subdomain=False, scale_factor="{r}"),
            attribution=provider.html_attribution,
            max_zoom=int(provider.get("max_zoom", self.tiles_max_zoom)),
            subdomains=str(provider.get("subdomains", "abc")),
        )

    def _custom(self, url: str) -> BaseMap:
        if not url.startswith(("https://", "http://")) or not all(k in url for k in ("{x}", "{y}")):
            raise ConfigError(f"POTENZIAL_MAP_TILES={url!r} is not an XYZ URL template. "
                              "Write it like https://tile.example.org/{z}/{x}/{y}.png.")
        if not self.tiles_attribution.strip():
            raise ConfigError(f"tiles {url!r} have no attribution. Set POTENZIAL_MAP_TILES_ATTRIBUTION to the "
                              "provider's required credit, e.g. '© OpenStreetMap contributors'.")
        return BaseMap(name=urlsplit(url).hostname or "tiles", url=url, attribution=self.tiles_attribution,
                       max_zoom=self.tiles_max_zoom)


def content_security_policy(basemap: BaseMap | None) -> str:
    """CSP for the page: scripts, styles and data from the app only; images also from the tile host."""
    tiles = f" {basemap.csp_source}" if basemap and basemap.kind == "raster" else ""
    return ("default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
            f"img-src 'self' data:{tiles}; connect-src 'self'; font-src 'self'; object-src 'none'; "
            "base-uri 'self'")


# ------------------------------------------------------------------ page


#: the names the page's script gives the map and its base layers (``potenzial.start(map_…, …)``)
MAP_NAME = "map_potenzial"
TILES_NAME = "tile_layer_basemap"
BLANK_NAME = "blank_base_layer_none"
#: the county's first view before the page fits it between the panels
START_ZOOM = 10


@lru_cache(maxsize=1)
def templates() -> jinja2.Environment:
    """The page templates (``web/templates``), HTML-escaped by default."""
    return jinja2.Environment(loader=jinja2.PackageLoader("web", "templates"), autoescape=True,
                              trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)


def page_title(region: Region) -> str:
    return f"potenzial – {region.name}"


def page_assets(static_url: str) -> dict[str, object]:
    """Every URL the page loads: vendor scripts and stylesheets, our stylesheet, icon and modules."""
    return {
        "icon": own_url(static_url, "favicon.svg"),
        "stylesheets": [vendor_url(static_url, "leaflet", "leaflet.css"), own_url(static_url, "map.css")],
        "scripts": [vendor_url(static_url, "leaflet", "leaflet.js"),
                    vendor_url(static_url, "leaflet.vectorgrid", "Leaflet.VectorGrid.bundled.min.js")],
        "modules": [own_url(static_url, module) for module in own_modules()],
        "main": own_url(static_url, f"{MODULES_FOLDER}/{MAIN_MODULE}"),
    }


def build_page(
    merged: pd.DataFrame,
    meta: Sequence[Figure],
    municipalities: gpd.GeoDataFrame,
    record: RunRecord,
    region: Region,
    basemap: BaseMap | None,
    static_url: str = STATIC_URL,
    display_minzoom: Mapping[str, int] | None = None,
) -> str:
    """The HTML of the map page for one run.

    ``merged`` and ``meta`` are the run's per-municipality figures and their metadata (the table
    behind ``/api/municipalities``); ``municipalities`` is the run's ``municipalities`` layer (any
    metric CRS; only its extent is used). ``static_url`` is where the app serves ``/static``
    (differs behind a proxy prefix); the API is expected beside it. ``display_minzoom`` maps a
    vector layer id to the zoom from which the page draws it (:mod:`web.display`).

    The page itself holds no layer list: its script (``web/static/js/main.js``) reads
    ``/api/layers`` and ``/api/municipalities`` when it starts. The same arguments give the same
    bytes. Raises ConfigError if the page would pull a script or stylesheet from outside.
    """
    if municipalities.crs is None:
        raise ConfigError("the municipalities layer has no CRS; the store must return EPSG:25833 geometry.")
    lon_min, lat_min, lon_max, lat_max = (float(b) for b in municipalities.to_crs(WGS84).total_bounds)
    root = static_url[: -len(STATIC_URL)] if static_url.endswith(STATIC_URL) else ""
    figures = figure_config(merged, meta).to_json()
    selectable = [f["id"] for f in figures["figures"] if f["selectable"]]
    default_figure = DEFAULT_FIGURE if DEFAULT_FIGURE in selectable else (selectable[0] if selectable else None)

    config = {
        "region": {"id": region.id, "name": region.name, "boundaries_layer": region.municipalities_layer},
        "run": {"run_id": record.run_id, "finished_at": record.finished_at,
                "synthetic_inputs": list(record.synthetic_inputs)},
        "api": {"root": root, "schemas": SCHEMAS_PATH},
        "bounds": [[lat_min, lon_min], [lat_max, lon_max]],
        "default_figure": default_figure,
        "display_minzoom": dict(display_minzoom or {}),
        "base_map": base_map_config(basemap, root),
        **figures,
    }
    basemap = basemap if basemap is not None and basemap.kind == "raster" else None
    map_options = {"center": [(lat_min + lat_max) / 2, (lon_min + lon_max) / 2], "zoom": START_ZOOM,
                   "zoomControl": False, "zoomSnap": ZOOM_SNAP}
    tile_options = None
    if basemap is not None:
        tile_options = {"attribution": basemap.attribution, "maxZoom": basemap.max_zoom,
                        "maxNativeZoom": basemap.max_zoom, "subdomains": basemap.subdomains}
    page = templates().get_template("page.html.j2").render(
        title=page_title(region), assets=page_assets(static_url), config=config, basemap=basemap,
        map_options=map_options, tile_options=tile_options,
        names={"map": MAP_NAME, "tiles": TILES_NAME, "blank": BLANK_NAME},
    )
    outside = external_assets(page)
    if outside:
        raise ConfigError(f"the map page would load {', '.join(outside)} from outside the app. Give that "
                          "asset a local URL under /static/ (web/assets.py, web/package.json).")
    return page


def base_map_config(basemap: BaseMap | None, root: str) -> dict[str, object]:
    """What the page's script needs to offer the region's own base map (``web/static/js/basemap.js``):
    its tiles and description, and which base layer is shown first."""
    default = NO_BASEMAP if basemap is None else (REGION_BASEMAP if basemap.kind == "region" else basemap.name)
    return {"default": default, "region": {"tiles": f"{root}/basemap/{{z}}/{{x}}/{{y}}.pbf",
                                           "info": f"{root}/api/basemap"}}


class _AssetLinks(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        if tag == "script" and attr.get("src"):
            self.urls.append(str(attr["src"]))
        elif tag == "link" and attr.get("href"):
            self.urls.append(str(attr["href"]))


def asset_urls(page: str) -> list[str]:
    """Every ``<script src>`` and ``<link href>`` of ``page``."""
    parser = _AssetLinks()
    parser.feed(page)
    return parser.urls


def external_assets(page: str) -> list[str]:
    """The script and stylesheet URLs of ``page`` that point outside the app."""
    return [u for u in asset_urls(page) if urlsplit(u).scheme or u.startswith("//")]
