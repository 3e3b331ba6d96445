/* potenzial – the tool panel: title, run, language switch, search, the figure selector, the
 * municipalities as a table and the county's downloads. */
import { countyLinks, esc, syntheticWarning } from "./format.js";
import { selectableFigures } from "./figures.js";
import { pick, t } from "./i18n.js";
import { attachSearch } from "./search.js";
import { state } from "./state.js";
import { attachTable, tableHtml } from "./table.js";

/* Draws the tool panel again. ``actions``: ``toggleLang()``, ``setFigure(id)``, ``select(ags)``. */
export function renderTool(actions) {
  const div = state.tool;
  const tableOpen = Boolean(div.querySelector("details.municipality-table[open]"));
  const run = state.config.run;
  const synthetic = run.synthetic_inputs || [];
  const options = selectableFigures().map(function (f) {
    return '<option value="' + esc(f.id) + '"' + (f.id === state.figureId ? " selected" : "") + ">" +
      esc(pick(f.label)) + " [" + esc(f.unit) + "]</option>";
  }).join("");
  div.innerHTML =
    '<div class="head"><h1>' + esc(document.title) + "</h1>" +
    '<button type="button" class="lang" title="' + esc(t("switch_title")) + '" lang="' +
    (state.lang === "de" ? "en" : "de") + '">' + esc(t("switch_to")) +
    "</button></div>" +
    '<p class="run">' + esc(t("run")) + " <code>" + esc(run.run_id) + "</code> · " + esc(run.finished_at) + "</p>" +
    (synthetic.length ? syntheticWarning(synthetic) : "") +
    '<label class="field"><span>' + esc(t("search")) + '</span><input type="search" class="search" ' +
    'autocomplete="off" placeholder="' + esc(t("search_placeholder")) + '" aria-label="' + esc(t("search")) +
    '"></label><ul class="hits" aria-live="polite"></ul>' +
    '<label class="field"><span>' + esc(t("colour_by")) + '</span><select class="figure">' + options +
    "</select></label>" +
    '<p class="hint">' + esc(t("click_hint")) + "</p>" +
    '<div class="table-slot">' + tableHtml(tableOpen) + "</div>" +
    (state.collection ? '<details class="county"><summary>' + esc(t("county_downloads")) + '</summary><p class="links">' +
      countyLinks() + "</p></details>" : "") +
    (state.error ? '<p class="error">' + esc(t("failed")) + ": " + esc(state.error) + "</p>" : "");
  div.querySelector("button.lang").addEventListener("click", actions.toggleLang);
  div.querySelector("select.figure").addEventListener("change", function (e) { actions.setFigure(e.target.value); });
  attachSearch(div, actions.select);
  attachTable(div, actions.select);
}

/* Draws the table again (a new figure or language), keeping it open or closed. */
export function renderTable(actions) {
  const slot = state.tool.querySelector(".table-slot");
  if (!slot) return;
  const open = Boolean(slot.querySelector("details.municipality-table[open]"));
  slot.innerHTML = tableHtml(open);
  attachTable(slot, actions.select);
}
