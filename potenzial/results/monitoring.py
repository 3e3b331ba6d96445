"""What the monitoring serves (issue 15): installed capacity and generation over time, the used share of
each potential, the targets, and the import report of each snapshot.

Not stored as run results: computed when served from the store's snapshots
(:mod:`potenzial.serving.monitoring`). Titles (German, English), units and classes are declared here once.
"""

from potenzial.results import ResultSchema, ValueClass

TECHNOLOGY_CLASSES = (
    ValueClass("pv", "Photovoltaik gesamt", "PV, all"),
    ValueClass("pv_roof", "Photovoltaik auf Gebäuden", "PV on buildings"),
    ValueClass("pv_ground", "Photovoltaik auf Freiflächen", "Open-field PV"),
    ValueClass("pv_other", "Photovoltaik, sonstige Lage", "PV, other location"),
    ValueClass("wind", "Windenergie an Land", "Onshore wind"),
    ValueClass("biomass", "Biomasse", "Biomass"),
    ValueClass("hydro", "Wasserkraft", "Hydropower"),
    ValueClass("storage", "Stromspeicher", "Electricity storage"),
)
POINT_CLASSES = (
    ValueClass("snapshot", "Stand eines Datensatzes", "State of a snapshot",
               "what one snapshot says was installed on its date"),
    ValueClass("curve", "Inbetriebnahmekurve (Jahresende)", "Commissioning curve (year end)",
               "units of the newest MaStR snapshot commissioned by 31 December and not decommissioned by then"),
)
MATCH_CLASSES = (
    ValueClass("coordinates", "Koordinaten in der Gemeindefläche", "Coordinates inside the municipality"),
    ValueClass("municipality_key", "Gemeindeschlüssel der Meldung", "Municipality key of the registration"),
    ValueClass("postcode", "Postleitzahl", "Postcode"),
)
ACTION_CLASSES = (
    ValueClass("rejected", "abgewiesen, nicht gezählt", "rejected, not counted"),
    ValueClass("repaired", "korrigiert und gezählt", "repaired and counted"),
    ValueClass("flagged", "gezählt, mit Hinweis", "counted, with a note"),
)
CHECK_CLASSES = (
    ValueClass("duplicate_id", "Einheit doppelt gemeldet", "Unit registered twice"),
    ValueClass("negative_capacity", "negative Leistung", "Negative capacity"),
    ValueClass("implausible_capacity", "unplausible Leistung", "Implausible capacity"),
    ValueClass("capacity_in_watts", "Leistung in W statt kW gemeldet", "Capacity registered in W instead of kW"),
    ValueClass("impossible_date", "unmögliches Datum", "Impossible date"),
    ValueClass("missing_value", "Pflichtangabe fehlt", "Required value missing"),
    ValueClass("missing_commissioning_date", "Inbetriebnahmedatum fehlt", "Commissioning date missing"),
    ValueClass("decommissioned_without_date", "stillgelegt ohne Datum", "Decommissioned without a date"),
    ValueClass("replaced_unit", "durch eine neue Einheit ersetzt", "Replaced by a new unit"),
    ValueClass("unknown_status", "Betriebsstatus unbekannt", "Operating status unknown"),
    ValueClass("unknown_location", "Lage unbekannt", "Location type unknown"),
    ValueClass("no_location", "keine Ortsangabe zuordenbar", "No location that can be matched"),
    ValueClass("unknown_municipality_key", "Gemeindeschlüssel unbekannt", "Unknown municipality key"),
    ValueClass("coordinates_outside_boundaries", "Koordinaten außerhalb der Gemeindegrenzen",
               "Coordinates outside the boundaries"),
    ValueClass("coordinates_disagree_key", "Koordinaten und Gemeindeschlüssel widersprechen sich",
               "Coordinates and municipality key disagree"),
    ValueClass("unknown_schema_version", "unbekannte Schemaversion", "Unknown schema version"),
)

MONITORING_SERIES = ResultSchema(
    name="monitoring_series",
    title_de="Installierte Leistung und Stromerzeugung im Zeitverlauf",
    title_en="Installed capacity and generation over time",
    key=("ags", "technology", "date", "point"),
    description=("Computed when served, not stored. Per municipality or group (`ags` holds the group id), "
                 "technology and date: installed net capacity and the estimated generation = capacity × the "
                 "technology's full-load hours ([monitoring] in layers/params/default/monitoring.toml). A group is "
                 "the sum of its members."),
    columns=(("ags", "text"), ("technology", "text"), ("date", "text"), ("point", "text"), ("snapshot_id", "text"),
             ("capacity_kw", "float"), ("generation_mwh_per_a", "float")),
    units=(("capacity_kw", "kW"), ("generation_mwh_per_a", "MWh_el/a"), ("date", "ISO date")),
    column_titles=(("ags", "Gemeinde oder Gruppe", "Municipality or group"),
                   ("technology", "Technologie", "Technology"),
                   ("date", "Stand", "Date"), ("point", "Art des Werts", "Kind of value"),
                   ("snapshot_id", "Datensatz", "Snapshot"), ("capacity_kw", "installierte Leistung",
                                                              "installed capacity"),
                   ("generation_mwh_per_a", "geschätzte Stromerzeugung", "estimated generation")),
    classes=(("technology", TECHNOLOGY_CLASSES), ("point", POINT_CLASSES)),
)

MONITORING_STATUS = ResultSchema(
    name="monitoring_status",
    title_de="Genutzter Anteil des Potenzials",
    title_en="Used share of the potential",
    key=("ags", "technology", "stage"),
    description=("Computed when served, not stored. The newest snapshot's installed capacity against each stage "
                 "of the potential cascade of the current run, like with like: roof PV with the roof potential, "
                 "open-field PV with the open-field potential, wind with wind; biomass as the primary energy its "
                 "plants use (generation / biomass_existing_electrical_efficiency) against the primary-energy "
                 "potential. Remaining = potential − installed, at least 0."),
    columns=(("ags", "text"), ("technology", "text"), ("stage", "text"), ("installed", "float"),
             ("potential", "float"), ("remaining", "float"), ("used_share_pct", "float"), ("unit", "text")),
    units=(("installed", "MW (biomass: GWh/a primary energy)"), ("potential", "MW (biomass: GWh/a primary energy)"),
           ("remaining", "MW (biomass: GWh/a primary energy)"), ("used_share_pct", "%")),
    column_titles=(("ags", "Gemeinde oder Gruppe", "Municipality or group"),
                   ("technology", "Technologie", "Technology"),
                   ("stage", "Stufe", "Stage"), ("installed", "installiert", "installed"),
                   ("potential", "Potenzial", "potential"), ("remaining", "verbleibendes Potenzial",
                                                             "remaining potential"),
                   ("used_share_pct", "genutzter Anteil", "used share"), ("unit", "Einheit", "Unit")),
    classes=(("technology", TECHNOLOGY_CLASSES),),
)

MONITORING_RANKING = ResultSchema(
    name="monitoring_ranking",
    title_de="Watt je Einwohner und Rang im Landkreis",
    title_en="Watts per inhabitant and county ranking",
    key=("rank", "ags"),
    description="Computed when served, not stored. Installed capacity per inhabitant (population 2021) of the "
                "newest snapshot, ranked among the region's municipalities (1 = most).",
    columns=(("ags", "text"), ("technology", "text"), ("capacity_kw", "float"), ("population", "float"),
             ("w_per_inhabitant", "float"), ("rank", "int")),
    units=(("capacity_kw", "kW"), ("population", "persons"), ("w_per_inhabitant", "W/inhabitant"), ("rank", "rank")),
    column_titles=(("ags", "Gemeinde", "Municipality"), ("technology", "Technologie", "Technology"),
                   ("capacity_kw", "installierte Leistung", "installed capacity"),
                   ("population", "Einwohner", "inhabitants"),
                   ("w_per_inhabitant", "Watt je Einwohner", "watts per inhabitant"), ("rank", "Rang", "rank")),
    classes=(("technology", TECHNOLOGY_CLASSES),),
)

MONITORING_TARGETS = ResultSchema(
    name="monitoring_targets",
    title_de="Leitbild: Anteil erneuerbaren Stroms, Zielpfad und Abstand",
    title_en="Leitbild: renewable electricity share, target path and gap",
    key=("ags", "year"),
    description=("Computed when served, not stored. Per year: the target share of the Energiepolitisches Leitbild "
                 "2030 des Landkreises Leipzig (37 % 2019, 63 % 2030, 90 % 2035; linear between them), and for "
                 "the years of a snapshot that covers PV, wind, biomass and hydro the estimated renewable "
                 "electricity against the electricity use and the gap (target − share, percentage points). "
                 "Electricity use: the county's ≈ 1,600 GWh/a split by population (an estimate) unless the "
                 "region has a table."),
    columns=(("ags", "text"), ("year", "int"), ("target_share_pct", "float"), ("renewable_share_pct", "float"),
             ("gap_pct_points", "float"), ("renewable_electricity_gwh_per_a", "float"),
             ("electricity_use_gwh_per_a", "float"), ("electricity_use_estimate", "bool")),
    units=(("year", "year"), ("target_share_pct", "%"), ("renewable_share_pct", "%"), ("gap_pct_points", "pp"),
           ("renewable_electricity_gwh_per_a", "GWh_el/a"), ("electricity_use_gwh_per_a", "GWh_el/a")),
    column_titles=(("ags", "Gemeinde oder Gruppe", "Municipality or group"), ("year", "Jahr", "Year"),
                   ("target_share_pct", "Zielanteil", "target share"),
                   ("renewable_share_pct", "Anteil erneuerbaren Stroms", "renewable electricity share"),
                   ("gap_pct_points", "Abstand zum Ziel", "gap to the target"),
                   ("renewable_electricity_gwh_per_a", "erneuerbarer Strom (geschätzt)",
                    "renewable electricity (estimated)"),
                   ("electricity_use_gwh_per_a", "Stromverbrauch", "electricity use"),
                   ("electricity_use_estimate", "Verbrauch geschätzt", "use estimated")),
)

MONITORING_REPORT = ResultSchema(
    name="monitoring_report",
    title_de="Prüfbericht eines MaStR-Imports",
    title_en="Check report of a MaStR import",
    key=(),
    description="Stored with each snapshot: every row the reader rejected, repaired or flagged, with the check "
                "and its detail; nothing is dropped silently.",
    columns=(("file", "text"), ("unit_id", "text"), ("check", "text"), ("action", "text"), ("detail", "text")),
    column_titles=(("file", "Datei", "File"), ("unit_id", "MaStR-Nummer", "MaStR number"),
                   ("check", "Prüfung", "Check"), ("action", "Folge", "Outcome"), ("detail", "Befund", "Finding")),
    classes=(("check", CHECK_CLASSES), ("action", ACTION_CLASSES)),
)

DERIVED = (MONITORING_SERIES, MONITORING_STATUS, MONITORING_RANKING, MONITORING_TARGETS, MONITORING_REPORT)
