"""Quality grades per municipality and technology: runs whose inputs are all real, all synthetic or
mixed, graded by hand with the rule of potenzial.quality (D: a main input synthetic; C: another
input synthetic; B: all real, estimated parameters; A: all real, exact method)."""

import pandas as pd

from potenzial.quality import TECHNOLOGIES, InputLayer, quality_grades, roof_method_exact
from potenzial.results import collect
from potenzial.results.quality import GRADE_CODES, QUALITY

AGS = ["14729010", "14729020"]
LAYERS = sorted({i for tech in TECHNOLOGIES for i in tech.main + tech.other})
ALL = [tech.key for tech in TECHNOLOGIES]


def layers(synthetic):
    """Every input of every technology, synthetic when its id is in ``synthetic``."""
    return [InputLayer(i, i in synthetic, f"{i} (de)", f"{i} (en)") for i in LAYERS]


def test_all_synthetic_inputs_grade_everything_d():
    out = quality_grades(AGS, layers(set(LAYERS)), ALL)
    for tech in ALL:
        assert out[f"{tech}_grade"].tolist() == ["D", "D"]
    # the reason names the stand-in the figure rests on, in both languages
    assert "buildings (de)" in out["solar_roof_grade_reason_de"][0]
    assert "synthetic main input: buildings (en)" in out["solar_roof_grade_reason_en"][0]
    assert "restricted potential" in out["wind_grade_reason_en"][0]


def test_all_real_inputs_grade_b_and_exact_roofs_a():
    # real data everywhere; the roofs of 14729010 come from LoD2 (exact), those of 14729020 partly
    # from the footprint heuristic; every other technology rests on estimated parameters
    roofs = pd.DataFrame({"ags": ["14729010", "14729010", "14729020", "14729020"],
                          "method": ["lod2", "dsm", "lod2", "footprint_gable"]})
    exact = roof_method_exact(roofs)
    assert exact.to_dict() == {"14729010": True, "14729020": False}
    out = quality_grades(AGS, layers(set()), ALL, exact.to_dict()).set_index("ags")
    assert out["solar_roof_grade"].to_dict() == {"14729010": "A", "14729020": "B"}
    for tech in ("pv_ground", "wind", "biomass"):
        assert out[f"{tech}_grade"].tolist() == ["B", "B"]
    assert out.loc["14729010", "solar_roof_grade_reason_en"].endswith("all inputs real data.")
    assert "LoD2" in out.loc["14729010", "solar_roof_grade_reason_de"]


def test_a_real_main_input_with_synthetic_others_grades_c():
    # real buildings, synthetic terrain: roofs C; wind needs real wind speed and buildings (D without)
    out = quality_grades(AGS, layers({"terrain", "wind_speed_150m"}), ALL)
    assert out["solar_roof_grade"].tolist() == ["C", "C"]
    assert out["wind_grade"].tolist() == ["D", "D"]
    assert out["biomass_grade"].tolist() == ["B", "B"]
    assert "other synthetic inputs: terrain (en)" in out["solar_roof_grade_reason_en"][0]


def test_a_layer_the_catalog_lacks_is_no_input_and_uncomputed_technologies_stay_empty():
    inputs = [layer for layer in layers(set()) if layer.layer_id != "buildings"]
    out = quality_grades(AGS, inputs + [InputLayer("dsm", True, "DOM", "DSM")], ["solar_roof"])
    assert out["solar_roof_grade"].tolist() == ["C", "C"]  # the only synthetic input is the DSM
    assert out["wind_grade"].tolist() == ["", ""]
    assert out["wind_grade_reason_en"].tolist() == ["not computed in this run"] * 2


def test_the_grades_are_declared_once_with_titles():
    assert collect()["quality"] is QUALITY and QUALITY.per_municipality
    assert GRADE_CODES == ("A", "B", "C", "D")
    for tech in ALL:
        values = QUALITY.classes_of(f"{tech}_grade")
        assert [v.code for v in values] == list(GRADE_CODES)
        assert all(v.title_de and v.title_en and v.title_de != v.title_en for v in values)
    assert QUALITY.classes_of("ags") == ()
