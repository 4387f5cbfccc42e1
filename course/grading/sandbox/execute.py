"""The nbgrader integration: one Execute step that runs a learner's notebook and never lets it stop grading.

`GuardedExecute` is nbgrader's Execute with, as settings:

- `sandbox` (default True): kernels start in `SandboxedKernelManager`; False keeps the host's kernel
  manager (the output bounds below still hold);
- a time limit for the whole notebook (`notebook_timeout`), cutting each cell's timeout to what is left;
- bounded outputs (`max_output_bytes` per output, `max_notebook_output_bytes` per notebook, answers apart,
  `max_output_depth`), applied while the outputs arrive, with a note in the cell that says what was cut;
- kernel failures: a kernel that dies or hangs in a cell ends the run there (that cell and every later
  code cell get the error, unexecuted) and is recorded for the integrity report; a kernel that never
  starts raises `KernelStartError`, so the submission is a *failed* job to retry, never a graded zero;
- `static_figures`: the kernel gets COURSE_FIGURES=static, so simulations build no widget (nobody sees
  one here) and leave the same static figure in the graded copy (course.sims.widgets);
- `shutdown_kernel` "immediate": once the last cell (the closing tamper probe) is done, the kernel is
  killed rather than asked to stop: nothing it does after that is read, and its exit handlers never run.
"""
from __future__ import annotations

import math
import os
import time

from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbclient.util import run_sync
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import Execute
from traitlets import Bool, Enum, Integer

from ...keys import LEARNER_ENV
from ...answers import FIGURES_ENV
from ..timings import KernelClock
from .manager import GuardedKernelManager, SandboxedKernelManager
from .outputs import MIB, Budget, GuardedSession, note_output

STATE = "course_judge"          # resources key shared with the preprocessors around this step


class KernelStartError(RuntimeError):
    """The learner's kernel could not be started, so nothing of the notebook was run."""


def describe_failure(failure: BaseException) -> str:
    """One plain sentence on why the learner's kernel could not finish."""
    if isinstance(failure, DeadKernelError):
        return ("The notebook's kernel died or exited before the end "
                "(for example os._exit, sys.exit in a loop, or too much memory).")
    if isinstance(failure, CellTimeoutError):
        return "The notebook's kernel stopped answering (a cell ran too long or broke the kernel)."
    return f"The notebook could not be run to the end ({type(failure).__name__})."


def _error_output(ename: str, evalue: str) -> NotebookNode:
    """An nbformat error output, as a failed cell shows it."""
    return NotebookNode(output_type="error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"])


class GuardedExecute(KernelClock, Execute):
    """nbgrader's Execute: sandboxed kernels, a notebook time limit, bounded outputs, kernel failures contained."""

    sandbox = Bool(True, help="Run kernels in SandboxedKernelManager (limits, private HOME, bubblewrap, own uid).")
    notebook_timeout = Integer(600, help="Wall-clock seconds for a whole notebook, kernel start included; 0 = none.")
    raise_on_kernel_death = Bool(False, help="Re-raise a dead/unresponsive kernel instead of failing the cells left.")
    max_output_bytes = Integer(MIB, help="Largest single output kept, bytes (bigger ones become a note).")
    max_notebook_output_bytes = Integer(8 * MIB, help="Outputs one notebook keeps in total, bytes.")
    max_answer_bytes = Integer(8 * MIB, help="Answers handed to the judge one notebook keeps in total, bytes.")
    max_output_depth = Integer(64, help="Deepest nesting of an output's data that is kept.")
    store_widget_state = Bool(False, help="Widget state is live code and megabytes: not kept in graded notebooks.")
    static_figures = Bool(True, help="Simulations draw their figures without widgets (COURSE_FIGURES=static): "
                                     "graded copies keep the same static figure, nobody sees a widget here.")
    shutdown_kernel = Enum(["graceful", "immediate"], "immediate",
                           help="A graded kernel is killed once its last cell is done: nothing it does after that "
                                "is read, and a graceful stop spends seconds and lets its exit handlers run.")
    for _trait in (sandbox, notebook_timeout, raise_on_kernel_death, max_output_bytes, max_notebook_output_bytes,
                   max_answer_bytes, max_output_depth, store_widget_state, shutdown_kernel, static_figures):
        _trait.tag(config=True)
    del _trait

    def __init__(self, **kw):
        """Choose the kernel manager from the `sandbox` setting unless one is given."""
        chosen = kw.pop("kernel_manager_class", None)
        super().__init__(**kw)
        self.kernel_manager_class = chosen or (SandboxedKernelManager if self.sandbox else GuardedKernelManager)

    def create_kernel_manager(self):
        """Create the manager; bound its messages; keep its wall-time kill switch just beyond notebook_timeout."""
        km = super().create_kernel_manager()
        if self.static_figures and isinstance(km, GuardedKernelManager):
            km.grading_env = {**km.grading_env, FIGURES_ENV: "static"}
        if isinstance(km.session, GuardedSession):
            km.session.max_output_bytes = self.max_output_bytes
            km.session.max_output_depth = self.max_output_depth
        if isinstance(km, SandboxedKernelManager) and self.notebook_timeout > 0:
            grace = 15 + (self.startup_timeout or 0)
            km.wall_seconds = min(km.wall_seconds or 10**9, self.notebook_timeout + grace)
        return km

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
        """Execute the notebook under the total time limit; a kernel that never starts is KernelStartError."""
        from ...answers import ANSWER_MIME

        self._deadline = time.monotonic() + self.notebook_timeout if self.notebook_timeout > 0 else math.inf
        self._stopped: tuple[str, str] | None = None
        self._started = False
        self._budget = Budget(self.max_notebook_output_bytes, self.max_answer_bytes, ANSWER_MIME)
        self._noted: set[int] = set()
        try:
            return super().preprocess(nb, resources, km)
        except (PermissionError, KernelStartError):
            raise
        except Exception as failure:
            if not self._started:
                raise KernelStartError(self._start_reason(failure)) from failure
            if self.raise_on_kernel_death:
                raise
            self.log.warning("Kernel failure while grading: %s", failure)
            self._record_failure(failure)
            return self.nb, self.resources

    def _start_reason(self, failure: BaseException) -> str:
        """Why the kernel did not start, in the words the trainer reads in the grading summary."""
        how = self.km.exit_reason() if isinstance(getattr(self, "km", None), SandboxedKernelManager) else ""
        why = str(failure).strip().splitlines()[0][:200] if str(failure).strip() else type(failure).__name__
        return f"the learner's kernel could not start ({why}{'; ' + how if how and how not in why else ''})"

    def _record_failure(self, failure: BaseException) -> None:
        """Note a kernel failure for the integrity report (the first one is the telling one)."""
        state = (self.resources or {}).setdefault(STATE, {})
        state.setdefault("kernel_failure", describe_failure(failure))

    def _get_timeout(self, cell):
        """Per-cell timeout, never past the notebook's deadline."""
        per_cell = super()._get_timeout(cell)
        left = self._deadline - time.monotonic()
        if left == math.inf:
            return per_cell
        return max(1, math.ceil(min(per_cell or left, left)))

    def preprocess_cell(self, cell, resources, index):
        """Run one cell; after a deadline or a kernel death, mark the rest failed instead of running them."""
        if cell.cell_type == "code":
            self._started = True
        if cell.cell_type == "code" and self._stopped is None and time.monotonic() >= self._deadline:
            self._stopped = ("NotebookTimeoutError", f"notebook exceeded its {self.notebook_timeout} s time limit")
        if cell.cell_type == "code" and self._stopped:
            cell.outputs.append(_error_output(*self._stopped))
            return cell, self.resources
        try:
            return super().preprocess_cell(cell, resources, index)
        except DeadKernelError as failure:
            if self.raise_on_kernel_death:
                raise
            reason = self.km.exit_reason() if isinstance(self.km, SandboxedKernelManager) else "died"
            self._record_failure(failure)
            self._stop(cell, index, "DeadKernelError", f"the kernel died before this cell finished: {reason}")
        except CellTimeoutError as failure:
            if self.raise_on_kernel_death:
                raise
            self._record_failure(failure)
            self._stop(cell, index, "CellTimeoutError", "the cell timed out and the kernel ignored the interrupt")
        return cell, self.resources

    def _stop(self, cell, index: int, ename: str, evalue: str) -> None:
        """Record why execution stopped at this cell; later code cells get the same error, unexecuted."""
        self.log.error("Stopped at cell %s: %s: %s", index, ename, evalue)
        self._stopped = (ename, evalue)
        cell.outputs.append(_error_output(ename, evalue))

    # ------------------------------------------------------------------ outputs, bounded as they arrive

    def output(self, outs, msg, display_id, cell_index):
        """Keep an arriving output only while the notebook's budget holds it; else one note per cell."""
        if self.clear_before_next_output:
            self._budget.give_back(outs)
        out = super().output(outs, msg, display_id, cell_index)
        if out is None or self._budget.take(out):
            return out
        if outs and outs[-1] is out:
            outs.pop()
        if display_id:  # its place was recorded for later updates: forget it with the output
            places = self._display_id_map.get(display_id, {}).get(cell_index, [])
            if places and places[-1] == len(outs):
                places.pop()
        if cell_index not in self._noted:
            self._noted.add(cell_index)
            outs.append(note_output(self._budget.why(out)))
        return None

    def clear_output(self, outs, msg, cell_index):
        """Cleared outputs no longer count against the notebook's budget."""
        if not msg["content"].get("wait") and not self.output_hook_stack[msg["parent_header"].get("msg_id")]:
            self._budget.give_back(outs)
        return super().clear_output(outs, msg, cell_index)

    def _update_display_id(self, display_id, msg):
        """Data that replaces outputs already shown (one copy per output with that display id) draws on
        the notebook's budget like new outputs; past it, those outputs show the note instead."""
        shown = sum(len(places) for places in self._display_id_map.get(display_id, {}).values())
        if shown:
            update = note_output("").copy()
            update.update(data=msg["content"].get("data", {}), metadata=msg["content"].get("metadata", {}))
            if not self._budget.take(update, copies=shown):
                msg = {**msg, "content": {**msg["content"], "data": note_output(self._budget.why(update)).data,
                                          "metadata": {}}}
        return super()._update_display_id(display_id, msg)
