"""Shared measures and models: the formulas that data generators, question banks and simulations all use.

Each is written once, here, as a pure function of plain values (pandas or numpy in, numbers out), so
a module's data, its answer key and its simulation cannot drift apart. This package imports nothing
else from the kit: it is the bottom layer (measures -> data -> checks -> questions -> sims/learner).

- `nps`: the Net Promoter Score of a set of 0-10 answers.
- `queue`: the call-centre queue model (who waits, who hangs up) and the two ways to report it.
- `personas`: matching customers against a persona card; Daniels's "middle band" of a column.
- `intervals`: a 95% interval for a rate measured on a group (Wilson's score interval).
- `themes`: the transparent keyword tagger for customer comments, and its keyword list.
- `stack`: what a marketing stack's own columns say (seat utilisation, possible integration seams).
- `holdout`: a randomised holdout test: purchases the ads caused and their 95% interval.
"""
