"""The clean judge: decides each test cell from the answer handed over, with the answer key.

It runs in a fresh `python -I` process that imports only the kit and reads only the course's own
datasets, so nothing the learner's kernel did can reach it. No code from the notebook runs here:
a test cell's grade id names its question (`test_<qid>`, course.answers), and the question's own
declaration judges the answer through the kit's one verdict (course.checks.verdict), sealing the
freshly computed expectation in memory (no hashing). Input (stdin, JSON):

    {"module": "tool_overload",
     "cells": [{"grade_id": "test_shelfware", "answer": {"answer": [...], "refused": null, "checks": 3}}]}

`answer` is null when no answer reached the grader. Output (stdout, JSON), one per cell, in order:

    [{"grade_id": "test_shelfware", "question": "shelfware", "passed": true, "message": ""}]
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile

from .. import messages as msg
from . import timings
from ..answers import bounds_problem, question_of
from ..modules import get_module

JUDGE_TIMEOUT = 120
NOT_A_QUESTION = ("This test cell (grade id {grade_id!r}) names no question of this module, so it cannot be "
                  "graded. Tell your trainer.")
KEY_FAILED = ("The grader could not compute this exercise's expected answer ({error}). This is not about your "
              "answer: tell your trainer.")


def judge_cell(bank, data, cell: dict) -> dict:
    """One test cell's verdict; never raises (a cell the key cannot judge scores zero, with a reason)."""
    grade_id = cell["grade_id"]
    qid = question_of(grade_id)
    question = bank.questions.get(qid) if qid else None
    result = {"grade_id": grade_id, "question": qid, "passed": False, "message": ""}
    entry = cell.get("answer")
    if question is None:
        result["message"] = NOT_A_QUESTION.format(grade_id=grade_id)
    elif not isinstance(entry, dict):
        result["message"] = msg.NO_ANSWER_REACHED.format(qid=qid)
    elif entry.get("refused"):
        result["message"] = str(entry["refused"])
    elif entry.get("answer") is not None and bounds_problem(entry["answer"]):
        result["message"] = msg.ANSWER_TOO_BIG.format(qid=qid, why=bounds_problem(entry["answer"]))
    else:
        try:
            verdict = question.judge(entry.get("answer"), data)
        except Exception as error:  # noqa: BLE001 - the key's own failure: say so, score zero
            result["message"] = KEY_FAILED.format(error=type(error).__name__)
        else:
            result.update(passed=verdict.passed, message=verdict.message)
    return result


def judge_cells(request: dict) -> list[dict]:
    """Judge every cell of one notebook, loading the module's data once."""
    from .. import data as datasets
    from ..questions import ModuleData, bank_for

    info = get_module(request["module"])
    bank, data = bank_for(info.slug), ModuleData(datasets.load)
    return [judge_cell(bank, data, cell) for cell in request["cells"]]


def run_judge(request: dict, datasets_dir: str | None = None) -> list[dict]:
    """Judge in a fresh, isolated Python process with a throwaway home and working directory."""
    from ..paths import datasets_dir as default_datasets

    before = os.times()
    with tempfile.TemporaryDirectory(prefix="course-judge-") as scratch:
        env = {
            "PATH": os.environ.get("PATH", ""),
            "LANG": "C.UTF-8",
            "HOME": scratch,
            "TMPDIR": scratch,
            "COURSE_DATASETS": str(datasets_dir or default_datasets()),
        }
        proc = subprocess.run(
            [sys.executable, "-I", "-m", "course.grading.judge"],
            input=json.dumps(request), capture_output=True, text=True, cwd=scratch, env=env,
            timeout=JUDGE_TIMEOUT,
        )
    after = os.times()
    timings.add("judge_cpu", after.children_user + after.children_system - before.children_user - before.children_system)
    if proc.returncode != 0:
        raise RuntimeError(f"the judge process failed:\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout)


def main() -> None:
    request = json.load(sys.stdin)
    json.dump(judge_cells(request), sys.stdout)


if __name__ == "__main__":
    main()
