"""The judge process: one per grading process serves many notebooks, and nothing one request does reaches
the next. Each served verdict must equal what a fresh judge process (one per request) gives, whatever
came before it: other data, another module, wrong and odd answers."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from course import answers, data
from course.grading import judge_client
from course.grading.judge_client import JudgeProcess, run_judge
from course.modules import get_module
from course.paths import datasets_dir
from course.questions import ModuleData, bank_for

pytestmark = pytest.mark.slow   # starts Python processes


def expectations(module: str, folder) -> dict:
    """Each question's right answer (plain) on the data in `folder`, computed here with the key."""
    slug = get_module(module).slug
    frames = ModuleData(lambda name: data.read_dataset(folder / data.DATASETS[name].filename, name))
    return {qid: q.expected_plain(frames) for qid, q in bank_for(slug).questions.items()}


def request(module: str, given: dict, folder) -> dict:
    """A notebook's judge request: every test cell with the given plain answer (None: not answered)."""
    slug = get_module(module).slug
    cells = [{"grade_id": answers.test_cell_id(qid), "answer": answers.payload(slug, qid, value, None, 1)}
             for qid, value in given.items()]
    return {"module": slug, "cells": cells, "datasets": str(folder)}


def fresh_verdicts(req: dict, tmp_path) -> list[dict]:
    """The verdicts of a judge process started for this one request alone (the old process model)."""
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": str(tmp_path), "COURSE_DATASETS": req["datasets"]}
    proc = subprocess.run([sys.executable, "-I", "-m", "course.grading.judge"], input=json.dumps(req),
                          capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.fixture(scope="module")
def other_data(tmp_path_factory):
    """Modules 1 and 3's datasets for another company: the same questions have other right answers there."""
    folder = tmp_path_factory.mktemp("other-data")
    names = list(get_module("m1").datasets) + list(get_module("m3").datasets)
    data.build(folder, profile="bank", seed=11, names=names)
    data.load.cache_clear()
    return folder


def test_one_judge_serves_many_requests_with_nothing_carried_over(other_data, tmp_path):
    default = datasets_dir()
    right_here, right_there = expectations("m3", default), expectations("m3", other_data)
    assert right_here != right_there, "the two data folders must give different expectations"
    odd = {qid: [None, {"a": float("inf")}, "x" * 50] for qid in list(right_here)[:2]}
    requests = [
        request("m3", right_here, default),
        request("m3", right_there, other_data),       # the same questions on other data (cached tables)
        request("m3", right_here, other_data),        # the first data's answers, judged on the other data
        request("m1", {**expectations("m1", other_data), **dict.fromkeys(list(expectations("m1", default))[:2])},
                other_data),
        request("m3", odd, default),
        request("m1", expectations("m1", default), default),
    ]
    fresh = [fresh_verdicts(r, tmp_path) for r in requests]
    assert all(v["passed"] for v in fresh[0]) and all(v["passed"] for v in fresh[1])
    assert not all(v["passed"] for v in fresh[2]), "answers for one data set must not pass on the other"

    judge = JudgeProcess()
    try:
        for order in (list(range(len(requests))), list(reversed(range(len(requests)))), [2, 0, 5, 1, 4, 3, 0, 2]):
            for i in order:
                reply = judge.ask(requests[i])
                assert reply["verdicts"] == fresh[i], (order, i)
    finally:
        judge.close()


def test_a_judge_that_has_gone_is_replaced(tmp_path):
    req = request("m1", expectations("m1", datasets_dir()), datasets_dir())
    first = run_judge(req)
    judge_client._JUDGE[0].proc.kill()
    judge_client._JUDGE[0].proc.wait()
    assert run_judge(req) == first == fresh_verdicts(req, tmp_path)
    judge_client.stop_judge()
    assert judge_client._JUDGE == []


def test_a_request_the_key_cannot_serve_fails_the_notebook_not_the_judge():
    with pytest.raises(RuntimeError, match="judge process failed"):
        run_judge({"module": "no_such_module", "cells": []})
    req = request("m1", expectations("m1", datasets_dir()), datasets_dir())
    assert all(v["passed"] for v in run_judge(req))
    judge_client.stop_judge()
