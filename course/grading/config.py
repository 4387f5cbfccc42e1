"""The kit's nbgrader settings, applied to a traitlets config by every nbgrader_config.py."""
from __future__ import annotations

from nbconvert.preprocessors import ClearMetadataPreprocessor
from nbgrader.preprocessors import (AssignLatePenalties, CheckCellMetadata, IgnorePattern,
                                    LimitOutput, SaveAutoGrades)

from .preprocessors import JudgeOutside, StashHiddenTests
from .sandbox import GuardedExecute

# What a cleared solution becomes in the learner's copy: harmless, so "Run All" reaches the end.
CODE_STUB = "# Your code here: replace None above with your answer."
TEXT_STUB = "*Write your answer here.*"


def autograde_pipeline() -> list:
    """nbgrader's autograde steps: the learner's kernel in the sandbox (GuardedExecute.sandbox), judging outside it."""
    return [StashHiddenTests, GuardedExecute, JudgeOutside, IgnorePattern, ClearMetadataPreprocessor,
            LimitOutput, SaveAutoGrades, AssignLatePenalties, CheckCellMetadata]


def apply(c, course_id: str = "back-to-the-field") -> None:
    """Set the kit's defaults on config `c` (a traitlets Config from get_config())."""
    c.CourseDirectory.course_id = course_id
    c.CourseDirectory.db_url = "sqlite:///gradebook.db"
    c.ClearSolutions.code_stub = {"python": CODE_STUB}
    c.ClearSolutions.text_stub = TEXT_STUB
    c.Execute.timeout = 60
    c.Execute.extra_arguments = ["--HistoryManager.enabled=False"]
    c.Autograde.autograde_preprocessors = autograde_pipeline()
