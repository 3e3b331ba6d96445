/* potenzial – the Leaflet map around the panels: controls, attributions, and fitting the view
 * into the room the panels leave. */
import { esc } from "./format.js";
import { t } from "./i18n.js";
import { state } from "./state.js";

export const NARROW = "(max-width: 640px)";
/* below this width the layer control starts collapsed (an icon) */
export const WIDE = "(min-width: 1000px)";
/* stands for "the legend lists every source" in the attribution control (translated when shown) */
export const MORE_SOURCES = "\u2026legend";

/* A Leaflet control holding one of the page's panels; clicks and scrolls stay in the panel. */
export function control(position, className, build) {
  const ctl = L.control({position: position});
  ctl.onAdd = function () {
    const div = L.DomUtil.create("div", "potenzial-panel " + className);
    L.DomEvent.disableClickPropagation(div);
    // panels re-render while handling their own clicks (language, search hits): stop every click
    // here too, or the map would take a click on a detached element for a click on the map
    L.DomEvent.on(div, "click", L.DomEvent.stopPropagation);
    L.DomEvent.disableScrollPropagation(div);
    if (build) build(div);
    return div;
  };
  ctl.addTo(state.map);
  return ctl.getContainer();
}

// attributions are counted per text, so layers that share a source show it once
export function addAttributions(parts) {
  parts.forEach(function (part) {
    state.attributions[part] = (state.attributions[part] || 0) + 1;
    if (state.attributions[part] === 1) state.map.attributionControl.addAttribution(attributionHtml(part));
  });
}

export function removeAttributions(parts) {
  parts.forEach(function (part) {
    state.attributions[part] = (state.attributions[part] || 1) - 1;
    if (state.attributions[part] === 0) state.map.attributionControl.removeAttribution(attributionHtml(part));
  });
}

function attributionHtml(part) {
  return part === MORE_SOURCES ? '<span class="more-sources">' + esc(t("more_sources")) + "</span>" : esc(part);
}

/* Room the panels leave on the map: beside the side panel, or above the bottom sheet on a phone. */
export function panelPadding() {
  if (window.matchMedia(NARROW).matches) {
    const top = state.tool ? state.tool.offsetHeight + 20 : 20;
    return {paddingTopLeft: [10, top], paddingBottomRight: [10, Math.round(window.innerHeight * 0.58) + 10]};
  }
  const left = window.matchMedia(WIDE).matches && state.tool ? state.tool.offsetWidth + 20 : 20;
  return {paddingTopLeft: [left, 20], paddingBottomRight: [380, 20]};
}

/* The county between the panels: left of it the tool panel, right of it the layer control. */
export function fitCounty() {
  const size = state.map.getSize();
  const left = state.tool ? state.tool.offsetWidth + 20 : 0;
  const ctl = state.layerControl ? state.layerControl.getContainer() : null;
  const right = ctl && window.matchMedia(WIDE).matches ? ctl.offsetWidth + 20 : 10;
  const top = window.matchMedia(NARROW).matches && state.tool ? state.tool.offsetHeight + 20 : 10;
  const usable = size.x - left - right > size.x / 3;
  const padding = usable ? {paddingTopLeft: [left, top], paddingBottomRight: [right, 10]}
    : {paddingTopLeft: [10, top], paddingBottomRight: [10, 10]};
  state.map.fitBounds(state.config.bounds, L.extend(padding, {animate: false}));
}
