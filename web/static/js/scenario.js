/* potenzial – the what-if panel: a residential-setback slider whose county figures are the API's answer
 * (POST /api/scenarios/evaluate, the fast path), and two sliders for the shares of heat pumps and electric
 * cars at the run's horizon that move the electricity use and its coverage. Titles and units come from the
 * result schemas; the sliders' ranges and the run's values from /api/scenarios/parameters. */
import { badge, esc, fmt, getJSON } from "./format.js";
import { pick, t } from "./i18n.js";
import { columnTitle, columnUnit } from "./labels.js";
import { analysisSection } from "./analysis.js";
import { buildEligible, repaintEligible, showEligible } from "./eligible.js";
import { restyle } from "./figures.js";
import { renderPanel } from "./panel.js";
import { attachTornado, tornadoHtml } from "./tornado.js";
import { api, state } from "./state.js";

/* the county figures the panel shows: wind first, then the two headlines (electricity, heat: never added) */
const FIGURES = [["scenario_municipalities", "wind_area_ha"], ["scenario_municipalities", "wind_turbines_estimated"],
  ["scenario_municipalities", "wind_yield_gwh_per_a"], ["headline", "electricity_potential_gwh_per_a"],
  ["headline", "heat_potential_gwh_per_a"],
  ["scenario_municipalities", "heat_pump_electricity_mwh_el_per_a"],
  ["scenario_municipalities", "ev_electricity_mwh_el_per_a"],
  ["scenario_municipalities", "electricity_use_with_add_ons_mwh_el_per_a"],
  ["scenario_municipalities", "electricity_coverage_with_add_ons_pct"]];
/* the add-on shares a scenario may set (rows of /api/scenarios/parameters; absent on a run without them) */
const SHARES = ["heat_pump_share_pct", "ev_share_pct"];
const WAIT_MS = 120;
const HEADING = {de: "Was wäre, wenn … (Landkreis)", en: "What if … (county)"};  // a slider move waits this long for the next before asking
const WORDS = {
  de: {name: "Name des Szenarios", save: "Speichern", saved: "Gespeicherte Szenarien", none: "Noch keines gespeichert.",
    gone: "Basislauf nicht mehr vorhanden", compare: "Vergleichen", pick: "Zwei bis sechs zum Vergleich wählen.",
    figure: "Kennzahl", difference: "Differenz zum ersten", export: "Excel", criteria: "Ausschlusskriterien",
    land: "Windenergie: geeignete Fläche im Szenario (auf der Karte)"},
  en: {name: "Scenario name", save: "Save", saved: "Saved scenarios", none: "None saved yet.",
    gone: "base run no longer kept", compare: "Compare", pick: "Choose two to six to compare.",
    figure: "Figure", difference: "difference to the first", export: "Excel", criteria: "Exclusion criteria",
    land: "Wind: eligible land in the scenario (on the map)"},
};
const MAX_COMPARED = 6;

function w(key) { return WORDS[state.lang === "en" ? "en" : "de"][key]; }

/* The scenario the panel asks for: the slider's setback, every criterion's on/off and the shares the run
 * offers. */
function body(s) {
  const doc = Object.assign({residential_setback_m: s.value, switches: Object.assign({}, s.switches)}, s.shares);
  if (s.precedenceRow) doc.precedence = s.precedence;
  return doc;
}

/* The precedence where wind and open-field PV could use the same land: a choice of the run's options. */
function precedenceHtml(s) {
  const r = s.precedenceRow;
  if (!r) return "";
  return "<label for=\"potenzial-precedence\">" + esc(pick({de: r.title_de, en: r.title_en})) +
    "</label> <select id=\"potenzial-precedence\">" + r.options.map(function (o) {
      return "<option value=\"" + esc(o.value) + "\"" + (o.value === s.precedence ? " selected" : "") + ">" +
        esc(pick(o.title)) + "</option>";
    }).join("") + "</select>";
}

/* What the eligible-land layer draws: the slider's setback and the criteria switched on. */
function view() {
  const s = state.scenario;
  return {setback: s.value, on: Object.keys(s.switches).filter(function (k) { return s.switches[k]; })};
}

/* The choropleth and the open municipality panel show the scenario's figures while the section is open. */
function applyToMap(open) {
  const s = state.scenario;
  const figures = open && s.answer && s.answer.figures && Object.keys(s.answer.figures).length ? s.answer.figures : null;
  if (figures === state.scenarioFigures) return;
  state.scenarioFigures = figures;
  restyle();
  if (state.detail && state.selected === state.detail.ags && state.side && !state.side.hidden) renderPanel(state.detail);
}

function isOpen(div) {
  const details = div.querySelector("details.scenario-main");
  return Boolean(details && details.open);
}

/* A checkbox per scenario criterion (checked: the rule excludes land). */
function switchesHtml(s) {
  if (!s.switchRows.length) return "";
  return "<fieldset class=\"scenario-switches\"><legend>" + esc(w("criteria")) + "</legend>" +
    s.switchRows.map(function (r) {
      const id = "potenzial-switch-" + r.parameter;
      return "<label for=\"" + esc(id) + "\"><input type=\"checkbox\" id=\"" + esc(id) + "\" value=\"" +
        esc(r.parameter) + "\"" + (s.switches[r.parameter] ? " checked" : "") + "> " +
        esc(pick({de: r.title_de, en: r.title_en})) + "</label>";
    }).join("") + "</fieldset>";
}

/* The share sliders (heat pumps, electric cars) under a heading naming the horizon they are for. */
function sharesHtml(s) {
  if (!s.shareParams.length) return "";
  const year = s.answer && s.answer.horizon_year ? " " + s.answer.horizon_year : "";
  return "<h3 class=\"scenario-use\">" + esc(t("scenario_use") + year) + "</h3>" +
    s.shareParams.map(function (p) {
      const id = "potenzial-" + p.parameter.replace(/_/g, "-");
      return "<label for=\"" + id + "\">" + esc(pick({de: p.title_de, en: p.title_en})) + ": <output for=\"" + id +
        "\">" + esc(fmt(s.shares[p.parameter], p.unit)) + "</output></label><input type=\"range\" id=\"" + id +
        "\" data-share=\"" + esc(p.parameter) + "\" min=\"" + p.low + "\" max=\"" + p.high + "\" step=\"1\" value=\"" +
        s.shares[p.parameter] + "\">";
    }).join("");
}

function attachShares(div) {
  const s = state.scenario;
  div.querySelectorAll("input[data-share]").forEach(function (input) {
    const p = s.shareParams.find(function (x) { return x.parameter === input.dataset.share; });
    input.addEventListener("input", function () {
      s.shares[p.parameter] = Number(input.value);
      div.querySelector("output[for=\"" + input.id + "\"]").textContent = fmt(s.shares[p.parameter], p.unit);
      clearTimeout(s.timer);
      s.timer = setTimeout(function () { ask(div); }, WAIT_MS);
    });
  });
}

function postJSON(url, body) {
  return fetch(url, {method: "POST", headers: {"Content-Type": "application/json", Accept: "application/json"},
    body: JSON.stringify(body)}).then(function (response) {
    return response.json().then(function (answer) {
      if (!response.ok) throw new Error(answer.detail || ("HTTP " + response.status));
      return answer;
    });
  });
}

/* Draws the section again, the focus kept where it was (a new answer arrives while the reader types). */
function render(div) {
  const active = document.activeElement;
  const focusedId = active && div.contains(active) && active.id ? active.id : null;
  draw(div);
  const again = focusedId ? document.getElementById(focusedId) : null;
  if (again) again.focus();
}

function draw(div) {
  const s = state.scenario;
  const p = s.parameter;
  const answer = s.answer;
  const rows = FIGURES.map(function (f) {
    const value = answer ? answer.county[f[1]] : null;
    return "<dt>" + esc(columnTitle(f[0], f[1]) || f[1]) + "</dt><dd data-figure=\"" + esc(f[1]) +
      "\" data-value=\"" + (value === null || value === undefined ? "" : String(value)) + "\">" +
      esc(fmt(value, columnUnit(f[0], f[1], answer ? answer.units[f[1]] : ""))) + "</dd>";
  }).join("");
  const synthetic = state.catalog.some(function (e) { return e.synthetic; });
  // closed at first; the reader's choice survives a re-render (a new answer, a language switch)
  const open = Boolean(div.querySelector("details.scenario-main[open]"));
  div.innerHTML = "<details class=\"scenario-main\"" + (open ? " open" : "") + "><summary>" + esc(pick(HEADING)) +
    (synthetic ? " " + badge() : "") + "</summary><label for=\"potenzial-setback\">" + esc(pick({de: p.title_de, en: p.title_en})) + ": <output>" +
    esc(fmt(s.value, p.unit)) + "</output></label><input type=\"range\" id=\"potenzial-setback\" min=\"" + p.low +
    "\" max=\"" + p.high + "\" step=\"25\" value=\"" + s.value + "\">" + switchesHtml(s) +
    (state.eligible ? "<p class=\"eligible-key\"><span class=\"swatch\"></span> " + esc(w("land")) + "</p>" : "") +
    precedenceHtml(s) + sharesHtml(s) + "<dl class=\"potenzial-scenario-figures\"" +
    " data-setback=\"" + (answer ? answer.scenario.residential_setback_m : "") + "\" data-precedence=\"" +
    (answer ? answer.scenario.precedence : "") + "\" data-shares=\"" +
    (answer ? SHARES.map(function (k) { return answer.scenario[k]; }).join(",") : "") + "\">" + rows + "</dl>" +
    (s.error ? "<p class=\"error\">" + esc(s.error) + "</p>" : "") + tornadoHtml() + savedHtml(s) + "</details>";
  attachSaved(div);
  attachShares(div);
  attachTornado(div, function () { render(div); });
  const choice = div.querySelector("#potenzial-precedence");
  if (choice) choice.addEventListener("change", function () { s.precedence = choice.value; ask(div); });
  const details = div.querySelector("details.scenario-main");
  details.addEventListener("toggle", function () { showEligible(details.open); applyToMap(details.open); });
  const input = div.querySelector("#potenzial-setback");
  input.addEventListener("input", function () {
    s.value = Number(input.value);
    div.querySelector("output").textContent = fmt(s.value, p.unit);
    repaintEligible();  // the land follows at once; the figures after the API's answer
    clearTimeout(s.timer);
    s.timer = setTimeout(function () { ask(div); }, WAIT_MS);
  });
  div.querySelectorAll(".scenario-switches input[type=checkbox]").forEach(function (box) {
    box.addEventListener("change", function () {
      s.switches[box.value] = box.checked;
      repaintEligible();
      ask(div);
    });
  });
}

/* Save the slider's scenario under a name; the saved ones (GET /api/scenarios) to tick for a comparison. */
function savedHtml(s) {
  const items = s.saved.map(function (x) {
    const id = "potenzial-saved-" + x.scenario_id;
    return "<li><input type=\"checkbox\" id=\"" + esc(id) + "\" value=\"" + esc(x.scenario_id) + "\"" +
      (s.chosen.indexOf(x.scenario_id) >= 0 ? " checked" : "") + (x.base_run_kept ? "" : " disabled") +
      "> <label for=\"" + esc(id) + "\">" + esc(x.name) + (x.base_run_kept ? "" : " (" + esc(w("gone")) + ")") +
      "</label> <a class=\"export\" href=\"" + esc(api("/api/scenarios/" + x.scenario_id + "/export.xlsx?lang=" +
        state.lang)) + "\" download>" + esc(w("export")) + "</a></li>";
  }).join("");
  return "<div class=\"scenario-saved\"><p class=\"save\"><label for=\"potenzial-scenario-name\">" + esc(w("name")) +
    "</label> <input type=\"text\" id=\"potenzial-scenario-name\" maxlength=\"80\" value=\"" + esc(s.name) +
    "\"> <button type=\"button\" class=\"save\"" + (s.name.trim() ? "" : " disabled") + ">" + esc(w("save")) +
    "</button></p><h3>" + esc(w("saved")) + "</h3>" +
    (items ? "<ul class=\"saved-list\">" + items + "</ul>" : "<p class=\"note\">" + esc(w("none")) + "</p>") +
    "<p><button type=\"button\" class=\"compare\"" + (s.chosen.length >= 2 ? "" : " disabled") + ">" +
    esc(w("compare")) + "</button> <span class=\"note\">" + esc(w("pick")) + "</span></p>" +
    comparisonHtml(s.comparison) + "</div>";
}

/* The comparison (GET /api/scenarios/compare): the panel's figures, a column per scenario, the difference of
 * each to the first in brackets. */
function comparisonHtml(answer) {
  if (!answer) return "";
  const head = "<tr><th>" + esc(w("figure")) + "</th>" + answer.scenarios.map(function (x) {
    return "<th class=\"num\">" + esc(x.name) + "</th>";
  }).join("") + "</tr>";
  const rows = FIGURES.map(function (f) {
    const row = answer.county.find(function (r) { return r.figure === f[1]; });
    if (!row) return "";
    const unit = columnUnit(f[0], f[1], row.unit);
    return "<tr data-figure=\"" + esc(f[1]) + "\"><th>" + esc(columnTitle(f[0], f[1]) || f[1]) + "</th>" +
      row.values.map(function (v, i) {
        const d = row.differences[i];
        return "<td class=\"num\" data-value=\"" + (v === null ? "" : String(v)) + "\" data-difference=\"" +
          (d === null || d === undefined ? "" : String(d)) + "\">" + esc(fmt(v, unit)) +
          (i > 0 && d !== null && d !== undefined ? " <small title=\"" + esc(w("difference")) + "\">(" +
            (d > 0 ? "+" : "") + esc(fmt(d, "")) + ")</small>" : "") + "</td>";
      }).join("") + "</tr>";
  }).join("");
  return "<div class=\"comparison-wrap\"><table class=\"comparison\">" + head + rows + "</table></div>";
}

function loadSaved(div) {
  return getJSON(api("/api/scenarios")).then(function (list) {
    state.scenario.saved = list;
    render(div);
  }).catch(function (err) { state.scenario.error = err.message; render(div); });
}

function attachSaved(div) {
  const s = state.scenario;
  const name = div.querySelector("#potenzial-scenario-name");
  name.addEventListener("input", function () {
    s.name = name.value;
    div.querySelector("button.save").disabled = !s.name.trim();
  });
  div.querySelector("button.save").addEventListener("click", function () {
    postJSON(api("/api/scenarios"), Object.assign(body(s), {name: s.name.trim()})).then(function (saved) {
      s.name = "";
      s.chosen = s.chosen.concat([saved.scenario_id]).slice(-MAX_COMPARED);
      return loadSaved(div);
    }).then(function () { div.querySelector("#potenzial-scenario-name").focus(); })
      .catch(function (err) { s.error = err.message; render(div); });
  });
  div.querySelectorAll(".saved-list input[type=checkbox]").forEach(function (box) {
    box.addEventListener("change", function () {
      s.chosen = s.chosen.filter(function (id) { return id !== box.value; });
      if (box.checked) s.chosen = s.chosen.concat([box.value]).slice(-MAX_COMPARED);
      div.querySelector("button.compare").disabled = s.chosen.length < 2;
    });
  });
  div.querySelector("button.compare").addEventListener("click", function () {
    getJSON(api("/api/scenarios/compare?ids=" + encodeURIComponent(s.chosen.join(",")))).then(function (answer) {
      s.comparison = answer;
      render(div);
      div.querySelector("button.compare").focus();
    }).catch(function (err) { s.error = err.message; render(div); });
  });
}

function ask(div) {
  const s = state.scenario;
  const asked = JSON.stringify(body(s));
  postJSON(api("/api/scenarios/evaluate"), body(s)).then(function (answer) {
    if (asked !== JSON.stringify(body(s))) return;  // a newer move is on its way
    s.answer = answer;
    s.error = null;
    render(div);
    applyToMap(isOpen(div));
  }).catch(function (err) { s.error = err.message; render(div); });
}

/* The panel, once the run offers scenarios (a run without them shows none). */
export function buildScenario() {
  return getJSON(api("/api/scenarios/parameters")).then(function (parameters) {
    const p = parameters.find(function (x) { return x.parameter === "residential_setback_m"; });
    if (!p) return;
    const switchRows = parameters.filter(function (x) { return x.kind === "switch"; });
    const switches = {};
    switchRows.forEach(function (r) { switches[r.parameter] = r.value >= 0.5; });
    const shareParams = parameters.filter(function (x) { return SHARES.indexOf(x.parameter) >= 0; });
    const shares = {};
    shareParams.forEach(function (x) { shares[x.parameter] = x.value; });
    const precedenceRow = parameters.find(function (x) { return x.kind === "choice" && x.parameter === "precedence"; });
    state.scenario = {parameter: p, value: p.value, answer: null, error: null, timer: null, name: "", saved: [],
      chosen: [], comparison: null, switchRows: switchRows, switches: switches, shareParams: shareParams,
      shares: shares, precedenceRow: precedenceRow || null, precedence: precedenceRow ? precedenceRow.value : null};
    state.scenarioPanel = analysisSection("potenzial-scenario");
    render(state.scenarioPanel);
    ask(state.scenarioPanel);
    loadSaved(state.scenarioPanel);
    buildEligible(view).then(function () { render(state.scenarioPanel); });
  }).catch(function (err) { console.warn("potenzial: no scenarios for this run:", err.message); });
}

/* After a language switch: the same figures, titled in the new language. */
export function renderScenario() {
  if (state.scenarioPanel && state.scenario) render(state.scenarioPanel);
}
