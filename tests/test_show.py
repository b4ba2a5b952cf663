"""scoring.show: a resolved ruleset is the whole extends chain in one valid file, with provenance."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scoring import api
from scoring.ruleset.load import check_ruleset, load_ruleset
from scoring.show import resolved_yaml
from tests.ruleset.authoring import write_era

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("ruleset_id", ["tvpa-2004", "tvpa-2019"])
def test_the_resolved_ruleset_is_valid_and_scores_like_the_original(ruleset_id: str, tmp_path: Path) -> None:
    text = resolved_yaml(ruleset_id)
    path = tmp_path / f"{ruleset_id}-resolved.yaml"
    path.write_text(text, "utf-8")
    checked = check_ruleset(str(path))
    assert checked.diagnostics == [] and checked.ruleset is not None
    original = load_ruleset(ruleset_id)
    assert checked.ruleset.extends == () and original.extends
    assert [c.id for c in checked.ruleset.criteria] == [c.id for c in original.criteria]
    assert checked.ruleset.parameters == original.parameters
    for document in sorted(p for p in (ROOT / "fixtures").rglob("*.yaml") if not p.name.endswith(".test.yaml")):
        a, b = api.score(str(document), original), api.score(str(document), checked.ruleset)
        assert (a.tier, a.determined, [c.status for c in a.criteria]) == (b.tier, b.determined, [c.status for c in b.criteria])


def test_every_rule_says_where_it_comes_from() -> None:
    text = resolved_yaml("tvpa-2019")
    ruleset = load_ruleset("tvpa-2019")
    for node in [*ruleset.criteria, *ruleset.determinations, *ruleset.tables]:
        match = re.search(rf"^  # {re.escape(node.id)}: from (\S+), (\S+):(\d+)", text, re.M)
        assert match, node.id
        assert match[1] == node.origin and match[2] == f"rulesets/{node.origin}.yaml" and int(match[3]) == node.where.line


def test_an_extension_shows_the_inherited_condition_and_both_places(tmp_path: Path) -> None:
    era = write_era(tmp_path / "my")
    text = resolved_yaml(str(era))
    comment = next(line for line in text.splitlines() if line.startswith("  # significant_efforts:"))
    assert "from tvpa-2019, rulesets/tvpa-2019.yaml:" in comment and "extended in tvpa-2027" in comment
    assert "{status: survivor_partnerships, in: [met, unknown]}" in text
