"""Hypothesis strategies for small random rulesets (as checked ASTs) and fact maps.

Used by the differential test: any ruleset the language can express must mean
the same thing to the durable-rules engine and to the reference evaluator.
"""

from __future__ import annotations

from hypothesis import strategies as st

from scoring.ruleset import ast

W = ast.Where("generated.yaml")
CITE = ast.Citation("22 U.S.C. 7106(b)(1)", "generated")

COUNTS = ["prosecution.investigations", "prosecution.convictions", "protection.victims_identified",
          "history.consecutive_watch_list_years"]
FLAGS = ["prosecution.officials_trained", "prevention.action_plan_adopted", "context.policy_or_pattern_of_trafficking",
         "history.reentry_limited"]
NUMBERS = ["prosecution.law.penalty_max_years"]
CHANGES = ["prosecution.investigations.change", "protection.victims_identified.change"]
TIERS = ["history.previous_tier"]
PREVIOUS = ["prosecution.investigations.previous", "protection.victims_identified.previous"]
PILLARS = ["prosecution", "protection", "prevention", "partnership"]


def fact_maps() -> st.SearchStrategy[dict]:
    """Known facts only (unknown facts are absent), typed as the catalog says."""
    entries = {
        **{p: st.integers(0, 30) for p in COUNTS + PREVIOUS},
        **{p: st.booleans() for p in FLAGS},
        **{p: st.sampled_from([0.0, 0.5, 4.0, 10.0, 20.0]) for p in NUMBERS},
        **{p: st.sampled_from(["increased", "decreased", "unchanged"]) for p in CHANGES},
        **{p: st.sampled_from(["1", "2", "2WL", "3", "special"]) for p in TIERS},
    }
    return st.fixed_dictionaries({}, optional=entries)


def compare() -> st.SearchStrategy[ast.Condition]:
    ops = st.sampled_from(["==", "!=", ">", ">=", "<", "<="])
    numeric = st.builds(lambda f, op, v: ast.Compare(f, op, v, W), st.sampled_from(COUNTS), ops, st.integers(0, 30))
    number = st.builds(lambda f, op, v: ast.Compare(f, op, v, W), st.sampled_from(NUMBERS), ops,
                       st.sampled_from([0, 1.5, 4, 10, 20]))
    flag = st.builds(lambda f, op, v: ast.Compare(f, op, v, W), st.sampled_from(FLAGS), st.sampled_from(["==", "!="]), st.booleans())
    enum = st.builds(lambda f, op, v: ast.Compare(f, op, v, W), st.sampled_from(CHANGES), st.sampled_from(["==", "!="]),
                     st.sampled_from(["increased", "decreased", "unchanged"]))
    member = st.builds(lambda f, vs: ast.Compare(f, "in", tuple(vs), W), st.sampled_from(TIERS),
                       st.lists(st.sampled_from(["1", "2", "2WL", "3", "special"]), min_size=1, max_size=3, unique=True))
    pair = st.builds(lambda i, op: ast.Compare(COUNTS[i % 2 * 2], op, ast.FactRef(PREVIOUS[i % 2]), W), st.integers(0, 1), ops)
    known = st.builds(lambda f, neg: ast.Known(f, neg, W), st.sampled_from(COUNTS + FLAGS + CHANGES), st.booleans())
    return st.one_of(numeric, number, flag, enum, member, pair, known)


def combine(leaf: st.SearchStrategy[ast.Condition]) -> st.SearchStrategy[ast.Condition]:
    return st.recursive(
        leaf,
        lambda inner: st.one_of(
            st.builds(lambda xs: ast.All(tuple(xs), W), st.lists(inner, min_size=1, max_size=3)),
            st.builds(lambda xs: ast.Any_(tuple(xs), W), st.lists(inner, min_size=1, max_size=3)),
            st.builds(lambda x: ast.Not(x, W), inner),
        ),
        max_leaves=6,
    )


@st.composite
def rulesets(draw: st.DrawFn) -> ast.Ruleset:
    """A small random ruleset: criteria over facts, determinations, two tables."""
    n_criteria = draw(st.integers(1, 6))
    criteria = tuple(
        ast.Criterion(f"c{i}", f"criterion {i}", CITE, draw(st.sampled_from(PILLARS + ["context"])),
                      draw(st.integers(0, 5)), draw(combine(compare())), None, W, "generated")
        for i in range(n_criteria)
    )
    ids = [c.id for c in criteria]
    determinations = []
    for i in range(draw(st.integers(1, 4))):
        ref = st.sampled_from(ids)
        leaf = st.one_of(
            st.builds(lambda r: ast.Met(r, W), ref),
            st.builds(lambda r, s: ast.StatusIn(r, frozenset(s), W), ref,
                      st.lists(st.sampled_from(["met", "unmet", "unknown"]), min_size=1, max_size=2, unique=True)),
            st.builds(lambda rs, n: ast.AtLeast(min(n, len(rs)), tuple(rs), W),
                      st.lists(ref, min_size=1, max_size=4, unique=True), st.integers(1, 3)),
            st.builds(lambda p, op, t: ast.Score(p, op, t, W), st.sampled_from(PILLARS + ["overall"]),
                      st.sampled_from([">=", ">", "<=", "<"]), st.integers(0, 100)),
            compare(),
        )
        determinations.append(ast.Determination(f"d{i}", f"determination {i}", CITE, draw(combine(leaf)), None, W, "generated"))
        ids.append(f"d{i}")
    tables = []
    for name, outputs in (("tier", ("1", "2", "2WL", "3")), ("after", ("yes", "no"))):
        ref = st.sampled_from(ids)
        cell = st.one_of(st.builds(lambda r: ast.Met(r, W), ref),
                         st.builds(lambda r, s: ast.StatusIn(r, frozenset(s), W), ref,
                                   st.lists(st.sampled_from(["met", "unmet", "unknown"]), min_size=1, max_size=2, unique=True)),
                         compare())
        if name == "after":
            cell = st.one_of(cell, st.builds(lambda vs: ast.OutputIn("tier", "tier", frozenset(vs), W),
                                             st.lists(st.sampled_from(["1", "2", "2WL", "3"]), min_size=1, max_size=2, unique=True)))
        policy = draw(st.sampled_from(["first", "unique", "priority"]))
        n_rows = draw(st.integers(1, 4))
        rows = tuple(
            ast.Row(i, f"row{i}", draw(st.one_of(combine(cell), st.just(ast.Always(W)))),
                    {name: draw(st.sampled_from(outputs))}, draw(st.integers(0, 3)), None, None, W)
            for i in range(n_rows)
        )
        tables.append(ast.Table(name, name, CITE, policy, {name: outputs}, rows, W, "generated"))
    order = tuple([d.id for d in determinations] + ["tier", "after"])
    digest = "placeholder"  # the test sets a content digest
    return ast.Ruleset("generated", "generated", "1", 2001, None, False, (), ast.Parameters(), criteria,
                       tuple(determinations), tuple(tables), order, "generated.yaml", digest)
