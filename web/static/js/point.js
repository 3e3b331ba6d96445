/* potenzial – a click on the map while an overlay is on: every served layer's value and every
 * exclusion reason at that spot (/api/point in the page language), in a popup that keeps clear of every
 * control. Reasons by their rules' titles, attributes as the API labels them (titles, formatted values). */
import { badge, esc, fmt, getJSON, isNumber } from "./format.js";
import { t } from "./i18n.js";
import { layerTitle } from "./layers.js";
import { NARROW } from "./map.js";
import { popupRoom } from "./room.js";
import { api, state } from "./state.js";

/* attributes with a title shown per vector layer hit */
const MAX_FIELDS = 3;
/* the popup's largest content size [px]; smaller where the controls leave less room */
const MAX_WIDTH = 320, MAX_HEIGHT = 300;

export function onMapClick(e) {
  const lat = e.latlng.lat, lon = e.latlng.lng;
  state.map.closePopup();
  // on a phone the bottom sheet of an open municipality steps down while a popup is open
  const lowered = window.matchMedia(NARROW).matches && !state.side.hidden;
  document.body.classList.toggle("potenzial-sheet-low", lowered);
  const popup = L.popup(L.extend({className: "potenzial-point"}, popupRoom(MAX_WIDTH, MAX_HEIGHT)))
    .setLatLng(e.latlng).setContent('<p class="loading">' + esc(t("loading")) + "</p>").openOn(state.map);
  popup.on("remove", function () { document.body.classList.remove("potenzial-sheet-low"); });
  const show = function (html) {
    popup.setContent(html);
    // a popup taller than its room scrolls: the keyboard must reach it too
    const content = popup.getElement() && popup.getElement().querySelector(".leaflet-popup-content");
    if (content) {
      content.setAttribute("tabindex", "0");
      content.setAttribute("role", "region");
      content.setAttribute("aria-label", t("here"));
    }
  };
  const url = api("/api/point") + "?lon=" + lon.toFixed(6) + "&lat=" + lat.toFixed(6) + "&lang=" + state.lang;
  getJSON(url).then(function (result) {
    show(pointHtml(result));
  }).catch(function (err) {
    if (err.status === 404) {  // outside the region's extent
      show('<p class="outside">' + esc(t("outside_region")) + "</p>");
      return;
    }
    show('<p class="error">' + esc(t("failed")) + ": " + esc(err.message) + "</p>");
  });
}

/* Every distinct reason by its title (hard or soft beside it), in order. */
function exclusionReasons(result) {
  const reasons = [];
  (result.exclusion_reasons || []).forEach(function (r) {
    const text = r.title ? r.title + (r.kind ? " (" + r.kind + ")" : "") : "";
    if (text && reasons.indexOf(text) < 0) reasons.push(text);
  });
  return reasons;
}

function layerRow(layer, info) {
  const name = esc(layerTitle(info)) + (info.synthetic ? " " + badge() : "");
  if (layer.kind === "raster") {
    if (!isNumber(layer.value)) return "";
    return '<tr data-layer-id="' + esc(layer.id) + '" data-value="' + esc(layer.value) + '"><th>' + name +
      '</th><td class="num">' + esc(layer.text || fmt(layer.value, layer.units)) + "</td></tr>";
  }
  if (!layer.features.length) return "";
  // the API's labelled attributes of the first feature: title and formatted value, never a column name
  const items = ((layer.items && layer.items[0]) || []).filter(function (item) {
    return item.title && item.text && item.field !== "ags" && item.field !== "name";
  });
  // quantities (with a unit) first, then classes and words
  items.sort(function (a, b) { return (b.unit ? 1 : 0) - (a.unit ? 1 : 0); });
  const text = items.slice(0, MAX_FIELDS)
    .map(function (item) { return esc(item.title) + ": " + esc(item.text); }).join("<br>");
  return '<tr data-layer-id="' + esc(layer.id) + '" data-features="' + layer.features.length + '"><th>' +
    name + '</th><td class="num">' + layer.features.length + " " + esc(t("features")) +
    (text ? "<br><small>" + text + "</small>" : "") + "</td></tr>";
}

export function pointHtml(result) {
  const parts = ['<div class="point" data-lon="' + esc(result.lon) + '" data-lat="' + esc(result.lat) + '">'];
  parts.push("<h3>" + esc(t("here")) + "</h3><p class=\"coords\">" + esc(result.lat.toFixed(5)) + " N, " +
    esc(result.lon.toFixed(5)) + " E · " + esc(t("municipality")) + ": " +
    esc(result.municipality ? result.municipality.name + " (" + result.municipality.ags + ")" : t("outside")) +
    "</p>");
  const reasons = exclusionReasons(result);
  parts.push('<h4>' + esc(t("exclusions")) + '</h4><p class="reasons">' +
    (reasons.length ? reasons.map(function (r) { return '<span class="reason">' + esc(r) + "</span>"; }).join(" ") :
      esc(t("no_exclusions"))) + "</p>");
  const byId = {};
  state.served.forEach(function (info) { byId[info.id] = info; });
  const rows = (result.layers || []).filter(function (layer) { return layer.id !== "municipalities"; })
    .map(function (layer) {
      return layerRow(layer, byId[layer.id] || {id: layer.id, title: layer.title, synthetic: false});
    }).filter(Boolean);
  parts.push("<h4>" + esc(t("values")) + "</h4>" + (rows.length ? "<table>" + rows.join("") + "</table>" :
    "<p>" + esc(t("nothing_here")) + "</p>"));
  parts.push("</div>");
  return parts.join("");
}
