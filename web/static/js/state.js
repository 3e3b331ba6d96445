/* potenzial – the page's state, shared by every module (one map per page). */

export const state = {
  lang: "de", map: null, config: null, baseLayers: {}, catalog: [], served: [], figureId: null,
  collection: null, features: {}, choropleth: null, overlays: {}, layerControl: null, selected: null,
  detail: null, tool: null, legend: null, side: null, attributions: {}, error: null,
  // titles, units and classes of every result column (/api/schemas), empty until loaded
  schemas: {},
  // the address bar follows the view only once the page has applied the link it was opened with
  linkReady: false, returnFocus: null, focusPanel: false,
  // another view's colours and tooltips for the municipalities (monitoring.js), null: the chosen figure's
  styleOverride: null, tooltipOverride: null,
  // the what-if map's eligible-land layer (eligible.js), null until the run offers one
  eligible: null,
  // the what-if scenario's figures ({figure id: {ags: value}}) while its section is open, else null
  scenarioFigures: null,
};

/* The URL of an API path, below the root the page was served under (a proxy prefix). */
export function api(path) { return state.config.api.root + path; }

/* Whether any overlay (a served layer) is on the map: then a click asks for the values at the spot. */
export function overlayOn() {
  return Object.keys(state.overlays).some(function (id) { return state.map.hasLayer(state.overlays[id].layer); });
}
