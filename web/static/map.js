/* potenzial – the map page's own script (no build step, no external requests).
 *
 * The folium page hands over the Leaflet map, its base layers and a configuration (figures per
 * municipality with classes, side-panel layout, display zooms). Everything else comes from the
 * API when the page starts: the layer list from /api/layers (no layer list in here), the
 * municipalities from /api/municipalities, a municipality's figures from
 * /api/municipalities/{ags}, and the values at a clicked spot from /api/point.
 */
(function () {
  "use strict";

  const STRINGS = {
    de: {
      switch_to: "EN", switch_title: "Switch to English",
      run: "Lauf", search: "Gemeinde suchen", search_placeholder: "Name oder AGS, z. B. Grimma",
      no_hits: "Keine Gemeinde gefunden", colour_by: "Einfärben nach",
      synthetic: "synthetische Demodaten",
      synthetic_run: "Dieser Lauf nutzt synthetische Demodaten (keine echten Werte) für ",
      legend: "Legende", no_data: "keine Daten", municipalities: "Gemeinden",
      sources: "Datenquellen", real: "echt", n_synthetic: "synthetisch",
      licence: "Lizenz", from_zoom: "ab Zoomstufe", zoom_in: "hineinzoomen, um sie zu sehen",
      no_basemap: "Keine Grundkarte (offline)",
      potentials: "Die vier Potenziale", capacity: "Leistung", energy: "Energie",
      installed: "Installierte Leistung", remaining: "Noch offen (Potenzial − installiert)",
      total: "Energiepotenzial gesamt", not_computed: "nicht berechnet",
      download: "GeoPackage herunterladen", factsheet: "Steckbrief (druckbar)",
      all_figures: "Alle Kennzahlen", figure: "Kennzahl", value: "Wert",
      close: "Schließen", loading: "Lädt …", failed: "Konnte nicht geladen werden",
      here: "An dieser Stelle", exclusions: "Ausschlussgründe", no_exclusions: "keine",
      values: "Werte", features: "Objekte", nothing_here: "keine Daten an dieser Stelle",
      municipality: "Gemeinde", outside: "außerhalb der Region",
      click_hint: "Klick auf die Karte: Werte und Ausschlussgründe an der Stelle; auf eine Gemeinde: ihre Zahlen.",
      more_sources: "weitere Quellen: Legende", layer_sources: "Quellen", inputs: "Eingangsdaten",
      areas: "Flächen", points: "Punkte", lines: "Linien",
    },
    en: {
      switch_to: "DE", switch_title: "Auf Deutsch umschalten",
      run: "run", search: "Find a municipality", search_placeholder: "name or AGS, e.g. Grimma",
      no_hits: "No municipality found", colour_by: "Colour by",
      synthetic: "synthetic demo data",
      synthetic_run: "This run uses synthetic demo data (not real values) for ",
      legend: "Legend", no_data: "no data", municipalities: "Municipalities",
      sources: "Data sources", real: "real", n_synthetic: "synthetic",
      licence: "licence", from_zoom: "from zoom", zoom_in: "zoom in to see it",
      no_basemap: "No base map (offline)",
      potentials: "The four potentials", capacity: "Capacity", energy: "Energy",
      installed: "Installed capacity", remaining: "Remaining (potential − installed)",
      total: "Total energy potential", not_computed: "not computed",
      download: "Download GeoPackage", factsheet: "Fact sheet (printable)",
      all_figures: "All figures", figure: "Figure", value: "Value",
      close: "Close", loading: "Loading …", failed: "Could not be loaded",
      here: "At this spot", exclusions: "Exclusion reasons", no_exclusions: "none",
      values: "Values", features: "features", nothing_here: "no data at this spot",
      municipality: "Municipality", outside: "outside the region",
      click_hint: "Click the map: values and exclusion reasons at the spot; a municipality: its figures.",
      more_sources: "more sources: legend", layer_sources: "Sources", inputs: "inputs",
      areas: "areas", points: "points", lines: "lines",
    },
  };

  /* Readable names for layer ids known today; any other layer shows the title /api/layers gives. */
  const LAYER_TITLES = {
    municipalities: ["Gemeindegrenzen", "Municipal boundaries"],
    solar_roof: ["Dach-PV: Dachflächen", "Rooftop PV: roof planes"],
    pv_ground_areas: ["Freiflächen-PV: Potenzialflächen", "Ground-mounted PV: potential areas"],
    wind_areas: ["Wind: Potenzialflächen", "Wind: potential areas"],
    wind_turbines: ["Wind: mögliche Anlagen", "Wind: possible turbines"],
    wind_exclusions: ["Wind: Ausschlussflächen", "Wind: excluded land"],
    wind_exclusion_count: ["Wind: Zahl der Ausschlussregeln je Zelle", "Wind: number of exclusion rules per cell"],
    wind_setback_distance: ["Wind: Abstand zu Wohngebäuden", "Wind: distance to residential buildings"],
    biomass_map: ["Biomasse: Herkunftsflächen", "Biomass: source land"],
    terrain: ["Geländehöhe", "Terrain height"],
    wind_speed_150m: ["Windgeschwindigkeit in 150 m Höhe", "Wind speed at 150 m"],
  };

  const NARROW = "(max-width: 640px)";
  /* stands for "the legend lists every source" in the attribution control (translated when shown) */
  const MORE_SOURCES = "\u2026legend";
  /* below this width the layer control starts collapsed (an icon) */
  const WIDE = "(min-width: 1000px)";
  const state = {
    lang: "de", map: null, config: null, baseLayers: {}, catalog: [], served: [], figureId: null,
    features: {}, choropleth: null, overlays: {}, layerControl: null, selected: null, detail: null,
    tool: null, legend: null, side: null, attributions: {}, error: null,
  };

  // ---------------------------------------------------------------- helpers

  function t(key) { return (STRINGS[state.lang] || STRINGS.de)[key] || STRINGS.de[key] || key; }
  function pick(text) { return text ? (text[state.lang] || text.de || "") : ""; }
  function esc(value) {
    return String(value === null || value === undefined ? "" : value)
      .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
  }
  function api(path) { return state.config.api.root + path; }
  function isNumber(v) { return typeof v === "number" && isFinite(v); }

  /* A number for people: 0 decimals from 100, 1 from 10, else 2; locale of the page language. */
  function fmt(value, unit) {
    if (!isNumber(value)) return "–";
    const abs = Math.abs(value);
    const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
    const text = new Intl.NumberFormat(state.lang === "de" ? "de-DE" : "en-GB",
      {maximumFractionDigits: digits}).format(value);
    return unit ? text + "\u00a0" + unit : text;
  }

  function getJSON(url) {
    return fetch(url, {headers: {Accept: "application/json"}}).then(function (response) {
      if (!response.ok) {
        return response.json().catch(function () { return {}; }).then(function (body) {
          throw new Error((body && (body.detail || body.message)) || ("HTTP " + response.status));
        });
      }
      return response.json();
    });
  }

  function badge() { return '<span class="synthetic">' + esc(t("synthetic")) + "</span>"; }

  /* "This run uses synthetic demo data for N inputs" with the inputs' titles behind a click. */
  function syntheticWarning(ids) {
    const titles = ids.map(function (id) {
      const entry = state.catalog.find(function (e) { return e.id === id; });
      return entry ? entry.title : id;
    });
    return '<details class="potenzial-warning"><summary>' + badge() + " " + esc(t("synthetic_run")) + ids.length +
      " " + esc(t("inputs")) + "</summary>" + esc(titles.join(", ")) + "</details>";
  }

  function layerTitle(info) {
    const known = LAYER_TITLES[info.id];
    return known ? known[state.lang === "de" ? 0 : 1] : info.title;
  }

  function normalise(text) {
    return String(text).toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/ß/g, "ss");
  }

  function initialLang() {
    const fromUrl = new URLSearchParams(window.location.search).get("lang");
    if (fromUrl && STRINGS[fromUrl]) return fromUrl;
    try {
      const stored = window.localStorage.getItem("potenzial.lang");
      if (stored && STRINGS[stored]) return stored;
    } catch (e) { /* storage may be off */ }
    return "de";
  }

  function control(position, className, build) {
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

  // ---------------------------------------------------------------- figures and classes

  function figure(id) {
    return (state.config.figures || []).find(function (f) { return f.id === id; }) || null;
  }
  function selectableFigures() { return (state.config.figures || []).filter(function (f) { return f.selectable; }); }

  function colourFor(fig, value) {
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

  function styleFeature(feature) {
    const fig = figure(state.figureId);
    const value = fig ? fig.values[feature.id] : null;
    const selected = feature.id === state.selected;
    return {
      fillColor: colourFor(fig, value), fillOpacity: anyOverlayOn() ? 0.2 : 0.72,
      color: selected ? "#000000" : "#4d4d4d", weight: selected ? 3.5 : 1, opacity: 1,
    };
  }

  function restyle() {
    if (state.choropleth) state.choropleth.setStyle(styleFeature);
    if (state.selected && state.features[state.selected]) state.features[state.selected].layer.bringToFront();
  }

  // ---------------------------------------------------------------- choropleth

  function buildChoropleth(collection) {
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
        layer.on("click", function () { openPanel(feature.id); });
        layer.on("mouseover", function () { layer.setStyle({weight: 3, color: "#000000"}); });
        layer.on("mouseout", function () { state.choropleth.resetStyle(layer); restyle(); });
      },
    }).addTo(state.map);
    state.choropleth.on("add", function () { addAttributions(choroplethAttributions()); });
    state.choropleth.on("remove", function () { removeAttributions(choroplethAttributions()); });
    addAttributions(choroplethAttributions());
  }

  function tooltipHtml(feature) {
    const fig = figure(state.figureId);
    const value = fig ? fig.values[feature.id] : null;
    return "<b>" + esc(feature.properties.name) + "</b> <small>" + esc(feature.id) + "</small>" +
      (fig ? "<br>" + esc(pick(fig.label)) + ": " + esc(fmt(value, fig.unit)) : "");
  }

  function choroplethAttributions() {
    const id = state.config.region.boundaries_layer;
    const entry = state.catalog.find(function (e) { return e.id === id; });
    return (entry && entry.attribution ? [entry.attribution] : []).concat([MORE_SOURCES]);
  }

  // attributions are counted per text, so layers that share a source show it once
  function addAttributions(parts) {
    parts.forEach(function (part) {
      state.attributions[part] = (state.attributions[part] || 0) + 1;
      if (state.attributions[part] === 1) state.map.attributionControl.addAttribution(attributionHtml(part));
    });
  }
  function removeAttributions(parts) {
    parts.forEach(function (part) {
      state.attributions[part] = (state.attributions[part] || 1) - 1;
      if (state.attributions[part] === 0) state.map.attributionControl.removeAttribution(attributionHtml(part));
    });
  }
  function attributionHtml(part) {
    return part === MORE_SOURCES ? '<span class="more-sources">' + esc(t("more_sources")) + "</span>" : esc(part);
  }

  // ---------------------------------------------------------------- served layers

  function vectorStyle(info) {
    const colour = info.colour || "#666666";
    const kind = String(info.geometry_type || "").toUpperCase();
    if (kind.indexOf("POINT") >= 0) {
      return {radius: 4, fill: true, fillColor: colour, fillOpacity: 0.9, color: "#333333", weight: 1};
    }
    if (kind.indexOf("LINE") >= 0) return {color: colour, weight: 2, opacity: 0.9};
    return {fill: true, fillColor: colour, fillOpacity: 0.5, color: colour, weight: 0.6, opacity: 0.9};
  }

  function buildOverlays() {
    state.map.createPane("potenzial-overlays");
    const pane = state.map.getPane("potenzial-overlays");
    pane.style.zIndex = 450;
    pane.style.pointerEvents = "none";
    state.served.forEach(function (info) {
      const b = info.bounds;
      const bounds = L.latLngBounds([[b[1], b[0]], [b[3], b[2]]]);
      const displayMin = Math.max(info.minzoom, state.config.display_minzoom[info.id] || 0);
      let layer;
      if (info.kind === "raster") {
        layer = L.tileLayer(info.tiles[0], {
          pane: "potenzial-overlays", opacity: 0.75, minZoom: displayMin, maxNativeZoom: info.maxzoom,
          maxZoom: 22, bounds: bounds, className: "potenzial-raster",
        });
      } else {
        const styles = {};
        styles[info.id] = vectorStyle(info);
        layer = L.vectorGrid.protobuf(info.tiles[0], {
          pane: "potenzial-overlays", rendererFactory: L.canvas.tile, vectorTileLayerStyles: styles,
          interactive: false, minZoom: displayMin, maxNativeZoom: info.maxzoom, maxZoom: 22, bounds: bounds,
        });
      }
      // a layer's sources are named in its legend entry and listed in full under "Datenquellen"
      layer.on("add", overlayChanged);
      layer.on("remove", overlayChanged);
      state.overlays[info.id] = {layer: layer, info: info, minZoom: displayMin};
    });
  }

  function overlayChanged() {
    restyle();
    renderLegend();
  }

  function overlayLabel(info, minZoom) {
    let html = '<span class="potenzial-layer" data-layer-id="' + esc(info.id) + '">' + esc(layerTitle(info));
    if (info.units && info.kind === "raster") html += " <small>[" + esc(info.units) + "]</small>";
    if (info.synthetic) html += " " + badge();
    if (minZoom > state.map.getMinZoom() && minZoom > 0) {
      html += ' <small class="minzoom">(' + esc(t("from_zoom")) + " " + minZoom + ")</small>";
    }
    return html + "</span>";
  }

  function buildLayerControl() {
    if (state.layerControl) state.layerControl.remove();
    const bases = {};
    Object.keys(state.baseLayers).forEach(function (key) {
      const name = key === "none" ? t("no_basemap") : key;
      bases['<span class="potenzial-base" data-base="' + esc(key) + '">' + esc(name) + "</span>"] =
        state.baseLayers[key];
    });
    const overlays = {};
    const synthetic = (state.config.run.synthetic_inputs || []).length > 0;
    overlays['<span class="potenzial-layer" data-layer-id="choropleth">' + esc(t("municipalities")) + ": " +
      esc(pick((figure(state.figureId) || {}).label)) + (synthetic ? " " + badge() : "") + "</span>"] =
      state.choropleth;
    state.served.forEach(function (info) {
      const o = state.overlays[info.id];
      overlays[overlayLabel(info, o.minZoom)] = o.layer;
    });
    state.layerControl = L.control.layers(bases, overlays, {
      position: "topright", collapsed: !window.matchMedia(WIDE).matches, sortLayers: false,
    }).addTo(state.map);
    const container = state.layerControl.getContainer();
    container.classList.add("potenzial-layers");
    L.DomEvent.disableScrollPropagation(container);
  }

  // ---------------------------------------------------------------- legend

  function rangeText(low, high, unit) {
    return fmt(low) + " – " + fmt(high) + (unit ? "\u00a0" + unit : "");
  }

  function rasterLegend(info) {
    const stops = (info.legend || []).filter(function (e) { return isNumber(e.value); });
    if (!stops.length) return "";
    const low = stops[0].value, high = stops[stops.length - 1].value;
    const gradient = stops.map(function (e) {
      return e.colour + " " + (high > low ? ((e.value - low) / (high - low)) * 100 : 0).toFixed(1) + "%";
    }).join(", ");
    return '<div class="ramp" style="background: linear-gradient(to right, ' + esc(gradient) + ')"></div>' +
      '<div class="ramp-labels"><span>' + esc(fmt(low)) + "</span><span>" + esc(fmt(high)) + " " +
      esc(info.units || "") + "</span></div>";
  }

  function renderLegend() {
    const div = state.legend;
    if (!div || !state.choropleth) return;
    const fig = figure(state.figureId);
    const parts = [];
    const synthetic = (state.config.run.synthetic_inputs || []).length > 0;
    const open = div.dataset.rendered ? (div.querySelector("details.legend-main") || {}).open
      : !window.matchMedia(NARROW).matches;
    const sourcesOpen = div.dataset.rendered ? (div.querySelector("details.sources") || {}).open
      : window.matchMedia(WIDE).matches;
    parts.push('<details class="legend-main"' + (open ? " open" : "") + "><summary>" + esc(t("legend")) + "</summary>");
    if (fig && state.map.hasLayer(state.choropleth)) {
      parts.push('<section class="legend-choropleth"><h2>' + esc(pick(fig.label)) + " [" + esc(fig.unit) + "]" +
        (synthetic ? " " + badge() : "") + '</h2><ul class="classes">');
      const limits = fig.classes.limits, colours = fig.classes.colours;
      colours.forEach(function (colour, i) {
        parts.push('<li><span class="swatch" style="background:' + esc(colour) + '"></span>' +
          esc(rangeText(limits[i], limits[i + 1], fig.unit)) + "</li>");
      });
      const missing = Object.keys(fig.values).some(function (k) { return !isNumber(fig.values[k]); });
      if (missing || !colours.length) {
        parts.push('<li><span class="swatch" style="background:' + esc(fig.classes.no_data) + '"></span>' +
          esc(t("no_data")) + "</li>");
      }
      parts.push("</ul>");
      if (fig.note) parts.push('<p class="note">' + esc(pick(fig.note)) + "</p>");
      parts.push("</section>");
    }
    state.served.forEach(function (info) {
      const o = state.overlays[info.id];
      if (!state.map.hasLayer(o.layer)) return;
      parts.push('<section class="legend-layer" data-layer-id="' + esc(info.id) + '"><h3>' +
        esc(layerTitle(info)) + (info.synthetic ? " " + badge() : "") + "</h3>");
      if (info.kind === "raster") {
        parts.push(rasterLegend(info));
      } else {
        const style = vectorStyle(info);
        const kind = String(info.geometry_type || "").toUpperCase();
        const what = kind.indexOf("POINT") >= 0 ? t("points") : kind.indexOf("LINE") >= 0 ? t("lines") : t("areas");
        parts.push('<p><span class="swatch" style="background:' + esc(style.fillColor || style.color) + '"></span>' +
          esc(what) + "</p>");
      }
      const titles = (info.sources || []).map(function (src) { return src.title; });
      if (titles.length) {
        parts.push('<p class="note layer-sources">' + esc(t("layer_sources")) + ": " + esc(titles.join("; ")) + "</p>");
      }
      if (state.map.getZoom() < o.minZoom) {
        parts.push('<p class="note">' + esc(t("from_zoom")) + " " + o.minZoom + ": " + esc(t("zoom_in")) + "</p>");
      }
      parts.push("</section>");
    });
    parts.push("</details>");
    // every data source of the catalog, with provenance, attribution and licence
    const n_syn = state.catalog.filter(function (e) { return e.synthetic; }).length;
    parts.push('<details class="sources"' + (sourcesOpen ? " open" : "") + "><summary>" + esc(t("sources")) + " (" +
      (state.catalog.length - n_syn) + " " + esc(t("real")) + ", " + n_syn + " " + esc(t("n_synthetic")) +
      ')</summary><ul class="sources">');
    state.catalog.slice().sort(function (a, b) { return (a.synthetic - b.synthetic); }).forEach(function (e) {
      parts.push('<li data-source="' + esc(e.id) + '"><b>' + esc(e.title) + "</b>" +
        (e.synthetic ? " " + badge() : "") +
        "<br>" + esc(e.attribution) + " <i>(" + esc(t("licence")) + ": " + esc(e.licence) + ")</i></li>");
    });
    parts.push("</ul></details>");
    div.innerHTML = parts.join("");
    div.dataset.rendered = "1";
  }

  // ---------------------------------------------------------------- tool panel: title, search, selector

  function renderTool() {
    const div = state.tool;
    const run = state.config.run;
    const synthetic = run.synthetic_inputs || [];
    const options = selectableFigures().map(function (f) {
      return '<option value="' + esc(f.id) + '"' + (f.id === state.figureId ? " selected" : "") + ">" +
        esc(pick(f.label)) + " [" + esc(f.unit) + "]</option>";
    }).join("");
    div.innerHTML =
      '<div class="head"><h1>' + esc(document.title) + "</h1>" +
      '<button type="button" class="lang" title="' + esc(t("switch_title")) + '">' + esc(t("switch_to")) +
      "</button></div>" +
      '<p class="run">' + esc(t("run")) + " <code>" + esc(run.run_id) + "</code> · " + esc(run.finished_at) + "</p>" +
      (synthetic.length ? syntheticWarning(synthetic) : "") +
      '<label class="field"><span>' + esc(t("search")) + '</span><input type="search" class="search" ' +
      'autocomplete="off" placeholder="' + esc(t("search_placeholder")) + '" aria-label="' + esc(t("search")) +
      '"></label><ul class="hits" role="listbox"></ul>' +
      '<label class="field"><span>' + esc(t("colour_by")) + '</span><select class="figure">' + options +
      "</select></label>" +
      '<p class="hint">' + esc(t("click_hint")) + "</p>" +
      (state.error ? '<p class="error">' + esc(t("failed")) + ": " + esc(state.error) + "</p>" : "");
    div.querySelector("button.lang").addEventListener("click", function () {
      setLang(state.lang === "de" ? "en" : "de");
    });
    div.querySelector("select.figure").addEventListener("change", function (e) { setFigure(e.target.value); });
    const input = div.querySelector("input.search");
    input.addEventListener("input", function () { showHits(input.value); });
    input.addEventListener("keydown", function (e) {
      if (e.key === "Enter") {
        const hits = search(input.value);
        if (hits.length) { choose(hits[0].id); }
        e.preventDefault();
      } else if (e.key === "Escape") {
        input.value = ""; showHits("");
      }
    });
  }

  function search(query) {
    const q = normalise(query.trim());
    if (!q || !state.collection) return [];
    const digits = /^\d+$/.test(q);
    return state.collection.features.filter(function (f) {
      return digits ? String(f.id).indexOf(q) === 0 : normalise(f.properties.name).indexOf(q) >= 0;
    }).sort(function (a, b) {
      const an = normalise(a.properties.name).indexOf(q) === 0 ? 0 : 1;
      const bn = normalise(b.properties.name).indexOf(q) === 0 ? 0 : 1;
      return an - bn || String(a.properties.name).localeCompare(String(b.properties.name));
    }).slice(0, 8);
  }

  function showHits(query) {
    const list = state.tool.querySelector("ul.hits");
    const hits = search(query);
    if (!query.trim()) { list.innerHTML = ""; return; }
    list.innerHTML = hits.length ? hits.map(function (f) {
      return '<li role="option" data-ags="' + esc(f.id) + '"><b>' + esc(f.properties.name) + "</b> <small>" +
        esc(f.id) + "</small></li>";
    }).join("") : '<li class="none">' + esc(t("no_hits")) + "</li>";
    list.querySelectorAll("li[data-ags]").forEach(function (li) {
      li.addEventListener("click", function (e) {
        // the list is emptied below, which detaches the clicked item: without this the map
        // would take the click for its own (a point query where the list was)
        L.DomEvent.stop(e);
        choose(li.getAttribute("data-ags"));
      });
    });
  }

  function choose(ags) {
    const item = state.features[ags];
    if (!item) return;
    state.map.fitBounds(item.layer.getBounds(), L.extend({maxZoom: 13}, panelPadding()));
    state.tool.querySelector("ul.hits").innerHTML = "";
    openPanel(ags);
  }

  /* Room the panels leave on the map: beside the side panel, or above the bottom sheet on a phone. */
  function panelPadding() {
    if (window.matchMedia(NARROW).matches) {
      const top = state.tool ? state.tool.offsetHeight + 20 : 20;
      return {paddingTopLeft: [10, top], paddingBottomRight: [10, Math.round(window.innerHeight * 0.58) + 10]};
    }
    const left = window.matchMedia(WIDE).matches && state.tool ? state.tool.offsetWidth + 20 : 20;
    return {paddingTopLeft: [left, 20], paddingBottomRight: [380, 20]};
  }

  function setFigure(id) {
    state.figureId = id;
    restyle();
    renderLegend();
    buildLayerControl();
    if (state.choropleth) {
      state.choropleth.eachLayer(function (layer) { if (layer.isTooltipOpen()) layer.closeTooltip(); });
    }
  }

  function setLang(lang) {
    const shown = state.choropleth && state.map.hasLayer(state.choropleth);
    if (shown) removeAttributions(choroplethAttributions());  // still in the old language
    state.lang = lang;
    document.documentElement.lang = lang;
    try { window.localStorage.setItem("potenzial.lang", lang); } catch (e) { /* storage may be off */ }
    renderTool();
    if (state.choropleth) {
      buildLayerControl();
      renderLegend();
    }
    if (shown) addAttributions(choroplethAttributions());
    if (state.detail) renderPanel(state.detail);
    state.map.closePopup();
  }

  // ---------------------------------------------------------------- side panel

  function buildSide() {
    const aside = document.createElement("aside");
    aside.className = "potenzial-side";
    aside.hidden = true;
    aside.setAttribute("aria-live", "polite");
    document.body.appendChild(aside);
    L.DomEvent.disableClickPropagation(aside);
    L.DomEvent.disableScrollPropagation(aside);
    state.side = aside;
  }

  function closePanel() {
    state.side.hidden = true;
    document.body.classList.remove("potenzial-side-open");
    state.selected = null;
    state.detail = null;
    restyle();
  }

  function openPanel(ags) {
    state.selected = ags;
    restyle();
    state.side.hidden = false;
    document.body.classList.add("potenzial-side-open");
    state.side.innerHTML = '<p class="loading">' + esc(t("loading")) + "</p>";
    state.side.dataset.ags = ags;
    getJSON(api("/api/municipalities/" + encodeURIComponent(ags))).then(function (detail) {
      if (state.selected !== ags) return;
      state.detail = detail;
      renderPanel(detail);
    }).catch(function (err) {
      state.side.innerHTML = '<button type="button" class="close">×</button><p class="error">' + esc(t("failed")) +
        ": " + esc(err.message) + "</p>";
      state.side.querySelector("button.close").addEventListener("click", closePanel);
    });
  }

  function cell(column, detail) {
    const value = detail.figures[column];
    return '<td class="num" data-column="' + esc(column) + '" data-value="' + esc(isNumber(value) ? value : "") +
      '">' + esc(fmt(value, detail.units[column] || "")) + "</td>";
  }

  function derivedCell(id, ags) {
    const fig = figure(id);
    const value = fig ? fig.values[ags] : null;
    return '<td class="num" data-figure="' + esc(id) + '" data-value="' + esc(isNumber(value) ? value : "") + '">' +
      esc(fmt(value, fig ? fig.unit : "")) + "</td>";
  }

  function renderPanel(detail) {
    const panel = state.config.panel;
    const ags = detail.ags;
    const has = function (q) { return q && Object.prototype.hasOwnProperty.call(detail.figures, q.column); };
    const rows = [];
    rows.push('<button type="button" class="close" title="' + esc(t("close")) + '" aria-label="' + esc(t("close")) +
      '">×</button>');
    rows.push('<h2 class="name">' + esc(detail.name) + '</h2><p class="ags">AGS <span>' + esc(ags) + "</span></p>");
    if ((detail.synthetic_inputs || []).length) rows.push(syntheticWarning(detail.synthetic_inputs));
    rows.push('<h3>' + esc(t("potentials")) + '</h3><table class="potentials"><tr><th></th><th class="num">' +
      esc(t("capacity")) + '</th><th class="num">' + esc(t("energy")) + "</th></tr>");
    panel.potentials.forEach(function (p) {
      rows.push('<tr data-potential="' + esc(p.key) + '"><th>' + esc(pick(p.label)) + "</th>");
      if (!has(p.capacity) && !has(p.energy)) {
        rows.push('<td colspan="2" class="missing">' + esc(t("not_computed")) + "</td></tr>");
        return;
      }
      rows.push(has(p.capacity) ? cell(p.capacity.column, detail) : '<td class="num">–</td>');
      rows.push(has(p.energy) ? cell(p.energy.column, detail) : '<td class="num">–</td>');
      rows.push("</tr>");
    });
    if (panel.total) {
      rows.push('<tr class="total"><th>' + esc(t("total")) + "</th><td></td>" + derivedCell(panel.total, ags) +
        "</tr>");
    }
    rows.push("</table>");
    rows.push("<h3>" + esc(t("installed")) + '</h3><table class="installed">');
    panel.installed.forEach(function (q) {
      if (has(q)) rows.push("<tr><th>" + esc(pick(q.label)) + "</th>" + cell(q.column, detail) + "</tr>");
    });
    rows.push("</table>");
    if (panel.remaining.length) {
      rows.push("<h3>" + esc(t("remaining")) + '</h3><table class="remaining">');
      panel.remaining.forEach(function (id) {
        const fig = figure(id);
        rows.push("<tr><th>" + esc(pick(fig.label)) + "</th>" + derivedCell(id, ags) + "</tr>");
      });
      rows.push("</table>");
    }
    rows.push('<p class="links"><a class="download" href="' + esc(detail.links.download) + '" download>' +
      esc(t("download")) + '</a> <a class="factsheet" href="' + esc(detail.links.factsheet) +
      '" target="_blank" rel="noopener">' + esc(t("factsheet")) + "</a></p>");
    rows.push('<details class="all"><summary>' + esc(t("all_figures")) + '</summary><table class="all">');
    Object.keys(detail.figures).forEach(function (column) {
      if (column === "ags" || column === "name") return;
      rows.push("<tr><th><code>" + esc(column) + "</code></th>" + cell(column, detail) + "</tr>");
    });
    rows.push("</table></details>");
    rows.push('<p class="meta">' + esc(t("run")) + " <code>" + esc(detail.run_id) + "</code> · " +
      esc(detail.finished_at) + "</p>");
    state.side.innerHTML = rows.join("");
    state.side.querySelector("button.close").addEventListener("click", closePanel);
  }

  // ---------------------------------------------------------------- point query

  function onMapClick(e) {
    const lat = e.latlng.lat, lon = e.latlng.lng;
    const ctl = state.layerControl ? state.layerControl.getContainer() : null;
    const wide = window.matchMedia(WIDE).matches;
    const popup = L.popup({
      maxWidth: 320, maxHeight: 300, className: "potenzial-point",
      autoPanPaddingTopLeft: [wide && state.tool ? state.tool.offsetWidth + 20 : 10, 10],
      autoPanPaddingBottomRight: [wide && ctl ? ctl.offsetWidth + 20 : 10, 10],
    })
      .setLatLng(e.latlng).setContent('<p class="loading">' + esc(t("loading")) + "</p>").openOn(state.map);
    const url = api("/api/point") + "?lon=" + lon.toFixed(6) + "&lat=" + lat.toFixed(6);
    getJSON(url).then(function (result) {
      popup.setContent(pointHtml(result));
    }).catch(function (err) {
      popup.setContent('<p class="error">' + esc(t("failed")) + ": " + esc(err.message) + "</p>");
    });
  }

  function unitOf(units, field) {
    const found = String(units || "").split(/;\s*/).map(function (s) { return s.split(": "); })
      .find(function (pair) { return pair[0] === field; });
    return found ? found.slice(1).join(": ") : "";
  }

  function pointHtml(result) {
    const parts = ['<div class="point" data-lon="' + esc(result.lon) + '" data-lat="' + esc(result.lat) + '">'];
    parts.push("<h3>" + esc(t("here")) + "</h3><p class=\"coords\">" + esc(result.lat.toFixed(5)) + " N, " +
      esc(result.lon.toFixed(5)) + " E · " + esc(t("municipality")) + ": " +
      esc(result.municipality ? result.municipality.name + " (" + result.municipality.ags + ")" : t("outside")) +
      "</p>");
    const reasons = [];
    (result.exclusion_reasons || []).forEach(function (r) {
      String(r.reason).split(",").forEach(function (part) {
        const text = part.trim();
        if (text && reasons.indexOf(text) < 0) reasons.push(text);
      });
    });
    parts.push('<h4>' + esc(t("exclusions")) + '</h4><p class="reasons">' +
      (reasons.length ? reasons.map(function (r) { return "<code>" + esc(r) + "</code>"; }).join(" ") :
        esc(t("no_exclusions"))) + "</p>");
    const rows = [];
    const byId = {};
    state.served.forEach(function (info) { byId[info.id] = info; });
    (result.layers || []).forEach(function (layer) {
      if (layer.id === "municipalities") return;
      const info = byId[layer.id] || {id: layer.id, title: layer.title, synthetic: false};
      const name = esc(layerTitle(info)) + (info.synthetic ? " " + badge() : "");
      if (layer.kind === "raster") {
        if (isNumber(layer.value)) {
          rows.push('<tr data-layer-id="' + esc(layer.id) + '" data-value="' + esc(layer.value) + '"><th>' + name +
            '</th><td class="num">' + esc(fmt(layer.value, layer.units)) + "</td></tr>");
        }
      } else if (layer.features.length) {
        const first = layer.features[0];
        const fields = Object.keys(first).filter(function (k) {
          return isNumber(first[k]) && unitOf(layer.units, k);
        }).slice(0, 3);
        const text = fields.map(function (k) {
          return esc(k) + ": " + esc(fmt(first[k], unitOf(layer.units, k)));
        }).join("<br>");
        rows.push('<tr data-layer-id="' + esc(layer.id) + '" data-features="' + layer.features.length + '"><th>' +
          name + '</th><td class="num">' + layer.features.length + " " + esc(t("features")) +
          (text ? "<br><small>" + text + "</small>" : "") + "</td></tr>");
      }
    });
    parts.push("<h4>" + esc(t("values")) + "</h4>" + (rows.length ? '<table>' + rows.join("") + "</table>" :
      "<p>" + esc(t("nothing_here")) + "</p>"));
    parts.push("</div>");
    return parts.join("");
  }

  // ---------------------------------------------------------------- start

  /* The county between the panels: left of it the tool panel, right of it the layer control. */
  function fitCounty() {
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

  function start(map, config, baseLayers) {
    state.map = map;
    state.config = config;
    state.baseLayers = baseLayers;
    state.lang = initialLang();
    state.figureId = config.default_figure;
    document.documentElement.lang = state.lang;
    performance.mark("potenzial-start");

    const onMap = Object.keys(baseLayers).some(function (k) { return map.hasLayer(baseLayers[k]); });
    if (!onMap && baseLayers.none) baseLayers.none.addTo(map);
    map.fitBounds(config.bounds, {animate: false});
    L.control.zoom({position: "bottomright"}).addTo(map);
    L.control.scale({imperial: false, position: "bottomright"}).addTo(map);
    state.tool = control("topleft", "potenzial-tool");
    state.legend = control("bottomleft", "potenzial-legend");
    buildSide();
    renderTool();
    map.on("click", onMapClick);
    map.on("zoomend", function () { renderLegend(); });

    Promise.all([getJSON(api("/api/layers")), getJSON(api("/api/municipalities"))]).then(function (answers) {
      state.catalog = answers[0].layers || [];
      state.served = answers[0].served || [];
      buildOverlays();
      buildChoropleth(answers[1]);
      buildLayerControl();
      renderLegend();
      renderTool();
      fitCounty();
      // rendered: after the browser has painted the choropleth and the legend
      requestAnimationFrame(function () {
        requestAnimationFrame(function () {
          performance.mark("potenzial-rendered");
          document.body.dataset.rendered = "1";
        });
      });
    }).catch(function (err) {
      state.error = err.message;
      renderTool();
      console.error("potenzial: the map could not load its data:", err);
    });
  }

  window.potenzial = {
    start: start,
    get map() { return state.map; },
    get state() { return state; },
    setFigure: function (id) { setFigure(id); renderTool(); },
    setLang: setLang,
    openPanel: openPanel,
  };
}());
