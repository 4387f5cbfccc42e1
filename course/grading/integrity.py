"""Where integrity reports live and how the trainer's tools read them."""
from __future__ import annotations

import json
from pathlib import Path

# A question checked with more different answers than this may have been found by trial and error.
CHECKS_FLAG_THRESHOLD = 30
GUESSING = "Exercise '{qid}' was checked with {n} different answers: the learner may be guessing by trial."


def report_path(folder: Path | str, assignment: str, student: str, notebook: str) -> Path:
    """One JSON report per submitted notebook: integrity/<assignment>/<student>__<notebook>.json."""
    return Path(folder) / assignment / f"{student}__{notebook}.json"


def write_report(path: Path, student: str, assignment: str, notebook: str, flags: list[str],
                 variant: dict | None = None) -> None:
    """Record what the grader noticed about one submission (an empty list means nothing) and, in a
    workshop with per-learner data, whose data it was graded on ({"key", "how"}; key None: shared data)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    report = {"student": student, "assignment": assignment, "notebook": notebook, "flags": flags}
    if variant is not None:
        report["variant"] = variant
    path.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


def guessing_flags(counts: dict[str, int], threshold: int = CHECKS_FLAG_THRESHOLD) -> list[str]:
    """One flag per question checked more than `threshold` times (the trainer decides what it means)."""
    return [GUESSING.format(qid=qid, n=n) for qid, n in sorted(counts.items()) if n > threshold]


def read_report(folder: Path | str, assignment: str, student: str, notebook: str | None = None) -> dict:
    """The one reader of a submission's integrity report, as written ({} when there is none yet)."""
    path = report_path(folder, assignment, student, notebook or assignment)
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def all_reports(folder: Path | str) -> dict[str, dict]:
    """Every report under an integrity folder (or one assignment's folder), by path relative to it."""
    root = Path(folder)
    return {path.relative_to(root).as_posix(): json.loads(path.read_text(encoding="utf-8"))
            for path in sorted(root.rglob("*.json"))} if root.is_dir() else {}


def read_flags(course_root: Path | str, assignment: str, student: str, notebook: str | None = None) -> list[str]:
    """The integrity flags of one submission, or [] when it was graded clean (or not yet graded)."""
    return list(read_report(Path(course_root) / "integrity", assignment, student, notebook).get("flags", []))


def read_variant(folder: Path | str, assignment: str, student: str, notebook: str | None = None) -> dict | None:
    """Whose data one submission was graded on ({"key", "how"}), or None without per-learner data."""
    return read_report(folder, assignment, student, notebook).get("variant")
