/* potenzial – what a person reads for a result column: its title, unit, description and class titles,
 * declared once in the result schemas (/api/schemas, {schema: {title, columns: {col: {title, unit,
 * description, classes}}}}). A column without a declared title is not shown: raw names stay in the data. */
import { getJSON } from "./format.js";
import { pick } from "./i18n.js";
import { api, state } from "./state.js";

/* what the schemas write for a figure without a unit (a count of classes, a share as a fraction) */
const NO_UNIT = "\u2013";

/* Loads the schemas once, when the page's configuration says the API serves them. */
export function loadSchemas() {
  const path = state.config.api.schemas;
  if (!path) return Promise.resolve({});
  return getJSON(api(path)).then(function (schemas) {
    state.schemas = schemas || {};
    return state.schemas;
  });
}

/* The declaration of ``column``: in ``table`` when given, else in the first schema that has it. */
export function column(table, name) {
  const schemas = state.schemas || {};
  const direct = table && schemas[table] && schemas[table].columns ? schemas[table].columns[name] : null;
  if (direct) return direct;
  if (table) return null;
  const owner = Object.keys(schemas).find(function (s) { return schemas[s].columns && schemas[s].columns[name]; });
  return owner ? schemas[owner].columns[name] : null;
}

/* The column's title in the page language, or null when the schemas declare none. */
export function columnTitle(table, name) {
  const c = column(table, name);
  return c && c.title ? pick(c.title) || null : null;
}

/* The column's unit in the page language; ``fallback`` (the API's unit) when the schemas give none. */
export function columnUnit(table, name, fallback) {
  const c = column(table, name);
  if (c && c.unit && typeof c.unit === "object") {
    const unit = pick(c.unit);
    return unit === NO_UNIT ? "" : unit;
  }
  return fallback || "";
}

export function columnDescription(table, name) {
  const c = column(table, name);
  return c && c.description ? pick(c.description) : "";
}

/* The title of class ``code`` of a categorical column, or null. */
export function classTitle(table, name, code) {
  const c = column(table, name);
  return c && c.classes && c.classes[code] ? pick(c.classes[code]) : null;
}

/* The schema's own title (a layer's or table's name), or null. */
export function schemaTitle(table) {
  const s = (state.schemas || {})[table];
  return s && s.title ? pick(s.title) || null : null;
}
