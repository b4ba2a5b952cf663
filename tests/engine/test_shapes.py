"""Session.assert_shaped: the scoring fast path (values for a fact shape checked once) keeps every
check of assert_facts: keys when the shape is made, each value the first time it is seen."""

from __future__ import annotations

import pytest

from scoring.engine.durable_driver import MAX_PROPS, DurableRuleset
from scoring.errors import EngineError

RULES = {
    "big": {"all": [{"m": {"$and": [{"type": "a"}, {"$gt": {"x": 5}}]}}]},
    "small": {"all": [{"m": {"$and": [{"type": "a"}, {"$lte": {"x": 5}}]}}]},
    "either": {"all": [{"m": {"$and": [{"type": "a"}, {"$or": [{"$gt": {"x": 0}}, {"flag": True}]}]}}]},
    "word": {"all": [{"m": {"$and": [{"type": "b"}, {"w": "yes"}]}}]},
}


@pytest.fixture(scope="module")
def rs() -> DurableRuleset:
    return DurableRuleset("shapes_test", RULES)


def _code(fn, *args) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(EngineError) as info:
        fn(*args)
    return info.value.code


@pytest.mark.parametrize("fact", [{"type": "a", "x": 7}, {"type": "a", "x": 3, "flag": True}, {"type": "a", "flag": False},
                                  {"type": "a"}, {"type": "b", "w": "yes"}, {"type": "b", "w": "no"}])
def test_shaped_facts_fire_what_the_same_fact_fires(rs: DurableRuleset, fact: dict) -> None:
    keys = ["x", "flag", "w"]
    shape = rs.shape({"type": fact["type"]}, keys)
    with rs.session() as s:
        want = [f.rule for f in s.assert_facts([fact])]
    for _ in range(2):  # the second time, every value is a remembered member
        with rs.session() as s:
            got = s.assert_shaped([(shape, [fact.get(k) for k in keys])])  # None: the key is left out
        assert got == want
    assert len(got) == len(set(got))  # an $or with both branches true fires once


def test_a_shape_is_checked_when_it_is_made(rs: DurableRuleset) -> None:
    assert _code(rs.shape, {"x": 1}, ["flag"]) == "ENG-DISCRIMINATOR"
    assert _code(rs.shape, {"type": "__open__"}, ["x"]) == "ENG-DISCRIMINATOR"
    assert _code(rs.shape, {"type": "a"}, ["x", "x"]) == "ENG-KEY"
    assert _code(rs.shape, {"type": "a", "x": 1}, ["x"]) == "ENG-KEY"
    assert _code(rs.shape, {"type": "a"}, ["sid"]) == "ENG-KEY"
    assert _code(rs.shape, {"type": "a"}, ["a b"]) == "ENG-KEY"
    assert _code(rs.shape, {"type": "a"}, [f"k{i}" for i in range(MAX_PROPS)]) == "ENG-PROPS"
    assert _code(rs.shape, {"type": "a", "x": "7"}, []) == "ENG-TYPE"  # fixed members are checked as members


@pytest.mark.parametrize("value, code", [("7", "ENG-TYPE"), (float("nan"), "ENG-FLOAT"), (2**64, "ENG-INT"),
                                         ([1], "ENG-NESTED"), ({"a": 1}, "ENG-NESTED"), (b"7", "ENG-VALUE")])
def test_each_value_is_checked_like_a_fact_field(rs: DurableRuleset, value: object, code: str) -> None:
    shape = rs.shape({"type": "a"}, ["x"])
    with rs.session() as s:
        assert _code(s.assert_shaped, [(shape, [value])]) == code
    with rs.session() as s:  # a refused fact never reached durable: the next session works
        assert s.assert_shaped([(shape, [7])]) == ["big", "either"]


def test_a_remembered_value_of_another_type_is_checked_again(rs: DurableRuleset) -> None:
    shape = rs.shape({"type": "a"}, ["flag"])
    with rs.session() as s:
        assert s.assert_shaped([(shape, [True])]) == ["either"]
    with rs.session() as s:  # 1 == True in Python, but the rules compare flag with booleans
        assert _code(s.assert_shaped, [(shape, [1])]) == "ENG-TYPE"


def test_values_need_this_rulesets_shape_and_one_value_per_key(rs: DurableRuleset) -> None:
    other = DurableRuleset("shapes_other", {"r": {"all": [{"m": {"$and": [{"type": "a"}, {"$gt": {"x": 5}}]}}]}})
    shape = rs.shape({"type": "a"}, ["x"])
    with rs.session() as s:
        assert _code(s.assert_shaped, [(other.shape({"type": "a"}, ["x"]), [7])]) == "ENG-KEY"
        assert _code(s.assert_shaped, [(('"type":"a"', ("x",)), [7])]) == "ENG-KEY"  # type: ignore[list-item]
        assert _code(s.assert_shaped, [(shape, [7, 8])]) == "ENG-SHAPE"
        assert s.assert_shaped([(shape, [7])]) == ["big", "either"]
    other.close()


@pytest.mark.parametrize("fixed, code", [({"type": "a", "x": None}, "ENG-NULL"), ({"type": "a", "x": float("inf")}, "ENG-FLOAT"),
                                         ({"type": "a", "x": 2**64}, "ENG-INT"), ({"type": "a", "sid": "s"}, "ENG-KEY"),
                                         ({"type": "a", "x": [1]}, "ENG-NESTED"), ({"type": 3}, "ENG-DISCRIMINATOR")])
def test_fixed_members_are_checked_like_fact_fields(rs: DurableRuleset, fixed: dict, code: str) -> None:
    assert _code(rs.shape, fixed, []) == code


def test_export_and_restore_give_the_same_engine(rs: DurableRuleset) -> None:
    again = DurableRuleset.restore(rs.export())
    with again.session() as s:
        assert s.assert_shaped([(again.shape({"type": "a"}, ["x"]), [1])]) == ["small", "either"]
    assert _code(DurableRuleset.restore, {**rs.export(), "kinds": {"x": "weird"}}) == "ENG-SHAPE"
    assert _code(DurableRuleset.restore, {"name": "../x", "rules": "{}", "kinds": {}, "single": True}) == "ENG-SHAPE"
    again.close()
