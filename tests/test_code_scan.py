"""The code scan flags cheating, not words: honest solutions in many styles raise no flag; every cheat
that must be flagged is, from a cell or from a helper file handed in beside the notebook."""
from __future__ import annotations

from textwrap import dedent

import nbformat
import pytest

from course.grading.code_scan import scan_cells, scan_folder, scan_source

from fixtures.cheats import CHEATS, FLAG

# Honest answers to the modules' exercises, written as different learners write them. Several use the
# words the old substring scan flagged (startup, answers, solutions/, nbgrader, builtins, gradebook) in
# names, comments and prose strings.
HONEST = {
    "len": "n_tools = len(stack)",
    "shape": "n_tools = stack.shape[0]",
    "loop_count": "n_tools = 0\nfor _ in stack.itertuples():\n    n_tools += 1",
    "nunique": "n_tools = stack['tool'].nunique()  # each tool once, like the solutions/ of last year",
    "sort_values": 'priciest = stack.sort_values("annual_cost", ascending=False)["tool"].iloc[0]',
    "idxmax": 'priciest = stack.loc[stack["annual_cost"].idxmax(), "tool"]',
    "max_loop": dedent("""
        best, priciest = -1, None
        for row in stack.to_dict("records"):
            if row["annual_cost"] > best:
                best, priciest = row["annual_cost"], row["tool"]
        """),
    "comprehension": 'costs = [c for c in stack["annual_cost"]]\ntypical_cost = sorted(costs)[len(costs) // 2]',
    "median": 'typical_cost = stack["annual_cost"].median()',
    "statistics": 'import statistics\ntypical_cost = statistics.median(stack["annual_cost"].tolist())',
    "query": 'cheap = stack.query("annual_cost < 1000")\nn_cheap = len(cheap)',
    "agg": 'summary = stack.groupby("category").agg(total=("annual_cost", "sum"), n=("tool", "count"))',
    "helper_function": dedent("""
        def share_used(frame):
            '''How much of the seats are really used: the startup question.'''
            return frame["monthly_active_users"] / frame["seats"]
        shelfware = stack.loc[share_used(stack) < 0.2, "tool"].tolist()
        """),
    "startup_costs": "startup_costs = 12_000  # what a startup team would pay in year one\ntotal = startup_costs * 2",
    "my_answers": 'my_answers = {"n_tools": len(stack)}\nprint(my_answers)',
    "builtins_comment": "# builtins like sum() and len() are enough here\ntotal = sum(stack['annual_cost'])",
    "nbgrader_words": 'print("nbgrader will check this answer; the gradebook keeps my score")',
    "lambda_apply": 'stack["monthly"] = stack["annual_cost"].apply(lambda c: c / 12)',
    "merge": 'joined = stack.merge(stack[["tool", "seats"]], on="tool", suffixes=("", "_again"))',
    "pivot": 'table = stack.pivot_table(index="category", values="annual_cost", aggfunc="mean")',
    "magic_and_shell": "%time n_tools = len(stack)\nimport os\nfiles = os.listdir('.')",
    "does_not_parse": "n_tools = len(stack\n",
    "expected_word": 'expected_saving = 0.2 * stack["annual_cost"].sum()\nverdict_text = "keep"',
    "hints": 'm0.hint("n_tools")\nm0.check("n_tools", n_tools)',
    "startup_label": 'startups = stack[stack["category"] == "startup"]',
    "answers_variable": "answers = [1, 2, 3]\nanswers_total = sum(answers)",
    "mime_strings": 'display({"application/vnd.jupyter.widget-view+json": {}, "text/plain": "x"}, raw=True)',
    "web_path": 'source = "https://example.org/solutions/startup/report.pdf"  # a link, not a file',
}


def cells(*sources):
    return [nbformat.v4.new_code_cell(s) for s in sources]


def test_at_least_twenty_honest_styles():
    assert len(HONEST) >= 20


@pytest.mark.parametrize("name", list(HONEST))
def test_honest_solution_is_not_flagged(name):
    assert scan_source(HONEST[name]) == [], name


def test_a_whole_notebook_of_honest_answers_is_not_flagged():
    assert scan_cells(cells(*HONEST.values())) == []


# fake_pass_then_exit is a print and os._exit: honest-looking code that only the tamper probes catch.
@pytest.mark.parametrize("cheat", [n for n, (_, outcome) in CHEATS.items() if FLAG in outcome and n != "fake_pass_then_exit"])
def test_every_cheat_that_must_be_flagged_is(cheat):
    code, _ = CHEATS[cheat]
    flags = scan_cells(cells(code))
    assert flags and all(f.startswith("The notebook's own code ") and f.endswith(".") for f in flags), flags


@pytest.mark.parametrize("code,reason", [
    ("import course.questions as q", "grading code"),
    ("from course import questions", "grading code"),
    ("from course.answers import build", "grading code"),
    ("import importlib\nimportlib.import_module('course.grading.judge')", "grading code"),
    ("get_ipython().run_cell = lambda *a, **k: None", "changes how"),
    ("setattr(get_ipython(), 'showtraceback', print)", "changes how"),
    ("import sys\nsys.meta_path.insert(0, object())", "changes how"),
    ("open('/home/x/.ipython/profile_default/startup/0.py', 'w')", "other notebooks"),
    ("import glob\nglob.glob('../../source/*/*.ipynb')", "grader's files"),
    ("open('gradebook.db').read()", "grader's files"),
    ("x = m0.bank.get('n_tools').expected(m0.data)", "answer functions"),
])
def test_what_the_code_means_is_flagged(code, reason):
    flags = scan_source(code)
    assert any(reason in f for f in flags), (code, flags)


def test_files_beside_the_notebook_are_scanned(tmp_path):
    (tmp_path / "helper.py").write_text("import course.questions\ndef answer():\n    return 1\n")
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "tidy.py").write_text(HONEST["helper_function"])
    (tmp_path / "notes.txt").write_text("import course.questions")   # not code
    flags = scan_folder(tmp_path)
    assert flags == ["The file helper.py handed in beside the notebook reaches into the course's grading code."]
