"""The quick unit run stays quick and honest: a test not marked `slow` that starts a kernel, runs nbgrader or
spawns the judge fails, even when it catches the guard's error (tests/fixtures/layers.py)."""
from __future__ import annotations

import sys

import pytest

from fixtures import layers

KERNEL_TEST = """
import pytest
from jupyter_client.manager import KernelManager

{mark}
def test_starts_a_kernel():
    km = KernelManager(kernel_name="python3")
    try:
        km.start_kernel()
    except Exception:
        pass            # the trainer reports errors instead of raising: the guard must still fail this test
    finally:
        if km.has_kernel:
            km.shutdown_kernel(now=True)
        km.cleanup_resources()
"""

SHARED_FIXTURE_TEST = """
import pytest
from nbgrader.apps import NbGraderAPI

@pytest.fixture(scope="session")
def generated(tmp_path_factory):
    try:
        NbGraderAPI().generate_assignment("none")
    except Exception:
        pass
    return 1

def test_uses_a_generated_course(generated):
    assert generated == 1
"""


@pytest.fixture
def inner(pytester, monkeypatch):
    """Run a small test file in this process under the guard; the outer test's state comes back after."""
    pytester.makeconftest("from fixtures.layers import *  # noqa: F401,F403\n")
    saved = dict(layers.CURRENT)
    monkeypatch.setattr(sys, "path", [*sys.path])

    def run(source: str):
        pytester.makepyfile(source)
        try:
            return pytester.runpytest_inprocess("-p", "no:cacheprovider", "-p", "no:xdist", "-q")
        finally:
            layers.CURRENT.update(saved)
    return run


def test_an_unmarked_test_that_starts_a_kernel_fails_even_when_it_catches_the_error(inner):
    result = inner(KERNEL_TEST.format(mark=""))
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*started a Jupyter kernel, but is not marked slow*"])


def test_a_shared_fixture_that_runs_nbgrader_fails_the_unmarked_test_that_needs_it(inner):
    result = inner(SHARED_FIXTURE_TEST)
    assert result.ret != 0
    result.stdout.fnmatch_lines(["*ran nbgrader's GenerateAssignment, but is not marked slow*"])


@pytest.mark.parametrize("argv,slow", [
    ([sys.executable, "-I", "-m", "course.grading.judge", "--serve"], True),   # the judge process
    ([sys.executable, "-m", "course.trainer.pool", "3"], True),                # a trainer pool worker
    (["/usr/local/bin/nbgrader", "autograde", "m1"], True),
    (["jupyter-lab", "--no-browser"], True),
    (["/usr/bin/chromium", "--headless"], True),
    (["/x/site-packages/playwright/driver/node", "cli.js", "run-driver"], True),   # Playwright's browser driver
    ([sys.executable, "-c", "import course.answers"], False),                  # an import probe
    (["git", "ls-files", "*.ipynb"], False),
    (["bash", "-n", "install.sh"], False),
])
def test_which_commands_are_slow_work(argv, slow):
    assert (layers.slow_command(argv, {}) is not None) is slow, argv
