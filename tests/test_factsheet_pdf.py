"""The fact sheet PDF of Grimma (AGS 14729160) and of the county, from a whole run of the default region in
the embedded store, read back from the PDF: at most 6 A4 pages, the synthetic warning on every page,
every text inside the margins, one map per technology page (its caption found on the page, the map area
rendered to an image and holding that layer's colour and no other technology's), German and English."""

from __future__ import annotations

import io
import re

import numpy as np
import pdfplumber
import pypdf
import pypdfium2
import pytest

from potenzial.region import load_region
from potenzial.serving.services import RunServices
from potenzial.serving.sheet_data import TECH_LAYERS
from potenzial.store import open_store

GRIMMA = "14729160"
MM = 72 / 25.4  #: PDF points per millimetre
A4_PT = (210 * MM, 297 * MM)
#: the page margins of the sheet's print CSS: left/right 15 mm; the running header and footer sit in the
#: top (17 mm) and bottom (15 mm) margins, so every text keeps at least 6 mm from the paper's edge
SIDE_MARGIN_PT = 15 * MM
EDGE_PT = 6 * MM
TOLERANCE_PT = 0.5
WARNING = {"de": "Synthetische Demodaten – die Zahlen sind nicht real",
           "en": "Synthetic demo data – the figures are not real"}
TECH_NAMES = {"de": ("Dach-PV", "Freiflächen-PV", "Wind", "Biomasse"),
              "en": ("Rooftop PV", "Ground-mounted PV", "Wind", "Biomass")}
MAP_WORD = {"de": "Karte", "en": "Map"}


@pytest.fixture(scope="module")
def services(pipeline_run):
    settings, record = pipeline_run
    region = load_region(settings.region, settings.regions_dir, settings.data_dir)
    store = open_store(settings.store_url, read_only=True)
    yield RunServices(store, region, settings.raster_cache), record
    store.close()


@pytest.fixture(scope="module")
def pdfs(services) -> dict[tuple[str, str], bytes]:
    """(area, lang) -> the PDF: Grimma in German and English, the county in German."""
    svc, record = services
    return {("grimma", "de"): svc.factsheet(record, GRIMMA, "pdf", "de"),
            ("grimma", "en"): svc.factsheet(record, GRIMMA, "pdf", "en"),
            ("county", "de"): svc.county_factsheet(record, "pdf", "de")}


def hex_rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def test_grimma_is_in_the_run(services):
    svc, record = services
    assert svc.municipality(record, GRIMMA).name == "Grimma"


@pytest.mark.parametrize("key", [("grimma", "de"), ("grimma", "en"), ("county", "de")])
def test_at_most_six_a4_pages_with_the_warning_on_every_one(pdfs, key):
    document = pypdf.PdfReader(io.BytesIO(pdfs[key]))
    assert 1 < len(document.pages) <= 6
    for page in document.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(A4_PT, abs=0.5)
        assert WARNING[key[1]] in page.extract_text().replace("\n", " ")


@pytest.mark.parametrize("key", [("grimma", "de"), ("grimma", "en"), ("county", "de")])
def test_every_text_is_inside_the_margins(pdfs, key):
    with pdfplumber.open(io.BytesIO(pdfs[key])) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            assert page.chars, number
            left, right = SIDE_MARGIN_PT - TOLERANCE_PT, page.width - SIDE_MARGIN_PT + TOLERANCE_PT
            outside = [c["text"] for c in page.chars if c["x0"] < left or c["x1"] > right
                       or c["top"] < EDGE_PT or c["bottom"] > page.height - EDGE_PT]
            assert not outside, (number, "".join(outside)[:80])


@pytest.mark.parametrize("lang", ["de", "en"])
def test_one_map_per_technology_page_drawn_with_only_its_layer(pdfs, lang):
    document = pdfs[("grimma", lang)]
    rendered = pypdfium2.PdfDocument(document)
    with pdfplumber.open(io.BytesIO(document)) as pdf:
        for index, (tech, name) in enumerate(zip(TECH_LAYERS, TECH_NAMES[lang], strict=True), start=1):
            page = pdf.pages[index]
            caption = f"{MAP_WORD[lang]}: {name} – Grimma"
            text = page.extract_text()
            assert text.count(f"{MAP_WORD[lang]}: ") == 1 and caption in text, (index, text[:200])
            found = page.search(caption)
            heading = page.search(name)
            assert found and heading
            # the map lies between the page's heading and the map's caption
            top, bottom = heading[0]["bottom"] + 2, found[0]["top"] - 2
            scale = 2.0
            image = np.asarray(rendered[index].render(scale=scale).to_pil().convert("RGB")).astype(int)
            area = image[int(top * scale):int(bottom * scale), int(SIDE_MARGIN_PT * scale):
                         int((page.width - SIDE_MARGIN_PT) * scale)]
            assert area.shape[0] > 100 * MM  # a map, not a thumbnail (at least 5 cm high at scale 2)
            assert len(np.unique(area.reshape(-1, 3), axis=0)) > 20  # not blank

            def pixels(colour: str, region: np.ndarray = area) -> int:
                return int((np.abs(region - np.asarray(hex_rgb(colour))).sum(axis=2) <= 6).sum())

            own = TECH_LAYERS[tech][0][1]
            assert pixels(own) > 200, (tech, own)  # its layer is drawn …
            for other, layers in TECH_LAYERS.items():
                if other != tech:
                    assert pixels(layers[0][1]) == 0, (tech, other)  # … and no other technology's


def test_the_english_sheet_is_english_and_the_german_german(pdfs):
    with pdfplumber.open(io.BytesIO(pdfs[("grimma", "en")])) as pdf:
        english = " ".join(p.extract_text() for p in pdf.pages)
    with pdfplumber.open(io.BytesIO(pdfs[("grimma", "de")])) as pdf:
        german = " ".join(p.extract_text() for p in pdf.pages)
    def has(text: str, phrase: str) -> bool:
        return re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text) is not None

    for word in ("At a glance", "Potential cascade", "Sources and licences", "Legend", "Page 1 of"):
        assert has(english, word) and not has(german, word), word
    for word in ("Auf einen Blick", "Potenzialkaskade", "Quellen und Lizenzen", "Legende", "Seite 1 von"):
        assert has(german, word) and not has(english, word), word


@pytest.mark.parametrize("key", [("grimma", "de"), ("grimma", "en")])
def test_no_raw_column_name_is_printed(pdfs, services, key):
    svc, record = services
    columns = {f.column for f in svc.figures(record).meta if "_" in f.column}
    with pdfplumber.open(io.BytesIO(pdfs[key])) as pdf:
        words = {w for p in pdf.pages for w in re.findall(r"[A-Za-z0-9_]+", p.extract_text())}
    assert not (columns & words), sorted(columns & words)[:10]


def test_the_county_sheet_names_every_municipality_on_its_maps(pdfs, services):
    svc, record = services
    names = set(svc.figures(record).municipalities["name"])
    with pdfplumber.open(io.BytesIO(pdfs[("county", "de")])) as pdf:
        first = pdf.pages[0].extract_text()
        wind = pdf.pages[3].extract_text()
    assert "Landkreis Leipzig" in first and f"{len(names)} Gemeinden" in first
    # the map labels the members where a name fits: most of the 30 towns on a 18 cm map
    assert sum(1 for n in names if n in wind) >= 0.6 * len(names)


def page_texts(document: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(document)) as pdf:
        return [p.extract_text() for p in pdf.pages]


def test_postgis_gives_the_same_sheet(services, pdfs, postgis_store):
    """The run copied into PostGIS (Grimma's features, every per-municipality table) gives the same pages."""
    from potenzial.store.base import RunResult

    svc, record = services
    frames = {}
    for name in svc.store.run_layers(record.run_id):
        frame = svc.store.read(name, record.run_id)
        if name != "municipalities" and "geometry" in frame.columns and "ags" in frame.columns:
            frame = frame[frame["ags"] == GRIMMA]
        frames[name] = frame
    postgis_store.publish(RunResult(record=record, frames=frames))
    on_postgis = RunServices(postgis_store, svc.region, svc.raster_cache).factsheet(record, GRIMMA, "pdf", "de")
    texts = page_texts(on_postgis)
    assert len(texts) <= 6 and all(WARNING["de"] in t.replace("\n", " ") for t in texts)
    assert texts == page_texts(pdfs[("grimma", "de")])
