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
