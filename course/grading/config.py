"""The kit's nbgrader settings, applied to a traitlets config by every nbgrader_config.py."""
from __future__ import annotations

from nbconvert.preprocessors import ClearMetadataPreprocessor
from nbgrader.preprocessors import (AssignLatePenalties, CheckCellMetadata, ClearOutput, DeduplicateIds,
                                    IgnorePattern, LimitOutput, OverwriteCells, OverwriteKernelspec,
                                    SaveAutoGrades)

from .. import messages as msg
from .execute import GuardedExecute
from .sandbox import sandboxed
from .preprocessors import AddProbes, JudgeOutside, KeepCheckCounts
from .variants import ChooseVariant

# What a cleared solution becomes in the learner's copy: harmless, so "Run All" reaches the end.
CODE_STUB = "# Your code here: replace None above with your answer."
TEXT_STUB = msg.WRITTEN_ANSWER_STUB


def autograde_pipeline(execute=None) -> list:
    """nbgrader's autograde steps: whose data, the learner's kernel in the sandbox, judging outside it."""
    execute = execute or sandboxed(GuardedExecute)
    return [AddProbes, ChooseVariant, execute, JudgeOutside, IgnorePattern, ClearMetadataPreprocessor,
            LimitOutput, SaveAutoGrades, AssignLatePenalties, CheckCellMetadata]


def sanitize_pipeline() -> list:
    """nbgrader's sanitize steps, after keeping the learner's check counts that ClearOutput would erase."""
    return [KeepCheckCounts, ClearOutput, DeduplicateIds, OverwriteKernelspec, OverwriteCells, CheckCellMetadata]


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
