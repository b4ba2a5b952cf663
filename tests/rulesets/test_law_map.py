"""docs/law.md maps every rule of every shipped ruleset to its statute section, and only those."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from scoring.ruleset.load import load_ruleset
from tests.rulesets.support import ROOT, RULESET_IDS, nodes

LAW = ROOT / "docs" / "law.md"
HEADER = ["Section", "Rule", "Kind", "Defined in", "In force in", "Enacted by"]


@dataclass(frozen=True)
class Row:
    section: str
    rule: str
    kind: str
    defined_in: str
    in_force: frozenset[str]
    enacted_by: str


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def parse_map(text: str) -> list[Row]:
    """The rows of the table whose header is HEADER."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("|") and _cells(line) == HEADER)
    rows = []
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        section, rule, kind, defined_in, in_force, enacted_by = _cells(line)
        rows.append(Row(section, rule.strip("`"), kind, defined_in,
                        frozenset(r.strip() for r in in_force.split(",")), enacted_by))
    return rows


@pytest.fixture(scope="module")
def law_rows() -> list[Row]:
    return parse_map(LAW.read_text(encoding="utf-8"))


def _expected() -> set[tuple[str, str, str, str, str, str]]:
    """(section, rule, kind, defined in, ruleset, enacted by) for every rule of every shipped ruleset."""
    out = set()
    for rid in RULESET_IDS:
        for kind, node in nodes(load_ruleset(rid)):
            out.add((node.citation.section, node.id, kind, node.origin, rid, node.citation.enacted_by))
    return out


def _documented(rows: list[Row]) -> set[tuple[str, str, str, str, str, str]]:
    return {(r.section, r.rule, r.kind, r.defined_in, rid, r.enacted_by) for r in rows for rid in r.in_force}


def test_the_map_table_is_found(law_rows: list[Row]) -> None:
    assert len(law_rows) > 30
    assert all(r.section.startswith("22 U.S.C. 710") for r in law_rows)


def test_every_rule_is_in_the_map_under_its_section(law_rows: list[Row]) -> None:
    missing = _expected() - _documented(law_rows)
    assert not missing, "rules missing from docs/law.md (section, rule, kind, defined in, ruleset, enacted by):\n" + \
        "\n".join(map(str, sorted(missing)))


def test_every_map_row_names_an_existing_rule(law_rows: list[Row]) -> None:
    extra = _documented(law_rows) - _expected()
    assert not extra, "docs/law.md rows that match no rule:\n" + "\n".join(map(str, sorted(extra)))


def test_no_duplicate_rows(law_rows: list[Row]) -> None:
    keys = [(r.section, r.rule, r.defined_in) for r in law_rows]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("section", [
    "22 U.S.C. 7106(a)(1)", "22 U.S.C. 7106(a)(2)", "22 U.S.C. 7106(a)(3)", "22 U.S.C. 7106(a)(4)",
    *[f"22 U.S.C. 7106(b)({i})" for i in range(1, 13)],
    "22 U.S.C. 7107(b)(1)(A)", "22 U.S.C. 7107(b)(1)(B)", "22 U.S.C. 7107(b)(2)(A)",
    "22 U.S.C. 7107(b)(2)(A)(iii)(I)", "22 U.S.C. 7107(b)(2)(A)(iii)(II)", "22 U.S.C. 7107(b)(2)(A)(iii)(III)",
    "22 U.S.C. 7107(b)(2)(D)(i)", "22 U.S.C. 7107(b)(2)(D)(ii)", "22 U.S.C. 7107(b)(2)(F)", "22 U.S.C. 7107(b)(3)(B)",
])
def test_every_operative_clause_has_a_rule(law_rows: list[Row], section: str) -> None:
    assert any(r.section == section for r in law_rows), f"no rule encodes {section}"
