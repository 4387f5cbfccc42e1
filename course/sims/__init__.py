"""Interactive simulations: a pure model (numbers in, numbers out) and a thin widget that draws it.

Only a learner's kernel imports this package (notebooks, and the setup check), so the one start-up
trick for that kernel lives here: plotly's FigureWidget and renderers import nbformat, whose
jsonschema imports rfc3987_syntax only to check one URI format; building that grammar costs about
2.5 s, more on a busy machine, the first time a notebook draws a figure, and no course notebook
validates URIs. The judge, the trainer's tools and the cli never import this package
(tests/test_layers.py), so they keep jsonschema's full format checks.
"""
import sys as _sys

_sys.modules.setdefault("rfc3987_syntax", None)
