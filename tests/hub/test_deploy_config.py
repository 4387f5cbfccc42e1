"""Fast checks of deploy/ (no hub started): configs load and say what the docs say."""
from __future__ import annotations

import ast
import grp
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import types
from pathlib import Path

import pytest
from traitlets.config import Config, PyFileConfigLoader

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def hub_config_defaults() -> dict[str, str]:
    """The default jupyterhub_config.py gives each knob: {"COURSE_HUB_MEM_LIMIT": "768M", ...}.

    Read from its ``_env("NAME", "default")`` calls, so this needs no jupyterhub.
    """
    found = {}
    for node in ast.walk(ast.parse((DEPLOY / "jupyterhub_config.py").read_text())):
        if (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "_env" and len(node.args) == 2
                and all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in node.args)):
            found[node.args[0].value] = node.args[1].value
    return found


def to_bytes(spec) -> int:
    """A memory size as JupyterHub's spawners read it (ByteSpecification: K, M, G, T are powers of 1024)."""
    spec = str(spec).strip()
    units = {"K": 2**10, "M": 2**20, "G": 2**30, "T": 2**40}
    return int(float(spec[:-1]) * units[spec[-1]]) if spec[-1] in units else int(spec)


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
    # one gradebook, in the course folder, whichever folder nbgrader runs from
    assert c.CourseDirectory.db_url == f"sqlite:///{tmp_path / 'course' / 'gradebook.db'}"
    assert c.CourseDirectory.course_id == "acme-2026"
    # the instructor grades with the kit's pipeline (judge outside the kernel, sandbox)
    try:
        from course.grading.config import autograde_pipeline
    except ImportError:  # the kit is not importable here
        return
    names = [p.__name__ for p in c.Autograde.autograde_preprocessors]
    assert names == [p.__name__ for p in autograde_pipeline()]
    assert "JudgeOutside" in names and "AddProbes" in names


def test_role_configs():
    learner = json.loads((DEPLOY / "jupyter-config/learner/jupyter_server_config.json").read_text())
    exts = learner["ServerApp"]["jpserver_extensions"]
    assert exts["nbgrader.server_extensions.formgrader"] is False
    assert exts["nbgrader.server_extensions.assignment_list"] is True
    page = json.loads((DEPLOY / "jupyter-config/learner/labconfig/page_config.json").read_text())
    assert page["disabledExtensions"]["@jupyter/nbgrader:formgrader"] is True
    instructor = json.loads((DEPLOY / "jupyter-config/instructor/jupyter_server_config.json").read_text())
    assert all(instructor["ServerApp"]["jpserver_extensions"].values())
    # The kit's own Lab settings (course/jupyter_settings, a learner's laptop setup) come after the role
    # folder on every hub server's JUPYTER_CONFIG_PATH: the instructors' page config switches back on,
    # explicitly, every nbgrader panel those settings hide (an empty dict would not override them).
    kit = json.loads((DEPLOY.parent / "course/jupyter_settings/labconfig/page_config.json").read_text())
    hidden = {k for k, v in kit.get("disabledExtensions", {}).items() if v and k.startswith("@jupyter/nbgrader")}
    shown = json.loads((DEPLOY / "jupyter-config/instructor/labconfig/page_config.json").read_text())
    assert all(shown["disabledExtensions"].get(k) is False for k in hidden), (hidden, shown)
    assert hidden <= {k for k, v in page["disabledExtensions"].items() if v}  # learners: hidden anyway


def test_hub_config_loads(monkeypatch, tmp_path):
    pytest.importorskip("jupyterhub")
    (tmp_path / "roster.txt").write_text("# roster\nAlice instructor\nbob\ncarol learner  # late\n")
    (tmp_path / "learner-password").write_text("learners-pw-123\n")
    env = {"COURSE_HUB_ETC": str(tmp_path), "COURSE_HUB_PREFIX": "/opt/ck", "COURSE_HUB_SPAWNER": "local",
           "COURSE_HUB_STATE": str(tmp_path / "state"), "COURSE_ID": "acme"}
    c = load_py_config(DEPLOY / "jupyterhub_config.py", monkeypatch, env)
    assert c.Authenticator.allowed_users == {"alice", "bob", "carol"}
    assert c.JupyterHub.load_groups == {"instructors": {"users": ["alice"]}, "learners": {"users": ["bob", "carol"]}}
    defaults = hub_config_defaults()
    assert c.Spawner.mem_limit == defaults["COURSE_HUB_MEM_LIMIT"]
    assert c.Spawner.cpu_limit == float(defaults["COURSE_HUB_CPU_LIMIT"])
    assert c.Spawner.cmd == ["/opt/ck/env/bin/jupyterhub-singleuser"]
    assert c.Spawner.environment["COURSE_ID"] == "acme"
    assert c.Spawner.environment["JUPYTER_CONFIG_PATH"].split(":")[0] == f"{tmp_path}/jupyter/learner"
    # every server reads the kit's settings (its learner kernel), none the laptop-only ones
    from course.launch import LAPTOP_DIR, SETTINGS_DIR
    for env in (c.Spawner.environment, c.Spawner.group_overrides["01-instructors"]["spawner_override"]["environment"]):
        assert str(SETTINGS_DIR) in env["JUPYTER_CONFIG_PATH"].split(":")
        assert str(LAPTOP_DIR) not in env["JUPYTER_CONFIG_PATH"].split(":")
    kit = json.loads((SETTINGS_DIR / "jupyter_server_config.json").read_text())
    assert kit["ServerApp"]["kernel_spec_manager_class"] == "course.kernel.LearnerKernelSpecs"
    over = c.Spawner.group_overrides["01-instructors"]
    assert over["groups"] == ["instructors"]
    assert over["spawner_override"]["environment"]["COURSE_HUB_ROLE"] == "instructor"
    assert over["spawner_override"]["mem_limit"] == defaults["COURSE_HUB_INSTRUCTOR_MEM_LIMIT"]
    assert c.JupyterHub.spawner_class == "localprocess"
    assert c.JupyterHub.hub_bind_url.startswith("http://127.0.0.1:")
    role = next(r for r in c.JupyterHub.load_roles if r["name"] == "instructor")
    assert "access:servers!user=bob" in role["scopes"] and "access:servers!user=alice" not in role["scopes"]
    assert c.SharedPasswordAuthenticator.user_password == "learners-pw-123"
    # the instructors' unix group (reads the kit's solutions/): the same default as the installer's;
    # LocalProcessSpawner gives a server the account's groups by itself, SystemdSpawner is told
    installer = (DEPLOY / "install_single_server.sh").read_text()
    group = defaults["COURSE_HUB_INSTRUCTORS_UNIX_GROUP"]
    assert f'INSTRUCTORS_UNIX_GROUP="${{INSTRUCTORS_UNIX_GROUP:-{group}}}"' in installer
    assert f'GROUP="${{2:-{group}}}"' in (DEPLOY / "protect_solutions.sh").read_text()
    assert "unit_extra_properties" not in over["spawner_override"]
    c = load_py_config(DEPLOY / "jupyterhub_config.py", monkeypatch, dict(env, COURSE_HUB_SPAWNER="systemd"))
    assert c.JupyterHub.spawner_class == "systemdspawner.SystemdSpawner"
    over = c.Spawner.group_overrides["01-instructors"]["spawner_override"]
    assert over["unit_extra_properties"] == {"SupplementaryGroups": group}
    assert "unit_extra_properties" not in c.SystemdSpawner and "unit_extra_properties" not in c.Spawner


def test_z2jh_values(monkeypatch):
    yaml = pytest.importorskip("yaml")
    text = (DEPLOY / "z2jh-values.yaml").read_text()
    values = yaml.safe_load(text)
    su = values["singleuser"]
    # the same measured limits as the single-server config
    defaults = hub_config_defaults()
    assert to_bytes(su["memory"]["limit"]) == to_bytes(defaults["COURSE_HUB_MEM_LIMIT"])
    assert float(su["cpu"]["limit"]) == float(defaults["COURSE_HUB_CPU_LIMIT"])
    assert not re.search(r"(limit|guarantee):.*PLACEHOLDER", text)
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
    override = c.KubeSpawner.group_overrides["01-instructors"]["spawner_override"]
    env = override["environment"]
    assert env["JUPYTER_CONFIG_PATH"].split(":")[0] == "/etc/course-kit/jupyter/instructor"
    assert to_bytes(override["mem_limit"]) == to_bytes(defaults["COURSE_HUB_INSTRUCTOR_MEM_LIMIT"])


def test_limits_measured_and_in_step():
    """No placeholder limits left; every place that states a limit states the config's measured one."""
    defaults = hub_config_defaults()
    config = (DEPLOY / "jupyterhub_config.py").read_text()
    assert "PLACEHOLDER" not in config
    for knob in ("COURSE_HUB_MEM_LIMIT", "COURSE_HUB_INSTRUCTOR_MEM_LIMIT", "COURSE_HUB_CPU_LIMIT"):
        assert knob in defaults, knob
    # the comment says where the numbers come from and how to re-measure them
    assert "tests/hub" in config and "benchmarks/modules.py" in config
    # learners' limit as the comment derives it: (server peak + 2 kernels) x 1.25, rounded up
    derivation = re.search(r"\((\d+) \+ 2 x (\d+)\) x 1\.25 = (\d+) -> (\w+)\b", config)
    assert derivation, "the learners' limit derivation is missing from jupyterhub_config.py"
    server, kernel, total, limit = derivation.groups()
    assert round((int(server) + 2 * int(kernel)) * 1.25) == int(total)
    assert limit == defaults["COURSE_HUB_MEM_LIMIT"] and to_bytes(limit) >= int(total) * 2**20
    # the installer no longer writes limits of its own into hub.env (the config's defaults apply)
    installer = (DEPLOY / "install_single_server.sh").read_text()
    assert not re.search(r"^COURSE_HUB_(MEM|CPU)_LIMIT=", installer, re.M)
    for knob in ("COURSE_HUB_MEM_LIMIT", "COURSE_HUB_INSTRUCTOR_MEM_LIMIT", "COURSE_HUB_CPU_LIMIT"):
        assert f"# {knob}={defaults[knob]}" in installer, knob


def test_installer_syntax():
    subprocess.run(["bash", "-n", str(DEPLOY / "install_single_server.sh")], check=True)
    subprocess.run(["bash", "-n", str(DEPLOY / "protect_solutions.sh")], check=True)


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("setpriv") or not shutil.which("groupadd"),
                    reason="needs root, setpriv and groupadd")
def test_protect_solutions_on_a_checkout():
    """deploy/protect_solutions.sh on a throwaway checkout: solutions/, the answer key and .git for root and
    the group only."""
    group = f"e2e-protect-{os.urandom(2).hex()}"
    top = Path(tempfile.mkdtemp(prefix="course-protect-", dir="/tmp"))
    try:
        top.chmod(0o755)  # as /opt/course-kit-src: anyone may enter the checkout
        kit = top / "kit"
        files = {"solutions/m1/m1.ipynb": "### BEGIN SOLUTION", "solutions/START_HERE.ipynb": "{}",
                 ".git/objects/ab/cdef": "history", "exercises/m1/m1.ipynb": "exercise", "course/x.py": "x = 1",
                 "course/questions/tool_overload.py": "SHELFWARE_THRESHOLD = 0.2"}
        for rel, text in files.items():
            (kit / rel).parent.mkdir(parents=True, exist_ok=True)
            (kit / rel).write_text(text)
        for _ in range(2):  # again after a `git pull`: no harm
            subprocess.run(["bash", str(DEPLOY / "protect_solutions.sh"), str(kit), group], check=True,
                           capture_output=True)
        gid = grp.getgrnam(group).gr_gid
        for rel in ("solutions", "course/questions", ".git"):
            for path in [kit / rel, *(kit / rel).rglob("*")]:
                st = path.stat()
                assert st.st_gid == gid and not st.st_mode & 0o007 and not st.st_mode & 0o020, (path, oct(st.st_mode))
                if path.is_dir():
                    assert st.st_mode & 0o2000, path  # setgid: what a pull adds inside gets the group
        new = kit / "solutions" / "m1" / "pulled.ipynb"
        new.write_text("new")
        assert new.stat().st_gid == gid

        def can_read(rel, groups):
            ids = ["--reuid=65534", "--regid=65534", f"--groups={groups}" if groups else "--clear-groups"]
            return subprocess.run(["setpriv", *ids, "--", "cat", str(kit / rel)], capture_output=True).returncode == 0

        for rel in ("solutions/m1/m1.ipynb", "solutions/m1/pulled.ipynb", ".git/objects/ab/cdef",
                    "course/questions/tool_overload.py"):
            assert not can_read(rel, None), rel            # any other account
            assert can_read(rel, str(gid)), rel            # an instructor
        assert can_read("exercises/m1/m1.ipynb", None) and can_read("course/x.py", None)  # the rest as it was
    finally:
        shutil.rmtree(top, ignore_errors=True)
        subprocess.run(["groupdel", group], capture_output=True)
