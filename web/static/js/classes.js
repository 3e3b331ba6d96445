/* potenzial – a vector layer drawn by its classes: the style the API declares once
 * (/api/layers "style", potenzial/serving/cartography.py), applied per feature and listed in the legend. */
import { esc } from "./format.js";
import { pick } from "./i18n.js";
import { state } from "./state.js";

const WORDS = {
  de: {flag: "hart oder weich"},
  en: {flag: "hard or soft"},
};

function word(key) { return (WORDS[state.lang] || WORDS.de)[key]; }

/* The class of a feature's properties (null: none of the declared classes). */
export function classOf(style, props) {
  const value = props ? props[style.field] : undefined;
  if (value === undefined || value === null) return null;
  if (style.kind === "categorised") {
    return style.classes.find(function (c) { return c.code === String(value); }) || null;
  }
  if (style.kind === "first_match") {
    const items = String(value).split(",").map(function (v) { return v.trim(); });
    return style.classes.find(function (c) {
      return c.members.some(function (m) { return items.indexOf(m) >= 0; });
    }) || null;
  }
  const number = Number(value);
  return style.classes.find(function (c) {
    return (c.low === null || number >= c.low) && (c.high === null || number < c.high);
  }) || null;
}

/* Whether a feature is drawn in the light variant (flag field false, e.g. a soft exclusion). */
export function isLight(style, props) {
  if (!style.flag_field || !props) return false;
  const flag = props[style.flag_field];
  return !(flag === true || flag === 1 || flag === "true");
}

/* The Leaflet path options of one feature of a classified layer of geometry ``kind``. */
export function classStyle(style, props, kind) {
  const cls = classOf(style, props);
  const colour = cls ? cls.colour : style.other.colour;
  if (kind === "points") {
    return {radius: 5, fill: true, fillColor: colour, fillOpacity: 0.95, color: "#222222", weight: 1};
  }
  if (kind === "lines") return {color: colour, weight: 2, opacity: 0.9};
  if (isLight(style, props)) {
    return {fill: true, fillColor: colour, fillOpacity: 0.22, color: colour, weight: 1.2, opacity: 0.95,
      dashArray: "4 3"};
  }
  return {fill: true, fillColor: colour, fillOpacity: 0.6, color: colour, weight: 0.6, opacity: 0.9};
}

function swatch(colour, light, kind) {
  const cls = "swatch" + (light ? " light" : "") + (kind === "points" ? " dot" : "");
  const css = light ? "border-color:" + colour + ";background:" + colour + "38"
    : "background:" + colour;
  return '<span class="' + cls + '" style="' + esc(css) + '"></span>';
}

/* The legend entries of a classified layer: one row per class, then the two variants of a flag. */
export function classLegend(style, kind) {
  const rows = style.classes.map(function (c) {
    return '<li data-class="' + esc(c.code) + '">' + swatch(c.colour, false, kind) + esc(pick(c.titles)) + "</li>";
  });
  if (style.kind === "first_match") {  // a list no declared class takes (e.g. a new rule)
    rows.push('<li data-class="other">' + swatch(style.other.colour, false, kind) + esc(pick(style.other.titles)) +
      "</li>");
  }
  let html = '<ul class="classes">' + rows.join("") + "</ul>";
  if (style.flag_titles) {
    html += '<ul class="classes flag" aria-label="' + esc(word("flag")) + '">' +
      '<li data-flag="true">' + swatch("#555555", false, kind) + esc(pick(style.flag_titles["true"])) + "</li>" +
      '<li data-flag="false">' + swatch("#555555", true, kind) + esc(pick(style.flag_titles["false"])) + "</li></ul>";
  }
  return html;
}
