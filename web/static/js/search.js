/* potenzial – finding a municipality by name or AGS. */
import { esc, normalise } from "./format.js";
import { t } from "./i18n.js";
import { panelPadding } from "./map.js";
import { state } from "./state.js";

const MAX_HITS = 8;

/* The municipalities of ``collection`` matching ``query``: by AGS prefix when it is digits, else by
 * name (accents and case ignored), names that start with it first. */
export function search(collection, query) {
  const q = normalise(query.trim());
  if (!q || !collection) return [];
  const digits = /^\d+$/.test(q);
  return collection.features.filter(function (f) {
    return digits ? String(f.id).indexOf(q) === 0 : normalise(f.properties.name).indexOf(q) >= 0;
  }).sort(function (a, b) {
    const an = normalise(a.properties.name).indexOf(q) === 0 ? 0 : 1;
    const bn = normalise(b.properties.name).indexOf(q) === 0 ? 0 : 1;
    return an - bn || String(a.properties.name).localeCompare(String(b.properties.name));
  }).slice(0, MAX_HITS);
}

/* Wires the search field of the tool panel ``div``; choosing a hit calls ``onSelect(ags)``. */
export function attachSearch(div, onSelect) {
  const input = div.querySelector("input.search");
  const list = div.querySelector("ul.hits");
  const choose = function (ags) {
    const item = state.features[ags];
    if (!item) return;
    state.map.fitBounds(item.layer.getBounds(), L.extend({maxZoom: 13}, panelPadding()));
    list.innerHTML = "";
    onSelect(ags);
  };
  const showHits = function (query) {
    const hits = search(state.collection, query);
    if (!query.trim()) { list.innerHTML = ""; return; }
    list.innerHTML = hits.length ? hits.map(function (f) {
      return '<li data-ags="' + esc(f.id) + '"><button type="button"><b>' + esc(f.properties.name) +
        "</b> <small>" + esc(f.id) + "</small></button></li>";
    }).join("") : '<li class="none">' + esc(t("no_hits")) + "</li>";
    list.querySelectorAll("li[data-ags] button").forEach(function (button) {
      const li = button.parentNode;
      button.addEventListener("click", function (e) {
        // the list is emptied below, which detaches the clicked item: without this the map
        // would take the click for its own (a point query where the list was)
        L.DomEvent.stop(e);
        choose(li.getAttribute("data-ags"));
      });
    });
  };
  input.addEventListener("input", function () { showHits(input.value); });
  input.addEventListener("keydown", function (e) {
    if (e.key === "Enter") {
      const hits = search(state.collection, input.value);
      if (hits.length) { choose(hits[0].id); }
      e.preventDefault();
    } else if (e.key === "Escape") {
      input.value = ""; showHits("");
    } else if (e.key === "ArrowDown") {
      const first = list.querySelector("li[data-ags] button");
      if (first) { first.focus(); e.preventDefault(); }
    }
  });
}
