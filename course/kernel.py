"""The learner's Python kernel as the kit starts it, on a laptop (`course start`) and on the hub.

* :class:`LearnerKernelSpecs` (in the JupyterLab server, set by ``course/jupyter_settings``): Jupyter's
  own ``python3`` kernel spec, plus two options when the kernel runs this Python: the friendly-errors
  extension is loaded at kernel start (so ``m2.check(...)`` in a fresh kernel says to run the setup
  cell), and the kernel is :class:`LearnerKernel`.
* :class:`LearnerKernel` (in the kernel): IPython's kernel, reporting its language without the Python
  patch version. JupyterLab copies what the kernel reports into a notebook's ``language_info`` when
  it opens it; the course's notebooks carry exactly :data:`LANGUAGE_INFO`, so opening one does not
  mark it modified on any machine (with the version, every other Python would).

Only the standard library, jupyter_client and ipykernel are imported here: a kit module that fails
to import costs the learner the friendly errors, never the kernel.
"""
from __future__ import annotations

import os
import sys

from ipykernel.ipkernel import IPythonKernel
from jupyter_client.kernelspec import NATIVE_KERNEL_NAME, KernelSpec, KernelSpecManager

FRIENDLY_EXTENSION = "course.learner.friendly"
KERNEL_ARGS: tuple[str, ...] = (
    f"--ext={FRIENDLY_EXTENSION}",
    f"--IPKernelApp.kernel_class={__name__}.LearnerKernel",
)
# What the learner's kernel reports, and what every course notebook's metadata holds.
LANGUAGE_INFO: dict = {key: value for key, value in IPythonKernel.language_info.items() if key != "version"}
# Names jupyter_client replaces with the server's own Python when it starts a kernel.
_THIS_PYTHON = {"python", f"python{sys.version_info[0]}", f"python{sys.version_info[0]}.{sys.version_info[1]}"}


class LearnerKernel(IPythonKernel):
    """IPython's kernel, with a language_info that is the same on every Python 3 machine."""

    language_info = LANGUAGE_INFO


def runs_this_python(spec: KernelSpec) -> bool:
    """True when the spec starts ipykernel with the Python that runs the server (where the kit is)."""
    argv = list(spec.argv or [])
    if not argv or not any("ipykernel" in arg for arg in argv[1:3]):
        return False
    exe = argv[0]
    return exe in _THIS_PYTHON or os.path.realpath(exe) == os.path.realpath(sys.executable)


class LearnerKernelSpecs(KernelSpecManager):
    """Jupyter's kernel specs, where the Python 3 kernel of this environment is the learner's kernel."""

    def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
        spec = super().get_kernel_spec(kernel_name)
        if kernel_name.lower() == NATIVE_KERNEL_NAME and runs_this_python(spec):
            spec.argv = [*spec.argv, *(a for a in KERNEL_ARGS if a not in spec.argv)]
        return spec
