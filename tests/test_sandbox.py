"""Each protection of course.grading.sandbox, proven by running tiny notebooks in sandboxed kernels.

A protection this machine cannot give is skipped with a reason starting "SANDBOX PROTECTION UNAVAILABLE",
never passed vacuously; every test also checks a control (what the kernel *may* do) so it can fail.
"""
from __future__ import annotations

import os
import resource
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import nbformat  # noqa: E402
from nbclient.exceptions import DeadKernelError  # noqa: E402
from nbformat.v4 import new_code_cell, new_notebook  # noqa: E402
from traitlets.config import Config  # noqa: E402

from course.grading import sandbox  # noqa: E402
from course.grading.sandbox import STATE, GuardedExecute, GuardedKernelManager, SandboxedKernelManager  # noqa: E402

pytestmark = pytest.mark.slow   # every test here starts sandboxed kernels or the sandbox module

BWRAP, BWRAP_WHY = sandbox.bwrap_status()
DROPS_UID = sandbox.grader_ids(f"{sandbox.plan.GRADER_USER}-1") is not None
ROOT = os.geteuid() == 0
MODES = ["auto", "never"] if BWRAP else ["never"]


def need(condition: bool, reason: str) -> None:
    """Skip loudly when the mechanism a protection relies on is missing here."""
    if not condition:
        pytest.skip(f"SANDBOX PROTECTION UNAVAILABLE: {reason}")


@pytest.fixture(autouse=True)
def jupyter_on_path(monkeypatch):
    """Kernels are found and launched from the venv running the tests."""
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")


def make_course(base: Path) -> Path:
    """An nbgrader-like course folder at base; alice's autograded copy is the working copy under test."""
    files = {
        "solutions/answer.txt": "SECRET-SOLUTION",
        "source/ps1/ps1.ipynb": "SECRET-SOURCE",
        "gradebook.db": "SECRET-GRADEBOOK",
        "submitted/bob/ps1/bob.txt": "SECRET-BOB-SUBMITTED",
        "autograded/bob/ps1/bob.txt": "SECRET-BOB-AUTOGRADED",
        "autograded/alice/ps1/data.csv": "alice-own-data",
        "README.txt": "public-readme",
    }
    base.chmod(0o755)  # as a real course folder is
    for rel, content in files.items():
        (base / rel).parent.mkdir(parents=True, exist_ok=True)
        (base / rel).write_text(content)
    return base


@pytest.fixture
def course(tmp_path: Path) -> Path:
    """A course in pytest's tmp_path (its parents are 0700: only bubblewrap lets course-grader in)."""
    return make_course(tmp_path)


@pytest.fixture
def open_course():
    """A course whose parents are world-traversable, so the no-bubblewrap fallback can drop to course-grader."""
    import shutil
    import tempfile
    base = Path(tempfile.mkdtemp(prefix="sbx-test-course-", dir="/tmp"))
    yield make_course(base)
    shutil.rmtree(base, ignore_errors=True)


def workdir_of(course: Path) -> Path:
    """alice's working copy."""
    return course / "autograded" / "alice" / "ps1"


def execute(workdir: Path, *sources: str, km: dict | None = None, **ex) -> tuple[nbformat.NotebookNode, float]:
    """Run cells in a sandboxed kernel with cwd=workdir; return the executed notebook and seconds taken."""
    config = Config()
    for name, value in (km or {}).items():
        setattr(config.SandboxedKernelManager, name, value)
    ex.setdefault("timeout", 30)
    ex.setdefault("notebook_timeout", 120)
    nb = new_notebook(cells=[new_code_cell(s) for s in sources],
                      metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    start = time.monotonic()
    nb, _ = GuardedExecute(config=config, **ex).preprocess(nb, {"metadata": {"path": str(workdir)}})
    return nb, time.monotonic() - start


def text(cell) -> str:
    """Everything a cell showed: streams, results and 'Ename: evalue' for errors."""
    parts = []
    for out in cell.outputs:
        if out.output_type == "stream":
            parts.append(out.text)
        elif out.output_type == "error":
            parts.append(f"{out.ename}: {out.evalue}\n")
        elif "data" in out:
            parts.append(out.data.get("text/plain", ""))
    return "".join(parts)


def errors(cell) -> list[str]:
    """The error names a cell shows."""
    return [out.ename for out in cell.outputs if out.output_type == "error"]




# ----------------------------------------------------------------------------- reporting and wiring

def test_describe_protection_runs_as_a_module():
    out = subprocess.run([sys.executable, "-m", "course.grading.sandbox"], capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parents[1], timeout=60)
    assert out.returncode == 0, out.stderr
    assert "limits via" in out.stdout and "NOT " in out.stdout
    assert ("bwrap works" in out.stdout) == BWRAP


def test_the_sandbox_is_a_setting_of_the_one_execute_step(course):
    from course.grading.config import autograde_pipeline

    steps = [p for p in autograde_pipeline() if isinstance(p, type) and issubclass(p, GuardedExecute)]
    assert steps == [GuardedExecute], "the kit's pipeline runs learner kernels in exactly one Execute step"
    config = Config()
    config.GuardedExecute.sandbox = False
    assert GuardedExecute(config=config).kernel_manager_class is GuardedKernelManager
    assert GuardedExecute().kernel_manager_class is SandboxedKernelManager
    code = "import os; print(os.environ['HOME'])"
    shown = {}
    for on in (True, False):
        nb, _ = execute(workdir_of(course), code, sandbox=on)
        shown[on] = text(nb.cells[0])
    assert "course-sbx-" in shown[True] and "course-sbx-" not in shown[False], shown


def test_a_dead_kernel_is_recorded_for_the_integrity_report(course):
    nb = new_notebook(cells=[new_code_cell("print('ran')"), new_code_cell("import os; os._exit(1)"),
                             new_code_cell("print('never')")],
                      metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    resources = {"metadata": {"path": str(workdir_of(course))}, STATE: {}}
    nb, resources = GuardedExecute(timeout=30).preprocess(nb, resources)
    assert "ran" in text(nb.cells[0])
    assert "died" in resources[STATE]["kernel_failure"]
    assert errors(nb.cells[2]) == ["DeadKernelError"] and "never" not in text(nb.cells[2])


# ----------------------------------------------------------------------------- control: normal work still works

@pytest.mark.parametrize("mode", MODES)
def test_kernel_works_in_its_own_working_copy(course, tmp_path, mode):
    work = workdir_of(course)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    nb, _ = execute(work, "import os; print(os.getcwd()); print(open('data.csv').read())",
                    "open('answer_out.txt', 'w').write('done'); print('wrote')",
                    km={"use_bwrap": mode, "scratch_root": str(scratch)})
    assert str(work) in text(nb.cells[0]) and "alice-own-data" in text(nb.cells[0])
    assert "wrote" in text(nb.cells[1])
    assert (work / "answer_out.txt").read_text() == "done"
    assert (work / "answer_out.txt").stat().st_uid == os.geteuid(), "working copy not given back to its owner"
    assert not list(scratch.iterdir()), "scratch dirs left behind"


def test_private_0700_working_copy_still_works(course):
    work = workdir_of(course)
    work.chmod(0o700)
    nb, _ = execute(work, "import os; print(os.getcwd()); print(open('data.csv').read())")
    assert "alice-own-data" in text(nb.cells[0]), text(nb.cells[0])
    assert work.stat().st_uid == os.geteuid() and (work.stat().st_mode & 0o777) == 0o700


# ----------------------------------------------------------------------------- time limits

@pytest.mark.parametrize("mode", MODES)
def test_infinite_loop_stopped_by_cell_timeout(course, mode):
    nb, took = execute(workdir_of(course), "import time\nwhile True:\n    time.sleep(0.05)", "print('after')",
                       timeout=3, km={"use_bwrap": mode})
    assert errors(nb.cells[0]), "the endless cell should show an error"
    assert "after" in text(nb.cells[1]), "the interrupted kernel should run the next cell"
    assert took < 30


def test_kernel_ignoring_interrupts_is_stopped(course):
    stubborn = "import signal, time\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    time.sleep(0.05)"
    nb, took = execute(workdir_of(course), stubborn, "print('never')", timeout=3)
    assert errors(nb.cells[0]) == ["CellTimeoutError"]
    assert errors(nb.cells[1]) == ["CellTimeoutError"] and "never" not in text(nb.cells[1])
    assert took < 40


def test_notebook_timeout_marks_remaining_cells(course):
    nb, took = execute(workdir_of(course), *["import time; time.sleep(2); print('slept')"] * 8,
                       timeout=30, notebook_timeout=8)
    assert "slept" in text(nb.cells[0]), "control: the first cell fits in the time limit"
    assert errors(nb.cells[-1]) == ["NotebookTimeoutError"] and "slept" not in text(nb.cells[-1])
    assert took < 30


def test_wall_time_kill_switch(course):
    nb, took = execute(workdir_of(course), "import time; time.sleep(120)", "print('never')",
                       timeout=100, notebook_timeout=0, km={"wall_seconds": 4})
    assert "DeadKernelError" in errors(nb.cells[0]) and "wall-time" in text(nb.cells[0])
    assert errors(nb.cells[1]) == ["DeadKernelError"]
    assert took < 40


def test_cpu_time_limit_kills_busy_loop(course):
    nb, took = execute(workdir_of(course), "while True:\n    pass", timeout=100, km={"cpu_seconds": 2})
    assert "DeadKernelError" in errors(nb.cells[0]) and "CPU-time limit" in text(nb.cells[0])
    assert took < 40


# ----------------------------------------------------------------------------- memory, processes, files

def test_memory_bomb_stopped_without_hurting_the_grader(course):
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    nb, _ = execute(workdir_of(course), "big = bytearray(4 * 1024**3)",
                    "hog = []\nwhile True:\n    hog.append(bytearray(64 * 1024**2))",
                    "hog = None; print('kernel alive')", km={"memory_mb": 512})
    assert errors(nb.cells[0]) == ["MemoryError"]
    assert errors(nb.cells[1]) == ["MemoryError"]
    assert "kernel alive" in text(nb.cells[2])
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before < 200 * 1024  # KiB


@pytest.mark.parametrize("mode", MODES)
def test_fork_bomb_limited_and_cleaned_up(open_course, mode):
    need(DROPS_UID or not ROOT, "kernels stay root here (no course-grader user), and RLIMIT_NPROC ignores root")
    course = open_course
    marker = f"31.{uuid.uuid4().int % 10**6}"
    code = ("import os\nn = 0\ntry:\n    for _ in range(300):\n        if os.fork() == 0:\n"
            f"            os.execvp('sleep', ['sleep', '{marker}'])\n        n += 1\n"
            "except OSError as err:\n    print('stopped', err.errno)\nprint('forked', n)")
    # RLIMIT_NPROC counts every task of a uid: a user of its own keeps this bomb from starving the kernels
    # other tests start at the same time as course-grader (and theirs from eating its allowance).
    nb, _ = execute(workdir_of(course), code,
                    km={"max_processes": 40, "use_bwrap": mode, "run_as_user": f"course-fork-{mode}"})
    out = text(nb.cells[0])
    assert "stopped 11" in out, out  # EAGAIN
    assert int(out.split("forked")[1]) < 40
    time.sleep(0.5)
    leftovers = [p for p in Path("/proc").glob("[0-9]*") if marker in _cmdline(p)]
    if mode == "auto":
        assert not leftovers, "the pid namespace should have taken the children down with the kernel"


def test_a_kernel_starts_while_another_holds_every_thread_it_may_have(course, tmp_path):
    """Issue 14, case 2: RLIMIT_NPROC is per uid, and each running kernel has a uid of its own."""
    import threading

    need(DROPS_UID, "kernels stay root here (no slot users), and RLIMIT_NPROC ignores root")
    other = tmp_path / "other"
    other.mkdir()
    other.chmod(0o755)
    grab = ("import os, threading, time\nthreading.stack_size(64 * 1024)\nheld, end = [], time.monotonic() + 25\n"
            "while time.monotonic() < end:\n    try:\n"
            "        t = threading.Thread(target=time.sleep, args=(end - time.monotonic() + 0.2,), daemon=True)\n"
            "        t.start(); held.append(t)\n    except RuntimeError:\n        time.sleep(0.01)\n"
            "print('uid', os.getuid(), 'held', len(held))")
    result = {}
    grabber = threading.Thread(target=lambda: result.update(nb=execute(workdir_of(course), grab)[0]))
    grabber.start()
    time.sleep(6)   # the grab is at its limit now, and stays there for 19 s more
    started, took = execute(other, "import os; print('uid', os.getuid(), 'started')")
    grabber.join()
    grabbed, honest = text(result["nb"].cells[0]), text(started.cells[0])
    assert "started" in honest and took < 19, (honest, took)   # it started and ran while the grab held
    held = int(grabbed.split("held")[1])
    assert 20 < held < 64, grabbed          # it did reach its own limit (64 tasks), kernel threads included
    assert grabbed.split()[1] != honest.split()[1], (grabbed, honest)   # two uids


def test_data_the_grading_user_cannot_read_is_a_clear_error(course, tmp_path):
    need(DROPS_UID and BWRAP, "kernels do not switch to the course-grader user here")
    private = tmp_path / "private-data"
    private.mkdir(mode=0o700)
    with pytest.raises(PermissionError) as refused:
        execute(workdir_of(course), "print('never')", km={"extra_ro_paths": [str(private)]})
    assert str(private) in str(refused.value) and "readable by everyone" in str(refused.value)
    private.chmod(0o755)  # control: once readable, the same kernel starts
    nb, _ = execute(workdir_of(course), "print('started')", km={"extra_ro_paths": [str(private)]})
    assert "started" in text(nb.cells[0])


def _cmdline(proc: Path) -> str:
    """A /proc entry's command line, or '' if it vanished."""
    try:
        return (proc / "cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return ""


def test_file_size_limit(course):
    nb, _ = execute(workdir_of(course), "open('small.bin', 'wb').write(b'x' * 1000); print('small ok')",
                    "open('big.bin', 'wb').write(b'x' * 5 * 1024**2)", km={"max_file_mb": 1})
    assert "small ok" in text(nb.cells[0])
    assert errors(nb.cells[1]) == ["OSError"] and "File too large" in text(nb.cells[1])
    assert (workdir_of(course) / "big.bin").stat().st_size <= 1024**2


def test_outputs_are_bounded_as_they_arrive_and_the_cell_says_so(course):
    import json

    code = ("from IPython.display import display\n"
            "first = display({'text/plain': 'a' * 400_000}, raw=True, display_id=True)\n"
            "for i in range(8):\n    display({'text/plain': 'b' * 400_000}, raw=True, display_id=f'd{i}')\n"
            "first.update({'text/plain': 'updated'}, raw=True)\n"
            "display({'text/plain': 'c' * 1_500_000}, raw=True)\nprint('done')")
    nb, _ = execute(workdir_of(course), code, "print('next cell runs')",
                    max_output_bytes=1_000_000, max_notebook_output_bytes=2_000_000)
    kept = json.dumps(nb.cells[0].outputs)
    assert len(kept) < 2_200_000, len(kept)
    assert "updated" in kept and "done" in kept, "control: small outputs and updates are kept"
    notes = [o.metadata["course_cut"] for o in nb.cells[0].outputs if "course_cut" in o.get("metadata", {})]
    assert [n for n in notes if "passed 1.9 MB in total" in n] == notes[:1], notes  # one note for what it refused
    assert "it was 1.4 MB" in kept
    assert "next cell runs" in text(nb.cells[1])


# ----------------------------------------------------------------------------- filesystem

@pytest.mark.parametrize("mode", MODES)
def test_write_outside_working_copy_fails(course, open_course, mode):
    if mode == "never":
        need(DROPS_UID, "without bubblewrap only the course-grader uid blocks writes, and it cannot be used here")
        course = open_course
    work = workdir_of(course)
    tag = uuid.uuid4().hex
    targets = [work.parent / f"leak-{tag}", course / f"leak-{tag}", course / "solutions" / f"leak-{tag}",
               course / "autograded" / "bob" / "ps1" / f"leak-{tag}", Path.home() / f"leak-{tag}"]
    private_tmp = Path("/tmp") / f"leak-{tag}"  # bubblewrap: a private tmpfs; without it /tmp is shared (documented)
    if mode == "auto":
        targets.append(private_tmp)
    code = ("import os\nprint('uid', os.getuid())\nfor t in %r:\n    try:\n"
            "        open(t, 'w').write('x'); print('WROTE', t)\n"
            "    except OSError as err:\n        print('DENIED', t, type(err).__name__)\n"
            "open('own-%s', 'w').write('x'); print('own ok')") % ([str(t) for t in targets], tag)
    nb, _ = execute(work, code, km={"use_bwrap": mode})
    out = text(nb.cells[0])
    assert "own ok" in out and (work / f"own-{tag}").exists()
    leaked = [t for t in targets if t.exists()]
    for t in leaked:
        t.unlink()
    assert not leaked, f"kernel wrote outside its working copy: {leaked}\n{out}"
    assert out.count("DENIED") == len(targets) - (mode == "auto")
    assert mode == "never" or f"WROTE {private_tmp}" in out


SECRETS = ["solutions/answer.txt", "source/ps1/ps1.ipynb", "gradebook.db", "submitted/bob/ps1/bob.txt",
           "autograded/bob/ps1/bob.txt"]


def _read_all_code(course: Path, names: list[str]) -> str:
    """Cell code printing the content of each course file it can read, or DENIED."""
    paths = [str(course / n) for n in names]
    return ("for p in %r:\n    try:\n        print('READ', p, open(p).read())\n"
            "    except OSError as err:\n        print('DENIED', p, type(err).__name__)") % paths


@pytest.mark.parametrize("expose_course_root", [False, True], ids=["course-not-mounted", "course-mounted-ro"])
def test_cannot_read_solutions_gradebook_or_other_learners(course, expose_course_root):
    need(BWRAP, f"reading solutions/gradebook/other learners is only blocked by bubblewrap: {BWRAP_WHY}")
    km = {"extra_ro_paths": [str(course)]} if expose_course_root else {}
    nb, _ = execute(workdir_of(course), _read_all_code(course, SECRETS + ["README.txt"]),
                    "print(open('data.csv').read()); open('w.txt', 'w').write('x'); print('own rw ok')", km=km)
    out = text(nb.cells[0])
    assert "SECRET" not in out, out
    assert out.count("DENIED") == len(SECRETS) + (0 if expose_course_root else 1), out
    if expose_course_root:
        assert "public-readme" in out, "course root should be readable when mounted (control)"
    assert "alice-own-data" in text(nb.cells[1]) and "own rw ok" in text(nb.cells[1])


def test_links_and_fifos_left_in_working_copy_are_removed(course):
    work = workdir_of(course)
    nb, _ = execute(work, "import os\nos.symlink('/etc/passwd', 'evil.ipynb')\nos.mkfifo('trap')\n"
                          "open('keep.txt', 'w').write('k'); print('made')")
    assert "made" in text(nb.cells[0])
    assert not os.path.lexists(work / "evil.ipynb") and not os.path.lexists(work / "trap")
    assert (work / "keep.txt").read_text() == "k"


# ----------------------------------------------------------------------------- no state shared between kernels

@pytest.mark.parametrize("mode", MODES)
def test_nothing_written_by_one_kernel_reaches_the_next(course, mode, monkeypatch):
    monkeypatch.setenv("COURSE_TRAINER_SECRET", "s3cret")
    first = ("import os, pathlib\nh = pathlib.Path(os.environ['HOME'])\n(h / 'leak.txt').write_text('x')\n"
             "st = pathlib.Path(os.environ['IPYTHONDIR']) / 'profile_default' / 'startup'\n"
             "st.mkdir(parents=True, exist_ok=True)\n(st / '00-evil.py').write_text('print(\"EVIL\")')\n"
             "(pathlib.Path(os.environ['TMPDIR']) / 't.txt').write_text('x')\nprint('HOME', h)")
    nb1, _ = execute(workdir_of(course), first, km={"use_bwrap": mode})
    home1 = text(nb1.cells[0]).split("HOME ")[1].strip()
    assert home1 and not Path(home1).exists(), "first kernel's HOME should be deleted after it"
    second = ("import os, pathlib\nprint('HOME', os.environ['HOME'])\n"
              f"print('seen', pathlib.Path({home1!r}, 'leak.txt').exists())\n"
              "print('leak', (pathlib.Path.home() / 'leak.txt').exists())\n"
              "print('env', {k: os.environ.get(k) for k in ['PYTHONNOUSERSITE', 'COURSE_TRAINER_SECRET']})\n"
              "print('dirs', all(os.environ[k].startswith(os.environ['HOME']) for k in "
              "['IPYTHONDIR', 'JUPYTER_CONFIG_DIR', 'JUPYTER_DATA_DIR', 'MPLCONFIGDIR']))")
    nb2, _ = execute(workdir_of(course), second, km={"use_bwrap": mode})
    out = text(nb2.cells[0])
    assert "EVIL" not in out and "seen False" in out and "leak False" in out, out
    assert f"HOME {home1}" not in out
    assert "'PYTHONNOUSERSITE': '1'" in out and "'COURSE_TRAINER_SECRET': None" in out
    assert "dirs True" in out


# ----------------------------------------------------------------------------- dying kernels

@pytest.mark.parametrize("how,expect", [("os._exit(1)", "exited with code 1"),
                                        ("os.kill(os.getpid(), 9)", "signal 9")])
def test_dead_kernel_reported_as_error_not_hang(course, how, expect):
    nb, took = execute(workdir_of(course), f"import os; {how}", "print('never')")
    assert errors(nb.cells[0]) == ["DeadKernelError"] and expect in text(nb.cells[0]), text(nb.cells[0])
    assert errors(nb.cells[1]) == ["DeadKernelError"] and "never" not in text(nb.cells[1])
    assert took < 60


def test_dead_kernel_can_raise_instead(course):
    with pytest.raises(DeadKernelError):
        execute(workdir_of(course), "import os; os._exit(3)", raise_on_kernel_death=True)


# ----------------------------------------------------------------------------- network

def test_network_is_cut_off(course):
    need(BWRAP, f"network isolation needs bubblewrap: {BWRAP_WHY}")
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    port = server.getsockname()[1]
    code = ("import socket\ntry:\n    socket.create_connection(('127.0.0.1', %d), timeout=3); print('CONNECTED')\n"
            "except OSError as err:\n    print('BLOCKED', type(err).__name__)") % port
    try:
        isolated, _ = execute(workdir_of(course), code)
        shared, _ = execute(workdir_of(course), code, km={"network": "loopback"})
    finally:
        server.close()
    assert "BLOCKED" in text(isolated.cells[0]), text(isolated.cells[0])
    assert "CONNECTED" in text(shared.cells[0]), "control: loopback mode should reach the host"


def test_manager_reports_launch_plan(course):
    km = SandboxedKernelManager()
    plan = km.make_plan(workdir_of(course))
    try:
        assert plan.workdir == workdir_of(course) and plan.use_bwrap == BWRAP
        assert course / "solutions" in plan.deny and course / "gradebook.db" in plan.deny
    finally:
        import shutil
        shutil.rmtree(plan.scratch)
