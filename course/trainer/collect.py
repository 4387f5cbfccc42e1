"""Collect submissions into submitted/<learner>/<module>/: from nbgrader's exchange, or from a folder of
files and zips exported by a learning platform, through `nbgrader zip_collect`.

From a folder, in four steps:
1. extract: nbgrader's ExtractorPlugin unpacks every zip (zips in zips too) into downloaded/extracted/;
2. identify: each file's learner comes from the platform's file-name pattern (nbgrader's own
   FileNameCollectorPlugin regexp), its module from the notebook name or, failing that, from the
   nbgrader cells it holds; duplicates are resolved (identical copies collected once);
3. zip_collect: nbgrader's ZipCollectApp runs once per module with `PlatformCollector`, which accepts
   exactly the files identified for that module and names them as the module's notebook;
4. verify: every accepted file must now be in submitted/; anything else is reported by name.

Every file that is not collected is in the report with the reason; nothing is dropped silently.
"""
from __future__ import annotations

import hashlib
import io
import logging
import re
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path

from nbgrader.plugins import ExtractorPlugin, FileNameCollectorPlugin
from traitlets import Dict
from traitlets.config import Config

from ..errors import CourseError
from ..modules import MODULES
from . import wording as say
from .course_dir import CourseDir
from .screen import grade_ids, identify_module, known_cells, read_notebook

# Learning platforms' export names. Each must give student_id and file_id (nbgrader's convention);
# full_name is optional. Matched against the extracted file's absolute path.
PLATFORMS = {
    # "Ann Lee_123456_assignsubmission_file_m0_orientation.ipynb", or that prefix as a folder name
    # (Moodle's "download all submissions" zip), or a learner's zip named with it.
    "moodle": (r"^(?:.*/)?(?P<full_name>[^/]+?)_(?P<student_id>\d+)_assignsubmission_(?:file|onlinetext)_"
               r"(?:[^/]*/(?:.*/)?)?(?P<file_id>[^/]+)$"),
    # "leeann_123456_7891011_m0_orientation.ipynb" or "leeann_LATE_123456_7891011_m0_orientation-1.ipynb"
    "canvas": r"^(?:.*/)?(?P<full_name>[a-z]+)_(?:LATE_)?(?P<student_id>\d+)_\d+_(?P<file_id>[^/]+)$",
}
DOWNLOADED = "downloaded"


@dataclass
class Collected:
    """One file placed where nbgrader expects a submission."""

    student: str
    assignment: str
    file: str
    via: str


@dataclass
class CollectReport:
    """What a collect run placed, and every file it did not, with the reason."""

    collected: list[Collected] = field(default_factory=list)
    not_collected: list[dict] = field(default_factory=list)   # {"file": name, "reason": why}

    def add_problem(self, name: str, reason: str) -> None:
        self.not_collected.append({"file": name, "reason": reason})

    def summary(self) -> str:
        lines = [f"{len(self.collected)} submission(s) collected, {len(self.not_collected)} file(s) not collected"]
        lines += [f"  NOT COLLECTED {p['file']}: {p['reason']}" for p in self.not_collected]
        return "\n".join(lines)

    def to_json(self) -> dict:
        return {"collected": [asdict(c) for c in self.collected], "not_collected": self.not_collected}


class PlatformCollector(FileNameCollectorPlugin):
    """nbgrader's file-name collector, restricted to the files the trainer identified for this module."""

    accept = Dict(help="Absolute extracted path -> notebook file name to collect it as (this module only).").tag(
        config=True)

    def collect(self, submitted_file: str):
        if submitted_file not in self.accept:
            return None
        info = super().collect(submitted_file)
        if info:
            info["file_id"] = self.accept[submitted_file]
            info.pop("full_name", None)
        return info


@dataclass
class Identified:
    """A file the trainer knows the learner and module of."""

    path: Path
    student: str
    assignment: str
    full_name: str = ""


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def module_from_name(file_id: str, assignments: list[str]) -> str | None:
    """The module a notebook's file name names: 'm1_tool_overload.ipynb', 'm1_tool_overload (2).ipynb'."""
    stem = Path(file_id).stem.lower().strip()
    for assignment in sorted(assignments, key=len, reverse=True):
        if stem == assignment or re.match(rf"^{re.escape(assignment)}(?:[\s_\-(.]+\d*\)?)?$", stem):
            return assignment
    return None


def identify_file(path: Path, parser: FileNameCollectorPlugin, platform: str, assignments: list[str],
                  known: dict[str, set[str]], shown: str) -> Identified | str:
    """Who sent `path` and for which module, or why that cannot be told."""
    parts = Path(shown).parts
    if "__MACOSX" in parts or path.name.startswith("._"):
        return "macOS archive metadata, not a file the learner wrote"
    if ".ipynb_checkpoints" in parts:
        return say.CHECKPOINT_COPY
    if path.suffix.lower() != ".ipynb":
        return say.NOT_A_NOTEBOOK.format(ext=path.suffix or "no extension")
    info = parser._match(str(path))
    if not info or not info.get("student_id") or not info.get("file_id"):
        return say.NO_LEARNER.format(platform=platform)
    assignment = module_from_name(info["file_id"], [m.assignment for m in MODULES])
    if assignment is None:
        nb, _ = read_notebook(path)
        assignment = identify_module(grade_ids(nb), known) if nb is not None else None
    if assignment is None:
        return say.NO_MODULE.format(name=info["file_id"])
    if assignment not in assignments:
        return say.UNKNOWN_ASSIGNMENT.format(assignment=assignment)
    return Identified(path, info["student_id"], assignment, (info.get("full_name") or "").strip())


def extract_inbox(course: CourseDir, inbox: Path) -> Path:
    """Unpack the inbox (files and zips, zips in zips) into downloaded/extracted with nbgrader's extractor."""
    extracted = course.root / DOWNLOADED / "extracted"
    if extracted.exists():
        shutil.rmtree(extracted)
    extracted.mkdir(parents=True)
    ExtractorPlugin(config=course.config).extract(str(inbox), str(extracted))
    return extracted


def _resolve_duplicates(found: list[Identified], report: CollectReport, shown) -> list[Identified]:
    """One file per learner and module: identical copies once; different versions: the newest, reported."""
    groups: dict[tuple[str, str], list[Identified]] = {}
    for item in found:
        groups.setdefault((item.student, item.assignment), []).append(item)
    kept = []
    for items in groups.values():
        items.sort(key=lambda i: (i.path.stat().st_mtime, str(i.path)), reverse=True)
        winner = items[0]
        kept.append(winner)
        for other in items[1:]:
            same = _digest(other.path) == _digest(winner.path)
            reason = (say.DUPLICATE_SAME if same else say.DUPLICATE_OTHER).format(kept=shown(winner.path))
            report.add_problem(shown(other.path), reason)
    return kept


def run_zip_collect(course: CourseDir, assignment: str, regexp: str, accept: dict[str, str]) -> str:
    """nbgrader zip_collect's collect-and-transfer step for one module over downloaded/extracted (already
    unpacked once by extract_inbox); returns its log."""
    from nbgrader.apps.zipcollectapp import ZipCollectApp
    from nbgrader.coursedir import CourseDirectory

    c = Config(course.config)
    c.ZipCollectApp.collect_directory_structure = "{downloaded}/{collect_step}"
    c.ZipCollectApp.downloaded_directory = DOWNLOADED
    c.ZipCollectApp.extracted_directory = "extracted"
    c.ZipCollectApp.collector_plugin = PlatformCollector
    c.ZipCollectApp.force = True
    c.FileNameCollectorPlugin.named_regexp = regexp
    c.PlatformCollector.accept = accept
    app = ZipCollectApp(config=c)
    app.coursedir = CourseDirectory(config=c)
    app.coursedir.assignment_id = assignment
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(logging.Formatter("[%(levelname)s] %(message)s"))
    shown, app.log.handlers = app.log.handlers, [handler]
    try:
        app.init_plugins()
        app.process_extracted_files()
    except SystemExit:  # nbgrader's app.fail(): the reason is in the log
        pass
    finally:
        app.log.handlers = shown
    return buffer.getvalue()


def name_learners(course: CourseDir, names: dict[str, str]) -> None:
    """Record learners' names from the platform's file names in the gradebook (first word = first name)."""
    from nbgrader.api import Gradebook

    with Gradebook(course.db_url) as gb:
        for student, full in names.items():
            if not full:
                continue
            first, _, last = full.partition(" ")
            gb.update_or_create_student(student, first_name=first if last else "", last_name=last or first)


def collect_files(course: CourseDir, inbox: Path | str, platform: str = "moodle",
                  assignments: list[str] | None = None) -> CollectReport:
    """Collect a folder of platform-exported files and zips into submitted/ through nbgrader zip_collect."""
    inbox = Path(inbox).resolve()
    if not inbox.is_dir():
        raise CourseError(f"There is no folder {inbox} to collect submissions from.")
    if platform not in PLATFORMS:
        raise CourseError(f"Unknown platform {platform!r}; known: {', '.join(PLATFORMS)}.")
    assignments = assignments or course.assignments()
    report = CollectReport()
    extracted = extract_inbox(course, inbox)

    def shown(path: Path) -> str:
        return str(Path(path).relative_to(extracted))

    quiet = logging.getLogger("course.trainer.collect")
    quiet.setLevel(logging.ERROR)
    parser = FileNameCollectorPlugin(named_regexp=PLATFORMS[platform], log=quiet)
    unpacked = set(ExtractorPlugin(config=course.config).zip_ext)
    known = known_cells(course.db_url)
    found = []
    for path in sorted(p for p in extracted.rglob("*") if p.is_file()):
        if path.suffix in unpacked and path.with_suffix("").is_dir():
            continue  # a zip inside a zip: nbgrader unpacked it beside itself
        result = identify_file(path, parser, platform, assignments, known, shown(path))
        if isinstance(result, str):
            report.add_problem(shown(path), result)
        else:
            found.append(result)
    kept = _resolve_duplicates(found, report, shown)
    for assignment in assignments:
        mine = [i for i in kept if i.assignment == assignment]
        if not mine:
            continue
        log = run_zip_collect(course, assignment, PLATFORMS[platform],
                              {str(i.path): f"{assignment}.ipynb" for i in mine})
        for item in mine:
            target = course.submitted(item.student, assignment) / f"{assignment}.ipynb"
            if target.exists() and _digest(target) == _digest(item.path):
                report.collected.append(Collected(item.student, assignment, shown(item.path), "files"))
            else:
                why = (log.strip().splitlines() or ["no log"])[-1]
                report.add_problem(shown(item.path), say.ZIP_COLLECT_SKIPPED.format(why=why))
    name_learners(course, {i.student: i.full_name for i in kept})
    return report


def collect_exchange(course: CourseDir, assignments: list[str] | None = None) -> CollectReport:
    """nbgrader collect for each module; inbound submissions for other assignments are reported."""
    from ..nbgrader_course import checked

    assignments = assignments or course.assignments()
    report = CollectReport()
    api = course.api()
    for assignment in assignments:
        before = {s: _folder_state(course.submitted(s, assignment)) for s in course.students_with_submissions(assignment)}
        checked(api.collect(assignment, update=True), f"collect {assignment} from the exchange")
        for student in course.students_with_submissions(assignment):
            if before.get(student) != _folder_state(course.submitted(student, assignment)):
                report.collected.append(Collected(student, assignment, f"{student}+{assignment}", "exchange"))
    for entry in _inbound_entries(course):
        student, _, rest = entry.partition("+")
        assignment = rest.split("+", 1)[0]
        if assignment not in assignments and assignment not in course.assignments():
            report.add_problem(entry, say.UNKNOWN_ASSIGNMENT.format(assignment=assignment))
    return report


def _folder_state(folder: Path) -> tuple:
    return tuple(sorted((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in folder.glob("*") if p.is_file()))


def _inbound_entries(course: CourseDir) -> list[str]:
    """Names of the submissions waiting in the exchange's inbound folder for this course."""
    config = course.config
    root = config.Exchange.get("root", "/srv/nbgrader/exchange") if "Exchange" in config else "/srv/nbgrader/exchange"
    inbound = Path(root) / course.coursedir.course_id / "inbound"
    return sorted(p.name for p in inbound.iterdir()) if inbound.is_dir() else []


def save_report(course: CourseDir, report: CollectReport) -> Path:
    import json

    path = course.trainer_dir() / "collect_report.json"
    path.write_text(json.dumps(report.to_json(), indent=1), encoding="utf-8")
    return path
