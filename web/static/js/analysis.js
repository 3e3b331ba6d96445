/* potenzial – the analysis control: the what-if slider (scenario.js) and the monitoring view (monitoring.js),
 * each a section that opens on demand, in one control beside the layer control (on a phone above the legend,
 * out of the tool panel's way). One control, so that the two never lie over each other or the layer list. */
import { NARROW, control } from "./map.js";
import { state } from "./state.js";

/* The control with its two sections (hidden until their module fills them, in this order). */
export function buildAnalysis() {
  const div = control(window.matchMedia(NARROW).matches ? "bottomleft" : "topright", "potenzial-analysis");
  div.hidden = true;
  ["potenzial-scenario", "potenzial-monitoring"].forEach(function (name) {
    const section = document.createElement("div");
    section.className = name;
    section.hidden = true;
    div.appendChild(section);
  });
  state.analysis = div;
  return div;
}

/* The section of ``name`` ("potenzial-scenario", "potenzial-monitoring"), shown. */
export function analysisSection(name) {
  const section = state.analysis.querySelector("." + name);
  section.hidden = false;
  state.analysis.hidden = false;
  return section;
}
