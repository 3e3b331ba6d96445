"""What the monitoring serves (issue 15): installed capacity and generation over time, the used share of
each potential, the targets, and the import report of each snapshot.

Not stored as run results: computed when served from the store's snapshots
(:mod:`potenzial.serving.monitoring`). Titles (German, English), units and classes are declared here once.
"""

from potenzial.results import ResultSchema, ValueClass
from potenzial.results.vocabulary import ColumnLabel as L

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
STAGE_CLASSES = (
    ValueClass("technical", "technisch", "technical", "hard exclusion rules only"),
    ValueClass("restricted", "planerisch eingeschränkt", "restricted", "every enabled rule"),
    ValueClass("realisable", "realisierbar", "realisable", "what can plausibly be built by the horizon year"),
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
    labels=(
        L("ags", "Gemeinde oder Gruppe", "Municipality or group",
          "AGS der Gemeinde oder Kennung der Gruppe", "AGS of the municipality or id of the group"),
        L("technology", "Technologie", "Technology",
          "Art der Anlagen", "kind of plants"),
        L("date", "Stand", "Date",
          "Datum, auf das sich der Wert bezieht", "date the value refers to"),
        L("point", "Art des Werts", "Kind of value",
          "Stand eines Datensatzes oder Inbetriebnahmekurve", "state of a snapshot or commissioning curve"),
        L("snapshot_id", "Datensatz", "Snapshot",
          "Kennung des importierten Datensatzes", "id of the imported snapshot"),
        L("capacity_kw", "Installierte Leistung", "Installed capacity",
          "Nettonennleistung der Anlagen", "net rated capacity of the plants"),
        L("generation_mwh_per_a", "Geschätzte Stromerzeugung", "Estimated generation",
          "Leistung × Volllaststunden der Technologie", "capacity × the technology's full-load hours"),
    ),
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
    labels=(
        L("ags", "Gemeinde oder Gruppe", "Municipality or group",
          "AGS der Gemeinde oder Kennung der Gruppe", "AGS of the municipality or id of the group"),
        L("technology", "Technologie", "Technology",
          "Art der Anlagen", "kind of plants"),
        L("stage", "Stufe", "Stage",
          "Stufe der Potenzialkaskade", "stage of the potential cascade"),
        L("installed", "Installiert", "Installed",
          "installiert laut neuestem Datensatz", "installed according to the newest snapshot"),
        L("potential", "Potenzial", "Potential",
          "Potenzial dieser Stufe im aktuellen Lauf", "potential of this stage in the current run"),
        L("remaining", "Verbleibendes Potenzial", "Remaining potential",
          "Potenzial − installiert, mindestens 0", "potential − installed, at least 0"),
        L("used_share_pct", "Genutzter Anteil", "Used share",
          "installiert / Potenzial", "installed / potential"),
        L("unit", "Einheit", "Unit",
          "Einheit von installiert und Potenzial", "unit of installed and potential"),
    ),
    classes=(("technology", TECHNOLOGY_CLASSES), ("stage", STAGE_CLASSES)),
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
    labels=(
        L("ags", "Gemeinde", "Municipality",
          "AGS der Gemeinde", "AGS of the municipality"),
        L("technology", "Technologie", "Technology",
          "Art der Anlagen", "kind of plants"),
        L("capacity_kw", "Installierte Leistung", "Installed capacity",
          "Nettonennleistung laut neuestem Datensatz", "net rated capacity according to the newest snapshot"),
        L("population", "Einwohner", "Inhabitants",
          "Bevölkerung 2021", "population 2021"),
        L("w_per_inhabitant", "Watt je Einwohner", "Watts per inhabitant",
          "installierte Leistung / Einwohner", "installed capacity / inhabitants"),
        L("rank", "Rang", "Rank",
          "Rang im Landkreis (1 = am meisten)", "rank in the county (1 = most)"),
    ),
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
    labels=(
        L("ags", "Gemeinde oder Gruppe", "Municipality or group",
          "AGS der Gemeinde oder Kennung der Gruppe", "AGS of the municipality or id of the group"),
        L("year", "Jahr", "Year",
          "Jahr des Zielpfads", "year of the target path"),
        L("target_share_pct", "Zielanteil", "Target share",
          "Anteil erneuerbaren Stroms laut Leitbild", "renewable electricity share of the Leitbild"),
        L("renewable_share_pct", "Anteil erneuerbaren Stroms", "Renewable electricity share",
          "geschätzte erneuerbare Erzeugung / Stromverbrauch", "estimated renewable generation / electricity use"),
        L("gap_pct_points", "Abstand zum Ziel", "Gap to the target",
          "Zielanteil − Anteil", "target share − share"),
        L("renewable_electricity_gwh_per_a", "Erneuerbarer Strom (geschätzt)", "Renewable electricity (estimated)",
          "installierte Leistung × Volllaststunden", "installed capacity × full-load hours"),
        L("electricity_use_gwh_per_a", "Stromverbrauch", "Electricity use",
          "Stromverbrauch der Gemeinde oder Gruppe", "electricity use of the municipality or group"),
        L("electricity_use_estimate", "Verbrauch geschätzt", "Use estimated",
          "ja: Stromverbrauch des Landkreises nach Einwohnern aufgeteilt",
          "yes: the county's use split by population"),
    ),
)

MONITORING_REPORT = ResultSchema(
    name="monitoring_report",
    title_de="Prüfbericht eines MaStR-Imports",
    title_en="Check report of a MaStR import",
    key=(),
    description="Stored with each snapshot: every row the reader rejected, repaired or flagged, with the check "
                "and its detail; nothing is dropped silently.",
    columns=(("file", "text"), ("unit_id", "text"), ("check", "text"), ("action", "text"), ("detail", "text")),
    labels=(
        L("file", "Datei", "File",
          "Datei des Exports", "file of the export"),
        L("unit_id", "MaStR-Nummer", "MaStR number",
          "Nummer der Einheit im Marktstammdatenregister", "number of the unit in the Marktstammdatenregister"),
        L("check", "Prüfung", "Check",
          "welche Prüfung anschlug", "which check applied"),
        L("action", "Folge", "Outcome",
          "abgewiesen, korrigiert oder mit Hinweis gezählt", "rejected, repaired or counted with a note"),
        L("detail", "Befund", "Finding",
          "was die Prüfung fand", "what the check found"),
    ),
    classes=(("check", CHECK_CLASSES), ("action", ACTION_CLASSES)),
)

DERIVED = (MONITORING_SERIES, MONITORING_STATUS, MONITORING_RANKING, MONITORING_TARGETS, MONITORING_REPORT)
