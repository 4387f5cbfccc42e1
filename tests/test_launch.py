"""`course start` (the README's first command ends with it) serves the learner notebooks and lands on
the landing page, with the learner's kernel and without the trainer's or the exchange's extensions;
its terminal shows the address and nothing a learner cannot act on; it stops cleanly."""
from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from course.kernel import KERNEL_ARGS, LearnerKernelSpecs
from course.pipeline import LANDING


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_course_start_serves_the_landing_notebook(tmp_path):
    port = free_port()
    env = {**os.environ, "HOME": str(tmp_path), "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
           "JUPYTER_DATA_DIR": str(tmp_path / "data"), "JUPYTER_CONFIG_DIR": str(tmp_path / "config")}
    course = Path(sys.executable).parent / "course"
    log = open(tmp_path / "start.log", "w+", encoding="utf-8")
    proc = subprocess.Popen([str(course), "start", "--no-browser", "--port", str(port)], env=env,
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        url, deadline = None, time.monotonic() + 90
        while url is None and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.5)
            found = re.search(rf"http://127\.0\.0\.1:{port}/lab/tree/{LANDING}\?token=\w+",
                              (tmp_path / "start.log").read_text(encoding="utf-8"))
            url = found.group(0) if found else None
        assert url, (tmp_path / "start.log").read_text(encoding="utf-8")[-3000:]
        page = requests.get(url, timeout=30)
        assert page.status_code == 200 and "JupyterLab" in page.text
        token = url.split("token=")[1]
        listing = requests.get(f"http://127.0.0.1:{port}/api/contents", params={"token": token}, timeout=30).json()
        names = {item["name"] for item in listing["content"]}
        assert LANDING in names and "m1_tool_overload" in names, names
        assert "solutions" not in names, "learners must not see the source notebooks"
        # the Python kernel is the learner's kernel (friendly errors loaded when it starts)
        specs = requests.get(f"http://127.0.0.1:{port}/api/kernelspecs", params={"token": token}, timeout=30).json()
        assert specs["kernelspecs"]["python3"]["spec"]["argv"][-len(KERNEL_ARGS):] == list(KERNEL_ARGS)
        # no trainer panel and no exchange on a laptop: nbgrader's formgrader, assignment and course
        # lists are not served (their menus are off too: tests/browser); Validate stays
        for route in ("formgrader", "assignments", "courses"):
            gone = requests.get(f"http://127.0.0.1:{port}/{route}", params={"token": token}, timeout=30)
            assert gone.status_code == 404, route
        validate = requests.post(f"http://127.0.0.1:{port}/assignments/validate", params={"token": token},
                                 data={"path": "m0_orientation/m0_orientation.ipynb"}, timeout=120)
        assert validate.json()["success"] is True, validate.text[:500]
        # the terminal: our line, and Jupyter's address block (logged as critical), nothing else
        text = (tmp_path / "start.log").read_text(encoding="utf-8")
        noise = [line for line in text.splitlines()
                 if line.strip() and not line.startswith(("Opening JupyterLab on ", "[C ", "    "))]
        assert noise == [], text
    finally:
        os.killpg(proc.pid, signal.SIGTERM)  # the process group this test started
        proc.wait(timeout=30)
        log.close()


def test_kernel_spec_adds_the_learner_options_to_this_python_only(tmp_path):
    """The kit's kernel spec is Jupyter's own python3 spec plus KERNEL_ARGS; a python3 spec that runs
    another interpreter (where the kit may not be installed) is left as it is."""
    from jupyter_client.kernelspec import KernelSpecManager

    plain = KernelSpecManager().get_kernel_spec("python3")
    ours = LearnerKernelSpecs().get_kernel_spec("python3")
    assert ours.argv == plain.argv + list(KERNEL_ARGS)
    assert (ours.display_name, ours.language, ours.metadata) == (plain.display_name, plain.language, plain.metadata)
    other = tmp_path / "kernels" / "python3"
    other.mkdir(parents=True)
    argv = ["/opt/elsewhere/bin/python3.9", "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (other / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": "Other", "language": "python"}))
    assert LearnerKernelSpecs(kernel_dirs=[str(tmp_path / "kernels")]).get_kernel_spec("python3").argv == argv


def test_every_notebook_carries_what_the_learner_kernel_reports():
    """JupyterLab writes the kernel's language_info and kernel spec into a notebook it opens; when they
    already hold exactly that, the notebook is not marked modified (the browser test checks the tab)."""
    import nbformat
    from jupyter_client.kernelspec import KernelSpecManager

    from course.kernel import LANGUAGE_INFO
    from course.paths import exercises_dir, solutions_dir

    spec = KernelSpecManager().get_kernel_spec("python3")
    notebooks = sorted([*solutions_dir().rglob("*.ipynb"), *exercises_dir().rglob("*.ipynb")])
    assert notebooks
    for path in notebooks:
        meta = nbformat.read(path, as_version=4).metadata
        assert meta.get("language_info") == LANGUAGE_INFO, (
            f"{path}: set metadata.language_info to course.kernel.LANGUAGE_INFO (what the learner's kernel "
            f"reports; a notebook saved from another kernel holds its Python version), then `course release`")
        assert meta.get("kernelspec") == {"name": "python3", "display_name": spec.display_name,
                                          "language": spec.language}, path
