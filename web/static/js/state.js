/* potenzial – the page's state, shared by every module (one map per page). */

export const state = {
  lang: "de", map: null, config: null, baseLayers: {}, catalog: [], served: [], figureId: null,
  collection: null, features: {}, choropleth: null, overlays: {}, layerControl: null, selected: null,
  detail: null, tool: null, legend: null, side: null, attributions: {}, error: null,
};

/* The URL of an API path, below the root the page was served under (a proxy prefix). */
export function api(path) { return state.config.api.root + path; }
