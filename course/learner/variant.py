"""Where a module's data come from in the learner's kernel: the files beside it, or the learner's own variant.

Without variants (self-study, the committed datasets, a workshop without a roster) a module reads
the files of its datasets folder, as it always did. In a workshop with variants on (its shipped
manifest says so), a learner whose key is known (course.learner.identity) gets their own data,
generated in memory from the manifest's profile and seed and their key, once per kernel; a learner
whose key is not known yet sees one plain message saying how to enter it, and the shared data, so
the notebook still runs.
"""
from __future__ import annotations

import pandas as pd

from .. import data as datasets
from .. import messages as msg
from ..data.variants import BadCode, parse_code, variant_for, variants_on
from ..modules import ModuleInfo
from .identity import learner_key


class LearnerData:
    """One module's data for this kernel's learner, and what to say about whose they are."""

    def __init__(self, info: ModuleInfo, manifest: dict):
        self.variants = variants_on(manifest)
        self.key, self.source = learner_key() if self.variants else (None, None)
        self._variant = variant_for(manifest["profile"], int(manifest["seed"]), self.key) if self.key else None
        # The fingerprint that picks this learner's seals (None: the folder's own, from its manifest).
        self.fingerprint = self._variant.fingerprint(info.datasets) if self._variant else None

    @property
    def personal(self) -> bool:
        """True when this kernel works on the learner's own data."""
        return self._variant is not None

    def load(self, name: str) -> pd.DataFrame:
        """A fresh copy of one dataset: the learner's own, or the folder's file."""
        if self._variant is None or name not in datasets.DATASETS:
            return datasets.load(name)   # an unknown name gets the kit's list of datasets
        return self._variant.frame(name).copy()

    def who(self) -> str:
        """'learner code K7F-29Q', or the hub login ("" without a key)."""
        if self.key is None:
            return ""
        try:
            return msg.LEARNER_CODE.format(code=parse_code(self.key))
        except BadCode:
            return self.key

    def whose(self) -> str:
        """One sentence for the setup box ("" without variants)."""
        if not self.variants:
            return ""
        return msg.DATA_FOR.format(who=self.who()) if self.key else msg.DATA_SHARED

    def todo(self) -> str:
        """What the learner has to do before they see their own data ("" when nothing)."""
        return msg.NO_KEY_YET if self.variants and self.key is None else ""

    def record(self, module: str) -> dict | None:
        """What the notebook keeps of whose data this kernel had (course.answers.VARIANT_MIME)."""
        return {"module": module, "learner": self.key} if self.variants else None
