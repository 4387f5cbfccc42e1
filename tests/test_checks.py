"""The learner's checks: strict about types, plain in words, and never fooled by clever objects."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from course import data, messages
from course.errors import WrongModule
from course.questions import ModuleData, bank_for
from course.questions.kinds import Label, LabelSet, Number, NumberSeries, Refused, Share


class AlwaysEqual(float):
    """A float subclass that claims equality with anything."""

    def __eq__(self, other):
        return True

    __hash__ = float.__hash__


class Liar:
    def __eq__(self, other):
        return True


@pytest.fixture(scope="module")
def m1_data():
    return ModuleData(data.load)


def test_number_refuses_subclasses_and_liars():
    for value in (AlwaysEqual(1.0), Liar(), True, "12", [1.0]):
        with pytest.raises(Refused) as refused:
            Number().to_plain(value)
        assert "Expected a number" in str(refused.value)


def test_number_accepts_numpy_scalars_as_plain_python():
    assert type(Number().to_plain(np.float64(2.5))) is float
    assert type(Number(whole=True).to_plain(np.int64(3))) is int


def test_share_says_what_it_expected_and_received():
    with pytest.raises(Refused) as refused:
        Share().to_plain(42.0)
    text = str(refused.value)
    assert "between 0 and 1" in text and "42" in text


def test_label_set_refuses_liar_elements_and_duplicates():
    with pytest.raises(Refused):
        LabelSet().to_plain([Liar()])
    with pytest.raises(Refused) as refused:
        LabelSet(items="tools").to_plain(["A", "A"])
    assert "more than once" in str(refused.value)


def test_series_compare_is_by_label_with_tolerance():
    kind = NumberSeries()
    want = kind.to_plain(pd.Series([1.0, 2.0], index=["a", "b"]))
    assert kind.compare(kind.to_plain(pd.Series([2.0, 1.0], index=["b", "a"])), want) is None
    assert "off" in kind.compare(kind.to_plain(pd.Series([1.0, 3.0], index=["a", "b"])), want)
    assert "Expected 2" in kind.compare(kind.to_plain(pd.Series([1.0], index=["a"])), want)


def test_compare_refuses_non_plain_received_values():
    assert Number().compare(Liar(), 1.0) is not None
    assert Label().compare(Liar(), "x") is not None
    assert LabelSet().compare([Liar()], ["x"]) is not None


@pytest.mark.parametrize("module", ["orientation", "tool_overload"])
def test_every_question_accepts_its_own_expectation(module, m1_data):
    bank = bank_for(module)
    for question in bank.questions.values():
        plain = question.expected_plain(m1_data)
        assert question.verdict(plain, m1_data) is None, question.id
        assert len(question.hints) >= 2, f"{question.id} needs progressive hints"


def test_unanswered_is_named_as_such(m1_data):
    question = bank_for("tool_overload").get("shelfware")
    assert question.verdict(None, m1_data) == messages.NOT_ANSWERED.format(name="shelfware_tools")


def test_unknown_question_lists_the_real_ones():
    with pytest.raises(WrongModule) as wrong:
        bank_for("tool_overload").get("q99")
    assert "shelfware" in str(wrong.value)


def test_mistake_diagnosis_beats_generic_message(m1_data):
    question = bank_for("orientation").get("median_cost")
    mean = float(m1_data["stack_inventory"]["annual_cost"].mean())
    assert "mean" in question.verdict(mean, m1_data)


def test_learner_messages_never_contain_the_expected_value(m1_data):
    bank = bank_for("tool_overload")
    question = bank.get("shelfware_savings")
    expected = question.expected(m1_data)
    for wrong in (expected * 0.5, expected * 2, expected + 1000):
        verdict = question.verdict(float(wrong), m1_data)
        assert verdict and f"{expected:.0f}" not in verdict and f"{expected:,.0f}" not in verdict
