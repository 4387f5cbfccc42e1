"""Run the learner's notebook without letting a broken kernel stop the grading of the whole submission.

The kernel itself runs in the sandbox (course.grading.sandbox: limits, a fresh home, no access to
solutions or other learners); this layer turns a dead or hung kernel into a flagged, graded result.
"""
from __future__ import annotations

import os

from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbclient.util import run_sync
from nbgrader.preprocessors import Execute

from ..data.variants import LEARNER_ENV

STATE = "course_judge"


def describe_failure(failure: BaseException) -> str:
    """One plain sentence on why the learner's kernel could not finish."""
    if isinstance(failure, DeadKernelError):
        return ("The notebook's kernel died or exited before the end "
                "(for example os._exit, sys.exit in a loop, or too much memory).")
    if isinstance(failure, CellTimeoutError):
        return "The notebook's kernel stopped answering (a cell ran too long or broke the kernel)."
    return f"The notebook could not be run to the end ({type(failure).__name__})."


class GuardedExecute(Execute):
    """nbgrader's Execute, where a dead or hung kernel ends the run instead of failing the submission.

    The cells that ran keep their outputs; the judge then grades what was handed over (cells that
    never ran score zero) and the integrity report says what happened.
    """

    async def async_start_new_kernel(self, **kwargs):
        """Start the learner's kernel told whose data it works on (COURSE_LEARNER), when a workshop
        gives every learner their own (course.grading.variants.ChooseVariant decided)."""
        state = (self.resources or {}).get(STATE, {})
        if state.get("variant"):
            env = {k: v for k, v in (kwargs.pop("env", None) or os.environ).items() if k != LEARNER_ENV}
            kwargs["env"] = {**env, LEARNER_ENV: state["learner"]}
        return await super().async_start_new_kernel(**kwargs)

    start_new_kernel = run_sync(async_start_new_kernel)   # nbclient's sync wrapper names its own method

    def preprocess(self, nb, resources=None, km=None):
        try:
            return super().preprocess(nb, resources, km)
        except (DeadKernelError, CellTimeoutError, RuntimeError, TimeoutError) as failure:
            self.log.warning("Kernel failure while grading: %s", failure)
            resources.setdefault(STATE, {})["kernel_failure"] = describe_failure(failure)
            return nb, resources
