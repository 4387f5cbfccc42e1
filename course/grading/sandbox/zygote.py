"""A kernel zygote: the pristine process one grading worker keeps inside its sandbox, which has imported
what every learner kernel imports (ipykernel, pandas, plotly, the learner side of the kit) and forks a
fresh kernel for each notebook, so no notebook pays those imports again.

It runs as the sandbox's unprivileged user, started by forkserver.ForkServer, and talks to its grading
worker over one socket (the file descriptor given as its argument), one JSON object per line:

    worker -> zygote   {"argv": [...ipykernel arguments], "cwd": "...", "env": {...}}
    zygote -> worker   {"ready": true}  once;  {"pid": <pid>} per request;  {"exit": <pid>, "code": <n>}

Nothing a learner's kernel does reaches the zygote or the next kernel: each kernel is a fork of the
zygote as it was before any notebook ran (its memory is the child's own copy); the zygote is not
dumpable, so a kernel running as the same user can neither trace it nor read its memory or its
descriptors through /proc; the kernel closes the zygote's socket before anything else runs; and
between two notebooks the worker kills whatever the last one left and empties every folder it could
write (forkserver.ForkServer.clean). The zygote reads nothing a kernel can write.
"""
from __future__ import annotations

import ctypes
import importlib
import json
import os
import select
import socket
import sys
import threading

PR_SET_DUMPABLE = 4
# What every learner kernel imports, in the order it does. Never a widget module (grading draws static
# figures) and never the answer key (course.questions is hidden from kernels in any case).
PRELOAD = (
    "ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.zmqshell", "ipykernel.comm", "IPython.display",
    "numpy", "pandas", "plotly.graph_objects", "course.learner", "course.checks", "course.answers",
    "course.sims.widgets", "course.sims.style", "course.sims.orientation", "course.sims.tool_overload",
    "course.sims.persona_critique", "course.sims.data_disorder", "course.sims.algorithm_faith",
    "course.sims.reconnection", "course.sims.capstone",
)


def _prctl_dumpable(value: int) -> None:
    """Set this process's dumpable flag (0: not traceable or readable through /proc by its own user)."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_DUMPABLE, value, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_DUMPABLE) failed")


def preload() -> list[str]:
    """Import what kernels import and warm plotly's validators with one figure of each kind the
    simulations draw; return the modules that could not be imported (they are imported by the kernel
    itself, as before)."""
    import builtins

    class _Kernel:
        kernel = True

    # pandas chooses display defaults at import by asking IPython whether it runs in a Jupyter kernel
    # (display.max_columns is 20 in one, 0 in a terminal): every fork will be one, so it is told so.
    builtins.get_ipython = _Kernel
    missing = []
    try:
        for name in PRELOAD:
            try:
                importlib.import_module(name)
            except Exception:  # noqa: BLE001 - a module a kernel cannot import is its own kernel's business
                missing.append(name)
    finally:
        del builtins.get_ipython
    try:
        import plotly.graph_objects as go

        figure = go.Figure([go.Bar(x=["a"], y=[1], marker={"color": ["#000"]}, text=["1"]),
                            go.Scatter(x=[1], y=[1], mode="lines+markers", line={"dash": "dot"}),
                            go.Histogram(x=[1]), go.Heatmap(z=[[1]])])
        figure.update_layout(title="t", xaxis_title="x", yaxis_title="y", legend={"orientation": "h"})
        figure.add_annotation(text="a", x=1, y=1)
        figure.add_shape(type="line", x0=0, x1=1, y0=0, y1=1)
        figure.to_plotly_json()
    except Exception:  # noqa: BLE001
        missing.append("plotly figures")
    return missing


class Channel:
    """JSON lines over the worker's socket."""

    def __init__(self, sock: socket.socket):
        self.sock, self.buffer = sock, b""

    def send(self, message: dict) -> None:
        self.sock.sendall(json.dumps(message).encode() + b"\n")

    def receive(self) -> list[dict] | None:
        """The requests that have arrived (None when the worker has gone)."""
        data = self.sock.recv(1 << 20)
        if not data:
            return None
        self.buffer += data
        *lines, self.buffer = self.buffer.split(b"\n")
        return [json.loads(line) for line in lines if line.strip()]


def reap(channel: Channel) -> None:
    """Report every kernel that has ended, with its exit code (negative: the signal that killed it)."""
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        channel.send({"exit": pid, "code": os.waitstatus_to_exitcode(status)})


def kernel(request: dict, channel: Channel) -> None:
    """In the forked child: become a fresh learner kernel for one notebook, then exit."""
    code = 1
    try:
        channel.sock.close()
        os.setsid()
        _prctl_dumpable(1)    # the kernel is an ordinary process of its user again
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        os.environ.clear()
        os.environ.update(request["env"])
        os.chdir(request["cwd"])
        import tempfile

        tempfile.tempdir = None   # TMPDIR is the notebook's own
        if "numpy" in sys.modules:
            sys.modules["numpy"].random.seed()   # as a new process would: not the zygote's state
        sys.argv = ["ipykernel_launcher", *request["argv"]]
        from ipykernel import kernelapp

        kernelapp.launch_new_instance(argv=request["argv"])
        code = 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 1
    except BaseException:  # noqa: BLE001 - say why on the kernel's stderr, as a kernel would
        import traceback

        traceback.print_exc()
    finally:
        os._exit(code)


def main(argv: list[str]) -> None:
    """Preload, say ready, then fork one kernel per request until the worker goes."""
    # As ipykernel_launcher does: the folder it started in is not an import path (IPython adds the
    # notebook's own folder when each kernel starts).
    if sys.path and sys.path[0] in ("", os.getcwd()):
        sys.path.pop(0)
    channel = Channel(socket.socket(fileno=int(argv[0])))
    _prctl_dumpable(0)
    missing = preload()
    if threading.active_count() != 1:   # forking a threaded process could hand a kernel a held lock
        channel.send({"ready": False, "why": "a preloaded module started a thread"})
        return
    channel.send({"ready": True, "missing": missing})
    while True:
        readable, _, _ = select.select([channel.sock], [], [], 0.05)
        reap(channel)
        if not readable:
            continue
        requests = channel.receive()
        if requests is None:
            return
        for request in requests:
            pid = os.fork()
            if pid == 0:
                kernel(request, channel)
            channel.send({"pid": pid})


if __name__ == "__main__":
    main(sys.argv[1:])
