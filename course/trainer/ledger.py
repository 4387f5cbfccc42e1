"""The grading ledger: what was graded from which files, so a re-run grades only what changed.

One JSON file, trainer/ledger.json: for each module and learner, the checksum of the submitted
folder, a fingerprint of the grader (the module's source folder, its question bank, its datasets and
the kit's version), the last status with its reason and the notes the trainer should read. A change to
the kit's grading code without a new kit version needs `course grade --force`.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from .course_dir import CourseDir
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


def grader_fingerprint(course: CourseDir, assignment: str) -> str:
    """Changes when anything that decides this module's grades changes."""
    from .. import __version__, questions
    from ..modules import get_module
    from ..paths import datasets_dir

    digest = hashlib.sha256(folder_checksum(course.source(assignment)).encode())
    digest.update(__version__.encode())
    try:
        module = get_module(assignment)
    except Exception:  # an assignment that is not a kit module: its source folder is all we know
        return digest.hexdigest()[:16]
    bank = Path(questions.__file__).parent / f"{module.slug}.py"
    for path in [bank] + sorted(datasets_dir().glob("*")):
        if path.is_file() and (path == bank or path.stem in module.datasets):
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


@dataclass
class Ledger:
    """The ledger file, loaded; `save` writes it atomically."""

    path: Path
    entries: dict

    @classmethod
    def load(cls, course: CourseDir) -> "Ledger":
        path = course.trainer_dir() / LEDGER
        entries = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        return cls(path, entries)

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
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".ledger-")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(self.entries, out, indent=1, sort_keys=True)
        os.replace(tmp, self.path)


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
