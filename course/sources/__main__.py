"""`python -m course.sources` writes docs/sources.md from the registry; `--check` only compares."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import DOCS_PATH, registry_problems, render_markdown, write_markdown


def main(argv=None) -> int:
    """Write (or with --check, compare) the rendered registry; 1 when something is wrong."""
    parser = argparse.ArgumentParser(prog="python -m course.sources", description=__doc__)
    parser.add_argument("--check", action="store_true", help="report whether the file is up to date; write nothing")
    parser.add_argument("--out", type=Path, default=DOCS_PATH, help=f"the file to write (default: {DOCS_PATH})")
    args = parser.parse_args(argv)
    problems = registry_problems()
    if problems:
        print("The source registry has problems:\n- " + "\n- ".join(problems), file=sys.stderr)
        return 1
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.is_file() else ""
        if current != render_markdown():
            print(f"{args.out} is out of date: run `python -m course.sources` to rewrite it.", file=sys.stderr)
            return 1
        print(f"{args.out} matches the registry.")
        return 0
    print(f"Wrote {write_markdown(args.out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
