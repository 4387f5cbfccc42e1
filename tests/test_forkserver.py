"""Kernels forked from a grading worker's zygote (course.grading.sandbox.forkserver): each one starts as
a fresh kernel would, keeps every limit, and nothing one leaves behind reaches the next or the zygote.

These need the whole sandbox (root, slot users, bubblewrap); where it is missing they skip with a reason
starting "SANDBOX PROTECTION UNAVAILABLE", as tests/test_sandbox.py does.
"""
from __future__ import annotations

import os
import sys
import uuid
from pathlib import Path

import pytest

from course.grading import sandbox
from course.grading.sandbox import forkserver

from test_sandbox import errors, execute, text

pytestmark = pytest.mark.slow   # every test starts sandboxed kernels

BWRAP, _ = sandbox.bwrap_status()
FULL_SANDBOX = BWRAP and os.geteuid() == 0 and sandbox.grader_ids(f"{sandbox.plan.GRADER_USER}-1") is not None


@pytest.fixture(autouse=True)
def jupyter_on_path(monkeypatch):
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")


@pytest.fixture
def room(tmp_path):
    """A grading process's room with one learner's notebook folder in it, beside a course's secrets."""
    if not FULL_SANDBOX:
        pytest.skip("SANDBOX PROTECTION UNAVAILABLE: forked kernels need root, slot users and bubblewrap")
    (tmp_path / "source" / "ps1").mkdir(parents=True)
    (tmp_path / "source" / "ps1" / "ps1.ipynb").write_text("SECRET-SOURCE")
    folder = tmp_path / "room"
    (folder / "alice" / "ps1").mkdir(parents=True)
    yield folder
    server = forkserver._SERVERS.pop(str(folder.resolve()), None)
    if server is not None:
        server.close()


def run(room: Path, *sources: str, **km):
    """Cells run in a kernel forked in room (alice's folder)."""
    return execute(room / "alice" / "ps1", *sources, km={"fork_room": str(room), **km})


PROBE = ("import os, sys, numpy\nprint('preloaded', 'pandas' in sys.modules)\nprint('pid', os.getpid())\n"
         "print('random', numpy.random.rand())\nprint('cwd', os.getcwd())\nprint('HOME', os.environ['HOME'])")


def fields(cell) -> dict[str, str]:
    return dict(line.split(" ", 1) for line in text(cell).splitlines() if " " in line)


def test_a_forked_kernel_starts_as_a_new_one_would(room, tmp_path):
    first, second = fields(run(room, PROBE)[0].cells[0]), fields(run(room, PROBE)[0].cells[0])
    server = forkserver._SERVERS[str(room.resolve())]
    assert first["preloaded"] == second["preloaded"] == "True"       # forked from the zygote: pandas is there
    assert first["pid"] != second["pid"] and first["random"] != second["random"]
    assert first["cwd"] == second["cwd"] == str((room / "alice" / "ps1").resolve())
    assert first["HOME"] == second["HOME"]                             # the same folder, emptied between them
    control = fields(execute(tmp_path / "room" / "alice" / "ps1", PROBE)[0].cells[0])
    assert control["preloaded"] == "False"                            # no room: a kernel of its own, as before
    assert server.alive()


def test_nothing_one_forked_kernel_leaves_reaches_the_next_or_the_zygote(room):
    marker = f"41.{uuid.uuid4().int % 10**6}"
    hostile = (
        "import os, pathlib, subprocess, signal\n"
        "home = pathlib.Path(os.environ['HOME'])\n(home / 'leak.txt').write_text('x')\n"
        "st = pathlib.Path(os.environ['IPYTHONDIR']) / 'profile_default' / 'startup'\n"
        "st.mkdir(parents=True, exist_ok=True)\n(st / '00-evil.py').write_text('print(\"EVIL\")')\n"
        "for place in (os.environ['TMPDIR'], '/tmp', '/dev/shm'):\n"
        "    try:\n        pathlib.Path(place, 'left.txt').write_text('x'); print('wrote', place)\n"
        "    except OSError:\n        pass\n"
        f"subprocess.Popen(['setsid', 'sleep', '{marker}'], start_new_session=True)\n"
        "zygote = os.getppid()\n"
        "for name in ('environ', 'mem', 'fd'):\n"
        "    try:\n        os.listdir(f'/proc/{zygote}/fd') if name == 'fd' else open(f'/proc/{zygote}/{name}', 'rb').read(1)\n"
        "        print('read', name)\n"
        "    except OSError as err:\n        print('refused', name, type(err).__name__)\n")
    out = text(run(room, hostile)[0].cells[0])
    assert out.count("refused") == 3 and "read " not in out, out            # the zygote is not dumpable
    assert "wrote /tmp" in out, out                                          # control: it did leave files
    probe = ("import os, pathlib\n"
             "print('left', [p for p in (os.environ['TMPDIR'], '/tmp', '/dev/shm', os.environ['HOME'])"
             " if any(pathlib.Path(p).rglob('left.txt')) or any(pathlib.Path(p).rglob('leak.txt'))])\n"
             f"print('sleepers', sum('{marker}' in open(f'/proc/{{p}}/cmdline').read() for p in os.listdir('/proc') if p.isdigit()))")
    second = text(run(room, probe)[0].cells[0])
    assert "EVIL" not in second and "left []" in second and "sleepers 0" in second, second
    host = [p for p in Path("/proc").glob("[0-9]*") if marker in _cmdline(p)]
    assert not host, "the first kernel's leftover process should be gone on the host too"


def test_a_kernel_that_stops_or_kills_the_zygote_costs_only_a_new_zygote(room):
    run(room, "print('warm')")
    first = forkserver._SERVERS[str(room.resolve())]
    out = text(run(room, "import os, signal\nos.kill(os.getppid(), signal.SIGSTOP)\nprint('stopped it')")[0].cells[0])
    assert "stopped it" in out
    assert not first.alive()
    after = fields(run(room, PROBE)[0].cells[0])            # the next notebook still runs, in a new zygote
    assert after["preloaded"] == "True"
    assert forkserver._SERVERS[str(room.resolve())] is not first


@pytest.mark.parametrize("how,expect", [("os._exit(1)", "exited with code 1"), ("os.kill(os.getpid(), 9)", "signal 9")])
def test_a_forked_kernel_that_dies_is_reported_as_any_kernel(room, how, expect):
    nb, took = run(room, f"import os; {how}", "print('never')")
    assert errors(nb.cells[0]) == ["DeadKernelError"] and expect in text(nb.cells[0]), text(nb.cells[0])
    assert errors(nb.cells[1]) == ["DeadKernelError"]
    assert took < 60


def test_forked_kernels_keep_the_limits(room):
    nb, _ = run(room, "while True:\n    pass", timeout=100, cpu_seconds=2)
    assert "DeadKernelError" in errors(nb.cells[0]) and "CPU-time limit" in text(nb.cells[0]), text(nb.cells[0])
    nb, _ = run(room, "big = bytearray(4 * 1024**3)", "print('alive')", memory_mb=1024)
    assert errors(nb.cells[0]) == ["MemoryError"] and "alive" in text(nb.cells[1])
    secret = text(run(room, "import pathlib\nprint([p.name for p in pathlib.Path('..', '..', '..').iterdir()])")[0]
                  .cells[0])
    assert "room" in secret and "source" not in secret, secret     # only the room is in the kernel's view
    # the answer key's folder is masked by an empty one, as in every kernel: nothing of it can be imported
    nb, _ = run(room, "import os, course\nkey = os.path.join(os.path.dirname(course.__file__), 'questions')\n"
                      "print('key files', os.listdir(key) if os.path.isdir(key) else 'none')\n"
                      "try:\n    from course.questions import bank_for\n    print('answer key imported')\n"
                      "except ImportError as err:\n    print('no answer key', type(err).__name__)",
                "import course.learner\nprint('learner side', course.learner.__name__)")
    key, control = text(nb.cells[0]), text(nb.cells[1])
    assert "no answer key ImportError" in key and "key files []" in key and "imported" not in key, key
    assert "learner side course.learner" in control, control                   # the learner side imports


def _cmdline(proc: Path) -> str:
    try:
        return (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""
