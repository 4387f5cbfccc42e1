"""Benchmark: the trainer's parallel grading against plain sequential `nbgrader autograde`.

Builds a synthetic cohort from the finished modules' release and source notebooks (a mix of correct,
partial and blank submissions), copies the course, then grades one copy with `course grade` (N worker
processes) and the other with nbgrader's own autograde, one submission after the other in one process,
with the same kit config (same sandbox, same timeouts). Prints both wall times, the ratio, whether the
two gradebooks (and integrity reports) are identical, and what the clean judge process costs per notebook.

    python benchmarks/grading.py                 # 30 learners x every finished module
    python benchmarks/grading.py --learners 6    # a quick run
"""
from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from course.nbgrader_course import checked, ensure_tools_on_path, stage_source  # noqa: E402
from course.paths import solutions_dir  # noqa: E402
from course.pipeline import source_assignments  # noqa: E402
from course.trainer.compare import differences, gradebook_state, integrity_state, sequential_autograde  # noqa: E402
from course.trainer.course_dir import CourseDir, GradingOptions, sandbox_status  # noqa: E402
from course.trainer.grade import grade_cohort  # noqa: E402
from course.trainer.synthetic import learner_copy, solution_ids  # noqa: E402

KINDS = ("correct", "partial", "correct", "blank", "partial")   # 40% correct, 40% partial, 20% blank


def build_cohort(root: Path, assignments: list[str], learners: int, seed: int, options: GradingOptions) -> CourseDir:
    """A course with every module generated and `learners` synthetic submissions per module."""
    root.mkdir(parents=True)
    course = CourseDir(root, options)
    api = course.api()
    for assignment in assignments:
        stage_source(root, assignment, solutions_dir())
        checked(api.generate_assignment(assignment, force=True, create=True), f"generate {assignment}")
    rng = random.Random(seed)
    for i in range(learners):
        student = f"learner{i + 1:03d}"
        for assignment in assignments:
            release = course.release(assignment) / f"{assignment}.ipynb"
            source = course.source(assignment) / f"{assignment}.ipynb"
            kind = KINDS[(i + assignments.index(assignment)) % len(KINDS)]
            ids = solution_ids(source)
            answered = None if kind == "correct" else [] if kind == "blank" else rng.sample(ids, max(1, len(ids) // 2))
            folder = course.submitted(student, assignment)
            folder.mkdir(parents=True)
            nbformat.write(learner_copy(release, source, answered), folder / f"{assignment}.ipynb")
            (folder / "timestamp.txt").write_text(f"2026-01-0{1 + i % 9} 12:00:00.000000 UTC")
    return course


def cpu_seconds() -> float:
    """CPU time (user + system) of this process and of every process it has waited for: the grading
    workers, their kernels and judges. Less sensitive than wall time to what else the machine runs."""
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def judge_cost(assignment: str, repeats: int = 3) -> float:
    """Seconds one notebook's judge process takes (fresh `python -I`, every test cell, right answers)."""
    from course import answers, data
    from course.grading.judge import run_judge
    from course.modules import get_module
    from course.questions import ModuleData, bank_for

    info = get_module(assignment)
    bank, module_data = bank_for(info.slug), ModuleData(data.load)
    source = nbformat.read(solutions_dir() / assignment / f"{assignment}.ipynb", as_version=4)
    cells = []
    for cell in source.cells:
        meta = cell.metadata.get("nbgrader", {})
        qid = answers.question_of(meta.get("grade_id", ""))
        if cell.cell_type == "code" and meta.get("grade") and qid in bank.questions:
            plain = bank.get(qid).expected_plain(module_data)
            cells.append({"grade_id": meta["grade_id"], "answer": answers.payload(info.slug, qid, plain, None, 1)})
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run_judge({"module": info.slug, "cells": cells})
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=30)
    parser.add_argument("--modules", nargs="*", default=None, help="default: every finished module in solutions/")
    parser.add_argument("--workers", type=int, default=None, help="default: os.cpu_count()")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", type=Path, default=None, help="build the courses here and keep them")
    parser.add_argument("--no-sandbox", action="store_true", help="grade without course.grading.sandbox")
    args = parser.parse_args(argv)

    ensure_tools_on_path()
    assignments = args.modules or source_assignments()
    workers = args.workers or os.cpu_count() or 1
    options = GradingOptions(sandbox=not args.no_sandbox)
    top = args.keep or Path(tempfile.mkdtemp(prefix="grading-bench-"))
    try:
        print(f"building {args.learners} learners x {len(assignments)} module(s) in {top} ...", flush=True)
        parallel = build_cohort(top / "parallel", assignments, args.learners, args.seed, options)
        shutil.copytree(parallel.root, top / "sequential")
        sequential = CourseDir(top / "sequential", options)
        pairs = [(a, s) for a in assignments for s in parallel.students_with_submissions(a)]
        print(f"cohort: {len(pairs)} submissions; {sandbox_status(parallel.config, options.sandbox)}")
        print(f"cpus: {os.cpu_count()}, load average before: {os.getloadavg()[0]:.1f}", flush=True)

        cpu_start = cpu_seconds()
        run = grade_cohort(parallel, assignments, workers=workers)
        parallel_s, parallel_cpu = run.seconds, cpu_seconds() - cpu_start
        print(f"parallel   (course grade, {run.workers} workers): {parallel_s:7.1f} s  "
              f"({len(run.with_status('graded'))} graded, {len(run.with_status('failed'))} failed)", flush=True)
        cpu_start = cpu_seconds()
        sequential_s = sequential_autograde(sequential, pairs)
        sequential_cpu = cpu_seconds() - cpu_start
        print(f"sequential (nbgrader autograde, 1 process): {sequential_s:7.1f} s", flush=True)
        print(f"cpu time: parallel {parallel_cpu:.1f} s, sequential {sequential_cpu:.1f} s "
              f"({sequential_cpu / len(pairs):.2f} s per notebook)", flush=True)
        print(f"load average after: {os.getloadavg()[0]:.1f}")
        print(f"speed-up: {sequential_s / parallel_s:.2f}x (target >= 1.8x on 2 cores)")

        diffs = differences(gradebook_state(parallel.db_url), gradebook_state(sequential.db_url))
        same_flags = integrity_state(parallel.root / "integrity") == integrity_state(sequential.root / "integrity")
        print(f"grades identical: {'yes' if not diffs else 'NO'} ({len(pairs)} submissions, {len(diffs)} differences); "
              f"integrity reports identical: {'yes' if same_flags else 'NO'}")
        for line in diffs[:10]:
            print("   ", line)

        per_notebook = sequential_s / len(pairs)
        costs = {a: judge_cost(a) for a in assignments}
        mean = statistics.mean(costs.values())
        print(f"judge process: {mean:.2f} s per notebook on average ("
              + ", ".join(f"{a} {c:.2f} s" for a, c in costs.items())
              + f"), {100 * mean / per_notebook:.0f}% of a sequentially graded notebook ({per_notebook:.1f} s)")
        return 0 if not diffs and same_flags else 1
    finally:
        if args.keep is None:
            shutil.rmtree(top, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
