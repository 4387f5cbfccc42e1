"""`course start` (the README's first command ends with it) serves the learner notebooks and lands on
the landing page; it stops cleanly."""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

from course.pipeline import LANDING


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
        log.close()
