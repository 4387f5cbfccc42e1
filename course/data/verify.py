"""Check that a datasets folder holds exactly what the generators make for its profile and seed."""
from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Callable

from . import MANIFEST, build, read_manifest
from ..paths import CHECKS, datasets_dir


def _files(top: Path, with_checks: bool) -> set[str]:
    """The files of a datasets folder (and of its checks/ folder), as relative names."""
    found = {p.name for p in top.iterdir() if p.is_file()}
    if with_checks and (top / CHECKS).is_dir():
        found |= {f"{CHECKS}/{p.name}" for p in (top / CHECKS).iterdir() if p.is_file()}
    return found


def compare_with_fresh_build(folder: Path | None = None, builder: Callable | None = None) -> list[str]:
    """Differences between `folder` and a fresh build with the same profile and seed ([] if none).

    `builder(out_dir, profile=, seed=)` makes the fresh build: by default the data layer's own
    `build` (datasets only); the trusted side passes course.questions.compile.build, and then the
    check files in checks/ are compared too.
    """
    with_checks = builder is not None
    builder = builder or build
    folder = Path(folder or datasets_dir())
    manifest = read_manifest(folder)
    with tempfile.TemporaryDirectory() as tmp:
        builder(tmp, profile=manifest["profile"], seed=manifest["seed"])
        fresh = Path(tmp)
        differences = []
        for name in sorted(_files(fresh, with_checks) | _files(folder, with_checks)):
            a, b = folder / name, fresh / name
            if not a.exists():
                differences.append(f"missing from {folder}: {name}")
            elif not b.exists():
                differences.append(f"not made by the generators: {name}")
            elif a.read_bytes() != b.read_bytes():
                differences.append(f"differs from a fresh build: {name}")
    return differences


__all__ = ["compare_with_fresh_build", "MANIFEST"]
