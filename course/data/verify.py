"""Check that a datasets folder holds exactly what the generators make for its profile and seed."""
from __future__ import annotations

import tempfile
from pathlib import Path

from . import MANIFEST, build, read_manifest
from ..paths import datasets_dir


def compare_with_fresh_build(folder: Path | None = None) -> list[str]:
    """Differences between `folder` and a fresh build with the same profile and seed ([] if none)."""
    folder = Path(folder or datasets_dir())
    manifest = read_manifest(folder)
    with tempfile.TemporaryDirectory() as tmp:
        build(tmp, profile=manifest["profile"], seed=manifest["seed"])
        fresh = Path(tmp)
        names = sorted({p.name for p in fresh.iterdir()} | {p.name for p in folder.iterdir() if p.is_file()})
        differences = []
        for name in names:
            a, b = folder / name, fresh / name
            if not a.exists():
                differences.append(f"missing from {folder}: {name}")
            elif not b.exists():
                differences.append(f"not made by the generators: {name}")
            elif a.read_bytes() != b.read_bytes():
                differences.append(f"differs from a fresh build: {name}")
    return differences


__all__ = ["compare_with_fresh_build", "MANIFEST"]
