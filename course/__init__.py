"""Back to the field: a course kit that teaches junior marketers to reconnect marketing with reality.

Parts: `data` (seeded dataset generators), `questions` (what each exercise expects), `learner` (the
checks and hints notebooks call), `sims` (interactive simulations), `grading` (nbgrader integration
that judges outside the learner's kernel), `pipeline` (release and validation), `cli`.
"""
import sys as _sys

# plotly's FigureWidget imports nbformat, whose jsonschema imports rfc3987_syntax only to check one
# URI format; building that grammar costs about 2.5 s in every learner kernel. Nothing here needs it.
_sys.modules.setdefault("rfc3987_syntax", None)

__version__ = "0.1.0"
