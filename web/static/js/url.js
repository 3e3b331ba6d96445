/* potenzial – the view in the address bar, for share links: municipality (m), figure (f), layers (l),
 * zoom (z), centre (c: lat,lon), language (lang). A link with them reopens the same view. */
import { state } from "./state.js";

const DIGITS = 5;

/* The view a link asks for; unknown or malformed parts are left out (the page's defaults apply). */
export function readLink(search) {
  const q = new URLSearchParams(search);
  const view = {};
  const ags = q.get("m");
  if (ags && /^\d{8}$/.test(ags)) view.ags = ags;
  const fig = q.get("f");
  if (fig && /^[a-z0-9_]+$/.test(fig)) view.figure = fig;
  const layers = q.get("l");
  if (layers) view.layers = layers.split(",").filter(function (id) { return /^[a-z0-9_]+$/.test(id); });
  const zoom = Number(q.get("z"));
  const centre = (q.get("c") || "").split(",").map(Number);
  if (q.get("z") && isFinite(zoom) && centre.length === 2 && centre.every(isFinite) &&
      Math.abs(centre[0]) <= 90 && Math.abs(centre[1]) <= 180) {
    view.zoom = zoom;
    view.centre = centre;
  }
  return view;
}

/* The query string of the view now. */
export function linkQuery() {
  const q = new URLSearchParams();
  if (state.selected) q.set("m", state.selected);
  if (state.figureId) q.set("f", state.figureId);
  const on = Object.keys(state.overlays).filter(function (id) { return state.map.hasLayer(state.overlays[id].layer); });
  if (on.length) q.set("l", on.join(","));
  const centre = state.map.getCenter();
  q.set("z", String(Math.round(state.map.getZoom() * 100) / 100));
  q.set("c", centre.lat.toFixed(DIGITS) + "," + centre.lng.toFixed(DIGITS));
  q.set("lang", state.lang);
  // commas and the separators stay readable in a shared link
  return "?" + q.toString().replace(/%2C/g, ",");
}

/* Writes the view into the address bar (no new history entry per pan or click). */
export function writeLink() {
  if (!state.linkReady) return;
  const query = linkQuery();
  if (query !== window.location.search) {
    window.history.replaceState(null, "", window.location.pathname + query + window.location.hash);
  }
}
