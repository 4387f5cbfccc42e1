"""End to end: the workshop hub from deploy/ on loopback, one instructor, three learners, a real module.

    .venv/bin/python -m pytest tests/hub -v -s

Installs (cached in $HUB_E2E_PREFIX, default /opt/course-kit-e2e) the hub
environment with deploy/install_single_server.sh, starts JupyterHub with
deploy/jupyterhub_config.py on 127.0.0.1, creates real unix accounts, prepares
the instructor's course folder with `course workshop` (module 1, a non-default
sector profile and seed, whose data travel with the release, and a roster of
the learners' hub logins: every learner works on their own data), runs a full
nbgrader round through the hub's and the servers' REST APIs and websockets,
checks that the solutions stay with root and the instructors, measures a
learner's server with the heaviest module's kernel, and stops everything it
started. Skips (loudly) when not root or without npm.
Set HUB_E2E_INSTALL_KIT=0 to leave the course package out of the hub env
(then only the tests that need no course run), HUB_E2E_KEEP=1 to keep the hub
folder (logs: jupyterhub.log, install.log).
"""
from __future__ import annotations

import contextlib
import csv
import grp
import io
import json
import os
import pwd
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))

from course import data  # noqa: E402
from course.data.variants import VariantData  # noqa: E402
from course.modules import get_module  # noqa: E402
from course.paths import SHIPPED_DATA as SHIPPED  # noqa: E402  (the release's data folder, beside the notebook)
from course.questions import ModuleData, bank_for  # noqa: E402
from hubkit import (INSTRUCTORS_UNIX_GROUP, REPO, LocalHub, _descendants, listening_sockets,  # noqa: E402
                    missing_requirements)
from workshop import (ModuleKey, TreeSampler, cpu_seconds, formgrader, peak_rss_mb,  # noqa: E402
                      prepare_course, rss_mb, run_workshop_round, tree_rss_mb)

# slow; one hub per module: with pytest-xdist use --dist loadgroup to keep the
# tests on one worker (otherwise each worker starts its own hub).
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("hub-e2e")]

# Unix account names: unique per run, so parallel runs (pytest-xdist) never
# share an account.
RUN = os.urandom(2).hex()
INSTRUCTOR = f"e2e-teach-{RUN}"
L1, L2, L3 = (f"e2e-learn{i}-{RUN}" for i in (1, 2, 3))
LEARNERS = [L1, L2, L3]

# The module the round uses: module 1, the first one with several exercises,
# a written answer and every kind of cell (m0 is a tour with one exercise).
MODULE = "m1_tool_overload"
KEY = ModuleKey.read(REPO / "solutions" / MODULE / f"{MODULE}.ipynb")
EXERCISES = list(KEY.exercises)
# The workshop's sector profile and seed: not the kit's default (retail, 2024), which is also what the
# learners' $COURSE_DATASETS holds on the hub, so only the data shipped with the release give these.
PROFILE, SEED = "bank", 7
COMPANY = data.get_profile(PROFILE).company
# The heaviest modules by kernel peak memory (benchmarks/modules.py: m3 about 180 MB, m6 about
# 178 MB, the others 151-175 MB): what the per-learner limit has to hold.
HEAVIEST = ("m3_data_disorder", "m6_capstone")
# The largest group docs/organisers.md plans for: the instructors' limit holds a round of this many.
COHORT = 40

WRITTEN = ("Retire PulseBoard: it costs about 14,000 a year and 3 of its 25 seats were used last month. "
           "Four other categories already sell dashboards. We replace the weekly report with one shared "
           "dashboard and half an hour of reading customer calls; if finance misses a view, we will hear it "
           "in the monthly close and ask them before the renewal.")
# Every learner works on their own data (the workshop's roster lists their hub logins).
# L1: every exercise right, and the written answer.
# L2: every other exercise right, the rest wrong (the solution plus a slip), a short written answer.
# L3: copies L1's numbers into every exercise (typed in, as from a neighbour's screen), no written answer.
PLAN = {
    L1: dict(right=EXERCISES, wrong=[], written=WRITTEN),
    L2: dict(right=EXERCISES[0::2], wrong=EXERCISES[1::2], written="It looks nice in a deck."),
    L3: dict(right=[], wrong=[], written=None, copies=L1),
}


def own_data(learner: str) -> ModuleData:
    """A learner's own data, as the key (on the trusted side) computes it."""
    return ModuleData(VariantData(PROFILE, SEED, learner).frame)


def typed(plain) -> str:
    """Python source giving this plain answer back: what a learner types who copies the numbers."""
    if isinstance(plain, dict):
        return f"pd.Series({plain['values']!r}, index={plain['index']!r}, dtype=float)"
    return repr(plain)


def copied_answers(of: str) -> dict[str, str]:
    """Each exercise's cell, answered with `of`'s numbers typed in."""
    bank, theirs = bank_for(MODULE), own_data(of)
    return {qid: f"import pandas as pd\n{q.variable} = {typed(q.expected_plain(theirs))}\n"
            for qid, q in bank.questions.items() if qid in KEY.exercises}


def answers_of(name: str) -> dict[str, str]:
    plan = PLAN[name]
    found = KEY.answers(plan["right"], plan["wrong"], plan["written"])
    return {**found, **copied_answers(plan["copies"])} if plan.get("copies") else found


def deserved(name: str) -> dict[str, float]:
    """Points each test cell deserves: for a copier, the copied numbers judged on their own data."""
    plan = PLAN[name]
    if not plan.get("copies"):
        return KEY.expected_scores(plan["right"], plan["wrong"])
    bank, theirs, mine = bank_for(MODULE), own_data(plan["copies"]), own_data(name)
    return {gid: (points if bank.get(gid[len("test_"):]).judge(bank.get(gid[len("test_"):]).expected_plain(theirs),
                                                                 mine).passed else 0.0)
            for gid, (points, _) in KEY.tests.items()}

TIMINGS: dict[str, float] = {}


def report(capsys, **numbers):
    TIMINGS.update(numbers)
    with capsys.disabled():
        print("\n[hub-e2e] " + json.dumps(numbers, sort_keys=True))


@pytest.fixture(scope="module")
def hub():
    why = missing_requirements()
    if why:
        pytest.skip(f"HUB END-TO-END TEST SKIPPED: {why}")
    h = LocalHub([INSTRUCTOR], LEARNERS, course_id="e2e-course",
                 install_kit=os.environ.get("HUB_E2E_INSTALL_KIT", "1") != "0",
                 keep_workdir=os.environ.get("HUB_E2E_KEEP") == "1")
    with h:
        yield h


def needs_kit(hub):
    if not hub.install_kit:
        pytest.skip("HUB_E2E_INSTALL_KIT=0: no course package in the hub env, no course to run")


def test_answer_plan_is_a_real_mix():
    """The plan, checked before any hub: computed from the notebook, and a real mix."""
    assert len(EXERCISES) >= 3 and KEY.written, KEY
    full = sum(p for p, _ in KEY.tests.values())
    totals = {n: sum(deserved(n).values()) for n in PLAN}
    assert totals[L1] == full and 0 < totals[L2] < full and totals[L3] < full / 2, totals
    # every learner's own data really differ: the copier's numbers are wrong on their data for most checks
    assert all(set(own_data(a)["stack_inventory"]["annual_cost"]) != set(own_data(b)["stack_inventory"]["annual_cost"])
               for a, b in ((L1, L2), (L1, L3), (L2, L3)))
    # every test cell checks a variable one of the exercises sets
    assert all(names & {ex.answer_var for ex in KEY.exercises.values()} for _, names in KEY.tests.values())
    # the workshop's profile really changes the answers: a right answer on its data is a wrong one on
    # the default data for most checks, so full marks mean the judge read the workshop's data too
    assert (PROFILE, SEED) != (data.DEFAULT_PROFILE, data.DEFAULT_SEED)
    ours, default = (ModuleData(lambda n, p=p, s=s: data.make(n, p, s))
                     for p, s in ((PROFILE, SEED), (data.DEFAULT_PROFILE, data.DEFAULT_SEED)))
    bank = bank_for(MODULE)
    differ = [q for q, question in bank.questions.items()
              if question.expected_plain(ours) != question.expected_plain(default)]
    assert len(differ) > len(bank.questions) / 2, differ


def test_full_round(hub, capsys):
    needs_kit(hub)
    t0 = time.monotonic()
    hub.start_servers([INSTRUCTOR] + LEARNERS)  # all four at once, as at 9 o'clock
    first_start_s = round(time.monotonic() - t0, 2)

    # 1. the trainer prepares the workshop's course folder with the kit's own command, for another
    #    sector than the default (in a terminal of their JupyterLab: the checkout's solutions/ are
    #    readable there only through the instructors' unix group)
    roster = hub.homes / INSTRUCTOR / "roster.csv"
    roster.write_text("name,e-mail,hub username\n" + "".join(f"Learner {i},{n}@example.org,{n}\n"
                                                            for i, n in enumerate(LEARNERS, 1)))
    shutil.chown(roster, INSTRUCTOR)
    prepared = prepare_course(hub, INSTRUCTOR, modules="1", kit_dir=REPO, profile=PROFILE, seed=SEED, learners=roster)
    assert prepared["modules"] == [MODULE] and prepared["course_id"] == hub.course_id, prepared
    assert prepared["variants"] and prepared["learners"] == len(LEARNERS), prepared
    assert (prepared["profile"], prepared["seed"], prepared["company"]) == (PROFILE, SEED, COMPANY), prepared
    course = hub.homes / INSTRUCTOR / "course"
    assert (course / "release" / MODULE / KEY.notebook).exists()
    assert json.loads((course / "source" / MODULE / SHIPPED / "manifest.json").read_text())["profile"] == PROFILE
    assert pwd.getpwuid((course / "gradebook.db").stat().st_uid).pw_name == INSTRUCTOR

    # 2. the round: release, fetch, answer, (run all), submit, collect, autograde, feedback
    answers = {name: answers_of(name) for name in PLAN}
    assert set(answers[L3]) == set(KEY.exercises)
    timings = {}
    people = [INSTRUCTOR] + LEARNERS
    teacher_cpu0 = cpu_seconds(hub.server_pid(INSTRUCTOR), children=True)
    with contextlib.ExitStack() as stack:
        samplers = {n: stack.enter_context(TreeSampler(hub.server_pid(n))) for n in people}
        results = run_workshop_round(hub, MODULE, answers, instructor=INSTRUCTOR, timings=timings,
                                     run_all=(L1, L2))
    teacher_cpu = cpu_seconds(hub.server_pid(INSTRUCTOR), children=True) - teacher_cpu0
    # the instructor's limit holds the grading round's peak (server, sandboxed grading kernels,
    # judge) plus one kernel of their own, plus 25 % (deploy/jupyterhub_config.py)
    own_kernel_mb = max(results[n].kernel_peak_mb for n in (L1, L2))
    teacher_need = (samplers[INSTRUCTOR].peak_mb + own_kernel_mb) * 1.25
    teacher_limit_mb = hub.spawner_limits(role="instructor")[0] / 2**20

    # what the learners fetched: the released module, no solutions, no hidden tests
    fetched = json.dumps(hub.servers[L3].get_notebook(f"{MODULE}/{KEY.notebook}"))
    assert "BEGIN SOLUTION" not in fetched and "HIDDEN TESTS" not in fetched and ".judge(" not in fetched
    # ... and the workshop's data beside the notebook: this profile and seed, this module's data sets
    for name in LEARNERS:
        manifest = json.loads(hub.servers[name].read_text(f"{MODULE}/{SHIPPED}/manifest.json"))
        assert (manifest["profile"], manifest["seed"], manifest["company"]) == (PROFILE, SEED, COMPANY), manifest
        assert sorted(manifest["files"]) == sorted(f"{d}.csv" for d in get_module(MODULE).datasets), manifest
        assert manifest["variants"] is True, manifest
    # the learners' variants of the data stay with the instructor (the judge reads them there)
    assert not any("variants" in e["name"] for e in hub.servers[L1].listdir(f"{MODULE}/{SHIPPED}"))
    # which the learners' kernels on the hub read, ahead of their $COURSE_DATASETS (the kit's default
    # data): the module's welcome line, printed by Module(...) in the setup cell, names the company
    learner_env = hub.process_env(hub.server_pid(L1))
    default_manifest = json.loads((Path(learner_env["COURSE_DATASETS"]) / "manifest.json").read_text())
    assert default_manifest["profile"] == data.DEFAULT_PROFILE != PROFILE
    # ... each learner's own variant of them (their hub login picks it), said at the top
    for name in (L1, L2):
        welcome = [res["text"] for res in results[name].run if " is ready (" in res["text"]]
        assert len(welcome) == 1 and f"({COMPANY}, {PROFILE} profile)" in welcome[0], (name, welcome)
        assert f"Data for {name}." in welcome[0], (name, welcome)

    expected = {name: deserved(name) for name in PLAN}
    for name in LEARNERS:
        r, want = results[name], expected[name]
        total = sum(want.values())
        assert r.max_score == KEY.max_score, (name, r)
        for gid, points in want.items():
            assert r.auto(gid) == points, (name, gid, r.cells[gid])
            assert r.cells[gid]["max_score"] == KEY.tests[gid][0]
        for gid in KEY.written:  # flagged for the trainer exactly when there is something to read
            assert r.cells[gid]["needs_manual_grade"] == (PLAN[name]["written"] is not None), (name, r.cells[gid])
        # nothing graded by hand yet: the score is the autograded part
        assert r.score == total, (name, r)
        # the learner's feedback: ~/<module>/feedback/<timestamp>/<module>.html, with their score
        assert len(r.feedback_files) == 1, r.feedback_files
        assert re.fullmatch(rf"{MODULE}/feedback/[^/]+/{MODULE}\.html", r.feedback_files[0])
        html = hub.servers[name].read_text(r.feedback_files[0])
        assert re.search(rf"Score:\s*{total:.1f}\s*/\s*{KEY.max_score:.1f}", html), name
        # graded on the workshop's data: the grading kernel (in the instructor's sandbox) printed the
        # workshop's company too, and the judge agreed with answers computed on it (the scores above)
        assert f"{COMPANY}, {PROFILE} profile" in html, name
        assert "BEGIN SOLUTION" not in html, name
        # verdicts written by the kit's judge (JudgeOutside), not by the learner's kernel
        passed = sum(1 for p in want.values() if p)
        assert html.count("Passed the grader&#39;s tests") + html.count("Passed the grader's tests") == passed, name
        # graded clean: the integrity report of each submission exists and is empty
        report_file = course / "integrity" / MODULE / f"{name}__{MODULE}.json"
        assert json.loads(report_file.read_text())["flags"] == [], (name, report_file.read_text())
        # ... on their own data: the roster's key, their hub login
        assert json.loads(report_file.read_text())["variant"] == {"key": name, "how": "roster"}, name

    # the learners' own Run All in their kernels on the hub: the checks agree with the grades
    for name in (L1, L2):
        verdicts = {res["grade_id"]: res["text"] for res in results[name].run if res["grade_id"] in KEY.tests}
        assert set(verdicts) == set(KEY.tests), (name, sorted(verdicts))
        for gid, text in verdicts.items():
            assert text.startswith("\u2705" if expected[name][gid] else "\u274c"), (name, gid, text)

    # 3. the gradebook, exported as the guide says (cd ~/course && nbgrader export), agrees
    hub.run_as(INSTRUCTOR, ["nbgrader", "export"], cwd=course)
    rows = {row["student_id"]: row for row in csv.DictReader(io.StringIO((course / "grades.csv").read_text()))
            if row["assignment"] == MODULE}
    assert set(rows) == set(LEARNERS), rows
    for name in LEARNERS:
        assert float(rows[name]["score"]) == sum(expected[name].values()) == results[name].score, rows[name]
        assert float(rows[name]["max_score"]) == KEY.max_score
    # one gradebook, in the course folder (not wherever the formgrader happened to run)
    assert not (hub.homes / INSTRUCTOR / "gradebook.db").exists()

    # learner work stays private: a learner's home is 0700
    assert ((hub.homes / L1).stat().st_mode & 0o777) == 0o700

    # what the hub itself costs: the hub process, the proxy, the idle culler (everything the hub
    # started except the single-user servers and their kernels)
    servers = set().union(*(_descendants([hub.server_pid(n)]) for n in people))
    hub_side = (_descendants([hub.proc.pid]) | {int((hub.state / "jupyterhub-proxy.pid").read_text())}) - servers
    hub_mb = rss_mb(hub_side)
    home_mb = {n: round(sum(f.stat().st_size for f in (hub.homes / n).rglob("*") if f.is_file()) / 2**20, 2)
               for n in people}

    report(capsys, install_s=round(hub.timings["install_s"], 1), hub_start_s=round(hub.timings["hub_start_s"], 2),
           servers_first_start_s=first_start_s, course_workshop_s=prepared["command_s"],
           workshop_prepare_s=prepared["seconds"], **timings,
           scores={n: results[n].score for n in LEARNERS}, max_score=KEY.max_score,
           test_total_s=round(time.monotonic() - t0, 2),
           # each server and its kernels during the round (the instructor's: autograde kernels, judge)
           tree_peak_mb={n: s.peak_mb for n, s in samplers.items()},
           instructor_cpu_s=round(teacher_cpu, 2),
           learner_m1_kernel_peak_mb={n: results[n].kernel_peak_mb for n in (L1, L2)},
           # after the round, no kernel running (the learners' kernels shut down after Run All)
           server_rss_mb={n: tree_rss_mb(hub.server_pid(n)) for n in people},
           hub_and_proxy_mb=hub_mb, home_mb=home_mb)
    assert teacher_need <= teacher_limit_mb, (samplers[INSTRUCTOR].peak_mb, own_kernel_mb, teacher_limit_mb)
    # 4. the formgrader grades the round again: the instructor's limit holds a 40-learner round
    check_instructor_memory_grading(hub, capsys, own_kernel_mb)


def test_solutions_stay_with_instructors(hub, capsys):
    """The kit checkout's solutions/ (source notebooks with their solutions) and the installed answer
    key (course/questions) are root's and the instructors' only; nor do the answers reach learners
    through the exchange, the instructor's course folder or the installed package. Every account has a terminal: checked as each one's
    server runs (same uid and groups), and from inside their kernels."""
    needs_kit(hub)
    servers = hub.start_servers([INSTRUCTOR] + LEARNERS)
    t0 = time.monotonic()
    group = grp.getgrnam(INSTRUCTORS_UNIX_GROUP)
    solutions = REPO / "solutions"
    secret = solutions / MODULE / KEY.notebook
    # the installer's part (deploy/protect_solutions.sh): the group's, nothing for others
    for path in [solutions, *solutions.rglob("*")]:
        st = path.stat()
        assert st.st_gid == group.gr_gid and not st.st_mode & 0o007, (path, oct(st.st_mode))
    # the hub's part: the instructor is in the unix group and their server runs with it; learners never
    assert set(group.gr_mem) & set(hub.users) == {INSTRUCTOR}, group.gr_mem
    for name in hub.users:
        assert (group.gr_gid in hub.process_ids(hub.server_pid(name))[2]) == (name == INSTRUCTOR), name

    home = hub.homes / INSTRUCTOR
    for name in LEARNERS:
        for argv in (["cat", str(secret)], ["ls", str(solutions)], ["ls", str(home)],
                     ["cat", str(home / "course" / "source" / MODULE / KEY.notebook)]):
            out = hub.run_as(name, argv, check=False)
            assert out.returncode != 0 and "Permission denied" in out.stderr, (name, argv, out.stdout[:200])
    assert "BEGIN SOLUTION" in hub.run_as(INSTRUCTOR, ["cat", str(secret)]).stdout
    assert KEY.notebook in hub.run_as(INSTRUCTOR, ["ls", str(solutions / MODULE)]).stdout
    # from a kernel (a child of the server): what a notebook cell can do
    probe = (f"import os\ntry:\n    print(len(open({str(secret)!r}).read()), len(os.listdir({str(solutions)!r})))\n"
             "except PermissionError as e:\n    print('denied', e.errno)")
    for name, want in ((L1, "denied 13"), (INSTRUCTOR, None)):
        with servers[name].open_kernel("probe.ipynb") as kernel:
            out = kernel.execute(probe)
        assert out["status"] == "ok", out
        if want:
            assert out["text"].strip() == want, (name, out["text"])
        else:
            assert out["text"].split()[0].isdigit() and int(out["text"].split()[0]) > 1000, (name, out["text"])

    # the instructor's course folder (source notebooks, gradebook) is in a 0700 home
    assert (home.stat().st_mode & 0o777) == 0o700
    # the exchange: no solution anywhere (releases, submissions, feedback), and no test code at all: every
    # test cell of the source is one `mN.check("qid", variable)` line, judged outside with the answer key
    exchange = [f for f in hub.exchange.rglob("*") if f.is_file()]
    assert any("/feedback/" in str(f) for f in exchange) and any("/outbound/" in str(f) for f in exchange), \
        ("the full round's release and feedback should be in the exchange", sorted(str(f.relative_to(hub.exchange))
                                                                                  for f in exchange)[:40])
    leaks = [f for f in exchange if any(m in f.read_bytes() for m in (b"BEGIN SOLUTION", b"HIDDEN TESTS", b".judge("))]
    assert not leaks, leaks
    source = nbformat.read(solutions / MODULE / KEY.notebook, as_version=4)
    tests = [cell.source for cell in source.cells if cell.cell_type == "code"
             and cell.metadata.get("nbgrader", {}).get("grade") and not cell.metadata["nbgrader"].get("solution")]
    assert tests and all(re.fullmatch(r'm\d\.check\("\w+", \w+\)', t) for t in tests), tests
    # the installed package, which every kernel imports, carries no notebook and no solutions folder, and
    # its answer key (course/questions, which the learner distribution leaves out) is the instructors' only
    site = next((hub.prefix / "env" / "lib").glob("python3*/site-packages"))
    assert (site / "course").is_dir() and not (site / "solutions").exists()
    assert not list((site / "course").rglob("*.ipynb")) and not list((hub.prefix / "datasets").rglob("*.ipynb"))
    for path in [site / "course" / "questions", *(site / "course" / "questions").rglob("*")]:
        st = path.stat()
        assert st.st_gid == group.gr_gid and not st.st_mode & 0o007, (path, oct(st.st_mode))
    py = hub.prefix / "env" / "bin" / "python"
    assert hub.run_as(L1, [str(py), "-c", "import course.paths as p; print(p.solutions_dir().exists())"],
                      cwd="/").stdout.strip() == "False"
    key = "from course.questions import orientation; print(orientation.BANK.module)"
    assert hub.run_as(L1, [str(py), "-c", key], cwd="/", check=False).returncode != 0
    assert hub.run_as(INSTRUCTOR, [str(py), "-c", key], cwd="/").stdout.strip() == "orientation"
    report(capsys, solutions_checks_s=round(time.monotonic() - t0, 2))


def test_learner_memory_heaviest_module(hub, capsys):
    """A learner's server plus one kernel running the heaviest module: what the memory limit must hold.

    The figures behind COURSE_HUB_MEM_LIMIT (deploy/jupyterhub_config.py) and
    docs/organisers.md (Sizing). Re-measure with
    ``.venv/bin/python -m pytest tests/hub -s -k memory`` (prints a [hub-e2e] line per module).
    """
    needs_kit(hub)
    name = L3
    me = hub.start_servers([name])[name]
    pid = hub.server_pid(name)
    limit_bytes, cpu_limit = hub.spawner_limits()
    limit_mb = limit_bytes / 2**20
    worst, peaks = {}, {}
    for module in HEAVIEST:
        assert not me.request("GET", "api/kernels").json(), "measure with no other kernel running"
        idle_mb = tree_rss_mb(pid)
        nb = json.loads((REPO / "solutions" / module / f"{module}.ipynb").read_text())
        with TreeSampler(pid) as sampler:
            with me.open_kernel(f"{module}.ipynb") as kernel:
                kpid = hub.kernel_pid(name, kernel.kernel_id)
                kernel_start_mb = tree_rss_mb(kpid)
                cpu0, server_cpu0, t0 = cpu_seconds(kpid), cpu_seconds(pid), time.monotonic()
                kernel.run_notebook(nb)
                wall, cpu = time.monotonic() - t0, cpu_seconds(kpid) - cpu0
                server_cpu = cpu_seconds(pid) - server_cpu0
                kernel_peak, server_peak = peak_rss_mb(kpid), peak_rss_mb(pid)
                after_mb = tree_rss_mb(pid)
        # each process's peak at its own worst moment: an upper bound of their sum at any moment
        worst[module] = server_peak + kernel_peak
        peaks[module] = (server_peak, kernel_peak)
        report(capsys, module=module, server_idle_mb=idle_mb, kernel_after_start_mb=kernel_start_mb,
               kernel_peak_mb=kernel_peak, server_peak_mb=server_peak,
               server_plus_kernel_peak_mb=round(worst[module], 1), tree_peak_sampled_mb=sampler.peak_mb,
               tree_after_run_mb=after_mb, run_all_s=round(wall, 2), kernel_cpu_s=round(cpu, 2),
               server_cpu_s=round(server_cpu, 2), kernel_cpu_per_wall=round(cpu / wall, 2),
               mem_limit_mb=round(limit_mb), cpu_limit=cpu_limit)
        assert sampler.peak_mb <= worst[module] + 5
    # the configured limit holds what the config's comment derives it from: the server's peak and
    # two kernels of the heaviest module (a second notebook left running), plus 25 %
    need = max(server_peak + 2 * kernel_peak for server_peak, kernel_peak in peaks.values()) * 1.25
    assert need <= limit_mb, (peaks, need, limit_mb)


def check_instructor_memory_grading(hub, capsys, own_kernel: float) -> None:
    """The instructor's server while the formgrader autogrades: what the instructors' limit must hold.

    nbgrader autogrades inside the instructor's JupyterLab server, which keeps
    about 20 MB per autograded submission until it restarts (nbgrader's own
    behaviour, with or without the kit's pipeline). The limit in
    deploy/jupyterhub_config.py is sized for a 40-learner round without a
    restart; this measures the growth again and checks that.
    """
    teacher = hub.start_servers([INSTRUCTOR])[INSTRUCTOR]
    graded = [s["student"] for s in formgrader(teacher, "GET", f"submissions/{MODULE}") if s.get("autograded")]
    assert sorted(graded) == sorted(LEARNERS), graded
    pid = hub.server_pid(INSTRUCTOR)
    rounds = 2
    before = rss_mb([pid])
    with TreeSampler(pid, every=0.05) as sampler:
        for _ in range(rounds):
            for name in LEARNERS:
                result = formgrader(teacher, "POST", f"submission/{MODULE}/{name}/autograde")
                assert result.get("success"), result
    after = rss_mb([pid])
    growth = (after - before) / (rounds * len(LEARNERS))
    # the config's rule: server + growth for the rest of a 40-learner round + grading kernel and
    # judge (the server's children at their peak) + a kernel of the instructor's own, + 25 %
    need = (after + max(0.0, growth) * (COHORT - rounds * len(LEARNERS)) + sampler.peak_children_mb
            + own_kernel) * 1.25
    limit_mb = hub.spawner_limits(role="instructor")[0] / 2**20
    report(capsys, instructor_server_before_mb=before, instructor_server_after_mb=after,
           autogrades=rounds * len(LEARNERS), growth_per_autograde_mb=round(growth, 1),
           grading_children_peak_mb=sampler.peak_children_mb, instructor_tree_peak_mb=sampler.peak_mb,
           instructor_need_for_40_mb=round(need), instructor_mem_limit_mb=round(limit_mb))
    assert need <= limit_mb, (need, limit_mb)


def test_roles_limits_and_login(hub):
    servers = hub.start_servers([INSTRUCTOR] + LEARNERS)
    teacher, learner = servers[INSTRUCTOR], servers[LEARNERS[0]]

    # formgrader: instructors only (server extension off for learners)
    assert teacher.request("GET", "formgrader", ok=None).status_code == 200
    assert learner.request("GET", "formgrader", ok=None).status_code == 404
    # JupyterLab plugins: formgrader / create-assignment hidden for learners
    def disabled_plugins(server):
        html = server.request("GET", "lab").text
        page_config = re.search(r'id="jupyter-config-data" type="application/json">(.*?)</script>', html, re.S)
        return set(json.loads(page_config.group(1))["disabledExtensions"])

    assert {"@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment"} <= disabled_plugins(learner)
    assert not any(p.startswith("@jupyter/nbgrader") for p in disabled_plugins(teacher))

    # each server runs as its own unix account, with the hub's env
    limits = {role: hub.spawner_limits(role) for role in ("learner", "instructor")}
    assert limits["instructor"][0] > limits["learner"][0]  # grading needs more (see the config)
    for name in [INSTRUCTOR] + LEARNERS:
        pid = hub.server_pid(name)
        assert os.stat(f"/proc/{pid}").st_uid == pwd.getpwnam(name).pw_uid
        env = hub.process_env(pid)
        mem_limit, cpu_limit = limits["instructor" if name == INSTRUCTOR else "learner"]
        assert env["MEM_LIMIT"] == str(mem_limit)  # the config's limits, wired through
        assert float(env["CPU_LIMIT"]) == cpu_limit
        assert env["COURSE_ID"] == "e2e-course"
        assert env["NBGRADER_EXCHANGE_ROOT"] == str(hub.exchange)
        role = "instructor" if name == INSTRUCTOR else "learner"
        assert env["COURSE_HUB_ROLE"] == role
        assert env["JUPYTER_CONFIG_PATH"].split(":")[0].endswith(f"/jupyter/{role}")

    # the course's environment: the kit's JupyterLab defaults reach the servers,
    # and a learner's account can import the course and read its data sets
    if hub.install_kit:
        settings = learner.request("GET", "lab/api/settings/@jupyterlab/docmanager-extension:plugin").json()
        assert settings["schema"]["properties"]["autosaveInterval"]["default"] == 30
        env = hub.process_env(hub.server_pid(LEARNERS[0]))
        assert env["COURSE_DATASETS"] == str(hub.prefix / "datasets")
        probe = ("import course.paths as p, os; d = p.datasets_dir(); "
                 "print(d, len([f for f in os.listdir(d) if os.path.isfile(os.path.join(d, f)) "
                 "and open(os.path.join(d, f), 'rb').read(1)]))")
        out = subprocess.run([shutil.which("runuser"), "-u", LEARNERS[0], "--", env["PATH"].split(":")[0] + "/python", "-c", probe],
                             env={"COURSE_DATASETS": env["COURSE_DATASETS"], "HOME": env["HOME"]},
                             capture_output=True, text=True, timeout=60)
        assert out.returncode == 0, out.stderr
        folder, readable = out.stdout.split()
        assert folder == env["COURSE_DATASETS"] and int(readable) > 0

    # hub API: instructors see and manage learners' servers, learners don't
    def hub_get(token, path):
        return hub.api("GET", path, ok=None, headers={"Authorization": f"token {token}"})

    users = hub_get(teacher.token, "/users").json()
    assert {u["name"] for u in users} >= set(LEARNERS)
    assert hub_get(learner.token, "/users").status_code == 403
    groups = {g["name"]: set(g["users"]) for g in hub.api("GET", "/groups").json()}
    assert groups["instructors"] == {INSTRUCTOR}
    assert groups["learners"] == set(LEARNERS)
    # the instructor can open a learner's server (to help) ...
    r = requests.get(f"{learner.base}api/contents", headers={"Authorization": f"token {teacher.token}"}, timeout=30)
    assert r.status_code == 200
    # ... a learner cannot open another learner's
    other = servers[LEARNERS[1]]
    r = requests.get(f"{other.base}api/contents", headers={"Authorization": f"token {learner.token}"}, timeout=30,
                     allow_redirects=False)
    assert r.status_code in (302, 403)

    # nothing the hub started listens beyond loopback
    sockets = listening_sockets(hub.all_pids())
    assert {("127.0.0.1", hub.port), ("127.0.0.1", hub.hub_port), ("127.0.0.1", hub.proxy_api_port)} <= sockets
    assert all(ip == "127.0.0.1" for ip, _ in sockets), sockets

    # login form: learners' shared password, instructors' own password
    learner_pw, instructor_pw = hub.secret("learner-password"), hub.secret("instructor-password")
    assert hub.login(LEARNERS[2], learner_pw)
    assert not hub.login(LEARNERS[2], "wrong-password")
    assert not hub.login(INSTRUCTOR, learner_pw)
    assert hub.login(INSTRUCTOR, instructor_pw)
    assert not hub.login("not-on-roster", learner_pw)


def test_hub_restart_keeps_servers(hub, capsys):
    """Roster change mid-session: `systemctl restart course-hub` must not stop anyone's server."""
    name = LEARNERS[0]
    me = hub.start_servers([name])[name]
    pid = hub.server_pid(name)
    restart_s = hub.restart_hub()
    assert hub.process_alive(pid)
    assert hub.server_pid(name) == pid
    assert hub.server_state(name).get("ready")
    assert me.request("GET", "api/contents").status_code == 200  # through the new proxy, same token
    report(capsys, hub_stop_s=round(hub.last_stop_s, 2), hub_restart_s=round(restart_s, 2))
    # a hub killed outright (a crash, or systemd's SIGKILL after a stop that hung): same promise,
    # and the new hub replaces the proxy the old one left behind
    killed_restart_s = hub.restart_hub(stop_timeout=0)
    assert hub.process_alive(pid)
    assert hub.server_pid(name) == pid
    assert me.request("GET", "api/contents").status_code == 200
    report(capsys, hub_restart_after_sigkill_s=round(killed_restart_s, 2))


def test_server_death_loses_nothing(hub, capsys):
    """What docs/organisers.md promises: a dead server loses nothing that was saved."""
    name = LEARNERS[2]
    me = hub.start_servers([name])[name]
    # (and, on the way: an account in the instructors' unix group that the roster says is a
    # learner, an instructor moved to the learners say, loses the group at its next start)
    subprocess.run(["usermod", "--append", "--groups", INSTRUCTORS_UNIX_GROUP, name], check=True)
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x = 'version 1'")]
    me.put_notebook("work.ipynb", nb)
    me.request("POST", "api/contents/work.ipynb/checkpoints")  # Ctrl+S: save and checkpoint
    nb.cells[0].source = "x = 'version 2, autosaved'"
    me.put_notebook("work.ipynb", nb)  # what JupyterLab's autosave sends

    pid = hub.server_pid(name)
    os.kill(pid, signal.SIGKILL)  # the server dies (out of memory, crash...)
    deadline = time.monotonic() + 10
    while hub.process_alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)

    t0 = time.monotonic()
    me = hub.restart_server(name)
    restart_s = round(time.monotonic() - t0, 2)
    assert hub.server_pid(name) != pid
    assert me.get_notebook("work.ipynb")["cells"][0]["source"] == "x = 'version 2, autosaved'"
    checkpoints = me.request("GET", "api/contents/work.ipynb/checkpoints").json()
    assert len(checkpoints) == 1
    on_disk = hub.homes / name / ".ipynb_checkpoints" / "work-checkpoint.ipynb"
    assert "version 1" in on_disk.read_text()
    group = grp.getgrnam(INSTRUCTORS_UNIX_GROUP)
    assert name not in group.gr_mem and group.gr_gid not in hub.process_ids(hub.server_pid(name))[2]
    report(capsys, restart_after_kill_s=restart_s)
