"""The checks of the MaStR reader: each turns a row into a kept, repaired or rejected unit and says why.

A finding is ``(check id, action, detail)``; the check ids and what a person reads for them are
declared once in :data:`potenzial.results.monitoring.CHECKS`. Nothing is dropped silently: every row
that is not imported as it was read leaves a finding in the snapshot's report.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from potenzial.monitoring.catalog import LOCATION_BY_ID, STATUS_BY_ID, location_from_text, status_from_text
from potenzial.monitoring.params import MonitoringParams

REJECTED, REPAIRED, FLAGGED = "rejected", "repaired", "flagged"
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


@dataclass
class Finding:
    check: str
    action: str
    detail: str
    unit_id: str = ""
    file: str = ""


class RejectedRowError(Exception):
    """A row that cannot be imported; carries its finding."""

    def __init__(self, check: str, detail: str) -> None:
        super().__init__(detail)
        self.check = check
        self.detail = detail


@dataclass
class UnitRow:
    """One unit as the reader keeps it (before the municipality is matched)."""

    unit_id: str
    technology: str
    location: str
    capacity_gross_kw: float
    capacity_net_kw: float
    commissioned: str
    decommissioned: str
    status: str
    export_ags: str
    postcode: str
    place: str
    lon: float
    lat: float
    replaces_unit_id: str
    findings: list[Finding] = field(default_factory=list)


def parse_date(value: str | None) -> str:
    """``YYYY-MM-DD`` (a time part is dropped); empty for none; RejectedRowError for anything else."""
    if not value or not value.strip():
        return ""
    match = _DATE.match(value.strip())
    if not match:
        raise RejectedRowError("impossible_date", f"date {value.strip()!r} is not YYYY-MM-DD")
    year, month, day = (int(g) for g in match.groups())
    if not (1 <= month <= 12 and 1 <= day <= 31):
        raise RejectedRowError("impossible_date", f"date {value.strip()!r} does not exist")
    return f"{year:04d}-{month:02d}-{day:02d}"


def _number(record: dict[str, str], name: str, required: bool) -> float:
    raw = (record.get(name) or "").strip()
    if not raw:
        if required:
            raise RejectedRowError("missing_value", f"{name} is empty")
        return math.nan
    try:
        return float(raw.replace(",", "."))
    except ValueError:
        raise RejectedRowError("missing_value", f"{name} = {raw!r} is not a number") from None


def check_record(record: dict[str, str], technology: str, catalog: dict[str, str], params: MonitoringParams,
                 as_of: str) -> UnitRow:
    """Check one unit record (element name -> text) of a unit file; RejectedRowError when it cannot be imported."""
    findings: list[Finding] = []
    unit_id = (record.get("EinheitMastrNummer") or "").strip()
    if not unit_id:
        raise RejectedRowError("missing_value", "EinheitMastrNummer is empty")
    status = _status(record, catalog, findings)
    location = ""
    if technology == "pv":
        location = _location(record, catalog, findings)
        technology = f"pv_{location}"
    gross = _number(record, "Bruttoleistung", True)
    net = _number(record, "Nettonennleistung", False)
    if math.isnan(net):
        net = gross
        findings.append(Finding("missing_value", REPAIRED, "Nettonennleistung empty: taken as Bruttoleistung"))
    if gross < 0 or net < 0:
        raise RejectedRowError("negative_capacity", f"Bruttoleistung {gross:g} kW, Nettonennleistung {net:g} kW")
    if gross == 0 and net == 0:
        raise RejectedRowError("implausible_capacity", "Bruttoleistung and Nettonennleistung are 0 kW")
    gross, net = _watts(record, technology, gross, net, params, findings)
    commissioned = parse_date(record.get("Inbetriebnahmedatum"))
    decommissioned = parse_date(record.get("DatumEndgueltigeStilllegung"))
    if commissioned:
        if int(commissioned[:4]) < params.earliest_commissioning_year:
            raise RejectedRowError("impossible_date", f"Inbetriebnahmedatum {commissioned} is before "
                                              f"{params.earliest_commissioning_year}")
        if commissioned > as_of:
            raise RejectedRowError("impossible_date", f"Inbetriebnahmedatum {commissioned} is after the export's date "
                                              f"{as_of}")
    elif status != "planned":
        findings.append(Finding("missing_commissioning_date", FLAGGED,
                                "Inbetriebnahmedatum empty: counted in the snapshot, not in the curve"))
    if decommissioned and commissioned and decommissioned < commissioned:
        raise RejectedRowError("impossible_date", f"DatumEndgueltigeStilllegung {decommissioned} is before "
                                          f"Inbetriebnahmedatum {commissioned}")
    if status == "decommissioned" and not decommissioned:
        findings.append(Finding("decommissioned_without_date", FLAGGED,
                                "Endgültig stillgelegt without DatumEndgueltigeStilllegung: not counted"))
    return UnitRow(
        unit_id=unit_id, technology=technology, location=location, capacity_gross_kw=gross, capacity_net_kw=net,
        commissioned=commissioned, decommissioned=decommissioned, status=status,
        export_ags=(record.get("Gemeindeschluessel") or "").strip(),
        postcode=(record.get("Postleitzahl") or "").strip(), place=(record.get("Ort") or "").strip(),
        lon=_number(record, "Laengengrad", False), lat=_number(record, "Breitengrad", False),
        replaces_unit_id=(record.get("BestandsanlageMastrNummer") or "").strip(), findings=findings,
    )


def _status(record: dict[str, str], catalog: dict[str, str], findings: list[Finding]) -> str:
    raw = (record.get("EinheitBetriebsstatus") or "").strip()
    if not raw:
        findings.append(Finding("unknown_status", REPAIRED, "EinheitBetriebsstatus empty: taken as In Betrieb"))
        return "in_operation"
    status = status_from_text(catalog[raw]) if raw in catalog else STATUS_BY_ID.get(raw)
    if status is None:
        raise RejectedRowError("unknown_status", f"EinheitBetriebsstatus {raw!r} is no known status")
    return status


def _location(record: dict[str, str], catalog: dict[str, str], findings: list[Finding]) -> str:
    raw = (record.get("Lage") or "").strip()
    location = (location_from_text(catalog[raw]) if raw in catalog else LOCATION_BY_ID.get(raw)) if raw else None
    if location is None:
        findings.append(Finding("unknown_location", REPAIRED, f"Lage {raw!r} unknown: counted as other PV"))
        return "other"
    return location


def _watts(record: dict[str, str], technology: str, gross: float, net: float, params: MonitoringParams,
           findings: list[Finding]) -> tuple[float, float]:
    """A capacity entered in W instead of kW: repaired (÷ 1000) when that makes it plausible."""
    limit = params.max_unit_kw(technology)
    modules = _number(record, "AnzahlModule", False) if technology.startswith("pv") else math.nan
    per_module = gross / modules if modules and modules > 0 else math.nan
    too_big = gross > limit or (not math.isnan(per_module) and per_module > params.max_kw_per_module)
    if not too_big:
        return gross, net
    fixed_ok = gross / 1000 <= limit and (math.isnan(per_module) or per_module / 1000 <= params.max_kw_per_module)
    shown = f"Bruttoleistung {gross:g} kW" + (f" for {modules:g} modules" if not math.isnan(per_module) else "")
    if fixed_ok:
        findings.append(Finding("capacity_in_watts", REPAIRED, f"{shown}: taken as W, now {gross / 1000:g} kW"))
        return gross / 1000, net / 1000
    raise RejectedRowError("implausible_capacity", f"{shown} is above the plausible {limit:g} kW")
