"""The statute-to-rule map and the per-era pages in docs/law/ are generated, and current.

``make docs`` writes them with ``tipscore docs``; this regenerates them in memory and
compares byte for byte, so a rule whose citation changes without ``make docs`` fails here.
The map's content is then checked against the rulesets in both directions (every rule of
every era under its section, nothing else) and for the operative clauses of the statute.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from scoring.lawdocs import eras_of, pages
from scoring.ruleset.load import load_ruleset
from scoring.ruleset.registry import catalog
from tests.rulesets.support import ROOT, nodes

LAW = ROOT / "docs" / "law"
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
    return [c.strip().replace("\\|", "|") for c in line.strip().strip("|").split(" | ")]


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
def shipped_eras():  # type: ignore[no-untyped-def]
    found = catalog(())  # the shipped rulesets only, whatever TIPSCORE_RULESETS says
    return eras_of([load_ruleset(e.path) for e in found.entries if not e.abstract], found)


@pytest.fixture(scope="module")
def law_rows() -> list[Row]:
    return parse_map((LAW / "index.md").read_text(encoding="utf-8"))


def test_the_committed_pages_are_current(shipped_eras, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(ROOT)
    expected = pages(shipped_eras)
    committed = {p.name: p.read_text(encoding="utf-8") for p in sorted(LAW.iterdir()) if p.is_file()}
    assert sorted(committed) == sorted(expected), "run `make docs` (docs/law/ has other files than it generates)"
    stale = [name for name, text in expected.items() if committed[name] != text]
    assert not stale, f"docs/law/ is out of date ({', '.join(stale)}): run `make docs` and commit the result"


def _expected(eras) -> set[tuple[str, str, str, str, str, str]]:  # type: ignore[no-untyped-def]
    """(section, rule, kind, defined in, era, enacted by) for every rule of every shipped era."""
    return {(node.citation.section, node.id, kind, node.origin, era.ruleset.id, node.citation.enacted_by)
            for era in eras for kind, node in nodes(era.ruleset)}


def _documented(rows: list[Row]) -> set[tuple[str, str, str, str, str, str]]:
    return {(r.section, r.rule, r.kind, r.defined_in, rid, r.enacted_by) for r in rows for rid in r.in_force}


def test_the_map_table_is_found(law_rows: list[Row]) -> None:
    assert len(law_rows) > 30
    assert all(r.section.startswith("22 U.S.C. 710") for r in law_rows)


def test_the_map_is_every_rule_under_its_section_and_nothing_else(law_rows: list[Row], shipped_eras) -> None:  # type: ignore[no-untyped-def]
    assert _documented(law_rows) == _expected(shipped_eras)


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


def test_each_era_page_quotes_the_statute_text_of_its_rules(shipped_eras) -> None:  # type: ignore[no-untyped-def]
    for era in shipped_eras:
        text = (LAW / f"{era.ruleset.id}.md").read_text(encoding="utf-8")
        for _, node in nodes(era.ruleset):
            assert f"`{node.id}`" in text
            if node.citation.text:
                assert " ".join(node.citation.text.split()) in text, (era.ruleset.id, node.id)


def test_the_html_pages_are_self_contained(shipped_eras) -> None:  # type: ignore[no-untyped-def]
    for era in shipped_eras:
        html = (LAW / f"{era.ruleset.id}.html").read_text(encoding="utf-8")
        assert "<script" not in html and "<link" not in html and 'src="http' not in html
        assert f"{era.ruleset.id}: " in html and "<table>" in html
