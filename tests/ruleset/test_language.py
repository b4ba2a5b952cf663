"""The language features for authors: parameters in conditions, extend, informational criteria, places in JSON."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from scoring import api
from scoring.efforts.validate import load_efforts
from scoring.ruleset import ast
from scoring.ruleset.load import check_ruleset, load_ruleset
from scoring.ruleset.walk import leaves
from tests.ruleset.authoring import ERA_2027, write_era, write_second_waiver_granted
from tests.ruleset.fixtures import INVALID, ROOT



def _waiver_compare(ruleset: ast.Ruleset) -> ast.Compare:
    waiver = ruleset.decision("waiver")
    return next(leaf for leaf in leaves(waiver.when) if isinstance(leaf, ast.Compare) and leaf.fact == "history.waivers_used")


@pytest.mark.parametrize(("ruleset_id", "cap"), [("tvpa-2011", 2), ("tvpa-2013", 2), ("tvpa-2019", 1)])
def test_the_shipped_waiver_rule_reads_the_cap_parameter(ruleset_id: str, cap: int) -> None:
    ruleset = load_ruleset(ruleset_id)
    compare = _waiver_compare(ruleset)
    assert (compare.param, compare.value, ruleset.parameters.waiver_cap) == ("waiver_cap", cap, cap)


def test_the_cap_is_written_once_in_the_shipped_rulesets() -> None:
    for path in sorted((ROOT / "rulesets").glob("*.yaml")):
        assert not re.search(r"waivers_used, \"<\": \d", path.read_text("utf-8")), path.name


def test_a_child_changing_a_parameter_changes_the_inherited_rule(tmp_path: Path) -> None:
    era = write_era(tmp_path / "my")
    child = load_ruleset(str(era))
    assert _waiver_compare(child).value == 2
    document = load_efforts(write_second_waiver_granted(tmp_path))  # a second waiver: refused under the 2019 cap of 1
    assert api.score(document, "tvpa-2019").tier == "3"
    for engine in ("durable-rules", "reference"):
        outcome = api.score(document, child, engine=engine)  # type: ignore[arg-type]
        assert (outcome.tier, outcome.watch_list.automatic_downgrade) == ("2WL", "waived")
        assert "(cap 2)" in next(d.explanation for d in outcome.determinations if d.id == "waiver")


def test_extend_adds_to_the_inherited_condition_without_copying_it(tmp_path: Path) -> None:
    child = load_ruleset(str(write_era(tmp_path / "my")))
    parent = load_ruleset("tvpa-2019")
    extended = child.decision("significant_efforts")
    inherited = parent.decision("significant_efforts")
    assert isinstance(extended.when, ast.All)
    assert extended.when.items[0] == inherited.when  # the parent's condition itself, so its later fixes reach the child
    assert extended.when.items[1] == ast.StatusIn("survivor_partnerships", frozenset({"met", "unknown"}))
    assert (extended.origin, extended.citation, extended.title) == ("tvpa-2027", inherited.citation, inherited.title)
    assert extended.where.file.endswith("tvpa-2027.yaml")


def test_extend_any_widens_and_a_restated_citation_replaces_the_inherited_one(tmp_path: Path) -> None:
    text = ERA_2027.replace("extend:\n      all:", """citation: {section: 22 U.S.C. 7107(b)(1)(B), enacted_by: Hypothetical TVPRA 2026}
    extend:
      any:""")
    child = load_ruleset(str(write_era(tmp_path / "my", text)))
    node = child.decision("significant_efforts")
    assert isinstance(node.when, ast.Any_) and node.citation.enacted_by == "Hypothetical TVPRA 2026"


def test_extend_with_when_or_override_is_a_schema_error(tmp_path: Path) -> None:
    text = ERA_2027.replace("    extend:", "    override: true\n    extend:")
    checked = check_ruleset(str(write_era(tmp_path / "my", text)))
    assert [d.code for d in checked.diagnostics] == ["TS002"]


def test_informational_criteria_are_exempt_from_ts121(tmp_path: Path) -> None:
    source = (INVALID / "criterion_unread.yaml").read_text("utf-8")
    assert [d.code for d in check_ruleset(str(INVALID / "criterion_unread.yaml")).diagnostics] == ["TS121"]
    marked = source.replace("    pillar: context\n", "    pillar: context\n    informational: true\n")
    path = tmp_path / "informational.yaml"
    path.write_text(marked, "utf-8")
    assert check_ruleset(str(path)).diagnostics == []


def _json_twin(yaml_fixture: Path, tmp_path: Path) -> tuple[Path, list[str]]:
    from scoring.load.source import read_source

    data = read_source(str(yaml_fixture)).data
    path = tmp_path / (yaml_fixture.stem + ".json")
    text = json.dumps(data, indent=2, ensure_ascii=False)
    path.write_text(text, "utf-8")
    return path, text.splitlines()


@pytest.mark.parametrize("name", ["unknown_fact.yaml", "type_mismatch.yaml", "undefined_reference.yaml",
                                  "unknown_parameter.yaml", "schema_misspelled_key.yaml", "table_gap.yaml",
                                  "named_condition_unknown.yaml", "named_condition_cycle.yaml"])
def test_every_json_diagnostic_has_a_line_and_column(name: str, tmp_path: Path) -> None:
    path, lines = _json_twin(INVALID / name, tmp_path)
    diagnostics = check_ruleset(str(path)).diagnostics
    assert diagnostics
    for d in diagnostics:
        assert d.line > 0 and d.col > 0, str(d)
        assert lines[d.line - 1][d.col - 1] in '{["', str(d)  # at the key or the value it is about


def test_json_places_point_at_the_key(tmp_path: Path) -> None:
    path, lines = _json_twin(INVALID / "unknown_fact.yaml", tmp_path)
    (d,) = check_ruleset(str(path)).diagnostics
    assert lines[d.line - 1][d.col - 1:].startswith('"when"') or lines[d.line - 1][d.col - 1:].startswith("{"), str(d)


@pytest.mark.parametrize("cap", [0, 1, 3])
def test_both_engines_read_a_parameter_alike(cap: int, tmp_path: Path) -> None:
    """The durable-rules compiler and the reference evaluator agree whatever the parameter's value."""
    import random

    from scoring.efforts.model import EffortsDocument
    from scoring.engine.evaluate import evaluate as durable
    from scoring.engine.reference import evaluate as reference
    from scoring.testing import random_data

    text = ERA_2027.replace("waiver_cap: 2", f"waiver_cap: {cap}")
    child = load_ruleset(str(write_era(tmp_path / "my", text)))
    assert _waiver_compare(child).value == cap
    rng = random.Random(cap)
    for _ in range(40):
        document = EffortsDocument.model_validate(random_data(rng, 2027))
        facts = api.facts_for(document, child)[1]
        a, b = durable(child, facts), reference(child, facts)
        assert a.statuses == b.statuses and a.outputs == b.outputs
