"""benchmarks/lessons.py prints, for a profile, one block per module with each lesson's numbers beside
what issue 16 found, and says whether every lesson holds on that data."""
from __future__ import annotations

import importlib.util
import re

import pytest

from course.paths import REPO_ROOT


def _benchmark():
    spec = importlib.util.spec_from_file_location("lessons_benchmark", REPO_ROOT / "benchmarks" / "lessons.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# About 3 s of CPU, 5 to 8 s on the shared machine (every module's data for one profile, and the copycat
# simulation built to read its default, which loads plotly and ipywidgets): over the 5 s of a fast test.
@pytest.mark.slow
def test_the_script_prints_every_modules_lessons_beside_issue_16s_numbers(capsys):
    bench = _benchmark()
    code = bench.main(["--profile", "bank", "--seed", "7"])
    out = capsys.readouterr().out
    assert out.startswith("=== bank (Banque Aurore), seed 7 ===")
    titles = [title for title, _ in bench.MODULES]
    assert [t.split()[0] for t in titles] == [f"m{i}" for i in range(7)], "every module, in order"
    parts = re.split(r"^\[(.+)\]$", out, flags=re.M)
    blocks = dict(zip(parts[1::2], parts[2::2]))
    assert list(blocks) == titles
    failing = []
    for title, block in blocks.items():
        lessons = re.findall(r"^  (\S.*?): (.+)\n      issue 16 found: (.+?)  -> (ok|DOES NOT HOLD)$", block, re.M)
        assert len(lessons) >= 2, (title, block)
        assert all(now.strip() for _, now, _, _ in lessons), title
        assert block.count("issue 16 found:") == len(lessons), f"{title}: a line without its before-number"
        failing += [f"{title}: {name}: {now}" for name, now, _, verdict in lessons if verdict != "ok"]
    assert code == 0 and out.rstrip().endswith("every lesson holds"), failing
