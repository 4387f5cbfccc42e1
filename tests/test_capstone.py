"""Module 6: the capstone company is always another company, made by the modules' own generators, and
its questions reuse the modules' computations (and recognise their mistakes) on that company."""
from __future__ import annotations

import math

import pytest

from course import data
from course.data import capstone as cap
from course.data.profiles import PROFILES
from course.data.registry import DATASETS, to_csv_bytes
from course.modules import MODULES, get_module
from course.questions import bank_for

from conftest import notebook_data as module_data
from course.questions import capstone as q
from course.questions import data_disorder, reconnection

CASES = [(p, s) for p in ("retail", "b2b_software", "bank", "telecom") for s in (2024, 7)]
CAPSTONE = [name for name in DATASETS if name.startswith(cap.PREFIX)]


def test_module_six_lists_exactly_the_capstone_datasets():
    listed = get_module("capstone").datasets
    assert {name for name in listed if name.startswith(cap.PREFIX)} == set(CAPSTONE)
    # The rest are reference tables, the same for every company: module 6 loads the modules' own copy.
    assert all(not DATASETS[name].seeded and DATASETS[name].module != "capstone"
               for name in listed if not name.startswith(cap.PREFIX))
    assert len(CAPSTONE) == 1 + len(cap.SOURCES)


@pytest.mark.parametrize("profile", list(PROFILES))
def test_capstone_company_is_never_the_workshop_company(profile):
    prof = PROFILES[profile]
    fresh = cap.capstone_profile(prof)
    assert fresh.name != prof.name and fresh.company != prof.company
    card = data.make("capstone_company", profile, 2024)
    assert card.loc[0, "company"] == fresh.company and card.loc[0, "not_to_confuse_with"] == prof.company


def test_capstone_profile_is_the_next_one_in_order():
    names = list(PROFILES)
    assert [cap.capstone_profile(PROFILES[n]).name for n in names] == names[1:] + names[:1]


@pytest.mark.parametrize("seed", [2024, 7, 0])
def test_capstone_seed_is_derived_and_new(seed):
    assert cap.capstone_seed(seed) == cap.capstone_seed(seed) != seed
    assert cap.capstone_seed(seed) != cap.capstone_seed(seed + 1)


@pytest.mark.parametrize("name", [n for n in CAPSTONE if n != "capstone_company"])
def test_capstone_datasets_are_the_module_generators_remade(name):
    source = name.removeprefix(cap.PREFIX)
    base, spec = DATASETS[source], DATASETS[name]
    made = data.make(name, "retail", 2024)
    again = base.make(cap.capstone_seed(2024), cap.capstone_profile(PROFILES["retail"]))
    assert to_csv_bytes(made, spec.encoding) == to_csv_bytes(again, spec.encoding)
    assert to_csv_bytes(made, spec.encoding) != to_csv_bytes(data.make(source, "retail", 2024), spec.encoding)
    assert spec.columns == base.columns and spec.encoding == base.encoding
    assert spec.read_kwargs == base.read_kwargs and spec.seeded == base.seeded
    # A new workshop seed gives a new capstone company exactly when the module generator uses its seed.
    fresh = cap.capstone_profile(PROFILES["retail"])
    base_varies = to_csv_bytes(base.make(11, fresh), spec.encoding) != to_csv_bytes(base.make(12, fresh), spec.encoding)
    other_seed = data.make(name, "retail", 7)
    assert (to_csv_bytes(other_seed, spec.encoding) != to_csv_bytes(made, spec.encoding)) == base_varies


def test_question_ids_are_new():
    others = {qid for m in MODULES if m.slug != "capstone" for qid in bank_for(m.slug).questions}
    ours = set(bank_for("capstone").questions)
    assert 4 <= len(ours) <= 8 and not ours & others


@pytest.mark.parametrize("profile,seed", CASES)
def test_every_question_accepts_its_own_expectation(profile, seed):
    d = module_data(profile, seed)
    for question in bank_for("capstone").questions.values():
        plain = question.expected_plain(d)
        assert question.verdict(plain, d) is None, question.id
        assert len(question.hints) >= 2


@pytest.mark.parametrize("profile,seed", CASES)
def test_answers_are_meaningful_for_every_profile_and_seed(profile, seed):
    d = module_data(profile, seed)
    view = q.CapstoneData(d)
    counts = reconnection.detractor_theme_counts(view).sort_values(ascending=False)
    assert counts.iloc[0] >= 1.5 * counts.iloc[1], "top detractor theme must be unambiguous"
    assert 0 < q.incremental_share(d) < 1
    assert q.honest_wait(d) > data_disorder.dashboard_wait(view)
    fit = q.persona_fit(d)
    assert len(fit) >= 2 and fit.notna().all() and fit.max() < 0.05
    assert q.shelfware_savings(d) > 0
    assert q.expected_return(d) > reconnection.current_return(view)
    assert not math.isnan(q.nps(d))


def test_reuses_the_modules_computations_on_the_capstone_data():
    d = module_data("bank", 7)
    assert q.nps(d) == reconnection.nps_of(d["capstone_verbatims"]["score"])
    calls = d["capstone_service_calls"]
    assert q.honest_wait(d) == float(calls["queue_seconds"].quantile(0.9))


def verdict(qid, value, d):
    question = bank_for("capstone").get(qid)
    return question.verdict(question.kind.to_plain(value), d)


def test_module_mistakes_are_recognised_on_the_capstone():
    d = module_data("retail", 2024)
    assert "multiply by 100" in verdict("audit_nps", q.nps(d) / 100, d)
    calls = d["capstone_service_calls"]
    answered_only = float(calls.loc[calls["outcome"] == "answered", "queue_seconds"].quantile(0.9))
    assert "hung up" in verdict("audit_honest_wait", answered_only, d)
    view = q.CapstoneData(d)
    overall = reconnection.mentions(view["verbatims"]["text"]).sum().idxmax()
    assert "detractors" in verdict("audit_top_detractor_theme", str(overall), d)
    assert "today's plan" in verdict("audit_expected_return", reconnection.current_return(view), d)
    assert verdict("audit_shelfware_savings", q.shelfware_savings(d) + 1, d) is not None
