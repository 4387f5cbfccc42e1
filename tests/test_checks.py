"""The answer kinds and the one verdict (course.checks): strict about types, lenient about form, plain in words.

Every case is judged twice, as the learner's side does (salted seals) and as the judge does (identity
seals), and both must agree; expected values come from small frames built here, never from a bank.
"""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from course import messages as msg
from course.checks import (Column, Count, Label, LabelSet, Money, Number, NumberSeries, Points, Refused, Share,
                           Values, from_spec, identity, keyed, verdict)
from course.checks.precision import Precision


class AlwaysEqual(float):
    """A float subclass that claims equality with anything."""

    def __eq__(self, other):
        return True

    __hash__ = float.__hash__


class Liar:
    def __eq__(self, other):
        return True


def judged(kind, expected, answer, mistakes=(), labels=None):
    """The verdict message ("" when right) on both sides, after checking that they agree."""
    results = []
    for digest in (keyed("test-salt"), identity):
        sealed = {"answer": kind.seal(kind.to_plain(expected), digest),
                  "mistakes": [(kind.seal(kind.to_plain(m), digest), text) for m, text in mistakes]}
        results.append(verdict(kind, kind.to_plain(answer), sealed, digest, labels=labels, name="x"))
    assert results[0] == results[1], results
    return results[0].message if not results[0].passed else ""


# --- types: refused before any comparison ----------------------------------------------------------

@pytest.mark.parametrize("value", [AlwaysEqual(1.0), Liar(), True, "12", [1.0], None.__class__])
def test_number_refuses_subclasses_liars_and_other_types(value):
    with pytest.raises(Refused) as refused:
        Number().to_plain(value)
    assert str(refused.value).startswith("Expected a number")


def test_numbers_accept_numpy_scalars_as_plain_python():
    assert type(Number().to_plain(np.float64(2.5))) is float
    assert type(Count().to_plain(np.int64(3))) is int
    assert type(Count().to_plain(3.0)) is int


def test_a_count_refuses_a_fraction_and_a_series_of_one_says_how_to_take_the_value():
    with pytest.raises(Refused, match="whole number"):
        Count().to_plain(41.5)
    with pytest.raises(Refused, match=r"\.iloc\[0\]"):
        Number().to_plain(pd.Series([3.0]))


def test_labels_refuse_liars_and_a_single_text_for_a_set():
    with pytest.raises(Refused):
        LabelSet().to_plain([Liar()])
    with pytest.raises(Refused, match=r"put it in a list"):
        LabelSet().to_plain("Staff")


def test_forged_plain_answers_get_a_type_message_not_a_crash():
    for kind, forged in ((Number(), "1"), (Label(), 3), (LabelSet(), [1]), (NumberSeries(), {"index": ["a"]}),
                         (NumberSeries(), {"index": ["a"], "values": ["1"]}), (Share(), float("nan"))):
        seal = kind.seal(kind.to_plain(_any_expected(kind)), identity)
        result = verdict(kind, forged, {"answer": seal}, identity)
        assert not result.passed and result.message.startswith("Expected"), (kind, result)


def _any_expected(kind):
    return {Label: "a", LabelSet: ["a"], NumberSeries: pd.Series([1.0], index=["a"])}.get(type(kind), 0.5)


# --- the tolerance policy --------------------------------------------------------------------------

@pytest.mark.parametrize("kind,expected,accepted", [
    (Points(), 10.48, [10, 10.5, 11, 10.48]),                 # NPS-style points, whole by default
    (Number(decimals=1), 10.48, [10.5, 10.4, 10.48]),
    (Share(), 0.3488, [0.35, 0.34, 0.349, np.float32(0.3488)]),
    (Number(sig=3), 15.38, [15.4, 15.3, 15.38]),
    (Money(), 15432.4, [15432, 15433, 15432.4]),
    (Money(sig=3), 15432.4, [15400, 15500, 15432]),
    (Count(), 41, [41, 41.0, np.int32(41)]),
])
def test_answers_within_one_step_at_the_stated_precision_are_right(kind, expected, accepted):
    for answer in accepted:
        assert judged(kind, expected, answer) == "", (kind, answer)


@pytest.mark.parametrize("kind,expected,rejected", [
    (Number(decimals=1), 10.48, [10.6, 10.3]),
    (Share(), 0.3488, [0.36, 0.33]),
    (Money(), 15432.4, [15434, 15430]),
    (Count(), 41, [40, 42]),
])
def test_answers_beyond_one_step_are_wrong(kind, expected, rejected):
    for answer in rejected:
        assert judged(kind, expected, answer) != "", (kind, answer)


@pytest.mark.parametrize("kind,expected,coarse,advice", [
    (Share(), 0.3488, 0.3, "at least 2 decimals"),
    (Share(), 0.3488, 0.4, "at least 2 decimals"),
    (Number(decimals=1), 10.48, 10, "at least 1 decimal."),
    (Money(sig=3), 15432.4, 15000, "at least 3 significant figures"),
    (Money(), 15432.4, 15430, "not rounded to tens"),
])
def test_an_answer_rounded_too_much_is_told_how_many_decimals_to_give(kind, expected, coarse, advice):
    message = judged(kind, expected, coarse)
    assert message.startswith("Close, but rounded too much") and advice in message


def test_a_near_miss_that_is_not_rounded_gets_no_rounding_message_and_no_direction():
    for answer in (0.3012, 0.3998, 0.9):
        message = judged(Share(), 0.3488, answer)
        assert message == msg.NOT_QUITE_NUMBER
        assert "higher" not in message and "lower" not in message


def test_the_prompt_states_the_precision_the_grader_uses():
    assert Share().how() == "Give it to 2 decimals or more."
    assert Number(unit="hours", decimals=0).how() == "Give it in hours, as a whole number or more precisely."
    assert NumberSeries(values=Money(sig=3)).how() == "Give each value to 3 significant figures or more."
    assert Count().how() == "" and Label().how() == ""
    assert Share(decimals=3).state_precision("Share of hours.") == "Share of hours. Give it to 3 decimals or more."
    stated = Share().state_precision("Share of hours.")
    assert Share().state_precision(stated) == stated
    for decimals in (0, 1, 2, 4):   # the step the words promise is the step the seal uses
        step = Precision(decimals=decimals).step(123.456)
        assert step == 10.0 ** -decimals
        assert judged(Number(decimals=decimals), 123.456, 123.456 + 0.99 * step) == ""
        assert judged(Number(decimals=decimals), 123.456, 123.456 + 1.01 * step) != ""


def test_a_declaration_with_two_precisions_is_refused_where_it_is_written():
    with pytest.raises(ValueError, match="not both"):
        Number(decimals=2, sig=3)


# --- known wrong forms -----------------------------------------------------------------------------

def test_a_percentage_for_a_share_and_a_share_for_points_say_so():
    assert "percentage" in judged(Share(), 0.3488, 34.88) and "divide by 100" in judged(Share(), 0.3488, 34.88)
    assert "multiply by 100" in judged(Points(), 10.48, 0.1048)
    series = pd.Series([0.3488, 0.1234], index=["a", "b"])
    assert "percentages" in judged(NumberSeries(values=Share()), series, series * 100)
    assert "multiply by 100" in judged(NumberSeries(values=Points()), series * 100, series)


def test_a_share_out_of_range_that_is_no_percentage_says_what_a_share_is():
    message = judged(Share(), 0.3488, 7.0)
    assert "between 0 and 1" in message and "7" in message


def test_labels_ignore_capitals_and_stray_spaces():
    assert judged(Label(), "staff", "  Staff ") == ""
    assert judged(LabelSet(), ["Home / store", "Kids"], ["kids", "home  /  STORE"]) == ""
    series = pd.Series([1.0, 2.0], index=["Home / store", "Kids"])
    assert judged(NumberSeries(), series, pd.Series([2.0, 1.0], index=[" kids", "HOME / store"])) == ""


def test_duplicates_after_ignoring_capitals_are_named():
    message = judged(LabelSet(items="tools"), ["A", "B"], ["A", "a ", "B"])
    assert "more than once" in message and "'A'" in message


def test_a_series_that_lost_its_labels_says_index_and_how_to_fix_it():
    with pytest.raises(Refused) as refused:
        NumberSeries(index="tool name").to_plain(pd.Series([1.0, 2.0]))
    text = str(refused.value)
    assert "index" in text and "tool name" in text and "set_index" in text and "set_axis" in text


def test_a_two_level_grouped_result_says_what_happened():
    grouped = pd.DataFrame({"a": ["x", "y"], "b": ["p", "q"], "v": [1.0, 2.0]}).groupby(["a", "b"])["v"].sum()
    with pytest.raises(Refused) as refused:
        NumberSeries(index="segment").to_plain(grouped)
    assert "2-level index" in str(refused.value) and "one label per row" in str(refused.value).lower()


def test_a_dict_and_a_one_column_table_are_reasonable_forms_of_a_series():
    series = pd.Series([0.5, 0.25], index=["a", "b"])
    assert judged(NumberSeries(values=Share()), series, {"a": 0.5, "b": 0.25}) == ""
    assert judged(NumberSeries(values=Share()), series, series.to_frame("share")) == ""
    with pytest.raises(Refused, match="Pick the one column"):
        NumberSeries().to_plain(pd.DataFrame({"x": [1.0], "y": [2.0]}, index=["a"]))


def test_missing_values_and_wrong_counts_in_a_series_are_named():
    series = pd.Series([0.5, 0.25], index=["a", "b"])
    assert "missing (NaN)" in judged(NumberSeries(values=Share()), series, pd.Series([0.5, np.nan], index=["a", "b"]))
    assert judged(NumberSeries(items="tools"), series, series.iloc[:1]) == "Expected 2 tools, but received 1."
    assert "not the same ones" in judged(NumberSeries(), series, pd.Series([0.5, 0.25], index=["a", "z"]))
    assert "at least one of the values is off" in judged(NumberSeries(), series, pd.Series([0.5, 0.9], index=["a", "b"]))


def test_labels_not_in_the_data_ask_to_check_the_spelling():
    universe = frozenset({"staff", "price", "wait"})
    assert "check the spelling" in judged(Label(what="theme"), "staff", "staf", labels=universe).lower()
    assert "'Staf'" in judged(LabelSet(items="themes"), ["staff"], ["Staf"], labels=universe)
    assert "'T0', 'T1', 'T2'" in judged(LabelSet(items="themes"), ["staff"], [f"T{i}" for i in range(5)], labels=universe)


def test_universes_are_evaluated_on_the_data_given():
    frame = pd.DataFrame({"tool": ["A", "b ", None]})
    assert Column("stack", "tool").labels(lambda name: frame) == frozenset({"a", "b"})
    assert Values(("FR", "de")).labels() == frozenset({"fr", "de"})


def test_declared_mistakes_come_after_wrong_forms_and_before_structure():
    mistakes = [(0.25, "You averaged the weekly shares.")]
    assert judged(Share(), 0.3488, 0.25, mistakes) == "You averaged the weekly shares."
    assert "percentage" in judged(Share(), 0.3488, 34.88, [(34.88 / 100, "never said")])
    assert judged(Share(), 0.3488, 0.3488, mistakes) == ""


# --- what the learner's side can learn from a seal -------------------------------------------------

@pytest.mark.parametrize("kind,expected", [
    (Money(), 527928.0), (Share(decimals=3), 0.3487588), (Count(), 1627), (Label(), "SparkLab"),
    (LabelSet(), ["QuickBoard", "VistaCloud"]), (NumberSeries(values=Points(decimals=1)), pd.Series([31.97, -26.21],
                                                                                              index=["Loyal", "New"])),
])
def test_seals_made_for_a_release_do_not_hold_the_expected_value(kind, expected):
    seal = kind.seal(kind.to_plain(expected), keyed("test-salt"))
    text = json.dumps(seal).lower()
    numbers, stack = [], [seal]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, float) or (isinstance(item, int) and not isinstance(item, bool)):
            numbers.append(item)
    values = expected.tolist() if isinstance(expected, pd.Series) else expected if isinstance(expected, list) else [expected]
    labels = list(expected.index) if isinstance(expected, pd.Series) else [v for v in values if isinstance(v, str)]
    for value in (v for v in values if not isinstance(v, str)):
        assert all(abs(n - value) > 1e-9 * max(1.0, abs(value)) for n in numbers), (value, seal)
    for label in labels:
        assert label.lower() not in text, (label, seal)


def test_no_message_contains_the_expected_value():
    expected = 527928.0
    for wrong in (expected * 0.5, expected * 2, expected + 1000, 0.0, -expected):
        message = judged(Money(), expected, wrong)
        assert message and "527928" not in message.replace(",", "") and "527,928" not in message


def test_kinds_round_trip_through_their_json_spec():
    kinds = [Number(unit="hours", decimals=0, low=0), Share(decimals=3), Points(decimals=1), Money(sig=3), Count(),
             Label(what="tool", universe=Column("stack_inventory", "tool", advice="Use the tool column.")),
             LabelSet(items="themes", universe=Values(("a", "b"))),
             NumberSeries(values=Share(decimals=4), index="creative type", items="creatives",
                          universe=Column("campaign_log", "creative_type"))]
    for kind in kinds:
        spec = json.loads(json.dumps(kind.spec()))
        assert from_spec(spec) == kind


def test_a_count_series_where_its_names_were_asked_says_take_the_index():
    """m1 exercise 4's most natural slip: `count[count >= 3]` without `.index`."""
    counts = pd.Series([4, 3], index=["crm", "email"])
    with pytest.raises(Refused) as refused:
        LabelSet(items="capabilities").to_plain(counts)
    assert str(refused.value) == msg.NAMES_IN_THE_INDEX.format(expected=msg.KIND_LABELS)
    assert LabelSet().to_plain(counts.index) == ["crm", "email"]   # the index itself is accepted
    assert LabelSet().to_plain(pd.Series(["b", "a"])) == ["a", "b"]  # a Series of names too


def test_a_number_for_a_name_points_at_idxmax_and_a_number_in_quotes_at_the_quotes():
    with pytest.raises(Refused) as refused:
        Label(what="theme").to_plain(12)
    assert str(refused.value).endswith(msg.NUMBER_FOR_A_NAME)
    with pytest.raises(Refused) as refused:
        Number().to_plain("15.4")
    assert "remove the quotes" in str(refused.value) and "'15.4'" in str(refused.value)
    with pytest.raises(Refused) as refused:
        Number().to_plain("staff")
    assert "remove the quotes" not in str(refused.value)
