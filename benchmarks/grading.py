"""Benchmark: one synthetic cohort graded three ways in one run, on this machine.

The ways, each on its own fresh copy of the same course (same submissions, same gradebook):

  plain    plain nbgrader: nbgrader's own autograde pipeline and settings (no kit step, no sandbox, no
           judge), one submission after the other in one process, as `nbgrader autograde` runs for a
           trainer without the kit. The kit's notebooks grade there by themselves: a check raises
           NotYetRight on a wrong answer while nbgrader runs. (Its Execute step is nbgrader's own with a
           clock added: course.grading.timings.KernelClock, which only reads the time.)
  kit      nbgrader with the kit's config: the same, one by one in one process, with the kit's pipeline
           (sandboxed learner kernel, the clean judge, sanitised outputs): what the formgrader does.
  course   `course grade`: the kit's pipeline in N grading processes, merged into the one gradebook.

It prints wall times, each way's ratio to plain nbgrader (pair by pair: within one repeat), CPU-seconds
per notebook (the whole process tree: a cpuacct cgroup per way when run as root, else getrusage, which
misses sandboxed kernels killed before they are reaped), a per-notebook breakdown from what the
grading steps record themselves (course.grading.timings: kernel start, learner cells, judge, nbgrader
bookkeeping, merge), and whether the grades agree: identical gradebooks and integrity reports between
the kit's two ways, identical scores between plain nbgrader and the kit. `--sweep` grades the cohort
again with `course grade` at several worker counts and prints the throughput per worker.

    python benchmarks/grading.py                          # 9 learners x every module, the three ways once
    python benchmarks/grading.py --repeats 3              # A B C, C B A, A B C: medians and spreads
    python benchmarks/grading.py --learners 30 --ways course --sweep 1,2,3,4
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from course.grading import timings  # noqa: E402
from course.grading.judge_client import stop_judge  # noqa: E402
from course.nbgrader_course import checked, ensure_tools_on_path, stage_source  # noqa: E402
from course.paths import solutions_dir  # noqa: E402
from course.pipeline import source_assignments  # noqa: E402
from course.trainer.compare import differences, gradebook_state, integrity_state  # noqa: E402
from course.trainer.course_dir import CourseDir, GradingOptions, sandbox_status  # noqa: E402
from course.trainer.grade import grade_cohort  # noqa: E402
from course.trainer.synthetic import learner_copy, solution_ids  # noqa: E402

KINDS = ("correct", "partial", "correct", "blank", "partial")   # 40% correct, 40% partial, 20% blank
WAYS = ("plain", "kit", "course")
TITLES = {"plain": "plain nbgrader (1 process)", "kit": "nbgrader + kit config (1 process)",
          "course": "course grade"}
# The breakdown's columns: recorded phases (seconds) of one notebook, in the order they happen.
PHASES = ("kernel_start", "cells", "kernel_stop", "judge", "bookkeeping", "merge", "total")
CPU_PARTS = ("kernel_cpu", "judge_cpu", "worker_cpu", "merge_cpu")


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


# ------------------------------------------------------------------------------------------ CPU meter

class CpuMeter:
    """CPU-seconds of this process and every process started while it measures (kernels, judges, workers).

    As root on Linux with cgroup v1's cpuacct, each measure runs in a cgroup of its own, which counts
    every descendant exactly; elsewhere getrusage, which misses processes killed before they are reaped.
    """

    ROOT = Path("/sys/fs/cgroup/cpuacct")

    def __init__(self):
        self.group: Path | None = None
        if self.ROOT.is_dir() and os.access(self.ROOT, os.W_OK):
            try:
                self.group = self.ROOT / f"course-bench-{os.getpid()}"
                self.group.mkdir(exist_ok=True)
            except OSError:
                self.group = None
        self.exact = self.group is not None

    def measure(self):
        """A context manager; `.seconds` holds the CPU-seconds after it exits."""
        return _Measure(self)

    def close(self) -> None:
        if self.group is not None:
            try:
                self.group.rmdir()
            except OSError:
                pass


class _Measure:
    def __init__(self, meter: CpuMeter):
        self.meter, self.seconds = meter, 0.0

    def __enter__(self):
        if self.meter.group is not None:
            self.group = self.meter.group / f"m{time.monotonic_ns()}"
            self.group.mkdir()
            (self.group / "cgroup.procs").write_text(str(os.getpid()))
        else:
            self.start = _rusage()
        return self

    def __exit__(self, *exc):
        if self.meter.group is None:
            self.seconds = _rusage() - self.start
            return False
        (self.meter.ROOT / "cgroup.procs").write_text(str(os.getpid()))
        deadline = time.monotonic() + 30
        while (self.group / "cgroup.procs").read_text().strip() and time.monotonic() < deadline:
            time.sleep(0.2)   # leftovers (a kernel still exiting) finish in the group
        self.seconds = int((self.group / "cpuacct.usage").read_text()) / 1e9
        try:
            self.group.rmdir()
        except OSError:
            pass
        return False


def _rusage() -> float:
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


# ------------------------------------------------------------------------------------------ the ways

@dataclass
class Result:
    """One way's run: wall and CPU seconds, and each notebook's recorded phases."""

    way: str
    workers: int
    wall: float
    cpu: float
    notebooks: list[tuple[str, str, dict]] = field(default_factory=list)   # (assignment, student, timings)
    failed: int = 0
    root: Path | None = None

    @property
    def per_notebook(self) -> float:
        return self.cpu / max(1, len(self.notebooks))


def plain_config(root: Path):
    """nbgrader's own settings for the course at root: its default pipelines, only the folders named."""
    from nbgrader.converters.autograde import Autograde
    from nbgrader.preprocessors import Execute
    from traitlets.config import Config

    class TimedExecute(timings.KernelClock, Execute):
        """nbgrader's Execute, unchanged, with the kit's clock reading the time."""

    c = Config()
    c.CourseDirectory.root = str(root)
    c.CourseDirectory.db_url = f"sqlite:///{root / 'gradebook.db'}"
    c.CourseDirectory.course_id = "back-to-the-field"
    default = Autograde.class_traits()["autograde_preprocessors"].make_dynamic_default()
    c.Autograde.autograde_preprocessors = [TimedExecute if p is Execute else p for p in default]
    return c


def one_by_one(api, pairs: list[tuple[str, str]]) -> tuple[list[tuple[str, str, dict]], int]:
    """nbgrader autograde on each submission in turn in this process, each notebook's phases recorded."""
    records, failed = [], 0
    for assignment, student in pairs:
        timings.reset()
        with timings.timed("nbgrader", cpu="worker_cpu"):
            result = api.autograde(assignment, student, force=True, create=True)
        failed += not result.get("success")
        record = timings.taken()
        record["total"] = record["nbgrader"]
        records.append((assignment, student, record))
    return records, failed


def run_way(way: str, root: Path, assignments: list[str], pairs: list[tuple[str, str]], options: GradingOptions,
            workers: int, meter: CpuMeter) -> Result:
    """Grade the course at `root` one way, measured."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    course = CourseDir(root, options)
    with meter.measure() as cpu:
        start = time.monotonic()
        if way == "course":
            run = grade_cohort(course, assignments, workers=workers, progress=False)
            records = [(o.job.assignment, o.job.student, {**o.timings, "total": o.seconds + o.timings.get("merge", 0)})
                       for o in run.outcomes]
            failed = len(run.outcomes) - len(run.with_status("graded"))
        else:
            config = plain_config(root) if way == "plain" else course.config
            api = NbGraderAPI(CourseDirectory(config=config), config=config)
            records, failed = one_by_one(api, pairs)
            stop_judge()   # this process's judge ends with the way (course grade's end with its workers)
        wall = time.monotonic() - start
    return Result(way, workers if way == "course" else 1, wall, cpu.seconds, records, failed, root)


# ------------------------------------------------------------------------------------------ comparing

def scores(db_url: str) -> dict:
    """Every graded cell's automatic score and manual-grading mark."""
    state = gradebook_state(db_url)
    return {(key, nb, grade): (values[0], values[3])
            for key, sub in state.items() if key[0] != "student"
            for nb, notebook in sub["notebooks"].items() for grade, values in notebook["grades"].items()}


def agreement(results: dict[str, Result]) -> list[str]:
    """Lines saying whether the ways' grades agree (and the first differences)."""
    lines, db = [], {w: f"sqlite:///{r.root / 'gradebook.db'}" for w, r in results.items()}
    if "kit" in results and "course" in results:
        diffs = differences(gradebook_state(db["course"]), gradebook_state(db["kit"]))
        same = integrity_state(results["course"].root / "integrity") == integrity_state(results["kit"].root / "integrity")
        lines.append(f"  kit config vs course grade: gradebooks {'identical' if not diffs else 'DIFFER'} "
                     f"({len(diffs)} differences), integrity reports {'identical' if same else 'DIFFER'}")
        lines += [f"      {d}" for d in diffs[:5]] + ([] if same else ["      (integrity reports differ)"])
    base = "kit" if "kit" in results else "course" if "course" in results else None
    if "plain" in results and base:
        a, b = scores(db["plain"]), scores(db[base])
        diffs = [f"{k}: plain {a.get(k)} != {base} {b.get(k)}" for k in sorted(set(a) | set(b), key=str)
                 if a.get(k) != b.get(k)]
        lines.append(f"  plain nbgrader vs {base}: scores {'identical' if not diffs else 'DIFFER'} "
                     f"({len(a)} graded cells, {len(diffs)} differences)")
        lines += [f"      {d}" for d in diffs[:5]]
    return lines


# ------------------------------------------------------------------------------------------ printing

def spread(values: list[float], fmt: str = "{:.1f}") -> str:
    """median (min-max) of a few numbers."""
    if len(values) == 1:
        return fmt.format(values[0])
    return f"{fmt.format(statistics.median(values))} ({fmt.format(min(values))}-{fmt.format(max(values))})"


def with_bookkeeping(record: dict) -> dict:
    """A notebook's phases with nbgrader's own work (sanitising, saving grades, writing) as what is left."""
    out = dict(record)
    if "nbgrader" in record:
        known = sum(record.get(k, 0.0) for k in ("kernel_start", "cells", "kernel_stop", "judge"))
        out["bookkeeping"] = record["nbgrader"] - known + sum(record.get(k, 0.0) for k in ("prepare", "finish", "screen"))
    return out


def breakdown(results: list[Result], assignments: list[str]) -> list[str]:
    """Per module, the median of each recorded phase over its notebooks (wall seconds), and the CPU parts."""
    lines = []
    for result in results:
        records = [(a, with_bookkeeping(r)) for a, _, r in result.notebooks]
        lines.append(f"  {TITLES[result.way]}" + (f", {result.workers} workers" if result.way == "course" else ""))
        lines.append("    module               " + "".join(f"{p[:12]:>13s}" for p in PHASES)
                     + " | " + "".join(f"{p.replace('_cpu', ''):>8s}" for p in CPU_PARTS) + "  (CPU-s)")
        for assignment in assignments + ["all"]:
            mine = [r for a, r in records if assignment in ("all", a)]
            if not mine:
                continue
            cells = "".join(f"{statistics.median(r.get(p, 0.0) for r in mine):13.2f}" for p in PHASES)
            cpu = "".join(f"{statistics.median(r.get(p, 0.0) for r in mine):8.2f}" for p in CPU_PARTS)
            lines.append(f"    {assignment:20s} {cells} | {cpu}")
    return lines


def memory_per_worker(result: Result) -> float:
    """The most one grading slot held at once: its worker, its learner's kernel and its judge (MB)."""
    peaks = [r.get("worker_mb", 0) + r.get("kernel_mb", 0) + r.get("judge_mb", 0) for _, _, r in result.notebooks]
    return max(peaks, default=0.0)


def main(argv: list[str] | None = None) -> int:
    from course.trainer.pool import default_workers

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("--learners", type=int, default=9)
    parser.add_argument("--modules", nargs="*", default=None, help="default: every module in solutions/")
    parser.add_argument("--ways", default=",".join(WAYS), help="which ways, comma-separated (default: all three)")
    parser.add_argument("--workers", type=int, default=None, help="course grade's workers (default: the kit's own)")
    parser.add_argument("--repeats", type=int, default=1, help="run the ways this many times, order reversed each time")
    parser.add_argument("--sweep", default="", help="worker counts for course grade afterwards, e.g. 1,2,3,4")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", type=Path, default=None, help="build the courses here and keep them")
    parser.add_argument("--no-sandbox", action="store_true", help="grade the kit's ways without the sandbox")
    parser.add_argument("--json", type=Path, default=None, help="also write every figure here")
    args = parser.parse_args(argv)

    ensure_tools_on_path()
    assignments = args.modules or source_assignments()
    ways = [w for w in args.ways.split(",") if w]
    workers = args.workers or default_workers()
    options = GradingOptions(sandbox=not args.no_sandbox)
    top = args.keep or Path(tempfile.mkdtemp(prefix="grading-bench-"))
    meter = CpuMeter()
    try:
        print(f"building {args.learners} learners x {len(assignments)} module(s) in {top} ...", flush=True)
        cohort = build_cohort(top / "cohort", assignments, args.learners, args.seed, options)
        pairs = [(a, s) for a in assignments for s in cohort.students_with_submissions(a)]
        print(f"cohort: {len(pairs)} submissions (40% right, 40% half answered, 20% blank)")
        print(f"kit ways: {sandbox_status(cohort.config, options.sandbox)}")
        print(f"machine: {os.cpu_count()} cpus, course grade: {workers} workers (default here: {default_workers()}); "
              f"CPU measured {'exactly (cpuacct cgroup per way)' if meter.exact else 'with getrusage (a lower bound)'}")
        runs: list[dict[str, Result]] = []
        ok = True
        for repeat in range(args.repeats):
            order = ways if repeat % 2 == 0 else ways[::-1]
            results = {}
            for way in order:
                root = top / f"r{repeat + 1}-{way}"
                shutil.copytree(cohort.root, root)
                load = os.getloadavg()[0]
                results[way] = run_way(way, root, assignments, pairs, options, workers, meter)
                r = results[way]
                print(f"[{repeat + 1}] {TITLES[way]:36s} {r.wall:7.1f} s  {r.per_notebook:5.2f} CPU-s/notebook  "
                      f"{r.failed} failed  (load before {load:.1f})", flush=True)
            for line in agreement(results):
                ok = ok and "DIFFER" not in line
                print(line, flush=True)
            runs.append(results)
            if args.keep is None:
                for r in results.values():
                    if repeat < args.repeats - 1:
                        shutil.rmtree(r.root, ignore_errors=True)
        print(summary(runs, ways, len(pairs)))
        print("\nper-notebook breakdown, last repeat (median seconds; bookkeeping = nbgrader's own work + the "
              "worker's copies; merge = the parent writing the gradebook):")
        print("\n".join(breakdown([runs[-1][w] for w in ways], assignments)))
        if "course" in ways:
            print(f"\nmemory per grading slot (worker + kernel + judge, peak): {memory_per_worker(runs[-1]['course']):.0f} MB")
        sweep = [int(n) for n in args.sweep.split(",") if n.strip()]
        if sweep:
            print(sweep_table(top, cohort, assignments, pairs, options, sweep, meter))
        if args.json:
            args.json.write_text(json.dumps([{w: {"wall": r.wall, "cpu": r.cpu, "workers": r.workers,
                                                  "notebooks": r.notebooks} for w, r in res.items()} for res in runs]))
        return 0 if ok else 1
    finally:
        meter.close()
        if args.keep is None:
            shutil.rmtree(top, ignore_errors=True)


def summary(runs: list[dict[str, Result]], ways: list[str], n: int) -> str:
    """The three-way table: wall, CPU per notebook, and each way's speed-up over plain nbgrader, pair by pair."""
    lines = [f"\nthree ways, {n} notebooks, {len(runs)} repeat(s): median (min-max)",
             f"  {'way':36s} {'wall s':>18s} {'s/notebook':>16s} {'CPU-s/notebook':>18s} {'x plain nbgrader':>20s}"]
    for way in ways:
        walls = [r[way].wall for r in runs]
        per = [r[way].wall / n for r in runs]
        cpu = [r[way].per_notebook for r in runs]
        ratio = [r["plain"].wall / r[way].wall for r in runs] if "plain" in ways else []
        title = TITLES[way] + (f", {runs[0][way].workers} workers" if way == "course" else "")
        lines.append(f"  {title:36s} {spread(walls):>18s} {spread(per, '{:.2f}'):>16s} {spread(cpu, '{:.2f}'):>18s} "
                     f"{spread(ratio, '{:.2f}x') if ratio else '-':>20s}")
    return "\n".join(lines)


def sweep_table(top: Path, cohort: CourseDir, assignments, pairs, options, counts: list[int], meter: CpuMeter) -> str:
    """course grade at several worker counts: wall, throughput, throughput per worker, CPU per notebook."""
    lines = ["\nworkers sweep (course grade):",
             f"  {'workers':>7s} {'wall s':>8s} {'notebooks/min':>14s} {'per worker':>11s} {'CPU-s/notebook':>15s} "
             f"{'MB/slot':>8s}  load before"]
    for count in counts:
        root = top / f"sweep-{count}"
        shutil.copytree(cohort.root, root)
        load = os.getloadavg()[0]
        r = run_way("course", root, assignments, pairs, options, count, meter)
        rate = 60 * len(pairs) / r.wall
        lines.append(f"  {count:7d} {r.wall:8.1f} {rate:14.1f} {rate / count:11.1f} {r.per_notebook:15.2f} "
                     f"{memory_per_worker(r):8.0f}  {load:.1f}")
        print(lines[-1], flush=True)
        shutil.rmtree(root, ignore_errors=True)
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
