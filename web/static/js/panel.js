/* potenzial – the side panel of one municipality (/api/municipalities/{ags}): the headline figures
 * (electricity and heat apart, with their stage and precedence rule), the four potentials, installed
 * and remaining capacity, the county ranking of the chosen figure, every figure by its title and unit
 * (result schemas), downloads and the run. */
import { countyLinks, esc, fmt, getJSON, isNumber, syntheticWarning } from "./format.js";
import { figure, figureValue, restyle } from "./figures.js";
import { pick, t } from "./i18n.js";
import { columnDescription, columnTitle, columnUnit } from "./labels.js";
import { fillMonitoringPanel, monitoringSection } from "./monitoring.js";
import { rankingHtml } from "./ranking.js";
import { api, state } from "./state.js";
import { writeLink } from "./url.js";

export function buildSide() {
  const aside = document.createElement("aside");
  aside.className = "potenzial-side";
  aside.hidden = true;
  aside.id = "potenzial-side";
  aside.setAttribute("aria-labelledby", "potenzial-side-name");
  // the panel scrolls: it takes the keyboard's focus itself
  aside.tabIndex = -1;
  document.body.appendChild(aside);
  L.DomEvent.disableClickPropagation(aside);
  L.DomEvent.disableScrollPropagation(aside);
  aside.addEventListener("keydown", function (e) { if (e.key === "Escape") closePanel(); });
  state.side = aside;
}

export function closePanel() {
  state.side.hidden = true;
  document.body.classList.remove("potenzial-side-open");
  state.selected = null;
  state.detail = null;
  restyle();
  writeLink();
  if (state.returnFocus && document.body.contains(state.returnFocus)) state.returnFocus.focus();
  state.returnFocus = null;
}

export function openPanel(ags) {
  const active = document.activeElement;
  if (active && active !== document.body && !state.side.contains(active)) state.returnFocus = active;
  state.selected = ags;
  state.focusPanel = true;
  restyle();
  writeLink();
  state.side.hidden = false;
  document.body.classList.add("potenzial-side-open");
  state.side.innerHTML = '<p class="loading">' + esc(t("loading")) + "</p>";
  state.side.dataset.ags = ags;
  getJSON(api("/api/municipalities/" + encodeURIComponent(ags))).then(function (detail) {
    if (state.selected !== ags) return;
    state.detail = detail;
    renderPanel(detail);
  }).catch(function (err) {
    state.side.innerHTML = '<button type="button" class="close">×</button><p class="error">' + esc(t("failed")) +
      ": " + esc(err.message) + "</p>";
    state.side.querySelector("button.close").addEventListener("click", closePanel);
  });
}

/* A figure of the API with its unit (the schema's in the page language, else the API's). */
function cell(column, detail) {
  const value = detail.figures[column];
  const unit = columnUnit((detail.tables || {})[column], column, detail.units[column] || "");
  const shown = typeof value === "string" ? value : fmt(value, unit);
  return '<td class="num" data-column="' + esc(column) + '" data-value="' + esc(isNumber(value) ? value : "") +
    '">' + esc(shown) + "</td>";
}

/* A figure of the page configuration (computed on the server from the API's figures). */
function derivedCell(id, ags) {
  const fig = figure(id);
  const value = figureValue(fig, ags);
  const scenario = Boolean(state.scenarioFigures && state.scenarioFigures[id]);
  return '<td class="num" data-figure="' + esc(id) + '" data-value="' + esc(isNumber(value) ? value : "") + '"' +
    (scenario ? ' data-scenario="1"' : "") + ">" + esc(fmt(value, fig ? fig.unit : "")) + "</td>";
}

/* Electricity and heat potential (never added), the ratio to the electricity use, their stage and rule. */
function headlineTable(detail) {
  const panel = state.config.panel;
  if (!(panel.headline || []).length) return "";
  const rows = ['<h3 class="headline">' + esc(t("headline")) + ' <span class="stage">(' + esc(pick(panel.stage)) +
    ')</span></h3>' + (state.scenarioFigures ? '<p class="note scenario-note">' + esc(t("in_scenario")) + "</p>" : "") +
    '<table class="headline">'];
  const notes = [];
  panel.headline.forEach(function (id) {
    const fig = figure(id);
    rows.push('<tr data-headline="' + esc(id) + '"><th>' + esc(pick(fig.label)) + "</th>" +
      derivedCell(id, detail.ags) + "</tr>");
    if (fig.note && id !== "electricity_potential") notes.push(pick(fig.note));
  });
  rows.push("</table>");
  rows.push('<p class="note precedence">' + esc(pick(panel.precedence)) + "</p>");
  notes.forEach(function (note) { rows.push('<p class="note">' + esc(note) + "</p>"); });
  return rows.join("");
}

/* Each potential's capacity and its part of the electricity headline (its own energy figure where the
 * run has no headline part, e.g. biomass primary energy). */
function potentialsTable(detail, has) {
  const panel = state.config.panel;
  const rows = ['<h3>' + esc(t("potentials")) + '</h3><table class="potentials"><tr><th></th><th class="num">' +
    esc(t("capacity")) + '</th><th class="num">' + esc(t("electricity")) + "</th></tr>"];
  panel.potentials.forEach(function (p) {
    const energy = has(p.electricity) ? p.electricity : p.energy;
    rows.push('<tr data-potential="' + esc(p.key) + '"><th>' + esc(pick(p.label)) + "</th>");
    if (!has(p.capacity) && !has(energy)) {
      rows.push('<td colspan="2" class="missing">' + esc(t("not_computed")) + "</td></tr>");
      return;
    }
    rows.push(has(p.capacity) ? cell(p.capacity.column, detail) : '<td class="num">–</td>');
    rows.push(has(energy) ? cell(energy.column, detail) : '<td class="num">–</td>');
    rows.push("</tr>");
  });
  rows.push("</table>");
  return rows.join("");
}

function installedTables(detail, has) {
  const panel = state.config.panel;
  const rows = ["<h3>" + esc(t("installed")) + '</h3><table class="installed">'];
  panel.installed.forEach(function (q) {
    if (has(q)) rows.push("<tr><th>" + esc(pick(q.label)) + "</th>" + cell(q.column, detail) + "</tr>");
  });
  rows.push("</table>");
  if (panel.remaining.length) {
    rows.push("<h3>" + esc(t("remaining")) + '</h3><table class="remaining">');
    panel.remaining.forEach(function (id) {
      const fig = figure(id);
      rows.push("<tr><th>" + esc(pick(fig.label)) + "</th>" + derivedCell(id, detail.ags) + "</tr>");
    });
    rows.push("</table>");
  }
  return rows.join("");
}

/* the energy balance: use against the realisable potential of the same kind, electricity and heat apart */
const BALANCE = [["electricity_use_mwh_el_per_a", "electricity_potential_mwh_el_per_a", "electricity_coverage_pct"],
  ["heat_demand_mwh_th_per_a", "heat_potential_mwh_th_per_a", "heat_coverage_pct", "heat_dh_suitable_share_pct"]];

/* Use, potential and coverage of each kind of energy (demand step), titled by the result schemas. */
function balanceTable(detail) {
  const rows = [];
  BALANCE.forEach(function (kind) {
    const shown = kind.filter(function (c) { return isNumber(detail.figures[c]) && columnTitle(null, c); });
    if (!shown.length) return;
    rows.push('<tbody data-kind="' + esc(kind[0].split("_")[0]) + '">');
    shown.forEach(function (c) {
      rows.push("<tr><th>" + esc(columnTitle((detail.tables || {})[c] || null, c) || columnTitle(null, c)) + "</th>" +
        cell(c, detail) + "</tr>");
    });
    rows.push("</tbody>");
  });
  if (!rows.length) return "";
  return "<h3>" + esc(t("balance")) + '</h3><table class="balance">' + rows.join("") + "</table>";
}

/* Each graded technology's quality grade by its title, with the reason (docs/METHOD.md, quality grades). */
function qualityTable(detail) {
  const graded = (state.config.panel.quality || []).filter(function (q) { return detail.figures[q.column]; });
  if (!graded.length) return "";
  const rows = ["<h3>" + esc(t("quality")) + '</h3><table class="quality">'];
  graded.forEach(function (q) {
    const code = detail.figures[q.column];
    const grade = q.grades[code];
    const reason = {de: detail.figures[q.reason.de] || "", en: detail.figures[q.reason.en] || ""};
    rows.push('<tr data-grade="' + esc(code) + '" data-technology="' + esc(q.key) + '"><th>' + esc(pick(q.label)) +
      '</th><td><b>' + esc(grade ? pick(grade) : code) + '</b><br><span class="note">' + esc(pick(reason)) +
      "</span></td></tr>");
  });
  rows.push("</table>");
  return rows.join("");
}

export function renderPanel(detail) {
  const has = function (q) { return q && Object.prototype.hasOwnProperty.call(detail.figures, q.column); };
  const rows = [];
  rows.push('<button type="button" class="close" title="' + esc(t("close")) + '" aria-label="' + esc(t("close")) +
    '">×</button>');
  rows.push('<h2 class="name" id="potenzial-side-name">' + esc(detail.name) + '</h2><p class="ags">AGS <span>' +
    esc(detail.ags) + "</span></p>");
  if ((detail.synthetic_inputs || []).length) rows.push(syntheticWarning(detail.synthetic_inputs));
  rows.push(headlineTable(detail));
  rows.push(potentialsTable(detail, has));
  rows.push(installedTables(detail, has));
  rows.push(balanceTable(detail));
  rows.push(qualityTable(detail));
  rows.push(monitoringSection(detail.ags));
  rows.push(rankingHtml(detail.ags));
  rows.push('<h3>' + esc(t("downloads")) + '</h3><p class="links"><a class="download" href="' +
    esc(detail.links.download) + '" download>' + esc(t("download")) + '</a> <a class="factsheet" href="' +
    esc(detail.links.factsheet) + '" target="_blank" rel="noopener">' + esc(t("factsheet")) + '</a> <a class="pdf" href="' +
    esc(detail.links.factsheet_pdf) + "?lang=" + state.lang + '" target="_blank" rel="noopener">' + esc(t("factsheet_pdf")) +
    '</a> <a class="monitoring" href="' + esc(detail.links.monitoring) + "&lang=" + state.lang +
    '" target="_blank" rel="noopener">' + esc(t("monitoring")) + '</a> <a class="csv" href="' +
    esc(detail.links.summary_csv) + "?lang=" + state.lang + '" download>' + esc(t("municipality_csv")) +
    '</a> <a class="xlsx" href="' + esc(detail.links.summary_xlsx) + "?lang=" + state.lang + '" download>' +
    esc(t("municipality_xlsx")) + "</a></p>" +
    '<p class="links county">' + countyLinks() + "</p>");
  rows.push(allFigures(detail));
  rows.push('<p class="meta">' + esc(t("run")) + " <code>" + esc(detail.run_id) + "</code> · " +
    esc(detail.finished_at) + "</p>");
  state.side.innerHTML = rows.join("");
  state.side.querySelector("button.close").addEventListener("click", closePanel);
  fillMonitoringPanel();
  // a newly opened panel takes the focus (the keyboard goes on from its name); a re-render keeps it
  if (state.focusPanel) state.side.focus({preventScroll: true});
  state.focusPanel = false;
}

/* Every figure whose column the result schemas give a title, with its unit and description; columns
 * without a title stay in the downloads (their raw names are never shown). */
function allFigures(detail) {
  const hidden = state.config.panel.hidden || [];
  const rows = [];
  Object.keys(detail.figures).forEach(function (column) {
    if (column === "ags" || column === "name" || hidden.indexOf(column) >= 0) return;
    const table = (detail.tables || {})[column];
    const title = columnTitle(table, column);
    if (!title) return;
    const about = columnDescription(table, column);
    rows.push("<tr><th" + (about ? ' title="' + esc(about) + '"' : "") + ">" + esc(title) + "</th>" +
      cell(column, detail) + "</tr>");
  });
  if (!rows.length) return "";
  return '<details class="all"><summary>' + esc(t("all_figures")) + '</summary><table class="all">' +
    rows.join("") + "</table></details>";
}
