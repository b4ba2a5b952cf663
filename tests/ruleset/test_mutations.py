"""Random mutations of valid rulesets never crash the checker.

Start from the valid fixtures (tests/ruleset/valid/), apply a few mutations to the
data (misspelt fact paths, literals of another type, deleted or duplicated rows and
entries, random operators, dropped and unknown keys, random conditions, another hit
policy, deep nesting, ...), write the result as YAML or JSON and check it. Whatever
the file says, ``check_ruleset`` returns: either a ruleset with no errors, or
diagnostics that all carry a known code, a file and a one-line message.
"""

from __future__ import annotations

import copy
import json
import os
import tempfile
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring.efforts.facts import catalog
from scoring.ruleset.diagnostics import CODES, RulesetError
from scoring.ruleset.load import check_ruleset, load_ruleset
from tests.ruleset.fixtures import VALID

BASES = {p.name: yaml.safe_load(p.read_text("utf-8")) for p in sorted(VALID.glob("*.yaml"))}
FACTS = sorted(catalog())
CONDITION_KEYS = ["all", "any", "not", "always", "known", "unknown", "met", "status", "in", "at_least", "of",
                  "score", "output", "fact"]
OPS = ["==", "!=", ">", ">=", "<", "<=", "in"]
WORDS = ["met", "unmet", "unknown", "tier", "2WL", "special", "increased", "overall", "prosecution",
         "prosecution.convictions", "history.previous_tier", "first", "unique", "priority", "true", ""]

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 200), st.integers(), st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12), st.sampled_from(WORDS + FACTS[:20] + OPS),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.sampled_from(CONDITION_KEYS + OPS) | st.text(max_size=6), inner, max_size=3),
    max_leaves=10,
)
#: The six literal types the brief names, plus a few conditions that are almost right.
literals = st.one_of(st.integers(-3, 3), st.text(max_size=8), st.booleans(), st.floats(-10, 10), st.lists(scalars, max_size=3),
                     st.none())
near_conditions = st.one_of(
    st.tuples(st.sampled_from(FACTS), st.sampled_from(OPS), literals | st.builds(dict, fact=st.sampled_from(FACTS))).map(
        lambda t: {"fact": t[0], t[1]: t[2]}),
    st.fixed_dictionaries({"fact": st.sampled_from(FACTS), "in": st.lists(literals, max_size=3)}),
    st.fixed_dictionaries({"known": st.sampled_from(FACTS) | st.text(max_size=10)}),
    st.fixed_dictionaries({"met": st.sampled_from(WORDS) | st.text(max_size=10)}),
    st.fixed_dictionaries({"status": st.text(max_size=8), "in": st.lists(st.sampled_from(["met", "unmet", "unknown", "x"]))}),
    st.fixed_dictionaries({"at_least": st.integers(-1, 9), "of": st.lists(st.sampled_from(WORDS), max_size=4)}),
    st.tuples(st.sampled_from(["overall", "prosecution", "context", "x"]), st.sampled_from(OPS), st.integers(-10, 110)).map(
        lambda t: {"score": t[0], t[1]: t[2]}),
    st.fixed_dictionaries({"output": st.sampled_from(["tier.tier", "tier.downgrade", "tier.x", "nope.tier", "tier"]),
                           "in": st.lists(st.sampled_from(["1", "2", "2WL", "3", "special", "yes", "x"]), max_size=3)}),
    st.just({"always": True}), st.just({"always": False}),
)


# --- walking and editing the data ---------------------------------------------------------


def nodes(data: Any, path: tuple = ()) -> list[tuple[tuple, Any]]:
    """Every (path, value) in the document, containers included."""
    out = [(path, data)]
    stack = [(path, data)]
    while stack:
        here, node = stack.pop()
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, value in items:
            out.append((here + (key,), value))
            stack.append((here + (key,), value))
    return out


def get(data: Any, path: tuple) -> Any:
    for key in path:
        data = data[key]
    return data


def put(data: Any, path: tuple, value: Any) -> Any:
    if not path:
        return value
    get(data, path[:-1])[path[-1]] = value
    return data


def conditions(data: Any) -> list[tuple]:
    """Paths of condition mappings (under when, all, any, not)."""
    found = []
    for path, value in nodes(data):
        parent = path[-1] if path else None
        grand = path[-2] if len(path) > 1 else None
        if parent in ("when", "not") or grand in ("all", "any") and isinstance(parent, int):
            found.append(path)
    return found


def near_miss(draw: st.DrawFn, name: str) -> str:
    kind = draw(st.sampled_from(["typo", "drop", "suffix", "case", "random", "other"]))
    if kind == "typo" and name:
        i = draw(st.integers(0, len(name) - 1))
        return name[:i] + draw(st.sampled_from("abcxyz._0")) + name[i + 1:]
    if kind == "drop":
        return name.rsplit(".", 1)[0]
    if kind == "suffix":
        return name + draw(st.sampled_from([".previous", ".change", ".x", "s", "..", "."]))
    if kind == "case":
        return name.upper()
    if kind == "other":
        return draw(st.sampled_from(FACTS))
    return draw(st.text(max_size=20))


def mutate(draw: st.DrawFn, doc: dict) -> tuple[dict, str]:
    """One random mutation; returns the document (possibly replaced) and what was done."""
    kind = draw(st.sampled_from([
        "rename_fact", "swap_literal", "delete_row", "delete_entry", "duplicate_entry", "change_operator",
        "drop_key", "inject_key", "replace_condition", "near_condition", "hit_policy", "nest", "replace_any",
        "rename_id", "extends", "years",
    ]))
    everything = nodes(doc)
    if kind == "rename_fact":
        spots = [p for p, v in everything if p and p[-1] in ("fact", "known", "unknown") and isinstance(v, str)]
        if spots:
            path = draw(st.sampled_from(spots))
            put(doc, path, near_miss(draw, get(doc, path)))
    elif kind == "swap_literal":
        spots = [p for p, v in everything if p and not isinstance(v, (dict, list))]
        if spots:
            put(doc, draw(st.sampled_from(spots)), draw(literals))
    elif kind == "delete_row":
        tables = [p for p, v in everything if p and p[-1] == "rows" and isinstance(v, list) and v]
        if tables:
            rows = get(doc, draw(st.sampled_from(tables)))
            start = draw(st.integers(0, len(rows) - 1))
            del rows[start:start + draw(st.integers(1, 2))]
    elif kind in ("delete_entry", "duplicate_entry"):
        lists = [k for k in ("criteria", "determinations", "tables") if doc.get(k)]
        if lists:
            entries = doc[draw(st.sampled_from(lists))]
            i = draw(st.integers(0, len(entries) - 1))
            if kind == "delete_entry":
                del entries[i]
            else:
                entries.insert(draw(st.integers(0, len(entries))), copy.deepcopy(entries[i]))
    elif kind == "change_operator":
        spots = [p for p in conditions(doc) if isinstance(get(doc, p), dict) and len(get(doc, p)) > 1]
        if spots:
            condition = get(doc, draw(st.sampled_from(spots)))
            old = draw(st.sampled_from(sorted(condition)))
            condition[draw(st.sampled_from(OPS + ["=", "=>", "~", "contains", "fact", "><"]) | st.text(max_size=4))] = condition.pop(old)
    elif kind == "drop_key":
        spots = [p for p, v in everything if isinstance(v, dict) and v]
        mapping = get(doc, draw(st.sampled_from(spots)))
        del mapping[draw(st.sampled_from(sorted(mapping)))]
    elif kind == "inject_key":
        spots = [p for p, v in everything if isinstance(v, dict)]
        mapping = get(doc, draw(st.sampled_from(spots)))
        mapping[draw(st.sampled_from(["overide", "when", "then", "id", "x", "in", "fact", "priority"]) | st.text(max_size=8))] = draw(values)
    elif kind in ("replace_condition", "near_condition"):
        spots = conditions(doc)
        if spots:
            put(doc, draw(st.sampled_from(spots)), draw(values if kind == "replace_condition" else near_conditions))
    elif kind == "hit_policy":
        spots = [p for p, v in everything if p and p[-1] == "hit_policy"]
        if spots:
            put(doc, draw(st.sampled_from(spots)), draw(st.sampled_from(["first", "unique", "priority", "collect", "", 1])))
    elif kind == "nest":
        spots = conditions(doc)
        if spots:
            path = draw(st.sampled_from(spots))
            condition = get(doc, path)
            for _ in range(draw(st.integers(1, 70))):
                condition = draw(st.sampled_from([{"not": condition}, {"all": [condition]}, {"any": [condition, {"always": True}]}]))
            put(doc, path, condition)
    elif kind == "replace_any":
        spots = [p for p, _ in everything]
        doc = put(doc, draw(st.sampled_from(spots)), draw(values))
    elif kind == "rename_id":
        ids = [p for p, v in everything if p and p[-1] in ("id", "met", "status", "output") and isinstance(v, str)]
        targets = [v for p, v in everything if p and p[-1] == "id" and isinstance(v, str)]
        if ids:
            put(doc, draw(st.sampled_from(ids)), draw(st.sampled_from(targets + ["tier", "x"]) | st.text(max_size=8)))
    elif kind == "extends":
        doc["extends"] = draw(st.sampled_from(["every-condition", "minimal", "tvpa-base", "nope", "../minimal", "/etc/passwd"]))
        if draw(st.booleans()):
            doc["remove"] = draw(st.lists(st.sampled_from(["convicts", "tier", "prosecutes", "x"]), max_size=2))
    elif kind == "years":
        doc["report_years"] = draw(st.fixed_dictionaries({"first": st.integers(1990, 2110)}, optional={"last": st.integers(1990, 2110)}) | values)
    return doc, kind


@st.composite
def mutated(draw: st.DrawFn) -> tuple[Any, list[str], str]:
    name = draw(st.sampled_from(sorted(BASES)))
    doc: Any = copy.deepcopy(BASES[name])
    done = []
    for _ in range(draw(st.integers(1, 3))):
        if not isinstance(doc, dict):
            break
        doc, kind = mutate(draw, doc)
        done.append(kind)
    return doc, done, draw(st.sampled_from([".yaml", ".yaml", ".json"]))


@settings(derandomize=True, max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutations_never_crash_the_checker(case: tuple[Any, list[str], str]) -> None:
    doc, done, suffix = case
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "mutant" + suffix)
        with open(path, "w", encoding="utf-8") as handle:
            if suffix == ".json":
                json.dump(doc, handle)
            else:
                yaml.safe_dump(doc, handle, allow_unicode=True, sort_keys=False)
        checked = check_ruleset(path)  # must never raise
        try:  # load_ruleset first looks the chain up unvalidated (the check cache): it may raise only RulesetError
            os.environ["TIPSCORE_NO_CACHE"] = "1"
            load_ruleset(path)
        except RulesetError:
            assert checked.ruleset is None or checked.diagnostics
        finally:
            os.environ.pop("TIPSCORE_NO_CACHE", None)
    if checked.ruleset is not None:
        assert not checked.errors, (done, [str(d) for d in checked.errors])
        return
    assert checked.diagnostics, done
    assert checked.errors, (done, [str(d) for d in checked.diagnostics])
    for d in checked.diagnostics:
        assert d.code in CODES, d
        assert d.file and d.message.strip(), d
        assert "\n" not in d.message, d
        assert d.line >= 0 and d.col >= 0
        str(d)
