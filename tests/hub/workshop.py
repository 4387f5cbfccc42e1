"""One nbgrader round on a running hub, driven like people in a browser would.

Every step goes over HTTP to the single-user servers, through the proxy, with
each person's own token: the Jupyter contents API (what JupyterLab uses to
upload, open and autosave files), nbgrader's Assignments list API (the
learners' Fetch / Submit / Fetch Feedback buttons) and the formgrader API
(the instructor's Generate / Release / Collect / Autograde / Feedback buttons).

The course content is pluggable: ``run_workshop_round(hub, assignment_dir,
answers_by_learner)`` takes any nbgrader *source* folder (``.../source/<id>``
with its notebooks and data files) and answers keyed by nbgrader ``grade_id``.
``make_toy_assignment`` is a throwaway stand-in until the real course module
is plugged in.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from hubkit import HubError, LocalHub, UserServer


# ---------------------------------------------------------------------------
# A throwaway assignment: one solution cell, one autograded test, one manual cell
# ---------------------------------------------------------------------------
def _meta(grade_id, *, solution=False, grade=False, locked=False, points=0):
    m = {"grade_id": grade_id, "solution": solution, "grade": grade, "locked": locked,
         "schema_version": 3, "task": False}
    if grade:
        m["points"] = points
    return {"nbgrader": m}


def make_toy_assignment(root: Path, assignment_id: str = "ps1") -> Path:
    """Write ``root/source/<assignment_id>/<assignment_id>.ipynb``; return that folder."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Toy problem set\nWrite `squares(n)`: the squares of 1..n."),
        nbformat.v4.new_code_cell(
            "def squares(n):\n    ### BEGIN SOLUTION\n    return [i * i for i in range(1, n + 1)]\n    ### END SOLUTION",
            metadata=_meta("squares", solution=True)),
        nbformat.v4.new_code_cell(
            "assert squares(1) == [1]\nassert squares(3) == [1, 4, 9]",
            metadata=_meta("test_squares", grade=True, locked=True, points=2)),
        nbformat.v4.new_markdown_cell(
            "In one sentence: why would a marketer care?",
            metadata=_meta("explain_prompt", locked=True)),
        nbformat.v4.new_markdown_cell("YOUR ANSWER HERE",
                                      metadata=_meta("explain", solution=True, grade=True, points=1)),
    ]
    folder = root / "source" / assignment_id
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / f"{assignment_id}.ipynb")
    return folder


def solution_answers(source_notebook: Path) -> dict[str, str]:
    """The instructor's own answers, {grade_id: source}, from an nbgrader *source* notebook.

    Solution cells with the ``### BEGIN/END SOLUTION`` lines dropped: a
    learner who answers with these gets full marks on the autograded tests.
    """
    nb = nbformat.read(source_notebook, as_version=4)
    answers = {}
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("solution") and meta.get("grade_id"):
            lines = [ln for ln in cell.source.splitlines()
                     if ln.strip() not in ("### BEGIN SOLUTION", "### END SOLUTION")]
            answers[meta["grade_id"]] = "\n".join(lines)
    return answers


RIGHT = "def squares(n):\n    return [i * i for i in range(1, n + 1)]"
WRONG = "def squares(n):\n    return [i + i for i in range(1, n + 1)]"


# ---------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------
@dataclass
class LearnerResult:
    score: float
    max_score: float
    cells: dict[str, dict] = field(default_factory=dict)  # grade_id -> {auto_score, max_score, needs_manual_grade}
    feedback_files: list[str] = field(default_factory=list)  # paths in the learner's home

    def auto(self, grade_id: str) -> float | None:
        return self.cells[grade_id]["auto_score"]


# ---------------------------------------------------------------------------
# Steps, one function each so the lead can reuse or replace them
# ---------------------------------------------------------------------------
def _ok(result: dict, what: str) -> dict:
    if isinstance(result, dict) and result.get("success") is False:
        raise HubError(f"{what} failed: {result.get('error') or ''}\n{result.get('log') or result.get('value') or ''}")
    return result


def upload_source(instructor: UserServer, assignment_dir: Path, course_folder: str = "course") -> str:
    """Upload an nbgrader source folder into the instructor's course, as Lab's upload does."""
    assignment_dir = Path(assignment_dir)
    assignment_id = assignment_dir.name
    instructor.mkdir(f"{course_folder}/source")
    base = f"{course_folder}/source/{assignment_id}"
    instructor.mkdir(base)
    for path in sorted(assignment_dir.rglob("*")):
        rel = path.relative_to(assignment_dir).as_posix()
        if ".ipynb_checkpoints" in rel or "__pycache__" in rel:
            continue
        if path.is_dir():
            instructor.mkdir(f"{base}/{rel}")
        elif path.suffix == ".ipynb":
            instructor.put_notebook(f"{base}/{rel}", nbformat.read(path, as_version=4))
        else:
            instructor.put_file(f"{base}/{rel}", path.read_bytes())
    return assignment_id


def formgrader(instructor: UserServer, method: str, path: str, **kw):
    return instructor.request(method, f"formgrader/api/{path}", **kw).json()


def release_assignment(instructor: UserServer, assignment_id: str) -> None:
    _ok(formgrader(instructor, "POST", f"assignment/{assignment_id}/assign"), "generate_assignment")
    _ok(formgrader(instructor, "POST", f"assignment/{assignment_id}/release"), "release_assignment")


def nbgrader_action(learner: UserServer, action: str, course_id: str, assignment_id: str):
    """The Assignments tab's buttons: fetch, submit, fetch_feedback."""
    r = learner.request("POST", f"assignments/{action}", json={"course_id": course_id, "assignment_id": assignment_id})
    return _ok(r.json(), f"{learner.name}: {action}")


def fetch(learner: UserServer, course_id: str, assignment_id: str) -> list[str]:
    nbgrader_action(learner, "fetch", course_id, assignment_id)
    notebooks = [e["path"] for e in learner.listdir(assignment_id) if e["type"] == "notebook"]
    if not notebooks:
        raise HubError(f"{learner.name}: fetch of {assignment_id} brought no notebook")
    return sorted(notebooks)


def answer(learner: UserServer, notebook_path: str, answers: dict[str, str]) -> int:
    """Replace the source of the cells whose grade_id is in ``answers``; save (= autosave)."""
    nb = learner.get_notebook(notebook_path)
    done = 0
    for cell in nb["cells"]:
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if gid in answers:
            cell["source"] = answers[gid]
            done += 1
    learner.put_notebook(notebook_path, nb)
    return done


def submit(learner: UserServer, course_id: str, assignment_id: str) -> None:
    nbgrader_action(learner, "submit", course_id, assignment_id)


def collect_and_autograde(instructor: UserServer, assignment_id: str, learners: list[str]) -> None:
    _ok(formgrader(instructor, "POST", f"assignment/{assignment_id}/collect"), "collect")
    for name in learners:
        _ok(formgrader(instructor, "POST", f"submission/{assignment_id}/{name}/autograde"), f"autograde {name}")


def release_feedback(instructor: UserServer, assignment_id: str) -> None:
    _ok(formgrader(instructor, "POST", f"assignment/{assignment_id}/generate_feedback"), "generate_feedback")
    _ok(formgrader(instructor, "POST", f"assignment/{assignment_id}/release_feedback"), "release_feedback")


def read_grades(instructor: UserServer, assignment_id: str) -> dict[str, LearnerResult]:
    """Scores per learner and per graded cell, from the formgrader's API."""
    results = {}
    for sub in formgrader(instructor, "GET", f"submissions/{assignment_id}"):
        results[sub["student"]] = LearnerResult(score=sub["score"], max_score=sub["max_score"])
    for nb in formgrader(instructor, "GET", f"notebooks/{assignment_id}"):
        for snb in formgrader(instructor, "GET", f"submitted_notebooks/{assignment_id}/{nb['name']}"):
            grades = formgrader(instructor, "GET", "grades", params={"submission_id": snb["id"]})
            cells = results[snb["student"]].cells
            for g in grades:
                cells[g["name"]] = {k: g.get(k) for k in ("auto_score", "manual_score", "score", "max_score",
                                                          "needs_manual_grade")}
    return results


def fetch_feedback(learner: UserServer, course_id: str, assignment_id: str) -> list[str]:
    nbgrader_action(learner, "fetch_feedback", course_id, assignment_id)
    files = []
    for stamp in learner.listdir(f"{assignment_id}/feedback"):
        files += [e["path"] for e in learner.listdir(stamp["path"]) if e["name"].endswith(".html")]
    return sorted(files)


# ---------------------------------------------------------------------------
# The whole round
# ---------------------------------------------------------------------------
def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (e.g. a server and its kernels), in MB."""
    from hubkit import _descendants
    total = 0
    for p in _descendants([pid]):
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return round(total / 1024, 1)


def run_workshop_round(hub: LocalHub, assignment_dir: Path, answers_by_learner: dict[str, dict[str, str]],
                       instructor: str | None = None, timings: dict | None = None) -> dict[str, LearnerResult]:
    """Release -> fetch -> answer -> submit -> collect -> autograde -> feedback -> fetch feedback.

    ``assignment_dir`` is an nbgrader source folder (its name is the assignment
    id); ``answers_by_learner`` maps each learner to ``{grade_id: new cell
    source}`` for every notebook of the assignment (a learner with ``{}``
    submits the untouched notebook). Returns each learner's grades and the
    feedback files they received. Servers are started if they are not running.
    """
    timings = timings if timings is not None else {}
    instructor = instructor or hub.instructors[0]
    learners = list(answers_by_learner)
    servers = hub.start_servers([instructor] + learners)
    teacher = servers[instructor]
    course_id = hub.course_id

    def lap(name, t0):
        timings[name] = round(time.monotonic() - t0, 2)
        return time.monotonic()

    t = t_round = time.monotonic()
    assignment_id = upload_source(teacher, Path(assignment_dir))
    release_assignment(teacher, assignment_id)
    t = lap("release_s", t)
    notebooks = {}
    for name in learners:
        notebooks[name] = fetch(servers[name], course_id, assignment_id)
    t = lap("fetch_s", t)
    for name, answers in answers_by_learner.items():
        if answers:
            for path in notebooks[name]:
                answer(servers[name], path, answers)
        submit(servers[name], course_id, assignment_id)
    t = lap("answer_submit_s", t)
    collect_and_autograde(teacher, assignment_id, learners)
    t = lap("collect_autograde_s", t)
    release_feedback(teacher, assignment_id)
    t = lap("feedback_s", t)
    results = read_grades(teacher, assignment_id)
    for name in learners:
        if name not in results:
            raise HubError(f"no grades for {name}: got {sorted(results)}")
        results[name].feedback_files = fetch_feedback(servers[name], course_id, assignment_id)
    lap("fetch_feedback_s", t)
    timings["round_trip_s"] = round(time.monotonic() - t_round, 2)
    return results
