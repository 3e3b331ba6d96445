"""Result of the quality step: a grade per municipality and technology, with its reason."""

from potenzial.results import ResultSchema, ValueClass
from potenzial.results.vocabulary import ColumnLabel as L

#: the quality grades, defined once: what each letter means and how far its figure can be trusted
GRADES = (
    ValueClass("A", "A – reale Daten, exakte Methode", "A – real data, exact method",
               "every input is a real dataset and the method computes the figure geometrically or physically "
               "from them (e.g. LoD2 roof planes): good for a decision on the municipality"),
    ValueClass("B", "B – reale Daten, geschätzte Parameter", "B – real data, estimated parameters",
               "every input is real, but the method rests on estimated parameters (footprint roofs, power "
               "density, yields per hectare): the order of magnitude holds, the figure carries the parameters' "
               "low/central/high range"),
    ValueClass("C", "C – teilweise synthetisch", "C – partly synthetic",
               "the main input is real, some other inputs are synthetic stand-ins: an indication only"),
    ValueClass("D", "D – synthetischer Platzhalter", "D – synthetic stand-in",
               "a main input is a synthetic stand-in: the figure shows how the method works, not the "
               "municipality; replace the stand-in with the real dataset before using it"),
)
GRADE_CODES = tuple(g.code for g in GRADES)
#: the technologies graded, by result-table prefix
TECHNOLOGIES = ("solar_roof", "pv_ground", "wind", "biomass")
_TECH_TITLES = {"solar_roof": ("Dach-PV", "Rooftop PV"), "pv_ground": ("Freiflächen-PV", "Ground-mounted PV"),
                "wind": ("Wind", "Wind"), "biomass": ("Biomasse", "Biomass")}


def _labels():
    out = []
    for tech, (de, en) in _TECH_TITLES.items():
        out += [L(f"{tech}_grade", f"{de}: Datenqualität", f"{en}: data quality",
                  "Güteklasse A–D der Zahlen", "grade A–D of the figures"),
                L(f"{tech}_grade_reason_de", f"{de}: Begründung der Güteklasse", f"{en}: reason for the grade (German)",
                  "warum die Zahlen diese Güteklasse haben", "why the figures have this grade, in German"),
                L(f"{tech}_grade_reason_en", f"{de}: Begründung der Güteklasse (englisch)",
                  f"{en}: reason for the grade", "dasselbe auf Englisch", "why the figures have this grade")]
    return tuple(out)


def _columns():
    out = [("ags", "text")]
    for tech in TECHNOLOGIES:
        out += [(f"{tech}_grade", "text"), (f"{tech}_grade_reason_de", "text"), (f"{tech}_grade_reason_en", "text")]
    return tuple(out)


QUALITY = ResultSchema(
    name="quality",
    title_de="Datenqualität je Gemeinde und Technologie",
    title_en="Data quality per municipality and technology",
    key=("ags",),
    per_municipality=True,
    description=("Per municipality and technology (roof PV, open-field PV, wind, biomass): the quality grade of "
                 "the technology's figures, from which of its inputs are real or synthetic and the method and "
                 "stage that produced them, with the reason in German and English. Empty where the run did "
                 "not compute the technology."),
    columns=_columns(),
    units=tuple((f"{tech}_grade", "grade A|B|C|D") for tech in TECHNOLOGIES),
    classes=tuple((f"{tech}_grade", GRADES) for tech in TECHNOLOGIES),
    labels=_labels(),
    inputs=(),
)

SCHEMAS = (QUALITY,)
