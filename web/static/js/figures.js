/* potenzial – the figures the page colours municipalities by (values and classes come from the
 * page configuration, computed on the server by web/figures.py) and the choropleth's style. */
import { isNumber } from "./format.js";
import { state } from "./state.js";

export function figure(id) {
  return (state.config.figures || []).find(function (f) { return f.id === id; }) || null;
}

/* The figure's value for ``ags``: the what-if scenario's while the what-if section shows one
 * (state.scenarioFigures, scenario.js), else the run's. */
export function figureValue(fig, ags) {
  if (!fig) return null;
  const scenario = state.scenarioFigures && state.scenarioFigures[fig.id];
  return scenario ? scenario[ags] : fig.values[ags];
}

export function selectableFigures() {
  return (state.config.figures || []).filter(function (f) { return f.selectable; });
}

/* The class colour of ``value`` (the rule of web.figures.Classes). */
export function colourFor(fig, value) {
  if (!fig || !fig.classes || !isNumber(value) || !fig.classes.colours.length) {
    return fig && fig.classes ? fig.classes.no_data : "#bdbdbd";
  }
  const limits = fig.classes.limits;
  let index = 0;
  for (let i = 1; i < limits.length - 1; i++) { if (limits[i] <= value) index = i; }
  return fig.classes.colours[index];
}

function anyOverlayOn() {
  return Object.values(state.overlays).some(function (o) { return state.map.hasLayer(o.layer); });
}

export function styleFeature(feature) {
  const fig = figure(state.figureId);
  const value = figureValue(fig, feature.id);
  const selected = feature.id === state.selected;
  const base = {
    fillColor: colourFor(fig, value), fillOpacity: anyOverlayOn() ? 0.2 : 0.72,
    color: selected ? "#000000" : "#4d4d4d", weight: selected ? 3.5 : 1, opacity: 1,
  };
  // another view (monitoring.js) may colour the municipalities by its own figure
  return state.styleOverride ? state.styleOverride(feature, base) : base;
}

/* Colours every municipality again and keeps the selected one on top. */
export function restyle() {
  if (state.choropleth) state.choropleth.setStyle(styleFeature);
  if (state.selected && state.features[state.selected]) state.features[state.selected].layer.bringToFront();
}
