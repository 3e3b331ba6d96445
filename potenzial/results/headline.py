"""The headline figures per municipality: electricity and heat apart, every hectare once.

Not stored: computed when served from the stored per-municipality tables
(:mod:`potenzial.serving.headline`), with the stage and the precedence rule of the server's
settings. Titles (German, English) and units are declared here once; the map, the panel, the fact
sheet and the downloads read them from here.
"""

from potenzial.results import ResultSchema, ValueClass
from potenzial.results.biomass import BIOMASS_INPUTS
from potenzial.results.pv_ground import PV_GROUND_INPUTS
from potenzial.results.solar_roof import ROOF_INPUTS
from potenzial.results.vocabulary import ColumnLabel as L
from potenzial.results.wind import WIND_INPUTS

#: the stages a headline figure can belong to, with their titles (docs/METHOD.md, "The potential cascade")
STAGE_TITLES: dict[str, tuple[str, str]] = {
    "technical": ("technisches Potenzial", "technical potential"),
    "restricted": ("planerisch eingeschränktes Potenzial", "restricted potential"),
    "realisable": ("realisierbares Potenzial", "realisable potential"),
}

#: the precedence rules for land that suits both wind and open-field PV, with their titles
PRECEDENCE_TITLES: dict[str, tuple[str, str]] = {
    "wind_first": ("Vorrang Wind: Flächen, die für Wind und Freiflächen-PV taugen, zählen bei Wind",
                   "wind first: land that suits both wind and ground-mounted PV counts for wind"),
    "pv_first": ("Vorrang Freiflächen-PV: Flächen, die für beide taugen, zählen bei PV; der Windertrag sinkt "
                 "um den Anteil dieser Flächen an der Windfläche (Schätzung)",
                 "PV first: land that suits both counts for ground-mounted PV; wind energy is reduced by that "
                 "land's share of the wind area (an estimate)"),
}

#: where a municipality's electricity use comes from, with its titles
USE_BASIS_TITLES: dict[str, tuple[str, str]] = {
    "table": ("Verbrauchstabelle", "electricity use table"),
    "estimate": ("Schätzung: Stromverbrauch des Landkreises nach Einwohnern aufgeteilt",
                 "estimate: the county's electricity use split by population"),
}

#: each potential's part of the electricity headline, by result-table prefix
ELECTRICITY_PARTS: dict[str, str] = {
    "solar_roof": "electricity_roof_gwh_per_a", "pv_ground": "electricity_pv_ground_gwh_per_a",
    "wind": "electricity_wind_gwh_per_a", "biomass": "electricity_biomass_gwh_per_a",
}

#: what the heat figure does not hold
HEAT_NOTE = ("Nur Wärme aus Biomasse-KWK; Solarthermie und Umweltwärme sind nicht modelliert.",
             "Biomass CHP heat only; solar thermal and ambient heat are not modelled.")

HEADLINE = ResultSchema(
    name="headline",
    title_de="Kennzahlen",
    title_en="Headline figures",
    key=("ags",),
    per_municipality=True,
    description=(
        "Computed when served, not stored. Electricity potential = roof PV + open-field PV + wind + biomass CHP "
        "electricity (P50) [GWh_el/a]; heat potential = biomass CHP heat (P50) [GWh_th/a] (solar thermal is not "
        "modelled); biomass primary energy is part of neither. Land that suits both wind and open-field PV is "
        "counted once under the precedence rule (`precedence`: wind_first = open-field PV without the wind land; "
        "pv_first = wind energy × (1 − overlap / wind area), an estimate). `stage` names the stage of the cascade "
        "the figures belong to (restricted: after every enabled planning criterion, what the potentials "
        "report). Electricity use from a table where the region has one, else the "
        "county's use split by population (`electricity_use_basis` = estimate). Open-field PV still open = "
        "open-field capacity (under the precedence rule) − installed open-field PV (UFZ 2015 list), at least 0."
    ),
    columns=(
        ("ags", "text"),
        ("electricity_potential_gwh_per_a", "float"),
        ("electricity_roof_gwh_per_a", "float"),
        ("electricity_pv_ground_gwh_per_a", "float"),
        ("electricity_wind_gwh_per_a", "float"),
        ("electricity_biomass_gwh_per_a", "float"),
        ("heat_potential_gwh_per_a", "float"),
        ("electricity_land_ha", "float"),
        ("electricity_use_gwh_per_a", "float"),
        ("electricity_potential_to_use_pct", "float"),
        ("pv_ground_remaining_mwp", "float"),
        ("stage", "text"),
        ("precedence", "text"),
        ("electricity_use_basis", "text"),
    ),
    units=(
        ("electricity_potential_gwh_per_a", "GWh_el/a"), ("electricity_roof_gwh_per_a", "GWh_el/a"),
        ("electricity_pv_ground_gwh_per_a", "GWh_el/a"), ("electricity_wind_gwh_per_a", "GWh_el/a"),
        ("electricity_biomass_gwh_per_a", "GWh_el/a"), ("heat_potential_gwh_per_a", "GWh_th/a"),
        ("electricity_land_ha", "ha"), ("electricity_use_gwh_per_a", "GWh_el/a"),
        ("electricity_potential_to_use_pct", "%"), ("pv_ground_remaining_mwp", "MWp"),
        ("stage", "technical|restricted|realisable"), ("precedence", "wind_first|pv_first"),
        ("electricity_use_basis", "table|estimate"),
    ),
    classes=(
        ("stage", tuple(ValueClass(code, de, en) for code, (de, en) in STAGE_TITLES.items())),
        ("precedence", tuple(ValueClass(code, de, en) for code, (de, en) in PRECEDENCE_TITLES.items())),
        ("electricity_use_basis", tuple(ValueClass(code, de, en) for code, (de, en) in USE_BASIS_TITLES.items())),
    ),
    labels=(
        L("electricity_potential_gwh_per_a", "Strompotenzial", "Electricity potential",
          "Dach-PV + Freiflächen-PV + Wind + Biomasse-KWK-Strom, jeder Hektar einmal",
          "roof PV + ground-mounted PV + wind + biomass CHP electricity, every hectare once"),
        L("electricity_roof_gwh_per_a", "Strom: Dach-PV", "Electricity: rooftop PV", "Stromertrag der Dächer",
          "electricity of the roofs"),
        L("electricity_pv_ground_gwh_per_a", "Strom: Freiflächen-PV", "Electricity: ground-mounted PV",
          "Stromertrag der Freiflächen nach der Vorrangregel", "electricity of open land under the precedence rule"),
        L("electricity_wind_gwh_per_a", "Strom: Wind", "Electricity: wind", "Stromertrag der Windanlagen",
          "electricity of the wind turbines"),
        L("electricity_biomass_gwh_per_a", "Strom: Biomasse-KWK", "Electricity: biomass CHP",
          "Strom aus Biomasse im BHKW (Median)", "electricity from biomass in CHP (median)"),
        L("heat_potential_gwh_per_a", "Wärmepotenzial", "Heat potential", "Wärme aus Biomasse-KWK (Median)",
          "heat from biomass CHP (median)"),
        L("electricity_land_ha", "Fläche für Wind und Freiflächen-PV (jeder Hektar einmal)",
          "Land for wind and ground-mounted PV (each hectare once)", "Fläche der Strompotenziale auf dem Land",
          "land of the electricity potentials in the open"),
        L("electricity_use_gwh_per_a", "Stromverbrauch", "Electricity use", "Stromverbrauch der Gemeinde im Jahr",
          "electricity use of the municipality per year"),
        L("electricity_potential_to_use_pct", "Strompotenzial im Verhältnis zum Stromverbrauch",
          "Electricity potential relative to electricity use", "Strompotenzial geteilt durch Stromverbrauch",
          "electricity potential divided by electricity use"),
        L("pv_ground_remaining_mwp", "Freiflächen-PV: noch offen (Potenzial − installiert)",
          "Ground-mounted PV: remaining (potential − installed)", "Potenzial abzüglich installierter Freiflächen-PV",
          "potential minus installed ground-mounted PV"),
        L("stage", "Stufe", "Stage", "Stufe der Potenzialkaskade der Zahlen", "stage of the cascade of the figures"),
        L("precedence", "Vorrangregel", "Precedence rule", "wer Flächen bekommt, die für Wind und PV taugen",
          "which use gets land that suits wind and PV"),
        L("electricity_use_basis", "Herkunft des Stromverbrauchs", "Source of the electricity use",
          "Tabelle oder Schätzung nach Einwohnern", "table or estimate by population"),
    ),
    inputs=tuple(dict.fromkeys((*ROOF_INPUTS, *PV_GROUND_INPUTS, *WIND_INPUTS, *BIOMASS_INPUTS))),
)

DERIVED = (HEADLINE,)
