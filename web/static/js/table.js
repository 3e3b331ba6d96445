/* potenzial – the choropleth as a table: every municipality with the chosen figure's value and class,
 * each name a button that opens its panel. The map's alternative for the keyboard and screen readers. */
import { esc, fmt, isNumber } from "./format.js";
import { figure } from "./figures.js";
import { pick, t } from "./i18n.js";
import { state } from "./state.js";

function classText(fig, value) {
  if (!fig.classes || !isNumber(value) || !fig.classes.colours.length) return t("no_data");
  const limits = fig.classes.limits;
  let index = 0;
  for (let i = 1; i < limits.length - 1; i++) { if (limits[i] <= value) index = i; }
  return (index + 1) + "/" + fig.classes.colours.length + " (" + fmt(limits[index]) + " – " + fmt(limits[index + 1]) + ")";
}

/* The table's markup: a collapsed block (its open state is kept by the caller). */
export function tableHtml(open) {
  const fig = figure(state.figureId);
  const features = ((state.collection || {}).features || []).slice().sort(function (a, b) {
    return String(a.properties.name).localeCompare(String(b.properties.name), "de");
  });
  if (!fig || !features.length) return "";
  const rows = features.map(function (f) {
    const value = fig.values[f.id];
    return '<tr data-ags="' + esc(f.id) + '"><th scope="row"><button type="button" class="pick" data-ags="' +
      esc(f.id) + '">' + esc(f.properties.name) + '</button></th><td class="num" data-value="' + esc(isNumber(value) ? value : "") + '">' +
      esc(fmt(value, fig.unit)) +
      '</td><td class="num">' + esc(classText(fig, value)) + "</td></tr>";
  }).join("");
  return '<details class="municipality-table"' + (open ? " open" : "") + "><summary>" + esc(t("table")) +
    '</summary><div class="table-wrap" tabindex="0" role="region" aria-label="' + esc(t("table")) + '">' +
    '<table><caption>' + esc(pick(fig.label)) + " [" + esc(fig.unit) + "]</caption><thead><tr>" +
    '<th scope="col">' + esc(t("municipality")) + '</th><th scope="col" class="num">' + esc(t("value")) +
    '</th><th scope="col" class="num">' + esc(t("class")) + "</th></tr></thead><tbody>" + rows +
    "</tbody></table></div></details>";
}

/* Wires the buttons of the table inside ``div``: a choice calls ``onSelect(ags)``. */
export function attachTable(div, onSelect) {
  div.querySelectorAll(".municipality-table button.pick").forEach(function (button) {
    button.addEventListener("click", function (e) {
      L.DomEvent.stop(e);
      onSelect(button.getAttribute("data-ags"));
    });
  });
}
