"""Unit tests of the sandbox's pure parts and of its slots: no kernel is started here.

- plan: the launch command, the bubblewrap view and the kernel's environment, built from a Plan;
- outputs: what the kernel client decodes and keeps of a message (size, digits, depth, budget);
- workdir: what is left of a working copy after a kernel;
- slots: two kernels at once never share a uid, and nothing outlives a slot.
"""
from __future__ import annotations

import json
import os
import stat
import subprocess
import time
from pathlib import Path

import pytest

from course.grading.sandbox import slots
from course.grading.sandbox.outputs import Budget, GuardedSession, depth_over
from course.grading.sandbox.plan import Limits, Plan, bwrap_args, kernel_env, secret_paths, wrap_command
from course.grading.sandbox.workdir import take_back

ROOT = os.geteuid() == 0


def plan(tmp_path: Path, **changes) -> Plan:
    work, scratch = tmp_path / "course" / "autograded" / "alice" / "m1", tmp_path / "scratch"
    work.mkdir(parents=True)
    scratch.mkdir()
    fields = dict(workdir=work, scratch=scratch, limits=Limits(), use_bwrap=True, ids=(1234, 1234),
                  isolate_network=True, ro_paths=[tmp_path / "course"], deny=[tmp_path / "course" / "solutions"])
    fields.update(changes)
    return Plan(**fields)


def test_the_command_applies_limits_then_bubblewrap_then_the_uid_drop(tmp_path):
    (tmp_path / "course" / "solutions").mkdir(parents=True)
    cmd = wrap_command(["python", "-m", "ipykernel_launcher"], plan(tmp_path))
    assert cmd[0] == "prlimit" and "--nproc=64:64" in cmd and "--as=%d:%d" % ((1024 * 2**20,) * 2) in cmd
    bwrap, setpriv = cmd.index(next(c for c in cmd if c.endswith("bwrap"))), cmd.index("setpriv")
    assert bwrap < setpriv < cmd.index("ipykernel_launcher")
    assert "--reuid=1234" in cmd and "--no-new-privs" in cmd and "--unshare-net" in cmd


def test_a_secret_inside_a_readable_path_is_masked_and_the_workdir_is_the_only_writable_bind(tmp_path):
    (tmp_path / "course" / "solutions").mkdir(parents=True)
    p = plan(tmp_path)
    args = bwrap_args(p)
    solutions = str(tmp_path / "course" / "solutions")
    assert ["--tmpfs", solutions] == args[args.index(solutions) - 1: args.index(solutions) + 1]
    writable = [args[i + 2] for i, a in enumerate(args) if a == "--bind"]
    assert writable == [str(p.scratch), str(p.workdir)]


def test_without_network_isolation_there_is_no_net_namespace(tmp_path):
    assert "--unshare-net" not in bwrap_args(plan(tmp_path / "a", isolate_network=False))
    assert "bwrap" not in " ".join(wrap_command(["python"], plan(tmp_path / "b", use_bwrap=False, ids=None)))


def test_secret_paths_near_the_workdir(tmp_path):
    top = tmp_path / "course"
    for name in ("source", "submitted", "feedback"):
        (top / name).mkdir(parents=True)
    (top / "gradebook.db").write_text("")
    work = top / "autograded" / "alice" / "m1"
    work.mkdir(parents=True)
    found = secret_paths(work)
    assert {top / "source", top / "submitted", top / "feedback", top / "gradebook.db", top / "autograded"} <= set(found)
    assert work not in found


def test_the_kernel_environment_is_an_allow_list(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_TRAINER_TOKEN", "secret")
    monkeypatch.setenv("LANG", "C.UTF-8")
    env = kernel_env(plan(tmp_path), ["/opt/kit"], {"EXTRA": "1"})
    assert "COURSE_TRAINER_TOKEN" not in env and env["EXTRA"] == "1" and env["PYTHONPATH"] == "/opt/kit"
    assert env["HOME"].startswith(str(tmp_path / "scratch")) and env["PYTHONNOUSERSITE"] == "1"


def test_limits_switch_off_at_zero():
    limits = Limits(memory_mb=0, cpu_seconds=0, max_processes=0).rlimits()
    assert "as" not in limits and "cpu" not in limits and "nproc" not in limits and limits["core"] == (0, 0)


# ----------------------------------------------------------------------------- outputs

def session(**caps) -> GuardedSession:
    s = GuardedSession(key=b"")
    for name, value in caps.items():
        setattr(s, name, value)
    return s


def test_a_small_output_is_decoded_as_sent():
    content = {"data": {"text/plain": "42"}, "metadata": {}}
    assert session().bounded("display_data", json.dumps(content).encode()) == content


def test_an_oversized_output_becomes_a_note_without_being_decoded():
    raw = b"{" + b" " * 5000 + b"}"   # not even valid JSON: it must not be decoded at all
    shown = session(max_output_bytes=1000).bounded("display_data", raw)
    assert "did not keep this output" in shown["data"]["text/plain"] and "5 kB" in shown["data"]["text/plain"]
    stream = session(max_output_bytes=1000).bounded("stream", raw)
    assert stream["name"] == "stderr" and "did not keep" in stream["text"]


def test_an_integer_too_long_to_read_becomes_a_note():
    raw = ('{"data": {"application/json": ' + "9" * 5001 + '}, "metadata": {}}').encode()
    shown = session().bounded("display_data", raw)
    assert "could not be read" in shown["data"]["text/plain"]


def test_deep_nesting_becomes_a_note_and_a_shallow_answer_passes():
    deep = {"data": {"application/json": json.loads("[" * 200 + "]" * 200)}, "metadata": {}}
    shown = session(max_output_depth=64).bounded("display_data", json.dumps(deep).encode())
    assert "nests more than 64 levels" in shown["data"]["text/plain"]
    answer = {"data": {"application/vnd.course.answer+json": {"answer": [[1, 2], {"a": [3]}]}}, "metadata": {}}
    assert session().bounded("display_data", json.dumps(answer).encode()) == answer
    assert depth_over([[[]]], 2) == 3 and depth_over([[[]]], 3) == 0


def test_deeper_than_the_decoder_goes_is_a_note_not_a_crash():
    raw = ('{"data": {"application/json": ' + "[" * 100_000 + "]" * 100_000 + "}}").encode()
    shown = session(max_output_bytes=10**6).bounded("execute_result", raw)
    assert shown["execution_count"] is None and "could not be read" in shown["data"]["text/plain"]


def test_the_notebook_budget_keeps_answers_apart():
    budget = Budget(outputs=300, answers=300, answer_mime="application/vnd.course.answer+json")
    big = {"output_type": "display_data", "data": {"text/plain": "x" * 150}, "metadata": {}}
    assert budget.take(big) and not budget.take(dict(big))
    answer = {"output_type": "display_data", "data": {"application/vnd.course.answer+json": {"a": 1}}, "metadata": {}}
    assert budget.take(answer), "answers draw on their own budget"
    budget.give_back([big])
    assert budget.take(dict(big)), "cleared outputs no longer count"
    assert "passed" in budget.why(big)


# ----------------------------------------------------------------------------- workdir

def test_what_a_kernel_leaves_is_owned_by_the_trainer_and_writable_by_no_one_else(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "x.txt").write_text("x")
    os.chmod(shared / "x.txt", 0o6666)
    os.chmod(shared, 0o1777)
    os.symlink("/etc/passwd", tmp_path / "evil.ipynb")
    removed = take_back(tmp_path, (os.geteuid(), os.getegid()))
    assert removed == [str(tmp_path / "evil.ipynb")]
    for path in (shared, shared / "x.txt"):
        mode = stat.S_IMODE(path.stat().st_mode)
        assert not mode & 0o7022 and mode & stat.S_IRUSR, (path, oct(mode))
    assert (shared / "x.txt").read_text() == "x"


# ----------------------------------------------------------------------------- slots

needs_root = pytest.mark.skipif(not ROOT, reason="SANDBOX PROTECTION UNAVAILABLE: slots switch users only as root")


@needs_root
def test_two_kernels_at_once_never_share_a_uid_and_a_freed_slot_is_reused():
    base = "course-unit"
    first = slots.acquire(base, 4)
    second = slots.acquire(base, 4)
    try:
        assert first.ids[0] != second.ids[0] and {first.number, second.number} == {1, 2}
        assert first.user == f"{base}-{first.number}"
        first.release()
        third = slots.acquire(base, 4)
        assert third.number == first.number, "the lowest free slot is taken again"
        third.release()
    finally:
        first.release()
        second.release()


@needs_root
def test_a_busy_host_waits_then_fails_plainly():
    held = [slots.acquire("course-unit-full", 1)]
    try:
        start = time.monotonic()
        with pytest.raises(slots.NoFreeSlot, match="stayed busy"):
            slots.acquire("course-unit-full", 1, wait_seconds=1)
        assert time.monotonic() - start < 10
    finally:
        for slot in held:
            slot.release()


@needs_root
def test_nothing_outlives_its_slot():
    slot = slots.acquire("course-unit-leftover", 1)
    uid, gid = slot.ids
    child = subprocess.Popen(["setpriv", f"--reuid={uid}", f"--regid={gid}", "--clear-groups", "sleep", "300"])
    try:
        time.sleep(0.3)
        assert child.poll() is None, "control: the leftover process runs as the slot's uid"
        slot.release()
        assert child.wait(timeout=10) == -9
    finally:
        if child.poll() is None:
            child.kill()


def test_the_slot_folder_is_refused_when_others_may_write_it(tmp_path, monkeypatch):
    loose = tmp_path / "slots"
    loose.mkdir(mode=0o777)
    os.chmod(loose, 0o777)
    monkeypatch.setattr(slots, "SLOT_FOLDERS", (str(loose),))
    with pytest.raises(PermissionError):
        slots.lock_folder()

