/* potenzial – monitoring on the map: what is built against the potential, over time.
 *
 * A control switches the choropleth to the used share of one technology's potential (installed at a
 * snapshot / the potential of a cascade stage, /api/monitoring/map) and moves through the snapshots with a
 * slider (2015 → 2021 → 2024 for the default region). The side panel gets a chart of the municipality, or of
 * a group it belongs to: installed capacity at each snapshot against the potential, and the renewable share
 * of electricity against the Leitbild's target path with the gap (/api/monitoring, /api/targets).
 * Charts are inline SVG drawn here (no chart library). Titles and units come from the API's schemas.
 */
import { esc, fmt, getJSON, isNumber } from "./format.js";
import { restyle } from "./figures.js";
import { pick } from "./i18n.js";
import { renderLegend } from "./legend.js";
import { analysisSection } from "./analysis.js";
import { api, state } from "./state.js";

const WORDS = {
  de: {
    heading: "Ausbau gegen Potenzial", show: "Installiert gegen Potenzial zeigen", technology: "Technologie",
    snapshot: "Stand", stage: "Potenzialstufe", no_data: "keine Daten", chart: "Ausbau im Zeitverlauf",
    area: "Gebiet", this_municipality: "diese Gemeinde", installed: "installiert", potential: "Potenzial",
    target_path: "Zielpfad Leitbild", share: "Anteil erneuerbaren Stroms", gap: "Abstand zum Ziel",
    pp: "Prozentpunkte", no_snapshots: "Noch kein Datenstand importiert.", no_potential: "kein Lauf: kein Potenzial",
    failed: "Konnte nicht geladen werden", primary: "Primärenergie", placeholder: "Platzhalter, vom Landkreis zu füllen",
    unverified: "Mitglieder nicht belegt", estimate: "Verbrauch geschätzt", year: "Jahr",
  },
  en: {
    heading: "Installed vs potential", show: "Show installed against potential", technology: "Technology",
    snapshot: "As of", stage: "Potential stage", no_data: "no data", chart: "Installed over time",
    area: "Area", this_municipality: "this municipality", installed: "installed", potential: "potential",
    target_path: "Leitbild target path", share: "Renewable share of electricity", gap: "Gap to the target",
    pp: "percentage points", no_snapshots: "No snapshot imported yet.", no_potential: "no run: no potential",
    failed: "Could not be loaded", primary: "primary energy", placeholder: "placeholder, for the county to fill in",
    unverified: "members not verified", estimate: "use estimated", year: "Year",
  },
};

function w(key) { return (WORDS[state.lang] || WORDS.de)[key]; }

/* The view's own state: the answer of /api/monitoring/map, whether the view is on, technology, snapshot. */
export const monitoring = {data: null, on: false, technology: "wind", dateIndex: -1, div: null, area: {}};

function tech() {
  return monitoring.data ? monitoring.data.technologies.find(function (t) { return t.code === monitoring.technology; })
    : null;
}

function shownDate() { return monitoring.data ? monitoring.data.dates[monitoring.dateIndex] : null; }

/* The cell {installed, potential, used_share_pct} of a municipality at the shown snapshot, or null. */
export function cellOf(ags) {
  const t = tech();
  const cells = t ? t.values[shownDate()] : null;
  return cells ? cells[ags] || null : null;
}

/* The class colour of a used share [%]: the last class whose lower limit the share reaches. */
export function shareColour(share) {
  const classes = monitoring.data.classes;
  if (!isNumber(share)) return classes.no_data;
  let index = 0;
  classes.limits.forEach(function (limit, i) { if (share >= limit) index = i; });
  return classes.colours[index];
}

function style(feature, base) {
  const cell = cellOf(feature.id);
  return L.extend({}, base, {fillColor: shareColour(cell ? cell.used_share_pct : null)});
}

function tooltip(feature) {
  const t = tech();
  const cell = cellOf(feature.id);
  const parts = ["<b>" + esc(feature.properties.name) + "</b> <small>" + esc(feature.id) + "</small><br>" +
    esc(pick({de: t.title_de, en: t.title_en})) + ", " + esc(w("snapshot")) + " " + esc(shownDate())];
  if (!cell) {
    parts.push(esc(w("no_data")));
  } else {
    const unit = t.unit + (t.code === "biomass" ? " " + w("primary") : "");
    parts.push(esc(w("installed")) + ": " + esc(fmt(cell.installed, unit)));
    parts.push(esc(w("potential")) + ": " + esc(isNumber(cell.potential) ? fmt(cell.potential, unit) : w("no_potential")));
    parts.push(esc(columnTitle("used_share_pct")) + ": " + esc(fmt(cell.used_share_pct, "%")));
  }
  return parts.join("<br>");
}

function columnTitle(name) {
  const c = (monitoring.data.columns || []).find(function (col) { return col.name === name; });
  return c ? pick({de: c.title_de, en: c.title_en}) : "";
}

function apply() {
  state.styleOverride = monitoring.on ? style : null;
  state.tooltipOverride = monitoring.on ? tooltip : null;
  restyle();
  renderLegend();
  if (state.choropleth) {
    state.choropleth.eachLayer(function (layer) { if (layer.isTooltipOpen()) layer.closeTooltip(); });
  }
}

/* The title of a cascade stage (a technology may be compared with another stage than asked: biomass). */
function stageTitle(code) {
  const s = monitoring.data.stages.find(function (x) { return x.code === code; }) || monitoring.data.stage;
  return pick({de: s.title_de, en: s.title_en});
}

function legendHtml() {
  const classes = monitoring.data.classes;
  const rows = classes.colours.map(function (colour, i) {
    const high = classes.limits[i + 1];
    const text = isNumber(high) ? fmt(classes.limits[i]) + " – " + fmt(high) + "\u00a0%" : "≥ " + fmt(classes.limits[i]) +
      "\u00a0%";
    return '<li><span class="swatch" style="background:' + esc(colour) + '"></span>' + esc(text) + "</li>";
  });
  rows.push('<li><span class="swatch" style="background:' + esc(classes.no_data) + '"></span>' + esc(w("no_data")) +
    "</li>");
  return '<p class="stage">' + esc(columnTitle("used_share_pct")) + " [%], " + esc(w("stage")) + ": " +
    esc(stageTitle(tech().stage)) + '</p><ul class="classes">' +
    rows.join("") + "</ul>";
}

/* The control: switch, technology, snapshot slider and the share's classes. */
export function renderMonitoring() {
  const div = monitoring.div;
  const data = monitoring.data;
  if (!div || !data) return;
  if (!data.dates.length) {
    div.innerHTML = '<details class="monitoring-main"><summary>' + esc(w("heading")) + '</summary><p class="note">' +
      esc(w("no_snapshots")) + "</p></details>";
    return;
  }
  const options = data.technologies.map(function (t) {
    return '<option value="' + esc(t.code) + '"' + (t.code === monitoring.technology ? " selected" : "") + ">" +
      esc(pick({de: t.title_de, en: t.title_en})) + "</option>";
  }).join("");
  const last = data.dates.length - 1;
  const ticks = data.dates.map(function (d, i) {
    return '<span data-index="' + i + '">' + esc(d.slice(0, 4)) + "</span>";
  }).join("");
  div.dataset.technology = monitoring.technology;
  div.dataset.date = shownDate();
  div.dataset.on = monitoring.on ? "1" : "0";
  // closed at first; the reader's choice survives a re-render
  const open = div.dataset.rendered ? (div.querySelector("details.monitoring-main") || {}).open : false;
  div.dataset.rendered = "1";
  div.innerHTML = '<details class="monitoring-main"' + (open ? " open" : "") + "><summary>" + esc(w("heading")) +
    "</summary>" +
    '<p><input type="checkbox" id="potenzial-monitoring-on"' + (monitoring.on ? " checked" : "") + '> ' +
    '<label for="potenzial-monitoring-on">' + esc(w("show")) + "</label></p>" +
    '<p><label for="potenzial-monitoring-technology">' + esc(w("technology")) + "</label> " +
    '<select id="potenzial-monitoring-technology">' + options + "</select></p>" +
    '<p class="slider"><label for="potenzial-monitoring-date">' + esc(w("snapshot")) + "</label> " +
    '<input type="range" id="potenzial-monitoring-date" min="0" max="' + last + '" step="1" value="' +
    monitoring.dateIndex + '" aria-valuetext="' + esc(shownDate()) + '"> <output for="potenzial-monitoring-date">' +
    esc(shownDate()) + '</output></p><div class="ticks" aria-hidden="true">' + ticks + "</div>" +
    (monitoring.on ? legendHtml() : "") + "</details>";
  div.querySelector("#potenzial-monitoring-on").addEventListener("change", function (e) {
    monitoring.on = e.target.checked;
    apply();
    renderMonitoring();
    div.querySelector("#potenzial-monitoring-on").focus();
  });
  div.querySelector("#potenzial-monitoring-technology").addEventListener("change", function (e) {
    monitoring.technology = e.target.value;
    apply();
    renderMonitoring();
    div.querySelector("#potenzial-monitoring-technology").focus();
  });
  div.querySelector("#potenzial-monitoring-date").addEventListener("input", function (e) {
    setSnapshot(Number(e.target.value));
  });
}

/* Show the snapshot of index ``i`` (0 = the oldest). */
export function setSnapshot(i) {
  monitoring.dateIndex = Math.max(0, Math.min(monitoring.data.dates.length - 1, i));
  apply();
  const div = monitoring.div;
  const input = div.querySelector("#potenzial-monitoring-date");
  div.dataset.date = shownDate();
  if (input) {
    input.value = String(monitoring.dateIndex);
    input.setAttribute("aria-valuetext", shownDate());
    div.querySelector("output").textContent = shownDate();
  }
}

/* Loads the view's data and adds its control (after the choropleth is drawn). */
export function initMonitoring() {
  return getJSON(api("/api/monitoring/map")).then(function (data) {
    monitoring.data = data;
    if (window.potenzial) window.potenzial.monitoring = monitoring;  // for the browser tests and the console
    monitoring.dateIndex = data.dates.length - 1;
    monitoring.div = analysisSection("potenzial-monitoring");
    monitoring.div.setAttribute("role", "group");
    renderMonitoring();
    if (state.detail) fillMonitoringPanel();
  }).catch(function (err) { console.error("potenzial: the monitoring view could not load:", err); });
}

// ------------------------------------------------------------------ the side panel's chart

function groupsOf(ags) {
  return monitoring.data ? monitoring.data.groups.filter(function (g) { return g.members.indexOf(ags) >= 0; }) : [];
}

/* The panel's monitoring section (filled by fillMonitoringPanel once the panel is in the page). */
export function monitoringSection(ags) {
  const groups = groupsOf(ags);
  const chosen = monitoring.area[ags] || "";
  const options = ['<option value="">' + esc(w("this_municipality")) + "</option>"].concat(groups.map(function (g) {
    return '<option value="' + esc(g.id) + '"' + (g.id === chosen ? " selected" : "") + ">" +
      esc(pick({de: g.title_de, en: g.title_en})) + "</option>";
  }));
  return '<section class="monitoring-panel" data-ags="' + esc(ags) + '"><h3>' + esc(w("chart")) + "</h3>" +
    '<p><label for="potenzial-monitoring-area">' + esc(w("area")) + "</label> " +
    '<select id="potenzial-monitoring-area">' + options.join("") + '</select></p><div class="monitoring-charts">' +
    "</div></section>";
}

/* Draws the charts of the panel's municipality or chosen group. */
export function fillMonitoringPanel() {
  const section = state.side ? state.side.querySelector("section.monitoring-panel") : null;
  if (!section || !monitoring.data) return;
  const ags = section.dataset.ags;
  const select = section.querySelector("select");
  if (select.options.length !== groupsOf(ags).length + 1) {  // the groups arrived after the panel
    section.outerHTML = monitoringSection(ags);
    fillMonitoringPanel();
    return;
  }
  select.onchange = function () { monitoring.area[ags] = select.value; fillMonitoringPanel(); };
  const group = select.value;
  const query = group ? "group=" + encodeURIComponent(group) : "ags=" + encodeURIComponent(ags);
  const box = section.querySelector(".monitoring-charts");
  box.dataset.area = group || ags;
  delete box.dataset.ready;
  Promise.all([getJSON(api("/api/monitoring?" + query)), getJSON(api("/api/targets?" + query))]).then(function (a) {
    if (!document.body.contains(box) || select.value !== group) return;
    const members = group ? groupsOf(ags).find(function (g) { return g.id === group; }).members : [ags];
    box.innerHTML = chartsHtml(a[0], a[1], members);
    box.dataset.ready = "1";
  }).catch(function (err) {
    box.innerHTML = '<p class="error">' + esc(w("failed")) + ": " + esc(err.message) + "</p>";
  });
}

function label(col) { return pick({de: col.title_de, en: col.title_en}); }

function classTitle(columns, name, code) {
  const col = columns.find(function (c) { return c.name === name; });
  const cls = col && col.classes ? col.classes.find(function (c) { return c.code === code; }) : null;
  return cls ? label(cls) : "";
}

/* The used share [%] of ``members`` at the newest snapshot: their installed over their potential (the map
 * data, in the potential's unit: biomass as primary energy), or NaN. */
function usedShareOf(code, members) {
  const t = monitoring.data.technologies.find(function (x) { return x.code === code; });
  if (!t || !monitoring.data.has_potential) return NaN;
  const cells = t.values[monitoring.data.dates[monitoring.data.dates.length - 1]] || {};
  let installed = 0, potential = 0;
  for (const ags of members) {
    if (!cells[ags] || !isNumber(cells[ags].potential) || !isNumber(cells[ags].installed)) return NaN;
    installed += cells[ags].installed;
    potential += cells[ags].potential;
  }
  return potential > 0 ? 100 * installed / potential : NaN;
}

/* The potential of ``members`` summed (the map data), or NaN without a run. */
function potentialOf(code, members) {
  const t = monitoring.data.technologies.find(function (x) { return x.code === code; });
  if (!t || !monitoring.data.has_potential) return NaN;
  const cells = t.values[monitoring.data.dates[monitoring.data.dates.length - 1]] || {};
  let sum = 0;
  for (const ags of members) {
    if (!cells[ags] || !isNumber(cells[ags].potential)) return NaN;
    sum += cells[ags].potential;
  }
  return sum;
}

function chartsHtml(view, targets, members) {
  const columns = view.series.columns;
  const parts = [];
  if (view.area.kind === "group" && view.area.placeholder) parts.push('<p class="note">' + esc(w("placeholder")) + "</p>");
  if (view.area.kind === "group" && !view.area.verified) parts.push('<p class="note">' + esc(w("unverified")) + "</p>");
  ["pv", "wind", "biomass"].forEach(function (code) {
    const rows = view.series.rows.filter(function (r) { return r.technology === code && r.point === "snapshot"; });
    if (!rows.length) return;
    const points = rows.map(function (r) { return {date: r.date, value: r.capacity_kw / 1000}; });
    const potential = code === "biomass" ? NaN : potentialOf(code, members);
    parts.push(capacityChart(code, classTitle(columns, "technology", code), points, potential,
      usedShareOf(code, members)));
  });
  parts.push(targetChart(targets));
  return parts.join("");
}

const WIDTH = 320, HEIGHT = 120, LEFT = 56, RIGHT = 10, TOP = 10, BOTTOM = 22;

function scale(domain, range) {
  return function (v) {
    return domain[1] === domain[0] ? (range[0] + range[1]) / 2
      : range[0] + (v - domain[0]) / (domain[1] - domain[0]) * (range[1] - range[0]);
  };
}

function year(date) { return Number(String(date).slice(0, 4)); }

function axes(years, x, yTop, unit) {
  const ticks = years.map(function (yr) {
    return '<text x="' + x(yr).toFixed(1) + '" y="' + (HEIGHT - 6) + '" text-anchor="middle">' + yr + "</text>";
  }).join("");
  return '<line class="axis" x1="' + LEFT + '" y1="' + (HEIGHT - BOTTOM) + '" x2="' + (WIDTH - RIGHT) + '" y2="' +
    (HEIGHT - BOTTOM) + '"></line><text x="' + (LEFT - 4) + '" y="' + (TOP + 8) + '" text-anchor="end">' +
    esc(fmt(yTop, unit)) + "</text><text x=\"" + (LEFT - 4) + '" y="' + (HEIGHT - BOTTOM) + '" text-anchor="end">0</text>' +
    ticks;
}

/* Installed capacity [MW] at each snapshot, and the potential as a dashed line. */
function capacityChart(code, title, points, potential, share) {
  const years = points.map(function (p) { return year(p.date); });
  const top = Math.max.apply(null, points.map(function (p) { return p.value; }).concat(isNumber(potential) ? [potential] : [])
    .concat([1e-9]));
  const x = scale([Math.min.apply(null, years), Math.max.apply(null, years)], [LEFT + 8, WIDTH - RIGHT - 8]);
  const y = scale([0, top], [HEIGHT - BOTTOM, TOP]);
  const line = points.map(function (p, i) {
    return (i ? "L" : "M") + x(year(p.date)).toFixed(1) + " " + y(p.value).toFixed(1);
  }).join(" ");
  const circles = points.map(function (p) {
    return '<circle class="point" r="3.5" cx="' + x(year(p.date)).toFixed(1) + '" cy="' + y(p.value).toFixed(1) +
      '" data-date="' + esc(p.date) + '" data-mw="' + p.value + '"><title>' + esc(p.date) + ": " +
      esc(fmt(p.value, "MW")) + "</title></circle>";
  }).join("");
  const pot = isNumber(potential) ? '<line class="potential" x1="' + LEFT + '" x2="' + (WIDTH - RIGHT) + '" y1="' +
    y(potential).toFixed(1) + '" y2="' + y(potential).toFixed(1) + '" data-mw="' + potential + '"></line>' : "";
  const last = points[points.length - 1];
  const caption = esc(w("installed")) + " " + esc(last.date) + ": " + esc(fmt(last.value, "MW")) +
    (isNumber(potential) ? " · " + esc(w("potential")) + " (" + esc(pick({de: monitoring.data.stage.title_de,
      en: monitoring.data.stage.title_en})) + "): " + esc(fmt(potential, "MW")) : "") +
    (isNumber(share) ? " · " + esc(columnTitle("used_share_pct")) + (code === "biomass" ? " (" + esc(w("primary")) + ")" : "") +
      ": " + esc(fmt(share, "%")) : "");
  return '<figure class="monitoring-chart" data-technology="' + esc(code) + '" data-used-share="' +
    (isNumber(share) ? share : "") + '"><figcaption><b>' + esc(title) +
    "</b><br>" + caption + '</figcaption><svg viewBox="0 0 ' + WIDTH + " " + HEIGHT + '" role="img" aria-label="' +
    esc(title + ": " + points.map(function (p) { return year(p.date) + " " + fmt(p.value, "MW"); }).join(", ")) + '">' +
    axes(years, x, top, "MW") + pot + '<path class="installed" d="' + line + '"></path>' + circles + "</svg></figure>";
}

/* The renewable share of electricity against the target path, with the gap of the latest year with a share. */
function targetChart(targets) {
  const rows = targets.targets.rows;
  const cols = targets.targets.columns;
  const title = function (name) { return label(cols.find(function (c) { return c.name === name; })); };
  const path = rows.filter(function (r) { return isNumber(r.target_share_pct); });
  const actual = rows.filter(function (r) { return isNumber(r.renewable_share_pct); });
  if (!path.length && !actual.length) return "";
  const years = rows.map(function (r) { return r.year; });
  const x = scale([Math.min.apply(null, years), Math.max.apply(null, years)], [LEFT + 8, WIDTH - RIGHT - 8]);
  const top = Math.max.apply(null, [100].concat(actual.map(function (r) { return r.renewable_share_pct; })));
  const y = scale([0, top], [HEIGHT - BOTTOM, TOP]);
  const line = path.map(function (r, i) { return (i ? "L" : "M") + x(r.year).toFixed(1) + " " + y(r.target_share_pct).toFixed(1); })
    .join(" ");
  const dots = actual.map(function (r) {
    return '<circle class="share" r="3.5" cx="' + x(r.year).toFixed(1) + '" cy="' + y(r.renewable_share_pct).toFixed(1) +
      '" data-year="' + r.year + '" data-pct="' + r.renewable_share_pct + '"><title>' + r.year + ": " +
      esc(fmt(r.renewable_share_pct, "%")) + "</title></circle>";
  }).join("");
  const latest = actual[actual.length - 1];
  const gapLine = latest && isNumber(latest.target_share_pct) ? '<line class="gap" x1="' + x(latest.year).toFixed(1) +
    '" x2="' + x(latest.year).toFixed(1) + '" y1="' + y(latest.renewable_share_pct).toFixed(1) + '" y2="' +
    y(latest.target_share_pct).toFixed(1) + '"></line>' : "";
  const shownYears = [years[0], years[years.length - 1]].concat(actual.map(function (r) { return r.year; }));
  const gapText = latest && isNumber(latest.gap_pct_points) ? esc(title("gap_pct_points")) + " " + latest.year + ": " +
    esc(fmt(latest.gap_pct_points)) + " " + esc(w("pp")) : "";
  return '<figure class="monitoring-chart targets" data-gap="' + (latest ? latest.gap_pct_points : "") + '"><figcaption><b>' +
    esc(title("renewable_share_pct")) + "</b> · " + esc(title("target_share_pct")) + "<br>" + gapText +
    ' <span class="note">(' + esc(pick(targets.electricity_use_note)) + ')</span></figcaption><svg viewBox="0 0 ' + WIDTH +
    " " + HEIGHT + '" role="img" aria-label="' + esc(title("renewable_share_pct") + ", " + gapText) + '">' +
    axes(Array.from(new Set(shownYears)).sort(), x, top, "%") + '<path class="target" d="' + line + '"></path>' + gapLine +
    dots + "</svg></figure>";
}
