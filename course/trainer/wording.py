"""Every sentence the trainer's tools say about a submission, in one place (reviewed and translated together)."""

# Collect: why a file was not collected.
NOT_A_NOTEBOOK = "not a notebook ({ext} file): nothing to grade"
CHECKPOINT_COPY = "a Jupyter checkpoint copy, not the learner's notebook"
NO_LEARNER = "cannot tell which learner sent it: the name does not follow the {platform} pattern"
NO_MODULE = ("cannot tell which module it belongs to: '{name}' is not a module notebook name and it holds "
             "no graded cell of any module")
UNKNOWN_ASSIGNMENT = "module '{assignment}' is not part of this course"
DUPLICATE_SAME = "the same file as {kept} (collected once)"
DUPLICATE_OTHER = "another version of {kept}, which was kept (newest modification time): check which is right"
ZIP_COLLECT_SKIPPED = "nbgrader zip_collect did not place it: {why}"

# Screen: why a submission is not graded.
EMPTY_FILE = "the file is empty (0 bytes): ask the learner to submit again"
NOT_JSON = "the file is not valid JSON ({error}): it is damaged or not a notebook"
NOT_NOTEBOOK = "the file is not a Jupyter notebook ({error})"
NO_NOTEBOOK = "no {expected} in the submission (found: {found})"
WRONG_MODULE = ("this is the notebook of {other} ({title}), handed in as {expected}: not graded; "
                "ask the learner to submit {expected}.ipynb")
NO_GRADED_CELLS = ("the notebook holds none of {expected}'s graded cells (was it rebuilt from scratch?): "
                   "not graded")

# Screen: what nbgrader will repair or score, for the trainer to know.
MISSING_NOTEBOOK = "{notebook}.ipynb is missing from the submission: nbgrader scores it 0"
LOCKED_EDITED = "locked cell '{cell}' was edited: nbgrader put the original back before grading"
LOCKED_DELETED = "locked cell '{cell}' was deleted"
COPIED_CELL = ("cell '{cell}' was copied in the notebook (a copied cell keeps its grading marks): the first one "
               "was graded, the copy counts for nothing")
LOCKED_DELETED_GRADED = ("locked test cell '{cell}' was deleted: nbgrader cannot run it, so it scores 0 "
                         "until you grade it by hand")

# Grade: what happened while a notebook ran.
CELL_TIMEOUT = "cell {cell} ran past the per-cell time limit and was stopped"
KERNEL_DIED = "the kernel died in cell {cell}: {why}"
NOTEBOOK_TIMEOUT = "the notebook ran past its time limit in cell {cell}: the rest was not run"
OUT_OF_MEMORY = "cell {cell} ran out of memory"
OUTPUT_NOT_KEPT = "an output of cell {cell} was not kept: {why}"
HUGE_OUTPUT = "the graded notebook is {mb:.0f} MB (huge output): feedback pages will be slow to open"
WALL_LIMIT = "grading took longer than {seconds:.0f} s and was stopped: not graded"
WORKER_DIED = "the grading process died ({why}): not graded"
NBGRADER_FAILED = "nbgrader could not grade it: {why}"
KERNEL_DID_NOT_START = "not graded, nothing of it ran: {why}; grade it again with --retry-failed"
