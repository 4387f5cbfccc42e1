"""Errors the kit raises on purpose: each carries one plain sentence for a person to act on."""


class CourseError(Exception):
    """A problem the learner, trainer or organiser can fix; the message says how."""

    def _render_traceback_(self):  # IPython shows only this, not a traceback
        return [f"\u26a0\ufe0f  {self}"]


class DatasetMissing(CourseError):
    """A dataset file is not where the kit expects it."""


class UnknownProfile(CourseError):
    """A sector profile name the kit does not know."""


class WrongModule(CourseError):
    """A notebook or answer belongs to another module."""


class NotYetRight(Exception):
    """A graded answer that does not match the data yet; the message says why, in plain words.

    The one such class of the kit: a check raises it while nbgrader runs the notebook (so nbgrader
    scores the cell zero even without the kit's pipeline), and the judge reports its verdicts with it.
    """

    def _render_traceback_(self):  # IPython shows only this, not a traceback
        return [f"\u274c {self}"]
