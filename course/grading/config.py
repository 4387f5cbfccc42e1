"""The kit's nbgrader config, built in one place: `configure(c, root)`.

Every nbgrader config the kit writes or uses calls `configure`: the repository's nbgrader_config.py,
a workshop's (course/workshop.py), the hub's (deploy/nbgrader_config_hub.py), the kit's own
throwaway courses (course.nbgrader_course.course_config) and the trainer's grading config
(course.trainer.course_dir.grading_config, which also re-points it at each job's scratch copy). It
sets the kit's settings (`apply`), the course folder, and its gradebook by absolute path, whatever
folder nbgrader or the formgrader runs from.
"""
from __future__ import annotations

from pathlib import Path

from nbconvert.preprocessors import ClearMetadataPreprocessor
from nbgrader.preprocessors import (AssignLatePenalties, CheckCellMetadata, ClearOutput, DeduplicateIds,
                                    IgnorePattern, LimitOutput, OverwriteCells, OverwriteKernelspec,
                                    SaveAutoGrades)

from .. import messages as msg
from .copied_cells import DeduplicateCells
from .preprocessors import AddProbes, JudgeOutside, KeepCheckCounts
from .sandbox import GuardedExecute
from .sanitise import SanitiseOutputs
from .variants import ChooseVariant

COURSE_ID = "back-to-the-field"
GRADEBOOK = "gradebook.db"
# What a cleared solution becomes in the learner's copy: harmless, so "Run All" reaches the end.
CODE_STUB = "# Your code here: replace None above with your answer."
TEXT_STUB = msg.WRITTEN_ANSWER_STUB


def autograde_pipeline() -> list:
    """nbgrader's autograde steps: whose data, the learner's kernel in the sandbox (GuardedExecute.sandbox),
    judging outside it."""
    return [AddProbes, ChooseVariant, GuardedExecute, JudgeOutside, SanitiseOutputs, IgnorePattern,
            ClearMetadataPreprocessor,
            LimitOutput, SaveAutoGrades, AssignLatePenalties, CheckCellMetadata]


def sanitize_pipeline() -> list:
    """nbgrader's sanitising steps before grading: the learner's check counts kept before ClearOutput
    erases them, then copied cells made harmless before nbgrader validates ids and metadata."""
    return [KeepCheckCounts, ClearOutput, DeduplicateCells, DeduplicateIds, OverwriteKernelspec, OverwriteCells,
            CheckCellMetadata]


def configure(c, root, course_id: str = COURSE_ID, **course_dir):
    """The kit's nbgrader config on `c` for the course folder at `root`, its gradebook by absolute path;
    `course_dir`: more CourseDirectory settings (e.g. source_directory="solutions"). Returns `c`."""
    apply(c, course_id)
    place(c, root)
    for key, value in course_dir.items():
        setattr(c.CourseDirectory, key, value)
    return c


def place(c, root, db_url: str = "") -> None:
    """Point `c` at the course folder `root` and its gradebook (gradebook_url)."""
    root = Path(root).expanduser().resolve()
    c.CourseDirectory.root = str(root)
    c.CourseDirectory.db_url = gradebook_url(root, db_url)


def gradebook_url(root, db_url: str = "") -> str:
    """The gradebook's URL, absolute: <root>/gradebook.db when none is given, a relative SQLite file taken
    inside the course folder (never the current folder), any other URL as it is."""
    from sqlalchemy.engine import make_url

    root = Path(root).expanduser().resolve()
    if not db_url:
        return f"sqlite:///{root / GRADEBOOK}"
    url = make_url(db_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:" \
            or Path(url.database).is_absolute():
        return db_url
    return f"sqlite:///{(root / url.database).resolve()}"


def apply(c, course_id: str = COURSE_ID) -> None:
    """The kit's settings on config `c` (stubs, timeouts, pipelines, pages), without a course folder."""
    c.CourseDirectory.course_id = course_id
    c.ClearSolutions.code_stub = {"python": CODE_STUB}
    c.ClearSolutions.text_stub = TEXT_STUB
    c.Execute.timeout = 60
    c.Execute.extra_arguments = ["--HistoryManager.enabled=False"]
    c.Autograde.sanitize_preprocessors = sanitize_pipeline()
    c.Autograde.autograde_preprocessors = autograde_pipeline()
    html_pages(c)


def html_pages(c) -> None:
    """Formgrader and feedback pages: nbconvert's sanitising on, with the kit's cleaner; feedback draws figures."""
    c.HTMLExporter.sanitize_html = True
    c.HTMLExporter.filters = {"clean_html": "course.grading.sanitise.clean_html",
                              "markdown2html": "course.grading.sanitise.markdown2html"}
    c.HTMLExporter.preprocessors = ["course.grading.sanitise.SanitiseOutputs"]
    c.GenerateFeedback.exporter_class = "course.grading.feedback_html.FeedbackExporter"
