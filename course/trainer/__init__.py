"""The trainer's workflow for a cohort, as a pipeline of steps over one nbgrader course folder.

publish -> collect -> grade -> feedback -> export -> report, each a function with one job:

- `releases.publish`: record that a module is released and when it is due (the gradebook's duedate,
  which nbgrader's late-penalty step reads), optionally through nbgrader's exchange;
- `collect`: submissions from nbgrader's exchange, or from a folder of files and zips exported by a
  learning platform (Moodle, Canvas) through `nbgrader zip_collect`; the newest version by the
  export's own evidence (`evidence`), never an older one over a newer without --force (`history`);
  every file not collected is reported by name with the reason;
- `grade`: nbgrader autograde in N processes, each submission in a scratch course of its own, merged
  into the one gradebook by the parent process; only new or changed submissions are graded;
- `feedback`: nbgrader generate_feedback, one HTML page per learner and module whose grade is final;
- `export` / `exports`: the kit's CSV and Excel, and the files Canvas, Moodle and nbgrader import;
- `report`: one self-contained HTML page for the cohort (plotly inlined).

Around them: `guard` (is this a course folder, which modules), `course_dir` (the course's nbgrader
config and folders), `states` (each learner's module: graded, pending, stale, flagged, rejected,
missing, not released), `handgrades` (hand grades and the work they were given for), `latepenalties`
(nbgrader's plugin applied to today's scores), `titles` (questions by their notebook headings),
`screen` (what is rejected or noted before grading), `worker`/`pool`/`merge`/`ledger` (the parallel
grading machinery), `compare` (sequential nbgrader and gradebook comparison, for tests and
benchmarks/grading.py), `synthetic` (learner-like submissions), `wording` (every sentence the trainer reads).

`cli.add_parser(subparsers)` adds the `publish`, `collect`, `grade`, `confirm`, `feedback`, `export`,
`report` and `run` commands to the kit's `course` command.
"""
