"""nbgrader preprocessors that take judging out of the learner's kernel.

In `Autograde.sanitize_preprocessors`, `KeepCheckCounts` runs first (before nbgrader's ClearOutput).
In `Autograde.autograde_preprocessors`, `AddProbes` runs before `Execute` and `JudgeOutside` right
after it:

0. KeepCheckCounts keeps, from the learner's saved notebook, how many answers were checked per
   question (the check boxes carry it) and whose data its kernel had, before nbgrader clears the
   outputs.
1. AddProbes scans the code a learner could edit and surrounds the notebook with tamper probes;
   ChooseVariant (course.grading.variants) decides whose data the learner is graded on, in a
   workshop that gives every learner their own.
2. Execute runs the notebook in the learner's kernel: each test cell is one line,
   `mN.check("qid", variable)`, which hands its answer over as plain data (course.answers).
3. JudgeOutside, in steps with one job each: reads the probes, collects the handed-over answers,
   judges them in a clean process with the answer key (course.grading.judge), writes each test
   cell's outputs from the verdict (so nbgrader's SaveAutoGrades, feedback and exports work as
   usual), and records the integrity report.
"""
from __future__ import annotations

from pathlib import Path

import nbformat
from nbgrader import utils
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Unicode

from ..answers import check_counts, learner_keys, question_of, read_answers
from ..modules import get_module
from ..paths import shipped_data
from . import tamper, timings
from .code_scan import scan_folder
from .integrity import guessing_flags, report_path, write_report
from .sandbox.execute import STATE
from .judge_client import run_judge
from .variants import KEYS_KEY, handed_over_flags, judge_source

COUNTS_KEY = "course_check_counts"   # notebook metadata, from the sanitize phase to the autograde phase


def test_cells(nb) -> list:
    """The notebook's autograded code cells (the test cells), in order."""
    return [c for c in nb.cells if c.cell_type == "code" and utils.is_grade(c)]


class KeepCheckCounts(NbGraderPreprocessor):
    """Keep the learner's check counts (from the saved check boxes) before nbgrader clears outputs."""

    def preprocess(self, nb, resources):
        module = get_module(resources["nbgrader"]["notebook"]).slug
        counts: dict[str, int] = {}
        for cell in test_cells(nb):
            for qid, n in check_counts(cell, module).items():
                counts[qid] = max(counts.get(qid, 0), n)
        nb.metadata[COUNTS_KEY] = counts
        nb.metadata[KEYS_KEY] = sorted(set().union(*(learner_keys(c, module) for c in nb.cells if c.cell_type == "code")))
        return nb, resources


class AddProbes(NbGraderPreprocessor):
    """Scan the learner's code, and surround its cells with tamper probes the kernel must answer."""

    def preprocess(self, nb, resources):
        suspicious = tamper.scan_code(nb.cells) + scan_folder(resources.get("metadata", {}).get("path"))
        probes, expect = tamper.new_probes()
        starts = [p for p in probes if p.metadata[tamper.PROBE_KEY] == "start"]
        ends = [p for p in probes if p.metadata[tamper.PROBE_KEY] != "start"]
        nb.cells = starts + nb.cells + ends
        resources.setdefault(STATE, {}).update({"expect": expect, "suspicious": suspicious})
        return nb, resources


def verdict_outputs(passed: bool, message: str) -> list:
    """The outputs nbgrader reads a test cell's score from: an error means zero."""
    if passed:
        return [nbformat.v4.new_output("stream", name="stdout", text="\u2705 Passed the grader's tests.\n")]
    return [nbformat.v4.new_output("error", ename="NotYetRight", evalue=message,
                                   traceback=[f"\u274c {message}"])]


class JudgeOutside(NbGraderPreprocessor):
    """Judge answers in a clean process and write the verdicts where nbgrader reads scores."""

    integrity_dir = Unicode(
        "", help="Folder for per-submission integrity reports (default: <course root>/integrity)."
    ).tag(config=True)

    def preprocess(self, nb, resources):
        state = resources.pop(STATE)
        module = get_module(resources["nbgrader"]["notebook"]).slug
        flags = self.read_probes(nb, state) + list(state.get("flags", []))
        cells, answers, problems = self.collect_answers(nb, module)
        verdicts = self.judge(module, cells, answers, resources, state)
        self.write_verdicts(cells, verdicts)
        flags += problems + guessing_flags(self.check_counts(nb, answers))
        if state.get("variant"):
            flags += handed_over_flags(state["variant"]["key"], answers)
        self._record(resources, sorted(set(flags)), state.get("variant"))
        return nb, resources

    def read_probes(self, nb, state: dict) -> list[str]:
        """Remove the probe cells, and say what they (and the code scan) noticed."""
        probe_cells = {c.metadata[tamper.PROBE_KEY]: c for c in nb.cells if tamper.PROBE_KEY in c.metadata}
        nb.cells = [c for c in nb.cells if tamper.PROBE_KEY not in c.metadata]
        flags = list(state.get("suspicious", [])) + tamper.read_probes(probe_cells, state["expect"])
        return ([state["kernel_failure"]] if state.get("kernel_failure") else []) + flags

    def collect_answers(self, nb, module: str) -> tuple[dict, dict, list[str]]:
        """Each test cell by grade id, the answer its question handed over there, and any problem."""
        cells, answers, problems = {}, {}, []
        for cell in test_cells(nb):
            grade_id = cell.metadata["nbgrader"]["grade_id"]
            handed, found = read_answers(cell, module)
            problems.extend(found)
            cells[grade_id] = cell
            answers[grade_id] = handed.get(question_of(grade_id) or "")
        return cells, answers, problems

    def judge(self, module: str, cells: dict, answers: dict, resources, state: dict) -> list[dict]:
        """The clean judge's verdict on every test cell (this grading process's judge, judge_client.py),
        on the learner's data."""
        if not cells:
            return []
        request = {"module": module, "cells": [{"grade_id": g, "answer": answers[g]} for g in cells]}
        folder, key = judge_source(state, self._trusted_data(resources))
        if key:
            request["learner"] = key
        with timings.timed("judge"):
            return run_judge(request, folder)

    def write_verdicts(self, cells: dict, verdicts: list[dict]) -> None:
        """Each test cell's outputs become its verdict, where nbgrader reads the score."""
        for verdict in verdicts:
            cells[verdict["grade_id"]].outputs = verdict_outputs(verdict["passed"], verdict["message"])

    def check_counts(self, nb, answers: dict) -> dict[str, int]:
        """Checks per question: the saved notebook's count or the handed-over one, whichever is higher."""
        counts = dict(nb.metadata.pop(COUNTS_KEY, {}) or {})
        for grade_id, entry in answers.items():
            qid = question_of(grade_id)
            if qid and entry:
                counts[qid] = max(counts.get(qid, 0), entry["checks"])
        return counts

    def _trusted_data(self, resources) -> str | None:
        """The data the judge reads: the workshop's copy in the module's *source* folder (which the
        learner never touches) when it ships one, else the course's datasets."""
        coursedir = CourseDirectory(config=self.config)
        source = coursedir.format_path(coursedir.source_directory, ".", resources["nbgrader"]["assignment"])
        shipped = shipped_data(source)
        return str(shipped) if shipped else None

    def _record(self, resources, flags: list[str], variant: dict | None = None) -> None:
        """Write the integrity report (with whose data it was graded on), and flag the submission in
        the gradebook when needed."""
        ids = resources["nbgrader"]
        folder = Path(self.integrity_dir or Path(CourseDirectory(config=self.config).root) / "integrity")
        write_report(report_path(folder, ids["assignment"], ids["student"], ids["notebook"]),
                     ids["student"], ids["assignment"], ids["notebook"], flags,
                     {"key": variant["key"], "how": variant["how"]} if variant else None)
        if flags:
            self.log.warning("Integrity flags for %s/%s: %s", ids["student"], ids["notebook"], "; ".join(flags))
        set_flag(ids["db_url"], ids["assignment"], ids["student"], ids["notebook"], bool(flags))


def set_flag(db_url: str, assignment: str, student: str, notebook: str, flagged: bool) -> None:
    """Flag or clear one submitted notebook: every (re)grade decides from its own evidence, so a
    submission graded clean after a flagged run is unflagged."""
    with Gradebook(db_url) as gb:
        try:
            nb = gb.find_submission_notebook(notebook, assignment, student)
        except MissingEntry:
            return
        if bool(nb.flagged) != flagged:
            nb.flagged = flagged
            gb.db.commit()
