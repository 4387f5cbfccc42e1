"""Run an untrusted learner's Jupyter kernel in a sandbox while nbgrader autogrades it.

Layers, each used when this machine supports it (see ``describe_protection()`` and docs/isolation.md):
resource limits (prlimit), a fresh private HOME/IPYTHONDIR/JUPYTER_*/TMPDIR per kernel, a bubblewrap
filesystem/pid/network view, and an unprivileged user of its own per running kernel when nbgrader runs
as root. The kit's autograde pipeline already uses it (course.grading.config); in any nbgrader config::

    c.GuardedExecute.sandbox = True               # the default; False keeps only the output bounds and time limit
    c.SandboxedKernelManager.memory_mb = 1024
    c.GuardedExecute.notebook_timeout = 600

The package, one job per file:

- ``probes``:  what this machine can do (bubblewrap, unshare, users, who may read what);
- ``plan``:    the pure launch plan and the command line and environment built from it;
- ``workdir``: the private scratch tree, and lending the working copy to the kernel and taking it back;
- ``slots``:   one unprivileged uid per kernel running at once on the host;
- ``outputs``: what a kernel sends, bounded before it is decoded or kept;
- ``manager``: the jupyter_client kernel managers;
- ``execute``: the nbgrader Execute step;
- ``report``:  ``describe_protection()``, also ``python -m course.grading.sandbox``.
"""
from .execute import STATE, GuardedExecute, KernelStartError, describe_failure
from .manager import GuardedKernelManager, SandboxedKernelManager
from .plan import Limits, Plan, bwrap_args, kernel_env, secret_paths, wrap_command
from .probes import bwrap_status, grader_ids, unshare_status
from .report import describe_protection

__all__ = ["STATE", "GuardedExecute", "GuardedKernelManager", "KernelStartError", "Limits", "Plan",
           "SandboxedKernelManager", "bwrap_args", "bwrap_status", "describe_failure", "describe_protection",
           "grader_ids", "kernel_env", "secret_paths", "unshare_status", "wrap_command"]
