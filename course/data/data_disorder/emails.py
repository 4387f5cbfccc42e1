"""The e-mail platform's export: subscribers, their sends, opens and clicks, and the NPS survey."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..profiles import Profile
from ..registry import rng_for
from .calls import calls_state
from .mess import mojibake
from .people import EXPORT_DATE, SEGMENTS, as_profile, once_per_company, people

NPS_TARGET = {"New": (0.22, 0.38), "Regular": (0.38, 0.24), "Loyal": (0.55, 0.13)}  # (promoters, detractors)
_DETRACTOR_SCORES_P = (0.04, 0.03, 0.06, 0.1, 0.14, 0.28, 0.35)  # scores 0 to 6


def _survey(rng: np.random.Generator, subs: pd.DataFrame, hung_up: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each subscriber's 0-10 answer (NaN when they did not answer) and who was upset by a hang-up.

    Each segment has its own mix of promoters and detractors, and a customer who hung up on customer
    service this month is often a detractor now.
    """
    n = len(subs)
    segment = subs["segment"].to_numpy()
    jitter = dict(zip(SEGMENTS, rng.uniform(-0.04, 0.04, len(SEGMENTS))))
    promo = np.array([NPS_TARGET[s][0] + jitter[s] for s in segment])
    detract = np.array([NPS_TARGET[s][1] for s in segment])
    u = rng.random(n)
    group = np.where(u < promo, 2, np.where(u < 1 - detract, 1, 0))     # 2 promoter, 1 passive, 0 detractor
    upset = np.isin(subs["person"].to_numpy(), hung_up) & (rng.random(n) < 0.5)
    group = np.where(upset, 0, group)
    score = np.select([group == 2, group == 1],
                      [rng.choice((9, 10), n, p=(0.55, 0.45)), rng.choice((7, 8), n)],
                      rng.choice(7, n, p=_DETRACTOR_SCORES_P)).astype(float)
    answered = rng.random(n) < rng.uniform(0.3, 0.4)
    score[~answered] = np.nan
    return score, upset


@once_per_company
def emails_state(seed: int, profile: Profile) -> tuple[pd.DataFrame, dict]:
    """The e-mail platform's subscribers, their activity and their answer to the NPS survey."""
    rng = rng_for(seed, "email_export")
    folk = people(seed, profile)
    calls = calls_state(seed, profile)[1]
    hung_up = np.unique(calls["caller"][(~calls["answered"]) & (calls["caller"] >= 0)])
    subs = folk[folk["opted_in"]].reset_index(drop=True)
    n = len(subs)
    sent = rng.poisson(40, n)
    human_opens = rng.binomial(sent, rng.beta(2.5, 5.0, n))
    machine = rng.random(n) < 0.15   # mail apps that load every image: every e-mail counts as opened, often twice
    opens = np.where(machine, sent + rng.binomial(sent, 0.6), human_opens)
    clicks = rng.binomial(human_opens, rng.beta(1.5, 12.0, n))
    subscribed = subs["signup"] + pd.to_timedelta(rng.integers(0, 30, n), unit="D")
    unsub = rng.random(n) < 0.08
    unsub_day = pd.Series(EXPORT_DATE - pd.to_timedelta(rng.integers(1, 300, n), unit="D"))
    unsub_day = unsub_day.where(unsub_day > subscribed, subscribed + pd.Timedelta(days=1))
    score, upset = _survey(rng, subs, hung_up)
    broken = (rng.random(n) < 0.25) & np.array([not x.isascii() for x in subs["first_name"]])
    names = [mojibake(x) if b else x for x, b in zip(subs["first_name"], broken)]
    export = pd.DataFrame({
        "email": subs["email"], "first_name": names,
        "subscribed_on": subscribed.dt.strftime("%Y-%m-%d"),
        "emails_sent": sent, "opens": opens, "clicks": clicks,
        "unsubscribed_on": unsub_day.dt.strftime("%Y-%m-%d").where(unsub, None),
        "nps_score": pd.array(score, dtype="Int64"),
    })
    export = export.sort_values(["subscribed_on", "email"], kind="stable").reset_index(drop=True)
    truth = {"subscribers": subs.assign(score=score), "planted": {
        "mojibake_names": int(sum(a != b for a, b in zip(names, subs["first_name"]))),
        "opens_above_sent": int((opens > sent).sum()), "respondents": int((~np.isnan(score)).sum()),
        "upset_callers": int(upset.sum())}}
    return export, truth


def make_email_export(seed: int, profile: Profile) -> pd.DataFrame:
    """Subscribers of the e-mail platform: sends, opens, clicks, unsubscribes and the NPS survey."""
    return emails_state(seed, as_profile(profile))[0].copy()
