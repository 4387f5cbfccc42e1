"""Run the learner's notebook in a fresh kernel that cannot leave traces for the next one, and
without letting a broken kernel stop the grading of the whole submission."""
from __future__ import annotations

import os
import shutil
import tempfile

from jupyter_core.utils import run_sync
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbgrader.preprocessors import Execute

STATE = "course_judge"


def describe_failure(failure: BaseException) -> str:
    """One plain sentence on why the learner's kernel could not finish."""
    if isinstance(failure, DeadKernelError):
        return ("The notebook's kernel died or exited before the end "
                "(for example os._exit, sys.exit in a loop, or too much memory).")
    if isinstance(failure, CellTimeoutError):
        return "The notebook's kernel stopped answering (a cell ran too long or broke the kernel)."
    return f"The notebook could not be run to the end ({type(failure).__name__})."


def fresh_kernel_env(scratch: str) -> dict:
    """The grader's environment with a throwaway home and config folders for one kernel."""
    env = dict(os.environ)
    for name, sub in (("HOME", ""), ("IPYTHONDIR", ".ipython"), ("JUPYTER_CONFIG_DIR", ".jupyter"),
                      ("JUPYTER_DATA_DIR", ".local/share/jupyter"), ("MPLCONFIGDIR", ".matplotlib"),
                      ("TMPDIR", "tmp"), ("XDG_CACHE_HOME", ".cache"), ("XDG_CONFIG_HOME", ".config")):
        path = os.path.join(scratch, sub) if sub else scratch
        os.makedirs(path, exist_ok=True)
        env[name] = path
    env["PYTHONNOUSERSITE"] = "1"
    env.pop("PYTHONSTARTUP", None)
    return env


class GuardedExecute(Execute):
    """nbgrader's Execute with a fresh home per kernel, where a dead or hung kernel ends the run
    instead of failing the submission.

    The cells that ran keep their outputs; the judge then grades what was handed over (cells that
    never ran score zero) and the integrity report says what happened.
    """

    _scratch = None

    async def async_start_new_kernel(self, **kwargs):
        kwargs.setdefault("env", fresh_kernel_env(self._scratch or tempfile.mkdtemp()))
        return await super().async_start_new_kernel(**kwargs)

    # nbclient binds the sync wrapper to its own coroutine: rebind it to the one above.
    start_new_kernel = run_sync(async_start_new_kernel)

    def preprocess(self, nb, resources=None, km=None):
        self._scratch = tempfile.mkdtemp(prefix="course-kernel-home-")
        try:
            return super().preprocess(nb, resources, km)
        except (DeadKernelError, CellTimeoutError, RuntimeError, TimeoutError) as failure:
            self.log.warning("Kernel failure while grading: %s", failure)
            resources.setdefault(STATE, {})["kernel_failure"] = describe_failure(failure)
            return nb, resources
        finally:
            shutil.rmtree(self._scratch, ignore_errors=True)
            self._scratch = None
