"""Counterexamples a policy author can read: a plain paragraph, labelled documents, the rule at fault.

The documents are shrunk to the facts that matter (scoring.verify.shrink) while
the same rule stays broken; each is labelled with the tier it gets and, for a
pair, the one fact that differs. Files are written only to the folder given.
"""

from __future__ import annotations

import copy
import os
import textwrap
from typing import Any

from scoring.efforts.facts import catalog
from scoring.ruleset import ast
from scoring.verify.common import Data, explanation_diff, score_data
from scoring.verify.oracle import Finding, scored
from scoring.verify.pairs import PAIRS
from scoring.verify.runner import RULES, Violation
from scoring.verify.shrink import shrink
from scoring.verify.single import SINGLE


def _as_finding(name: str, result: Finding | str) -> Finding:
    return result if isinstance(result, Finding) else Finding(result, RULES.get(name, name), "")


def shrunk_violation(ruleset: ast.Ruleset, name: str, item: Any, result: Finding | str) -> Violation:
    if name in PAIRS:
        return _pair(ruleset, name, item, _as_finding(name, result))
    prop = SINGLE[name]
    first = _as_finding(name, result)

    def same(data: Data) -> bool:
        again = prop(ruleset, data)
        return bool(again) and _as_finding(name, again).rule_kind == first.rule_kind

    data = shrink(item, same)
    finding = _as_finding(name, prop(ruleset, data) or first)
    return Violation(name, finding.message, [data], rule=finding.provision, culprit=finding.culprit,
                     labels=[f"the document: {_tier_label(ruleset, data)}"])


def _value_of(data: Data, path: str) -> Any:
    node: Any = data
    for part in path.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return node.get("value") if isinstance(node, dict) else node


def _rebuild(name: str, data: Data, fact: str, new: Any) -> Data | None:
    """``data`` with the same one-fact change: an improvement (monotonicity) or a revelation (unknown safety)."""
    old = _value_of(data, fact)
    spec = catalog()[fact]
    if name == "monotonicity":
        if old is None or old == new:
            return None
        if spec.kind in ("count", "number") and not (spec.polarity == "more" and new > old):
            return None
        if spec.kind == "flag" and new != (spec.polarity != "less"):
            return None
    elif old is not None:
        return None
    out = copy.deepcopy(data)
    node = out
    *parents, leaf = fact.split(".")
    for part in parents:
        node = node.setdefault(part, {})
    current = node.get(leaf)
    node[leaf] = {"value": new, "previous": current["previous"]} if isinstance(current, dict) and "previous" in current else new
    return out


def _pair(ruleset: ast.Ruleset, name: str, pair: tuple[Data, Data, str], first: Finding) -> Violation:
    before, after, fact = pair
    _, check = PAIRS[name]
    new = _value_of(after, fact)

    def fails(data: Data) -> bool:
        changed = _rebuild(name, data, fact, new)
        again = changed is not None and check(ruleset, data, changed, fact)
        return bool(again) and again.rule_kind == first.rule_kind  # type: ignore[union-attr]

    small = shrink(before, fails) if fails(before) else before
    small_after = _rebuild(name, small, fact, new) or after
    finding = check(ruleset, small, small_after, fact) or first
    violation = Violation(name, finding.message, [small, small_after], rule=finding.provision, culprit=finding.culprit,
                          changed=f"{fact}: {_show(_value_of(small, fact))} before, {_show(new)} after")
    violation.labels = [f"before: {_tier_label(ruleset, small)}", f"after ({fact} changed): {_tier_label(ruleset, small_after)}"]
    if name == "monotonicity":
        violation.diff = explanation_diff(score_data(ruleset, small), score_data(ruleset, small_after))
    return violation


def _show(value: Any) -> str:
    return "not stated" if value is None else str(value).lower() if isinstance(value, bool) else str(value)


def _tier_label(ruleset: ast.Ruleset, data: Data) -> str:
    s = scored(ruleset, data)
    hit = s.evaluation.tables.get("tier")
    table = next((t for t in ruleset.tables if t.id == "tier"), None)
    row = table.rows[hit.row].id if table and hit and hit.row is not None else None
    tier = "no tier (special case)" if s.tier == "special" else f"Tier {s.tier}" if s.tier else "undetermined"
    return f"{tier}" + (f" (tier row {row})" if row else "")


def paragraph(violation: Violation, ruleset_id: str) -> str:
    """What an author reads first: what happened, the rule broken, where to look."""
    if violation.changed:
        what = f"Changing one fact ({violation.changed}) {violation.message.split(' ', 2)[-1]}" \
            if violation.message.startswith(("improving", "learning")) else violation.message
        text = (f"{ruleset_id}: {what}. Before: {violation.labels[0].split(': ', 1)[1]}; after: "
                f"{violation.labels[1].split(': ', 1)[1]}.")
    elif violation.documents:
        year = violation.documents[0].get("report_year")
        text = f"{ruleset_id}, {year} report: {violation.message} ({violation.labels[0].split(': ', 1)[1]})."
    else:
        text = f"{ruleset_id}: {violation.message}."
    if violation.rule:
        text += f" Rule broken: {violation.rule}."
    if violation.culprit:
        text += f" Rule at fault: {violation.culprit}."
    return text


def write_counterexample(violation: Violation, folder: str, ruleset_id: str) -> list[str]:
    """Ready-to-run, labelled efforts files for a violation; returns their paths."""
    import yaml

    os.makedirs(folder, exist_ok=True)
    slug = violation.prop.replace(" ", "-")
    names = ["before", "after"] if len(violation.documents) == 2 else ["document"]
    about = "\n".join("# " + line for line in textwrap.wrap(paragraph(violation, ruleset_id), 96))
    paths = []
    for name, document, label in zip(names, violation.documents, violation.labels or names):
        path = os.path.join(folder, f"{ruleset_id}.{slug}.{name}.yaml")
        header = (f"# SYNTHETIC counterexample found by `tipscore verify` for ruleset {ruleset_id} ({violation.prop})\n"
                  f"{about}\n# THIS DOCUMENT, {label}\n")
        if violation.changed:
            header += f"# the one fact that differs: {violation.changed}\n"
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(header + yaml.safe_dump(document, sort_keys=False, allow_unicode=True))
        paths.append(path)
    return paths
