/* potenzial – the municipalities coloured by the chosen figure, with a tooltip each. */
import { esc, fmt } from "./format.js";
import { figure, figureValue, restyle, styleFeature } from "./figures.js";
import { pick } from "./i18n.js";
import { MORE_SOURCES, addAttributions, removeAttributions } from "./map.js";
import { state } from "./state.js";

/* The choropleth of ``collection`` (/api/municipalities); a click on a municipality calls ``onSelect(ags)``. */
export function buildChoropleth(collection, onSelect) {
  state.collection = collection;
  state.choropleth = L.geoJSON(collection, {
    style: styleFeature,
    onEachFeature: function (feature, layer) {
      state.features[feature.id] = {feature: feature, layer: layer};
      layer.bindTooltip(function () { return tooltipHtml(feature); }, {sticky: true, direction: "top"});
      layer.on("add", function () {
        const el = layer.getElement();
        if (el) { el.setAttribute("data-ags", feature.id); }
      });
      layer.on("click", function () { onSelect(feature.id); });
      layer.on("mouseover", function () { layer.setStyle({weight: 3, color: "#000000"}); });
      layer.on("mouseout", function () { state.choropleth.resetStyle(layer); restyle(); });
    },
  }).addTo(state.map);
  state.choropleth.on("add", function () { addAttributions(choroplethAttributions()); });
  state.choropleth.on("remove", function () { removeAttributions(choroplethAttributions()); });
  addAttributions(choroplethAttributions());
}

function tooltipHtml(feature) {
  if (state.tooltipOverride) return state.tooltipOverride(feature);  // another view's figure (monitoring.js)
  const fig = figure(state.figureId);
  const value = figureValue(fig, feature.id);
  return "<b>" + esc(feature.properties.name) + "</b> <small>" + esc(feature.id) + "</small>" +
    (fig ? "<br>" + esc(pick(fig.label)) + ": " + esc(fmt(value, fig.unit)) : "");
}

/* The boundaries' attribution (from the catalog) and the pointer to the legend's source list. */
export function choroplethAttributions() {
  const id = state.config.region.boundaries_layer;
  const entry = state.catalog.find(function (e) { return e.id === id; });
  return (entry && entry.attribution ? [entry.attribution] : []).concat([MORE_SOURCES]);
}

/* Whether the choropleth is on the map now. */
export function choroplethShown() { return Boolean(state.choropleth && state.map.hasLayer(state.choropleth)); }
