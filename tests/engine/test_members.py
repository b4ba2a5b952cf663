"""Session.assert_members: the scoring fast path keeps every check of assert_facts."""

from __future__ import annotations

import pytest

from scoring.engine.durable_driver import DurableRuleset, Members
from scoring.errors import EngineError

RULES = {
    "big": {"all": [{"m": {"$and": [{"type": "a"}, {"$gt": {"x": 5}}]}}]},
    "small": {"all": [{"m": {"$and": [{"type": "a"}, {"$lte": {"x": 5}}]}}]},
    "either": {"all": [{"m": {"$and": [{"type": "a"}, {"$or": [{"$gt": {"x": 0}}, {"flag": True}]}]}}]},
    "word": {"all": [{"m": {"$and": [{"type": "b"}, {"w": "yes"}]}}]},
}


@pytest.fixture(scope="module")
def rs() -> DurableRuleset:
    return DurableRuleset("members_test", RULES)


def _code(fn, *args) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(EngineError) as info:
        fn(*args)
    return info.value.code


@pytest.mark.parametrize("fact", [{"type": "a", "x": 7}, {"type": "a", "x": 3, "flag": True}, {"type": "a", "flag": False},
                                  {"type": "b", "w": "yes"}, {"type": "b", "w": "no"}])
def test_members_fire_what_the_same_fact_fires(rs: DurableRuleset, fact: dict) -> None:
    with rs.session() as s:
        want = [f.rule for f in s.assert_facts([fact])]
    with rs.session() as s:
        got = s.assert_members([[rs.member(k, v) for k, v in fact.items()]])
    assert got == want
    assert len(got) == len(set(got))  # an $or with both branches true fires once


def test_members_are_checked_like_facts(rs: DurableRuleset) -> None:
    assert _code(rs.members, {"x": "7"}) == "ENG-TYPE"  # the rules compare x with numbers
    assert _code(rs.members, {"x": None}) == "ENG-NULL"
    assert _code(rs.members, {"x": float("nan")}) == "ENG-FLOAT"
    assert _code(rs.members, {"x": 2**64}) == "ENG-INT"
    assert _code(rs.members, {"sid": "s"}) == "ENG-KEY"
    assert _code(rs.members, {"a b": 1}) == "ENG-KEY"
    assert _code(rs.members, {"type": "__open__"}) == "ENG-DISCRIMINATOR"
    assert _code(rs.members, {"x": [1]}) == "ENG-NESTED"


def test_a_fact_of_members_needs_a_type_distinct_keys_and_this_rulesets_members(rs: DurableRuleset) -> None:
    other = DurableRuleset("members_other", {"r": {"all": [{"m": {"$and": [{"type": "a"}, {"$gt": {"x": 5}}]}}]}})
    forged = Members('"x":99')
    with rs.session() as s:
        assert _code(s.assert_members, [[rs.member("x", 7)]]) == "ENG-DISCRIMINATOR"
        assert _code(s.assert_members, [[rs.member("type", "a"), rs.member("x", 7), rs.member("x", 8)]]) == "ENG-KEY"
        assert _code(s.assert_members, [[rs.member("type", "a"), other.member("x", 7)]]) == "ENG-KEY"
        assert _code(s.assert_members, [[rs.member("type", "a"), forged]]) == "ENG-KEY"
        assert _code(s.assert_members, [[rs.member("type", "a"), '"x":7']]) == "ENG-KEY"  # type: ignore[list-item]
    with rs.session() as s:  # a refused fact never reached durable: the next session works
        assert s.assert_members([[rs.member("type", "a"), rs.member("x", 7)]]) == ["big", "either"]
    other.close()


def test_at_most_250_properties(rs: DurableRuleset) -> None:
    many = [rs.member("type", "a"), *[rs.member(f"k{i}", i) for i in range(250)]]
    with rs.session() as s:
        assert _code(s.assert_members, [many]) == "ENG-PROPS"


def test_export_and_restore_give_the_same_engine(rs: DurableRuleset) -> None:
    again = DurableRuleset.restore(rs.export())
    with again.session() as s:
        assert s.assert_members([[again.member("type", "a"), again.member("x", 1)]]) == ["small", "either"]
    assert _code(DurableRuleset.restore, {**rs.export(), "kinds": {"x": "weird"}}) == "ENG-SHAPE"
    assert _code(DurableRuleset.restore, {"name": "../x", "rules": "{}", "kinds": {}, "single": True}) == "ENG-SHAPE"
    again.close()
