"""Prepare a workshop: chosen modules, a sector profile and a seed, built into one course folder.

With a roster (`--learners roster.csv`) or `--variants`, every learner works on their own data
(course.data.variants): the workshop gives each roster learner a code (course.trainer.roster),
builds each one's data and personal checks (course.trainer.variants), and the shipped manifests say
`"variants": true`, so each learner's kernel makes their own data from their key.
"""
from __future__ import annotations

import json
import shutil
import socket
import time
from pathlib import Path

from . import data
from .errors import CourseError
from .modules import MODULES, ModuleInfo, get_module
from .nbgrader_course import EXCHANGE_ROOT, api_for, checked, default_exchange_root, stage_source
from .pipeline import TOP_LEVEL, render_model_answers
from .paths import SHIPPED_DATA, VARIANTS_FOLDER, solutions_dir
from .trainer import wording as say
from .trainer.variants import mark_variants

CONFIG_TEMPLATE = '''"""nbgrader settings for this workshop's course folder (written by `course workshop`)."""
import os

from course.grading.config import configure

c = get_config()  # noqa: F821
# this folder, wherever it is copied to, and the gradebook next to this file (by absolute path),
# whichever folder nbgrader (or the formgrader) runs from
configure(c, root=os.path.dirname(os.path.abspath(__file__)), course_id={course_id!r})
# the shared exchange the hub installer creates (docs/organisers.md), not nbgrader's /usr/local/share default
c.Exchange.root = os.environ.get("NBGRADER_EXCHANGE_ROOT", {exchange_root!r})
'''


def choose_modules(spec: str | None) -> list[ModuleInfo]:
    """Modules from a comma-separated list of numbers or names; all of them when `spec` is empty."""
    if not spec:
        return [m for m in MODULES if (solutions_dir() / m.assignment / m.notebook).exists()]
    chosen = [get_module(part.strip()) for part in spec.split(",") if part.strip()]
    missing = [m.assignment for m in chosen if not (solutions_dir() / m.assignment / m.notebook).exists()]
    if missing:
        raise CourseError(f"These modules are not in this kit yet: {', '.join(missing)}.")
    return sorted(chosen, key=lambda m: m.number)


def agenda(modules: list[ModuleInfo], start: str = "09:30", break_every: int = 90) -> list[str]:
    """A printable timetable: each module's slot, with a 15-minute break roughly every 90 minutes."""
    hours, minutes = (int(x) for x in start.split(":"))
    clock, since_break, lines = hours * 60 + minutes, 0, []
    for module in modules:
        if since_break >= break_every:
            lines.append(f"{clock // 60:02d}:{clock % 60:02d}  break (15 min)")
            clock, since_break = clock + 15, 0
        lines.append(f"{clock // 60:02d}:{clock % 60:02d}  Module {module.number} - {module.title} "
                     f"({module.minutes} min)")
        clock, since_break = clock + module.minutes, since_break + module.minutes
    lines.append(f"{clock // 60:02d}:{clock % 60:02d}  end")
    return lines


def prepare(out: Path, profile: str, seed: int, modules: list[ModuleInfo], course_id: str,
            learners: Path | None = None, variants: bool = False) -> dict:
    """Build datasets, nbgrader source and release folders and a config for one workshop in `out`;
    with a roster CSV (`learners`) or `variants`, every learner gets their own data."""
    from .questions.compile import build as build_with_checks  # the trainer's side: it needs the answer key
    from .trainer import roster as rosters

    started = time.perf_counter()
    out = Path(out).resolve()
    roster = rosters.read_csv(learners, previous=rosters.load(out)) if learners else None  # refused before any write
    variants = variants or roster is not None
    out.mkdir(parents=True, exist_ok=True)
    manifest = build_with_checks(out / "datasets", profile=profile, seed=seed)
    if variants:
        _learners_data(out, modules, roster, manifest["company"])
    (out / "nbgrader_config.py").write_text(CONFIG_TEMPLATE.format(course_id=course_id, exchange_root=EXCHANGE_ROOT))
    api = api_for(out)
    for module in modules:
        source = stage_source(out, module.assignment, solutions_dir())
        # The module's data and check file travel with its release, so every learner reads this workshop's
        # profile and seed wherever the notebook runs; the judge reads the source copy (course.paths.datasets_dir).
        data.ship(out / "datasets", source / SHIPPED_DATA, module.datasets, module.slug)
        if variants:
            mark_variants(source / SHIPPED_DATA)
        render_model_answers(source / module.notebook, out / "datasets")  # the trainer reads this data's numbers
        checked(api.generate_assignment(module.assignment, force=True, create=True), f"generate {module.assignment}")
    for name in TOP_LEVEL:  # the landing page and the pandas reference, beside the modules
        if (solutions_dir() / name).exists():
            shutil.copy2(solutions_dir() / name, out / "release" / name)
    info = {"profile": profile, "company": manifest["company"], "seed": seed, "course_id": course_id,
            "modules": [m.assignment for m in modules], "datasets": str(out / "datasets"),
            "variants": variants, "learners": len(roster.learners) if roster else 0,
            "seconds": round(time.perf_counter() - started, 1)}
    (out / "workshop.json").write_text(json.dumps(info, indent=2) + "\n")
    return info


def _learners_data(out: Path, modules: list[ModuleInfo], roster, company: str) -> None:
    """Every roster learner's data (for the judge) and personal checks (for the release), and the roster."""
    from .trainer import roster as rosters
    from .trainer.variants import build_cohort, write_cohort_check_files

    shutil.rmtree(out / "datasets" / VARIANTS_FOLDER, ignore_errors=True)
    if roster is None:
        return
    cohort = build_cohort(out / "datasets", modules, roster.keys())
    write_cohort_check_files(out / "datasets", modules, cohort)
    rosters.save(roster, out, company)


def add_parser(sub) -> None:
    """`course workshop`: prepare a workshop folder and print its agenda and the learners' URL."""
    parser = sub.add_parser("workshop", help="prepare a workshop: modules, sector profile, seed")
    parser.add_argument("--profile", default=data.DEFAULT_PROFILE, help=f"one of: {', '.join(data.PROFILES)}")
    parser.add_argument("--seed", type=int, default=data.DEFAULT_SEED)
    parser.add_argument("--modules", default="", help="comma-separated numbers or names (default: all)")
    parser.add_argument("--out", type=Path, default=Path("workshop"), help="folder to create (default: ./workshop)")
    parser.add_argument("--course-id", default="back-to-the-field")
    parser.add_argument("--url", default=None, help="address learners open (default: this machine's JupyterHub)")
    parser.add_argument("--start", default="09:30", help="start time for the printed agenda")
    parser.add_argument("--learners", type=Path, default=None,
                        help="roster CSV (name, e-mail, optional platform id and hub username): every learner "
                             "gets their own data and a personal code")
    parser.add_argument("--variants", action="store_true",
                        help="every learner gets their own data even without a roster (on a hub: by login)")
    parser.set_defaults(func=_cmd_workshop)


def _cmd_workshop(args) -> int:
    data.get_profile(args.profile)
    modules = choose_modules(args.modules)
    info = prepare(args.out, args.profile, args.seed, modules, args.course_id, args.learners, args.variants)
    url = args.url or f"http://{socket.getfqdn()}:8000/"
    print(f"Workshop ready in {args.out} ({info['seconds']} s): {info['company']}, "
          f"{args.profile} profile, seed {args.seed}.")
    print("\nAgenda")
    for line in agenda(modules, args.start):
        print("  " + line)
    if info["learners"]:
        trainer = Path(args.out) / "trainer"
        print(say.ROSTER_WRITTEN.format(n=info["learners"], sheet=trainer / "roster_sheet.html",
                                        codes=trainer / "codes.csv"))
    elif info["variants"]:
        print(say.VARIANTS_WITHOUT_ROSTER)
    print(f"\nLearners open: {url}")
    print(f"Each module's release carries its data ({SHIPPED_DATA}/ beside the notebook): learners "
          f"who fetch it work on {info['company']}'s data, wherever their notebook runs.")
    print(f"Release a module to learners through the exchange ({default_exchange_root()}), with its due date: "
          + "; ".join(f"course publish {m.assignment} --due 'YYYY-MM-DD HH:MM' --exchange --course-dir {args.out}"
                      for m in modules))
    return 0
