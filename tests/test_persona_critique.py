"""Module 2 (persona critique): data, questions and simulations hold for every profile and seed."""
from __future__ import annotations

import nbformat
import numpy as np
import pandas as pd
import pytest

from course import data
from course.data import persona_critique as gen
from course.data.registry import DATASETS, to_csv_bytes
from course.modules import get_module
from course.paths import solutions_dir
from course.questions import ModuleData, bank_for
from course.questions import persona_critique as q
from course.checks import Refused
from course.sims import persona_critique as sims

PROFILES = ("retail", "b2b_software", "bank", "telecom")
SEEDS = (2024, 7)
CASES = [(p, s) for p in PROFILES for s in SEEDS]


def module_data(profile: str, seed: int) -> ModuleData:
    return ModuleData(lambda name: data.make(name, profile, seed))


@pytest.fixture(scope="module", params=CASES, ids=[f"{p}-{s}" for p, s in CASES])
def case(request):
    profile, seed = request.param
    return module_data(profile, seed)


# --- generator -------------------------------------------------------------------------------------

def test_module_registry_names_the_registered_datasets():
    info = get_module("persona_critique")
    assert info.datasets == ("customers", "persona_cards")
    assert all(DATASETS[name].module == "persona_critique" for name in info.datasets)


def test_customers_same_seed_same_bytes_different_seed_different_data():
    first = to_csv_bytes(data.make("customers", "retail", 2024))
    again = to_csv_bytes(data.make("customers", "retail", 2024))
    other = to_csv_bytes(data.make("customers", "retail", 7))
    assert first == again
    assert first != other


def test_profile_changes_words_not_shape():
    retail = data.make("customers", "retail", 2024)
    bank = data.make("customers", "bank", 2024)
    assert list(retail.columns) == list(bank.columns)
    assert set(retail["channel"]) <= set(data.get_profile("retail").channels)
    assert set(bank["favourite_category"]) <= set(data.get_profile("bank").product_categories)
    assert set(data.make("persona_cards", "retail", 1)["persona"]) != set(data.make("persona_cards", "bank", 1)["persona"])


def test_persona_cards_are_fixed_for_every_seed():
    assert to_csv_bytes(data.make("persona_cards", "telecom", 2024)) == to_csv_bytes(data.make("persona_cards", "telecom", 7))


def test_hidden_segments_are_not_shipped_but_shape_the_data():
    customers = data.make("customers", "retail", 2024)
    truth = gen.true_segments(2024)
    assert "segment" not in customers.columns
    assert len(truth) == len(customers) == gen.N_CUSTOMERS
    assert truth.nunique() == len(gen.SEGMENTS)
    mean_age = customers.groupby(truth)["age"].mean()
    # The segments' own age centres come back out of the data, in the same order.
    planned = pd.Series({s.name: s.age[0] for s in gen.SEGMENTS})
    assert np.corrcoef(mean_age.loc[planned.index], planned)[0, 1] > 0.95
    assert (mean_age.loc[planned.index] - planned).abs().max() < 3


def test_columns_have_no_missing_values_and_sensible_ranges(case):
    customers = case["customers"]
    assert not customers.isna().any().any()
    assert customers["customer_id"].is_unique
    assert customers["age"].between(18, 85).all()
    assert customers["satisfaction"].between(0, 10).all()
    assert (customers["purchases_per_year"] > 0).all() and (customers["avg_basket"] > 0).all()
    assert set(customers["responded_spring_offer"]) == {0, 1}


# --- planted quirks, for every profile and seed ----------------------------------------------------

def test_each_trait_alone_looks_plausible_but_together_fit_almost_nobody(case):
    by_attribute = q.fit_by_attribute(case)
    assert (by_attribute > 0.10).all(), by_attribute
    all_six = q.fit_on_all(case)
    assert (all_six < 0.01).all(), all_six
    assert (all_six < by_attribute.min() / 10).all()


def test_almost_nobody_is_average_on_six_attributes(case):
    count = q.average_on_all_count(case)
    assert 0 < count < 0.02 * gen.N_CUSTOMERS


def test_average_customer_is_not_a_real_customer(case):
    distances = q.distances_to_average(case["customers"])
    assert distances.min() > 0.1
    assert distances.median() > 4 * distances.min()


def test_first_card_favourite_is_loved_by_other_people_than_the_card_says(case):
    customers, card = case["customers"], case["persona_cards"].iloc[0]
    fans = customers[customers["favourite_category"] == card["favourite_category"]]
    assert fans["age"].median() > card["age_max"]
    assert fans["channel"].value_counts().index[0] != card["channel"]


def test_segments_are_unambiguous_and_the_campaign_lesson_holds(case):
    sizes = q.segment_sizes(case)
    assert len(sizes) >= 4
    assert (sizes >= q.SEGMENT_MIN_CUSTOMERS).all()
    category = case["persona_cards"].iloc[0]["favourite_category"]
    offer = sizes[sizes.index.str.startswith(category + " / ")].sort_values(ascending=False)
    assert len(offer) >= 1 and (len(offer) == 1 or offer.iloc[0] > offer.iloc[1]), "tie for the offer segment"
    persona_group = q.persona_target(case["customers"], case["persona_cards"].iloc[0])
    assert persona_group.sum() >= 200
    rates = q.campaign_response(case)
    assert rates.notna().all() and rates["persona"] > 0
    assert rates["segment"] > 2 * rates["persona"]


# --- questions -------------------------------------------------------------------------------------

def test_every_question_accepts_its_own_expectation(case):
    bank = bank_for("persona_critique")
    assert 4 <= len(bank.questions) <= 8
    for question in bank.questions.values():
        plain = question.expected_plain(case)
        assert question.verdict(plain, case) is None, question.id
        assert len(question.hints) >= 2
        values = plain["values"] if isinstance(plain, dict) else [plain]
        assert all(v is not None and np.isfinite(v) for v in values), question.id


def _verdict(qid: str, answer, data_: ModuleData) -> str | None:
    question = bank_for("persona_critique").get(qid)
    return question.verdict(question.kind.to_plain(answer), data_)


@pytest.fixture(scope="module")
def retail():
    return module_data("retail", 2024)


def test_exclusive_age_band_is_recognised(retail):
    customers, card = retail["customers"], retail["persona_cards"].iloc[0]
    wrong = q.fit_by_attribute(retail).copy()
    wrong["age"] = ((customers["age"] > card["age_min"]) & (customers["age"] < card["age_max"])).mean()
    assert "both ends" in _verdict("persona_fit_by_attribute", wrong, retail)


def test_or_instead_of_and_is_recognised(retail):
    customers = retail["customers"]
    wrong = pd.Series({card["persona"]: q.persona_matches(customers, card).any(axis=1).mean()
                       for _, card in retail["persona_cards"].iterrows()})
    assert "all six" in _verdict("persona_fit_all", wrong, retail)


def test_counts_instead_of_shares_are_recognised(retail):
    counts = q.fit_on_all(retail) * len(retail["customers"]) + 2
    assert "shares" in _verdict("persona_fit_all", counts, retail)


def test_exclusive_percentile_band_and_shares_are_recognised(retail):
    right = q.average_on_all_count(retail)
    customers = retail["customers"]
    strict = pd.concat([(customers[c] > customers[c].quantile(0.35)) & (customers[c] < customers[c].quantile(0.65))
                        for c in gen.NUMERIC_ATTRIBUTES], axis=1).all(axis=1).sum()
    assert strict != right
    assert "edges" in _verdict("average_on_all", int(strict), retail)
    with pytest.raises(Refused) as refused:  # a share is refused before any comparison, in plain words
        bank_for("persona_critique").get("average_on_all").kind.to_plain(right / len(customers))
    assert "whole number" in str(refused.value)


def test_raw_distance_is_recognised(retail):
    numeric = retail["customers"][list(gen.NUMERIC_ATTRIBUTES)]
    raw = float(np.sqrt(((numeric - numeric.mean()) ** 2).sum(axis=1)).min())
    assert "Standardise" in _verdict("nearest_to_average", raw, retail)
    population_std = ((numeric - numeric.mean()) / numeric.std(ddof=0))
    assert _verdict("nearest_to_average", float(np.sqrt((population_std ** 2).sum(axis=1)).min()), retail) is None


def test_segment_mistakes_are_recognised(retail):
    customers = retail["customers"]
    flipped = (customers["channel"] + " / " + customers["favourite_category"]).value_counts()
    assert "category first" in _verdict("segment_sizes", flipped[flipped >= 250], retail)
    everything = q.segment_labels(customers).value_counts()
    assert "at least 250" in _verdict("segment_sizes", everything, retail)


def test_campaign_mistakes_are_recognised(retail):
    customers, card = retail["customers"], retail["persona_cards"].iloc[0]
    right = q.campaign_response(retail)
    fans = customers["favourite_category"] == card["favourite_category"]
    whole = right.copy()
    whole["segment"] = customers.loc[fans, "responded_spring_offer"].mean()
    assert "biggest" in _verdict("campaign_response", whole, retail)
    strict = right.copy()
    three = q.persona_matches(customers, card)[["age", "income_band", "channel"]].all(axis=1)
    strict["persona"] = customers.loc[three, "responded_spring_offer"].mean()
    assert "age band and its channel" in _verdict("campaign_response", strict, retail)
    assert "shares" in _verdict("campaign_response", right * 100, retail)


def test_messages_never_give_the_answer_away(retail):
    right = q.nearest_to_average(retail)
    for wrong in (right * 1.5, right + 1, 0.0):
        verdict = _verdict("nearest_to_average", wrong, retail)
        assert verdict and f"{right:.3f}" not in verdict and f"{right:.2f}" not in verdict


# --- simulations -----------------------------------------------------------------------------------

def test_flaw_of_averages_falls_with_attributes_and_rises_with_the_band(case):
    customers = case["customers"]
    narrow = sims.average_fit_curve(customers, 0.3)
    wide = sims.average_fit_curve(customers, 0.6)
    assert np.all(np.diff(narrow) <= 0) and np.all(np.diff(wide) <= 0)
    assert np.all(wide >= narrow)
    assert narrow[-1] < 0.02 < 0.2 < narrow[0]
    assert np.allclose(sims.average_fit_curve(customers, 1.0), 1.0)
    assert round(narrow[-1] * len(customers)) == q.average_on_all_count(case)


def test_independent_curve_is_band_to_the_power_k():
    curve = sims.independent_fit_curve(0.3, 10)
    assert np.allclose(curve, 0.3 ** np.arange(1, 11))
    # Daniels's setting: expected pilots average on all ten dimensions, had they been unrelated, is below one.
    assert curve[-1] * sims.DANIELS["pilots"] < 1


def test_kmeans_is_deterministic_converged_and_finds_the_hidden_segments():
    customers = data.make("customers", "retail", 2024)
    z = sims.standardised(customers).to_numpy()
    labels = sims.kmeans(z, 5, seed=5)
    assert np.array_equal(labels, sims.kmeans(z, 5, seed=5))
    sizes = np.bincount(labels)
    assert len(sizes) == 5 and np.all(np.diff(sizes) <= 0)
    centres = np.array([z[labels == j].mean(axis=0) for j in range(5)])
    nearest = ((z[:, None, :] - centres[None]) ** 2).sum(axis=2).argmin(axis=1)
    assert np.array_equal(nearest, labels), "k-means stopped before every customer sat with its nearest centre"
    truth = gen.true_segments(2024)
    purity = pd.crosstab(labels, truth).max(axis=1).sum() / len(customers)
    assert purity > 0.6


def test_fewer_customers_are_described_as_the_persona_test_gets_stricter(case):
    customers, personas = case["customers"], case["persona_cards"]
    described = [sims.best_persona(customers, personas, m).ne("").mean() for m in range(1, 7)]
    assert np.all(np.diff(described) <= 0)
    anyone_on_all = sum(q.fit_on_all(case)) * len(customers)
    assert described[-1] * len(customers) == pytest.approx(anyone_on_all)


def test_cluster_summary_covers_every_customer():
    customers = data.make("customers", "bank", 7)
    personas = data.make("persona_cards", "bank", 7)
    labels = sims.kmeans(sims.standardised(customers).to_numpy(), 4, seed=4)
    summary = sims.cluster_summary(customers, labels, sims.best_persona(customers, personas, 3))
    assert summary["customers"].sum() == len(customers)
    assert summary["described by a persona"].between(0, 1).all()


# --- notebook --------------------------------------------------------------------------------------

def test_source_notebook_has_one_answer_test_and_hint_per_question():
    info = get_module("persona_critique")
    nb = nbformat.read(solutions_dir() / info.assignment / info.notebook, as_version=4)
    ids = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in nb.cells}
    text = "\n".join(c.source for c in nb.cells)
    for qid, question in bank_for(info.slug).questions.items():
        assert qid in ids and ids[qid].metadata["nbgrader"]["solution"]
        assert ids[qid].source.startswith(f"{question.variable} = None")
        test = ids[f"test_{qid}"]
        assert test.source == f'm2.check("{qid}", {question.variable})'
        assert f'# m2.hint("{qid}")' in text
    written = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution") and c.cell_type == "markdown"]
    assert len(written) == 1
    assert "../m3_data_disorder/m3_data_disorder.ipynb" in text
