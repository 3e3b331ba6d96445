"""Results of the demand step: heat demand per building and on the 100 m grid, per municipality
with electricity use and the balance, and per municipality and horizon after refurbishment.

Electricity (``_mwh_el_``) and heat (``_mwh_th_``) are kept apart in every table. Factors:
layers/params/default/demand.toml; method: docs/METHOD.md, section "Energy use and savings".
"""

from potenzial.results import ResultSchema, ValueClass
from potenzial.results.vocabulary import ColumnLabel as L

DEMAND_INPUTS = ("buildings", "statistics", "municipalities")

#: district-heating suitability by heat density (bounds: [demand.density_classes], KEA-BW 2020)
DH_CLASSES = (
    ValueClass("no_potential", "kein technisches Potenzial (< 70 MWh/(ha·a))",
               "no technical potential (< 70 MWh/(ha·a))"),
    ValueClass("new_development", "Wärmenetz im Neubau (70–175 MWh/(ha·a))",
               "heat network in new developments (70–175 MWh/(ha·a))"),
    ValueClass("low_temperature", "Niedertemperaturnetz im Bestand (175–415 MWh/(ha·a))",
               "low-temperature network in existing buildings (175–415 MWh/(ha·a))"),
    ValueClass("conventional", "konventionelles Wärmenetz (415–1.050 MWh/(ha·a))",
               "conventional heat network (415–1,050 MWh/(ha·a))"),
    ValueClass("very_high", "sehr hohes Potenzial (≥ 1.050 MWh/(ha·a))", "very high potential (≥ 1,050 MWh/(ha·a))"),
)
BUILDING_TYPES = (
    ValueClass("sfh", "Ein-/Zweifamilienhaus", "Single/two-family house"),
    ValueClass("th", "Reihenhaus", "Terraced house"),
    ValueClass("mfh", "Mehrfamilienhaus", "Multi-family house"),
    ValueClass("ab", "Wohnblock", "Apartment block"),
    ValueClass("public", "Öffentliches Gebäude", "Public building"),
    ValueClass("retail", "Handel, Dienstleistung", "Retail and services"),
    ValueClass("industrial", "Gewerbe, Industrie", "Industry and trade"),
    ValueClass("farm", "Landwirtschaft", "Farm building"),
    ValueClass("unheated", "unbeheizt", "unheated"),
)
AGE_CLASSES = (
    ValueClass("before_1919", "vor 1919", "before 1919"), ValueClass("1919_1948", "1919–1948", "1919–1948"),
    ValueClass("1949_1978", "1949–1978", "1949–1978"), ValueClass("1979_1994", "1979–1994", "1979–1994"),
    ValueClass("1995_2009", "1995–2009", "1995–2009"), ValueClass("from_2010", "ab 2010", "2010 and later"),
    ValueClass("", "– (Nichtwohngebäude)", "– (non-residential)"),
)
BASES = (
    ValueClass("given", "aus den Gebäudedaten", "from the building data"),
    ValueClass("function", "aus der Gebäudefunktion", "from the building's function"),
    ValueClass("drawn", "synthetisch: gezogen aus der Verteilung der Gemeinde (Zensus 2011)",
               "synthetic: drawn from the municipality's distribution (Zensus 2011)"),
    ValueClass("none", "entfällt", "not applicable"),
)
ELECTRICITY_BASES = (
    ValueClass("table", "aus der Tabelle der Region", "from the region's table"),
    ValueClass("estimate", "Schätzung: Kreiswert nach Schlüssel verteilt", "estimate: county total split by a key"),
)

DEMAND_BUILDINGS = ResultSchema(
    name="demand_buildings",
    title_de="Wärmebedarf je Gebäude",
    title_en="Heat demand per building",
    geometry_type="MULTIPOLYGON",
    key=("building_id",),
    description=("One row per heated building: type and age class (given, from its function, or drawn "
                 "from the municipality's distribution, then synthetic), heated floor area, specific and "
                 "annual heat demand (space heating and hot water, final energy, status quo)."),
    columns=(("building_id", "text"), ("ags", "text"), ("building_type", "text"), ("age_class", "text"),
             ("type_basis", "text"), ("age_basis", "text"), ("heated_area_m2", "float"),
             ("specific_heat_kwh_per_m2_a", "float"), ("heat_demand_mwh_th_per_a", "float")),
    units=(("heated_area_m2", "m²"), ("specific_heat_kwh_per_m2_a", "kWh/(m²·a)"),
           ("heat_demand_mwh_th_per_a", "MWh_th/a")),
    classes=(("building_type", BUILDING_TYPES), ("age_class", AGE_CLASSES), ("type_basis", BASES),
             ("age_basis", BASES)),
    labels=(
        L("building_id", "Gebäude (Kennung)", "Building (id)", "Kennung des Gebäudes in den Eingangsdaten",
          "id of the building in the input data"),
        L("building_type", "Gebäudetyp", "Building type", "Typ nach Gebäudetypologie bzw. Nutzung",
          "type after the building typology or use"),
        L("age_class", "Baualtersklasse", "Age class", "Baujahr-Klasse (nur Wohngebäude)",
          "construction period (residential only)"),
        L("type_basis", "Herkunft des Typs", "Source of the type", "wie der Gebäudetyp bestimmt wurde",
          "how the building type was found"),
        L("age_basis", "Herkunft der Altersklasse", "Source of the age class", "wie die Baualtersklasse bestimmt wurde",
          "how the age class was found"),
        L("heated_area_m2", "Beheizte Fläche", "Heated floor area",
          "Grundfläche × Geschosse × Nettoanteil (bzw. 0,32 × Volumen)",
          "footprint × storeys × net share (or 0.32 × volume)"),
        L("specific_heat_kwh_per_m2_a", "Spezifischer Wärmebedarf", "Specific heat demand",
          "Heizung und Warmwasser je m² beheizter Fläche, Ist-Zustand",
          "heating and hot water per m² heated area, status quo"),
        L("heat_demand_mwh_th_per_a", "Wärmebedarf", "Heat demand", "Wärmebedarf im Jahr (Endenergie), Ist-Zustand",
          "heat demand per year (final energy), status quo"),
    ),
    inputs=("buildings", "statistics"),
)

DEMAND_GRID = ResultSchema(
    name="demand_grid",
    title_de="Wärmedichte (100-m-Raster)",
    title_en="Heat density (100 m grid)",
    geometry_type="MULTIPOLYGON",
    key=("cell_id",),
    description=("Cells of a 100 m grid in EPSG:25833 with heated buildings: heat demand of the buildings whose "
                 "representative point lies in the cell, heat density and the district-heating suitability class."),
    columns=(("cell_id", "text"), ("heat_demand_mwh_th_per_a", "float"), ("heat_density_mwh_th_per_ha_a", "float"),
             ("dh_class", "text"), ("buildings", "int")),
    units=(("heat_demand_mwh_th_per_a", "MWh_th/a"), ("heat_density_mwh_th_per_ha_a", "MWh/(ha·a)"),
           ("buildings", "count")),
    classes=(("dh_class", DH_CLASSES),),
    labels=(
        L("cell_id", "Rasterzelle", "Grid cell", "Ostwert und Nordwert der linken unteren Ecke (EPSG:25833)",
          "easting and northing of the lower-left corner (EPSG:25833)"),
        L("heat_demand_mwh_th_per_a", "Wärmebedarf", "Heat demand", "Wärmebedarf der Gebäude in der Zelle",
          "heat demand of the buildings in the cell"),
        L("heat_density_mwh_th_per_ha_a", "Wärmedichte", "Heat density", "Wärmebedarf je Hektar Zellfläche",
          "heat demand per hectare of cell area"),
        L("dh_class", "Eignung für Wärmenetze", "Suitability for heat networks",
          "Klasse nach Wärmedichte (KEA-BW 2020)", "class by heat density (KEA-BW 2020)"),
        L("buildings", "Gebäude", "Buildings", "beheizte Gebäude in der Zelle", "heated buildings in the cell"),
    ),
    inputs=("buildings", "statistics"),
)

_MWH_EL, _MWH_TH = "MWh_el/a", "MWh_th/a"
DEMAND_MUNICIPALITIES = ResultSchema(
    name="demand_municipalities",
    title_de="Energiebedarf und Bilanz je Gemeinde",
    title_en="Energy use and balance per municipality",
    key=("ags",),
    per_municipality=True,
    description=("One row per municipality: heat demand (status quo) and how it was found, electricity use by "
                 "sector, the realisable electricity and heat potential and the coverage of each use; "
                 "electricity and heat are never added."),
    columns=(("ags", "text"), ("buildings_heated", "int"), ("heated_area_m2", "float"),
             ("residential_area_m2", "float"), ("zensus_living_area_m2", "float"), ("types_drawn", "int"),
             ("ages_drawn", "int"), ("heat_demand_mwh_th_per_a", "float"), ("heat_residential_mwh_th_per_a", "float"),
             ("heat_dh_suitable_share_pct", "float"), ("zensus_heatnet_share_pct", "float"), ("households", "float"),
             ("electricity_households_mwh_el_per_a", "float"), ("electricity_commerce_mwh_el_per_a", "float"),
             ("electricity_industry_mwh_el_per_a", "float"), ("electricity_use_mwh_el_per_a", "float"),
             ("electricity_basis", "text"), ("electricity_potential_mwh_el_per_a", "float"),
             ("heat_potential_mwh_th_per_a", "float"), ("electricity_coverage_pct", "float"),
             ("heat_coverage_pct", "float")),
    units=(("buildings_heated", "count"), ("heated_area_m2", "m²"), ("residential_area_m2", "m²"),
           ("zensus_living_area_m2", "m²"), ("types_drawn", "count"), ("ages_drawn", "count"),
           ("heat_demand_mwh_th_per_a", _MWH_TH), ("heat_residential_mwh_th_per_a", _MWH_TH),
           ("heat_dh_suitable_share_pct", "%"), ("zensus_heatnet_share_pct", "%"), ("households", "count"),
           ("electricity_households_mwh_el_per_a", _MWH_EL), ("electricity_commerce_mwh_el_per_a", _MWH_EL),
           ("electricity_industry_mwh_el_per_a", _MWH_EL), ("electricity_use_mwh_el_per_a", _MWH_EL),
           ("electricity_basis", "table|estimate"), ("electricity_potential_mwh_el_per_a", _MWH_EL),
           ("heat_potential_mwh_th_per_a", _MWH_TH), ("electricity_coverage_pct", "%"), ("heat_coverage_pct", "%")),
    classes=(("electricity_basis", ELECTRICITY_BASES),),
    labels=(
        L("buildings_heated", "Beheizte Gebäude", "Heated buildings", "Gebäude mit Wärmebedarf",
          "buildings with a heat demand"),
        L("heated_area_m2", "Beheizte Fläche", "Heated floor area", "Summe der beheizten Flächen",
          "sum of the heated floor areas"),
        L("residential_area_m2", "Beheizte Wohnfläche", "Heated residential area",
          "beheizte Fläche der Wohngebäude", "heated floor area of residential buildings"),
        L("zensus_living_area_m2", "Wohnfläche (Zensus 2011)", "Living area (Zensus 2011)",
          "Wohnfläche laut Zensus 2011, zum Vergleich", "living area after the 2011 census, for comparison"),
        L("types_drawn", "Typ gezogen", "Types drawn",
          "Gebäude ohne Typ: aus der Verteilung der Gemeinde (synthetisch)",
          "buildings without a type: drawn from the municipality's distribution (synthetic)"),
        L("ages_drawn", "Altersklasse gezogen", "Age classes drawn",
          "Wohngebäude ohne Baualtersklasse: aus der Verteilung gezogen (synthetisch)",
          "residential buildings without an age class: drawn from the distribution (synthetic)"),
        L("heat_demand_mwh_th_per_a", "Wärmebedarf", "Heat demand", "Wärmebedarf aller Gebäude, Ist-Zustand",
          "heat demand of all buildings, status quo"),
        L("heat_residential_mwh_th_per_a", "Wärmebedarf Wohngebäude", "Heat demand, residential",
          "Wärmebedarf der Wohngebäude", "heat demand of the residential buildings"),
        L("heat_dh_suitable_share_pct", "Anteil in Wärmenetz-Eignungsgebieten", "Share in heat-network areas",
          "Anteil des Wärmebedarfs in Zellen ab 175 MWh/(ha·a)",
          "share of the heat demand in cells of 175 MWh/(ha·a) and more"),
        L("zensus_heatnet_share_pct", "Anteil mit Fernwärme (Zensus 2011)", "Share on district heating (Zensus 2011)",
          "Gebäude mit Fern-/Nahwärme laut Zensus 2011, zum Vergleich",
          "buildings on district heating after the 2011 census, for comparison"),
        L("households", "Haushalte", "Households", "Einwohner / mittlere Haushaltsgröße",
          "population / mean household size"),
        L("electricity_households_mwh_el_per_a", "Strom Haushalte", "Electricity, households",
          "Haushalte × mittlerer Verbrauch je Haushalt", "households × mean use per household"),
        L("electricity_commerce_mwh_el_per_a", "Strom Gewerbe/Handel/Dienstleistung", "Electricity, commerce",
          "Gewerbe, Handel, Dienstleistungen", "commerce, trade and services"),
        L("electricity_industry_mwh_el_per_a", "Strom Industrie", "Electricity, industry", "Industrie",
          "industry"),
        L("electricity_use_mwh_el_per_a", "Stromverbrauch", "Electricity use", "Summe der drei Sektoren",
          "sum of the three sectors"),
        L("electricity_basis", "Herkunft Gewerbe/Industrie", "Source, commerce/industry",
          "Tabelle der Region oder Schätzung", "the region's table or an estimate"),
        L("electricity_potential_mwh_el_per_a", "Realisierbares Stromerzeugungspotenzial",
          "Realisable electricity potential", "Dach-PV, Freiflächen-PV, Wind und Biomasse-KWK, realisierbare Stufe",
          "rooftop PV, open-field PV, wind and biomass CHP, realisable stage"),
        L("heat_potential_mwh_th_per_a", "Realisierbares Wärmepotenzial", "Realisable heat potential",
          "Wärme aus Biomasse-KWK, realisierbare Stufe", "heat from biomass CHP, realisable stage"),
        L("electricity_coverage_pct", "Deckung Strom", "Electricity coverage",
          "realisierbares Stromerzeugungspotenzial / Stromverbrauch",
          "realisable electricity potential / electricity use"),
        L("heat_coverage_pct", "Deckung Wärme", "Heat coverage", "realisierbares Wärmepotenzial / Wärmebedarf",
          "realisable heat potential / heat demand"),
    ),
    inputs=DEMAND_INPUTS,
)

#: the per-horizon electricity add-ons (heat pumps, e-mobility; [demand.add_ons] in demand.toml): labelled once
#: here, read by demand_horizons and by the what-if scenarios (potenzial/results/scenarios.py)
ADD_ON_UNITS = (("heat_residential_mwh_th_per_a", _MWH_TH), ("heat_pump_share_pct", "%"),
                ("heat_pump_electricity_all_mwh_el_per_a", _MWH_EL), ("heat_pump_electricity_mwh_el_per_a", _MWH_EL),
                ("ev_share_pct", "%"), ("ev_electricity_all_mwh_el_per_a", _MWH_EL),
                ("ev_electricity_mwh_el_per_a", _MWH_EL), ("electricity_use_with_add_ons_mwh_el_per_a", _MWH_EL),
                ("electricity_coverage_with_add_ons_pct", "%"))
ADD_ON_LABELS = (
    L("heat_residential_mwh_th_per_a", "Wärmebedarf Wohngebäude im Zieljahr", "Residential heat demand in the horizon "
      "year", "Wärmebedarf der Wohngebäude nach Sanierung im Zieljahr",
      "heat demand of the residential buildings after refurbishment in the horizon year"),
    L("heat_pump_share_pct", "Anteil Wärmepumpen", "Heat-pump share",
      "Anteil des Wärmebedarfs der Wohngebäude, den Wärmepumpen decken",
      "share of the residential heat demand supplied by heat pumps"),
    L("heat_pump_electricity_all_mwh_el_per_a", "Strom, wenn alle Wohngebäude mit Wärmepumpe heizten",
      "Electricity if every home had a heat pump", "Wärmebedarf der Wohngebäude / Jahresarbeitszahl",
      "residential heat demand / seasonal performance factor"),
    L("heat_pump_electricity_mwh_el_per_a", "Zusatzverbrauch Wärmepumpen", "Heat-pump add-on",
      "Wärmebedarf der Wohngebäude × Anteil Wärmepumpen / Jahresarbeitszahl",
      "residential heat demand × heat-pump share / seasonal performance factor"),
    L("ev_share_pct", "Anteil Elektro-Pkw", "Electric-car share", "Anteil der Pkw, die elektrisch fahren",
      "share of the passenger cars that are electric"),
    L("ev_electricity_all_mwh_el_per_a", "Strom, wenn alle Pkw elektrisch fahren würden",
      "Electricity if every car were electric",
      "Einwohner × Pkw je Einwohner × km je Pkw × Verbrauch je km (mit Ladeverlusten)",
      "inhabitants × cars per inhabitant × km per car × use per km (charging losses included)"),
    L("ev_electricity_mwh_el_per_a", "Zusatzverbrauch E-Mobilität", "E-mobility add-on",
      "Strom aller Pkw, wären sie elektrisch, × Anteil Elektro-Pkw",
      "electricity if every car were electric × electric-car share"),
    L("electricity_use_with_add_ons_mwh_el_per_a", "Stromverbrauch mit Wärmepumpen und E-Mobilität",
      "Electricity use with heat pumps and e-mobility", "heutiger Stromverbrauch + Zusatzverbrauch Wärmepumpen "
      "+ Zusatzverbrauch E-Mobilität", "today's electricity use + heat-pump add-on + e-mobility add-on"),
    L("electricity_coverage_with_add_ons_pct", "Deckung Strom mit Zusatzverbrauch",
      "Electricity coverage with add-ons",
      "realisierbares Stromerzeugungspotenzial / Stromverbrauch mit Wärmepumpen und E-Mobilität",
      "realisable electricity potential / electricity use with heat pumps and e-mobility"),
)

DEMAND_HORIZONS = ResultSchema(
    name="demand_horizons",
    title_de="Wärmebedarf nach Sanierung und Stromverbrauch je Zieljahr",
    title_en="Heat demand after refurbishment and electricity use per horizon",
    key=("ags", "horizon_year"),
    description=("Per municipality and horizon: the refurbished share of the stock, heat demand after "
                 "refurbishment, the saving against the status quo and the coverage of heat and electricity use; "
                 "heat pumps (residential heat × share / seasonal performance factor) and e-mobility (cars × km × "
                 "use per km × share) as add-ons to the electricity use, and the electricity coverage against the "
                 "use with them (shares and factors: [demand.add_ons] in demand.toml). Heat and electricity are "
                 "never added."),
    columns=(("ags", "text"), ("horizon_year", "int"), ("refurbished_share_pct", "float"),
             ("heat_demand_mwh_th_per_a", "float"), ("heat_saving_pct", "float"), ("heat_coverage_pct", "float"),
             ("electricity_coverage_pct", "float"), *((c, "float") for c, _ in ADD_ON_UNITS)),
    units=(("horizon_year", "year"), ("refurbished_share_pct", "%"), ("heat_demand_mwh_th_per_a", _MWH_TH),
           ("heat_saving_pct", "%"), ("heat_coverage_pct", "%"), ("electricity_coverage_pct", "%"), *ADD_ON_UNITS),
    labels=(
        L("horizon_year", "Zieljahr", "Horizon year", "Jahr, für das der Bestand fortgeschrieben ist",
          "year the stock is projected to"),
        L("refurbished_share_pct", "Sanierter Anteil", "Refurbished share", "Sanierungsrate × Jahre seit dem Basisjahr",
          "refurbishment rate × years since the base year"),
        L("heat_demand_mwh_th_per_a", "Wärmebedarf nach Sanierung", "Heat demand after refurbishment",
          "Wärmebedarf im Zieljahr", "heat demand in the horizon year"),
        L("heat_saving_pct", "Einsparung", "Saving", "Minderung gegenüber dem Ist-Zustand",
          "reduction against the status quo"),
        L("heat_coverage_pct", "Deckung Wärme", "Heat coverage",
          "realisierbares Wärmepotenzial / Wärmebedarf im Zieljahr",
          "realisable heat potential / heat demand in the horizon year"),
        L("electricity_coverage_pct", "Deckung Strom", "Electricity coverage",
          "realisierbares Stromerzeugungspotenzial / heutiger Stromverbrauch (ohne Zusatzverbrauch)",
          "realisable electricity potential / today's electricity use (without add-ons)"),
        *ADD_ON_LABELS,
    ),
    inputs=DEMAND_INPUTS,
)

SCHEMAS = (DEMAND_BUILDINGS, DEMAND_GRID, DEMAND_MUNICIPALITIES, DEMAND_HORIZONS)
