"""The clean judge: decides each test cell from the answer handed over, with the answer key.

It runs in a `python -I` process of its own that imports only the kit and reads only the course's own
datasets, so nothing the learner's kernel did can reach it. No code from the notebook runs here:
a test cell's grade id names its question (`test_<qid>`, course.answers), and the question's own
declaration judges the answer through the kit's one verdict (course.checks.verdict), sealing the
freshly computed expectation in memory (no hashing). A request (JSON):

    {"module": "tool_overload", "datasets": "/path/to/trusted/datasets",
     "cells": [{"grade_id": "test_shelfware", "answer": {"answer": [...], "refused": null, "checks": 3}}],
     "learner": "K7F-29Q"}      # optional: judge on this learner's own data (course.data.variants)

`answer` is null when no answer reached the grader; without `datasets`, $COURSE_DATASETS is read.
The verdicts, one per cell, in order:

    [{"grade_id": "test_shelfware", "question": "shelfware", "passed": true, "message": ""}]

`python -I -m course.grading.judge` judges one request (stdin) and prints its verdicts. With `--serve`,
how grading runs it (judge_client.py), it serves many: one request per line in, one reply per line
out, `{"verdicts": [...], "cpu": s, "peak_mb": mb}` or `{"error": "..."}`. It imports the kit once,
then judges each request in a fork of itself that replies and exits: every request is judged from
its own plain data alone, in a process no earlier request ever ran in.
"""
from __future__ import annotations

import json
import os
import resource
import select
import sys
import traceback

from .. import messages as msg
from ..answers import bounds_problem, question_of
from ..modules import get_module

IDLE_SECONDS = 300      # a serving judge nobody asks for this long exits; the next request starts one
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


def judge_data(request: dict):
    """The data the expectations are computed on: the datasets folder's (the shared data, or the
    learner's variant the workshop wrote there), or the variant of `request["learner"]`, made here."""
    from .. import data as datasets
    from ..questions import ModuleData

    key = request.get("learner")
    if not key:
        return ModuleData(datasets.load)
    from ..data.variants import VariantData

    manifest = datasets.read_manifest()
    return ModuleData(VariantData(manifest["profile"], int(manifest["seed"]), str(key)).frame)


def judge_cells(request: dict) -> list[dict]:
    """Judge every cell of one notebook, loading the module's data once."""
    from ..questions import bank_for

    info = get_module(request["module"])
    bank, data = bank_for(info.slug), judge_data(request)
    return [judge_cell(bank, data, cell) for cell in request["cells"]]


def answer(request: dict) -> dict:
    """One request's reply: the verdicts, with the CPU-seconds and peak memory judging took."""
    if request.get("datasets"):
        os.environ["COURSE_DATASETS"] = str(request["datasets"])
    verdicts = judge_cells(request)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {"verdicts": verdicts, "cpu": round(usage.ru_utime + usage.ru_stime, 4), "peak_mb": usage.ru_maxrss / 1024}


def in_a_fork(line: bytes) -> bytes:
    """Judge one request line in a child of this process; the child's reply (or why there is none)."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: judge, reply, exit without running anything of the parent's
        os.close(read_end)
        try:
            reply = answer(json.loads(line))
        except BaseException as error:  # noqa: BLE001 - the trainer reads why, the grade is not given
            reply = {"error": f"{type(error).__name__}: {error}", "trace": traceback.format_exc()[-2000:]}
        with os.fdopen(write_end, "wb") as out:
            out.write(json.dumps(reply).encode())
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as replies:
        data = replies.read()
    _, status = os.waitpid(pid, 0)
    return data or json.dumps({"error": f"the judge ended without a verdict (wait status {status})"}).encode()


def preload() -> None:
    """Import what judging needs once, before the first fork (data generators, every module's questions)."""
    from .. import data  # noqa: F401
    from ..modules import MODULES
    from ..questions import bank_for

    for module in MODULES:
        try:
            bank_for(module.slug)
        except Exception:  # noqa: BLE001 - the request for that module reports it
            continue


def serve(idle: float = IDLE_SECONDS) -> None:
    """One request per line on stdin, one reply per line on stdout, until stdin closes or stays idle."""
    preload()
    pending = b""
    while True:
        while b"\n" not in pending:
            if not select.select([0], [], [], idle)[0]:
                return
            chunk = os.read(0, 1 << 20)
            if not chunk:
                return
            pending += chunk
        line, _, pending = pending.partition(b"\n")
        if line.strip():
            _write_all(in_a_fork(line) + b"\n")


def _write_all(data: bytes) -> None:
    """Write all of data to stdout (a pipe takes a large reply in several writes)."""
    view = memoryview(data)
    while view:
        view = view[os.write(1, view):]


def main() -> None:
    if "--serve" in sys.argv[1:]:
        serve()
        return
    request = json.load(sys.stdin)
    json.dump(judge_cells(request), sys.stdout)


if __name__ == "__main__":
    main()
