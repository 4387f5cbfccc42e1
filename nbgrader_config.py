"""nbgrader settings for this course: `nbgrader ...` commands run from the repository root read it."""
import os

from course.grading.config import configure

c = get_config()  # noqa: F821 (provided by nbgrader)
# This folder is the course (gradebook.db beside this file). The kit's names for nbgrader's folders:
# solutions/ is the source, exercises/ the student release.
configure(c, root=os.path.dirname(os.path.abspath(__file__)),
          source_directory="solutions", release_directory="exercises")
# nbgrader's exchange: the shared folder the hub installer creates (or $NBGRADER_EXCHANGE_ROOT), never
# nbgrader's own /usr/local/share default, which release_assignment would create world-writable.
from course.nbgrader_course import default_exchange_root  # noqa: E402
c.Exchange.root = default_exchange_root()
