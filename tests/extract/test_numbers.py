"""Numbers as the reports write them; bounds are never exact counts."""

from __future__ import annotations

import re

import pytest

from scoring.extract.numbers import NUMBER, is_bound, parse


@pytest.mark.parametrize(("token", "value"), [
    ("one", 1), ("five", 5), ("13", 13), ("forty-eight", 48), ("twenty one", 21), ("1,200", 1200), ("seven", 7),
    ("two hundred and five", 205),
])
def test_digits_and_words_parse(token: str, value: int) -> None:
    assert re.fullmatch(NUMBER, token, re.I)
    assert parse(token) == value


def test_number_words_inside_other_words_are_not_numbers() -> None:
    assert re.findall(NUMBER, "someone, bone, often, tone", re.I) == []


@pytest.mark.parametrize("before", ["the rescue of more than ", "at least ", "over ", "nearly ", "approximately "])
def test_bounds_are_recognised(before: str) -> None:
    assert is_bound(before)


@pytest.mark.parametrize("before", ["identified ", "investigated one potential case, compared with "])
def test_plain_numbers_are_not_bounds(before: str) -> None:
    assert not is_bound(before)
