"""Checks without the answer key: answer kinds, the one tolerance policy, seals and the one verdict.

This package is the learner's side of checking. It imports no question bank (course.questions is
the trainer's answer key); what it knows about an expected answer comes from seals:

- `kinds`, `labels`, `series`: the answer kinds (Number, Share, Points, Money, Count, Label,
  LabelSet, NumberSeries), each turning a value into plain data and knowing its wrong forms;
- `precision`: how precisely a number must be given (decimals= or sig=), and the prompt's words;
- `universe`: the names an answer may use (Column, Values), evaluated on the learner's own data;
- `seals`: fingerprints of expected answers (keyed digest for releases, identity for the judge);
- `verdict`: the one function that decides, on both sides.
"""
from .kinds import KINDS, Count, Kind, Money, Number, Points, Share, from_spec
from .labels import Label, LabelSet
from .plain import Refused, canonical, describe
from .precision import Precision
from .seals import identity, keyed, salt_for
from .series import NumberSeries
from .universe import Column, Values
from .verdict import Verdict, form_problem, verdict

__all__ = ["KINDS", "Column", "Count", "Kind", "Label", "LabelSet", "Money", "Number", "NumberSeries",
           "Points", "Precision", "Refused", "Share", "Values", "Verdict", "canonical", "describe",
           "form_problem", "from_spec", "identity", "keyed", "salt_for", "verdict"]
