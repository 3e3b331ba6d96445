/* potenzial – the what-if panel: a residential-setback slider whose county figures are the API's answer
 * (POST /api/scenarios/evaluate, the fast path). Titles and units come from the result schemas; the
 * slider's range and the run's value from /api/scenarios/parameters. */
import { badge, esc, fmt, getJSON } from "./format.js";
import { pick } from "./i18n.js";
import { columnTitle, columnUnit } from "./labels.js";
import { analysisSection } from "./analysis.js";
import { api, state } from "./state.js";

/* the county figures the panel shows: wind first, then the two headlines (electricity, heat: never added) */
const FIGURES = [["scenario_municipalities", "wind_area_ha"], ["scenario_municipalities", "wind_turbines_estimated"],
  ["scenario_municipalities", "wind_yield_gwh_per_a"], ["headline", "electricity_potential_gwh_per_a"],
  ["headline", "heat_potential_gwh_per_a"]];
const WAIT_MS = 120;
const HEADING = {de: "Was wäre, wenn … (Landkreis)", en: "What if … (county)"};  // a slider move waits this long for the next before asking

function postJSON(url, body) {
  return fetch(url, {method: "POST", headers: {"Content-Type": "application/json", Accept: "application/json"},
    body: JSON.stringify(body)}).then(function (response) {
    return response.json().then(function (answer) {
      if (!response.ok) throw new Error(answer.detail || ("HTTP " + response.status));
      return answer;
    });
  });
}

function render(div) {
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
    "\" max=\"" + p.high + "\" step=\"25\" value=\"" + s.value + "\"><dl class=\"potenzial-scenario-figures\"" +
    " data-setback=\"" + (answer ? answer.scenario.residential_setback_m : "") + "\">" + rows + "</dl>" +
    (s.error ? "<p class=\"error\">" + esc(s.error) + "</p>" : "") + "</details>";
  const input = div.querySelector("input");
  input.addEventListener("input", function () {
    s.value = Number(input.value);
    div.querySelector("output").textContent = fmt(s.value, p.unit);
    clearTimeout(s.timer);
    s.timer = setTimeout(function () { ask(div); }, WAIT_MS);
  });
}

function ask(div) {
  const s = state.scenario;
  const value = s.value;
  postJSON(api("/api/scenarios/evaluate"), {residential_setback_m: value}).then(function (answer) {
    if (value !== s.value) return;  // a newer move is on its way
    s.answer = answer;
    s.error = null;
    const focused = document.activeElement && document.activeElement.id === "potenzial-setback";
    render(div);
    if (focused) div.querySelector("input").focus();
  }).catch(function (err) { s.error = err.message; render(div); });
}

/* The panel, once the run offers scenarios (a run without them shows none). */
export function buildScenario() {
  return getJSON(api("/api/scenarios/parameters")).then(function (parameters) {
    const p = parameters.find(function (x) { return x.parameter === "residential_setback_m"; });
    if (!p) return;
    state.scenario = {parameter: p, value: p.value, answer: null, error: null, timer: null};
    state.scenarioPanel = analysisSection("potenzial-scenario");
    render(state.scenarioPanel);
    ask(state.scenarioPanel);
  }).catch(function (err) { console.warn("potenzial: no scenarios for this run:", err.message); });
}

/* After a language switch: the same figures, titled in the new language. */
export function renderScenario() {
  if (state.scenarioPanel && state.scenario) render(state.scenarioPanel);
}
