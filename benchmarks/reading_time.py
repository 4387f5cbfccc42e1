"""Reading time per module and section: what a learner reads and types, against the minutes stated.

    python benchmarks/reading_time.py [--wpm 180] [--module m1_tool_overload]

For every module (course.modules), reads the learner's notebook (exercises/, what a learner sees;
solutions/ if no release exists) and splits it at its "## " and "### " headings. Per section it prints:

- stated: the minutes in the heading, "## Exercise 2 - shelfware (6 min)" (blank if none);
- words: the words of its markdown cells and of the code cells a learner reads (setup, examples,
  check lines), counted as whitespace-separated tokens; solution cells are not counted here;
- read: those words at --wpm words a minute;
- lines: the code lines to type in the section's answer cells, from solutions/ (the lines between
  BEGIN SOLUTION and END SOLUTION, blank lines and comments left out);
- sims: the simulations the section plays (a code cell calling a course.sims '*_explorer');
- write: the most words the section's written answer asks for ("Write 120 to 200 words": 200);
- est: read + LINE_SECONDS per line typed + ATTEMPT_MINUTES per graded code exercise (a wrong try, a
  hint, the right answer) + SIM_MINUTES per simulation + the written words at WRITE_WPM words a minute
  (composing from the notebook's numbers, not typing a known text).

The estimate is a floor for a careful first-time learner: it counts no time for puzzling over an error.
The module's total is compared with both the sum of its headings and its stated minutes (modules.py).
"""
from __future__ import annotations

import argparse
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

from course.modules import MODULES, ModuleInfo
from course.paths import REPO_ROOT

LINE_SECONDS = 20       # typing and checking one answer line, for someone who never wrote a loop
ATTEMPT_MINUTES = 2.0   # one natural wrong try, its message, one hint, the right answer: 3 runs
SIM_MINUTES = 1.5       # playing one simulation's controls
WRITE_WPM = 20          # composing a written answer from the notebook's numbers (its rubric is in 'read')
HEADING = re.compile(r"^#{2,3}\s+(?P<title>.+?)\s*$", re.M)   # "## " sections and "### " exercises under them
MINUTES = re.compile(r"\((?P<min>\d+)\s*min\)")
SOLUTION = re.compile(r"### BEGIN SOLUTION\n(?P<body>.*?)### END SOLUTION", re.S)
LINK_TARGET = re.compile(r"\]\([^)]*\)")
WORDS_ASKED = re.compile(r"(\d+) to (\d+) words")


@dataclass
class Section:
    """One "## " heading's share of a notebook."""

    title: str
    stated: int | None = None
    words: int = 0
    lines: int = 0
    exercises: int = 0
    write_words: int = 0
    sims: int = 0

    def read_minutes(self, wpm: float) -> float:
        return self.words / wpm

    def estimate(self, wpm: float) -> float:
        """Reading plus typing, attempts, simulations and writing, by the module docstring's rule."""
        return (self.read_minutes(wpm) + self.lines * LINE_SECONDS / 60 + self.exercises * ATTEMPT_MINUTES
                + self.sims * SIM_MINUTES + self.write_words / WRITE_WPM)


def words_of(text: str) -> int:
    """Words a reader reads: link targets (URLs, anchors) are not read."""
    return len(LINK_TARGET.sub("]", text).split())


def typed_lines(solution_source: str) -> int:
    """Code lines a learner types: the model answer between the solution markers."""
    body = "\n".join(m.group("body") for m in SOLUTION.finditer(solution_source))
    return sum(1 for line in body.splitlines() if line.strip() and not line.strip().startswith("#"))


def _nbgrader(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def _split_markdown(source: str) -> list[tuple[str | None, str]]:
    """A markdown cell's text in pieces, each with the heading that opens it (None: no new heading)."""
    pieces, start, title = [], 0, None
    for match in HEADING.finditer(source):
        pieces.append((title, source[start:match.start()]))
        start, title = match.start(), match.group("title")
    pieces.append((title, source[start:]))
    return [(t, text) for t, text in pieces if t is not None or text.strip()]


def sections(module: ModuleInfo, root: Path = REPO_ROOT) -> list[Section]:
    """The module's sections as a learner meets them, with the answer lines of the solutions."""
    release = root / "exercises" / module.assignment / module.notebook
    source = root / "solutions" / module.assignment / module.notebook
    learner = nbformat.read(release if release.exists() else source, as_version=4)
    answers = {_nbgrader(c).get("grade_id"): c.source for c in nbformat.read(source, as_version=4).cells
               if _nbgrader(c).get("solution")}
    out = [Section("(opening, before the first heading)")]
    for cell in learner.cells:
        meta = _nbgrader(cell)
        if cell.cell_type == "markdown":
            for title, text in _split_markdown(cell.source):
                if title is not None:
                    found = MINUTES.search(title)
                    out.append(Section(title, int(found.group("min")) if found else None))
                if not meta.get("solution"):   # the learner's own text: its placeholder is not reading
                    out[-1].words += words_of(text)
                    asked = WORDS_ASKED.findall(text)
                    out[-1].write_words += max((int(high) for _, high in asked), default=0)
        elif meta.get("solution"):
            out[-1].exercises += 1
            out[-1].lines += typed_lines(answers.get(meta.get("grade_id"), ""))
        else:
            out[-1].words += words_of(cell.source)
            out[-1].sims += len(re.findall(r"\w+_explorer\(", cell.source))
    return [s for s in out if s.words or s.stated is not None or s.lines]


def _fmt(value: float | int | None, width: int, digits: int = 0) -> str:
    return " " * width if value is None else f"{value:>{width}.{digits}f}"


def report(module: ModuleInfo, wpm: float) -> tuple[int, float, float]:
    """Print one module's table; return (stated minutes, reading minutes, estimated minutes)."""
    rows = sections(module)
    print(f"\n{module.assignment}  (stated {module.minutes} min)")
    print(f"  {'section':<52} {'stated':>6} {'words':>6} {'read':>5} {'lines':>5} {'sims':>4} {'write':>5} {'est':>5}")
    for s in rows:
        print(f"  {s.title[:52]:<52} {_fmt(s.stated, 6)} {s.words:>6} {_fmt(s.read_minutes(wpm), 5, 1)} "
              f"{s.lines:>5} {s.sims:>4} {s.write_words or '':>5} {_fmt(s.estimate(wpm), 5, 1)}")
    headed = sum(s.stated or 0 for s in rows)
    words, lines = sum(s.words for s in rows), sum(s.lines for s in rows)
    read, est = sum(s.read_minutes(wpm) for s in rows), sum(s.estimate(wpm) for s in rows)
    print(f"  {'total (headings add up to ' + str(headed) + ' min)':<52} {module.minutes:>6} {words:>6} "
          f"{read:>5.1f} {lines:>5} {sum(s.sims for s in rows):>4} {sum(s.write_words for s in rows):>5} {est:>5.1f}")
    return module.minutes, read, est


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wpm", type=float, default=180.0, help="reading speed, words a minute (180)")
    parser.add_argument("--module", action="append", help="an assignment name; repeat for several (all)")
    args = parser.parse_args()
    chosen = [m for m in MODULES if not args.module or m.assignment in args.module]
    print(f"Reading at {args.wpm:.0f} words a minute; est = read + {LINE_SECONDS} s per answer line + "
          f"{ATTEMPT_MINUTES:g} min per graded exercise + {SIM_MINUTES:g} min per simulation + "
          f"the written words at {WRITE_WPM} a minute.")
    totals = [report(m, args.wpm) for m in chosen]
    print(f"\nall modules: stated {sum(t[0] for t in totals)} min, reading {sum(t[1] for t in totals):.0f} min, "
          f"estimate {sum(t[2] for t in totals):.0f} min")


if __name__ == "__main__":
    main()
