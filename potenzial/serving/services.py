"""The application services of the map server, per run and cached (a run never changes): the layer
registry, the merged figures, summaries, a municipality's detail, download and fact sheet, and the
point query. The API translates HTTP to these calls; it reads no file and no table itself."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import geopandas as gpd

from potenzial.errors import UnknownLayerError
from potenzial.region import Region
from potenzial.runs import RunRecord
from potenzial.serving import downloads, raster_downloads, summaries
from potenzial.serving.basemap import BaseMapData, build_basemap
from potenzial.serving.cache import RunCache
from potenzial.serving.factsheet import html_to_pdf, render_factsheet
from potenzial.serving.headline import USE_TABLE_COLUMNS, HeadlineParams
from potenzial.serving.monitoring import MonitoringContext, monitoring_context
from potenzial.serving.municipality import AGS_PATTERN, Municipality, find_municipality, municipality_detail
from potenzial.serving.plants import InstalledPlants, load_plants
from potenzial.serving.point import point_query
from potenzial.serving.point_text import RULE_TABLES, RuleText, english_rule_titles, rule_texts
from potenzial.serving.registry import LayerRegistry, build_registry
from potenzial.serving.schemas import check_lang, schemas_document
from potenzial.serving.sheet_data import SheetData, county_members, sheet_data
from potenzial.serving.sheet_monitoring import sheet_monitoring
from potenzial.serving.summaries import RunFigures
from potenzial.settings import DEFAULT_PARAMS_DIR
from potenzial.sources.table import read_table
from potenzial.store.base import Store
from potenzial.store.schema import RESULTS, ResultSchema

#: registries kept (one per run); figures, fact sheets … kept across runs
REGISTRIES_KEPT = 4
PRODUCTS_KEPT = 64

class RunServices:
    """Everything served from the runs of one store, for one region.

    ``schemas`` are the result schemas served (default: the result registry); ``raster_cache`` is the
    folder of the runs' rasters, display COGs and downloads. ``on_registry`` is called once with every
    registry built (the API starts the display COG builds there). ``headline`` are the parameters of
    the headline figures (stage, precedence rule, electricity use; default: their defaults); the
    electricity use table they name is read from the region's catalog when it has that layer.
    """

    def __init__(self, store: Store, region: Region, raster_cache: Path,
                 schemas: Mapping[str, ResultSchema] = RESULTS,
                 on_registry: Callable[[LayerRegistry], None] | None = None,
                 headline: HeadlineParams | None = None, rules_dir: Path | None = None,
                 params_dir: Path = DEFAULT_PARAMS_DIR) -> None:
        self.store = store
        self.region = region
        self.raster_cache = Path(raster_cache)
        self.schemas = schemas
        self.on_registry = on_registry
        self.headline = headline if headline is not None else HeadlineParams()
        #: the rule set files (for the rules' English titles; None: the German titles of the run only)
        self.rules_dir = Path(rules_dir) if rules_dir is not None else None
        #: the parameters of the monitoring (full-load hours, targets) that the fact sheet's figure uses
        self.params_dir = Path(params_dir)
        layer = self.headline.electricity_use_layer
        self.use_table = (read_table(region.layer(layer), required=USE_TABLE_COLUMNS)
                          if layer in region.layers else None)
        self._registries = RunCache(max_entries=REGISTRIES_KEPT)
        #: figures, fact sheets … per run
        self.products = RunCache(max_entries=PRODUCTS_KEPT)

    # -- labels
    def schemas_document(self) -> dict[str, dict[str, object]]:
        """Titles, units, descriptions and classes of every served result schema (``/api/schemas``)."""
        return self.products.get_or_build(("schemas",), lambda: schemas_document(self.schemas))

    # -- registry
    def registry_if_built(self, run_id: str) -> LayerRegistry | None:
        return self._registries.peek(("registry", run_id))

    def registry(self, record: RunRecord) -> LayerRegistry:
        def build() -> LayerRegistry:
            registry = build_registry(self.store, self.region, record, self.raster_cache, self.schemas)
            if self.on_registry is not None:
                self.on_registry(registry)
            return registry

        return self._registries.get_or_build(("registry", record.run_id), build)

    # -- the offline base map
    def basemap(self, record: RunRecord) -> BaseMapData:
        """The run's base map (its municipalities and the catalog's layers), read once per run."""
        return self.products.get_or_build(("basemap", record.run_id),
                                          lambda: build_basemap(self.region, self.figures(record).municipalities))

    def plants(self) -> InstalledPlants:
        """The installed plants of the catalog (the same for every run), read once."""
        return self.products.get_or_build(("plants",), lambda: load_plants(self.region))

    # -- figures and summaries
    def figures(self, record: RunRecord) -> RunFigures:
        """(merged figures, their metadata, the municipalities layer in EPSG:25833) of a run."""
        return self.products.get_or_build(("figures", record.run_id),
                                          lambda: summaries.run_figures(self.store, record, self.schemas,
                                                                               self.headline, self.use_table))

    def summary_csv(self, record: RunRecord, lang: str = "de", ags: str | None = None) -> bytes:
        """The summary as CSV in ``lang`` (de, en; ConfigError otherwise), with its header block; of
        every municipality, or of the one ``ags`` (NotFoundError with the fix for an unknown one)."""
        return summaries.summary_csv(self._summary_figures(record, ags), record,
                                     self.registry(record).figure_sources, check_lang(lang))

    def summary_xlsx(self, record: RunRecord, lang: str = "de", ags: str | None = None) -> bytes:
        return summaries.summary_xlsx(self._summary_figures(record, ags), record,
                                      self.registry(record).figure_sources, check_lang(lang))

    def _summary_figures(self, record: RunRecord, ags: str | None) -> RunFigures:
        figures = self.figures(record)
        if ags is None:
            return figures
        return summaries.of_municipalities(figures, [self.municipality(record, ags).ags])

    # -- one municipality
    def municipality(self, record: RunRecord, ags: str) -> Municipality:
        """NotFoundError (with the fix) for a malformed or unknown AGS."""
        return find_municipality(self.figures(record), record, ags)

    def municipality_detail(self, record: RunRecord, ags: str) -> dict:
        return municipality_detail(self.municipality(record, ags), record, self.registry(record))

    def download_path(self, record: RunRecord, ags: str) -> Path:
        """The municipality's GeoPackage (prepared when the run was published, else built now; then
        served from disk). A prepared file is served without reading the run's figures."""
        path = downloads.download_path(self.raster_cache, record.run_id, ags)
        if AGS_PATTERN.match(ags) and path.is_file():
            return path
        found = self.municipality(record, ags)
        return downloads.build_download(self.store, record, self.registry(record), found, path)

    def sheet(self, record: RunRecord, ags: tuple[str, ...], title: str | None = None) -> SheetData:
        """What the fact sheet of the municipalities ``ags`` shows (read once per run and area)."""
        def build() -> SheetData:
            sheet = sheet_data(self.store, record, self.registry(record), self.figures(record), ags, title)
            if self.store.snapshots().records(self.region.id):
                sheet.monitoring = sheet_monitoring(self.store, self.monitoring_context(), sheet.ags)
            return sheet

        return self.products.get_or_build(("sheet", record.run_id, ags, title), build)

    def monitoring_context(self) -> MonitoringContext:
        """The region's groups, population, electricity use and monitoring parameters (read once)."""
        return self.products.get_or_build(("monitoring_context",),
                                          lambda: monitoring_context(self.region, self.params_dir))

    def factsheet_path(self, record: RunRecord, ags: str, fmt: str = "html", lang: str = "de") -> Path:
        """The municipality's fact sheet file (prepared when the run was published, else built now)."""
        check_lang(lang)
        path = downloads.factsheet_path(self.raster_cache, record.run_id, ags, fmt, lang)
        if AGS_PATTERN.match(ags) and path.is_file():
            return path
        self.municipality(record, ags)  # NotFoundError for an unknown AGS before anything is written
        return downloads.write_once(path, lambda: self.render_factsheet(record, ags, fmt, lang))

    def render_factsheet(self, record: RunRecord, ags: str, fmt: str = "html", lang: str = "de") -> bytes:
        """The one function that draws a municipality's fact sheet (what the server serves and what
        publishing prepares, :mod:`potenzial.serving.prepare`): ``fmt`` html (self-contained UTF-8
        page) or pdf (A4), ``lang`` de or en; NotFoundError (with the fix) for an unknown AGS."""
        found = self.municipality(record, ags)
        return self.group_factsheet(record, (found.ags,), None, fmt, lang)

    def factsheet(self, record: RunRecord, ags: str, fmt: str = "html", lang: str = "de") -> bytes:
        """The fact sheet of a municipality, from its prepared file when there is one."""
        return self.factsheet_path(record, ags, fmt, lang).read_bytes()

    def group_factsheet(self, record: RunRecord, ags: tuple[str, ...], title: str | None, fmt: str = "html",
                        lang: str = "de") -> bytes:
        """The fact sheet of a group of municipalities called ``title`` (one AGS: that municipality's sheet)."""
        check_lang(lang)

        def build() -> bytes:
            if fmt == "pdf":  # the PDF is the HTML page printed: built from the page when that is cached
                return html_to_pdf(self.group_factsheet(record, ags, title, "html", lang).decode("utf-8"))
            return render_factsheet(self.sheet(record, ags, title), fmt, lang)

        return self.products.get_or_build(("factsheet", record.run_id, ags, title, fmt, lang), build)

    def county_factsheet(self, record: RunRecord, fmt: str = "html", lang: str = "de") -> bytes:
        """The fact sheet of the whole region (the group of all its municipalities), titled with its name."""
        members = tuple(county_members(self.figures(record)))
        return self.group_factsheet(record, members, self.region.name, fmt, lang)

    # -- analysis rasters (Cloud-Optimized GeoTIFF, EPSG:25833)
    def county_raster_path(self, record: RunRecord, layer_id: str) -> Path:
        """The county-wide COG of raster layer ``layer_id``."""
        layer = raster_downloads.raster_layer(self.registry(record), layer_id)
        return raster_downloads.county_raster_path(self.raster_cache, layer)

    def municipality_raster_path(self, record: RunRecord, ags: str, layer_id: str) -> Path:
        """The COG of raster layer ``layer_id`` clipped to municipality ``ags``."""
        layer = raster_downloads.raster_layer(self.registry(record), layer_id)
        return raster_downloads.municipality_raster_path(self.raster_cache, layer, self.municipality(record, ags))

    def read_bbox(self, record: RunRecord, layer_id: str,
                  bbox: tuple[float, float, float, float]) -> gpd.GeoDataFrame:
        """Features of a served vector layer meeting ``bbox`` (EPSG:25833 [m]); UnknownLayerError for an id
        the run does not serve as a vector layer."""
        layer = self.registry(record).get(layer_id)
        if layer.kind != "vector":
            raise UnknownLayerError(f"layer {layer.id} is a raster layer; it has no features.")
        return self.store.read_bbox(layer.id, bbox, run_id=record.run_id)

    # -- a point
    def rules(self, record: RunRecord) -> dict[str, dict[str, RuleText]]:
        """The run's rules by rule table and id with their German and English titles, hard/soft and legal
        source (one rule id, e.g. ``forest``, can be a soft wind criterion and a hard PV exclusion)."""
        def build() -> dict[str, dict[str, RuleText]]:
            run_layers = self.store.run_layers(record.run_id)
            english = english_rule_titles(self.rules_dir) if self.rules_dir is not None else {}
            return {table: rule_texts(self.store.read(table, record.run_id).to_dict(orient="records"), english)
                    for table in RULE_TABLES if table in run_layers}

        return self.products.get_or_build(("rules", record.run_id), build)

    def point(self, record: RunRecord, lon: float, lat: float, tolerance_m: float, lang: str = "de") -> dict:
        """Every layer's value at a point [degrees] and every exclusion reason within ``tolerance_m`` [m],
        labelled in ``lang`` (de, en)."""
        return point_query(self.store, self.registry(record), record, lon, lat, tolerance_m, check_lang(lang),
                           self.rules(record))


__all__ = ["RunServices"]
