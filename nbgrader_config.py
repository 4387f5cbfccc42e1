"""nbgrader settings for this course: run `nbgrader ...` commands from the repository root."""
from course.grading.config import apply

c = get_config()  # noqa: F821 (provided by nbgrader)
apply(c)
# The kit's names for nbgrader's folders: solutions/ is the source, exercises/ the student release.
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"
# nbgrader's exchange: the shared folder the hub installer creates (or $NBGRADER_EXCHANGE_ROOT), never
# nbgrader's own /usr/local/share default, which release_assignment would create world-writable.
from course.nbgrader_course import default_exchange_root  # noqa: E402
c.Exchange.root = default_exchange_root()
