/* potenzial – the what-if map's eligible-land layer: tiles of packed cells (/api/scenarios/cells.json,
 * potenzial/scenarios/cells.py) that this module thresholds on a canvas for the slider's setback and the
 * scenario's criteria, so that the land follows every slider move without a request.
 * A pixel holds value = red·256 + green (alpha 0: land no scenario opens); it is eligible when
 * value >> distance_shift > setback and value & mask(criteria on) == 0. */
import { getJSON } from "./format.js";
import { api, state } from "./state.js";

/* Okabe-Ito blue, two thirds opaque: eligible land over any base map */
const COLOUR = [0, 114, 178, 170];
const SIZE = 256;

/* Paints one tile for the view {setback, mask}; its count of eligible pixels goes to data-eligible. */
function paint(tile, encoding, view) {
  const cells = tile._cells;
  const g = tile.getContext("2d");
  g.clearRect(0, 0, SIZE, SIZE);
  tile.dataset.setback = String(view.setback);
  if (!cells) { tile.dataset.eligible = "0"; return; }
  const image = g.createImageData(SIZE, SIZE);
  const out = image.data;
  const shift = encoding.distance_shift;
  let count = 0;
  for (let i = 0; i < cells.length; i += 4) {
    if (cells[i + 3] === 0) continue;
    const value = cells[i] * 256 + cells[i + 1];
    if ((value >> shift) > view.setback && (value & view.mask) === 0) {
      out[i] = COLOUR[0]; out[i + 1] = COLOUR[1]; out[i + 2] = COLOUR[2]; out[i + 3] = COLOUR[3];
      count += 1;
    }
  }
  g.putImageData(image, 0, 0);
  tile.dataset.eligible = String(count);
}

/* The packed cells of one tile as RGBA bytes, read without colour conversion or premultiplied alpha;
 * null where the server has none (204). */
function cellsOf(url) {
  return fetch(url).then(function (response) {
    if (response.status === 204) return null;
    if (!response.ok) throw new Error("HTTP " + response.status);
    return response.blob();
  }).then(function (blob) {
    if (!blob) return null;
    return createImageBitmap(blob, {premultiplyAlpha: "none", colorSpaceConversion: "none"}).then(function (bitmap) {
      const canvas = document.createElement("canvas");
      canvas.width = canvas.height = SIZE;
      const g = canvas.getContext("2d", {willReadFrequently: true});
      g.drawImage(bitmap, 0, 0);
      return g.getImageData(0, 0, SIZE, SIZE).data;
    });
  });
}

function mask(encoding, on) {
  let value = 0;
  encoding.criteria.forEach(function (name, i) { if (on.indexOf(name) >= 0) value |= 1 << i; });
  return value;
}

/* The layer for the TileJSON ``info``; ``view()`` gives the current {setback, on}. */
function cellsLayer(info, view) {
  const Layer = L.GridLayer.extend({
    createTile: function (coords, done) {
      const tile = document.createElement("canvas");
      tile.width = tile.height = SIZE;
      tile.className = "potenzial-eligible-tile";
      tile.dataset.z = coords.z; tile.dataset.x = coords.x; tile.dataset.y = coords.y;
      const url = info.tiles[0].replace("{z}", coords.z).replace("{x}", coords.x).replace("{y}", coords.y);
      cellsOf(url).then(function (cells) {
        tile._cells = cells;
        const v = view();
        paint(tile, info.encoding, {setback: v.setback, mask: mask(info.encoding, v.on)});
        tile.dataset.loaded = "1";
        done(null, tile);
      }).catch(function (err) { tile.dataset.loaded = "1"; done(err, tile); });
      return tile;
    },
  });
  const b = info.bounds;
  return new Layer({minZoom: info.minzoom, maxNativeZoom: info.maxzoom, maxZoom: 22, className: "potenzial-eligible",
    bounds: L.latLngBounds([b[1], b[0]], [b[3], b[2]]), pane: pane()});
}

/* A pane above the municipalities' colours (overlay pane 400) and below labels and markers (600), that
 * lets clicks through to the map. */
function pane() {
  const name = "potenzialEligible";
  if (!state.map.getPane(name)) {
    const p = state.map.createPane(name);
    p.style.zIndex = "450";
    p.style.pointerEvents = "none";
  }
  return name;
}

/* The eligible-land layer of the current run, or null when the run has none (no request for tiles then). */
export function buildEligible(view) {
  return getJSON(api("/api/scenarios/cells.json")).then(function (info) {
    const layer = cellsLayer(info, view);
    state.eligible = {info: info, layer: layer, view: view};
    return state.eligible;
  }).catch(function (err) { console.warn("potenzial: no eligible-land layer for this run:", err.message); return null; });
}

/* Shows or hides the layer (with the what-if section). */
export function showEligible(on) {
  const e = state.eligible;
  if (!e || !state.map) return;
  if (on && !state.map.hasLayer(e.layer)) e.layer.addTo(state.map);
  if (!on && state.map.hasLayer(e.layer)) state.map.removeLayer(e.layer);
}

/* Paints every loaded tile again for the current view (a slider move): no request. */
export function repaintEligible() {
  const e = state.eligible;
  if (!e || !state.map || !state.map.hasLayer(e.layer)) return;
  const v = e.view();
  const view = {setback: v.setback, mask: mask(e.info.encoding, v.on)};
  Object.keys(e.layer._tiles).forEach(function (key) {
    const tile = e.layer._tiles[key].el;
    if (tile._cells !== undefined) paint(tile, e.info.encoding, view);
  });
}
