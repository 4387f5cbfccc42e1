"""The kit's nbgrader settings, applied to a traitlets config by every nbgrader_config.py."""
from __future__ import annotations

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


def apply(c, course_id: str = "back-to-the-field") -> None:
    """Set the kit's defaults on config `c` (a traitlets Config from get_config())."""
    c.CourseDirectory.course_id = course_id
    c.CourseDirectory.db_url = "sqlite:///gradebook.db"
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
