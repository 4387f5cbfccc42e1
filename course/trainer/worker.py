"""Grade one submission inside a grading process, in a scratch course folder of its own.

The scratch folder holds a snapshot copy of the gradebook, the module's source folder and this one
learner's submitted folder; nbgrader's real `autograde` runs there with the course's own config. The
real course is never written here: the parent process merges what changed (see merge.py). A hostile
notebook can therefore at worst spoil its own scratch copy, never the gradebook or another learner.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from .. import messages as msg
from . import wording as say
from .course_dir import CourseDir, GradingOptions, scratch_config
from ..grading import timings
from ..grading.sandbox.execute import KernelStartError
from ..grading.sandbox.forkserver import empty_folder
from ..grading.sandbox.outputs import CUT_KEY
from .screen import screen_submission

KERNEL_START_FAILED = KernelStartError.__name__

HUGE_NOTEBOOK_MB = 20
WORKER_MEMORY_MB = 3072        # the grading process itself, sandbox on (kernels have their own cap)
_STOPPED = {"CellTimeoutError": say.CELL_TIMEOUT, "MemoryError": say.OUT_OF_MEMORY}
_FATAL = {"DeadKernelError": say.KERNEL_DIED, "NotebookTimeoutError": say.NOTEBOOK_TIMEOUT}


@dataclass(frozen=True)
class Job:
    """One learner's submission of one module, and why it is being graded."""

    assignment: str
    student: str
    checksum: str
    why: str = "new"


@dataclass(frozen=True)
class Setup:
    """What every grading process needs to know, sent once when it starts."""

    course_root: str
    options: GradingOptions
    snapshot: bytes                      # the gradebook as it was when the run started (kept in memory,
                                         # so a kernel that deletes files cannot take it from later jobs)
    scratch_root: str
    known_cells: dict                    # assignment -> its nbgrader cell ids (for the screen)
    notebooks: dict                      # assignment -> its notebook names


@dataclass
class Outcome:
    """What grading one submission gave: status, reasons, and the gradebook rows to merge."""

    job: Job
    status: str                          # "graded", "failed" or "rejected"
    reason: str = ""
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    rows: dict | None = None             # {"before": ..., "after": ...} from the scratch gradebook
    scratch: str = ""                    # scratch folder holding autograded/ and integrity/
    autograded: str = ""                 # the graded notebooks' folder in the scratch course
    log_tail: str = ""
    timings: dict = field(default_factory=dict)   # where the time went (course.grading.timings)


_COURSE: dict[str, CourseDir] = {}


def _course(setup: Setup) -> CourseDir:
    """The real course (for reading paths only), built once per grading process."""
    if setup.course_root not in _COURSE:
        limit_worker_memory(setup.options)
        _COURSE[setup.course_root] = CourseDir(Path(setup.course_root), setup.options)
    return _COURSE[setup.course_root]


def grade_job(job: Job, setup: Setup) -> Outcome:
    """Screen the submission, then run nbgrader autograde on it in a fresh scratch course."""
    timings.reset()
    cpu = time.process_time()
    outcome = _grade(job, setup)
    timings.add("worker_cpu", time.process_time() - cpu)
    timings.peak("worker_mb", _own_peak_mb())
    outcome.timings = timings.taken()
    return outcome


def _grade(job: Job, setup: Setup) -> Outcome:
    start = time.monotonic()
    course = _course(setup)
    with timings.timed("screen"):
        screening = screen_submission(course.submitted(job.student, job.assignment), job.assignment,
                                      setup.notebooks.get(job.assignment, [job.assignment]),
                                      course.release(job.assignment), setup.known_cells)
    if screening.rejected:
        return Outcome(job, "rejected", screening.rejected, screening.notes, time.monotonic() - start)
    scratch = Path(tempfile.mkdtemp(prefix=f"grade-{job.assignment}-", dir=setup.scratch_root))
    try:
        return _autograde(job, setup, course, scratch, screening.notes, start)
    except Exception as error:  # anything unexpected still comes back as a reason, never a lost job
        return Outcome(job, "failed", say.NBGRADER_FAILED.format(why=f"{type(error).__name__}: {error}"),
                       screening.notes, time.monotonic() - start, scratch=str(scratch))


def _own_peak_mb() -> float:
    """This grading process's peak resident memory, MB (Linux reports kB)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _autograde(job: Job, setup: Setup, course: CourseDir, scratch: Path, notes: list[str], start: float) -> Outcome:
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    prepared = time.perf_counter()
    scratch.chmod(0o711)
    config = scratch_config(course.config, scratch)   # the course's config, read once per grading process
    room = _room(setup)
    if room is not None:
        # the notebook runs in this process's room, where kernels are forks of one zygote (see
        # course.grading.sandbox.forkserver); its graded folder moves to the scratch course afterwards
        config.CourseDirectory.autograded_directory = str(room)
        config.SandboxedKernelManager.fork_room = str(room)
    coursedir = CourseDirectory(config=config)
    db = scratch / "gradebook.db"
    db.write_bytes(setup.snapshot)
    db.chmod(0o600)
    _copy(course.source(job.assignment), Path(coursedir.format_path(coursedir.source_directory, ".", job.assignment)))
    _copy(course.submitted(job.student, job.assignment),
          Path(coursedir.format_path(coursedir.submitted_directory, job.student, job.assignment)))

    before = read_rows(coursedir.db_url, job.assignment, job.student)
    timings.add("prepare", time.perf_counter() - prepared)
    with timings.timed("nbgrader"):
        result = NbGraderAPI(coursedir, config=config).autograde(job.assignment, job.student, force=True, create=True)
    with timings.timed("finish"):
        after = read_rows(coursedir.db_url, job.assignment, job.student)
        log = (result.get("log") or "") + "\n" + (result.get("error") or "")
        graded = Path(coursedir.format_path(coursedir.autograded_directory, job.student, job.assignment))
        if room is not None:
            graded = _move_out(room, scratch, job)
        notes = notes + run_notes(graded)
    if result.get("success"):
        return Outcome(job, "graded", "", notes, time.monotonic() - start, {"before": before, "after": after},
                       str(scratch), str(graded), log[-4000:])
    if KERNEL_START_FAILED in log:  # nothing ran: not a grade, a job to retry (--retry-failed)
        return Outcome(job, "failed", say.KERNEL_DID_NOT_START.format(why=failure_reason(log)), notes,
                       time.monotonic() - start, None, str(scratch), str(graded), log[-4000:])
    return Outcome(job, "failed", say.NBGRADER_FAILED.format(why=failure_reason(log)), notes,
                   time.monotonic() - start, {"before": before, "after": after}, str(scratch), str(graded), log[-4000:])


_ROOM: dict[str, Path | None] = {}


def _room(setup: Setup) -> Path | None:
    """This grading process's room (made once, emptied before each notebook), or None when kernels
    are not forked here (sandbox or forking off)."""
    if not (setup.options.sandbox and setup.options.fork_kernels and os.geteuid() == 0):
        return None
    if setup.scratch_root not in _ROOM:
        room = Path(tempfile.mkdtemp(prefix=f"room-{os.getpid()}-", dir=setup.scratch_root)).resolve()
        room.chmod(0o711)
        _ROOM[setup.scratch_root] = room
    room = _ROOM[setup.scratch_root]
    empty_folder(room)   # what an earlier notebook's grading left
    return room


def _move_out(room: Path, scratch: Path, job: Job) -> Path:
    """Move the graded folder from the room to the scratch course (autograded/<student>/<module>),
    before the next notebook's kernel can see the room."""
    target = scratch / "autograded" / job.student
    target.parent.mkdir(parents=True, exist_ok=True)
    source = room / job.student
    if source.is_dir():
        os.rename(source, target)
    return target / job.assignment


def _copy(src: Path, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))


def read_rows(db_url: str, assignment: str, student: str) -> dict:
    """What autograde owns of one submission in a gradebook: timestamps, scores, comments, flags."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(db_url) as gb:
        try:
            gb.find_student(student)
        except MissingEntry:
            return {"student": False, "submission": None}
        try:
            sub = gb.find_submission(assignment, student)
        except MissingEntry:
            return {"student": True, "submission": None}
        notebooks = {}
        for nb in sub.notebooks:
            notebooks[nb.name] = {
                "flagged": bool(nb.flagged),
                "late_submission_penalty": nb.late_submission_penalty,
                "grades": {g.name: {"auto_score": g.auto_score, "needs_manual_grade": bool(g.needs_manual_grade)}
                           for g in nb.grades},
                "comments": {c.name: {"auto_comment": c.auto_comment} for c in nb.comments},
            }
        return {"student": True, "submission": {"timestamp": sub.timestamp, "notebooks": notebooks}}


def run_notes(graded: Path) -> list[str]:
    """What the trainer should know about how the notebooks ran: timeouts, deaths, memory, size."""
    notes = []
    for path in sorted(Path(graded).glob("*.ipynb")) if Path(graded).is_dir() else []:
        size_mb = path.stat().st_size / 2**20
        if size_mb > HUGE_NOTEBOOK_MB:
            notes.append(say.HUGE_OUTPUT.format(mb=size_mb))
        try:  # plain JSON: nbgrader wrote it, and validating megabytes of outputs costs a worker's time
            nb = nbformat.from_dict(json.loads(path.read_text(encoding="utf-8")))
        except (ValueError, OSError):
            continue
        fatal_seen = False
        for index, cell in enumerate(c for c in nb.cells if c.cell_type == "code"):
            label = cell.metadata.get("nbgrader", {}).get("grade_id") or f"#{index + 1}"
            for output in cell.get("outputs", []):
                cut = (output.get("metadata") or {}).get(CUT_KEY) or _cut_in_text(output)
                if cut:
                    notes.append(say.OUTPUT_NOT_KEPT.format(cell=label, why=cut))
                if output.get("output_type") != "error":
                    continue
                name = output.get("ename", "")
                if name in _FATAL and not fatal_seen:
                    fatal_seen = True
                    why = str(output.get("evalue", "")).replace("the kernel died before this cell finished: ", "")
                    notes.append(_FATAL[name].format(cell=label, why=why or "no reason given"))
                elif name in _STOPPED:
                    notes.append(_STOPPED[name].format(cell=label))
    return list(dict.fromkeys(notes))


def _cut_in_text(output) -> str:
    """Why a stream or error output was not kept, when the grader's note stands in its text."""
    text = str(output.get("text") or output.get("evalue") or "")
    head, _, rest = msg.OUTPUT_CUT.partition("{why}")
    if head not in text:
        return ""
    return text.split(head, 1)[1].split(rest, 1)[0].strip()


_EXCEPTION_LINE = re.compile(r"^\s*([A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt))(?::\s*(.*))?$")


def failure_reason(log: str) -> str:
    """The most telling exception line in nbgrader's log (not its generic 'see the traceback')."""
    found = []
    for line in log.splitlines():
        match = _EXCEPTION_LINE.match(line)
        if match and not match.group(1).endswith("NbGraderException"):
            found.append(f"{match.group(1).rsplit('.', 1)[-1]}: {(match.group(2) or '').strip()}".rstrip(": "))
    if found:
        return found[-1][:300]
    errors = [line for line in log.splitlines() if line.startswith("[ERROR]")]
    return (errors[0][8:] if errors else "no reason in nbgrader's log")[:300]


def limit_worker_memory(options: GradingOptions) -> None:
    """Cap this grading process's address space: with the sandbox, the worker's own (outputs reach it
    bounded, so this only stops a runaway); without it, also the cap the kernels it starts inherit."""
    import resource

    if options.memory_mb <= 0:
        return
    cap = (max(2 * options.memory_mb, WORKER_MEMORY_MB) if options.sandbox else max(2 * options.memory_mb, 2048)) * 2**20
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard == resource.RLIM_INFINITY or hard > cap:
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap if hard == resource.RLIM_INFINITY else min(cap, hard)))
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, "1")
