"""Every sentence the trainer's tools say about a submission, in one place (reviewed and translated together)."""

# Collect: why a file was not collected.
NOT_A_NOTEBOOK = "not a notebook ({ext} file): nothing to grade"
CHECKPOINT_COPY = "a Jupyter checkpoint copy, not the learner's notebook"
NO_LEARNER = "cannot tell which learner sent it: the name does not follow the {platform} pattern"
NO_MODULE = ("cannot tell which module it belongs to: '{name}' is not a module notebook name and it holds "
             "no graded cell of any module")
UNKNOWN_ASSIGNMENT = "module '{assignment}' is not part of this course"
NOT_CHOSEN = "module '{assignment}' was not asked for in this collect: collect it with `course collect {assignment} ...`"
DUPLICATE_SAME = "the same file as {kept} (collected once)"
DUPLICATE_OTHER = "an older version ({mine}) of {kept}, which was kept ({why})"
DUPLICATE_UNSURE = ("another version of {kept}, which was kept ({why}): the export does not say which is newer, "
                    "so check with the learner")
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

# Collect: which version was kept, and why (evidence the export itself carries).
BY_NAME_TIME = "submitted {time} (the time in its file or folder name)"
BY_ZIP_TIME = "submitted {time} (the zip entry's time)"
BY_FILE_TIME = "modified {time} (the file's modification time: weak evidence)"
BY_UPLOAD_ID = "uploaded later (Canvas upload number {upload_id})"
BY_ORDER = "later in the export (nothing else tells them apart)"
CANVAS_LATE = "Canvas marked it LATE"
LATE_NO_TIME = ("Canvas marked it LATE without a time: recorded as handed in just after the due date "
                "({due}), so nbgrader's late-penalty plugin treats it as late")
KEPT_NEWEST = "newest of {n} versions in this export: {why}"
REPLACED = "replaces the version collected {when} ({old}): this one is newer, {why}"
REFUSED_OLDER = ("NOT collected: older than the submission already collected {when} ({old}); this file is {why}. "
                 "Run collect again with --force to take it anyway")
REFUSED_UNSURE = ("NOT collected: the submission already collected {when} ({old}) may be newer, and the export "
                  "cannot tell ({why}). Run collect again with --force to take this one")
FORCED = "taken with --force over the submission collected {when} ({old})"
ALREADY_COLLECTED = "already collected (the same file)"

# Grading states of a learner's module: the words the summary, exports, report and feedback share.
GRADED = "graded"
PENDING = "hand grading pending"
STALE = "hand grade stale"
FLAGGED = "flagged"
REJECTED = "rejected"
FAILED = "grading failed"
WAITING = "not graded yet"
MISSING = "missing"
NOT_RELEASED = "not released"
FINAL_STATES = (GRADED,)
PENDING_WHAT = "grade {questions} by hand in formgrader"
STALE_WHAT = ("the learner resubmitted and {questions} changed since you graded by hand: change or clear "
              "your hand grade in formgrader, or keep it with `course confirm {module} --students {learner}`")
WAITING_WHAT = "a new submission is waiting: run `course grade {module}`"
FAILED_WHAT = "run `course grade {module} --retry-failed`; the grading log is in trainer/logs/"
FLAGGED_WHAT = "read the integrity flags before you sign this grade"

# Feedback: pages held back.
FEEDBACK_HELD = "NOT WRITTEN {module} / {learner}: {state} ({what}); or run with --anyway"
FEEDBACK_OUTDATED = "the page already in feedback/ is out of date: do not hand it out"

# Export: grades held back from a learning platform's file.
WITHHELD = ("{n} grade(s) left blank in {file} because they are not final ({states}); "
            "see the status columns of grades.csv, or export with --anyway")

# Refusals before any work.
NOT_A_COURSE = ("{root} is not a course folder (it has no nbgrader_config.py, no gradebook.db and no module "
                "source folder): run this from your course folder or pass --course-dir")
NOT_A_MODULE = "{name!r} is not a module{hint}. The modules are: {known}."
DID_YOU_MEAN = ": did you mean {guess}?"
NOT_IN_COURSE = "{module} is not part of the course in {root}. Its modules: {known}."
NOTHING_TO_GRADE = ("Nothing to grade yet: no submissions for {modules} in {folder}. Collect them first: "
                    "course collect {first} --from <the folder your learning platform exported> (or --exchange).")
INTERRUPTED = "interrupted: {n} graded, run again to finish"
INTERRUPTED_OTHER = "interrupted: run again to finish"
NO_EXCHANGE = ("The exchange {root} does not exist: an administrator creates it once with "
               "`sudo mkdir -p {root} && sudo chmod 1777 {root}` (docs/organisers.md), or set NBGRADER_EXCHANGE_ROOT.")

# The workshop's roster (course/trainer/roster.py) and every learner's own data.
ROSTER_MISSING = "There is no roster file {path}. Pass the CSV of your learners (columns: name, e-mail, ...)."
ROSTER_EMPTY = "The roster {path} lists no learner: it needs a header line (name, e-mail, ...) and one line per learner."
ROSTER_NO_NAME = ("The roster {path} has no column of names. Its first line should name the columns, for example "
                  "'name,e-mail,platform id,hub username'; it has: {found}.")
ROSTER_ROW_NO_NAME = "Line {line} of the roster {path} has no name: add it, or delete the line."
ROSTER_DUPLICATE = ("Two learners on the roster have the same {what} ({value}): {a} and {b}. Each learner needs "
                    "their own; correct the CSV and run the command again (nothing was written).")
ROSTER_WRITTEN = ("Roster: {n} learners, each with their own data. Hand out the codes: print {sheet} "
                  "(or mail-merge {codes}); learners enter theirs once in START_HERE.")
SHARED_DATA = "the workshop's shared data"
VARIANTS_SECTION = "Whose data each learner was graded on"
VARIANTS_NONE = "Every learner worked on the same data (this workshop gives no one their own)."
VARIANTS_WITHOUT_ROSTER = ("Every learner gets their own data (their hub login picks it), but no roster was given, "
                           "so no personal checks were prepared: learners' checks judge kind, shape and names only. "
                           "Pass --learners roster.csv (with a hub username column) for full checks.")


def ask_for(reason: str, module: str) -> str:
    """What to ask a learner for, from the reason their file was not graded or not collected."""
    text, wanted = reason.lower(), (f"{module}.ipynb" if module else "the module's notebook (.ipynb)")
    if "empty" in text:
        return f"ask for {wanted} again: the file arrived empty"
    if "not valid json" in text or "not a jupyter notebook" in text:
        return f"ask for {wanted} again, saved in JupyterLab (File > Save) before uploading: the file is damaged"
    if "this is the notebook of" in text or "none of" in text:
        return f"ask for {wanted}: the file handed in is another notebook"
    if "not a notebook" in text:
        return f"ask for {wanted} (the notebook itself, not a PDF or an export)"
    return f"ask for {wanted} again"

KERNEL_DID_NOT_START = "not graded, nothing of it ran: {why}; grade it again with --retry-failed"
