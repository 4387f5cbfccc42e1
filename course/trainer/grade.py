"""Grade a cohort: nbgrader autograde in N processes, merged into the one gradebook by this process.

1. plan: the ledger says which submissions are new or changed (the rest keep their grades);
2. snapshot: a consistent copy of the gradebook for the workers (and a backup beside it);
3. grade: each worker screens a submission, then runs nbgrader's autograde in a scratch course;
4. merge: as each finishes, this process writes what autograde changed through nbgrader's Gradebook
   API (the only writer, so no SQLite lock errors), moves the autograded notebook and integrity report
   over, and records the result in the ledger.
"""
from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import shutil
import sqlite3
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from nbgrader.api import Gradebook

from ..errors import CourseError
from . import wording as say
from .course_dir import CourseDir, sandbox_status
from .handgrades import HandGrades
from .ledger import Ledger, grader_fingerprint, plan_jobs
from .merge import merge_outcome
from .pool import default_workers, run_pool
from .progress import Progress
from .screen import assignment_notebooks, known_cells
from .worker import Outcome, Setup

REPORT = "grading_report.json"
BACKUP = "gradebook-before-grading.db"


@dataclass
class GradingRun:
    """What one `grade` run did."""

    outcomes: list[Outcome] = field(default_factory=list)
    unchanged: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0
    workers: int = 0
    isolation: str = ""
    interrupted: bool = False
    submissions: int = 0                                   # submissions found for the modules asked for
    earlier: list[tuple[str, str, str, str]] = field(default_factory=list)   # unchanged (module, learner,
                                                                             # status, reason) not graded

    def with_status(self, status: str) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == status]

    def summary(self, rejections: bool = True) -> str:
        """A few lines for the trainer: counts, then every failure, rejection (unless the caller lists them
        itself, as `course grade` does with every learner's state) and note."""
        lines = [f"{len(self.with_status('graded'))} graded, {len(self.with_status('failed'))} failed, "
                 f"{len(self.with_status('rejected'))} rejected, {len(self.unchanged)} unchanged "
                 f"in {self.seconds:.0f} s with {self.workers} worker(s); {self.isolation}"]
        for o in sorted(self.outcomes, key=lambda o: (o.job.assignment, o.job.student)):
            if o.status != "graded" and (rejections or o.status != "rejected"):
                lines.append(f"  {o.status.upper():8s} {o.job.assignment} / {o.job.student}: {o.reason}")
            for note in o.notes:
                lines.append(f"  NOTE     {o.job.assignment} / {o.job.student}: {note}")
        for assignment, student, status, reason in self.earlier if rejections else []:
            lines.append(f"  {status.upper():8s} {assignment} / {student}: {reason} (as in the last run: "
                         f"{say.ask_for(reason, assignment) if status == 'rejected' else 'run with --retry-failed'})")
        return "\n".join(lines)

    def to_json(self) -> dict:
        return {"seconds": round(self.seconds, 1), "workers": self.workers, "isolation": self.isolation,
                "unchanged": [list(x) for x in self.unchanged],
                "outcomes": [{**asdict(o.job), "status": o.status, "reason": o.reason, "notes": o.notes,
                              "seconds": round(o.seconds, 2)} for o in self.outcomes]}


def ensure_in_gradebook(course: CourseDir, assignments: list[str]) -> None:
    """nbgrader grades only assignments its gradebook knows: generate the missing ones from source/."""
    from nbgrader.api import MissingEntry

    from ..nbgrader_course import checked

    for assignment in assignments:
        with Gradebook(course.db_url) as gb:
            try:
                gb.find_assignment(assignment)
                continue
            except MissingEntry:
                pass
        if not course.source(assignment).is_dir():
            raise CourseError(f"{assignment} is not in the gradebook and has no source folder to generate it from.")
        checked(course.api().generate_assignment(assignment, force=True, create=True), f"generate {assignment}")


def snapshot_gradebook(db_path: Path, target: Path) -> Path:
    """A consistent copy of the gradebook (SQLite's backup API, safe while others read or write)."""
    source = sqlite3.connect(str(db_path))
    try:
        copy = sqlite3.connect(str(target))
        with copy:
            source.backup(copy)
        copy.close()
    finally:
        source.close()
    return target


def _still_not_graded(ledger: Ledger, unchanged: list[tuple[str, str]]) -> list[tuple[str, str, str, str]]:
    """Unchanged submissions the last run rejected or failed: every run lists them until they change."""
    found = []
    for assignment, student in unchanged:
        entry = ledger.entry(assignment, student) or {}
        if entry.get("status") in ("rejected", "failed"):
            found.append((assignment, student, entry["status"], entry.get("reason", "")))
    return found


@contextlib.contextmanager
def _temporary_folder_in(folder: Path):
    """Grading processes (and the kernels and judges under them) make their temporary folders in `folder`,
    inside this run's scratch folder, so nothing is left behind even when a run is interrupted. Skipped
    when the path is too long for a kernel's socket path (the sandbox's own limit)."""
    from ..grading.sandbox.workdir import IPC_PATH_ROOM

    if len(str(folder)) > IPC_PATH_ROOM - len("/course-sbx-xxxxxxxx"):
        yield
        return
    folder.mkdir(mode=0o711, exist_ok=True)
    before = os.environ.get("TMPDIR")
    os.environ["TMPDIR"] = str(folder)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = before


def grade_cohort(course: CourseDir, assignments: list[str] | None = None, students: list[str] | None = None,
                 workers: int | None = None, force: bool = False, retry_failed: bool = False,
                 progress: bool = True, scratch_root: Path | str | None = None) -> GradingRun:
    """Autograde every new or changed submission with `workers` processes (default: pool.default_workers)."""
    start = time.monotonic()
    assignments = assignments or course.assignments()
    if not assignments:
        raise CourseError(f"No module of the course has a source or release folder in {course.root}.")
    ensure_in_gradebook(course, assignments)
    HandGrades.load(course).observe(course, assignments)  # before any merge: hand grades vs the work they judged
    ledger = Ledger.load(course)
    jobs, unchanged = plan_jobs(course, assignments, ledger, students, force, retry_failed)
    workers = max(1, workers or default_workers())
    run = GradingRun(unchanged=unchanged, workers=min(workers, max(1, len(jobs))),
                     isolation=sandbox_status(course.config, course.options.sandbox),
                     submissions=len(jobs) + len(unchanged), earlier=_still_not_graded(ledger, unchanged))
    fingerprints = {a: grader_fingerprint(course, a) for a in assignments}
    scratch = Path(tempfile.mkdtemp(prefix="course-trainer-", dir=scratch_root))
    scratch.chmod(0o711)  # without bubblewrap, kernels dropped to the grader user must reach their job folder
    try:
        snapshot = snapshot_gradebook(course.db_path, scratch / "gradebook-snapshot.db")
        if jobs:
            shutil.copyfile(snapshot, course.trainer_dir() / BACKUP)
        (scratch / "jobs").mkdir()
        options = dataclasses.replace(course.options, concurrent_kernels=run.workers)
        setup = Setup(str(course.root), options, snapshot.read_bytes(), str(scratch / "jobs"),
                      known_cells(course.db_url),
                      {a: assignment_notebooks(course.db_url, a) for a in assignments})
        bar = Progress(len(jobs), enabled=progress)
        gradebook = Gradebook(course.db_url)

        def on_done(outcome: Outcome) -> None:
            started, cpu = time.perf_counter(), time.process_time()
            try:
                merge_outcome(course, outcome, gradebook)
            except Exception as error:  # the grades stay out rather than half in; the trainer is told
                outcome.status, outcome.reason = "failed", f"could not merge into the gradebook: {error}"
            ledger.record(outcome, fingerprints[outcome.job.assignment])
            ledger.save(every=2.0)
            if outcome.scratch:
                shutil.rmtree(outcome.scratch, ignore_errors=True)
            outcome.timings.update(merge=round(time.perf_counter() - started, 3),
                                   merge_cpu=round(time.process_time() - cpu, 3))
            run.outcomes.append(outcome)
            bar.update(outcome.status, f"{outcome.job.assignment} / {outcome.job.student}")

        try:
            with _temporary_folder_in(scratch / "tmp"):
                run_pool(jobs, setup, workers, course.options.hard_limit(), on_done, course.trainer_dir() / "logs")
        except KeyboardInterrupt:  # Ctrl+C: what finished is merged and recorded; the rest waits for a re-run
            run.interrupted = True
        finally:
            gradebook.close()
            ledger.save()
        bar.close()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    run.seconds = time.monotonic() - start
    (course.trainer_dir() / REPORT).write_text(json.dumps(run.to_json(), indent=1), encoding="utf-8")
    return run
