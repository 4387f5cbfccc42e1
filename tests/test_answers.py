"""The hand-over format (course.answers): one small module, bounded, and plain about what it refuses."""
from __future__ import annotations

import ast
import subprocess
import sys

import nbformat

from course import answers
from course.paths import PACKAGE_DIR


def cell_with(*payloads, mime=answers.ANSWER_MIME):
    """A test cell as nbgrader reads it back from disk: outputs as NotebookNodes."""
    cell = nbformat.v4.new_code_cell('m1.check("shelfware", shelfware_tools)')
    cell.outputs = [nbformat.v4.new_output("display_data", data={mime: p}) for p in payloads]
    return nbformat.reads(nbformat.writes(nbformat.v4.new_notebook(cells=[cell])), as_version=4).cells[0]


def test_grade_ids_name_their_question():
    assert answers.test_cell_id("shelfware") == "test_shelfware"
    assert answers.question_of("test_shelfware") == "shelfware"
    assert answers.question_of("shelfware") is None and answers.question_of("test_") is None


def test_a_payload_round_trips_through_a_saved_notebook():
    answer = {"index": ["a", "b"], "values": [0.5, None]}
    cell = cell_with(answers.payload("tool_overload", "shelfware", answer, None, 4, "alice"))
    found, problems = answers.read_answers(cell, "tool_overload")
    assert problems == []
    assert found == {"shelfware": {"answer": answer, "refused": None, "checks": 4, "learner": "alice"}}
    assert type(found["shelfware"]["answer"]) is dict  # plain JSON again, not a NotebookNode


def test_an_oversized_answer_is_refused_with_a_reason_naming_the_answer():
    names = [f"tool {i}" for i in range(120_000)]
    built = answers.payload("tool_overload", "shelfware", names, None, 1)
    assert built["answer"] is None
    assert built["refused"].startswith("Your answer to `shelfware` is too big to check: it has 120,000 items")
    # the same bound holds for what grading reads, whatever the kernel claims to have built
    found, _ = answers.read_answers(cell_with({**built, "answer": names, "refused": None}), "tool_overload")
    assert found["shelfware"]["answer"] is None and "120,000 items" in found["shelfware"]["refused"]


def test_each_bound_has_its_own_reason():
    deep = []
    inner = deep
    for _ in range(100_000):   # iterative walk: a deep answer cannot exhaust the recursion limit
        inner.append([])
        inner = inner[0]
    assert "list inside a list" in answers.bounds_problem(deep)
    assert "30 digits" in answers.bounds_problem(10 ** 5000)
    assert "characters long" in answers.bounds_problem("x" * 5000)
    assert "not a number" in answers.bounds_problem({"index": [object()], "values": [1.0]})
    assert answers.bounds_problem({"index": ["a"] * 3000, "values": [1.5] * 3000}) is None


def test_grading_reads_only_this_modules_answers_and_notices_two_different_ones():
    other = answers.payload("orientation", "n_tools", 1, None, 1)
    first = answers.payload("tool_overload", "shelfware", ["A"], None, 1)
    second = answers.payload("tool_overload", "shelfware", ["B"], None, 2)
    found, problems = answers.read_answers(cell_with(other, first, second), "tool_overload")
    assert found["shelfware"]["answer"] is None and found["shelfware"]["checks"] == 2
    assert answers.OTHER_MODULE in problems and answers.TWO_ANSWERS.format(qid="shelfware") in problems
    forged = cell_with({"module": "tool_overload", "question": "shelfware", "answer": ["A"], "checks": -5,
                        "refused": ["not", "text"]})
    entry = answers.read_answers(forged, "tool_overload")[0]["shelfware"]
    assert entry["checks"] == 0 and entry["answer"] is None and "too big to check" in entry["refused"]


def test_check_counts_come_from_the_saved_check_boxes():
    records = [{"module": "tool_overload", "question": "shelfware", "checks": n} for n in (3, 7, 5)]
    records.append({"module": "orientation", "question": "n_tools", "checks": 99})
    assert answers.check_counts(cell_with(*records, mime=answers.CHECK_MIME), "tool_overload") == {"shelfware": 7}


def test_the_hand_over_module_stays_light():
    source = (PACKAGE_DIR / "answers.py").read_text()
    imported = {n.module or "" for n in ast.walk(ast.parse(source)) if isinstance(n, ast.ImportFrom)}
    imported |= {a.name for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Import) for a in n.names}
    assert imported <= {"__future__", "json", "", "messages", "errors"}, imported
    probe = ("import sys, course.answers, course.grading.config; "
             "print([m for m in ('pandas', 'course.learner', 'course.questions', 'course.checks') if m in sys.modules])")
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "[]"  # nbgrader's process reads hand-overs without pandas, the learner package or the key
