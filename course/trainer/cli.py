"""The trainer's commands, a thin layer over the steps: `add_parser(subparsers)` adds them to `course`.

    course publish 1 --due "2026-03-02 17:00" --exchange            # release module 1, record its due date
    course collect m1 --from ~/Downloads/moodle-export               # or --exchange
    course grade m1 --workers 4                                      # no module: all of them
    course confirm m1 --students 1001                                # keep a hand grade after a resubmission
    course feedback
    course export --format canvas                                    # kit (default), canvas, moodle, nbgrader
    course report
    course run --from ~/Downloads/moodle-export                      # collect, grade, feedback, export, report

Every command first checks it runs in a course folder (guard.py) and reads module names as `1`, `m1`
or `m1_tool_overload`; Ctrl+C ends with one line saying what was done, never a traceback.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import CourseError
from . import wording as say


def _options(args):
    from .course_dir import GradingOptions

    return GradingOptions(cell_timeout=getattr(args, "cell_timeout", None),
                          notebook_timeout=getattr(args, "notebook_timeout", 600),
                          memory_mb=getattr(args, "memory_mb", 1024),
                          sandbox=not getattr(args, "no_sandbox", False))


def _timezone(name: str | None):
    """A time zone by IANA name (None: this machine's own)."""
    if not name:
        return None
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise CourseError(f"{name!r} is not a time zone: use a name such as Europe/Paris or UTC.") from None


def _collect(args, course) -> int:
    from .collect import CollectReport, collect_exchange, collect_files, save_report

    if not args.exchange and not args.source:
        raise CourseError("Say where to collect from: --exchange, or --from <folder of files and zips>.")
    report = CollectReport()
    if args.exchange:
        report.merge(collect_exchange(course, args.modules))
    if args.source:
        report.merge(collect_files(course, args.source, args.platform, args.modules, force=args.take_older,
                                   tz=_timezone(args.timezone)))
    path = save_report(course, report)
    print(report.summary())
    print(f"report: {path}")
    return 0


def _grade(args, course) -> int:
    from .grade import grade_cohort
    from .states import cohort_states, status_lines

    if getattr(args, "dry_run", False):
        return _plan(args, course)
    run = grade_cohort(course, args.modules, args.students, args.workers, args.force, args.retry_failed,
                       progress=not args.quiet)
    modules = args.modules or course.assignments()
    if run.submissions == 0:
        print(say.NOTHING_TO_GRADE.format(modules=", ".join(modules), folder=course.root / "submitted",
                                          first=modules[0]))
        return 1
    print(run.summary(rejections=run.interrupted))   # a finished run lists every rejection with the states
    if run.interrupted:
        print(say.INTERRUPTED.format(n=len(run.with_status("graded"))))
        return 130
    print("\n".join(status_lines(cohort_states(course, modules))))
    return 1 if run.with_status("failed") else 0


def _plan(args, course) -> int:
    """`course grade --dry-run`: what a run would grade, and why; nothing is graded or written."""
    from .ledger import Ledger, plan_jobs

    jobs, unchanged = plan_jobs(course, args.modules or course.assignments(), Ledger.load(course),
                                args.students, args.force, args.retry_failed)
    print(f"would grade {len(jobs)}, {len(unchanged)} unchanged")
    for job in jobs:
        print(f"  GRADE {job.assignment} / {job.student}: {job.why}")
    return 0


def _confirm(args, course) -> int:
    from .handgrades import HandGrades

    if not args.modules:
        raise CourseError("Say which module's hand grades to keep, e.g. course confirm m1 --students 1001.")
    hand = HandGrades.load(course)
    for assignment in args.modules:
        n = hand.confirm(hand.observe(course, [assignment]), assignment, args.students)
        print(f"{assignment}: {n} hand grade(s) kept as they are for the work graded now")
    return 0


def _feedback(args, course) -> int:
    from .feedback import generate_feedback

    run = generate_feedback(course, args.modules, args.students, args.workers, progress=not args.quiet,
                            anyway=getattr(args, "anyway", False))
    print(run.summary())
    if getattr(args, "release", False):
        from .feedback import release_feedback

        released, skipped = release_feedback(course, args.modules, args.students, getattr(args, "anyway", False))
        print(f"{len(released)} page(s) released through the exchange")
        for job, why in skipped:
            print(f"  NOT RELEASED {job.assignment} / {job.student}: {why}")
    return 1 if run.failed or run.held else 0


def _export(args, course) -> int:
    from .exports import export

    written, messages = export(course, args.format or ["kit"], args.out, args.modules, getattr(args, "anyway", False))
    for path in written:
        print(f"wrote {path}")
    for line in messages:
        print(line)
    return 0


def _report(args, course) -> int:
    from .report import write_report

    print(f"wrote {write_report(course, args.report_out, args.modules)}")
    return 0


def _publish(args, course) -> int:
    from .releases import parse_due, publish

    if not args.modules:
        raise CourseError("Say which module to publish, e.g. course publish 1 --due '2026-03-02 17:00'.")
    due = parse_due(args.due, _timezone(args.timezone)) if args.due else None
    for line in publish(course, args.modules, due, args.exchange):
        print(line)
    return 0


def _run(args, course) -> int:
    code = 0
    if args.exchange or args.source:
        code |= _collect(args, course)
    code |= _grade(args, course)
    code |= _feedback(args, course)
    code |= _export(args, course)
    code |= _report(args, course)
    return code


def _command(step):
    """Wrap a step: refuse outside a course folder, open it, read the modules named, run the step."""
    def run(args) -> int:
        import os

        from .course_dir import open_course
        from .guard import require_course_folder, resolve_modules

        root = require_course_folder(Path(args.course_dir or os.getcwd()))
        course = open_course(root, _options(args))
        args.modules = resolve_modules(args.modules, course.assignments(), course.root)
        try:
            return step(args, course)
        except KeyboardInterrupt:
            print(say.INTERRUPTED_OTHER)
            return 130
    return run


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--course-dir", type=Path, default=None, help="the nbgrader course folder (default: here)")
    parser.add_argument("modules", nargs="*", default=None, metavar="MODULE",
                        help="only these modules: 1, m1 or m1_tool_overload (default: every module of the course)")


def _collect_args(parser: argparse.ArgumentParser, force_flag: str = "--force") -> None:
    from .collect import PLATFORMS

    parser.add_argument("--exchange", action="store_true", help="collect from nbgrader's exchange (nbgrader collect)")
    parser.add_argument("--from", dest="source", type=Path, default=None,
                        help="a folder of files and zips exported by a learning platform (nbgrader zip_collect)")
    parser.add_argument("--platform", choices=sorted(PLATFORMS), default="moodle",
                        help="how the platform names files (default: moodle)")
    parser.add_argument(force_flag, dest="take_older", action="store_true",
                        help="take files even when an earlier collect kept a newer (or undatable) version")
    parser.add_argument("--timezone", default=None, help="the platform's time zone for zip times (default: this machine's)")


def _grade_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--workers", type=int, default=None, help="grading processes (default: one per CPU)")
    parser.add_argument("--students", nargs="*", default=None, help="only these learners")
    parser.add_argument("--force", action="store_true", help="grade everything again, changed or not")
    parser.add_argument("--retry-failed", action="store_true", help="grade again what failed last time")
    parser.add_argument("--cell-timeout", type=int, default=None, help="seconds per cell (default: the course's)")
    parser.add_argument("--notebook-timeout", type=int, default=600, help="seconds per notebook (default: 600)")
    parser.add_argument("--memory-mb", type=int, default=1024, help="memory per learner kernel (default: 1024)")
    parser.add_argument("--no-sandbox", action="store_true", help="do not use course.grading.sandbox")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def _export_args(parser: argparse.ArgumentParser) -> None:
    from .exports import FORMATS

    parser.add_argument("--format", action="append", choices=FORMATS, default=None,
                        help="kit (grades.csv and grades.xlsx, the default), csv, xlsx, canvas, moodle or nbgrader; "
                             "repeat for several")
    parser.add_argument("--anyway", action="store_true",
                        help="also export grades that are not final (pending, stale, flagged) to canvas and moodle files")


def _add(subparsers, name: str, help_text: str, step):
    parser = subparsers.add_parser(name, help=help_text)
    _common(parser)
    parser.set_defaults(func=_command(step))
    return parser


def add_parser(subparsers) -> None:
    """Register publish, collect, grade, confirm, feedback, export, report and run on `course`'s subparsers."""
    publish = _add(subparsers, "publish", "release modules to learners and record their due dates", _publish)
    publish.add_argument("--due", default=None, help="due date and time, 'YYYY-MM-DD HH:MM' (late penalties use it)")
    publish.add_argument("--timezone", default=None, help="time zone of --due (default: this machine's)")
    publish.add_argument("--exchange", action="store_true", help="also nbgrader release_assignment to the exchange")

    collect = _add(subparsers, "collect", "collect submissions (exchange, or platform files and zips)", _collect)
    _collect_args(collect)

    grade = _add(subparsers, "grade", "autograde new and changed submissions in parallel", _grade)
    _grade_args(grade)
    grade.add_argument("--dry-run", action="store_true", help="say what would be graded and why; grade nothing")

    confirm = _add(subparsers, "confirm", "keep hand grades as they are after a resubmission", _confirm)
    confirm.add_argument("--students", nargs="*", default=None, help="only these learners")

    feedback = _add(subparsers, "feedback", "make feedback pages (nbgrader generate_feedback)", _feedback)
    feedback.add_argument("--workers", type=int, default=None, help="processes (default: one per CPU)")
    feedback.add_argument("--students", nargs="*", default=None, help="only these learners")
    feedback.add_argument("--quiet", action="store_true", help="no progress bar")
    feedback.add_argument("--release", action="store_true",
                          help="also hand pages back through nbgrader's exchange (release_feedback)")
    feedback.add_argument("--anyway", action="store_true",
                          help="also write pages whose hand grading is pending or stale")

    export = _add(subparsers, "export", "grades to CSV, Excel, Canvas, Moodle or nbgrader's CSV", _export)
    export.add_argument("--out", type=Path, default=None, help="folder to write into (default: <course>/trainer)")
    _export_args(export)

    report = _add(subparsers, "report", "the cohort report, one self-contained HTML page", _report)
    report.add_argument("--out", dest="report_out", type=Path, default=None,
                        help="the page to write (default: <course>/trainer/cohort_report.html)")

    run = _add(subparsers, "run", "collect (if asked), grade, feedback, export and report", _run)
    _collect_args(run, force_flag="--force-collect")
    _grade_args(run)
    run.add_argument("--out", type=Path, default=None, help="folder for the exports")
    run.add_argument("--report-out", type=Path, default=None, help="the cohort report page to write")
    _export_args(run)
