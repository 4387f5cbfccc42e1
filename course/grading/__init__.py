"""Grading: the learner's kernel only produces answers; a clean process judges them.

- `hidden_tests` splits a test cell into what the learner's kernel runs and what only the judge runs.
- `judge` is the clean process: trusted data, plain-data answers, the hidden tests; nothing else.
- `tamper` builds the probes that show whether a kernel was changed while it ran.
- `preprocessors` plugs all of it into nbgrader's autograde pipeline.
- `config` applies the kit's nbgrader settings to a traitlets config.
"""
