"""The map page: one self-contained Folium/Leaflet HTML document built from a run's results.

The page loads every script and stylesheet from the app (``/static/...``, see
:mod:`web.assets`); the only requests that may leave the server are base-map tiles, and the
"no base map" option needs none, so the page works offline.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

import folium
import geopandas as gpd
import numpy as np
import xyzservices
from folium.map import Layer
from folium.template import Template
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from potenzial.crs import WGS84
from potenzial.errors import ConfigError
from potenzial.region import Region
from potenzial.store.base import RunRecord
from web.assets import OWN_MOUNT_PATH, STATIC_URL, vendor_url

NO_BASEMAP = "none"
DEFAULT_TILES = "OpenStreetMap.Mapnik"
#: population density classes: 5-class YlOrRd (colorbrewer2.org), low -> high
DENSITY_COLOURS = ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")
NO_DATA_COLOUR = "#bdbdbd"
DENSITY = "population_density_per_km2"
POPUP_FIELDS = ("name", "ags", "area_km2", "population", DENSITY)
POPUP_ALIASES = ("Municipality", "AGS", "Area [km²]", "Population [persons]", "Density [persons/km²]")


# ------------------------------------------------------------------ base map


@dataclass(frozen=True)
class BaseMap:
    """An XYZ tile provider. ``url`` is a Leaflet template (``{z}/{x}/{y}``, optional ``{s}``, ``{r}``)."""

    name: str
    url: str
    attribution: str  #: HTML, shown in the map's attribution control
    max_zoom: int = 19
    subdomains: str = "abc"

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

    ``tiles`` is an xyzservices provider name (default ``OpenStreetMap.Mapnik``), ``none`` for no
    base map (fully offline), or an ``https://…/{z}/{x}/{y}.png`` template, which then needs
    ``tiles_attribution``.
    """

    model_config = SettingsConfigDict(env_prefix="POTENZIAL_MAP_", extra="ignore")

    tiles: str = Field(DEFAULT_TILES, description="xyzservices name, 'none', or an XYZ URL template")
    tiles_attribution: str = Field("", description="attribution HTML for a custom tile URL")
    tiles_max_zoom: int = Field(19, ge=0, le=24, description="highest zoom level the provider serves")

    def basemap(self) -> BaseMap | None:
        """The configured provider, or None for no base map. Raises ConfigError with the fix."""
        tiles = self.tiles.strip()
        if not tiles or tiles.lower() == NO_BASEMAP:
            return None
        if "{z}" in tiles:
            return self._custom(tiles)
        try:
            provider = xyzservices.providers.query_name(tiles)
        except ValueError:
            raise ConfigError(
                f"POTENZIAL_MAP_TILES={tiles!r} is neither a tile provider name nor an XYZ URL. Use "
                f"{DEFAULT_TILES!r}, 'none', or a template like https://tile.example.org/{{z}}/{{x}}/{{y}}.png."
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
    tiles = f" {basemap.csp_source}" if basemap else ""
    return ("default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
            f"img-src 'self' data:{tiles}; connect-src 'self'; font-src 'self'; object-src 'none'; "
            "base-uri 'self'")


# ------------------------------------------------------------------ density classes


@dataclass(frozen=True)
class DensityClasses:
    """Class limits [persons/km²] (``len(colours) + 1`` of them, ascending) and their colours."""

    limits: tuple[float, ...]
    colours: tuple[str, ...]

    def colour(self, density_per_km2: float | None) -> str:
        if density_per_km2 is None or not np.isfinite(density_per_km2):
            return NO_DATA_COLOUR
        inner = np.asarray(self.limits[1:-1])
        return self.colours[int(np.searchsorted(inner, density_per_km2, side="right"))]


def population_density(population: np.ndarray, area_km2: np.ndarray) -> np.ndarray:
    """[persons] / [km²] -> [persons/km²]; NaN where the area is not positive."""
    population = np.asarray(population, dtype=float)
    area_km2 = np.asarray(area_km2, dtype=float)
    out = np.full(population.shape, np.nan)
    np.divide(population, area_km2, out=out, where=area_km2 > 0)
    return out


def density_classes(density_per_km2: np.ndarray, colours: tuple[str, ...] = DENSITY_COLOURS) -> DensityClasses:
    """Quantile classes, limits rounded to whole persons/km²; fewer classes when values repeat."""
    values = np.asarray(density_per_km2, dtype=float)
    values = values[np.isfinite(values)]
    if values.size == 0:
        return DensityClasses(limits=(0.0, 0.0), colours=(NO_DATA_COLOUR,))
    quantiles = np.quantile(values, np.linspace(0.0, 1.0, len(colours) + 1))
    inner = sorted({float(round(q)) for q in quantiles[1:-1]} - {float(round(values.min()))})
    limits = (float(np.floor(values.min())), *inner, float(np.ceil(values.max())))
    limits = tuple(dict.fromkeys(limits))  # drop repeats, keep order
    if len(limits) < 2:
        limits = (limits[0], limits[0])
    n = len(limits) - 1
    picked = tuple(colours[round(i * (len(colours) - 1) / max(n - 1, 1))] for i in range(n))
    return DensityClasses(limits=limits, colours=picked)


# ------------------------------------------------------------------ folium elements


class BlankBaseLayer(Layer):
    """A base layer with no tiles: the "no base map" choice, needs no network."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.layerGroup();
        {% endmacro %}
    """)

    def __init__(self, name: str, show: bool) -> None:
        super().__init__(name=name, overlay=False, control=True, show=show)
        self._name = "BlankBaseLayer"


class HtmlControl(folium.MacroElement):
    """A Leaflet control holding escaped HTML built in Python (title, legend, sources)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.control({position: {{ this.position|tojson }}});
            {{ this.get_name() }}.onAdd = function (map) {
                var div = L.DomUtil.create("div", {{ this.css_class|tojson }});
                div.innerHTML = {{ this.html|tojson }};
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                return div;
            };
            {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, html_text: str, position: str, css_class: str) -> None:
        super().__init__()
        self._name = "HtmlControl"
        self.html = html_text
        self.position = position
        self.css_class = css_class


class HeadLink(folium.MacroElement):
    """An extra ``<link>`` in the page head (the icon), so the browser asks for no /favicon.ico."""

    def __init__(self, rel: str, href: str, type_: str) -> None:
        super().__init__()
        self._name = "HeadLink"
        self.rel, self.href, self.type_ = rel, href, type_

    def render(self, **kwargs) -> None:
        tag = (f'<link rel="{html.escape(self.rel)}" href="{html.escape(self.href)}" '
               f'type="{html.escape(self.type_)}" />')
        self.get_root().header.add_child(folium.Element(tag), name=f"headlink_{self.rel}")
        super().render(**kwargs)


# ------------------------------------------------------------------ page


def page_title(region: Region) -> str:
    return f"potenzial – {region.name}"


def build_page(
    municipalities: gpd.GeoDataFrame,
    record: RunRecord,
    region: Region,
    basemap: BaseMap | None,
    static_url: str = STATIC_URL,
) -> str:
    """The HTML of the map page for one run.

    ``municipalities`` is the run's ``municipalities`` result layer (any CRS with metres is fine;
    it is reprojected to EPSG:4326 here). ``static_url`` is where the app serves ``/static``
    (differs behind a proxy prefix). Raises ConfigError if a folium element would pull a
    script or stylesheet from outside.
    """
    if municipalities.crs is None:
        raise ConfigError("the municipalities layer has no CRS; the store must return EPSG:25833 geometry.")
    frame = municipalities.to_crs(WGS84)
    density = population_density(frame["population"].to_numpy(), frame["area_km2"].to_numpy())
    classes = density_classes(density)

    view = gpd.GeoDataFrame(
        {
            "ags": frame["ags"].astype(str),
            "name": frame["name"].astype(str),
            "area_km2": frame["area_km2"].astype(float).round(2),
            "population": frame["population"].astype(int),
            DENSITY: [None if not np.isfinite(d) else round(float(d)) for d in density],
        },
        geometry=frame.geometry.values,
        crs=WGS84,
    )
    colour_by_ags = {a: classes.colour(d) for a, d in zip(view["ags"], density, strict=True)}
    geojson = view.to_geo_dict(drop_id=True)
    for feature in geojson["features"]:
        feature["id"] = feature["properties"]["ags"]

    title = page_title(region)
    fmap = folium.Map(tiles=None, control_scale=True, prefer_canvas=False, zoom_start=10,
                      location=_centre(view))
    fmap.default_js = [("leaflet", vendor_url(static_url, "leaflet", "leaflet.js"))]
    fmap.default_css = [
        ("leaflet_css", vendor_url(static_url, "leaflet", "leaflet.css")),
        ("potenzial_css", f"{static_url}/{OWN_MOUNT_PATH}/map.css"),
    ]
    fmap.get_root().title = title
    HeadLink("icon", f"{static_url}/{OWN_MOUNT_PATH}/favicon.svg", "image/svg+xml").add_to(fmap)

    if basemap is not None:
        folium.TileLayer(tiles=basemap.url, attr=basemap.attribution, name=basemap.name,
                         max_zoom=basemap.max_zoom, subdomains=basemap.subdomains, show=True).add_to(fmap)
    BlankBaseLayer("no base map (offline)", show=basemap is None).add_to(fmap)

    muni_entry = region.layer(region.municipalities_layer)
    layer = folium.GeoJson(
        geojson,
        name="Municipalities – population density",
        style_function=lambda f: {"fillColor": colour_by_ags[f["id"]], "color": "#444444", "weight": 1,
                                  "fillOpacity": 0.65},
        highlight_function=lambda f: {"weight": 3, "color": "#000000", "fillOpacity": 0.8},
        tooltip=folium.GeoJsonTooltip(fields=["name"], labels=False, sticky=True),
        popup=folium.GeoJsonPopup(fields=list(POPUP_FIELDS), aliases=list(POPUP_ALIASES), localize=True),
        attribution=html.escape(muni_entry.attribution),
    )
    layer.add_to(fmap)
    HtmlControl(_title_html(title, record), "topright", "potenzial-panel potenzial-title").add_to(fmap)
    HtmlControl(_legend_html(classes, region), "bottomleft", "potenzial-panel potenzial-legend").add_to(fmap)
    folium.LayerControl(position="topright", collapsed=True).add_to(fmap)
    bounds = view.total_bounds  # lon_min, lat_min, lon_max, lat_max
    fmap.fit_bounds([[bounds[1], bounds[0]], [bounds[3], bounds[2]]])

    page = fmap.get_root().render()
    outside = external_assets(page)
    if outside:
        raise ConfigError(f"the map page would load {', '.join(outside)} from outside the app. Give that "
                          "folium element a local URL under /static/vendor/ (web/assets.py, web/package.json).")
    return page


def _centre(view: gpd.GeoDataFrame) -> list[float]:
    lon_min, lat_min, lon_max, lat_max = view.total_bounds
    return [float((lat_min + lat_max) / 2), float((lon_min + lon_max) / 2)]


def _title_html(title: str, record: RunRecord) -> str:
    parts = [f"<h1>{html.escape(title)}</h1>",
             f'<p class="potenzial-run">run <code>{html.escape(record.run_id)}</code>'
             f" · {html.escape(record.finished_at)}</p>"]
    if record.synthetic_inputs:
        parts.append('<p class="potenzial-warning">This run used synthetic demo data for: '
                     f"{html.escape(', '.join(record.synthetic_inputs))}.</p>")
    return "".join(parts)


def _legend_html(classes: DensityClasses, region: Region) -> str:
    rows = []
    for i, colour in enumerate(classes.colours):
        low, high = classes.limits[i], classes.limits[i + 1]
        rows.append(f'<li><span class="swatch" style="background:{colour}"></span>'
                    f"{low:,.0f} – {high:,.0f}</li>")
    entries = sorted(region.layers.values(), key=lambda e: (e.synthetic, e.title))
    sources = []
    for entry in entries:
        badge = ' <span class="synthetic">synthetic demo data</span>' if entry.synthetic else ""
        sources.append(f"<li><b>{html.escape(entry.title)}</b>{badge}<br>"
                       f"{html.escape(entry.attribution)} <i>({html.escape(entry.licence)})</i></li>")
    n_synth = sum(e.synthetic for e in entries)
    return (
        "<h2>Population density [persons/km²]</h2>"
        f'<ul class="classes">{"".join(rows)}</ul>'
        "<details open><summary>Data sources "
        f"({len(entries) - n_synth} real, {n_synth} synthetic demo data)</summary>"
        f'<ul class="sources">{"".join(sources)}</ul></details>'
    )


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
