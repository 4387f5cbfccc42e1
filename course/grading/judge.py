"""The clean judge: runs hidden tests against answers handed over as plain data.

It runs in a fresh `python -I` process that imports only the kit and reads only the course's own
datasets, so nothing the learner's kernel did can reach it. Input (stdin, JSON):

    {"module": "tool_overload", "cells": [{"grade_id": "...", "code": "<hidden tests>",
      "answers": {"<question id>": {"answer": ..., "refused": null}}}]}

Output (stdout, JSON): [{"grade_id": "...", "passed": true/false, "message": "..."}]
"""
from __future__ import annotations

import builtins
import json
import os
import subprocess
import sys
import tempfile

from .. import messages as msg
from ..modules import get_module

JUDGE_TIMEOUT = 120


class NotYetRight(Exception):
    """A hidden test that did not pass; its message is shown in the feedback."""


class CellVerdicts:
    """Stands in for the module handle (m1, m2...) while one test cell's hidden tests run."""

    def __init__(self, bank, data, answers: dict):
        self._bank, self._data, self._answers = bank, data, answers

    def judge(self, qid: str) -> None:
        """Raise NotYetRight unless the handed-over answer to `qid` matches the data."""
        question = self._bank.get(qid)
        entry = self._answers.get(qid)
        if not isinstance(entry, dict):
            raise NotYetRight(msg.NO_ANSWER_REACHED.format(qid=qid))
        if entry.get("refused"):
            raise NotYetRight(msg.NOT_SERIALISABLE.format(why=entry["refused"]))
        verdict = question.verdict(entry.get("answer"), self._data)
        if verdict is not None:
            raise NotYetRight(verdict)

    def check(self, *args, **kwargs) -> None:
        """Learner checks do nothing here: only hidden tests decide."""


def judge_cells(request: dict) -> list[dict]:
    """Run each cell's hidden tests in its own namespace; never let one cell's failure stop the next."""
    from .. import data as datasets
    from ..questions import ModuleData, bank_for

    info = get_module(request["module"])
    bank = bank_for(info.slug)
    data = ModuleData(datasets.load)
    results = []
    for cell in request["cells"]:
        namespace = {"__builtins__": builtins,
                     info.handle: CellVerdicts(bank, data, cell.get("answers") or {})}
        try:
            exec(compile(cell["code"], f"<hidden tests {cell['grade_id']}>", "exec"), namespace)
        except NotYetRight as failure:
            results.append({"grade_id": cell["grade_id"], "passed": False, "message": str(failure)})
        except Exception as error:  # a broken hidden test is the author's bug: say so, score zero
            results.append({"grade_id": cell["grade_id"], "passed": False,
                            "message": f"The grader's own test failed ({type(error).__name__}: {error}). "
                                       "Tell your trainer."})
        else:
            results.append({"grade_id": cell["grade_id"], "passed": True, "message": ""})
    return results


def run_judge(request: dict, datasets_dir: str | None = None) -> list[dict]:
    """Judge in a fresh, isolated Python process with a throwaway home and working directory."""
    from ..paths import datasets_dir as default_datasets

    with tempfile.TemporaryDirectory(prefix="course-judge-") as scratch:
        env = {
            "PATH": os.environ.get("PATH", ""),
            "LANG": "C.UTF-8",
            "HOME": scratch,
            "TMPDIR": scratch,
            "COURSE_DATASETS": str(datasets_dir or default_datasets()),
            "PYTHONHASHSEED": "0",
        }
        proc = subprocess.run(
            [sys.executable, "-I", "-m", "course.grading.judge"],
            input=json.dumps(request), capture_output=True, text=True, cwd=scratch, env=env,
            timeout=JUDGE_TIMEOUT,
        )
    if proc.returncode != 0:
        raise RuntimeError(f"the judge process failed:\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout)


def main() -> None:
    request = json.load(sys.stdin)
    json.dump(judge_cells(request), sys.stdout)


if __name__ == "__main__":
    main()
