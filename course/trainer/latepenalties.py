"""Late penalties that follow the grade: nbgrader's late-penalty plugin, applied again to today's score.

nbgrader's AssignLatePenalties computes a late notebook's penalty from its score when autograde runs,
through the course's `LateSubmissionPlugin` (or whatever `AssignLatePenalties.plugin_class` names), from
the submission time (timestamp.txt, which collect writes from the platform's evidence) and the due
date in the gradebook (`course publish --due`). A hand grade typed later changes the score but not the
penalty, so a late learner given 2 more points by hand would export at 2 instead of the plugin's 0.
Before anything reads the grades, each late notebook's penalty is asked of the same plugin again, with
the same bounds nbgrader applies (never below 0, never above the notebook's score).
"""
from __future__ import annotations

import logging

from .course_dir import CourseDir


def refresh_late_penalties(course: CourseDir, assignments: list[str]) -> int:
    """Recompute every late notebook's penalty with the course's plugin and its current score; how many changed."""
    from nbgrader.api import Gradebook, MissingEntry
    from nbgrader.preprocessors import AssignLatePenalties

    quiet = logging.getLogger("course.trainer.latepenalties")
    quiet.setLevel(logging.ERROR)
    step = AssignLatePenalties(config=course.config, log=quiet)
    step.init_plugin()
    step.plugin_inst.log = quiet
    changed = 0
    with Gradebook(course.db_url) as gb:
        for name in assignments:
            try:
                submissions = gb.find_assignment(name).submissions
            except MissingEntry:
                continue
            for submission in submissions:
                late = submission.total_seconds_late or 0
                for nb in submission.notebooks:
                    wanted = None
                    if late > 0:
                        penalty = step.plugin_inst.late_submission_penalty(submission.student.id, nb.score, late)
                        wanted = None if penalty is None else max(0.0, min(float(penalty), float(nb.score)))
                    if nb.late_submission_penalty != wanted:
                        nb.late_submission_penalty = wanted
                        changed += 1
        if changed:
            gb.db.commit()
    return changed
