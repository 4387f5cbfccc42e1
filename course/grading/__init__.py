"""Grading: the learner's kernel only produces answers; a clean process judges them.

- `judge` is the clean process: trusted data, plain-data answers and the answer key; no notebook code.
- `tamper` builds the probes that show whether a kernel was changed while it ran.
- `preprocessors` plugs all of it into nbgrader's autograde pipeline.
- `config` applies the kit's nbgrader settings to a traitlets config.
"""
