/* potenzial – the what-if section's sensitivity: a tornado chart per headline figure (GET
 * /api/scenarios/sensitivity, one parameter at a time over its range on the fast path), for the county or,
 * while its panel is open, the selected municipality. Bars run from the run's value (the centre line) to
 * the figure with the parameter at the low end (blue) and at the high end (orange) of its range. */
import { esc, fmt, getJSON } from "./format.js";
import { pick } from "./i18n.js";
import { columnTitle, columnUnit } from "./labels.js";
import { api, state } from "./state.js";

const WORDS = {
  de: {heading: "Empfindlichkeit: was bewegt die Kennzahlen am meisten?", county: "Landkreis", low: "unteres Ende",
    high: "oberes Ende", off: "aus", on: "an", base: "im Lauf", loading: "wird berechnet …",
    note: "Jeder Parameter einzeln über seinen Bereich, alle anderen wie im Lauf (schneller Pfad)."},
  en: {heading: "Sensitivity: what moves the figures most?", county: "county", low: "low end", high: "high end",
    off: "off", on: "on", base: "in the run", loading: "computing …",
    note: "Each parameter on its own over its range, all others as in the run (fast path)."},
};

function w(key) { return WORDS[state.lang === "en" ? "en" : "de"][key]; }

/* The area the tornado is for: the municipality whose panel is open, else the county (null). */
function area() {
  return state.selected && state.side && !state.side.hidden ? state.selected : null;
}

function endText(bar, end) {
  if (bar.kind === "switch") return w(end === "low" ? "off" : "on");
  if (bar.kind === "choice") return pick(bar.options[end === "low" ? 0 : 1].title);
  return fmt(bar[end], bar.unit);
}

function figureHtml(f) {
  const unit = columnUnit(f.table, f.figure, f.unit);
  const rows = f.bars.map(function (b) {
    return "<li data-parameter=\"" + esc(b.parameter) + "\" data-at-low=\"" + (b.at_low === null ? "" : b.at_low) +
      "\" data-at-high=\"" + (b.at_high === null ? "" : b.at_high) + "\"><span class=\"label\">" +
      esc(pick(b.title)) + "</span><span class=\"track\"><span class=\"bar low\"></span><span class=\"bar high\">" +
      "</span></span><span class=\"ends\">" + esc(endText(b, "low")) + ": " + esc(fmt(b.at_low, unit)) + " · " +
      esc(endText(b, "high")) + ": " + esc(fmt(b.at_high, unit)) + "</span></li>";
  }).join("");
  return "<div class=\"tornado\" data-figure=\"" + esc(f.figure) + "\"><h4>" + esc(columnTitle(f.table, f.figure) ||
    f.figure) + " <small>(" + esc(w("base")) + ": " + esc(fmt(f.base, unit)) + ")</small></h4><ul>" + rows +
    "</ul></div>";
}

/* Bar positions (CSSOM, not style attributes): each end's distance from the run's value, to one scale. */
function place(div, data) {
  data.figures.forEach(function (f) {
    const box = div.querySelector(".tornado[data-figure=\"" + f.figure + "\"]");
    if (!box) return;
    let scale = 0;
    f.bars.forEach(function (b) {
      [b.at_low, b.at_high].forEach(function (v) { if (v !== null) scale = Math.max(scale, Math.abs(v - f.base)); });
    });
    f.bars.forEach(function (b) {
      const li = box.querySelector("li[data-parameter=\"" + b.parameter + "\"]");
      [["low", b.at_low], ["high", b.at_high]].forEach(function (end) {
        const bar = li.querySelector(".bar." + end[0]);
        const d = end[1] === null || scale === 0 ? 0 : (end[1] - f.base) / scale * 50;
        bar.style.left = (d < 0 ? 50 + d : 50) + "%";
        bar.style.width = Math.abs(d) + "%";
      });
    });
  });
}

/* The section's HTML (its open state and the last answer kept across the what-if panel's re-renders). */
export function tornadoHtml() {
  const s = state.scenario;
  const t = s.tornado || {};
  const data = t.data;
  const title = data ? (data.name || w("county")) : "";
  return "<details class=\"scenario-sensitivity\"" + (t.open ? " open" : "") + "><summary>" + esc(w("heading")) +
    "</summary><p class=\"note\">" + esc(w("note")) + " <span class=\"legend-low\"></span> " + esc(w("low")) +
    " <span class=\"legend-high\"></span> " + esc(w("high")) + "</p>" +
    (data ? "<p class=\"tornado-area\" data-ags=\"" + esc(data.ags || "") + "\">" + esc(title) + "</p>" +
      data.figures.map(figureHtml).join("") : "<p class=\"note\">" + esc(t.open ? w("loading") : "") + "</p>") +
    "</details>";
}

/* Loads the tornado when the section opens (again when the area changed) and draws the bars. */
export function attachTornado(div, rerender) {
  const s = state.scenario;
  s.tornado = s.tornado || {open: false, data: null};
  const details = div.querySelector("details.scenario-sensitivity");
  if (!details) return;
  if (s.tornado.data) place(div, s.tornado.data);
  details.addEventListener("toggle", function () {
    s.tornado.open = details.open;
    const want = area();
    if (!details.open || (s.tornado.data && s.tornado.data.ags === want)) return;
    getJSON(api("/api/scenarios/sensitivity" + (want ? "?ags=" + encodeURIComponent(want) : ""))).then(function (data) {
      s.tornado.data = data;
      rerender();
    }).catch(function (err) { s.error = err.message; rerender(); });
  });
}
