"""One nbgrader round on a running hub, driven like people in a browser would.

Every step goes over HTTP to the single-user servers, through the proxy, with
each person's own token: the Jupyter contents API (what JupyterLab uses to
upload, open and autosave files), kernels over their websocket (Run All),
nbgrader's Assignments list API (the learners' Fetch / Submit / Fetch
Feedback buttons) and the formgrader API (the instructor's Release / Collect /
Autograde / Feedback buttons). The course folder itself is prepared with the
kit's own ``course workshop`` command, run as the instructor
(``prepare_course``).

The learners' answers are built from a real module's *source* notebook
(``ModuleKey``): the solution cells with their ``### BEGIN/END SOLUTION``
lines dropped, or those made wrong on purpose (``perturb``); and what each
learner deserves is worked out from the same notebook (``expected_scores``):
the points in its nbgrader metadata, and which checked variables end up right
given which cells were answered right, wrong or not at all.
"""
from __future__ import annotations

import ast
import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from hubkit import HubError, LocalHub, UserServer

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
HIDDEN = "### BEGIN HIDDEN TESTS"


# ---------------------------------------------------------------------------
# A module's answer key, read from its nbgrader source notebook
# ---------------------------------------------------------------------------
def _names(code: str) -> tuple[set[str], set[str]]:
    """(names a cell assigns, names it reads before assigning them): a cell that recomputes a variable
    (`utilisation = ...` then reads it) does not depend on the exercise before that also sets it.
    A comprehension's own loop variables are neither."""
    stores, loads = set(), set()
    for statement in ast.parse(code).body:
        own = {n.id for comp in ast.walk(statement) if isinstance(comp, ast.comprehension)
               for n in ast.walk(comp.target) if isinstance(n, ast.Name)}
        names = [n for n in ast.walk(statement) if isinstance(n, ast.Name) and n.id not in own]
        loads |= {n.id for n in names if not isinstance(n.ctx, ast.Store)} - stores
        stores |= {n.id for n in names if isinstance(n.ctx, ast.Store)}
    return stores, loads


def strip_solution(source: str) -> str:
    """A solution cell as a learner who knows the answer would write it: the markers dropped."""
    return "\n".join(ln for ln in source.splitlines() if ln.strip() not in (BEGIN, END))


@dataclass
class Exercise:
    grade_id: str      # the solution cell the learner edits
    solution: str      # its source without the markers
    answer_var: str    # the variable its stub sets to None (``cost_per_user = None``)
    stores: set[str]
    loads: set[str]


@dataclass
class ModuleKey:
    """What a module asks and how it is graded, from its source notebook."""

    assignment_id: str
    notebook: str                                  # file name, e.g. m1_tool_overload.ipynb
    exercises: dict[str, Exercise]                 # autograded solution code cells, in order
    tests: dict[str, tuple[float, set[str]]]       # test grade_id -> (points, variables it checks)
    written: dict[str, float]                      # manually graded answer cells -> points

    @property
    def max_score(self) -> float:
        return sum(p for p, _ in self.tests.values()) + sum(self.written.values())

    @classmethod
    def read(cls, source_notebook: Path) -> "ModuleKey":
        source_notebook = Path(source_notebook)
        nb = nbformat.read(source_notebook, as_version=4)
        exercises, tests, written = {}, {}, {}
        handle_names = set()
        for cell in nb.cells:
            meta = cell.get("metadata", {}).get("nbgrader", {})
            gid = meta.get("grade_id")
            if not gid:
                continue
            if meta.get("solution") and meta.get("grade"):
                written[gid] = float(meta["points"])  # answered in words: graded by hand
            elif meta.get("solution") and cell.cell_type == "code":
                stub = cell.source.split(BEGIN, 1)[0]
                stub_vars = sorted(_names(stub)[0])
                if len(stub_vars) != 1:
                    raise ValueError(f"{gid}: expected one `answer = None` line before {BEGIN}, got {stub_vars}")
                code = strip_solution(cell.source)
                stores, loads = _names(code)
                exercises[gid] = Exercise(gid, code, stub_vars[0], stores, loads)
            elif meta.get("grade") and cell.cell_type == "code":
                visible = cell.source.split(HIDDEN, 1)[0]
                tree = ast.parse(visible)
                # m1.check("question", variable): the module handle is not an answer
                handle_names |= {n.func.value.id for n in ast.walk(tree) if isinstance(n, ast.Call)
                                 and isinstance(n.func, ast.Attribute) and isinstance(n.func.value, ast.Name)}
                tests[gid] = (float(meta["points"]), _names(visible)[1])
        tests = {gid: (pts, names - handle_names) for gid, (pts, names) in tests.items()}
        return cls(source_notebook.parent.name, source_notebook.name, exercises, tests, written)

    # -- answers ---------------------------------------------------------
    def answers(self, right=(), wrong=(), written: str | None = None) -> dict[str, str]:
        """{grade_id: cell source}: the solution for ``right``, a perturbed one for ``wrong``;
        exercises in neither are left as released (blank). ``written`` goes in every written-answer cell."""
        out = {}
        for gid in right:
            out[gid] = self.exercises[gid].solution
        for gid in wrong:
            ex = self.exercises[gid]
            out[gid] = perturb(ex.solution, ex.answer_var)
        if written is not None:
            out.update({gid: written for gid in self.written})
        return out

    def expected_scores(self, right=(), wrong=()) -> dict[str, float]:
        """Points each autograded test cell deserves, given which exercises were answered right.

        An exercise answered with the solution still comes out wrong when it
        reads a variable that a wrong or blank exercise before it sets (and
        does not compute it again itself).
        """
        right, wrong = set(right), set(wrong)
        if right & wrong or not (right | wrong) <= set(self.exercises):
            raise ValueError(f"bad answer plan: right={right} wrong={wrong}")
        bad = set()  # variables holding a wrong value (or none) after running the notebook
        for gid, ex in self.exercises.items():
            if gid in right and not (ex.loads & bad):
                bad -= ex.stores
            else:
                bad |= ex.stores
        return {gid: (0.0 if names & bad else pts) for gid, (pts, names) in self.tests.items()}


def perturb(solution: str, var: str) -> str:
    """The solution, then one more line that makes its answer wrong (and never silently right)."""
    return (f"{solution}\n"
            f"try:  # a slip\n"
            f"    {var} = {var} + ['not in the data'] if isinstance({var}, list) else {var} * 1.5 + 1\n"
            f"except TypeError:\n"
            f"    {var} = None\n")


# ---------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------
@dataclass
class LearnerResult:
    score: float
    max_score: float
    cells: dict[str, dict] = field(default_factory=dict)  # grade_id -> {auto_score, max_score, needs_manual_grade}
    feedback_files: list[str] = field(default_factory=list)  # paths in the learner's home
    run: list[dict] = field(default_factory=list)  # the learner's own Run All, cell by cell (if asked)
    kernel_peak_mb: float | None = None  # peak memory of the kernel of that Run All

    def auto(self, grade_id: str) -> float | None:
        return self.cells[grade_id]["auto_score"]


# ---------------------------------------------------------------------------
# Steps, one function each (the trainer's and the learners' buttons)
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


def prepare_course(hub: LocalHub, instructor: str, modules: str, kit_dir: Path,
                   course_folder: str = "course", profile: str | None = None, seed: int | None = None,
                   learners: Path | None = None) -> dict:
    """``course workshop --modules ... [--profile P --seed S] [--learners roster.csv] --out ~/course``,
    run as the instructor, from the kit's checkout (``learners``: a roster CSV the instructor can read;
    every learner then works on their own data).

    As a trainer runs it in a terminal of their JupyterLab on the hub (same
    account, groups and environment as their server: the hub's Python env, with
    the kit checkout on PYTHONPATH because the installed package does not carry
    the solutions, which only the instructors' unix group can read).
    Returns the command's workshop.json plus its wall time.
    """
    home = Path(hub.process_env(hub.server_pid(instructor))["HOME"])
    out = home / course_folder
    choice = (["--profile", profile] if profile else []) + (["--seed", str(seed)] if seed is not None else [])
    choice += ["--learners", str(learners)] if learners else []
    t0 = time.monotonic()
    proc = hub.run_as(instructor, ["env", f"PYTHONPATH={kit_dir}", "PYTHONDONTWRITEBYTECODE=1",
                                   str(hub.prefix / "env" / "bin" / "python"), "-m", "course.cli", "workshop",
                                   "--modules", modules, *choice, "--course-id", hub.course_id,
                                   "--out", str(out), "--url", f"{hub.url}/"])
    info = json.loads((out / "workshop.json").read_text())
    info.update(command_s=round(time.monotonic() - t0, 2), stdout=proc.stdout)
    return info


def release_assignment(instructor: UserServer, assignment_id: str, generate: bool = False) -> dict:
    """The formgrader's Release button (after Generate, when ``generate``); returns the assignment's row."""
    if generate:
        _ok(formgrader(instructor, "POST", f"assignment/{assignment_id}/assign"), "generate_assignment")
    _ok(formgrader(instructor, "POST", f"assignment/{assignment_id}/release"), "release_assignment")
    rows = {a["name"]: a for a in formgrader(instructor, "GET", "assignments")}
    if assignment_id not in rows:
        raise HubError(f"the formgrader does not list {assignment_id}: {sorted(rows)}")
    return rows[assignment_id]


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
# Memory and CPU of a server and its kernels (from /proc)
# ---------------------------------------------------------------------------
def _status_kb(pid: int, field_name: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field_name + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def rss_mb(pids) -> float:
    """Resident memory of these processes together, in MB."""
    return round(sum(_status_kb(p, "VmRSS") for p in pids) / 1024, 1)


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (e.g. a server and its kernels), in MB."""
    from hubkit import _descendants
    return rss_mb(_descendants([pid]))


def peak_rss_mb(pid: int) -> float:
    """A process's own high-water mark of resident memory (VmHWM), in MB."""
    return round(_status_kb(pid, "VmHWM") / 1024, 1)


def cpu_seconds(pid: int, children: bool = False) -> float:
    """User + system CPU time a process has used so far (plus its children's that have exited)."""
    import os
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12]) + (int(fields[13]) + int(fields[14]) if children else 0)
    return ticks / os.sysconf("SC_CLK_TCK")


class TreeSampler:
    """Samples a process tree's resident memory in a thread.

    ``peak_mb``: the largest total seen (the process and its children);
    ``peak_children_mb``: the largest seen for the children alone (a
    server's kernels, an instructor's grading kernel and judge).
    """

    def __init__(self, pid: int, every: float = 0.2):
        import threading
        self.pid, self.every, self.peak_mb, self.peak_children_mb = pid, every, 0.0, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        total, own = tree_rss_mb(self.pid), rss_mb([self.pid])
        self.peak_mb = max(self.peak_mb, total)
        self.peak_children_mb = max(self.peak_children_mb, round(total - own, 1))

    def _run(self) -> None:
        while not self._stop.is_set():
            self._sample()
            self._stop.wait(self.every)

    def __enter__(self) -> "TreeSampler":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(5)
        self._sample()


# ---------------------------------------------------------------------------
# The whole round
# ---------------------------------------------------------------------------
def run_workshop_round(hub: LocalHub, assignment_id: str, answers_by_learner: dict[str, dict[str, str]],
                       instructor: str | None = None, timings: dict | None = None,
                       run_all: tuple[str, ...] = ()) -> dict[str, LearnerResult]:
    """Release -> fetch -> answer (-> Run All) -> submit -> collect -> autograde -> feedback -> fetch feedback.

    ``assignment_id`` is an assignment of the instructor's course folder,
    generated and not yet released (``prepare_course``). ``answers_by_learner``
    maps each learner to ``{grade_id: new cell source}`` for every notebook of
    the assignment (a learner with ``{}`` submits the untouched notebook).
    Learners in ``run_all`` run their answered notebook in a kernel of their
    server before submitting; their cells' results are in ``LearnerResult.run``.
    Returns each learner's grades and the feedback files they received.
    Servers are started if they are not running.
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
    release_assignment(teacher, assignment_id)
    t = lap("release_s", t)
    notebooks = {}
    for name in learners:
        notebooks[name] = fetch(servers[name], course_id, assignment_id)
    t = lap("fetch_s", t)
    runs, kernel_peaks = {}, {}
    for name, answers in answers_by_learner.items():
        if answers:
            for path in notebooks[name]:
                answer(servers[name], path, answers)
        if name in run_all:
            t_run = time.monotonic()
            runs[name] = []
            for path in notebooks[name]:
                with servers[name].open_kernel(path) as kernel:
                    runs[name] += kernel.run_notebook(servers[name].get_notebook(path))
                    kernel_peaks[name] = max(kernel_peaks.get(name, 0.0), kernel.peak_mb())
            timings[f"run_all_s[{name}]"] = round(time.monotonic() - t_run, 2)
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
        results[name].run = runs.get(name, [])
        results[name].kernel_peak_mb = kernel_peaks.get(name)
    lap("fetch_feedback_s", t)
    timings["round_trip_s"] = round(time.monotonic() - t_round, 2)
    return results
