"""The trainer's workflow for a cohort, as a pipeline of steps over one nbgrader course folder.

collect -> grade -> feedback -> export -> report, each a function with one job:

- `collect`: submissions from nbgrader's exchange, or from a folder of files and zips exported by a
  learning platform (Moodle, Canvas) through `nbgrader zip_collect`; every file not collected is
  reported by name with the reason.
- `grade`: nbgrader autograde in N processes, each submission in a scratch course of its own, merged
  into the one gradebook by the parent process; only new or changed submissions are graded.
- `feedback`: nbgrader generate_feedback, one HTML page per learner and module.
- `export`: one row per learner, a column per module and question, integrity flags; CSV and Excel.
- `report`: one self-contained HTML page for the cohort (plotly inlined).

Around them: `course_dir` (the course's nbgrader config and folders), `screen` (what is rejected or
noted before grading), `worker`/`pool`/`merge`/`ledger` (the parallel grading machinery), `compare`
(sequential nbgrader and gradebook comparison, for tests and benchmarks/grading.py), `synthetic`
(learner-like submissions), `wording` (every sentence the trainer reads).

`cli.add_parser(subparsers)` adds the `collect`, `grade`, `feedback`, `export`, `report` and `run`
commands to the kit's `course` command.
"""
