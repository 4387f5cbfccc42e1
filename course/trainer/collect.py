"""Collect submissions into submitted/<learner>/<module>/: from nbgrader's exchange, or from a folder of
files and zips exported by a learning platform, through `nbgrader zip_collect`.

From a folder, in five steps:
1. extract: nbgrader's ExtractorPlugin unpacks every zip (zips in zips too) into
   downloaded/<collect>/extracted/ (one folder per collect, kept: later collects compare with it); the
   zips are read again for their entries' own times (see evidence.py);
2. identify: each file's learner comes from the platform's file-name pattern (nbgrader's own
   FileNameCollectorPlugin regexp) through `learner_id` (with the workshop's roster: the roster
   learner with that platform id, that name, or the learner code the notebook shows), its module
   from the notebook name or, failing that, from the nbgrader cells it holds;
3. choose: one file per learner and module, the newest by the export's own evidence (identical copies
   once); then compared with what an earlier collect kept (history.py): never replaced by an older or
   undatable file without --force;
4. zip_collect: nbgrader's ZipCollectApp runs once per module with `PlatformCollector`, which accepts
   exactly the files chosen for that module, names them as the module's notebook and hands nbgrader
   the submission time it writes to timestamp.txt (for late penalties);
5. verify: every accepted file must now be in submitted/; anything else is reported by name.

Every file that is not collected is in the report with the reason; nothing is dropped silently.
"""
from __future__ import annotations

import io
import logging
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import tzinfo
from pathlib import Path

from nbgrader.plugins import ExtractorPlugin, FileNameCollectorPlugin
from traitlets import Dict
from traitlets.config import Config

from ..errors import CourseError
from ..modules import MODULES
from . import wording as say
from .course_dir import CourseDir
from .evidence import Evidence, archive_times, file_evidence, newest_first, stamp_extracted, submitted_at
from .history import DOWNLOADED, History, digest
from .roster import Roster, find_learner, load as load_roster
from .screen import grade_ids, identify_module, known_cells, read_notebook

# Learning platforms' export names. Each must give student_id and file_id (nbgrader's convention);
# full_name is optional. Matched against the extracted file's absolute path.
PLATFORMS = {
    # "Ann Lee_123456_assignsubmission_file_m0_orientation.ipynb", or that prefix as a folder name
    # (Moodle's "download all submissions" zip), or a learner's zip named with it. The number is Moodle's
    # participant identifier for that assignment (its offline grading worksheet's "Participant 123456").
    "moodle": (r"^(?:.*/)?(?P<full_name>[^/]+?)_(?P<student_id>\d+)_assignsubmission_(?:file|onlinetext)_"
               r"(?:[^/]*/(?:.*/)?)?(?P<file_id>[^/]+)$"),
    # Canvas's "Download Submissions": "<sortable name>[_LATE]_<user id>_<upload id>_<file name>", the name
    # lower-cased with everything but letters, digits and '_' removed ("obrienseán" for "O'Brien, Seán"),
    # the user id "anon_<code>" when grading is anonymous; a resubmitted file is renamed "name-1.ipynb".
    "canvas": (r"^(?:.*/)?(?:(?P<full_name>[^/]+?)_)??(?:(?P<late>LATE)_)?(?P<student_id>\d+|anon_[A-Za-z0-9]+)_"
               r"(?P<upload_id>\d+)_(?P<file_id>[^/]+)$"),
}


def learner_id(platform: str, info: dict, roster: Roster | None = None, path: Path | None = None) -> str:
    """Who this learner is in the gradebook, from the identity the platform's file name gives.

    Without a roster: the platform's own number (Moodle's participant id, Canvas's user id). With the
    workshop's roster (course.trainer.roster): the nbgrader id of the roster learner with that platform
    id, else that name, else the learner code the notebook shows; the platform's number if none.
    """
    if roster is not None:
        found = find_learner(roster, str(info["student_id"]), (info.get("full_name") or "").strip(), path)
        if found is not None:
            return found.student
    return str(info["student_id"])


@dataclass
class Collected:
    """One file placed where nbgrader expects a submission."""

    student: str
    assignment: str
    file: str
    via: str
    why: str = ""                # which version was kept and why, when there was a choice
    submitted: str = ""          # the submission time written to timestamp.txt (UTC), if known


@dataclass
class CollectReport:
    """What a collect run placed, what it left as it was, and every file it did not take, with the reason."""

    collected: list[Collected] = field(default_factory=list)
    not_collected: list[dict] = field(default_factory=list)   # {"file", "reason", "student"?, "assignment"?}
    unchanged: list[Collected] = field(default_factory=list)
    extracted: str = ""

    def add_problem(self, name: str, reason: str, student: str = "", assignment: str = "") -> None:
        self.not_collected.append({"file": name, "reason": reason, "student": student, "assignment": assignment})

    def merge(self, other: "CollectReport") -> None:
        self.collected += other.collected
        self.not_collected += other.not_collected
        self.unchanged += other.unchanged
        self.extracted = self.extracted or other.extracted

    def summary(self) -> str:
        lines = [f"{len(self.collected)} submission(s) collected, {len(self.unchanged)} already collected "
                 f"(unchanged), {len(self.not_collected)} file(s) not collected"]
        lines += [f"  KEPT {c.assignment} / {c.student}: {c.file}: {c.why}" for c in self.collected if c.why]
        lines += [f"  NOT COLLECTED {p['file']}: {p['reason']}" for p in self.not_collected]
        return "\n".join(lines)

    def to_json(self) -> dict:
        return {"collected": [asdict(c) for c in self.collected], "not_collected": self.not_collected,
                "unchanged": [asdict(c) for c in self.unchanged], "extracted": self.extracted}


class PlatformCollector(FileNameCollectorPlugin):
    """nbgrader's file-name collector, restricted to the files the trainer chose for this module."""

    accept = Dict(help="Absolute extracted path -> {file_id, student_id, timestamp} (this module only).").tag(
        config=True)

    def collect(self, submitted_file: str):
        chosen = self.accept.get(submitted_file)
        if chosen is None or not super().collect(submitted_file):
            return None
        return {k: v for k, v in chosen.items() if v}


@dataclass
class Identified:
    """A file the trainer knows the learner and module of."""

    path: Path
    student: str
    assignment: str
    full_name: str = ""
    evidence: Evidence = field(default_factory=Evidence)
    shown: str = ""
    why: str = ""
    submitted: str = ""


def module_from_name(file_id: str, assignments: list[str]) -> str | None:
    """The module a notebook's file name names: 'm1_tool_overload.ipynb', 'm1_tool_overload (2).ipynb'."""
    stem = Path(file_id).stem.lower().strip()
    for assignment in sorted(assignments, key=len, reverse=True):
        if stem == assignment or re.match(rf"^{re.escape(assignment)}(?:[\s_\-(.]+\d*\)?)?$", stem):
            return assignment
    return None


def identify_file(path: Path, parser: FileNameCollectorPlugin, platform: str, assignments: list[str],
                  course_modules: list[str], known: dict[str, set[str]], shown: str,
                  roster: Roster | None = None) -> Identified | dict:
    """Who sent `path` and for which module, or {"reason", "student", "assignment"} saying why that fails."""
    parts = Path(shown).parts
    info = parser._match(str(path)) or {}
    notebook = path if path.suffix.lower() == ".ipynb" else None
    student = learner_id(platform, info, roster, notebook) if info.get("student_id") and info.get("file_id") else ""
    named = module_from_name(info.get("file_id") or path.name, [m.assignment for m in MODULES])

    full_name = unicodedata.normalize("NFC", (info.get("full_name") or "").strip())
    if full_name.lower() == "participant":
        full_name = ""   # Moodle's blind marking names every learner "Participant"

    def problem(reason: str, assignment: str | None = named) -> dict:
        return {"reason": reason, "student": student, "assignment": assignment or "", "full_name": full_name}

    if "__MACOSX" in parts or path.name.startswith("._"):
        return problem("macOS archive metadata, not a file the learner wrote", None) | {"student": ""}
    if ".ipynb_checkpoints" in parts:
        return problem(say.CHECKPOINT_COPY, None) | {"student": ""}
    if path.suffix.lower() != ".ipynb":
        return problem(say.NOT_A_NOTEBOOK.format(ext=path.suffix or "no extension"))
    if not student:
        return problem(say.NO_LEARNER.format(platform=platform))
    assignment = named
    if assignment is None:
        nb, _ = read_notebook(path)
        assignment = identify_module(grade_ids(nb), known) if nb is not None else None
    if assignment is None:
        return problem(say.NO_MODULE.format(name=info["file_id"]), None)
    if assignment not in assignments:
        why = say.NOT_CHOSEN if assignment in course_modules else say.UNKNOWN_ASSIGNMENT
        return problem(why.format(assignment=assignment), assignment) | {"student": ""}
    return Identified(path, student, assignment, full_name, shown=shown)


def extract_inbox(course: CourseDir, inbox: Path, extracted: Path, tz: tzinfo | None = None) -> dict:
    """Unpack the inbox (files and zips, zips in zips) into `extracted` with nbgrader's extractor; return
    each extracted file's archive time (the extractor drops them; they are put back on the files)."""
    extracted.mkdir(parents=True)
    extractor = ExtractorPlugin(config=course.config)
    extractor.extract(str(inbox), str(extracted))
    times = archive_times(inbox, list(extractor.zip_ext), tz)
    stamp_extracted(extracted, times)
    return times


def choose_versions(found: list[Identified], report: CollectReport) -> list[Identified]:
    """One file per learner and module: identical copies once; of different versions, the newest by the
    export's own evidence (each other version is reported, with how they were told apart)."""
    groups: dict[tuple[str, str], list[Identified]] = {}
    for item in found:
        groups.setdefault((item.student, item.assignment), []).append(item)
    kept = []
    for items in groups.values():
        versions: dict[str, list[Identified]] = {}
        for item in sorted(items, key=lambda i: i.shown):
            versions.setdefault(digest(item.path), []).append(item)
        distinct = []
        for copies in versions.values():
            first = copies[0]
            first.evidence = newest_first(copies, lambda i: i.evidence)[0][0].evidence  # same bytes: best evidence
            distinct.append(first)
            for other in copies[1:]:
                report.add_problem(other.shown, say.DUPLICATE_SAME.format(kept=first.shown))
        ordered, told = newest_first(distinct, lambda i: i.evidence)
        winner = ordered[0]
        kept.append(winner)
        for other in ordered[1:]:
            template = say.DUPLICATE_OTHER if told else say.DUPLICATE_UNSURE
            report.add_problem(other.shown, template.format(kept=winner.shown, why=told or say.BY_ORDER,
                                                            mine=other.evidence.describe()))
        winner.why = say.KEPT_NEWEST.format(n=len(ordered), why=told or say.BY_ORDER) if len(ordered) > 1 else ""
    return kept


def run_zip_collect(course: CourseDir, assignment: str, regexp: str, accept: dict[str, dict],
                    downloaded: str) -> str:
    """nbgrader zip_collect's collect-and-transfer step for one module over `downloaded`/extracted (already
    unpacked once by extract_inbox); returns its log."""
    from nbgrader.apps.zipcollectapp import ZipCollectApp
    from nbgrader.coursedir import CourseDirectory

    c = Config(course.config)
    c.ZipCollectApp.collect_directory_structure = "{downloaded}/{collect_step}"
    c.ZipCollectApp.downloaded_directory = downloaded
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
    """Record learners' names from the platform's file names in the gradebook (first word = first name;
    a one-word name, as Canvas writes them, is kept whole as the last name)."""
    from nbgrader.api import Gradebook

    with Gradebook(course.db_url) as gb:
        for student, full in names.items():
            if not full:
                continue
            first, _, last = full.partition(" ")
            gb.update_or_create_student(student, first_name=first if last else "", last_name=last or first)


def _against_history(course: CourseDir, history: History, kept: list[Identified], force: bool,
                     report: CollectReport) -> list[Identified]:
    """The chosen files that may go into submitted/: new ones, and newer ones (or forced)."""
    placing = []
    for item in kept:
        decision = history.decide(course, item.assignment, item.student, digest(item.path), item.evidence, force)
        previous, when = decision.previous, history.collected_when(decision.previous)
        old = Evidence.from_json(previous.get("evidence")).describe() if previous else ""
        if decision.action == "same":
            report.unchanged.append(Collected(item.student, item.assignment, item.shown, "files", say.ALREADY_COLLECTED))
        elif decision.action == "older":
            report.add_problem(item.shown, say.REFUSED_OLDER.format(when=when, old=old, why=item.evidence.describe()))
        elif decision.action == "unsure":
            report.add_problem(item.shown, say.REFUSED_UNSURE.format(when=when, old=old, why=item.evidence.describe()))
        else:
            if previous.get("forced"):
                item.why = "; ".join(filter(None, [item.why, say.FORCED.format(when=when, old=old)]))
            elif previous:
                item.why = "; ".join(filter(None, [item.why, say.REPLACED.format(when=when, old=old,
                                                                              why=item.evidence.describe())]))
            placing.append(item)
    return placing


def collect_files(course: CourseDir, inbox: Path | str, platform: str = "moodle",
                  assignments: list[str] | None = None, force: bool = False,
                  tz: tzinfo | None = None) -> CollectReport:
    """Collect a folder of platform-exported files and zips into submitted/ through nbgrader zip_collect."""
    from .releases import due_date

    inbox = Path(inbox).resolve()
    if not inbox.is_dir():
        raise CourseError(f"There is no folder {inbox} to collect submissions from.")
    if platform not in PLATFORMS:
        raise CourseError(f"Unknown platform {platform!r}; known: {', '.join(PLATFORMS)}.")
    course_modules = course.assignments()
    assignments = assignments or course_modules
    report = CollectReport()
    history = History.load(course)
    run_id, extracted = history.start_collect(course, inbox, platform)
    times = extract_inbox(course, inbox, extracted, tz)
    report.extracted = str(extracted.relative_to(course.root))

    quiet = logging.getLogger("course.trainer.collect")
    quiet.setLevel(logging.ERROR)
    parser = FileNameCollectorPlugin(named_regexp=PLATFORMS[platform], log=quiet)
    unpacked = set(ExtractorPlugin(config=course.config).zip_ext)
    known = known_cells(course.db_url)
    roster = load_roster(course.root)
    found, names = [], {}
    for path in sorted(p for p in extracted.rglob("*") if p.is_file()):
        if path.suffix in unpacked and path.with_suffix("").is_dir():
            continue  # a zip inside a zip: nbgrader unpacked it beside itself
        shown = path.relative_to(extracted).as_posix()
        result = identify_file(path, parser, platform, assignments, course_modules, known, shown, roster)
        if isinstance(result, dict):
            report.add_problem(shown, result["reason"], result["student"], result["assignment"])
            names.setdefault(result["student"], result["full_name"])
            continue
        result.evidence = file_evidence(shown, parser._match(str(path)) or {}, times.get(shown), platform, tz)
        found.append(result)
    placing = _against_history(course, history, choose_versions(found, report), force, report)
    for assignment in assignments:
        mine = [i for i in placing if i.assignment == assignment]
        if not mine:
            continue
        accept = {}
        for item in mine:
            moment, note = submitted_at(item.evidence, due_date(course, assignment))
            item.submitted = moment.isoformat(" ") if moment else ""
            item.why = "; ".join(filter(None, [item.why, note]))
            accept[str(item.path)] = {"file_id": f"{assignment}.ipynb", "student_id": item.student,
                                      "timestamp": item.submitted}
        log = run_zip_collect(course, assignment, PLATFORMS[platform], accept, f"{DOWNLOADED}/{run_id}")
        for item in mine:
            target = course.submitted(item.student, assignment) / f"{assignment}.ipynb"
            if target.exists() and digest(target) == digest(item.path):
                report.collected.append(Collected(item.student, assignment, item.shown, "files", item.why,
                                                  item.submitted))
                history.keep(assignment, item.student, digest(target), item.evidence, item.shown, run_id, "files")
            else:
                why = (log.strip().splitlines() or ["no log"])[-1]
                report.add_problem(item.shown, say.ZIP_COLLECT_SKIPPED.format(why=why), item.student, assignment)
    history.record_problems(run_id, report.not_collected)
    for done in report.collected + report.unchanged:
        history.clear_problem(done.assignment, done.student)
    history.save()
    names.pop("", None)
    named = {**names, **{i.student: i.full_name for i in found}}
    name_learners(course, {**named, **{x.student: x.name for x in (roster.learners if roster else []) if x.student in named}})
    return report


def collect_exchange(course: CourseDir, assignments: list[str] | None = None) -> CollectReport:
    """nbgrader collect for each module; inbound submissions for other assignments are reported."""
    from ..nbgrader_course import checked, exchange_root

    if not exchange_root(course.config).is_dir():
        raise CourseError(say.NO_EXCHANGE.format(root=exchange_root(course.config)))
    assignments = assignments or course.assignments()
    report = CollectReport()
    api = course.api()
    history = History.load(course)
    for assignment in assignments:
        before = {s: _folder_state(course.submitted(s, assignment)) for s in course.students_with_submissions(assignment)}
        checked(api.collect(assignment, update=True), f"collect {assignment} from the exchange")
        for student in course.students_with_submissions(assignment):
            if before.get(student) != _folder_state(course.submitted(student, assignment)):
                report.collected.append(Collected(student, assignment, f"{student}+{assignment}", "exchange"))
                kept = history.kept(course, assignment, student)
                if kept:
                    history.keep(assignment, student, kept["digest"], Evidence.from_json(kept["evidence"]),
                                 kept["file"], "", "exchange")
    for entry in _inbound_entries(course):
        student, _, rest = entry.partition("+")
        assignment = rest.split("+", 1)[0]
        if assignment not in assignments and assignment not in course.assignments():
            report.add_problem(entry, say.UNKNOWN_ASSIGNMENT.format(assignment=assignment))
    history.save()
    return report


def _folder_state(folder: Path) -> tuple:
    return tuple(sorted((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in folder.glob("*") if p.is_file()))


def _inbound_entries(course: CourseDir) -> list[str]:
    """Names of the submissions waiting in the exchange's inbound folder for this course."""
    from ..nbgrader_course import exchange_root

    inbound = exchange_root(course.config) / course.coursedir.course_id / "inbound"
    return sorted(p.name for p in inbound.iterdir()) if inbound.is_dir() else []


def save_report(course: CourseDir, report: CollectReport) -> Path:
    import json

    path = course.trainer_dir() / "collect_report.json"
    path.write_text(json.dumps(report.to_json(), indent=1), encoding="utf-8")
    return path
