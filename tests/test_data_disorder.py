"""Module 3 (data disorder): the planted mess is there, the stated cleaning rules recover the truth, the
data and the simulations tell the module's story for every profile and seed, every exercise is judged
on substance (right forms accepted, wrong paths told precisely), the model answer is computed from the
data, and the notebook keeps its time, its worked examples and its sources."""
from __future__ import annotations

import importlib.util
import math
import re

import nbformat
import numpy as np
import pandas as pd
import pytest

from course import data
from course import messages as msg
from course.data import data_disorder as gen
from course.data.data_disorder import calls as gen_calls
from course.data.data_disorder import people as gen_people
from course.data.registry import DATASETS, to_csv_bytes
from course.measures.nps import nps, nps_margin
from course.measures.queue import CallCentre, cheapest_green_roster, draw_calls
from course.modules import get_module
from course.paths import PACKAGE_DIR, solutions_dir
from course.questions import ModuleData, bank_for
from course.questions import data_disorder as q
from course.questions.data_disorder_truth import disorder_truth
from course.sims import data_disorder as sims
from course.sources import check_citations, cited_in

MODULE = get_module("data_disorder")
NAMES = ("crm_export", "orders_export", "email_export", "service_calls")
PROFILES = ("retail", "b2b_software", "bank", "telecom")
SEEDS = (2024, 7)
CASES = [(p, s) for p in PROFILES for s in SEEDS]
BANK = bank_for("data_disorder")
NOTEBOOK = solutions_dir() / MODULE.assignment / MODULE.notebook
TARGET = CallCentre().target_s


class Case:
    """One profile and seed: the exports written to disk and read back as a notebook would, plus the truth."""

    def __init__(self, folder, profile, seed):
        self.folder, self.profile, self.seed = folder, profile, seed
        data.build(folder, profile=profile, seed=seed, names=list(NAMES))
        self.data = ModuleData(self.read)
        self.truth = disorder_truth(seed, profile)

    def read(self, name: str) -> pd.DataFrame:
        return data.read_dataset(self.folder / DATASETS[name].filename, name)


@pytest.fixture(scope="module", params=CASES, ids=[f"{p}-{s}" for p, s in CASES])
def case(request, tmp_path_factory):
    profile, seed = request.param
    return Case(tmp_path_factory.mktemp(f"m3-{profile}-{seed}"), profile, seed)


@pytest.fixture(scope="module")
def retail(tmp_path_factory):
    return Case(tmp_path_factory.mktemp("m3-retail-default"), "retail", 2024)


def _verdict(qid: str, value, d: ModuleData) -> str | None:
    """The learner-visible verdict on a value (None when right), through the question's own hand-over."""
    return BANK.get(qid).says(value, d)


# --- generator -------------------------------------------------------------------------------------

def test_module_registry_names_the_registered_datasets():
    assert MODULE.datasets == NAMES + ("country_codes", "domain_typos")
    assert all(DATASETS[name].module == "data_disorder" for name in MODULE.datasets)


@pytest.mark.parametrize("name", NAMES)
def test_same_seed_same_bytes_different_seed_different_data(name):
    spec = DATASETS[name]
    first = to_csv_bytes(data.make(name, "retail", 2024), spec.encoding)
    assert first == to_csv_bytes(data.make(name, "retail", 2024), spec.encoding)
    assert first != to_csv_bytes(data.make(name, "retail", 7), spec.encoding)


def test_the_people_are_drawn_once_for_the_four_exports(monkeypatch):
    drawn = []
    real = gen_people.rng_for
    monkeypatch.setattr(gen_people, "rng_for", lambda seed, name: drawn.append(name) or real(seed, name))
    for state in ("people", "crm_state", "orders_state", "calls_state", "emails_state"):
        cached = getattr(importlib.import_module(f"course.data.data_disorder.{_home(state)}"), state)
        cached.cache_clear()
    for name in NAMES:
        data.make(name, "bank", 11)
    assert drawn == ["data_disorder_people"]


def _home(state: str) -> str:
    return {"people": "people", "crm_state": "crm", "orders_state": "orders", "calls_state": "calls",
            "emails_state": "emails"}[state]


def test_a_handed_out_export_is_a_copy_the_cache_never_sees_changed():
    first = data.make("crm_export", "retail", 2024)
    first.loc[:, "email"] = "changed"
    assert (data.make("crm_export", "retail", 2024)["email"] != "changed").any()


def test_the_truth_lives_with_the_answer_key_not_on_the_learner_side():
    """The ready-made true answers are trusted-side only: the learner wheel leaves course.questions out and
    the grading sandbox hides it. (The generators themselves must stay learner-side: see the module report.)"""
    assert not hasattr(gen, "disorder_truth")
    assert importlib.util.find_spec("course.questions.data_disorder_truth") is not None
    learner_side = (PACKAGE_DIR / "data" / "data_disorder").glob("*.py")
    assert not any("disorder_truth" in path.read_text(encoding="utf-8").replace(
        "course.questions.data_disorder_truth", "") for path in learner_side)


def test_crm_is_written_in_windows_1252_and_its_card_says_so(retail):
    raw = (retail.folder / "crm_export.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert "é" in raw.decode("cp1252")
    card = (retail.folder / "crm_export.md").read_text(encoding="utf-8")
    assert "cp1252" in card and "Windows-1252" in card
    assert DATASETS["crm_export"].encoding == "cp1252"


def test_the_truth_is_not_written_next_to_the_data(retail):
    written = {p.name for p in retail.folder.iterdir()}
    assert written == {"manifest.json"} | {f"{n}.csv" for n in NAMES} | {f"{n}.md" for n in NAMES}
    for card in retail.folder.glob("*.md"):
        assert f"{retail.truth['customers']:,}" not in card.read_text(encoding="utf-8")


def test_scales_a_manager_would_believe(case):
    truth = case.truth
    assert 1500 <= truth["customers"] <= 3000
    assert len(case.data["orders_export"]) < 15_000 and len(case.data["service_calls"]) < 6_000
    calls_a_day = truth["calls"] / truth["days"]
    assert 150 <= calls_a_day <= 250, "a small customer-service line"
    # A CRM customer calls a few times a year, as the sector's assumption says, not every month.
    per_year = truth["calls_from_crm_customers"] / truth["customers"] * gen_calls.WORKING_DAYS_A_YEAR / 20
    expected = gen_calls.CALLS_PER_CUSTOMER_YEAR[case.profile]
    assert 0.6 * expected <= per_year <= 1.4 * expected
    identified = case.data["service_calls"]["customer_email"].notna().mean()
    assert identified < 0.25, "most callers are not in the CRM export"


def test_crm_mess_is_planted(case):
    crm = case.data["crm_export"]
    planted = case.truth["crm_planted"]
    for kind in ("exact", "case", "spaces", "case+spaces", "domain typo", "missing", "name_typo", "name_case"):
        assert planted[kind] > 0, kind
    emails = crm["email"].dropna()
    assert (emails != emails.str.strip()).any() and (emails != emails.str.lower()).any()
    assert emails.str.split("@").str[1].str.strip().str.lower().isin(list(gen.DOMAIN_TYPOS)).any()
    assert crm["email"].isna().any() and crm["signup_date"].isna().any() and crm["phone"].isna().any()
    styles = set(crm["country"])
    assert "FR" in styles and "FRA" in styles and "France" in styles and " France " in styles
    assert crm["signup_date"].dropna().str.fullmatch(r"\d{2}/\d{2}/\d{4}").all()
    day_first = pd.to_datetime(crm["signup_date"], format="%d/%m/%Y")
    assert (day_first.dt.day > 12).any(), "some dates must be impossible to read month first"
    assert len(crm) == case.truth["customers"] + planted["duplicate_rows"]


def test_orders_mess_is_planted(case):
    orders = case.data["orders_export"]
    planted = case.truth["orders_planted"]
    assert orders["order_id"].duplicated().sum() == planted["duplicated_orders"] > 0
    amounts = orders["amount"].dropna()
    assert amounts.str.contains("€").any() and amounts.str.contains("EUR").any()
    assert amounts.str.fullmatch(r"[^.]*\d,\d{2}[^.]*").any() and amounts.str.fullmatch(r"\d+\.\d{2}").any()
    assert orders["amount"].isna().sum() > 0
    stamps = orders["ordered_at"]
    assert stamps.str.endswith("Z").any() and stamps.str.endswith("+02:00").any() and stamps.str.endswith("+01:00").any()
    assert planted["guest_orders"] > 0 and planted["domain_typo"] > 0 and planted["mixed_case_email"] > 0


def test_email_and_call_mess_is_planted(case):
    emails = case.data["email_export"]
    assert emails["first_name"].str.contains("Ã", regex=False).sum() == case.truth["email_planted"]["mojibake_names"] > 0
    assert (emails["opens"] > emails["emails_sent"]).any()
    assert emails["nps_score"].isna().any() and emails["nps_score"].dropna().between(0, 10).all()
    assert emails["unsubscribed_on"].notna().any()
    calls = case.data["service_calls"]
    assert set(calls["outcome"]) == {"answered", "abandoned"}
    assert calls.loc[calls["outcome"] == "abandoned", "talk_seconds"].isna().all()
    assert calls["customer_email"].isna().any() and calls["customer_email"].notna().any()


def test_timestamps_on_one_clock_agree_with_paris_time(case):
    stamps = pd.to_datetime(case.data["orders_export"]["ordered_at"], utc=True)
    paris_hour = stamps.dt.tz_convert("Europe/Paris").dt.hour
    assert paris_hour.between(8, 22).all(), "orders were placed between 08:00 and 23:00 Paris time"


# --- the stated rules recover the truth ---------------------------------------------------------------

def test_cleaning_rules_recover_the_truth(case):
    d, truth = case.data, case.truth
    assert q.unique_customers(d) == truth["customers"]
    assert q.customers_by_country(d).sort_index().to_dict() == truth["customers_by_country"]
    assert math.isclose(q.total_revenue(d), truth["revenue_total"], abs_tol=1e-6)
    assert math.isclose(q.revenue_per_customer(d), truth["revenue_per_customer"], rel_tol=1e-12)
    assert math.isclose(q.dashboard_wait(d), truth["dashboard_wait"])
    assert math.isclose(q.honest_wait_p90(d), truth["honest_wait_p90"])
    assert math.isclose(q.abandoned_share(d), truth["abandoned_share"])
    assert math.isclose(q.promise_kept(d), truth["promise_kept"])
    nps_found = q.nps_by_segment(d)
    assert set(nps_found.index) == set(gen.SEGMENTS)
    assert all(math.isclose(nps_found[s], truth["nps_by_segment"][s]) for s in gen.SEGMENTS)


def test_country_codes_cover_every_style_in_the_data(case):
    codes = q.country_codes(case.data["crm_export"]["country"])
    assert codes.isin(list(gen.COUNTRIES)).all()


# --- the lessons, on the data -------------------------------------------------------------------------

def test_the_dashboard_is_green_while_callers_are_not(case):
    truth = case.truth
    assert truth["dashboard_wait"] <= TARGET / 2 < TARGET < truth["honest_wait_p90"], "dashboard green, callers red"
    assert 0.05 < truth["abandoned_share"] < 0.4
    # Counted over every call, the promise breaks for a large share of callers the average never shows.
    assert truth["promise_kept"] < 1 - truth["abandoned_share"] <= 0.95
    assert 1 - truth["promise_kept"] > 0.2


def test_counting_rows_overstates_customers_and_understates_what_each_brings(case):
    d = case.data
    assert len(d["crm_export"]) > q.unique_customers(d)
    assert q.customer_revenue(d) / len(d["crm_export"]) < q.revenue_per_customer(d)
    assert q.total_revenue(d) > case.truth["revenue_from_customers"], "guest orders exist"


def test_an_average_customer_does_not_exist(case):
    spend = q.customer_spend(case.data)
    top_tenth = spend.sort_values(ascending=False).head(len(spend) // 10)
    assert spend.median() < 0.8 * spend.mean(), "skewed: the median customer spends well under the average"
    assert top_tenth.sum() / spend.sum() > 0.25, "the top tenth brings far more than a tenth"
    assert (spend == 0).any(), "some customers bought nothing and still count"


def test_the_gap_between_new_and_loyal_customers_is_larger_than_chance(case):
    answers = q.respondents(case.data)
    by = answers.groupby("segment")["nps_score"]
    score, margin = by.apply(nps), by.apply(nps_margin)
    assert score["Loyal"] - margin["Loyal"] > score["New"] + margin["New"]
    assert (margin > 3).all() and (margin < 25).all(), "a few hundred answers: ranges of several points"


# --- questions ------------------------------------------------------------------------------------------

def test_the_bank_holds_exactly_the_notebooks_exercises_and_each_accepts_its_own_answer(case):
    nb = nbformat.read(NOTEBOOK, as_version=4)
    tests = {c.metadata["nbgrader"]["grade_id"][len("test_"):] for c in nb.cells
             if c.metadata.get("nbgrader", {}).get("grade_id", "").startswith("test_")}
    assert tests == set(BANK.questions) and 4 <= len(tests) <= 8
    for question in BANK.questions.values():
        plain = question.expected_plain(case.data)
        assert question.verdict(plain, case.data) is None, question.id
        if isinstance(plain, dict):
            assert plain["index"] and all(v is not None and math.isfinite(v) for v in plain["values"]), question.id
        else:
            assert math.isfinite(plain) and plain > 0, question.id


def test_every_prompt_states_its_precision():
    for question in BANK.questions.values():
        how = question.kind.how()
        assert not how or question.prompt.endswith(how), question.id


def test_every_prompt_in_the_notebook_states_the_precision_its_check_uses():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    for question in BANK.questions.values():
        answer = next(i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade_id") == question.id)
        start = max((i for i, c in enumerate(nb.cells[:answer]) if c.metadata.get("nbgrader", {}).get("solution")),
                    default=-1)
        section = " ".join(" ".join(c.source.split()) for c in nb.cells[start + 1:answer] if c.cell_type == "markdown")
        assert question.kind.how() in section, question.id


def _right_forms(d: ModuleData) -> dict[str, list]:
    """Right answers in the forms a learner reasonably gives them (rounded as the prompt allows, other types,
    labels with other capitals and spaces, a dict for a Series, the other side of an immaterial boundary)."""
    calls = d["service_calls"]
    series = q.nps_by_segment(d)
    return {
        "unique_customers": [float(q.unique_customers(d)), np.int64(q.unique_customers(d))],
        "total_revenue": [round(q.total_revenue(d)), round(q.total_revenue(d), 2)],
        "revenue_per_customer": [round(q.revenue_per_customer(d)), round(q.revenue_per_customer(d), 2)],
        "dashboard_wait": [round(q.dashboard_wait(d)), np.float64(q.dashboard_wait(d))],
        "honest_wait_p90": [round(q.honest_wait_p90(d)), float(np.percentile(calls["queue_seconds"], 90))],
        "promise_kept": [round(q.promise_kept(d), 2), round(q.promise_kept(d), 3),
                         float(((calls["outcome"] == "answered") & (calls["queue_seconds"] < TARGET)).mean())],
        "nps_by_segment": [series.round(1), series.rename(index=str.lower), series.rename(index=lambda s: f" {s.upper()} "),
                           series.to_dict(), series.to_frame("nps")],
    }


def test_right_answers_in_any_reasonable_form_are_accepted(case):
    for qid, forms in _right_forms(case.data).items():
        for value in forms:
            assert _verdict(qid, value, case.data) is None, (qid, value)


def _wrong_forms(d: ModuleData) -> dict[str, list[tuple[object, str]]]:
    """Right in substance, wrong in form: each with the phrase its message must contain."""
    series = q.nps_by_segment(d)
    answers = q.respondents(d).assign(half=lambda t: np.arange(len(t)) % 2)
    two_levels = answers.groupby(["segment", "half"])["nps_score"].apply(nps)
    return {
        "unique_customers": [(str(q.unique_customers(d)), "text"), (q.unique_customers(d) + 0.5, "whole number")],
        "total_revenue": [(round(q.total_revenue(d), -1), "rounded too much")],
        "revenue_per_customer": [(round(q.revenue_per_customer(d), -1), "rounded too much")],
        "dashboard_wait": [(round(q.dashboard_wait(d), -1), "rounded too much")],
        "promise_kept": [(100 * q.promise_kept(d), "percentage"), (round(q.promise_kept(d), 1), "rounded too much")],
        "nps_by_segment": [(series / 100, "multiply by 100"), (series.round(0), "rounded too much"),
                           (series.reset_index(drop=True), "index"), (two_levels, "2-level index"),
                           (series.drop("Regular"), "Expected 3 segments"),
                           (series.rename(index={"Loyal": "Loyalty"}), "not in the data"),
                           (float(nps(q.respondents(d)["nps_score"])), "Series")],
    }


def test_right_in_substance_wrong_in_form_is_told_precisely(case):
    for qid, wrongs in _wrong_forms(case.data).items():
        question = BANK.get(qid)
        for value, phrase in wrongs:
            said = _verdict(qid, value, case.data)
            if said is None and phrase == "rounded too much":
                # Rounded a level coarser and still within one step of the exact answer: rightly accepted.
                expected, given = question.expected_plain(case.data), question.kind.to_plain(value)
                if isinstance(expected, dict):
                    pairs = [(dict(zip(given["index"], given["values"]))[k], v)
                             for k, v in zip(expected["index"], expected["values"])]
                    step = question.kind.values.precision()
                else:
                    pairs, step = [(given, expected)], question.kind.precision()
                assert all(abs(g - e) <= step.step(e) + 1e-9 for g, e in pairs), qid
                continue
            assert said is not None and phrase in said, (qid, phrase, said)


def _wrong_paths(d: ModuleData) -> dict[str, list[tuple[object, str]]]:
    """Typical wrong paths per question, each with a phrase its message must contain."""
    crm, calls = d["crm_export"], d["service_calls"]
    answered = calls[calls["outcome"] == "answered"]
    return {
        "unique_customers": [(len(crm), "rows"), (crm["email"].nunique(), "as they were typed"),
                             (len(crm.drop_duplicates("email")), "exactly as typed"),
                             (int(crm["email"].notna().sum()), "kept every copy"),
                             (crm["email"].str.strip().str.lower().nunique(), "typo"),
                             (q.unique_customers(d) + 1, "missing e-mail")],
        "total_revenue": [(q.revenue_with_copies(d), "twice"), (q.revenue_commas_dropped(d), "comma")],
        "revenue_per_customer": [(q.total_revenue(d) / q.unique_customers(d), "guest"),
                                 (q.customer_revenue(d) / len(crm), "CRM rows"),
                                 (q.customer_revenue(d) / q.buyers(d), "ordered nothing"),
                                 (q.revenue_joined_to_every_row(d), "counted twice")],
        "dashboard_wait": [(calls["queue_seconds"].mean(), "every call"),
                           (answered["queue_seconds"].median(), "median")],
        "honest_wait_p90": [(answered["queue_seconds"].quantile(0.9), "hung up"),
                            (calls["queue_seconds"].mean(), "average wait")],
        "promise_kept": [((answered["queue_seconds"] <= TARGET).mean(), "answered calls only"),
                         ((calls["queue_seconds"] <= TARGET).mean(), "Both conditions"),
                         (1 - q.promise_kept(d), "broke the promise"), (q.abandoned_share(d), "hung up")],
        "nps_by_segment": [(q.mean_score_by_segment(d), "average score"),
                           (q.nps_on_every_crm_row(d), "counted twice"),
                           (q.nps_with_silent_people(d), "did not answer"),
                           (q.nps_six_left_out(d), "a 6 is a detractor"),
                           (q.nps_nine_left_out(d), "a 9 is a promoter")],
    }


def test_typical_wrong_paths_get_their_own_plain_message(case):
    for qid, wrongs in _wrong_paths(case.data).items():
        for value, phrase in wrongs:
            said = _verdict(qid, value, case.data)
            assert said is not None and phrase in said, (qid, phrase, said)


def test_the_nps_mistakes_follow_the_learners_own_code(retail):
    """The declared NPS mistakes are what a learner's natural code gives, not a re-derivation that could drift."""
    emails, customers = retail.data["email_export"], q.customers(retail.data)
    joined = emails.merge(customers[["email", "segment"]], on="email")
    no_dropna = joined.groupby("segment")["nps_score"].apply(lambda s: 100 * ((s >= 9).mean() - (s <= 6).mean()))
    assert "did not answer" in _verdict("nps_by_segment", no_dropna, retail.data)
    scored = joined.dropna(subset=["nps_score"])
    below_six = scored.groupby("segment")["nps_score"].apply(lambda s: 100 * ((s >= 9).mean() - (s < 6).mean()))
    assert "a 6 is a detractor" in _verdict("nps_by_segment", below_six, retail.data)


def test_wrong_numbers_never_reveal_the_expected_value(retail):
    for qid in ("unique_customers", "total_revenue", "dashboard_wait", "honest_wait_p90"):
        question = BANK.get(qid)
        expected = question.expected_plain(retail.data)
        for wrong in (expected * 0.5, expected * 2 + 3):
            verdict = question.verdict(question.kind.to_plain(type(expected)(round(wrong))), retail.data)
            assert verdict and f"{expected:.0f}" not in verdict and f"{expected:,.0f}" not in verdict


# --- the summaries shown after an exercise read the learner's own tables -------------------------------

def test_summaries_wait_politely_for_the_learners_tables(capsys):
    assert sims.spend_spread(None, None) is None
    assert capsys.readouterr().out.strip() == msg.NOT_YET_BUILT.format(name="customers", where="exercise 1")
    as_text = pd.DataFrame({"customer_email": ["a@x.fr"], "amount": ["12,50 €"]})
    assert sims.spend_spread(pd.DataFrame({"email": ["a@x.fr"]}), as_text) is None
    assert "still text" in capsys.readouterr().out
    assert sims.nps_ranges(None) is None
    assert "exercise 7" in capsys.readouterr().out


def test_summaries_agree_with_the_answer_key(case):
    d = case.data
    people, orders = q.customers(d), q.orders_once(d)
    spread = sims.spend_spread(people, orders)
    spend = q.customer_spend(d)
    assert math.isclose(spread["median spend (the customer in the middle)"], round(spend.median(), 2))
    assert math.isclose(spread["share of customers who bought nothing"], round((spend == 0).mean(), 2))
    ranges = sims.nps_ranges(q.respondents(d))
    assert (ranges["nps"] == q.nps_by_segment(d).round(1)).all()
    assert (ranges["roughly from"] < ranges["nps"]).all() and (ranges["nps"] < ranges["roughly to"]).all()


# --- the model answer ----------------------------------------------------------------------------------

def test_the_model_answer_is_computed_from_the_data_and_keeps_to_one_number(case):
    text = q.MODEL_ANSWERS["one_number"](case.data)
    words = len(re.findall(r"[\w'-]+", text))
    assert 120 <= words <= 200, words
    percents = [int(p) for p in re.findall(r"(\d+)%", text)]
    assert percents == [round(100 * q.promise_kept(case.data))], "one share, this data's"
    seconds = [int(s) for s in re.findall(r"\((\d+) seconds\)", text)]
    assert seconds == [round(q.dashboard_wait(case.data))]
    hours = pd.to_datetime(case.data["service_calls"]["started_at"]).dt.hour
    assert f"between {hours.value_counts().idxmax()}:00" in text, "the busiest hour is this data's"
    assert text.count("**") == 2, "one number named in bold: the one on the dashboard"


def test_the_model_answer_is_in_the_source_notebook_for_the_repositorys_data():
    from course.paths import datasets_dir
    from course.questions.compile import module_data

    nb = nbformat.read(NOTEBOOK, as_version=4)
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "one_number")
    rendered = q.MODEL_ANSWERS["one_number"](module_data(datasets_dir(), MODULE))
    assert rendered.strip() in cell.source


# --- simulations ----------------------------------------------------------------------------------------

def test_more_agents_never_make_callers_wait_longer():
    curve = sims.call_centre_curve(range(1, 16))
    for column in ("honest_wait_p90", "abandoned_share", "dashboard_wait"):
        assert (np.diff(curve[column]) <= 1e-9).all(), column


def test_the_simulation_starts_where_the_dashboard_is_green_and_callers_are_not():
    centre = CallCentre()
    start = sims.default_roster()
    assert start == cheapest_green_roster(draw_calls(np.random.default_rng(3), centre), centre)[0]
    curve = sims.call_centre_curve(range(2, 15), centre).set_index("agents")
    at_start = curve.loc[start]
    assert at_start["dashboard_wait"] <= centre.target_s < at_start["honest_wait_p90"]
    assert at_start["abandoned_share"] > 0.1
    fooled = curve[(curve["dashboard_wait"] <= centre.target_s) & (curve["honest_wait_p90"] > centre.target_s)]
    assert len(fooled) >= 2 and start in fooled.index
    assert curve.loc[start + 1:]["honest_wait_p90"].min() <= centre.target_s, "enough agents keep the promise"


def test_the_opening_picture_says_what_it_draws():
    story = sims.story_numbers()
    fig = sims.opening_picture()
    answered, hung_up = (np.array(t.y) for t in fig.data)
    assert answered.sum() + hung_up.sum() == story["calls"]
    assert math.isclose(hung_up.sum() / story["calls"], story["hung_up"])
    kept_band = [b[2] for b in sims.WAIT_BANDS].index("31-60 s")
    assert math.isclose(answered[:kept_band + 1].sum() / story["calls"], 1 - story["not_answered_in_time"])
    title = fig.layout.title.text
    assert f"{story['dashboard_wait']:.0f} s" in title and f"{100 * story['not_answered_in_time']:.0f}%" in title
    assert story["dashboard_wait"] < CallCentre().target_s and story["not_answered_in_time"] > 0.2
    promise = [s for s in fig.layout.shapes if s.line.dash == "dash"]
    assert len(promise) == 1 and promise[0].x0 == kept_band + 0.5


def test_nps_is_the_respondent_weighted_mean_of_segments():
    r = sims.nps_mix_shift(0.35, drop=4)
    assert math.isclose(r["overall_this_year"], sum(r["this_year"][s] * r["mix_this_year"][s] for s in sims.NPS_SEGMENTS))
    assert math.isclose(sum(r["mix_this_year"].values()), 1.0)


def test_mix_shift_makes_nps_rise_while_every_segment_falls():
    same_mix = sims.nps_mix_shift(0.2, drop=5)
    assert math.isclose(same_mix["overall_this_year"], same_mix["overall_last_year"] - 5)
    shifted = sims.nps_mix_shift(0.45, drop=5)
    assert all(shifted["this_year"][s] < shifted["last_year"][s] for s in sims.NPS_SEGMENTS)
    assert shifted["overall_this_year"] > shifted["overall_last_year"]
    overall = [sims.nps_mix_shift(x)["overall_this_year"] for x in np.linspace(0.2, 0.7, 11)]
    assert (np.diff(overall) > 0).all()
    with pytest.raises(ValueError):
        sims.nps_mix_shift(0.9)


def test_explorers_start_on_the_story_and_redraw_when_sliders_move():
    box = sims.call_centre_explorer()
    slider, figure = box.children[0], box.children[1]
    assert slider.value == sims.default_roster()
    assert "within the target" in figure.layout.title.text and "over the target" in figure.layout.title.text
    slider.value = slider.max
    assert figure.layout.title.text.count("within the target") == 2
    box = sims.nps_mix_explorer(start=0.45)
    share, figure = box.children[0], box.children[2]
    assert "up" in figure.layout.title.text
    share.value = 0.2
    assert "down" in figure.layout.title.text


def test_nps_margin_matches_the_formula_and_shrinks_with_more_answers():
    scores = pd.Series([10, 9, 8, 7, 6, 0, None])
    p, d, n = 2 / 6, 2 / 6, 6
    assert math.isclose(nps_margin(scores), 1.96 * 100 * math.sqrt((p + d - (p - d) ** 2) / n))
    assert nps_margin(pd.concat([scores] * 4)) < nps_margin(scores)
    assert math.isnan(nps_margin(pd.Series([None], dtype=float)))


# --- notebook -------------------------------------------------------------------------------------------

def _notebook():
    return nbformat.read(NOTEBOOK, as_version=4)


def test_notebook_has_one_answer_hint_and_test_cell_per_question():
    nb = _notebook()
    ids = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in nb.cells}
    for qid, question in BANK.questions.items():
        assert ids[qid].source.startswith(f"{question.variable} = None"), qid
        assert ids[f"test_{qid}"].source == f'm3.check("{qid}", {question.variable})'
        assert any(c.source.startswith(f'# m3.hint("{qid}")') for c in nb.cells), qid
    setup = ids["setup"].source
    assert all(f'm3.load("{name}")' in setup for name in NAMES)
    assert nb.cells[-1].source.rstrip().endswith("(../m4_algorithm_faith/m4_algorithm_faith.ipynb)")
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")


def test_section_minutes_add_up_to_the_modules_time():
    nb = _notebook()
    headings = [line for c in nb.cells if c.cell_type == "markdown" for line in c.source.splitlines()
                if line.startswith("## ")]
    minutes = [int(m) for h in headings for m in re.findall(r"\((\d+) min\)$", h)]
    untimed = [h for h in headings if not re.search(r"\(\d+ min\)$", h) and h != "## Sources"]
    assert untimed == [] and sum(minutes) == MODULE.minutes
    assert f"about {MODULE.minutes} minutes" in nb.cells[0].source
    graded = sum(1 for h in headings if h.startswith("## Exercise"))
    assert graded == len(BANK.questions)


def test_each_exercise_has_its_worked_example_just_before_it():
    nb = _notebook()
    for question in BANK.questions.values():
        title = re.search(r"'(.+)'", question.example).group(1)
        answer = next(i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade_id") == question.id)
        heading = max(i for i, c in enumerate(nb.cells[:answer]) if c.source.startswith("## "))
        told = [c for c in nb.cells[heading:answer] if c.cell_type == "markdown"
                and f"worked example: {title.lower()}" in c.source.lower()]
        shown = [c for c in nb.cells[heading:answer] if c.cell_type == "code" and "=" in c.source
                 and "BEGIN SOLUTION" not in c.source and not c.source.startswith("#")]
        assert told and shown, question.id
        assert "just above" in question.example


def test_no_markdown_cell_states_an_answer_computed_from_the_data(retail):
    text = "\n".join(c.source for c in _notebook().cells if c.cell_type == "markdown"
                     and c.metadata.get("nbgrader", {}).get("grade_id") != "one_number")
    d = retail.data
    numbers = [q.unique_customers(d), len(d["crm_export"]), round(q.total_revenue(d)),
               round(q.revenue_per_customer(d)), round(q.dashboard_wait(d)), round(q.honest_wait_p90(d)),
               round(100 * q.promise_kept(d)), round(100 * q.abandoned_share(d)), len(d["service_calls"])]
    for number in numbers:
        assert not re.search(rf"(?<![\d.,]){number:,}(?![\d,])|(?<![\d.,]){number}(?![\d,])", text), number


def test_the_story_tells_the_record_and_the_notebook_cites_its_sources():
    check_citations(NOTEBOOK)
    cited = set(cited_in(NOTEBOOK))
    assert {"stone_everything_store", "bezos_lex_fridman_2023", "reichheld_2003", "keiningham_2007",
            "simpson_1951", "essay_ou_est_passe_le_client", "average_speed_of_answer"} <= cited
    story = next(c.source for c in _notebook().cells if c.source.startswith("## The story"))
    assert "four and a half minutes" in story and "more than 10 minutes" in story
    assert "tens of seconds" not in story, "the essay's version is told as the essay's, beside the record"


# --- a beginner's syntax slip, in a real learner kernel -------------------------------------------------

@pytest.mark.slow
def test_two_conditions_without_parentheses_get_one_line_of_advice(tmp_path):
    from test_friendly import ANSI, _run_in_learner_kernel

    cells = _run_in_learner_kernel([
        "import pandas as pd\ncalls = pd.DataFrame({'outcome': ['answered', 'abandoned'], 'queue_seconds': [10, 70]})",
        "calls['outcome'] == 'answered' & calls['queue_seconds'] <= 60",
        "(calls['outcome'] == 'answered') & (calls['queue_seconds'] <= 60)",
    ], tmp_path)
    errors = [o for o in cells[1].outputs if o.output_type == "error"]
    assert len(errors) == 1 and len(errors[0].traceback) == 1
    assert ANSI.sub("", errors[0].traceback[0]) == f"TypeError: {msg.COMPARISON_WITHOUT_PARENTHESES}"
    assert not any(o.output_type == "error" for o in cells[2].outputs)
