/* potenzial – the map page's own script (ES modules, no build step, no external requests).
 *
 * The page hands over the Leaflet map, its base layers and a configuration (figures per
 * municipality with classes, side-panel layout, display zooms): ``start(map, config, baseLayers)``.
 * Everything else comes from the API when the page starts: the layer list from /api/layers (no
 * layer list in here), the municipalities from /api/municipalities, a municipality's figures from
 * /api/municipalities/{ags}, and the values at a clicked spot from /api/point.
 *
 * A click inside a municipality opens its panel while no overlay is on, and asks for the values at the
 * spot (a popup) while one is: never both. The view is kept in the address bar (url.js) for share links.
 *
 * Modules by concern: state, i18n, format, labels (shared helpers); map (controls, attributions, view);
 * figures + choropleth; layers (overlays, layer control); legend; tool + search + table; panel +
 * ranking; point + room (where a popup fits); url (share links).
 */
import { buildAnalysis } from "./analysis.js";
import { buildChoropleth, choroplethAttributions, choroplethShown } from "./choropleth.js";
import { getJSON } from "./format.js";
import { restyle } from "./figures.js";
import { initialLang, rememberLang, t } from "./i18n.js";
import { loadSchemas } from "./labels.js";
import { buildLayerControl, buildOverlays } from "./layers.js";
import { initMonitoring, renderMonitoring } from "./monitoring.js";
import { renderLegend } from "./legend.js";
import { addAttributions, control, fitCounty, panelPadding, removeAttributions } from "./map.js";
import { buildSide, openPanel, renderPanel } from "./panel.js";
import { onMapClick } from "./point.js";
import { buildScenario, renderScenario } from "./scenario.js";
import { api, overlayOn, state } from "./state.js";
import { renderTable, renderTool as drawTool } from "./tool.js";
import { readLink, writeLink } from "./url.js";

/* A municipality chosen from the search or the table: into view, and its panel open. */
function select(ags) {
  const item = state.features[ags];
  if (item) state.map.fitBounds(item.layer.getBounds(), L.extend({maxZoom: 13}, panelPadding()));
  openPanel(ags);
}

const actions = {
  toggleLang: function () { setLang(state.lang === "de" ? "en" : "de"); },
  setFigure: function (id) { setFigure(id); },
  select: select,
};

function renderTool() { drawTool(actions); }

export function setFigure(id) {
  state.figureId = id;
  restyle();
  renderLegend();
  buildLayerControl();
  renderTable(actions);
  if (state.choropleth) {
    state.choropleth.eachLayer(function (layer) { if (layer.isTooltipOpen()) layer.closeTooltip(); });
  }
  if (state.detail) renderPanel(state.detail);  // the ranking is of the chosen figure
  writeLink();
}

export function setLang(lang) {
  const shown = choroplethShown();
  if (shown) removeAttributions(choroplethAttributions());  // still in the old language
  state.lang = lang;
  document.documentElement.lang = lang;
  rememberLang(lang);
  renderTool();
  if (state.choropleth) {
    buildLayerControl();
    renderLegend();
  }
  if (shown) addAttributions(choroplethAttributions());
  nameZoomButtons();
  renderScenario();
  renderMonitoring();
  if (state.detail) renderPanel(state.detail);
  state.map.closePopup();
  writeLink();
}

/* The zoom buttons' names in the page language (Leaflet names them in English). */
function nameZoomButtons() {
  [["a.leaflet-control-zoom-in", "zoom_in_button"], ["a.leaflet-control-zoom-out", "zoom_out_button"]]
    .forEach(function (pair) {
      const button = state.map.getContainer().querySelector(pair[0]);
      if (button) { button.title = t(pair[1]); button.setAttribute("aria-label", t(pair[1])); }
    });
}

function overlayChanged() {
  restyle();
  renderLegend();
  writeLink();
}

/* The map's click: the values at the spot while an overlay is on, else nothing here (a click inside a
 * municipality opens its panel through the choropleth, below). */
function mapClicked(e) {
  if (overlayOn()) onMapClick(e);
}

function municipalityClicked(ags) {
  if (!overlayOn()) openPanel(ags);
}

/* The municipalities' shapes are drawn for the eye: the keyboard and screen readers use the table. */
function keepShapesOutOfTabOrder() {
  const hide = function (layer) {
    const el = layer.getElement && layer.getElement();
    if (el) { el.setAttribute("tabindex", "-1"); el.setAttribute("aria-hidden", "true"); }
  };
  state.choropleth.eachLayer(function (layer) {
    hide(layer);
    layer.on("add", function () { hide(layer); });
  });
}

/* The view a share link asks for: figure first (before anything is drawn), then layers, view, panel. */
function applyLink(view) {
  // the view before the layers: a layer drawn from a zoom on would else zoom the map to it (animated)
  if (view.centre) state.map.setView(view.centre, view.zoom, {animate: false});
  (view.layers || []).forEach(function (id) {
    if (state.overlays[id]) state.overlays[id].layer.addTo(state.map);
  });
  if (view.ags && state.features[view.ags]) openPanel(view.ags);
}

/* Marks the page rendered once the browser has painted the choropleth and the legend. */
function markRendered() {
  requestAnimationFrame(function () {
    requestAnimationFrame(function () {
      performance.mark("potenzial-rendered");
      document.body.dataset.rendered = "1";
    });
  });
}

export function start(map, config, baseLayers) {
  state.map = map;
  state.config = config;
  state.baseLayers = baseLayers;
  state.lang = initialLang();
  const view = readLink(window.location.search);
  const linked = (config.figures || []).find(function (f) { return f.id === view.figure && f.selectable; });
  state.figureId = linked ? linked.id : config.default_figure;
  document.documentElement.lang = state.lang;
  map.getContainer().setAttribute("role", "region");
  map.getContainer().setAttribute("aria-label", t("map_label"));
  performance.mark("potenzial-start");

  const onMap = Object.keys(baseLayers).some(function (k) { return map.hasLayer(baseLayers[k]); });
  if (!onMap && baseLayers.none) baseLayers.none.addTo(map);
  map.fitBounds(config.bounds, {animate: false});
  L.control.zoom({position: "bottomright"}).addTo(map);
  nameZoomButtons();
  L.control.scale({imperial: false, position: "bottomright"}).addTo(map);
  state.tool = control("topleft", "potenzial-tool");
  state.legend = control("bottomleft", "potenzial-legend");
  buildSide();
  renderTool();
  map.on("click", mapClicked);
  map.on("zoomend", function () { renderLegend(); });
  map.on("moveend", writeLink);

  const schemas = loadSchemas().catch(function (err) {
    console.error("potenzial: the result schemas could not be loaded:", err);
    return {};
  });
  Promise.all([getJSON(api("/api/layers")), getJSON(api("/api/municipalities")), schemas]).then(function (answers) {
    state.catalog = answers[0].layers || [];
    state.served = answers[0].served || [];
    buildOverlays(overlayChanged);
    buildChoropleth(answers[1], municipalityClicked);
    keepShapesOutOfTabOrder();
    buildLayerControl();
    buildAnalysis();
    renderLegend();
    renderTool();
    fitCounty();
    applyLink(view);
    initMonitoring();
    state.linkReady = true;
    writeLink();
    markRendered();
    buildScenario();
  }).catch(function (err) {
    state.error = err.message;
    renderTool();
    console.error("potenzial: the map could not load its data:", err);
  });
}

/* For the browser tests and the console. */
window.potenzial = {
  start: start,
  get map() { return state.map; },
  get state() { return state; },
  setFigure: function (id) { setFigure(id); renderTool(); },
  setLang: setLang,
  openPanel: openPanel,
  select: select,
};
