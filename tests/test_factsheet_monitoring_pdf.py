"""The fact sheet PDF with the monitoring figure on page 1, from a whole run of the default region with the
region's snapshots 2015, 2021 and 2024 imported (into a copy of the session's store): still at most 6 A4
pages, the figure on the first, in German and English, for Grimma and for the county."""

from __future__ import annotations

import io
import shutil

import pypdf
import pytest

from potenzial.region import load_region
from potenzial.serving.monitoring_import import import_catalog
from potenzial.serving.services import RunServices
from potenzial.store import open_store

GRIMMA = "14729160"
MAX_PAGES = 6


@pytest.fixture(scope="module")
def services(pipeline_run, tmp_path_factory):
    settings, record = pipeline_run
    copy = tmp_path_factory.mktemp("factsheet-monitoring-pdf") / "store"
    shutil.copytree(settings.store, copy)
    region = load_region(settings.region, settings.regions_dir, settings.data_dir)
    store = open_store(str(copy))
    import_catalog(store, region)
    yield RunServices(store, region, settings.raster_cache), record
    store.close()


def pages(pdf: bytes) -> list[str]:
    return [p.extract_text() or "" for p in pypdf.PdfReader(io.BytesIO(pdf)).pages]


@pytest.mark.parametrize(("area", "lang"), [("grimma", "de"), ("grimma", "en"), ("county", "de")])
def test_at_most_six_pages_with_the_figure_on_page_one(services, area, lang):
    svc, record = services
    if area == "grimma":  # drawn now: a prepared file of the run would predate the snapshots
        pdf = svc.render_factsheet(record, GRIMMA, "pdf", lang)
    else:
        pdf = svc.county_factsheet(record, "pdf", lang)
    text = pages(pdf)
    assert len(text) <= MAX_PAGES
    first = text[0].replace("\n", " ")
    assert ("Windenergie an Land" if lang == "de" else "Onshore wind") in first
    assert ("Abstand zum Ziel" if lang == "de" else "Gap to the target") in first
