"""What every collect kept, so a later collect never silently rolls a learner back.

trainer/collect_history.json holds one entry per collect run (when, from where, which folder under
downloaded/ keeps its extracted files) and, for each module and learner, the version now in
submitted/: its sha256, the evidence of when it was handed in, where it came from. A new collect
compares each candidate with that entry (or, for a submission placed some other way, with its
timestamp.txt): the same file is left alone, a newer one replaces it, an older one or one the export
cannot date is refused unless the trainer says --force. Nothing is wiped: each collect's extracted
files stay in downloaded/<collect>/extracted.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from .course_dir import CourseDir
from .evidence import EXCHANGE_TIME, Evidence, newer
from .records import read_record, write_record

HISTORY = "collect_history.json"
DOWNLOADED = "downloaded"


def digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@dataclass
class Decision:
    """What to do with one candidate file, and the words for the collect report."""

    action: str                         # "new", "same", "newer", "older", "unsure"
    previous: dict = field(default_factory=dict)

    @property
    def place(self) -> bool:
        return self.action in ("new", "newer")


def _timestamp_evidence(folder: Path) -> Evidence:
    """A submission's own timestamp.txt (nbgrader's exchange writes one), as evidence."""
    from nbgrader.utils import parse_utc

    path = folder / "timestamp.txt"
    if not path.is_file():
        return Evidence()
    try:
        moment = parse_utc(path.read_text(encoding="utf-8").strip())
    except (ValueError, OverflowError):
        return Evidence()
    return Evidence(moment.replace(tzinfo=timezone.utc).isoformat(), EXCHANGE_TIME) if moment else Evidence()


@dataclass
class History:
    """The history file, loaded; `save` writes it atomically."""

    path: Path
    data: dict

    @classmethod
    def load(cls, course: CourseDir) -> "History":
        path = course.trainer_dir() / HISTORY
        data = read_record(path)
        data.setdefault("collects", [])
        data.setdefault("kept", {})
        data.setdefault("problems", {})
        return cls(path, data)

    def start_collect(self, course: CourseDir, inbox: Path, platform: str) -> tuple[str, Path]:
        """A new collect run: its id and the folder its extracted files stay in."""
        stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
        ids = {c["id"] for c in self.data["collects"]}
        run_id, n = stamp, 1
        while run_id in ids or (course.root / DOWNLOADED / run_id).exists():
            n += 1
            run_id = f"{stamp}-{n}"
        self.data["collects"].append({"id": run_id, "from": str(inbox), "platform": platform,
                                      "at": datetime.now(timezone.utc).isoformat(timespec="seconds")})
        return run_id, course.root / DOWNLOADED / run_id / "extracted"

    def kept(self, course: CourseDir, assignment: str, student: str) -> dict | None:
        """The version now in submitted/ for this learner and module, as the history knows it."""
        entry = self.data["kept"].get(assignment, {}).get(student)
        notebook = course.submitted(student, assignment) / f"{assignment}.ipynb"
        if not notebook.is_file():
            return None
        if entry and entry.get("digest") == digest(notebook):
            return entry
        # placed some other way (the exchange, by hand, an older kit): its own timestamp is the evidence
        return {"digest": digest(notebook), "evidence": _timestamp_evidence(notebook.parent).to_json(),
                "file": str(notebook.relative_to(course.root)), "collect": "", "via": "submitted folder"}

    def decide(self, course: CourseDir, assignment: str, student: str, candidate_digest: str,
               evidence: Evidence, force: bool) -> Decision:
        """New, the same, newer, older or undatable, compared with what is kept (force places it anyway)."""
        previous = self.kept(course, assignment, student)
        if previous is None:
            return Decision("new")
        if previous["digest"] == candidate_digest:
            return Decision("same", previous)
        told = newer(evidence, Evidence.from_json(previous.get("evidence")))
        action = "newer" if told else "older" if told is False else "unsure"
        if force and action != "newer":
            return Decision("newer", {**previous, "forced": action})
        return Decision(action, previous)

    def keep(self, assignment: str, student: str, file_digest: str, evidence: Evidence, file: str,
             collect: str, via: str) -> None:
        self.data["kept"].setdefault(assignment, {})[student] = {
            "digest": file_digest, "evidence": evidence.to_json(), "file": file, "collect": collect, "via": via}

    def record_problems(self, collect: str, problems: list[dict]) -> None:
        """Files of this collect that were not collected but name a learner (for the states and the report)."""
        for p in problems:
            if p.get("student"):
                self.data["problems"][f"{p.get('assignment') or ''}|{p['student']}"] = {**p, "collect": collect}

    def problems_for(self, student: str) -> list[dict]:
        return [p for k, p in self.data["problems"].items() if k.split("|", 1)[1] == student]

    def clear_problem(self, assignment: str, student: str) -> None:
        self.data["problems"].pop(f"{assignment}|{student}", None)

    def collected_when(self, previous: dict) -> str:
        """'on 2026-01-02 09:30 UTC from <folder>' for a kept entry."""
        run = next((c for c in self.data["collects"] if c["id"] == previous.get("collect")), None)
        if run is None:
            return f"earlier ({previous.get('via') or 'already in submitted/'})"
        return f"on {run['at'][:16].replace('T', ' ')} UTC from {run['from']}"

    def save(self) -> None:
        write_record(self.path, self.data)
