"""The trainer's commands, a thin layer over the steps: `add_parser(subparsers)` adds them to `course`.

    course collect m1_tool_overload --from ~/Downloads/moodle-export   # or --exchange
    course grade m1_tool_overload --workers 4                         # no module: all of them
    course feedback
    course export
    course report
    course run --from ~/Downloads/moodle-export                       # all of the above
"""
from __future__ import annotations

import argparse
from pathlib import Path


def _options(args):
    from .course_dir import GradingOptions

    return GradingOptions(cell_timeout=getattr(args, "cell_timeout", None),
                          notebook_timeout=getattr(args, "notebook_timeout", 600),
                          memory_mb=getattr(args, "memory_mb", 1024),
                          sandbox=not getattr(args, "no_sandbox", False))


def _course(args):
    from .course_dir import open_course

    return open_course(args.course_dir, _options(args))


def _collect(args, course) -> int:
    from ..errors import CourseError
    from .collect import CollectReport, collect_exchange, collect_files, save_report

    if not args.exchange and not args.source:
        raise CourseError("Say where to collect from: --exchange, or --from <folder of files and zips>.")
    report = CollectReport()
    if args.exchange:
        part = collect_exchange(course, args.modules)
        report.collected += part.collected
        report.not_collected += part.not_collected
    if args.source:
        part = collect_files(course, args.source, args.platform, args.modules)
        report.collected += part.collected
        report.not_collected += part.not_collected
    path = save_report(course, report)
    print(report.summary())
    print(f"report: {path}")
    return 0


def _grade(args, course) -> int:
    from .grade import grade_cohort

    run = grade_cohort(course, args.modules, args.students, args.workers, args.force, args.retry_failed,
                       progress=not args.quiet)
    print(run.summary())
    return 1 if run.with_status("failed") else 0


def _feedback(args, course) -> int:
    from .feedback import generate_feedback

    run = generate_feedback(course, args.modules, args.students, args.workers, progress=not args.quiet)
    print(run.summary())
    if getattr(args, "release", False):
        from .feedback import release_feedback

        released, skipped = release_feedback(course, args.modules, args.students)
        print(f"{len(released)} page(s) released through the exchange")
        for job, why in skipped:
            print(f"  NOT RELEASED {job.assignment} / {job.student}: {why}")
    return 1 if run.failed else 0


def _export(args, course) -> int:
    from .export import export_grades

    for path in export_grades(course, args.out, args.modules):
        print(f"wrote {path}")
    return 0


def _report(args, course) -> int:
    from .report import write_report

    print(f"wrote {write_report(course, args.report_out, args.modules)}")
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
    """Wrap a step: open the course folder from the arguments, check the modules named, run the step."""
    def run(args) -> int:
        from ..errors import CourseError

        course = _course(args)
        unknown = [m for m in args.modules or [] if m not in course.assignments()]
        if unknown:
            raise CourseError(f"{', '.join(unknown)}: not a module of the course in {course.root}. "
                              f"Its modules: {', '.join(course.assignments()) or 'none'}.")
        return step(args, course)
    return run


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--course-dir", type=Path, default=None, help="the nbgrader course folder (default: here)")
    parser.add_argument("modules", nargs="*", default=None, metavar="MODULE",
                        help="only these modules, e.g. m1_tool_overload (default: every module of the course)")


def _collect_args(parser: argparse.ArgumentParser) -> None:
    from .collect import PLATFORMS

    parser.add_argument("--exchange", action="store_true", help="collect from nbgrader's exchange (nbgrader collect)")
    parser.add_argument("--from", dest="source", type=Path, default=None,
                        help="a folder of files and zips exported by a learning platform (nbgrader zip_collect)")
    parser.add_argument("--platform", choices=sorted(PLATFORMS), default="moodle",
                        help="how the platform names files (default: moodle)")


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


def add_parser(subparsers) -> None:
    """Register collect, grade, feedback, export, report and run on the `course` command's subparsers."""
    collect = subparsers.add_parser("collect", help="collect submissions (exchange, or platform files and zips)")
    _common(collect)
    _collect_args(collect)
    collect.set_defaults(func=_command(_collect))

    grade = subparsers.add_parser("grade", help="autograde new and changed submissions in parallel")
    _common(grade)
    _grade_args(grade)
    grade.set_defaults(func=_command(_grade))

    feedback = subparsers.add_parser("feedback", help="make feedback pages (nbgrader generate_feedback)")
    _common(feedback)
    feedback.add_argument("--workers", type=int, default=None, help="processes (default: one per CPU)")
    feedback.add_argument("--students", nargs="*", default=None, help="only these learners")
    feedback.add_argument("--quiet", action="store_true", help="no progress bar")
    feedback.add_argument("--release", action="store_true",
                          help="also hand pages back through nbgrader's exchange (release_feedback)")
    feedback.set_defaults(func=_command(_feedback))

    export = subparsers.add_parser("export", help="grades to CSV and Excel, one row per learner")
    _common(export)
    export.add_argument("--out", type=Path, default=None, help="folder to write into (default: <course>/trainer)")
    export.set_defaults(func=_command(_export))

    report = subparsers.add_parser("report", help="the cohort report, one self-contained HTML page")
    _common(report)
    report.add_argument("--out", dest="report_out", type=Path, default=None,
                        help="the page to write (default: <course>/trainer/cohort_report.html)")
    report.set_defaults(func=_command(_report))

    run = subparsers.add_parser("run", help="collect (if asked), grade, feedback, export and report")
    _common(run)
    _collect_args(run)
    _grade_args(run)
    run.add_argument("--out", type=Path, default=None, help="folder for the CSV and Excel exports")
    run.add_argument("--report-out", type=Path, default=None, help="the cohort report page to write")
    run.set_defaults(func=_command(_run))
