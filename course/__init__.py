"""Back to the field: a course kit that teaches junior marketers to reconnect marketing with reality.

Parts: `data` (seeded dataset generators), `questions` (what each exercise expects), `learner` (the
checks and hints notebooks call), `sims` (interactive simulations), `grading` (nbgrader integration
that judges outside the learner's kernel), `pipeline` (release and validation), `cli`.
"""
__version__ = "0.1.0"
