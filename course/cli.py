"""The `course` command: one entry point for learners, trainers and workshop organisers."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import CourseError


def _trusted_builder():
    """The build that adds check files (it needs the answer key), or None on a learner's install."""
    try:
        from .questions.compile import build
    except ImportError:
        return None
    return build


def _cmd_start(args) -> int:
    """Build the datasets if they are missing, then open JupyterLab on the learner notebooks."""
    from . import data
    from .launch import start_lab
    from .paths import datasets_dir

    if not (datasets_dir() / data.MANIFEST).exists():
        print(f"Building the course datasets in {datasets_dir()} ...")
        (_trusted_builder() or data.build)()
    return start_lab(port=args.port, open_browser=not args.no_browser)


def _cmd_data_build(args) -> int:
    from . import data

    builder = _trusted_builder()
    if builder is None:
        print("course: this is a learner's install (no answer key), so no check files are built: "
              "the checks will say so. Build on the trainer's machine for checks.", file=sys.stderr)
    manifest = (builder or data.build)(args.out, profile=args.profile, seed=args.seed)
    print(f"Wrote {len(manifest['files'])} datasets for {manifest['company']} "
          f"({manifest['profile']}, seed {manifest['seed']}){' and their check files' if builder else ''} "
          f"to {args.out or 'datasets/'}")
    return 0


def _cmd_data_check(args) -> int:
    from .data.verify import compare_with_fresh_build

    differences = compare_with_fresh_build(args.dir, builder=_trusted_builder())
    for line in differences:
        print(line)
    print("datasets match a fresh build" if not differences else f"{len(differences)} difference(s)")
    return 1 if differences else 0


def _cmd_profiles(args) -> int:
    from .data.profiles import PROFILES

    for profile in PROFILES.values():
        print(f"{profile.name:14s} {profile.label} - example company: {profile.company}")
    return 0


def _cmd_release(args) -> int:
    from .pipeline import release

    done = release(assignments=args.assignments or None)
    print("Regenerated exercises/ for: " + ", ".join(done))
    return 0


def _cmd_validate(args) -> int:
    from .pipeline import validate

    failed = 0
    for report in validate():
        status = "ok" if not report.errors else "FAILED"
        print(f"{status:6s} {report.path.name:28s} {report.seconds:5.1f} s")
        for error in report.errors:
            print(f"       {error}")
        failed += bool(report.errors)
    return 1 if failed else 0


def build_parser() -> argparse.ArgumentParser:
    """All subcommands, each a thin layer over a function in the package."""
    from .data.profiles import DEFAULT_PROFILE, DEFAULT_SEED, PROFILES

    parser = argparse.ArgumentParser(prog="course", description="Back to the field: the course kit's commands.")
    sub = parser.add_subparsers(dest="command", required=True)

    start = sub.add_parser("start", help="open JupyterLab on the learner notebooks")
    start.add_argument("--port", type=int, default=None)
    start.add_argument("--no-browser", action="store_true", help="do not open a browser window")
    start.set_defaults(func=_cmd_start)

    data_cmd = sub.add_parser("data", help="build or check the synthetic datasets")
    data_sub = data_cmd.add_subparsers(dest="data_command", required=True)
    build = data_sub.add_parser("build", help="generate every dataset with its data card, and the check files")
    build.add_argument("--profile", default=DEFAULT_PROFILE, help=f"one of: {', '.join(PROFILES)}")
    build.add_argument("--seed", type=int, default=DEFAULT_SEED)
    build.add_argument("--out", type=Path, default=None, help="folder to write to (default: datasets/)")
    build.set_defaults(func=_cmd_data_build)
    check = data_sub.add_parser("check", help="check a datasets folder equals a fresh build")
    check.add_argument("--dir", type=Path, default=None)
    check.set_defaults(func=_cmd_data_check)

    sub.add_parser("profiles", help="list the sector profiles").set_defaults(func=_cmd_profiles)

    rel = sub.add_parser("release", help="regenerate exercises/ from solutions/ with nbgrader")
    rel.add_argument("assignments", nargs="*", help="module assignments (default: all)")
    rel.set_defaults(func=_cmd_release)

    sub.add_parser("validate", help="run every source notebook and report errors").set_defaults(func=_cmd_validate)

    from . import workshop
    from .trainer import cli as trainer_cli

    trainer_cli.add_parser(sub)
    workshop.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; a CourseError becomes one plain sentence and exit code 2, not a traceback."""
    from .nbgrader_course import ensure_tools_on_path

    ensure_tools_on_path()
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except CourseError as problem:
        print(f"course: {problem}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
