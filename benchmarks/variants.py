"""Benchmark: every learner's own data (course.data.variants) against the targets of issue 18.

Prints, for a workshop of `--learners` learners (default 40) x every module:

1. one learner's variant of one module: generated, written to CSV bytes, read back and fingerprinted,
   as the learner's kernel does at the setup cell (target: under 1 s per module);
2. the cohort: every learner's variant written for the judge and sealed into each module's check file,
   with one process per core (target: 40 x 7 in under a minute on 2 cores), and the check files' sizes;
3. the learner's kernel reading a check file of that size (the setup cell's share);
4. the clean judge per notebook: the shared data (as before variants), a learner's variant the workshop
   wrote, and a variant the judge makes itself (a learner off the roster) (target: within 10%).

    python benchmarks/variants.py                   # 40 learners, every module
    python benchmarks/variants.py --learners 8      # a quick run
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from course import answers, data  # noqa: E402
from course.checks.checkfile import CheckFile  # noqa: E402
from course.data.variants import VariantData, new_code, variant_id  # noqa: E402
from course.grading.judge import run_judge  # noqa: E402
from course.modules import MODULES  # noqa: E402
from course.paths import check_file_path, variant_folder  # noqa: E402
from course.questions import ModuleData, bank_for  # noqa: E402
from course.questions.compile import build as build_with_checks  # noqa: E402
from course.trainer.variants import build_cohort, write_cohort_check_files  # noqa: E402


def median_time(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def cpu_seconds() -> float:
    """CPU time of this process and of its children that have ended (the pool's workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def one_variant(profile: str, seed: int, repeats: int) -> dict[str, tuple[float, float]]:
    """(wall, CPU) seconds to make one learner's variant of each module, as the learner's kernel does
    (a new key each time; medians)."""
    def run(info):
        variant = VariantData(profile, seed, new_code())
        for name in info.datasets:
            variant.frame(name)
        variant.fingerprint(info.datasets)

    found = {}
    for info in MODULES:
        walls, cpus = [], []
        for _ in range(repeats):
            wall, cpu = time.perf_counter(), time.process_time()
            run(info)
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        found[info.assignment] = (statistics.median(walls), statistics.median(cpus))
    return found


def judge_request(info, module_data: ModuleData) -> dict:
    """Every test cell of a module, answered right on `module_data`."""
    bank = bank_for(info.slug)
    cells = [{"grade_id": f"test_{qid}", "answer": answers.payload(info.slug, qid, q.expected_plain(module_data), None, 1)}
             for qid, q in bank.questions.items()]
    return {"module": info.slug, "cells": cells}


def judge_costs(datasets: Path, profile: str, seed: int, key: str, repeats: int) -> dict[str, tuple[float, float, float]]:
    """Per module: judge seconds on the shared data, on the written variant, on a variant made in the judge."""
    costs = {}
    for info in MODULES:
        base = judge_request(info, ModuleData(lambda n: data.read_dataset(datasets / data.DATASETS[n].filename, n)))
        mine = judge_request(info, ModuleData(VariantData(profile, seed, key).frame))
        written = str(variant_folder(datasets, variant_id(seed, key)))
        for request, folder in ((base, datasets), (mine, written), ({**mine, "learner": key}, datasets)):
            assert all(v["passed"] for v in run_judge(request, str(folder))), info.slug   # right answers pass
        costs[info.assignment] = (median_time(lambda: run_judge(base, str(datasets)), repeats),
                                  median_time(lambda: run_judge(mine, written), repeats),
                                  median_time(lambda: run_judge({**mine, "learner": key}, str(datasets)), repeats))
    return costs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=40)
    parser.add_argument("--profile", default="bank")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workers", type=int, default=None, help="default: os.cpu_count()")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    workers = args.workers or os.cpu_count() or 1
    print(f"cpus: {os.cpu_count()}, load average before: {os.getloadavg()[0]:.1f}", flush=True)

    variant = one_variant(args.profile, args.seed, args.repeats)
    print("1. one learner's variant of one module (generate, CSV round trip, fingerprint), median of "
          f"{args.repeats}, wall/CPU: " + ", ".join(f"{a} {w:.2f}/{c:.2f} s" for a, (w, c) in variant.items())
          + f"; slowest {max(w for w, _ in variant.values()):.2f} s wall, "
          f"{max(c for _, c in variant.values()):.2f} s CPU (target < 1 s)", flush=True)

    top = Path(tempfile.mkdtemp(prefix="variants-bench-"))
    try:
        datasets = top / "datasets"
        build_with_checks(datasets, profile=args.profile, seed=args.seed)
        keys = [new_code() for _ in range(args.learners)]
        modules = list(MODULES)
        start, cpu0 = time.perf_counter(), cpu_seconds()
        cohort = build_cohort(datasets, modules, keys, workers=workers)
        write_cohort_check_files(datasets, modules, cohort)
        cohort_s, cohort_cpu = time.perf_counter() - start, cpu_seconds() - cpu0
        sizes = {m.slug: check_file_path(datasets, m.slug).stat().st_size for m in modules}
        print(f"2. cohort of {args.learners} learners x {len(modules)} modules, {workers} worker(s): {cohort_s:.1f} s "
              f"wall, {cohort_cpu:.1f} s CPU ({cohort_cpu / args.learners:.2f} s CPU per learner, so "
              f"{cohort_cpu / workers:.0f} s on {workers} idle cores; target < 60 s for 40 x 7 on 2 cores); check files "
              + ", ".join(f"{s} {b / 1e6:.2f} MB" for s, b in sizes.items())
              + f"; learners' data for the judge {sum(f.stat().st_size for f in (datasets / 'variants').rglob('*')) / 1e6:.0f} MB",
              flush=True)

        biggest = max(modules, key=lambda m: sizes[m.slug])
        fingerprint = VariantData(args.profile, args.seed, keys[-1]).fingerprint(biggest.datasets)
        read_s = median_time(lambda: CheckFile(biggest, datasets, fingerprint, personal=True), args.repeats)
        print(f"3. the learner's kernel reads the largest check file ({biggest.slug}, {sizes[biggest.slug] / 1e6:.2f} MB) "
              f"and finds its seals: {read_s * 1000:.0f} ms", flush=True)

        costs = judge_costs(datasets, args.profile, args.seed, keys[0], max(3, args.repeats // 2))
        means = [statistics.mean(c[i] for c in costs.values()) for i in range(3)]
        print("4. judge per notebook (shared data / learner's written variant / variant made in the judge): "
              + ", ".join(f"{a} {b:.2f}/{w:.2f}/{m:.2f} s" for a, (b, w, m) in costs.items()))
        print(f"   mean {means[0]:.3f} s / {means[1]:.3f} s ({100 * (means[1] / means[0] - 1):+.0f}%, target within 10%) "
              f"/ {means[2]:.3f} s ({100 * (means[2] / means[0] - 1):+.0f}%, learners off the roster only)")
        print(f"load average after: {os.getloadavg()[0]:.1f}")
    finally:
        shutil.rmtree(top, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
