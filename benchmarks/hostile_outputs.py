"""Benchmark: what a flood of output costs the trusted grading process, and how big the graded notebook gets.

Grades one module-0 submission whose extra cell sends ten 40 MB displays and 60 printed lines of 1 MB
(issue 14, case 3), then an honest one, each in this very process with the trainer's own worker
function (as a grading worker runs it), and prints this process's peak resident memory (VmHWM) after
each, the graded notebook's size and the seconds taken.

    python benchmarks/hostile_outputs.py            # flood first, then honest, each in a fresh process
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

FLOOD = """
from IPython.display import display
for _ in range(10):
    display({"text/plain": "z" * (40 * 2**20)}, raw=True)
for _ in range(60):
    print("y" * 2**20)
"""
MODULE = "m0_orientation"


def peak_mb() -> float:
    """This process's peak resident memory so far, MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def grade_one(kind: str) -> dict:
    """Build a one-learner course in a temp folder, grade it with the worker function, measure."""
    import nbformat

    from course.nbgrader_course import checked, ensure_tools_on_path, stage_source
    from course.paths import solutions_dir
    from course.trainer.course_dir import CourseDir, GradingOptions
    from course.trainer.screen import assignment_notebooks, known_cells
    from course.trainer.synthetic import learner_copy
    from course.trainer.worker import Job, Setup, grade_job

    ensure_tools_on_path()
    top = Path(tempfile.mkdtemp(prefix="hostile-bench-"))
    top.chmod(0o755)
    course = CourseDir(top, GradingOptions(cell_timeout=120, notebook_timeout=600))
    stage_source(top, MODULE, solutions_dir())
    checked(course.api().generate_assignment(MODULE, force=True, create=True), "generate")
    nb = learner_copy(course.release(MODULE) / f"{MODULE}.ipynb", course.source(MODULE) / f"{MODULE}.ipynb")
    if kind == "flood":
        at = next(i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade_id") == "setup")
        nb.cells.insert(at + 1, nbformat.v4.new_code_cell(FLOOD))
    folder = course.submitted("learner", MODULE)
    folder.mkdir(parents=True)
    nbformat.write(nb, folder / f"{MODULE}.ipynb")
    (folder / "timestamp.txt").write_text("2026-01-01 12:00:00.000000 UTC")
    (top / "jobs").mkdir()
    setup = Setup(str(top), course.options, (top / "gradebook.db").read_bytes(), str(top / "jobs"),
                  known_cells(course.db_url), {MODULE: assignment_notebooks(course.db_url, MODULE)})
    before = peak_mb()
    start = time.monotonic()
    outcome = grade_job(Job(MODULE, "learner", ""), setup)
    seconds = time.monotonic() - start
    graded = Path(outcome.scratch) / "autograded" / "learner" / MODULE / f"{MODULE}.ipynb"
    size = graded.stat().st_size / 2**20 if graded.exists() else float("nan")
    shutil.rmtree(top, ignore_errors=True)
    return {"kind": kind, "status": outcome.status, "seconds": round(seconds, 1), "peak_mb_before": round(before),
            "peak_mb": round(peak_mb()), "notebook_mb": round(size, 3), "notes": outcome.notes[:3]}


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] in ("flood", "honest"):
        print(json.dumps(grade_one(sys.argv[1])))
        return 0
    for kind in ("flood", "honest"):   # each in a fresh process, so one peak cannot hide the other
        done = subprocess.run([sys.executable, __file__, kind], capture_output=True, text=True, timeout=1800)
        line = (done.stdout.strip().splitlines() or ["{}"])[-1]
        try:
            r = json.loads(line)
        except ValueError:
            print(kind, "failed:", done.stderr[-2000:])
            continue
        print(f"{r['kind']:7s} {r['status']:7s} {r['seconds']:6.1f} s   grading process peak {r['peak_mb']:5d} MB "
              f"(before grading {r['peak_mb_before']} MB)   graded notebook {r['notebook_mb']:8.3f} MB")
        for note in r["notes"]:
            print("         note:", note[:150])
    return 0


if __name__ == "__main__":
    sys.exit(main())
