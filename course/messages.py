"""Every sentence a learner can see from a check, in one place, so they can be reviewed and translated."""

CORRECT = "Correct. {detail}"
NOT_ANSWERED = "Not answered yet: `{name}` is still None. Replace None with your code, run that cell, then run this check again."
WRONG_TYPE = "Expected {expected}, but received {received}."
WRONG_VALUE_HIGH = "Not quite: your number is higher than the one the data gives."
WRONG_VALUE_LOW = "Not quite: your number is lower than the one the data gives."
NOT_FINITE = "Expected a real number, but received {received} (not a number or infinite). Look for a division by zero."
OUT_OF_RANGE = "Expected {expected}, but received {received}, which is outside that range."
WRONG_COUNT = "Expected {expected_n} {items}, but received {received_n}."
UNKNOWN_LABELS = "Some of your {items} are not in the data: {examples}. Check the spelling against the table."
MISSING_LABELS = "Your answer misses {n} {items} that belong in it."
EXTRA_LABELS = "Your answer has {n} {items} that do not belong in it."
WRONG_LABEL = "Not quite: {received!r} is not the {what} the data points to."
WRONG_VALUES = "The {items} are right, but {n} of the values are off (for example for {example!r})."
DUPLICATE_LABELS = "Your answer lists some {items} more than once: {examples}."
NOT_SERIALISABLE = "This answer cannot be handed to the grader: {why}."
NO_ANSWER_REACHED = (
    "No answer to '{qid}' reached the grader: the check cell did not run, or stopped with an error before it."
)
UNKNOWN_QUESTION = "There is no question called {qid!r} in {module}. The questions are: {known}."
HINT = "Hint {i} of {n}: {text}"
NO_MORE_HINTS = "That was the last hint. Compare your code with the worked example above the exercise."
ANSWER_MISMATCH = "The grader received two different answers to '{qid}' in one cell."

KIND_NUMBER = "a number (for example 1234.5)"
KIND_WHOLE = "a whole number (for example 42)"
KIND_SHARE = "a share between 0 and 1 (for example 0.25 for 25%)"
KIND_LABEL = "a piece of text (a name from the table, in quotes)"
KIND_LABELS = "a list of names (for example ['A', 'B'])"
KIND_SERIES = "a pandas Series of numbers indexed by {index}"

SETUP_NOT_RUN = (
    "`{name}` comes from the setup cell near the top of this notebook, which has not run since the kernel "
    "started. Scroll up to the cell that starts with `from course.learner import Module`, run it, then "
    "run this cell again (or use Run > Run All Cells)."
)
NAME_NOT_DEFINED = (
    "`{name}` is not defined yet. Run the cell above where `{name}` is first set (or check its spelling), "
    "then run this cell again."
)

# What the grader says in a cell whose output it did not keep (shown in feedback too).
OUTPUT_CUT = "\u2702 The grader did not keep this output: {why}. The rest of the notebook was graded as usual."
CUT_SIZE = "it was {size}, and at most {limit} of one output is kept"
CUT_DEPTH = "its data nests more than {limit} levels deep"
CUT_UNREADABLE = "it could not be read ({error})"
CUT_BUDGET = "the notebook's {what} passed {limit} in total, so later ones were not kept"
# What feedback and the formgrader show in place of active content from the learner's kernel.
ACTIVE_REMOVED = "[{what} removed: code from a notebook's output does not run in feedback or grading pages]"
FIGURE_STATIC = "[interactive figure: open the notebook in JupyterLab to move its controls]"
