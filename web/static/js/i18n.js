/* potenzial – the page's own words in German and English. Layer titles, figure labels and units
 * come from the API and the page configuration, not from here. */
import { state } from "./state.js";

export const STRINGS = {
  de: {
    switch_to: "EN", switch_title: "Switch to English",
    run: "Lauf", search: "Gemeinde suchen", search_placeholder: "Name oder AGS, z. B. Grimma",
    no_hits: "Keine Gemeinde gefunden", colour_by: "Einfärben nach",
    synthetic: "synthetische Demodaten",
    synthetic_run: "Dieser Lauf nutzt synthetische Demodaten (keine echten Werte) für ",
    legend: "Legende", no_data: "keine Daten", municipalities: "Gemeinden",
    sources: "Datenquellen", real: "echt", n_synthetic: "synthetisch",
    licence: "Lizenz", from_zoom: "ab Zoomstufe", zoom_in: "hineinzoomen, um sie zu sehen",
    no_basemap: "Keine Grundkarte (offline)",
    potentials: "Die vier Potenziale", capacity: "Leistung", energy: "Energie",
    installed: "Installierte Leistung", remaining: "Noch offen (Potenzial − installiert)",
    balance: "Energiebilanz (Verbrauch und realisierbares Potenzial; Strom und Wärme getrennt)",
    headline: "Kennzahlen", in_scenario: "Im Szenario des Was-wäre-wenn-Reglers (Karte und Kennzahlen).",
    quality: "Datenqualität", electricity: "Strom", not_computed: "nicht berechnet",
    download: "GeoPackage herunterladen", factsheet: "Steckbrief (druckbar)",
    factsheet_pdf: "Steckbrief als PDF", monitoring: "Ausbau im Zeitverlauf",
    all_figures: "Alle Kennzahlen", figure: "Kennzahl", value: "Wert",
    close: "Schließen", loading: "Lädt …", failed: "Konnte nicht geladen werden",
    outside_region: "Außerhalb des Gebiets: hier gibt es keine Ergebnisse.",
    here: "An dieser Stelle", exclusions: "Ausschlussgründe", no_exclusions: "keine",
    values: "Werte", features: "Objekte", nothing_here: "keine Daten an dieser Stelle",
    municipality: "Gemeinde", outside: "außerhalb der Region",
    click_hint: "Klick auf die Karte: Werte und Ausschlussgründe an der Stelle; auf eine Gemeinde: ihre Zahlen.",
    more_sources: "weitere Quellen: Legende", layer_sources: "Quellen", inputs: "Eingangsdaten",
    areas: "Flächen", points: "Punkte", lines: "Linien",
    ranking: "Rangfolge im Landkreis", ranking_caption: "alle Gemeinden, größter Wert zuerst", rank: "Rang",
    table: "Alle Gemeinden als Tabelle", class: "Klasse", downloads: "Herunterladen",
    municipality_csv: "Kennzahlen (CSV)", municipality_xlsx: "Kennzahlen (Excel)",
    county_csv: "Landkreis: Tabelle (CSV)", county_xlsx: "Landkreis: Tabelle (Excel)",
    county_downloads: "Alle Gemeinden herunterladen", map_label: "Karte der Gemeinden",
    zoom_in_button: "Hineinzoomen", zoom_out_button: "Herauszoomen",
    scenario_use: "Stromverbrauch mit Wärmepumpen und E-Mobilität im Zieljahr",
  },
  en: {
    switch_to: "DE", switch_title: "Auf Deutsch umschalten",
    run: "run", search: "Find a municipality", search_placeholder: "name or AGS, e.g. Grimma",
    no_hits: "No municipality found", colour_by: "Colour by",
    synthetic: "synthetic demo data",
    synthetic_run: "This run uses synthetic demo data (not real values) for ",
    legend: "Legend", no_data: "no data", municipalities: "Municipalities",
    sources: "Data sources", real: "real", n_synthetic: "synthetic",
    licence: "licence", from_zoom: "from zoom", zoom_in: "zoom in to see it",
    no_basemap: "No base map (offline)",
    potentials: "The four potentials", capacity: "Capacity", energy: "Energy",
    installed: "Installed capacity", remaining: "Remaining (potential − installed)",
    balance: "Energy balance (use and realisable potential; electricity and heat apart)",
    headline: "Headline figures", in_scenario: "In the scenario of the what-if slider (map and figures).",
    quality: "Data quality", electricity: "Electricity", not_computed: "not computed",
    download: "Download GeoPackage", factsheet: "Fact sheet (printable)",
    factsheet_pdf: "Fact sheet as PDF", monitoring: "Installed over time",
    all_figures: "All figures", figure: "Figure", value: "Value",
    close: "Close", loading: "Loading …", failed: "Could not be loaded",
    outside_region: "Outside the region: there are no results here.",
    here: "At this spot", exclusions: "Exclusion reasons", no_exclusions: "none",
    values: "Values", features: "features", nothing_here: "no data at this spot",
    municipality: "Municipality", outside: "outside the region",
    click_hint: "Click the map: values and exclusion reasons at the spot; a municipality: its figures.",
    more_sources: "more sources: legend", layer_sources: "Sources", inputs: "inputs",
    areas: "areas", points: "points", lines: "lines",
    ranking: "Ranking in the county", ranking_caption: "every municipality, largest value first", rank: "Rank",
    table: "Every municipality as a table", class: "Class", downloads: "Downloads",
    municipality_csv: "Figures (CSV)", municipality_xlsx: "Figures (Excel)",
    county_csv: "County: table (CSV)", county_xlsx: "County: table (Excel)",
    county_downloads: "Download every municipality", map_label: "Map of the municipalities",
    zoom_in_button: "Zoom in", zoom_out_button: "Zoom out",
    scenario_use: "Electricity use with heat pumps and e-mobility in the horizon year",
  },
};

/* A word of the page in the current language (German when missing). */
export function t(key) { return (STRINGS[state.lang] || STRINGS.de)[key] || STRINGS.de[key] || key; }

/* The current language's text of a {de, en} label. */
export function pick(text) { return text ? (text[state.lang] || text.de || "") : ""; }

/* ?lang=…, else the last choice (local storage), else German. */
export function initialLang() {
  const fromUrl = new URLSearchParams(window.location.search).get("lang");
  if (fromUrl && STRINGS[fromUrl]) return fromUrl;
  try {
    const stored = window.localStorage.getItem("potenzial.lang");
    if (stored && STRINGS[stored]) return stored;
  } catch (e) { /* storage may be off */ }
  return "de";
}

export function rememberLang(lang) {
  try { window.localStorage.setItem("potenzial.lang", lang); } catch (e) { /* storage may be off */ }
}
