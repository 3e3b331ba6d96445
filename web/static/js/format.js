/* potenzial – escaping, numbers for people, JSON requests and small shared markup. */
import { t } from "./i18n.js";
import { api, state } from "./state.js";

export function esc(value) {
  return String(value === null || value === undefined ? "" : value)
    .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

export function isNumber(v) { return typeof v === "number" && isFinite(v); }

/* A number for people: 0 decimals from 100, 1 from 10, else 2; locale of the page language. */
/* units that are words in the data (a raster's sidecar, a plain API figure), as a person reads them */
const UNIT_WORDS = {count: {de: "", en: ""}, persons: {de: "Einw.", en: "inhabitants"}, year: {de: "", en: ""}};

/* A unit as shown: a word unit in the page language ("count" shows as nothing: the title says what is counted). */
export function unitText(unit) {
  const word = unit ? UNIT_WORDS[unit] : null;
  return word ? word[state.lang === "de" ? "de" : "en"] : (unit || "");
}

export function fmt(value, unit) {
  unit = unitText(unit);
  if (!isNumber(value)) return "–";
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  const text = new Intl.NumberFormat(state.lang === "de" ? "de-DE" : "en-GB",
    {maximumFractionDigits: digits}).format(value);
  return unit ? text + "\u00a0" + unit : text;
}

/* Lower case without accents, ß as ss: for searching names. */
export function normalise(text) {
  return String(text).toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/ß/g, "ss");
}

/* GET a JSON document; an error's message is the API's ``detail`` when it gives one. */
export function getJSON(url) {
  return fetch(url, {headers: {Accept: "application/json"}}).then(function (response) {
    if (!response.ok) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        const error = new Error((body && (body.detail || body.message)) || ("HTTP " + response.status));
        error.status = response.status;
        throw error;
      });
    }
    return response.json();
  });
}

export function badge() { return '<span class="synthetic">' + esc(t("synthetic")) + "</span>"; }

/* "This run uses synthetic demo data for N inputs" with the inputs' titles behind a click. */
export function syntheticWarning(ids) {
  const titles = ids.map(function (id) {
    const entry = state.catalog.find(function (e) { return e.id === id; });
    return entry ? entry.title : id;
  });
  return '<details class="potenzial-warning"><summary>' + badge() + " " + esc(t("synthetic_run")) + ids.length +
    " " + esc(t("inputs")) + "</summary>" + esc(titles.join(", ")) + "</details>";
}

/* The county's tables of every municipality: CSV and XLSX links. */
export function countyLinks() {
  return '<a class="county-csv" href="' + esc(api("/api/summary.csv")) + '" download>' + esc(t("county_csv")) +
    '</a> <a class="county-xlsx" href="' + esc(api("/api/summary.xlsx")) + '" download>' + esc(t("county_xlsx")) +
    "</a>";
}
