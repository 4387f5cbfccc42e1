"""Which modules are released to learners, and when each is due.

A module counts as **released** in a course folder when any of these is true:
1. the trainer published it: `course publish MODULE [--due "YYYY-MM-DD HH:MM"] [--exchange]` records the
   release in trainer/releases.json and its due date in the gradebook (nbgrader's `duedate`, which its
   late-penalty step reads); with --exchange it also runs `nbgrader release_assignment`;
2. it is in nbgrader's exchange (outbound), released there with plain nbgrader;
3. a submission for it was collected (a learner cannot hand in what was not handed out).

Totals, percentages and "missing" count released modules only, so a module nobody has been given yet
neither lowers a total nor lists the whole cohort as missing.
"""
from __future__ import annotations

from datetime import datetime, timezone, tzinfo

from ..errors import CourseError
from . import wording as say
from .course_dir import TRAINER_FOLDER, CourseDir
from .records import read_record, write_record

RELEASES = "releases.json"


def parse_due(text: str, tz: tzinfo | None = None) -> datetime:
    """A due date the trainer typed ('2026-03-02 17:00', in `tz`, default this machine's zone) as naive UTC."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise CourseError(f"{text!r} is not a date and time: write it as 'YYYY-MM-DD HH:MM'.") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz) if tz else moment.astimezone()
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


def _load(course: CourseDir) -> dict:
    return read_record(course.root / TRAINER_FOLDER / RELEASES)


def publish(course: CourseDir, assignments: list[str], due: datetime | None = None,
            exchange: bool = False) -> list[str]:
    """Record each module's release (and due date, in the gradebook); release it to the exchange if asked."""
    from nbgrader.api import Gradebook

    from ..nbgrader_course import checked, exchange_root
    from .grade import ensure_in_gradebook

    if exchange and not exchange_root(course.config).is_dir():
        raise CourseError(say.NO_EXCHANGE.format(root=exchange_root(course.config)))
    ensure_in_gradebook(course, assignments)
    records, lines = _load(course), []
    with Gradebook(course.db_url) as gb:
        for assignment in assignments:
            if due is not None:
                gb.update_or_create_assignment(assignment, duedate=due)
            current = gb.find_assignment(assignment).duedate
            records[assignment] = {"released_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                                   "due": current.isoformat() if current else None, "exchange": exchange}
            lines.append(f"{assignment}: released" + (f", due {current:%Y-%m-%d %H:%M} UTC" if current else
                                                      ", no due date (late penalties cannot apply)"))
    if exchange:
        api = course.api()
        for assignment in assignments:
            checked(api.release_assignment(assignment), f"release {assignment} to the exchange")
    write_record(course.trainer_dir() / RELEASES, records)
    return lines


def due_date(course: CourseDir, assignment: str) -> datetime | None:
    """The module's due date in the gradebook (naive UTC), or None."""
    from nbgrader.api import Gradebook, MissingEntry

    if not course.db_path.exists():
        return None
    with Gradebook(course.db_url) as gb:
        try:
            return gb.find_assignment(assignment).duedate
        except MissingEntry:
            return None


def _in_exchange(course: CourseDir, assignment: str) -> bool:
    from ..nbgrader_course import exchange_root

    return (exchange_root(course.config) / course.coursedir.course_id / "outbound" / assignment).is_dir()


def released_modules(course: CourseDir, assignments: list[str], known_submissions: set[str] = frozenset()) -> dict[str, str]:
    """Released module -> why it counts as released (see the module docstring)."""
    records = _load(course)
    released = {}
    for assignment in assignments:
        if assignment in records:
            released[assignment] = "published"
        elif _in_exchange(course, assignment):
            released[assignment] = "in the exchange"
        elif assignment in known_submissions or course.students_with_submissions(assignment):
            released[assignment] = "submissions collected"
    return released


def released_line(released: dict[str, str], assignments: list[str]) -> str:
    """One line for the trainer: which modules count, and which do not yet."""
    waiting = [a for a in assignments if a not in released]
    line = "released: " + (", ".join(released) or "none")
    if waiting:
        line += f"; not released yet (left out of totals and 'missing'): {', '.join(waiting)}"
    return line
