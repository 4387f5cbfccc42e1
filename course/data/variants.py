"""Every learner's own data: the workshop's datasets made again from a seed of that learner's own.

A workshop with variants on (its shipped manifest says `"variants": true`) gives each learner a
*variant*: every dataset regenerated, with the same profile, shapes and lessons, from

    variant_seed(seed, key) = the first 4 bytes of sha256("back-to-the-field|variant|<seed>|<key>")

where `seed` is the workshop's seed and `key` the learner's key: their JupyterHub user name on a hub,
or the personal code the workshop printed for them on a laptop ("K7F-29Q"). The same seed and key
always give the same bytes. Reference tables (`seeded=False`) are the same for everyone.

    VariantData(profile, seed, key).frame("stack_inventory")   # as a notebook reads it from a CSV
    VariantData(...).fingerprint(names)                         # picks its seals in the check file
    VariantData(...).write(folder, names)                       # the trainer's copy, for the judge

A variant is generated, written to CSV bytes and read back with the dataset's own read options,
so it is exactly what a notebook would read from a file. The learner's kernel makes its own in
memory; the workshop writes each roster learner's to the trainer's side, where the judge reads it.

Learner codes: five characters from an alphabet of 31 that cannot be mixed up (no 0, O, 1, I, L),
then a check character, shown as "K7F-29Q". The check character makes the weighted sum of the six
values (weights 1 to 6) a multiple of 31, a prime: one wrong character, or two characters swapped,
always breaks it, so a typo is caught when the learner enters the code.
"""
from __future__ import annotations

import hashlib
import io
import json
import secrets
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .. import messages as msg
from ..errors import CourseError
from ..keys import LEARNER_ENV, SHARED_KEY, VARIANTS, variant_id, variant_seed, variants_on  # noqa: F401
from ..paths import MANIFEST
from . import DATASETS, data_fingerprint, get_profile, read_dataset
from .registry import to_csv_bytes

# The grader sets this in the learner kernel's environment: it wins over every other key. SHARED_KEY
# (no hub login or code has it) means "the workshop's shared data", for a learner graded on those.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"   # 31 characters (a prime): no 0, O, 1, I or L
CODE_LENGTH = 6                                 # five drawn characters and a check character


class BadCode(CourseError):
    """A learner code that cannot be right: the message says what is wrong with it."""


class VariantData:
    """One learner's variant of the datasets, each read back from its CSV bytes as a notebook reads it."""

    def __init__(self, profile: str, seed: int, key: str):
        self.profile, self.seed, self.key = get_profile(profile), int(seed), key
        self.data_seed = variant_seed(seed, key)
        self._csv: dict[str, bytes] = {}
        self._frames: dict[str, pd.DataFrame] = {}

    def csv(self, name: str) -> bytes:
        """The dataset's file, as the workshop would have written it for this learner."""
        if name not in self._csv:
            spec = DATASETS[name]
            seed = self.data_seed if spec.seeded else self.seed
            self._csv[name] = to_csv_bytes(spec.make(seed, self.profile), spec.encoding)
        return self._csv[name]

    def frame(self, name: str) -> pd.DataFrame:
        """The dataset as a notebook reads it (shared: callers hand out copies)."""
        if name not in self._frames:
            self._frames[name] = read_dataset(io.BytesIO(self.csv(name)), name)
        return self._frames[name]

    def files(self, names) -> dict[str, str]:
        """The manifest's `files` entry for these datasets: file name -> sha256 of its bytes."""
        return {DATASETS[n].filename: hashlib.sha256(self.csv(n)).hexdigest() for n in names}

    def fingerprint(self, names) -> str:
        """The data fingerprint of these datasets (the one course.data.data_fingerprint gives a folder)."""
        return data_fingerprint({"files": self.files(names)}, tuple(names))

    def write(self, folder: Path | str, names) -> dict:
        """Write these datasets and a manifest to `folder` (the trainer's copy the judge reads)."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        for name in names:
            (folder / DATASETS[name].filename).write_bytes(self.csv(name))
        manifest = {"profile": self.profile.name, "company": self.profile.company, "seed": self.seed,
                    "variant": variant_id(self.seed, self.key), "files": self.files(names)}
        (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        return manifest


@lru_cache(maxsize=8)
def variant_for(profile: str, seed: int, key: str) -> VariantData:
    """One variant per kernel and key: made once, read many times."""
    return VariantData(profile, seed, key)


# ----------------------------------------------------------------------------- learner codes

def _check_value(values: list[int]) -> int:
    """The check character's value that makes sum((i + 1) * v_i) a multiple of 31."""
    total = sum((i + 1) * v for i, v in enumerate(values))
    return (-total * pow(CODE_LENGTH, -1, len(ALPHABET))) % len(ALPHABET)


def _shown(raw: str) -> str:
    return f"{raw[:3]}-{raw[3:]}"


def new_code(taken: set[str] = frozenset()) -> str:
    """A fresh random learner code such as 'K7F-29Q', not in `taken`."""
    while True:
        values = [secrets.randbelow(len(ALPHABET)) for _ in range(CODE_LENGTH - 1)]
        code = _shown("".join(ALPHABET[v] for v in values + [_check_value(values)]))
        if code not in taken:
            return code


def parse_code(text) -> str:
    """The code in its printed form ('k7f 29q' -> 'K7F-29Q'); BadCode says what is wrong otherwise."""
    if not isinstance(text, str):
        raise BadCode(msg.CODE_NOT_TEXT.format(received=type(text).__name__))
    raw = "".join(ch for ch in text.upper() if ch not in " -_.\t")
    if len(raw) != CODE_LENGTH:
        raise BadCode(msg.CODE_LENGTH.format(n=CODE_LENGTH, got=len(raw)))
    wrong = sorted({ch for ch in raw if ch not in ALPHABET})
    if wrong:
        raise BadCode(msg.CODE_CHARACTERS.format(chars=", ".join(repr(c) for c in wrong)))
    values = [ALPHABET.index(ch) for ch in raw]
    if _check_value(values[:-1]) != values[-1]:
        raise BadCode(msg.CODE_TYPO.format(code=_shown(raw)))
    return _shown(raw)
