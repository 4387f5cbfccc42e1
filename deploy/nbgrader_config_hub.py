# Global nbgrader config for every account on the workshop hub (learners and
# instructors alike).
#
# Installed by deploy/install_single_server.sh as
#   <user env>/etc/jupyter/nbgrader_config.py      (single server)
# and mounted by deploy/z2jh-values.yaml as
#   /etc/jupyter/nbgrader_config.py                 (Kubernetes)
#
# Everything it needs comes from environment variables that the hub sets on
# each single-user server (deploy/jupyterhub_config.py, z2jh-values.yaml), so
# one file serves every workshop on the machine:
#
#   COURSE_ID               nbgrader course id            (default below)
#   NBGRADER_EXCHANGE_ROOT  the shared exchange folder    (default below)
#   COURSE_HUB_ROLE         "instructor" or "learner"     (set per group)
#   NBGRADER_COURSE_ROOT    instructor's course folder    (default ~/course)
#
# Instructors grade with the kit's own nbgrader settings (course/grading/config.py:
# answers judged with the answer key in a separate clean process, each learner's kernel in
# the grading sandbox, the kit's stubs and timeouts), applied here rather than
# only in ~/course/nbgrader_config.py: the formgrader reads the course folder's
# file once, when the instructor's server starts, but re-reads this one before
# every Generate / Autograde / Feedback. So the grading is the kit's even when
# `course workshop` writes ~/course after the server started.
import getpass
import os

c = get_config()  # noqa: F821  (provided by traitlets when nbgrader loads this file)

COURSE_ID = os.environ.get("COURSE_ID", "back-to-the-field")
EXCHANGE_ROOT = os.environ.get("NBGRADER_EXCHANGE_ROOT", "/srv/nbgrader/exchange")

c.CourseDirectory.course_id = COURSE_ID

# The default (filesystem) exchange: one folder shared by every account, world
# writable with the sticky bit (chmod 1777), created by the installer.
c.Exchange.root = EXCHANGE_ROOT
# Fetched assignments land in ~/<assignment> rather than ~/<course>/<assignment>;
# there is one course per hub.
c.Exchange.path_includes_course = False

# On Kubernetes every server runs as the same unix user (jovyan): nbgrader
# then takes the learner's name from JUPYTERHUB_USER, and every submission is
# owned by jovyan, so the owner check at collect time would warn on all.
if getpass.getuser() == "jovyan":
    c.CollectApp.check_owner = False

if os.environ.get("COURSE_HUB_ROLE") == "instructor":
    # The formgrader needs the course folder *inside* the server's root (the
    # home directory); ~/course by default. The gradebook lives in it, by
    # absolute path, whatever the current directory: the formgrader runs from
    # the home directory, `nbgrader export` from ~/course, and `course
    # workshop` creates ~/course/gradebook.db.
    COURSE_ROOT = os.path.expanduser(os.environ.get("NBGRADER_COURSE_ROOT", "~/course"))
    try:
        from course.grading.config import configure
    except ImportError:  # hub env installed with KIT_DIR=none: plain nbgrader, same folder and gradebook
        c.CourseDirectory.root = COURSE_ROOT
        c.CourseDirectory.db_url = "sqlite:///" + os.path.join(os.path.abspath(COURSE_ROOT), "gradebook.db")
    else:
        configure(c, root=COURSE_ROOT, course_id=COURSE_ID)
