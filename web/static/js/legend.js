/* potenzial – the legend: the choropleth's classes, every overlay switched on, and every data
 * source of the catalog with provenance, attribution and licence. */
import { classLegend } from "./classes.js";
import { badge, esc, fmt, isNumber, unitText } from "./format.js";
import { figure } from "./figures.js";
import { pick, t } from "./i18n.js";
import { geometryKind, layerTitle, vectorStyle } from "./layers.js";
import { NARROW, WIDE } from "./map.js";
import { state } from "./state.js";

function rangeText(low, high, unit) {
  return fmt(low) + " – " + fmt(high) + (unit ? "\u00a0" + unit : "");
}

function rasterLegend(info) {
  const stops = (info.legend || []).filter(function (e) { return isNumber(e.value); });
  if (!stops.length) return "";
  const low = stops[0].value, high = stops[stops.length - 1].value;
  const gradient = stops.map(function (e) {
    return e.colour + " " + (high > low ? ((e.value - low) / (high - low)) * 100 : 0).toFixed(1) + "%";
  }).join(", ");
  return '<div class="ramp" style="background: linear-gradient(to right, ' + esc(gradient) + ')"></div>' +
    '<div class="ramp-labels"><span>' + esc(fmt(low)) + "</span><span>" + esc(fmt(high)) + " " +
    esc(unitText(info.units)) + "</span></div>";
}

function choroplethSection(fig, synthetic) {
  const parts = ['<section class="legend-choropleth"><h2>' + esc(pick(fig.label)) + " [" + esc(fig.unit) + "]" +
    (synthetic ? " " + badge() : "") + "</h2>" +
    (fig.stage ? '<p class="stage">' + esc(pick(fig.stage)) + "</p>" : "") + '<ul class="classes">'];
  const limits = fig.classes.limits, colours = fig.classes.colours;
  colours.forEach(function (colour, i) {
    parts.push('<li><span class="swatch" style="background:' + esc(colour) + '"></span>' +
      esc(rangeText(limits[i], limits[i + 1], fig.unit)) + "</li>");
  });
  const missing = Object.keys(fig.values).some(function (k) { return !isNumber(fig.values[k]); });
  if (missing || !colours.length) {
    parts.push('<li><span class="swatch" style="background:' + esc(fig.classes.no_data) + '"></span>' +
      esc(t("no_data")) + "</li>");
  }
  parts.push("</ul>");
  if (fig.note) parts.push('<p class="note">' + esc(pick(fig.note)) + "</p>");
  parts.push("</section>");
  return parts.join("");
}

function layerSection(o) {
  const info = o.info;
  const parts = ['<section class="legend-layer" data-layer-id="' + esc(info.id) + '"><h3>' +
    esc(layerTitle(info)) + (info.synthetic ? " " + badge() : "") + "</h3>"];
  if (info.kind === "raster") {
    parts.push(rasterLegend(info));
  } else if (info.style) {
    parts.push(classLegend(info.style, geometryKind(info)));
  } else {
    const style = vectorStyle(info);
    parts.push('<p><span class="swatch" style="background:' + esc(style.fillColor || style.color) + '"></span>' +
      esc(t(geometryKind(info))) + "</p>");
  }
  const titles = (info.sources || []).map(function (src) { return src.title; });
  if (titles.length) {
    parts.push('<p class="note layer-sources">' + esc(t("layer_sources")) + ": " + esc(titles.join("; ")) + "</p>");
  }
  if (state.map.getZoom() < o.minZoom) {
    parts.push('<p class="note">' + esc(t("from_zoom")) + " " + o.minZoom + ": " + esc(t("zoom_in")) + "</p>");
  }
  parts.push("</section>");
  return parts.join("");
}

function sourcesSection(open) {
  const n_syn = state.catalog.filter(function (e) { return e.synthetic; }).length;
  const parts = ['<details class="sources"' + (open ? " open" : "") + "><summary>" + esc(t("sources")) + " (" +
    (state.catalog.length - n_syn) + " " + esc(t("real")) + ", " + n_syn + " " + esc(t("n_synthetic")) +
    ')</summary><ul class="sources">'];
  state.catalog.slice().sort(function (a, b) { return (a.synthetic - b.synthetic); }).forEach(function (e) {
    parts.push('<li data-source="' + esc(e.id) + '"><b>' + esc(e.title) + "</b>" +
      (e.synthetic ? " " + badge() : "") +
      "<br>" + esc(e.attribution) + " <i>(" + esc(t("licence")) + ": " + esc(e.licence) + ")</i></li>");
  });
  parts.push("</ul></details>");
  return parts.join("");
}

export function renderLegend() {
  const div = state.legend;
  if (!div || !state.choropleth) return;
  const fig = figure(state.figureId);
  const synthetic = (state.config.run.synthetic_inputs || []).length > 0;
  // the reader's open/closed choice survives a re-render; the first render depends on the width
  const open = div.dataset.rendered ? (div.querySelector("details.legend-main") || {}).open
    : !window.matchMedia(NARROW).matches;
  const sourcesOpen = div.dataset.rendered ? (div.querySelector("details.sources") || {}).open
    : window.matchMedia(WIDE).matches;
  const parts = ['<details class="legend-main"' + (open ? " open" : "") + "><summary>" + esc(t("legend")) +
    "</summary>"];
  if (fig && !state.styleOverride && state.map.hasLayer(state.choropleth)) parts.push(choroplethSection(fig, synthetic));
  state.served.forEach(function (info) {
    const o = state.overlays[info.id];
    if (state.map.hasLayer(o.layer)) parts.push(layerSection(o));
  });
  parts.push("</details>");
  parts.push(sourcesSection(sourcesOpen));
  div.innerHTML = parts.join("");
  div.dataset.rendered = "1";
}
