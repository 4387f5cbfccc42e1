"""Module 3 (data disorder): the planted mess is there, the stated cleaning rules recover the truth,
every question grades right for every profile and seed, and the simulations keep their key property."""
from __future__ import annotations

import math

import nbformat
import numpy as np
import pandas as pd
import pytest

from course import data
from course.data import data_disorder as gen
from course.data.registry import DATASETS, to_csv_bytes
from course.modules import get_module
from course.paths import solutions_dir
from course.questions import ModuleData, bank_for
from course.questions import data_disorder as q
from course.measures.queue import CallCentre
from course.sims import data_disorder as sims

NAMES = ("crm_export", "orders_export", "email_export", "service_calls")
PROFILES = ("retail", "b2b_software", "bank", "telecom")
SEEDS = (2024, 7)
CASES = [(p, s) for p in PROFILES for s in SEEDS]
BANK = bank_for("data_disorder")


class Case:
    """One profile and seed: the exports written to disk and read back as a notebook would, plus the truth."""

    def __init__(self, folder, profile, seed):
        self.folder, self.profile, self.seed = folder, profile, seed
        data.build(folder, profile=profile, seed=seed, names=list(NAMES))
        self.data = ModuleData(self.read)
        self.truth = gen.disorder_truth(seed, profile)

    def read(self, name: str) -> pd.DataFrame:
        return data.read_dataset(self.folder / DATASETS[name].filename, name)


@pytest.fixture(scope="module", params=CASES, ids=[f"{p}-{s}" for p, s in CASES])
def case(request, tmp_path_factory):
    profile, seed = request.param
    return Case(tmp_path_factory.mktemp(f"m3-{profile}-{seed}"), profile, seed)


@pytest.fixture(scope="module")
def retail(tmp_path_factory):
    return Case(tmp_path_factory.mktemp("m3-retail-default"), "retail", 2024)


# --- generator -------------------------------------------------------------------------------------

def test_module_registry_names_the_registered_datasets():
    assert get_module("data_disorder").datasets == NAMES + ("country_codes", "domain_typos")
    assert all(DATASETS[name].module == "data_disorder" for name in get_module("data_disorder").datasets)


@pytest.mark.parametrize("name", NAMES)
def test_same_seed_same_bytes_different_seed_different_data(name):
    spec = DATASETS[name]
    first = to_csv_bytes(data.make(name, "retail", 2024), spec.encoding)
    assert first == to_csv_bytes(data.make(name, "retail", 2024), spec.encoding)
    assert first != to_csv_bytes(data.make(name, "retail", 7), spec.encoding)


def test_crm_is_written_in_windows_1252_and_its_card_says_so(retail):
    raw = (retail.folder / "crm_export.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert "Hélène" in raw.decode("cp1252") or "é" in raw.decode("cp1252")
    card = (retail.folder / "crm_export.md").read_text(encoding="utf-8")
    assert "cp1252" in card and "Windows-1252" in card
    assert DATASETS["crm_export"].encoding == "cp1252"


def test_the_truth_is_not_written_next_to_the_data(retail):
    written = {p.name for p in retail.folder.iterdir()}
    assert written == {"manifest.json"} | {f"{n}.csv" for n in NAMES} | {f"{n}.md" for n in NAMES}
    for card in retail.folder.glob("*.md"):
        assert f"{retail.truth['customers']:,}" not in card.read_text(encoding="utf-8")


def test_sizes_stay_modest(case):
    assert 1500 <= case.truth["customers"] <= 3000
    assert len(case.data["orders_export"]) < 15_000 and len(case.data["service_calls"]) < 6_000


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
    assert calls["customer_email"].isna().any()


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
    nps = q.nps_by_segment(d)
    assert set(nps.index) == set(gen.SEGMENTS)
    assert all(math.isclose(nps[s], truth["nps_by_segment"][s]) for s in gen.SEGMENTS)


def test_country_codes_cover_every_style_in_the_data(case):
    codes = q.country_codes(case.data["crm_export"]["country"])
    assert codes.isin(list(gen.COUNTRIES)).all()


def test_the_data_tells_the_module_story(case):
    truth = case.truth
    target = CallCentre().target_s
    assert truth["dashboard_wait"] < target < truth["honest_wait_p90"], "dashboard green, callers red"
    assert 0.05 < truth["abandoned_share"] < 0.4
    nps = truth["nps_by_segment"]
    assert nps["Loyal"] > nps["New"]
    assert truth["revenue_total"] > truth["revenue_from_customers"], "guest orders exist"


# --- questions ------------------------------------------------------------------------------------------

def test_every_question_accepts_its_own_expectation_with_no_empty_or_nan(case):
    assert len(BANK.questions) == 8
    for question in BANK.questions.values():
        plain = question.expected_plain(case.data)
        assert question.verdict(plain, case.data) is None, question.id
        assert len(question.hints) >= 2, question.id
        if isinstance(plain, dict):
            assert plain["index"] and all(v is not None and math.isfinite(v) for v in plain["values"]), question.id
        else:
            assert math.isfinite(plain) and plain > 0, question.id


def _wrong_answers(d: ModuleData) -> dict[str, list[tuple[object, str]]]:
    """Typical wrong paths per question, each with a phrase its message must contain."""
    crm, calls = d["crm_export"], d["service_calls"]
    answered = calls[calls["outcome"] == "answered"]
    rows_by_country = q.country_codes(crm["country"]).value_counts()
    styled = q.customers(d)["country"].value_counts()
    return {
        "unique_customers": [(len(crm), "rows"), (crm["email"].nunique(), "as they were typed"),
                             (crm["email"].str.strip().str.lower().nunique(), "typo"),
                             (q.unique_customers(d) + 1, "missing e-mail")],
        "customers_by_country": [(rows_by_country, "CRM rows"), (styled, "another style")],
        "total_revenue": [(q.revenue_with_copies(d), "twice"), (q.revenue_commas_dropped(d), "comma")],
        "revenue_per_customer": [(q.total_revenue(d) / q.unique_customers(d), "guest"),
                                 (q.customer_revenue(d) / len(crm), "CRM rows"),
                                 (q.customer_revenue(d) / q.buyers(d), "ordered nothing"),
                                 (q.revenue_joined_to_every_row(d), "counted twice")],
        "dashboard_wait": [(calls["queue_seconds"].mean(), "every call"),
                           (answered["queue_seconds"].median(), "median")],
        "honest_wait_p90": [(answered["queue_seconds"].quantile(0.9), "hung up"),
                            (calls["queue_seconds"].mean(), "average wait")],
        "abandoned_share": [(1 - q.abandoned_share(d), "answered")],
        "nps_by_segment": [(q.nps_by_segment(d) / 100, "points"),
                           (q.mean_score_by_segment(d), "average score"),
                           (q.nps_on_every_crm_row(d), "counted twice")],
    }


def test_typical_wrong_answers_get_their_own_plain_message(case):
    for qid, wrongs in _wrong_answers(case.data).items():
        question = BANK.get(qid)
        for value, phrase in wrongs:
            plain, refused = question.hand_over(value)
            assert refused is None, (qid, refused)
            verdict = question.verdict(plain, case.data)
            assert verdict is not None and phrase in verdict, (qid, phrase, verdict)


def test_wrong_numbers_never_reveal_the_expected_value(retail):
    for qid in ("unique_customers", "total_revenue", "dashboard_wait", "honest_wait_p90"):
        question = BANK.get(qid)
        expected = question.expected_plain(retail.data)
        for wrong in (expected * 0.5, expected * 2 + 3):
            verdict = question.verdict(question.kind.to_plain(type(expected)(round(wrong))), retail.data)
            assert verdict and f"{expected:.0f}" not in verdict and f"{expected:,.0f}" not in verdict


def test_abandoned_share_in_percent_is_told_its_scale(retail):
    question = BANK.get("abandoned_share")
    plain, refused = question.hand_over(100 * q.abandoned_share(retail.data))
    assert refused is None and "percentage" in question.verdict(plain, retail.data)


# --- simulations ----------------------------------------------------------------------------------------

def test_more_agents_never_make_callers_wait_longer():
    curve = sims.call_centre_curve(range(1, 16))
    for column in ("honest_wait_p90", "abandoned_share", "dashboard_wait"):
        assert (np.diff(curve[column]) <= 1e-9).all(), column


def test_there_is_a_roster_where_the_dashboard_is_green_and_callers_are_red():
    centre = CallCentre()
    curve = sims.call_centre_curve(range(2, 15), centre)
    fooled = curve[(curve["dashboard_wait"] <= centre.target_s) & (curve["honest_wait_p90"] > centre.target_s)]
    assert len(fooled) >= 2
    assert (fooled["abandoned_share"] > 0.1).all()


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


def test_explorers_redraw_when_sliders_move():
    box = sims.call_centre_explorer(start=7)
    slider, figure = box.children[0], box.children[1]
    assert "callers" in figure.layout.title.text
    slider.value = 4
    assert figure.layout.title.text.startswith("4 agents") and "over the target" in figure.layout.title.text
    box = sims.nps_mix_explorer(start=0.45)
    share, figure = box.children[0], box.children[2]
    assert "up" in figure.layout.title.text
    share.value = 0.2
    assert "down" in figure.layout.title.text


# --- notebook -------------------------------------------------------------------------------------------

def test_notebook_has_one_answer_hint_and_test_cell_per_question():
    path = solutions_dir() / "m3_data_disorder" / "m3_data_disorder.ipynb"
    nb = nbformat.read(path, as_version=4)
    ids = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in nb.cells}
    for qid, question in BANK.questions.items():
        assert ids[qid].source.startswith(f"{question.variable} = None"), qid
        test = ids[f"test_{qid}"].source
        assert test == f'm3.check("{qid}", {question.variable})'
        assert any(c.source.startswith(f'# m3.hint("{qid}")') for c in nb.cells), qid
    setup = ids["setup"].source
    assert all(f'm3.load("{name}")' in setup for name in NAMES)
    assert nb.cells[-1].source.rstrip().endswith("(../m4_algorithm_faith/m4_algorithm_faith.ipynb)")
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")
