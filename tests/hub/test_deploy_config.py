"""Fast checks of deploy/ (no hub started): configs load and say what the docs say."""
from __future__ import annotations

import json
import re
import subprocess
import sys
import types
from pathlib import Path

import pytest
from traitlets.config import Config, PyFileConfigLoader

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def load_py_config(path: Path, monkeypatch, env: dict) -> Config:
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    loader = PyFileConfigLoader(path.name, path=str(path.parent))
    return loader.load_config()


def test_nbgrader_config_per_role(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    env = {"COURSE_ID": "acme-2026", "NBGRADER_EXCHANGE_ROOT": "/srv/x/exchange", "COURSE_HUB_ROLE": "learner"}
    c = load_py_config(DEPLOY / "nbgrader_config_hub.py", monkeypatch, env)
    assert c.CourseDirectory.course_id == "acme-2026"
    assert c.Exchange.root == "/srv/x/exchange"
    assert "root" not in c.CourseDirectory
    c = load_py_config(DEPLOY / "nbgrader_config_hub.py", monkeypatch, dict(env, COURSE_HUB_ROLE="instructor"))
    assert c.CourseDirectory.root == str(tmp_path / "course")


def test_role_configs():
    learner = json.loads((DEPLOY / "jupyter-config/learner/jupyter_server_config.json").read_text())
    exts = learner["ServerApp"]["jpserver_extensions"]
    assert exts["nbgrader.server_extensions.formgrader"] is False
    assert exts["nbgrader.server_extensions.assignment_list"] is True
    page = json.loads((DEPLOY / "jupyter-config/learner/labconfig/page_config.json").read_text())
    assert page["disabledExtensions"]["@jupyter/nbgrader:formgrader"] is True
    instructor = json.loads((DEPLOY / "jupyter-config/instructor/jupyter_server_config.json").read_text())
    assert all(instructor["ServerApp"]["jpserver_extensions"].values())


def test_hub_config_loads(monkeypatch, tmp_path):
    pytest.importorskip("jupyterhub")
    (tmp_path / "roster.txt").write_text("# roster\nAlice instructor\nbob\ncarol learner  # late\n")
    (tmp_path / "learner-password").write_text("learners-pw-123\n")
    env = {"COURSE_HUB_ETC": str(tmp_path), "COURSE_HUB_PREFIX": "/opt/ck", "COURSE_HUB_SPAWNER": "local",
           "COURSE_HUB_STATE": str(tmp_path / "state"), "COURSE_ID": "acme"}
    c = load_py_config(DEPLOY / "jupyterhub_config.py", monkeypatch, env)
    assert c.Authenticator.allowed_users == {"alice", "bob", "carol"}
    assert c.JupyterHub.load_groups == {"instructors": {"users": ["alice"]}, "learners": {"users": ["bob", "carol"]}}
    assert c.Spawner.mem_limit == "512M" and c.Spawner.cpu_limit == 1.0  # PLACEHOLDERS
    assert c.Spawner.cmd == ["/opt/ck/env/bin/jupyterhub-singleuser"]
    assert c.Spawner.environment["COURSE_ID"] == "acme"
    assert c.Spawner.environment["JUPYTER_CONFIG_PATH"].split(":")[0] == f"{tmp_path}/jupyter/learner"
    over = c.Spawner.group_overrides["01-instructors"]
    assert over["groups"] == ["instructors"]
    assert over["spawner_override"]["environment"]["COURSE_HUB_ROLE"] == "instructor"
    assert c.JupyterHub.spawner_class == "localprocess"
    assert c.JupyterHub.hub_bind_url.startswith("http://127.0.0.1:")
    role = next(r for r in c.JupyterHub.load_roles if r["name"] == "instructor")
    assert "access:servers!user=bob" in role["scopes"] and "access:servers!user=alice" not in role["scopes"]
    assert c.SharedPasswordAuthenticator.user_password == "learners-pw-123"


def test_z2jh_values(monkeypatch):
    yaml = pytest.importorskip("yaml")
    text = (DEPLOY / "z2jh-values.yaml").read_text()
    values = yaml.safe_load(text)
    su = values["singleuser"]
    assert su["memory"]["limit"] == "512M" and su["cpu"]["limit"] == 1
    assert re.search(r"limit: 512M\s+# PLACEHOLDER", text) and re.search(r"limit: 1\s+# PLACEHOLDER", text)
    assert su["extraEnv"]["JUPYTER_CONFIG_PATH"] == "/etc/course-kit/jupyter/learner:/etc/course-kit/jupyter/kit"
    # the image puts the configs where the values point
    docker = (DEPLOY / "Dockerfile.singleuser").read_text()
    for path in ("/etc/course-kit/jupyter/learner", "/etc/course-kit/jupyter/instructor",
                 "/etc/course-kit/jupyter/kit", "/etc/jupyter/nbgrader_config.py"):
        assert path in docker, path
    try:
        from course.launch import QUIET_FLAGS
    except Exception:  # noqa: BLE001 (kit not importable here)
        QUIET_FLAGS = None
    if QUIET_FLAGS is not None:
        assert values["hub"]["config"]["KubeSpawner"]["args"] == list(QUIET_FLAGS)
    mount = su["storage"]["extraVolumeMounts"][0]["mountPath"]
    assert su["extraEnv"]["NBGRADER_EXCHANGE_ROOT"] == mount

    pytest.importorskip("jupyterhub")
    custom = values["custom"]

    def get_config(key, default=None):
        node = values
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                return default
            node = node[part]
        return node

    monkeypatch.setitem(sys.modules, "z2jh", types.SimpleNamespace(get_config=get_config))
    c = Config()
    exec(values["hub"]["extraConfig"]["10-course-kit"], {"c": c})
    assert c.Authenticator.allowed_users == set(custom["instructors"]) | set(custom["learners"])
    assert c.JupyterHub.load_groups["instructors"]["users"] == sorted(custom["instructors"])
    role = next(r for r in c.JupyterHub.load_roles if r["name"] == "instructor")
    assert f"access:servers!user={custom['learners'][0]}" in role["scopes"]
    env = c.KubeSpawner.group_overrides["01-instructors"]["spawner_override"]["environment"]
    assert env["JUPYTER_CONFIG_PATH"].split(":")[0] == "/etc/course-kit/jupyter/instructor"


def test_installer_syntax():
    subprocess.run(["bash", "-n", str(DEPLOY / "install_single_server.sh")], check=True)
