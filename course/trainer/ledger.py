"""The grading ledger: what was graded from which files, so a re-run grades only what changed.

One JSON file, trainer/ledger.json: for each module and learner, the checksum of the submitted
folder, a fingerprint of the grader, the last status with its reason and the notes the trainer should
read.

The grader's fingerprint is correct by construction rather than by a list of what each module uses: it
covers every file of the `course` package that can run while a notebook is graded (the kernel imports
learner, sims, data, checks, measures and answers; the judge imports questions, which reuse each other:
the capstone grades with module 1's shelfware threshold; grading and the trainer's screen and worker
decide what is graded), the module's source and release folders, every dataset folder the grader can
read, the course's nbgrader_config.py and nbgrader's version. Only the trainer's presentation code
(exports, report, wording, the command line) is left out, so changing it re-grades nothing.
"""
from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from .course_dir import CourseDir
from .records import read_record, write_record
from .worker import Job, Outcome

LEDGER = "ledger.json"
_SKIP = (".ipynb_checkpoints", "__pycache__")


def folder_checksum(folder: Path) -> str:
    """sha256 over a folder's file names and bytes (checkpoints and caches left out)."""
    digest = hashlib.sha256()
    folder = Path(folder)
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(folder)
        if any(part in _SKIP for part in rel.parts):
            continue
        digest.update(str(rel).encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


# Files of the package that cannot change a grade (paths relative to the package, folders end in "/").
PRESENTATION = ("cli.py", "launch.py", "kernel.py", "workshop.py", "setup_check.py", "jupyter_settings/",
                "jupyter_laptop/", "sources/",
                "trainer/cli.py", "trainer/export.py", "trainer/exports/", "trainer/report.py",
                "trainer/feedback.py", "trainer/progress.py", "trainer/states.py", "trainer/titles.py",
                "trainer/handgrades.py", "trainer/releases.py", "trainer/guard.py", "trainer/history.py",
                "trainer/evidence.py", "trainer/collect.py", "trainer/compare.py", "trainer/synthetic.py",
                "trainer/wording.py", "trainer/latepenalties.py")


def _grade_relevant(rel: str) -> bool:
    return not any(rel == p or (p.endswith("/") and rel.startswith(p)) for p in PRESENTATION)


def kit_fingerprint(package: Path | None = None) -> str:
    """sha256 over every file of the `course` package that a grade can depend on (see the module docstring)."""
    from ..paths import PACKAGE_DIR

    package = Path(package or PACKAGE_DIR)
    digest = hashlib.sha256()
    for path in sorted(p for p in package.rglob("*") if p.is_file()):
        rel = path.relative_to(package).as_posix()
        if "__pycache__" in rel or path.suffix == ".pyc" or not _grade_relevant(rel):
            continue
        digest.update(rel.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def grader_fingerprint(course: CourseDir, assignment: str, package: Path | None = None) -> str:
    """Changes when anything that decides this module's grades changes (`package`: the kit to fingerprint,
    by default the one running)."""
    from nbgrader import __version__ as nbgrader_version

    from ..paths import datasets_dir

    digest = hashlib.sha256(kit_fingerprint(package).encode())
    digest.update(nbgrader_version.encode())
    for folder in (course.source(assignment), course.release(assignment), datasets_dir(), course.root / "datasets"):
        digest.update(str(folder.name).encode() + (folder_checksum(folder) if folder.is_dir() else "-").encode())
    config = course.root / "nbgrader_config.py"
    digest.update(config.read_bytes() if config.is_file() else b"-")
    return digest.hexdigest()[:16]


@dataclass
class Ledger:
    """The ledger file, loaded; `save` writes it atomically."""

    path: Path
    entries: dict

    @classmethod
    def load(cls, course: CourseDir) -> "Ledger":
        path = course.trainer_dir() / LEDGER
        return cls(path, read_record(path))

    def entry(self, assignment: str, student: str) -> dict | None:
        return self.entries.get(assignment, {}).get(student)

    def record(self, outcome: Outcome, fingerprint: str) -> None:
        job = outcome.job
        self.entries.setdefault(job.assignment, {})[job.student] = {
            "checksum": job.checksum, "grader": fingerprint, "status": outcome.status,
            "reason": outcome.reason, "notes": outcome.notes, "seconds": round(outcome.seconds, 2),
            "at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        }

    def save(self, every: float = 0.0) -> None:
        """Write the file (with `every`, at most that often: a run saves as it goes, and once at the end)."""
        now = time.monotonic()
        if every and now - getattr(self, "_saved", 0.0) < every:
            return
        self._saved = now
        write_record(self.path, self.entries)


def why_grade(entry: dict | None, checksum: str, fingerprint: str, graded_exists: bool,
              force: bool, retry_failed: bool) -> str | None:
    """Why a submission needs grading now, or None when its last result still stands."""
    if force:
        return "forced"
    if entry is None:
        return "new"
    if entry.get("checksum") != checksum:
        return "changed"
    if entry.get("status") == "rejected":
        return None
    if entry.get("grader") != fingerprint:
        return "grader changed"
    if entry.get("status") == "failed":
        return "retry" if retry_failed else None
    if not graded_exists:
        return "autograded copy missing"
    return None


def plan_jobs(course: CourseDir, assignments: list[str], ledger: Ledger, students: list[str] | None = None,
              force: bool = False, retry_failed: bool = False) -> tuple[list[Job], list[tuple[str, str]]]:
    """The submissions to grade (with why), and those left as they are."""
    jobs, unchanged = [], []
    for assignment in assignments:
        fingerprint = grader_fingerprint(course, assignment)
        for student in course.students_with_submissions(assignment):
            if students and student not in students:
                continue
            checksum = folder_checksum(course.submitted(student, assignment))
            why = why_grade(ledger.entry(assignment, student), checksum, fingerprint,
                            course.autograded(student, assignment).is_dir(), force, retry_failed)
            if why:
                jobs.append(Job(assignment, student, checksum, why))
            else:
                unchanged.append((assignment, student))
    return jobs, unchanged
