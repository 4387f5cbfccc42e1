"""nbgrader preprocessors that take judging out of the learner's kernel.

In `Autograde.autograde_preprocessors`, `StashHiddenTests` runs before `Execute` and `JudgeOutside`
right after it:

1. StashHiddenTests removes the hidden tests from every autograded test cell (the learner's kernel
   never sees them), and adds tamper probes before and after the learner's cells.
2. Execute runs the notebook in the learner's kernel: checks hand answers over as plain data.
3. JudgeOutside reads those answers, runs the hidden tests in a clean process, writes each test
   cell's outputs from the verdict (so nbgrader's SaveAutoGrades, feedback and exports work as
   usual), restores the cells' full source, removes the probes and records any sign of tampering.
"""
from __future__ import annotations

from pathlib import Path

import nbformat
from nbgrader import utils
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Unicode

from .. import messages as msg
from ..learner import ANSWER_MIME
from ..modules import get_module
from ..paths import shipped_data
from . import tamper
from .code_scan import scan_folder
from .sandbox.execute import STATE
from .hidden_tests import split_hidden
from .integrity import report_path, write_report
from .judge import run_judge



class StashHiddenTests(NbGraderPreprocessor):
    """Keep hidden tests out of the learner's kernel, and surround its cells with tamper probes."""

    def preprocess(self, nb, resources):
        suspicious = tamper.scan_code(nb.cells) + scan_folder(resources.get("metadata", {}).get("path"))
        hidden, full = {}, {}
        for cell in nb.cells:
            if cell.cell_type == "code" and utils.is_grade(cell):
                grade_id = cell.metadata["nbgrader"]["grade_id"]
                visible, hidden[grade_id] = split_hidden(cell.source)
                full[grade_id] = cell.source
                cell.source = visible
        probes, expect = tamper.new_probes()
        starts = [p for p in probes if p.metadata[tamper.PROBE_KEY] == "start"]
        ends = [p for p in probes if p.metadata[tamper.PROBE_KEY] != "start"]
        nb.cells = starts + nb.cells + ends
        resources.setdefault(STATE, {}).update(
            {"hidden": hidden, "full": full, "expect": expect, "suspicious": suspicious})
        return nb, resources


def answers_in(cell, module_slug: str) -> tuple[dict, list[str]]:
    """The answers a test cell handed over, and any problem with them."""
    answers, problems = {}, []
    for output in cell.get("outputs", []):
        payload = output.get("data", {}).get(ANSWER_MIME) if output.get("output_type") == "display_data" else None
        if not isinstance(payload, dict):
            continue
        qid = payload.get("question")
        if payload.get("module") != module_slug or not isinstance(qid, str):
            problems.append("An answer was handed over for another module's question.")
            continue
        entry = {"answer": payload.get("answer"), "refused": payload.get("refused")}
        if qid in answers and answers[qid] != entry:
            answers[qid] = {"answer": None, "refused": msg.ANSWER_MISMATCH.format(qid=qid)}
            problems.append(f"Two different answers to '{qid}' were handed over in one cell.")
        else:
            answers[qid] = entry
    return answers, problems


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
        info = get_module(resources["nbgrader"]["notebook"])
        probe_cells = {c.metadata[tamper.PROBE_KEY]: c for c in nb.cells if tamper.PROBE_KEY in c.metadata}
        nb.cells = [c for c in nb.cells if tamper.PROBE_KEY not in c.metadata]
        flags = state["suspicious"] + tamper.read_probes(probe_cells, state["expect"])
        if state.get("kernel_failure"):
            flags.insert(0, state["kernel_failure"])

        request = {"module": info.slug, "cells": []}
        test_cells = {}
        for cell in nb.cells:
            if cell.cell_type == "code" and utils.is_grade(cell):
                grade_id = cell.metadata["nbgrader"]["grade_id"]
                answers, problems = answers_in(cell, info.slug)
                flags.extend(problems)
                request["cells"].append({"grade_id": grade_id, "code": state["hidden"][grade_id],
                                         "answers": answers})
                test_cells[grade_id] = cell
        verdicts = run_judge(request, self._trusted_data(resources)) if request["cells"] else []
        for verdict in verdicts:
            cell = test_cells[verdict["grade_id"]]
            cell.outputs = verdict_outputs(verdict["passed"], verdict["message"])
            cell.source = state["full"][verdict["grade_id"]]
        self._record(resources, sorted(set(flags)))
        return nb, resources

    def _trusted_data(self, resources) -> str | None:
        """The data the judge reads: the workshop's copy in the module's *source* folder (which the
        learner never touches) when it ships one, else the course's datasets."""
        coursedir = CourseDirectory(config=self.config)
        source = coursedir.format_path(coursedir.source_directory, ".", resources["nbgrader"]["assignment"])
        shipped = shipped_data(source)
        return str(shipped) if shipped else None

    def _record(self, resources, flags: list[str]) -> None:
        """Write the integrity report, and set the gradebook's flag from this run's evidence alone."""
        ids = resources["nbgrader"]
        folder = Path(self.integrity_dir or Path(CourseDirectory(config=self.config).root) / "integrity")
        write_report(report_path(folder, ids["assignment"], ids["student"], ids["notebook"]),
                     ids["student"], ids["assignment"], ids["notebook"], flags)
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
