"""End to end: the workshop hub from deploy/ on loopback, one instructor, three learners.

    /work/venv/bin/python -m pytest tests/hub -v -s

Installs (cached in $HUB_E2E_PREFIX, default /opt/course-kit-e2e) the hub
environment with deploy/install_single_server.sh, starts JupyterHub with
deploy/jupyterhub_config.py on 127.0.0.1, creates real unix accounts, runs a
full nbgrader round through the hub's and the servers' REST APIs, and stops
everything it started. Skips (loudly) when not root or without npm.
Set HUB_E2E_INSTALL_KIT=0 to leave the course package out of the hub env,
HUB_E2E_KEEP=1 to keep the hub folder (logs: jupyterhub.log, install.log).
"""
from __future__ import annotations

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

from hubkit import LocalHub, listening_sockets, missing_requirements  # noqa: E402
from workshop import (RIGHT, WRONG, make_toy_assignment, run_workshop_round,  # noqa: E402
                      solution_answers, tree_rss_mb)

# slow; one hub per module: with pytest-xdist use --dist loadgroup to keep the
# four tests on one worker (otherwise each worker starts its own hub).
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("hub-e2e")]

# Unix account names: unique per run, so parallel runs (pytest-xdist) never
# share an account.
RUN = os.urandom(2).hex()
INSTRUCTOR = f"e2e-teach-{RUN}"
L1, L2, L3 = (f"e2e-learn{i}-{RUN}" for i in (1, 2, 3))
LEARNERS = [L1, L2, L3]

# L1: right code + written answer; L2: wrong code + written answer;
# L3: right code (the solution's), leaves the written answer blank.
ANSWERS = {
    L1: {"squares": RIGHT, "explain": "Because reality pays the bills."},
    L2: {"squares": WRONG, "explain": "It looks nice in a deck."},
    L3: {"squares": RIGHT},
}
EXPECTED_AUTO = {L1: 2.0, L2: 0.0, L3: 2.0}
EXPECTED_NEEDS_MANUAL = {L1: True, L2: True, L3: False}

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


def test_full_round(hub, tmp_path, capsys):
    t0 = time.monotonic()
    source = make_toy_assignment(tmp_path, "ps1")
    # L3 answers with the instructor's own solution (as the real course's tests can)
    answers = dict(ANSWERS, **{L3: solution_answers(source / "ps1.ipynb")})
    assert answers[L3]["squares"].strip() == "def squares(n):\n    return [i * i for i in range(1, n + 1)]"
    timings = {}
    results = run_workshop_round(hub, source, answers, instructor=INSTRUCTOR, timings=timings)

    for name in LEARNERS:
        r = results[name]
        assert r.max_score == 3.0, (name, r)
        assert r.auto("test_squares") == EXPECTED_AUTO[name], (name, r.cells)
        assert r.cells["explain"]["needs_manual_grade"] == EXPECTED_NEEDS_MANUAL[name], (name, r.cells)
        # nothing graded by hand yet: the score is the autograded part
        assert r.score == EXPECTED_AUTO[name], (name, r)
        # the learner got their feedback: ~/ps1/feedback/<timestamp>/ps1.html, with their score
        assert len(r.feedback_files) == 1 and re.fullmatch(r"ps1/feedback/[^/]+/ps1\.html", r.feedback_files[0])
        html = hub.servers[name].read_text(r.feedback_files[0])
        assert re.search(rf"Score:\s*{EXPECTED_AUTO[name]:.1f}\s*/\s*3\.0", html), name
    # learner work stays private: a learner's home is 0700
    home = hub.homes / LEARNERS[0]
    assert (home.stat().st_mode & 0o777) == 0o700

    report(capsys, install_s=round(hub.timings["install_s"], 1), hub_start_s=round(hub.timings["hub_start_s"], 2),
           servers_start_s=round(hub.timings["servers_start_s"], 2), **timings,
           test_total_s=round(time.monotonic() - t0, 2),
           # a data point for sizing, not a benchmark: servers with no kernel running
           server_rss_mb={n: tree_rss_mb(hub.server_pid(n)) for n in [INSTRUCTOR] + LEARNERS})


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
    for name in [INSTRUCTOR] + LEARNERS:
        pid = hub.server_pid(name)
        assert os.stat(f"/proc/{pid}").st_uid == pwd.getpwnam(name).pw_uid
        env = hub.process_env(pid)
        assert env["MEM_LIMIT"] == str(512 * 1024 * 1024)  # PLACEHOLDER limit, wired through
        assert float(env["CPU_LIMIT"]) == 1.0
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
                 "print(d, len([f for f in os.listdir(d) if open(os.path.join(d, f), 'rb').read(1)]))")
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
    report(capsys, hub_restart_s=round(restart_s, 2))


def test_server_death_loses_nothing(hub, capsys):
    """What docs/organisers.md promises: a dead server loses nothing that was saved."""
    name = LEARNERS[2]
    me = hub.start_servers([name])[name]
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
    report(capsys, restart_after_kill_s=restart_s)
