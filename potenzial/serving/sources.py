"""The data sources of a run: every input layer it read, with provenance, licence and attribution.

They come from the run's ``run_inputs`` table, or from the region catalog for a run that has none
(older runs). Every served layer, download, summary and fact sheet lists its sources from here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Literal

from potenzial.region import LayerEntry, Region
from potenzial.runs import RunRecord
from potenzial.store.base import Store
from potenzial.store.schema import RUN_INPUTS, ResultSchema

Provenance = Literal["real", "synthetic"]


@dataclass(frozen=True)
class SourceInfo:
    """One input layer of a run (never a folder: ``source`` is a file name)."""

    layer_id: str
    title: str
    provenance: str  #: real | synthetic
    licence: str
    attribution: str
    source: str  #: file name of the input, without its folder

    @property
    def synthetic(self) -> bool:
        return self.provenance == "synthetic"

    def as_dict(self) -> dict[str, str]:
        """The public description (``sources`` in the API, the fact sheet and downloads)."""
        return asdict(self)

    @classmethod
    def of_entry(cls, entry: LayerEntry, synthetic: bool | None = None) -> SourceInfo:
        """A catalog entry as a source; ``synthetic`` overrides the entry's own provenance."""
        provenance = entry.provenance if synthetic is None else ("synthetic" if synthetic else "real")
        return cls(layer_id=entry.id, title=entry.title, provenance=provenance, licence=entry.licence,
                   attribution=entry.attribution, source=entry.path.name)


def run_sources(store: Store, region: Region, record: RunRecord, run_layers: Iterable[str]) -> tuple[SourceInfo, ...]:
    """The run's inputs from its ``run_inputs`` table, or the catalog when the run has none."""
    if RUN_INPUTS.name in run_layers:
        frame = store.read(RUN_INPUTS.name, record.run_id)
        return tuple(SourceInfo(layer_id=str(r.layer_id), title=str(r.title), provenance=str(r.provenance),
                                licence=str(r.licence), attribution=str(r.attribution), source=str(r.source))
                     for r in frame.itertuples(index=False))
    synthetic = set(record.synthetic_inputs)
    return tuple(SourceInfo.of_entry(e, synthetic=e.synthetic or e.id in synthetic) for e in region.layers.values())


def sources_for(inputs: Iterable[str] | None, sources: Iterable[SourceInfo]) -> tuple[SourceInfo, ...]:
    """The run's sources among ``inputs`` (catalog layer ids a result derives from), in run order;
    every source where ``inputs`` is None (a result that does not declare its inputs)."""
    sources = tuple(sources)
    if inputs is None:
        return sources
    wanted = set(inputs)
    return tuple(s for s in sources if s.layer_id in wanted)


def sources_of_schemas(schemas: Iterable[ResultSchema], sources: Iterable[SourceInfo]) -> tuple[SourceInfo, ...]:
    """The run's sources that any of ``schemas`` (or any of their columns) derives from, in run order."""
    sources = tuple(sources)
    used: set[str] = set()
    for sch in schemas:
        for inputs in (sch.inputs, *(i for _, i in sch.column_inputs)):
            if inputs is None:
                return sources
            used.update(inputs)
    return tuple(s for s in sources if s.layer_id in used)


def provenance_of(sources: Iterable[SourceInfo]) -> Provenance:
    """``synthetic`` if any source is, else ``real``."""
    return "synthetic" if any(s.synthetic for s in sources) else "real"


def joined(values: Iterable[str]) -> str:
    """Distinct non-empty values in order, joined by ``; `` (licences, attributions)."""
    return "; ".join(dict.fromkeys(v for v in values if v))


__all__ = ["Provenance", "SourceInfo", "joined", "provenance_of", "run_sources", "sources_for",
           "sources_of_schemas"]
