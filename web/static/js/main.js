/* potenzial – the map page's own script (ES modules, no build step, no external requests).
 *
 * The page hands over the Leaflet map, its base layers and a configuration (figures per
 * municipality with classes, side-panel layout, display zooms): ``start(map, config, baseLayers)``.
 * Everything else comes from the API when the page starts: the layer list from /api/layers (no
 * layer list in here), the municipalities from /api/municipalities, a municipality's figures from
 * /api/municipalities/{ags}, and the values at a clicked spot from /api/point.
 *
 * Modules by concern: state, i18n, format (shared helpers); map (controls, attributions, view);
 * figures + choropleth; layers (overlays, layer control); legend; tool + search; panel; point.
 */
import { buildChoropleth, choroplethAttributions, choroplethShown } from "./choropleth.js";
import { getJSON } from "./format.js";
import { restyle } from "./figures.js";
import { initialLang, rememberLang } from "./i18n.js";
import { buildLayerControl, buildOverlays } from "./layers.js";
import { renderLegend } from "./legend.js";
import { addAttributions, control, fitCounty, removeAttributions } from "./map.js";
import { buildSide, openPanel, renderPanel } from "./panel.js";
import { onMapClick } from "./point.js";
import { api, state } from "./state.js";
import { renderTool as drawTool } from "./tool.js";

const actions = {
  toggleLang: function () { setLang(state.lang === "de" ? "en" : "de"); },
  setFigure: function (id) { setFigure(id); },
  select: function (ags) { openPanel(ags); },
};

function renderTool() { drawTool(actions); }

export function setFigure(id) {
  state.figureId = id;
  restyle();
  renderLegend();
  buildLayerControl();
  if (state.choropleth) {
    state.choropleth.eachLayer(function (layer) { if (layer.isTooltipOpen()) layer.closeTooltip(); });
  }
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
  if (state.detail) renderPanel(state.detail);
  state.map.closePopup();
}

function overlayChanged() {
  restyle();
  renderLegend();
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
  state.figureId = config.default_figure;
  document.documentElement.lang = state.lang;
  performance.mark("potenzial-start");

  const onMap = Object.keys(baseLayers).some(function (k) { return map.hasLayer(baseLayers[k]); });
  if (!onMap && baseLayers.none) baseLayers.none.addTo(map);
  map.fitBounds(config.bounds, {animate: false});
  L.control.zoom({position: "bottomright"}).addTo(map);
  L.control.scale({imperial: false, position: "bottomright"}).addTo(map);
  state.tool = control("topleft", "potenzial-tool");
  state.legend = control("bottomleft", "potenzial-legend");
  buildSide();
  renderTool();
  map.on("click", onMapClick);
  map.on("zoomend", function () { renderLegend(); });

  Promise.all([getJSON(api("/api/layers")), getJSON(api("/api/municipalities"))]).then(function (answers) {
    state.catalog = answers[0].layers || [];
    state.served = answers[0].served || [];
    buildOverlays(overlayChanged);
    buildChoropleth(answers[1], openPanel);
    buildLayerControl();
    renderLegend();
    renderTool();
    fitCounty();
    markRendered();
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
};
