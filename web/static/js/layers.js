/* potenzial – every layer the run serves (/api/layers "served"), as raster or vector tiles, and
 * the layer control. Titles, units and styles are the API's; nothing here names a layer. */
import { REGION, addRegionBase, baseWord, relabelBase } from "./basemap.js";
import { classStyle } from "./classes.js";
import { badge, esc, unitText } from "./format.js";
import { figure } from "./figures.js";
import { pick, t } from "./i18n.js";
import { WIDE } from "./map.js";
import { state } from "./state.js";

/* The layer's title in the page language when the API gives one per language, else its title. */
export function layerTitle(info) { return pick(info.titles) || info.title || info.id; }

export function geometryKind(info) {
  const kind = String(info.geometry_type || "").toUpperCase();
  return kind.indexOf("POINT") >= 0 ? "points" : kind.indexOf("LINE") >= 0 ? "lines" : "areas";
}

export function vectorStyle(info) {
  const colour = info.colour || "#666666";
  const kind = geometryKind(info);
  if (kind === "points") {
    return {radius: 4, fill: true, fillColor: colour, fillOpacity: 0.9, color: "#333333", weight: 1};
  }
  if (kind === "lines") return {color: colour, weight: 2, opacity: 0.9};
  return {fill: true, fillColor: colour, fillOpacity: 0.5, color: colour, weight: 0.6, opacity: 0.9};
}

/* One Leaflet layer per served layer, drawn from its display zoom on; ``onChange`` runs when one
 * is switched on or off. */
export function buildOverlays(onChange) {
  state.onOverlayChange = onChange;
  addRegionBase(function (info) {
    // the catalog's installed plants are overlays like the run's layers
    (info.installed_plants || []).forEach(function (plant) {
      state.served.push(plant);
      addOverlay(plant);
    });
    if (state.layerControl) buildLayerControl();
  });
  state.map.createPane("potenzial-overlays");
  const pane = state.map.getPane("potenzial-overlays");
  pane.style.zIndex = 450;
  pane.style.pointerEvents = "none";
  state.served.forEach(addOverlay);
}

/* The Leaflet layer of one served layer, drawn from its display zoom on. */
function addOverlay(info) {
  const b = info.bounds;
  const bounds = L.latLngBounds([[b[1], b[0]], [b[3], b[2]]]);
  const displayMin = Math.max(info.minzoom, state.config.display_minzoom[info.id] || 0);
  let layer;
  if (info.kind === "raster") {
    layer = L.tileLayer(info.tiles[0], {
      pane: "potenzial-overlays", opacity: 0.75, minZoom: displayMin, maxNativeZoom: info.maxzoom,
      maxZoom: 22, bounds: bounds, className: "potenzial-raster",
    });
  } else {
    const styles = {};
    const kind = geometryKind(info);
    styles[info.id] = info.style ? function (props) { return classStyle(info.style, props, kind); }
      : vectorStyle(info);
    layer = L.vectorGrid.protobuf(info.tiles[0], {
      pane: "potenzial-overlays", rendererFactory: L.canvas.tile, vectorTileLayerStyles: styles,
      interactive: false, minZoom: displayMin, maxNativeZoom: info.maxzoom, maxZoom: 22, bounds: bounds,
    });
  }
  // a layer's sources are named in its legend entry and listed in full under "Datenquellen"
  layer.on("add", state.onOverlayChange);
  layer.on("remove", state.onOverlayChange);
  state.overlays[info.id] = {layer: layer, info: info, minZoom: displayMin};
}

function overlayLabel(info, minZoom) {
  let html = '<span class="potenzial-layer" data-layer-id="' + esc(info.id) + '">' + esc(layerTitle(info));
  if (unitText(info.units) && info.kind === "raster") html += " <small>[" + esc(unitText(info.units)) + "]</small>";
  if (info.synthetic) html += " " + badge();
  if (minZoom > state.map.getMinZoom() && minZoom > 0) {
    html += ' <small class="minzoom">(' + esc(t("from_zoom")) + " " + minZoom + ")</small>";
  }
  return html + "</span>";
}

/* The layer control (again, in the current language and with the current figure). */
export function buildLayerControl() {
  if (state.layerControl) state.layerControl.remove();
  relabelBase();
  const bases = {};
  Object.keys(state.baseLayers).forEach(function (key) {
    const name = key === "none" ? t("no_basemap") : key === REGION ? baseWord("region") : key;
    bases['<span class="potenzial-base" data-base="' + esc(key) + '">' + esc(name) + "</span>"] =
      state.baseLayers[key];
  });
  const overlays = {};
  const synthetic = (state.config.run.synthetic_inputs || []).length > 0;
  overlays['<span class="potenzial-layer" data-layer-id="choropleth">' + esc(t("municipalities")) + ": " +
    esc(pick((figure(state.figureId) || {}).label)) + (synthetic ? " " + badge() : "") + "</span>"] =
    state.choropleth;
  if (state.namesLayer) {
    overlays['<span class="potenzial-layer" data-layer-id="names">' + esc(baseWord("names")) + "</span>"] =
      state.namesLayer;
  }
  state.served.forEach(function (info) {
    const o = state.overlays[info.id];
    overlays[overlayLabel(info, o.minZoom)] = o.layer;
  });
  state.layerControl = L.control.layers(bases, overlays, {
    position: "topright", collapsed: !window.matchMedia(WIDE).matches, sortLayers: false,
  }).addTo(state.map);
  const container = state.layerControl.getContainer();
  container.classList.add("potenzial-layers");
  // first in its corner (the rightmost), built again or not: the analysis control stays beside it
  container.parentNode.insertBefore(container, container.parentNode.firstChild);
  L.DomEvent.disableScrollPropagation(container);
}
