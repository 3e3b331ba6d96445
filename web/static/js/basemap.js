/* potenzial – the offline base map (vector tiles the app draws from the region's own layers,
 * /basemap/{z}/{x}/{y}.pbf, described by /api/basemap) and the municipalities' name labels.
 * Nothing here leaves the app: the default page works without a network. */
import { esc } from "./format.js";
import { pick } from "./i18n.js";
import { state } from "./state.js";

export const REGION = "region";
const WORDS = {
  de: {region: "Grundkarte aus den Gebietsdaten (offline)", names: "Gemeindenamen"},
  en: {region: "Base map from the region's data (offline)", names: "Municipality names"},
};
/* below this zoom no name is shown (the county is a few hundred pixels wide) */
const LABEL_MIN_ZOOM = 8;
/* room kept free around a name [px] */
const LABEL_GAP_PX = 4;

export function baseWord(key) { return (WORDS[state.lang] || WORDS.de)[key]; }

const ROAD_STYLE = {
  motorway: {color: "#c98f5e", weight: 2.4, opacity: 0.9},
  federal_road: {color: "#d8b98f", weight: 1.5, opacity: 0.9},
};

/* How each base-map layer is drawn: light, so that the overlays stay readable. */
export const BASE_STYLES = {
  forest: {fill: true, fillColor: "#d9e8d2", fillOpacity: 1, stroke: false},
  water: {fill: true, fillColor: "#b8d4ee", fillOpacity: 1, color: "#93b7dc", weight: 0.5},
  settlement: {fill: true, fillColor: "#e4dfd8", fillOpacity: 1, color: "#cfc8bf", weight: 0.4},
  railways: {color: "#7d7d7d", weight: 1.2, opacity: 0.9, dashArray: "5 3"},
  roads: function (props) { return ROAD_STYLE[props.kind] || {color: "#d9cbb8", weight: 1, opacity: 0.9}; },
  municipalities: {fill: false, color: "#8a8a8a", weight: 0.9, opacity: 0.9, dashArray: "3 3"},
  county: {fill: false, color: "#4d4d4d", weight: 2, opacity: 0.9},
};

function baseLayer(info) {
  return L.vectorGrid.protobuf(info.tiles[0], {
    rendererFactory: L.canvas.tile, vectorTileLayerStyles: BASE_STYLES, interactive: false,
    maxNativeZoom: info.maxzoom, maxZoom: 22, attribution: esc(pick(info.attribution)),
    className: "potenzial-basemap",
  });
}

/* ---------------------------------------------------------------- name labels */

function labelLayer(labels) {
  state.map.createPane("potenzial-names");
  const pane = state.map.getPane("potenzial-names");
  pane.style.zIndex = 460;
  pane.style.pointerEvents = "none";
  const group = L.layerGroup();
  state.nameLabels = labels.map(function (label) {
    const marker = L.marker([label.lat, label.lon], {
      pane: "potenzial-names", interactive: false, keyboard: false,
      icon: L.divIcon({className: "potenzial-name", html: "<span>" + esc(label.name) + "</span>", iconSize: null}),
    });
    marker.addTo(group);
    return {label: label, marker: marker};
  });
  group.on("add", function () { setTimeout(declutter, 0); });
  return group;
}

/* Shows the names, largest municipality first, leaving out every name that would touch one
 * already shown, and none below LABEL_MIN_ZOOM. */
export function declutter() {
  if (!state.nameLabels || !state.map.hasLayer(state.namesLayer)) return;
  const low = state.map.getZoom() < LABEL_MIN_ZOOM;
  const kept = [];
  state.nameLabels.forEach(function (entry) {
    const el = entry.marker.getElement();
    if (!el) return;
    el.setAttribute("aria-hidden", "true");
    el.dataset.ags = entry.label.ags;
    if (low) { el.hidden = true; return; }
    el.hidden = false;
    const p = state.map.latLngToContainerPoint(entry.marker.getLatLng());
    const text = el.firstChild || el;
    const w = text.offsetWidth, h = text.offsetHeight;
    // the icon is centred on its point (map.css)
    const box = {x0: p.x - w / 2 - LABEL_GAP_PX, y0: p.y - h / 2 - LABEL_GAP_PX,
      x1: p.x + w / 2 + LABEL_GAP_PX, y1: p.y + h / 2 + LABEL_GAP_PX};
    const hit = kept.some(function (k) { return box.x0 < k.x1 && k.x0 < box.x1 && box.y0 < k.y1 && k.y0 < box.y1; });
    el.hidden = hit;
    if (!hit) kept.push(box);
  });
}

/* ---------------------------------------------------------------- wiring */

/* Adds the region's base map as the first base layer (shown when the page's default is "region")
 * and the name labels as an overlay; ``onReady(info)`` runs once both are in state, with /api/basemap's answer. */
export function addRegionBase(onReady) {
  const cfg = state.config.base_map;
  if (!cfg || !cfg.region) return;
  fetch(cfg.region.info, {headers: {Accept: "application/json"}}).then(function (response) {
    if (!response.ok) throw new Error("HTTP " + response.status);
    return response.json();
  }).then(function (info) {
    state.baseInfo = info;
    const layer = baseLayer(info);
    const bases = {};
    bases[REGION] = layer;
    Object.keys(state.baseLayers).forEach(function (k) { bases[k] = state.baseLayers[k]; });
    state.baseLayers = bases;
    if (cfg["default"] === REGION) {
      Object.keys(bases).forEach(function (k) {
        if (k !== REGION && state.map.hasLayer(bases[k])) state.map.removeLayer(bases[k]);
      });
      layer.addTo(state.map);
    }
    state.namesLayer = labelLayer(info.labels || []);
    state.namesLayer.addTo(state.map);
    state.map.on("zoomend moveend", declutter);
    if (onReady) onReady(info);
  }).catch(function (err) {
    // without its base map the page still works (no base, as with POTENZIAL_MAP_TILES=none)
    console.warn("potenzial: the base map is not available:", err.message);
  });
}

/* The base map's attribution in the current language (after a language switch). */
export function relabelBase() {
  const layer = state.baseLayers && state.baseLayers[REGION];
  if (!layer || !state.baseInfo) return;
  const text = esc(pick(state.baseInfo.attribution));
  if (layer.options.attribution === text) return;
  const shown = state.map.hasLayer(layer);
  if (shown) state.map.attributionControl.removeAttribution(layer.options.attribution);
  layer.options.attribution = text;
  if (shown) state.map.attributionControl.addAttribution(text);
}
