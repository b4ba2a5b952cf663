"""Running the properties with hypothesis and writing counterexample files."""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from scoring.efforts.facts import catalog
from scoring.ruleset import ast
from scoring.testing import efforts_data
from scoring.verify.common import Data, explanation_diff, score_data, years
from scoring.verify.pairs import PAIRS, PROPERTIES, improve
from scoring.verify.shrink import shrink
from scoring.verify.single import SINGLE


@dataclass
class Violation:
    """A shrunk counterexample: the documents and what went wrong."""

    prop: str
    message: str
    documents: list[Data]
    diff: str = ""


@dataclass
class Report:
    ruleset: str
    examples: int
    passed: list[str] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)


def run(ruleset: ast.Ruleset, examples: int = 100, seed_value: int = 0, only: list[str] | None = None,
        on_property: Callable[[str], None] | None = None) -> Report:
    """Check every property (or ``only`` those) with ``examples`` documents each."""
    report = Report(ruleset.id, examples)
    span = years(ruleset)
    for name in only or PROPERTIES:
        if on_property:
            on_property(name)
        violation = _check(ruleset, name, span, examples, seed_value)
        if violation is None:
            report.passed.append(name)
        else:
            report.violations.append(violation)
    return report


def _check(ruleset: ast.Ruleset, name: str, span: tuple[int, int], examples: int, seed_value: int) -> Violation | None:
    found: list[Any] = []
    config = settings(max_examples=examples, deadline=None, database=None, derandomize=False, print_blob=False,
                      suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])

    if name in SINGLE:
        prop = SINGLE[name]

        @seed(seed_value)
        @config
        @given(data=st.integers(*span).flatmap(lambda y: efforts_data(y)))
        def test(data: Data) -> None:
            if prop(ruleset, data):
                found.append(data)
                raise AssertionError
    else:
        strategy, check = PAIRS[name]

        @seed(seed_value)
        @config
        @given(drawn=strategy(span))
        def test(drawn: Any) -> None:
            for pair in drawn if isinstance(drawn, list) else [drawn]:
                if check(ruleset, *pair):
                    found.append(pair)
                    raise AssertionError

    try:
        with warnings.catch_warnings():  # hypothesis warns about the size of the failing example's repr
            warnings.simplefilter("ignore")
            test()
    except AssertionError:
        pass
    except Exception as err:  # an engine error on some document is itself a finding
        return Violation(name, f"{type(err).__name__}: {err}", [])
    if not found:
        return None
    if name in SINGLE:
        prop = SINGLE[name]
        data = shrink(found[0], lambda d: prop(ruleset, d) is not None)
        return Violation(name, prop(ruleset, data) or "", [data])
    return _shrink_pair(ruleset, name, found[0])


def _shrink_pair(ruleset: ast.Ruleset, name: str, pair: tuple[Data, Data, str]) -> Violation:
    """Shrink the 'before' document, re-deriving 'after' by the same one-fact change."""
    before, after, fact = pair
    _, check = PAIRS[name]
    spec = catalog()[fact]
    parts = fact.split(".")

    def value_of(data: Data) -> Any:
        node: Any = data
        for part in parts:
            node = node.get(part) if isinstance(node, dict) else None
        return node

    new_value = value_of(after)

    step = 1
    if name == "monotonicity" and spec.kind == "count":
        step = next((k for k in (1, 10) if improve(before, spec, k) == after), 1)

    def rebuild(data: Data) -> Data | None:
        if name == "monotonicity":
            return improve(data, spec, step)
        import copy

        out = copy.deepcopy(data)
        node = out
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        if parts[-1] in node:
            return None
        node[parts[-1]] = new_value
        return out

    def fails(data: Data) -> bool:
        changed = rebuild(data)
        return changed is not None and check(ruleset, data, changed, fact) is not None

    small = shrink(before, fails)
    small_after = rebuild(small) or after
    violation = Violation(name, check(ruleset, small, small_after, fact) or "", [small, small_after])
    if name == "monotonicity":
        violation.diff = explanation_diff(score_data(ruleset, small), score_data(ruleset, small_after))
    return violation


def write_counterexample(violation: Violation, folder: str, ruleset_id: str) -> list[str]:
    """Ready-to-run efforts files for a violation; returns their paths."""
    import yaml

    os.makedirs(folder, exist_ok=True)
    slug = violation.prop.replace(" ", "-")
    names = ["before", "after"] if len(violation.documents) == 2 else ["document"]
    paths = []
    for name, document in zip(names, violation.documents):
        path = os.path.join(folder, f"{ruleset_id}.{slug}.{name}.yaml")
        header = (f"# SYNTHETIC counterexample found by `tipscore verify` for ruleset {ruleset_id}\n"
                  f"# property: {violation.prop}: {violation.message}\n")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(header + yaml.safe_dump(document, sort_keys=False, allow_unicode=True))
        paths.append(path)
    return paths
