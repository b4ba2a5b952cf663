"""Each failure mode of raw durable-rules 2.0.28, reproduced in a subprocess, next to a test
showing that scoring.engine.durable_driver makes it unreachable.

Raw reproductions run in a child interpreter, so a SIGSEGV/SIGFPE cannot kill pytest. Driver tests
that would crash the process if the driver were wrong also run in a child. The others run
in-process.
"""

from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.engine import durable_driver as dd
from scoring.engine.durable_driver import DurableRuleset, Firing, encode_fact
from scoring.errors import EngineError

ROOT = Path(__file__).resolve().parents[2]

# Raw helpers for the child scripts: a ruleset plus the driver's own "__open__" trick only where
# a test says so.
RAW = """
import json, os, sys
import durable_rules_engine as d
def create(name, rules):
    return d.create_ruleset(name, json.dumps(rules))
def run_all(h, state):
    a = d.start_action_for_state(h, state)
    fired = []
    while a:
        fired.append(next(iter(json.loads(a if isinstance(a, str) else a[1]))))
        a = d.complete_and_start_action(h, state)
    return fired
"""

# C2 needs garbage in the heap block that durable's state pool is carved from; a fresh process
# often hands out zeroed memory and then `free(NULL)` is harmless (we measured 0/3 crashes
# without this, 3/3 with it). Allocate and free some 0x41 bytes before creating the ruleset.
DIRTY_HEAP = "junk = [bytes([0x41]) * n for n in (40000, 60000, 100000)]; del junk\n"


def child(*parts: str, timeout: float = 60, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the (separately dedented) code parts in a fresh interpreter."""
    code = "\n".join(textwrap.dedent(part) for part in parts)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT, env={**os.environ, **(env or {})})


def ok(p: subprocess.CompletedProcess[str]) -> str:
    assert p.returncode == 0, f"rc={p.returncode}\nstdout={p.stdout[-2000:]}\nstderr={p.stderr[-2000:]}"
    return p.stdout


def gt_rules(n: int, *, part_first: bool | None = None) -> dict[str, dict]:
    """n rules `x > i` on type "cy"; optionally split over two `part` values before/after the test."""
    rules = {}
    for i in range(n):
        conds: list[dict] = [{"type": "cy"}, {"$gt": {"x": i}}]
        if part_first is not None:
            conds.insert(1 if part_first else 2, {"part": f"p{i % 2}"})
        rules[f"r{i}"] = {"all": [{"m": {"$and": conds}}]}
    return rules


def code_of(fn, *args, **kw) -> str:
    with pytest.raises(EngineError) as ei:
        fn(*args, **kw)
    return ei.value.code


# 1. The 1,024-session cliff ---------------------------------------------------------------------

def test_raw_1025th_live_sid_raises_memoryerror_then_segfaults() -> None:
    p = child(RAW, """
        h = create("oom", {"r": {"all": [{"m": {"type": "a"}}]}})
        try:
            for n in range(1, 1100):
                d.assert_fact(h, json.dumps({"sid": str(n), "type": "zz"}))
        except MemoryError:
            print("MemoryError at", n, flush=True)
        d.assert_fact(h, json.dumps({"sid": str(n), "type": "zz"}))  # notes 2.1 "oom_retry"
        print("retry survived", flush=True)
    """)
    assert "MemoryError at 1025" in p.stdout
    assert p.returncode == -signal.SIGSEGV and "retry survived" not in p.stdout


def test_driver_runs_20000_sessions_without_hitting_the_cliff() -> None:
    rs = DurableRuleset("cliff", {"hi": {"all": [{"m": {"$and": [{"type": "a"}, {"$gt": {"x": 5}}]}}]},
                                  "lo": {"all": [{"m": {"$and": [{"type": "a"}, {"$lte": {"x": 5}}]}}]}})
    for i in range(20_000):
        with rs.session() as s:
            fired = s.assert_facts([{"type": "a", "x": i % 11}])
        assert fired == [Firing("hi" if i % 11 > 5 else "lo", {"m": {"type": "a", "x": i % 11}})]


# 2. delete_state after an unmatched input (C2) --------------------------------------------------

def test_raw_delete_state_after_unmatched_fact_segfaults() -> None:
    p = child(RAW, DIRTY_HEAP, """
        h = create("c2", {"r": {"all": [{"m": {"type": "a"}}]}})
        print(d.assert_fact(h, json.dumps({"sid": "1", "type": "zz"})), flush=True)  # (1, ...) not handled
        d.delete_state(h, "1")
        print("survived", flush=True)
    """)
    assert p.stdout.startswith("(1,") and "survived" not in p.stdout
    assert p.returncode in (-signal.SIGSEGV, -signal.SIGABRT)  # free() of a garbage pointer


def test_driver_unmatched_fact_then_exit_1000_times() -> None:
    out = ok(child("from scoring.engine.durable_driver import DurableRuleset", DIRTY_HEAP, """
        rs = DurableRuleset("c2", {"r": {"all": [{"m": {"type": "a"}}]}})
        for i in range(1000):
            with rs.session() as s:
                assert s.assert_facts([{"type": "zz", "i": i}]) == []
        with rs.session() as s:
            print(s.assert_facts([{"type": "a"}])[0].rule)
    """))
    assert out.strip() == "r"


# 3. More than 64 tests reachable by one fact (error 303) ----------------------------------------

def test_raw_65_rules_matching_one_fact_give_error_303() -> None:
    p = child(RAW, """
        for n in (64, 65):
            rules = {f"r{i}": {"all": [{"m": {"$and": [{"type": "cy"}, {"$gt": {"x": i}}]}}]} for i in range(n)}
            h = create(f"fan{n}", rules)
            try:
                print(n, len(run_all(h, d.assert_fact(h, '{"sid":"1","type":"cy","x":1000}')[1])), flush=True)
            except d.error as e:
                print(n, e, flush=True)
            os._exit(0) if n == 65 else d.delete_state(h, "1")
    """)
    assert p.stdout.splitlines() == ["64 64", "65 Could not assert fact, error code: 303"]


def test_driver_rejects_65_and_runs_64() -> None:
    assert code_of(DurableRuleset, "fan", gt_rules(65)) == "ENG-FANOUT"
    rs = DurableRuleset("fan", gt_rules(64))
    with rs.session() as s:
        assert [f.rule for f in s.assert_facts([{"type": "cy", "x": 1000}])] == [f"r{i}" for i in range(64)]


def test_raw_part_discriminator_only_partitions_when_placed_before_the_comparisons() -> None:
    # Measured: 128 rules, 64 per part. `part` before `x > i` -> each fact reaches 64 tests (fine);
    # `part` after `x > i` -> all 128 comparisons sit under the type node -> 303.
    p = child(RAW, f"""
        first, after = {gt_rules(128, part_first=True)!r}, {gt_rules(128, part_first=False)!r}
        for name, rules in (("first", first), ("after", after)):
            h = create(name, rules)
            try:
                print(name, len(run_all(h, d.assert_fact(h, '{{"sid":"1","type":"cy","part":"p0","x":1000}}')[1])))
            except d.error as e:
                print(name, e)
    """)
    assert p.stdout.splitlines() == ["first 64", "after Could not assert fact, error code: 303"]


def test_driver_allows_100_partitioned_rules_and_rejects_the_unpartitioned_shape() -> None:
    rs = DurableRuleset("part", gt_rules(100, part_first=True))
    with rs.session() as s:
        fired = s.assert_facts([{"type": "cy", "part": "p1", "x": 1000}])
    assert [f.rule for f in fired] == [f"r{i}" for i in range(1, 100, 2)]
    assert code_of(DurableRuleset, "part", gt_rules(128, part_first=False)) == "ENG-FANOUT"
    assert code_of(DurableRuleset, "part", gt_rules(130, part_first=True)) == "ENG-FANOUT"  # 65 per part


def test_driver_maps_c_error_codes_and_the_next_session_works() -> None:
    # A join read by an ordering test on a field the other fact lacks: C error 311 at assert time.
    rs = DurableRuleset("e311", {"join": {"all": [{"a": {"type": "a"}},
                                                  {"b": {"$and": [{"type": "b"}, {"$gt": {"k": {"a": "k"}}}]}}]}})
    for _ in range(50):
        with pytest.raises(EngineError) as ei, rs.session() as s:
            s.assert_facts([{"type": "a", "z": 1}, {"type": "b", "k": 1}])
        assert ei.value.code == "ENG-CODE-311" and "311" in str(ei.value)
    with rs.session() as s:
        assert [f.rule for f in s.assert_facts([{"type": "a", "k": 0}, {"type": "b", "k": 1}])] == ["join"]


# 4. Actions that raise ---------------------------------------------------------------------------

def test_raw_host_swallows_systemexit_in_an_action() -> None:
    p = child("""
        import os
        from durable.engine import Host
        def act(c):
            raise SystemExit(3)
        host = Host()
        host.register_rulesets({"t": {"r": {"all": [{"m": {"type": "a"}}], "run": act}}})
        host.assert_fact("t", {"sid": "1", "type": "a"})
        print("returned normally;", "exception" in host.get_state("t", "1"), flush=True)
        os._exit(0)  # the Host's timer threads must not outlive the test
    """)
    assert p.stdout.strip() == "returned normally; True"


@pytest.mark.parametrize("exc", [ValueError("bad"), SystemExit(3)])
def test_driver_action_errors_raise_eng_action_and_the_next_session_works(exc: BaseException) -> None:
    rs = DurableRuleset("act", {"a": {"all": [{"m": {"type": "a"}}]}, "b": {"all": [{"m": {"type": "b"}}]}})

    def boom(f: Firing) -> list[dict]:
        raise exc

    with pytest.raises(EngineError) as ei, rs.session() as s:
        s.assert_facts([{"type": "a"}], on_fire=boom)
    assert ei.value.code == "ENG-ACTION" and ei.value.__cause__ is exc
    with rs.session() as s:
        fired = s.assert_facts([{"type": "a"}],
                               on_fire=lambda f: [{"type": "b", "from": f.rule}] if f.rule == "a" else None)
    assert fired == [Firing("a", {"m": {"type": "a"}}), Firing("b", {"m": {"type": "b", "from": "a"}})]


def test_driver_caps_runaway_chains(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dd, "MAX_ACTIVATIONS", 300)
    rs = DurableRuleset("loop", {"step": {"all": [{"m": {"type": "n"}}]}})
    with pytest.raises(EngineError) as ei, rs.session() as s:
        s.assert_facts([{"type": "n", "i": 0}], on_fire=lambda f: [{"type": "n", "i": f.facts["m"]["i"] + 1}])
    assert ei.value.code == "ENG-RUNAWAY"
    with rs.session() as s:
        assert len(s.assert_facts([{"type": "n", "i": 0}])) == 1


# 5. Float formats --------------------------------------------------------------------------------

FLOAT_RULES = {"tiny": {"all": [{"m": {"$and": [{"type": "a"}, {"$lt": {"x": 1e-06}}]}}]},
               "small": {"all": [{"m": {"$and": [{"type": "a"}, {"$gte": {"x": 1e-06}}, {"$lt": {"x": 0.001}}]}}]},
               "huge": {"all": [{"m": {"$and": [{"type": "a"}, {"$gt": {"x": 1e15}}]}}]}}


def test_raw_python_json_floats_give_error_204() -> None:
    p = child(RAW, """
        h = create("flt", {"r": {"all": [{"m": {"type": "a"}}]}})
        for x in (1e-07, 5e-05, 1e16):
            try:
                d.assert_fact(h, json.dumps({"sid": "1", "type": "a", "x": x}))  # what durable.engine sends
            except d.error as e:
                print(json.dumps(x), e)
        os._exit(0)
    """)
    assert p.stdout.splitlines() == [f"{x} Could not assert fact, error code: 204" for x in ("1e-07", "5e-05", "1e+16")]


def test_driver_encodes_floats_and_compares_them() -> None:
    assert encode_fact({"x": 1e-07}) == '{"x":1.0e-07}'
    assert encode_fact({"x": 1e16, "y": -5e-05, "z": 2.5}) == '{"x":1.0e+16,"y":-5.0e-05,"z":2.5}'
    rs = DurableRuleset("flt", FLOAT_RULES)
    for x, rule in ((1e-07, "tiny"), (5e-05, "small"), (1e16, "huge")):
        with rs.session() as s:
            assert s.assert_facts([{"type": "a", "x": x}]) == [Firing(rule, {"m": {"type": "a", "x": x}})]


_FLOAT_RS = DurableRuleset("fprop", {"neg": {"all": [{"m": {"$and": [{"type": "a"}, {"$lt": {"x": 0}}]}}]},
                                     "nonneg": {"all": [{"m": {"$and": [{"type": "a"}, {"$gte": {"x": 0}}]}}]}})


@settings(max_examples=300, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False))
def test_driver_round_trips_and_compares_any_finite_float(x: float) -> None:
    assert json.loads(encode_fact({"x": x}))["x"] == x
    with _FLOAT_RS.session() as s:
        fired = s.assert_facts([{"type": "a", "x": x}])
    assert [f.rule for f in fired] == ["neg" if x < 0 else "nonneg"]
    assert fired[0].facts["m"]["x"] == x


# 6. String ordering and int/string coercion ------------------------------------------------------

def test_raw_string_order_and_coercion_give_wrong_answers() -> None:
    p = child(RAW, """
        h = create("str", {"lt": {"all": [{"m": {"$and": [{"type": "a"}, {"$lt": {"tier": "Tier 2 Watch List"}}]}}]},
                           "eq": {"all": [{"m": {"$and": [{"type": "a"}, {"code": "5"}]}}]},
                           "__open__": {"all": [{"m": {"type": "__open__"}}]}})
        run_all(h, d.assert_fact(h, '{"sid":"1","type":"__open__"}')[1])
        print(run_all(h, d.assert_fact(h, '{"sid":"1","type":"a","tier":"Tier 2"}')[1]))
        print(run_all(h, d.assert_fact(h, '{"sid":"1","type":"a","code":5}')[1]))
    """)
    assert "Tier 2" < "Tier 2 Watch List"  # Python's answer; durable says no:
    assert ok(p).splitlines() == ["[]", "['eq']"]  # ...and int 5 equals the string "5"


def test_driver_rejects_string_ordering_and_kind_mismatches() -> None:
    lt = {"all": [{"m": {"$and": [{"type": "a"}, {"$lt": {"tier": "Tier 2 Watch List"}}]}}]}
    assert code_of(DurableRuleset, "str", {"lt": lt}) == "ENG-STRING-ORDER"
    gt_bool = {"all": [{"m": {"$and": [{"type": "a"}, {"$gt": {"ok": True}}]}}]}
    assert code_of(DurableRuleset, "str", {"gt": gt_bool}) == "ENG-STRING-ORDER"
    mixed = {"s": {"all": [{"m": {"$and": [{"type": "a"}, {"code": "5"}]}}]},
             "n": {"all": [{"m": {"$and": [{"type": "a"}, {"$gt": {"code": 4}}]}}]}}
    assert code_of(DurableRuleset, "str", mixed) == "ENG-TYPE"
    rs = DurableRuleset("str", {"eq": {"all": [{"m": {"$and": [{"type": "a"}, {"code": "5"}]}}]}})
    with rs.session() as s:
        assert code_of(s.assert_facts, [{"type": "a", "code": 5}]) == "ENG-TYPE"
        assert [f.rule for f in s.assert_facts([{"type": "a", "code": "5"}])] == ["eq"]


# 7. Integer division by zero ---------------------------------------------------------------------

DIV_RULE = {"all": [{"m": {"$and": [{"type": "a"}, {"$gt": {"x": {"$div": {"$l": {"$m": "p"}, "$r": {"$m": "q"}}}}}]}}]}


def test_raw_div_by_integer_zero_is_sigfpe() -> None:
    p = child(RAW, f"""
        h = create("div", {{"r": {DIV_RULE!r}}})
        print(d.assert_fact(h, json.dumps({{"sid": "1", "type": "a", "x": 5, "p": 10, "q": 2}})), flush=True)
        d.assert_fact(h, json.dumps({{"sid": "1", "type": "a", "x": 5, "p": 10, "q": 0}}))
        print("survived", flush=True)
    """)
    assert p.returncode == -signal.SIGFPE and "survived" not in p.stdout


def test_driver_rejects_div() -> None:
    assert code_of(DurableRuleset, "div", {"r": DIV_RULE}) == "ENG-DIV"


# 8. Timer threads and imports -------------------------------------------------------------------

def test_raw_host_starts_timer_threads() -> None:
    p = child("""
        import os, threading
        from durable.engine import Host
        before = threading.active_count(); Host()
        print(threading.active_count() - before, flush=True)
        os._exit(0)
    """)
    assert int(p.stdout) >= 2


def test_driver_starts_no_thread_and_never_imports_durable_python_api() -> None:
    out = ok(child("""
        import sys, threading
        before = threading.active_count()
        from scoring.engine.durable_driver import DurableRuleset
        rs = DurableRuleset("thr", {"r": {"all": [{"m": {"type": "a"}}]}})
        for _ in range(200):
            with rs.session() as s:
                assert s.assert_facts([{"type": "a"}])[0].rule == "r"
        rs.close()
        print(threading.active_count() - before, sorted(m for m in sys.modules if m.startswith("durable")))
    """))
    assert out.strip() == "0 ['durable_rules_engine']"


# 9. Properties, NaN, None ------------------------------------------------------------------------

def test_raw_accepts_nan_and_null_silently_and_fails_on_260_properties() -> None:
    p = child(RAW, """
        h = create("val", {"lt": {"all": [{"m": {"$and": [{"type": "a"}, {"$lt": {"x": 5}}]}}]},
                           "ge": {"all": [{"m": {"$and": [{"type": "a"}, {"$gte": {"x": 5}}]}}]},
                           "__open__": {"all": [{"m": {"type": "__open__"}}]}})
        run_all(h, d.assert_fact(h, '{"sid":"1","type":"__open__"}')[1])
        print(d.assert_fact(h, json.dumps({"sid": "1", "type": "a", "x": float("nan")}))[0])  # 1: neither rule
        print(d.assert_fact(h, json.dumps({"sid": "1", "type": "a", "x": None}))[0])
        big = {"sid": "1", "type": "a", **{f"k{i}": i for i in range(260)}}
        try:
            d.assert_fact(h, json.dumps(big))
        except d.error as e:
            print(e)
    """)
    assert ok(p).splitlines() == ["1", "1", "Could not assert fact, error code: 302"]


@pytest.mark.parametrize(("fact", "code"), [
    ({"type": "a", "x": float("nan")}, "ENG-FLOAT"),
    ({"type": "a", "x": float("inf")}, "ENG-FLOAT"),
    ({"type": "a", "x": None}, "ENG-NULL"),
    ({"type": "a", **{f"k{i}": i for i in range(250)}}, "ENG-PROPS"),
    ({"type": "a", "x": 2**63}, "ENG-INT"),
    ({"type": "a", "x": {"nested": 1}}, "ENG-NESTED"),
    ({"type": "a", "x": (1, 2)}, "ENG-VALUE"),
    ({"type": "a", "x": {1, 2}}, "ENG-VALUE"),
    ({"type": "a", 3: 1}, "ENG-KEY"),
    ({"type": "a", "sid": "x"}, "ENG-KEY"),
    ({"x": 1}, "ENG-DISCRIMINATOR"),
    ({"type": "__open__"}, "ENG-DISCRIMINATOR"),
])
def test_driver_rejects_bad_facts_with_codes_and_stays_usable(fact: dict, code: str) -> None:
    rs = DurableRuleset("val", {"lt": {"all": [{"m": {"$and": [{"type": "a"}, {"$lt": {"x": 5}}]}}]}})
    with rs.session() as s:
        assert code_of(s.assert_facts, [fact]) == code
        assert [f.rule for f in s.assert_facts([{"type": "a", "x": 1}])] == ["lt"]
        assert len(s.assert_facts([{"type": "a", "x": 2, **{f"k{i}": i for i in range(248)}}])) == 1  # 250 is fine


# 10. Determinism ---------------------------------------------------------------------------------

def test_same_facts_give_the_same_firings_under_different_hash_seeds() -> None:
    code = """
        import json
        from scoring.engine.durable_driver import DurableRuleset
        rules = {
            "crit_met": {"all": [{"m": {"$and": [{"type": "cy"}, {"$gte": {"convictions": 10}}]}}]},
            "crit_or": {"all": [{"m": {"$and": [{"type": "cy"}, {"$or": [{"law": True}, {"$gt": {"victims": 5}}]}]}}]},
            "pillar": {"all": [{"c": {"type": "crit"}}, {"y": {"$and": [{"type": "cy"}, {"country": {"c": "country"}}]}}]},
            "tier": {"pri": 5, "all": [{"p": {"type": "pillar"}}]},
            "early": {"pri": 1, "all": [{"p": {"type": "pillar"}}]},
        }
        derive = {"crit_met": "crit", "crit_or": "crit", "pillar": "pillar"}
        def act(f):
            t = derive.get(f.rule)
            return [{"type": t, "country": "X", "src": f.rule}] if t else None
        rs = DurableRuleset("det", rules)
        out = []
        for i in range(20):
            with rs.session() as s:
                fired = s.assert_facts([{"type": "cy", "country": "X", "convictions": i, "law": i % 2 == 0,
                                         "victims": i % 7}], on_fire=act)
                out.append([[f.rule, f.facts] for f in fired])
        print(json.dumps(out, sort_keys=True))
    """
    a, b = (ok(child(code, env={"PYTHONHASHSEED": seed})) for seed in ("1", "98765"))
    assert a == b and len(json.loads(a)[15]) >= 4


# Other guards ------------------------------------------------------------------------------------

def test_raw_or_fires_once_per_true_branch_driver_once() -> None:
    rule = {"all": [{"m": {"$and": [{"type": "a"}, {"$or": [{"p": True}, {"$gt": {"x": 1}}]}]}}]}
    p = child(RAW, f"""
        h = create("or", {{"r": {rule!r}, "__open__": {{"all": [{{"m": {{"type": "__open__"}}}}]}}}})
        run_all(h, d.assert_fact(h, '{{"sid":"1","type":"__open__"}}')[1])
        print(run_all(h, d.assert_fact(h, '{{"sid":"1","type":"a","p":true,"x":5}}')[1]))
    """)
    assert ok(p).strip() == "['r', 'r']"
    with DurableRuleset("or", {"r": rule}).session() as s:
        assert [f.rule for f in s.assert_facts([{"type": "a", "p": True, "x": 5}])] == ["r"]


def test_raw_multi_key_condition_ignores_keys_driver_rejects() -> None:
    p = child(RAW, """
        h = create("mk", {"r": {"all": [{"m": {"type": "a", "x": 5}}]}, "__open__": {"all": [{"m": {"type": "__open__"}}]}})
        run_all(h, d.assert_fact(h, '{"sid":"1","type":"__open__"}')[1])
        print(run_all(h, d.assert_fact(h, '{"sid":"1","type":"a","x":6}')[1]))
    """)
    assert ok(p).strip() == "['r']"  # x == 5 was silently dropped
    assert code_of(DurableRuleset, "mk", {"r": {"all": [{"m": {"type": "a", "x": 5}}]}}) == "ENG-SHAPE"


# FNV-1a collision: durable's fact id is a 64-bit FNV over (property-name hash, value bytes),
# printed as "$%020llu", truncated to 20 chars, then looked up by its 32-bit FNV-1a only (notes 2.7).
COLLIDE = """
def fnv32(b):
    h = 0x811c9dc5
    for c in b:
        h = ((h ^ c) * 0x01000193) & 0xFFFFFFFF
    return h
def mid_hash(props):
    h = 0xcbf29ce484222325
    for ph, v in sorted((fnv32(k.encode()), v.encode()) for k, v in props):
        for c in [ph, *v]:
            h = ((h ^ c) * 0x100000001b3) & (2**64 - 1)
    return fnv32(("$%020d" % h)[:20].encode())
seen = {}
for n in range(1, 400000):
    k = mid_hash([("sid", "s1"), ("type", "a"), ("n", str(n))])
    if k in seen:
        pair = (seen[k], n)
        break
    seen[k] = n
"""


def test_raw_id_hash_collision_silently_drops_a_fact() -> None:
    p = child(RAW, COLLIDE, """
        h = create("coll", {"r": {"all": [{"m": {"type": "a"}}]}, "__open__": {"all": [{"m": {"type": "__open__"}}]}})
        run_all(h, d.assert_fact(h, '{"sid":"s1","type":"__open__"}')[1])
        res = [d.assert_fact(h, '{"sid":"s1","n":%d,"type":"a"}' % n) for n in pair]
        print([code for code, _ in res], len(run_all(h, res[-1][1])))
    """)
    assert ok(p).strip() == "[0, 2] 1"  # two different facts, the second "already observed", one firing


def test_driver_reports_id_hash_collision() -> None:
    out = ok(child(COLLIDE, """
        from scoring.engine.durable_driver import DurableRuleset
        from scoring.errors import EngineError
        rs = DurableRuleset("coll", {"r": {"all": [{"m": {"type": "a"}}]}})
        try:
            with rs.session() as s:  # the first session of a process has sid "s1"
                s.assert_facts([{"type": "a", "n": pair[0]}, {"type": "a", "n": pair[1]}])
        except EngineError as e:
            print(e.code)
        with rs.session() as s:
            print(len(s.assert_facts([{"type": "a", "n": pair[0]}, {"type": "a", "n": pair[1]}])))
    """))
    assert out.split() == ["ENG-COLLISION", "2"]  # "s2": no collision for the same pair


@pytest.mark.parametrize(("rules", "code"), [
    ({"r": {"pri": -1, "all": [{"m": {"type": "a"}}]}}, "ENG-PRI"),
    ({"r": {"pri": 70000, "all": [{"m": {"type": "a"}}]}}, "ENG-PRI"),
    ({"r": {"all": [{f"m{i}": {"type": "a"}} for i in range(17)]}}, "ENG-PATTERNS"),
    ({f"r{i}": {"all": [{"m": {"type": f"t{i}"}}]} for i in range(4096)}, "ENG-RULES"),
    ({f"r{i}": {"all": [{"m": {"type": "a"}}]} for i in range(257)}, "ENG-IDENTICAL"),
    ({"r": {"all": [{"m": {"$and": [{"type": "a"}, {"$s": 1}]}}]}}, "ENG-STATE"),
    ({"r": {"all": [{"m": {"$nex": {"x": 1}}}]}}, "ENG-DISCRIMINATOR"),
    ({"r": {"all": [{"m": {"$or": [{"type": "a"}, {"type": "b"}]}}]}}, "ENG-DISCRIMINATOR"),
    ({"r": {"all": [{"m": {"type": "a"}}], "run": "x"}}, "ENG-SHAPE"),
    ({"r": {"all": [{"m": {"type": "a"}}], "count": 3}}, "ENG-SHAPE"),
    ({"r": {"all": [{"m": {"$and": [{"type": "a"}, {"x": None}]}}]}}, "ENG-NULL"),
    ({"r": {"all": [{"m": {"$and": [{"type": "a"}, {"$gt": {"x": math.nan}}]}}]}}, "ENG-FLOAT"),
    ({f"r{i}": {"all": [{"m": {"$and": [{"type": "a"}, {"x": i}]}}]} for i in range(501)}, "ENG-FANOUT"),
])
def test_driver_static_rejections(rules: dict, code: str) -> None:
    assert code_of(DurableRuleset, "bad", rules) == code


def test_driver_limits_themselves_are_accepted() -> None:
    DurableRuleset("okpri", {"r": {"pri": 65535, "all": [{f"m{i}": {"type": "a"}} for i in range(16)]}})
    rs = DurableRuleset("okid", {f"r{i}": {"all": [{"m": {"type": "a"}}]} for i in range(256)})
    with rs.session() as s:  # identical patterns share one node and do not count against the 64
        assert len(s.assert_facts([{"type": "a"}])) == 256


def test_driver_same_content_reuses_handle_and_close_frees_it() -> None:
    rules = {"r": {"all": [{"m": {"type": "a"}}]}}
    a, b = DurableRuleset("reuse", rules), DurableRuleset("reuse", dict(rules))
    assert a.name == b.name and a._hd is b._hd
    assert DurableRuleset("reuse", {**rules, "q": rules["r"]}).name != a.name
    with a.session():
        assert code_of(b.close) == "ENG-SESSION"
    a.close()
    with b.session() as s:
        assert [f.rule for f in s.assert_facts([{"type": "a"}])] == ["r"]
    b.close()
    assert code_of(b.session().__enter__) == "ENG-SESSION"


def test_driver_refuses_reentrant_and_reused_sessions_instead_of_deadlocking() -> None:
    rs = DurableRuleset("reent", {"r": {"all": [{"m": {"type": "a"}}]}, "q": {"all": [{"m": {"type": "b"}}]}})
    with rs.session() as s:
        assert code_of(rs.session().__enter__) == "ENG-SESSION"
        assert [f.rule for f in s.assert_facts([{"type": "a"}])] == ["r"]
    with pytest.raises(EngineError) as ei, rs.session() as s:
        s.assert_facts([{"type": "a"}], on_fire=lambda f: s.assert_facts([{"type": "b"}]))
    assert ei.value.code == "ENG-ACTION" and ei.value.__cause__.code == "ENG-SESSION"
    assert code_of(s.assert_facts, [{"type": "a"}]) == "ENG-SESSION"  # ended by the error
    assert code_of(s.__enter__) == "ENG-SESSION"  # single use
    with rs.session() as s:
        assert [f.rule for f in s.assert_facts([{"type": "b"}])] == ["q"]


def test_driver_serialises_threads() -> None:
    rs = DurableRuleset("thr", {"hi": {"all": [{"m": {"$and": [{"type": "a"}, {"$gt": {"x": 5}}]}}]}})
    errors: list[str] = []

    def work(k: int) -> None:
        for i in range(500):
            with rs.session() as s:
                fired = s.assert_facts([{"type": "a", "x": i % 10, "k": k}])
            if [f.rule for f in fired] != (["hi"] if i % 10 > 5 else []):
                errors.append(f"{k}/{i}: {fired}")

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_memoryerror_poisons_the_module(monkeypatch: pytest.MonkeyPatch) -> None:
    rs = DurableRuleset("poison", {"r": {"all": [{"m": {"type": "a"}}]}})
    monkeypatch.setattr(dd, "_poisoned", False)

    def out_of_memory(*args: object) -> None:
        raise MemoryError

    real = dd._dre
    fake = type("FakeEngine", (), {"error": real.error, "assert_fact": staticmethod(out_of_memory)})
    monkeypatch.setattr(dd, "_dre", fake)
    assert code_of(rs.session().__enter__) == "ENG-POISONED"
    monkeypatch.setattr(dd, "_dre", real)
    assert code_of(rs.session().__enter__) == "ENG-POISONED"  # never touches C again
    assert code_of(DurableRuleset, "poison2", {"r": {"all": [{"m": {"type": "b"}}]}}) == "ENG-POISONED"


def typed_gt_rules(n: int, types: int) -> dict[str, dict]:
    """n rules `x > i` on each of ``types`` fact types t0, t1, ... (the compiler's partitions)."""
    return {f"r{t}_{i}": {"all": [{"m": {"$and": [{"type": f"t{t}"}, {"$gt": {"x": i}}]}}]}
            for t in range(types) for i in range(n)}


def test_fits_sizes_rules_by_the_match_stack_of_each_fact_type() -> None:
    """Distinct type strings exclude each other on durable's stack: 64 tests per type fit however
    many types there are, and a fact of one type fires its 64 rules without error 303."""
    assert dd.fits(typed_gt_rules(64, 3))
    assert not dd.fits(typed_gt_rules(65, 1))
    rs = DurableRuleset("typed", typed_gt_rules(64, 3))
    with rs.session() as s:
        fired = s.assert_facts([{"type": "t1", "x": 1000}])
    assert sorted(f.rule for f in fired) == sorted(f"r1_{i}" for i in range(64))
    assert code_of(dd.fits, {"r": {"all": [{"m": {"$and": [{"type": "t"}, {"$div": {"x": 1}}]}}]}}) == "ENG-DIV"
