/* potenzial – the county ranking of the chosen figure in the side panel: one bar per municipality,
 * largest first, the selected one marked. A table (caption, rank, name, value), so that a screen
 * reader reads it as one; the bars are decoration beside the written values. */
import { esc, fmt, isNumber } from "./format.js";
import { colourFor, figure } from "./figures.js";
import { pick, t } from "./i18n.js";
import { state } from "./state.js";

function names() {
  const out = {};
  ((state.collection || {}).features || []).forEach(function (f) { out[f.id] = f.properties.name; });
  return out;
}

/* [{ags, name, value}] of the figure, largest first; municipalities without a value last, by name. */
export function ranking(fig) {
  const byAgs = names();
  return Object.keys(fig.values).map(function (ags) {
    return {ags: ags, name: byAgs[ags] || ags, value: fig.values[ags]};
  }).sort(function (a, b) {
    const av = isNumber(a.value), bv = isNumber(b.value);
    if (av !== bv) return av ? -1 : 1;
    return (av && b.value !== a.value ? b.value - a.value : 0) || String(a.name).localeCompare(String(b.name));
  });
}

export function rankingHtml(selected) {
  const fig = figure(state.figureId);
  if (!fig || !fig.values) return "";
  const rows = ranking(fig);
  const max = Math.max.apply(null, rows.map(function (r) { return isNumber(r.value) ? Math.abs(r.value) : 0; }));
  const parts = ['<h3 id="ranking-title">' + esc(t("ranking")) + "</h3>",
    '<div class="ranking-wrap" tabindex="0" role="region" aria-labelledby="ranking-title">',
    '<table class="ranking"><caption>' + esc(pick(fig.label)) + " [" + esc(fig.unit) + "], " +
    esc(t("ranking_caption")) + '</caption><thead><tr><th scope="col" class="num">' + esc(t("rank")) +
    '</th><th scope="col">' + esc(t("municipality")) + '</th><th scope="col" class="num">' + esc(t("value")) +
    "</th></tr></thead><tbody>"];
  rows.forEach(function (r, i) {
    const width = isNumber(r.value) && max > 0 ? Math.max(Math.abs(r.value) / max * 100, 0.5) : 0;
    const mine = r.ags === selected;
    parts.push('<tr data-ags="' + esc(r.ags) + '"' + (mine ? ' class="selected" aria-current="true"' : "") + ">" +
      '<td class="num">' + (isNumber(r.value) ? i + 1 : "–") + "</td><th scope=\"row\">" + esc(r.name) +
      '<span class="bar" aria-hidden="true" style="width:' + width.toFixed(1) + "%;background:" +
      esc(colourFor(fig, r.value)) + '"></span></th><td class="num" data-value="' +
      esc(isNumber(r.value) ? r.value : "") + '">' + esc(fmt(r.value, fig.unit)) + "</td></tr>");
  });
  parts.push("</tbody></table></div>");
  return parts.join("");
}
