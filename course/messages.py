"""Every sentence a learner can see from a check, in one place, so they can be reviewed and translated."""

CORRECT = "Correct. {detail}"
NOT_ANSWERED = "Not answered yet: `{name}` is still None. Replace None with your code, run that cell, then run this check again."
WRONG_TYPE = "Expected {expected}, but received {received}."
NOT_QUITE = "Not quite: that is not the answer the data gives. Check each step against the exercise and its hints."
NOT_QUITE_NUMBER = (
    "Not quite: that is not the number the data gives. Check each step against the exercise and its hints."
)
NOT_FINITE = (
    "Expected a real number, but received {received} (not a number or infinite). Look for a division by zero, "
    "or a filter that kept no rows (check the spelling and capitals of the value you compare with)."
)
OUT_OF_RANGE = "Expected {expected}, but received {received}, which is outside that range."
WRONG_COUNT = "Expected {expected_n} {items}, but received {received_n}."
UNKNOWN_LABELS = "Some of your {items} are not in the data: {examples}. Check the spelling against the table."
UNKNOWN_LABEL = "{received!r} is not a {what} in the data. Check the spelling against the table."
WRONG_LABEL = "Not quite: {received!r} is not the {what} the data points to."
WRONG_VALUES = "The {items} are right, but at least one of the values is off."
DUPLICATE_LABELS = "Your answer lists some {items} more than once (capitals and spaces do not count): {examples}."
NO_ANSWER_REACHED = (
    "No answer to '{qid}' reached the grader: the check cell did not run, or stopped with an error before it."
)
UNKNOWN_QUESTION = "There is no question called {qid!r} in {module}. The questions are: {known}."
HINT = "Hint {i} of {n}: {text}"
NO_MORE_HINTS = "That was the last hint."
SEE_EXAMPLE = "Compare your code with {example}."
ANSWER_MISMATCH = "The grader received two different answers to '{qid}' in one cell."

# --- the tolerance policy and the known wrong forms (course.checks) ---------------------------------
GIVE_IT = "Give it {how}."
GIVE_EACH = "Give each value {how}."
IN_UNIT = "in {unit}"
PRECISION_DECIMALS = "to {n} decimal{s} or more"
PRECISION_SIG = "to {n} significant figure{s} or more"
PRECISION_WHOLE = "as a whole number or more precisely"
PRECISION_NEAREST = "to the nearest {unit} or more precisely"
ROUNDED_TOO_MUCH = "Close, but rounded too much: {what}."
AT_LEAST_DECIMALS = "give at least {n} decimal{s}"
AT_LEAST_SIG = "give at least {n} significant figures"
AT_LEAST_WHOLE = "give the whole number, not rounded to tens"
AT_LEAST_NEAREST = "give it to the nearest {unit}"
EACH_VALUE = "{message} (This is about each value of your Series.)"
SCALE_PERCENT_FOR_SHARE = (
    "Right number, wrong scale: that is a percentage. Give a share between 0 and 1 (25% is 0.25): divide by 100."
)
SCALE_PERCENTS_FOR_SHARES = (
    "Right numbers, wrong scale: those look like percentages. Give shares between 0 and 1 (25% is 0.25): "
    "divide by 100."
)
SCALE_SHARE_FOR_POINTS = (
    "Right number, wrong scale: that is a share between -1 and 1, and points are 100 times a share: multiply by 100."
)
SCALE_SHARES_FOR_POINTS = (
    "Right numbers, wrong scale: those look like shares, and points are 100 times a share: multiply by 100."
)
SHARE_OUT_OF_RANGE = (
    "Expected a share between 0 and 1, but received {received}. If it is a percentage, divide by 100; "
    "if it is a count, divide by the total."
)
SHARES_OUT_OF_RANGE = (
    "Some values are outside 0 to 1, so they are not shares. If they are counts or percentages, turn them into "
    "shares: divide by the total, or by 100 (`.mean()` of a True/False column is already a share)."
)
VALUES_OUT_OF_RANGE = "Some values are outside the range of {expected}."
MISSING_VALUES = (
    "Some values are missing (NaN) or infinite, for example for {example!r}. Look for a division by zero or a "
    "label that matched nothing."
)
LOST_LABELS = (
    "The index of your Series holds numbers (like the row numbers 0, 1, 2...), not the {index}. Put the names in "
    "the index: `.set_index('name_column')` on the table before you pick the column, or `.set_axis(table['name_column'])` "
    "on the Series."
)
TWO_LEVEL_INDEX = (
    "Your Series has a {levels}-level index: it was grouped by {levels} columns, so each row has several labels. "
    "One label per row is needed ({index}): group by one column only, or join the columns into one label first."
)
TABLE_NOT_SERIES = (
    "Expected {expected}, but received {received}. Pick the one column you need: `table['column']`."
)
TAKE_THE_ONE_VALUE = "It holds one value: take it out with `.iloc[0]` (or `.item()`)."
PUT_IN_A_LIST = "If that is the only name, put it in a list: [{received!r}]."
# A Series of numbers whose labels are the names asked for (`counts[counts >= 3]` without `.index`).
NAMES_IN_THE_INDEX = (
    "Expected {expected}, but received a Series of numbers: the names are its labels (its index, on the "
    "left when you print it). Take them with `.index.tolist()`, for example `your_series.index.tolist()`."
)
# A number where a name was asked (`.max()` where `.idxmax()` was meant).
NUMBER_FOR_A_NAME = " If you took the largest (or smallest) value, `.idxmax()` (or `.idxmin()`) gives its label instead."
# A number typed in quotes.
NUMBER_IN_QUOTES = "Expected {expected}, but received the text {received!r}: remove the quotes to give the number."
MORE_THAN_THE_DATA = "it has {n:,} {items}, but the data has only {total:,}"
WRONG_LABEL_SET = "The number of {items} is right, but not all of them are the ones the data gives."
WRONG_SERIES_LABELS = (
    "Your Series has the right number of {items}, but not the same ones as the data: its index should hold the {index}."
)
ANSWER_TOO_BIG = "Your answer to `{qid}` is too big to check: {why}."
TOO_MANY_ITEMS = "it has {n:,} items, and an answer can hold at most {limit:,}"
TOO_DEEP = "it is a list inside a list inside a list (an answer is a number, a name, a list of names or a Series)"
TOO_MANY_DIGITS = "it has a whole number of more than {limit} digits"
TEXT_TOO_LONG = "one of its texts is {n:,} characters long, and a name can be at most {limit}"
TOO_LARGE = "it takes more than {limit:,} characters once written out"
NOT_PLAIN = "it holds something that is not a number, a name, a list or a Series"
CHECKS_MISSING = (
    "The checks of this module are missing from {folder}. Run `course data build` in a terminal in the course "
    "folder (or ask your trainer for the module again), then run the setup cell again."
)
CHECKS_OTHER_DATA = (
    "The checks in {folder} were built for other data than the data there. Run `course data build` in a terminal "
    "in the course folder (or ask your trainer for the module again), then run the setup cell again."
)

KIND_NUMBER = "a number (for example 1234.5)"
KIND_WHOLE = "a whole number (for example 42)"
KIND_SHARE = "a share between 0 and 1 (for example 0.25 for 25%)"
KIND_LABEL = "a piece of text (a name from the table, in quotes)"
KIND_LABELS = "a list of names (for example ['A', 'B'])"
KIND_SERIES = "a pandas Series of numbers indexed by {index}"
KIND_COUNT = "a whole number (a count, for example 42)"
KIND_POINTS = "a number of points between -100 and 100 (for example 12.5)"
KIND_MONEY = "an amount of money (a number, for example 1234.5)"
KIND_INDEX_LABEL = "the {index} as text in the index"

SETUP_NOT_RUN = (
    "`{name}` comes from the setup cell near the top of this notebook, which has not run since the kernel "
    "started. Scroll up to the cell that starts with `from course.learner import Module`, run it, then "
    "run this cell again (or use Run > Run All Cells)."
)
NAME_NOT_DEFINED = (
    "`{name}` is not defined yet. Run the cell above where `{name}` is first set (or check its spelling), "
    "then run this cell again."
)

# Friendly errors (course.learner.friendly): one line each, shown instead of a traceback.
CLOSEST = " (the closest is {label})"
MISSING_COLUMN = (
    "This table has no column {name}{closest}. Its columns are: {labels}. "
    "A column name must match exactly, capitals and spaces included."
)
MISSING_ROW = "This table's index has no row labelled {name}{closest}. The index holds: {labels}."
MISSING_LABEL = "There is no label {name} in this Series' index{closest}. The index holds: {labels}."
ATTRIBUTE_NOT_COLUMN = (
    "A table has no attribute `{name}`; the closest column is {label}. Read a column with square "
    "brackets and its exact name: table[{label}]."
)
AMBIGUOUS_TRUTH = (
    "`and`, `or`, `not` and `if` cannot judge a whole column at once. To combine conditions row by row, "
    "use `&` (and), `|` (or), `~` (not) and put each comparison in parentheses, for example "
    "`table[(table[\"seats\"] > 10) & (table[\"active_users\"] < 5)]`."
)
# A notebook cell that reads a learner's earlier work before that work exists (module 3's summaries).
NOT_YET_BUILT = "Nothing to show yet: `{name}` is still None. Do {where} first, then run this cell again."
NOT_YET_NUMBERS = "Nothing to show yet: `{name}` is still text. {where} turns it into numbers; run it, then this cell."
COMPARISON_WITHOUT_PARENTHESES = (
    "`&` and `|` are worked out before comparisons such as `==` or `<=`, so each comparison needs its own "
    "parentheses, for example `(table[\"status\"] == \"delivered\") & (table[\"days\"] <= 3)`."
)
CHAINED_ASSIGNMENT = (
    "Nothing was changed: this assignment wrote into a temporary copy of the table. Pick the rows and "
    "the column in one step instead: `table.loc[rows, \"column\"] = value` (rows can be a condition, "
    "for example `table[\"seats\"] > 10`)."
)

# What a learner sees in a written-answer cell of the release (nbgrader's ClearSolutions.text_stub).
# The question above the cell says how many words it asks for.
WRITTEN_ANSWER_STUB = (
    "*Write your answer here, as long as the question above asks. To edit: double-click this cell "
    "(or select it and press Enter). To see your text: press Shift+Enter.*"
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
# Module 4's holdout picture (course.sims.algorithm_faith.holdout_figure), drawn from the learner's own numbers.
HOLDOUT_PICTURE_WAITS = (
    "Nothing to draw yet: {names} still None. Finish the exercises above, run their cells, then run this cell "
    "again."
)

# --- every learner's own data (course.data.variants, course.learner.identity) -----------------------
CODE_NOT_TEXT = "A learner code is text in quotes, like use_code(\"K7F-29Q\"), but received {received}."
CODE_LENGTH = (
    "A learner code has {n} characters (like K7F-29Q), but this one has {got}. Copy it from your sheet; "
    "the dash and spaces do not matter."
)
CODE_CHARACTERS = (
    "Learner codes never use {chars}: they have no 0, O, 1, I or L, so no two characters look alike. "
    "Copy the code from your sheet again."
)
CODE_TYPO = (
    "{code} is not a learner code: one character is wrong, or two are swapped (the last character "
    "checks the others). Copy it from your sheet again."
)
CODE_SAVED = (
    "Saved: your learner code is {code}. Every module now loads your own data; run each module's "
    "setup cell again if one is open."
)
CODE_KEPT = "Your learner code is {code}: every module loads your own data."
CODE_NONE_YET = (
    "No learner code yet. If your trainer gave you a sheet with a code, put it between the quotes, "
    "for example use_code(\"K7F-29Q\"), and run this cell again. If you were given no code, you need none."
)
CODE_ON_HUB = (
    "On this JupyterHub your data follow your login ({user}), so you need no code: every module loads "
    "your own data."
)
CODE_NOT_SAVED = (
    "Your code {code} is right, but it could not be saved on this computer ({why}), so the modules cannot "
    "find it. Tell your trainer."
)
CODE_IS_EXAMPLE = "{code} is the example. Put the code from your own sheet between the quotes."
LEARNER_CODE = "learner code {code}"
DATA_FOR = "Data for {who}."
DATA_SHARED = "The workshop's shared data."
NO_KEY_YET = (
    "This workshop gives every learner their own data, and this notebook does not know who you are yet. "
    "Open START_HERE, run `use_code(\"...\")` with the code on your sheet, then run this setup cell again. "
    "Until then you see the workshop's shared data, and your grade will not be computed on it."
)
NO_PERSONAL_CHECKS = (
    "No personal checks were prepared for you ({who}): ask your trainer. Until then the checks say "
    "whether an answer has the right kind, shape and names, but not whether it is right."
)
FORM_ONLY_OK = (
    "Your answer has the right form (kind, shape and names). No personal checks were prepared for you, so this "
    "check cannot say whether it is right: ask your trainer."
)

# The sheet of learner codes the trainer prints (course.trainer.roster).
SHEET_TITLE = "Your learner code"
SHEET_CODE = ("Open START_HERE.ipynb and run <code>use_code(\"{code}\")</code> once: every module then loads your "
              "own data. Keep this code for the whole workshop.")
SHEET_HUB = "Log in to the workshop's JupyterHub as <b>{user}</b>: your data follow your login, no code needed."
