"""environment.yml mirrors pyproject.toml's lower bounds, so conda users get what pip users get."""
from __future__ import annotations

import re
import tomllib

from course.paths import REPO_ROOT


def requirement_bounds(lines) -> dict[str, str]:
    """{'pandas': '>=2.1', ...} from requirement strings."""
    bounds = {}
    for line in lines:
        match = re.fullmatch(r"\s*([A-Za-z0-9_.-]+)\s*(>=[^,;\s]+)\s*", line)
        if match:
            bounds[match.group(1).lower()] = match.group(2)
    return bounds


def test_environment_yml_mirrors_pyproject():
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = requirement_bounds(project["dependencies"] + project["optional-dependencies"]["test"])
    yml = (REPO_ROOT / "environment.yml").read_text(encoding="utf-8")
    listed = requirement_bounds(re.findall(r"^\s*-\s+([^#\n]+?)\s*$", yml, flags=re.M))
    assert wanted, "no pinned dependency found in pyproject.toml"
    missing = {name: bound for name, bound in wanted.items() if listed.get(name) != bound}
    assert not missing, f"environment.yml lacks or differs on: {missing}"
    python = re.search(r'requires-python\s*=\s*"([^"]+)"', (REPO_ROOT / "pyproject.toml").read_text())
    assert listed.get("python") == python.group(1)
