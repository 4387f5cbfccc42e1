"""Synthetic, seeded datasets: build them to disk, load them in notebooks.

`load(name)` is what notebooks call; `build(out_dir, profile, seed)` is what the `course data build`
command calls. Generators live one file per module and register their datasets on import.
"""
from __future__ import annotations

import hashlib
import json
import shutil
from functools import lru_cache
from pathlib import Path

import pandas as pd

from ..errors import CourseError, DatasetMissing
from ..paths import CHECKS, MANIFEST, check_file_path, datasets_dir
from .cards import render_card
from .profiles import DEFAULT_PROFILE, DEFAULT_SEED, PROFILES, Profile, get_profile
from .registry import DATASETS, DatasetSpec, to_csv_bytes

# Importing each generator file registers its datasets, in module order (reference tables first).
from . import reference  # noqa: E402,F401
from . import tool_overload, persona_critique, data_disorder, algorithm_faith, reconnection  # noqa: E402,F401
# The capstone re-makes module datasets for a fresh company: it must come after every generator.
from . import capstone  # noqa: E402,F401

__all__ = ["load", "build", "ship", "make", "read_manifest", "data_fingerprint", "DATASETS", "PROFILES",
           "get_profile", "DEFAULT_PROFILE", "DEFAULT_SEED"]


def _spec(name: str) -> DatasetSpec:
    try:
        return DATASETS[name]
    except KeyError:
        known = ", ".join(sorted(DATASETS))
        raise CourseError(f"There is no dataset called {name!r}. The datasets are: {known}.") from None


def make(name: str, profile: str | Profile = DEFAULT_PROFILE, seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """Generate one dataset in memory (pure: same name, profile and seed give the same frame)."""
    prof = profile if isinstance(profile, Profile) else get_profile(profile)
    return _spec(name).make(int(seed), prof)


def build(out_dir: Path | str | None = None, profile: str = DEFAULT_PROFILE, seed: int = DEFAULT_SEED,
          names: list[str] | None = None) -> dict:
    """Write datasets, their data cards and a manifest to `out_dir`; return the manifest."""
    prof = get_profile(profile)  # an unknown profile is refused before anything is written
    out = Path(out_dir) if out_dir is not None else datasets_dir()
    out.mkdir(parents=True, exist_ok=True)
    files = {}
    for name in names or list(DATASETS):
        spec = _spec(name)
        frame = spec.make(int(seed), prof)
        data = to_csv_bytes(frame, spec.encoding)
        (out / spec.filename).write_bytes(data)
        (out / f"{spec.name}.md").write_text(render_card(spec, frame, prof, seed), encoding="utf-8")
        files[spec.filename] = hashlib.sha256(data).hexdigest()
    manifest = {"profile": prof.name, "company": prof.company, "seed": int(seed), "files": files}
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    load.cache_clear()
    return manifest


def ship(source: Path | str, out_dir: Path | str, names: list[str] | tuple[str, ...], module: str | None = None) -> dict:
    """Copy some built datasets, their cards, the module's check file and a manifest naming only them."""
    source, out = Path(source), Path(out_dir)
    manifest = read_manifest(source)
    out.mkdir(parents=True, exist_ok=True)
    files = {}
    for name in names:
        spec = _spec(name)
        shutil.copyfile(source / spec.filename, out / spec.filename)
        shutil.copyfile(source / f"{spec.name}.md", out / f"{spec.name}.md")
        files[spec.filename] = manifest["files"][spec.filename]
    if module is not None and check_file_path(source, module).is_file():
        (out / CHECKS).mkdir(exist_ok=True)
        shutil.copyfile(check_file_path(source, module), check_file_path(out, module))
    shipped = {**manifest, "files": files}
    (out / MANIFEST).write_text(json.dumps(shipped, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return shipped


def data_fingerprint(manifest: dict, names: list[str] | tuple[str, ...]) -> str:
    """One fingerprint of the data some datasets hold, from the manifest's file hashes ("" if one is missing).

    A module's check file records it per data variant, so a learner's side finds the seals made
    for the data it has, and says so in one sentence when it has other data.
    """
    files = manifest.get("files", {})
    parts = []
    for name in sorted(names):
        filename = _spec(name).filename
        if filename not in files:
            return ""
        parts.append(f"{filename}:{files[filename]}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def read_manifest(folder: Path | str | None = None) -> dict:
    """Which profile and seed the datasets in `folder` were built with."""
    path = Path(folder or datasets_dir()) / MANIFEST
    if not path.exists():
        raise DatasetMissing(
            f"No datasets were found in {path.parent}. Run `course data build` in a terminal "
            "(or ask your trainer), then run this cell again."
        )
    return json.loads(path.read_text(encoding="utf-8"))


def read_dataset(source, name: str) -> pd.DataFrame:
    """Parse one dataset's CSV (a path or a binary file object) exactly as the notebooks read it."""
    spec = DATASETS[name]
    return pd.read_csv(source, encoding=spec.encoding, **spec.read_kwargs)


@lru_cache(maxsize=64)
def _read(path: str, mtime: float, spec_name: str) -> pd.DataFrame:
    return read_dataset(path, spec_name)


def load(name: str) -> pd.DataFrame:
    """Read a dataset from the course's datasets folder; a fresh copy each call, so edits never leak."""
    spec = _spec(name)
    path = datasets_dir() / spec.filename
    if not path.exists():
        raise DatasetMissing(
            f"The dataset file {spec.filename} is missing from {path.parent}. "
            "Run `course data build` in a terminal (or ask your trainer), then run this cell again."
        )
    return _read(str(path), path.stat().st_mtime, name).copy()


load.cache_clear = _read.cache_clear  # type: ignore[attr-defined]
