"""The shipped rulesets: clean checks, citations, year coverage, era parameters, and the
expected outcomes of the Mali seeds and of every synthetic fixture."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from scoring.ruleset import ast
from scoring.ruleset.load import check_ruleset, load_ruleset
from scoring.ruleset.registry import coverage_diagnostics, shipped
from scoring.ruleset.walk import leaves
from tests.rulesets.support import ROOT, RULESET_FILES, RULESET_IDS, nodes, score

SCHEMA_LINE = "# yaml-language-server: $schema=../scoring/schemas_data/ruleset.schema.json"
SYNTHETIC = sorted((ROOT / "fixtures" / "synthetic").glob("*.yaml"))
LIVE = [e for e in shipped() if not e.abstract]


def _ids(paths: list[Path]) -> list[str]:
    return [p.name for p in paths]


# ------------------------------------------------------------------ the files


def test_the_eras_are_all_shipped() -> None:
    assert set(RULESET_IDS) == {"tvpa-base", "tvpa-2001", "tvpa-2004", "tvpa-2009", "tvpa-2011", "tvpa-2013", "tvpa-2019"}


@pytest.mark.parametrize("path", RULESET_FILES, ids=RULESET_IDS)
def test_ruleset_checks_without_any_diagnostic(path: str) -> None:
    checked = check_ruleset(path)
    assert checked.ruleset is not None
    assert not checked.diagnostics, "\n".join(str(d) for d in checked.diagnostics)


@pytest.mark.parametrize("path", RULESET_FILES, ids=RULESET_IDS)
def test_ruleset_starts_with_the_schema_line(path: str) -> None:
    assert Path(path).read_text(encoding="utf-8").splitlines()[0] == SCHEMA_LINE


@pytest.mark.parametrize("ruleset_id", RULESET_IDS)
def test_every_rule_cites_a_section_and_its_act(ruleset_id: str) -> None:
    rs = load_ruleset(ruleset_id)
    for kind, node in nodes(rs):
        assert node.citation.section.strip().startswith("22 U.S.C. 710"), f"{kind} {node.id}: {node.citation.section!r}"
        assert node.citation.enacted_by.strip(), f"{kind} {node.id} has no enacted_by"
        assert re.search(r"P\.L\. \d+-\d+", node.citation.enacted_by), f"{kind} {node.id}: name the public law"
    for criterion in rs.criteria:
        assert criterion.weight == 0 if criterion.pillar == "context" else criterion.weight > 0, criterion.id


def test_report_years_tile_2001_onward() -> None:
    assert not coverage_diagnostics(list(shipped()))
    spans = sorted((e.first, e.last) for e in LIVE)
    assert spans[0][0] == 2001
    for (_, last), (first, _) in zip(spans, spans[1:]):
        assert last is not None and first == last + 1
    assert spans[-1][1] is None, "the newest ruleset applies until amended"
    assert spans == [(2001, 2003), (2004, 2008), (2009, 2010), (2011, 2012), (2013, 2018), (2019, None)]


def test_base_is_abstract_and_eras_extend_one_another() -> None:
    chain = {rid: load_ruleset(rid).extends for rid in RULESET_IDS}
    assert load_ruleset("tvpa-base").abstract
    assert chain["tvpa-2001"] == ("tvpa-base",)
    assert chain["tvpa-2019"] == ("tvpa-2013", "tvpa-2011", "tvpa-2009", "tvpa-2004", "tvpa-2001", "tvpa-base")


def _waiver_cap_literal(rs: ast.Ruleset) -> int | None:
    waiver = next((d for d in rs.determinations if d.id == "waiver"), None)
    if waiver is None:
        return None
    caps = [leaf.value for leaf in leaves(waiver.when)
            if isinstance(leaf, ast.Compare) and leaf.fact == "history.waivers_used" and leaf.op == "<"]
    assert len(caps) == 1
    return caps[0]  # type: ignore[return-value]


@pytest.mark.parametrize(("ruleset_id", "count_from", "cap", "reentry"), [
    ("tvpa-2001", None, None, False), ("tvpa-2004", None, None, False), ("tvpa-2009", 2009, None, False),
    ("tvpa-2011", 2009, 2, False), ("tvpa-2013", 2009, 2, False), ("tvpa-2019", 2009, 1, True),
])
def test_era_parameters(ruleset_id: str, count_from: int | None, cap: int | None, reentry: bool) -> None:
    rs = load_ruleset(ruleset_id)
    assert rs.parameters.watch_list_years_count_from == count_from
    assert rs.parameters.waiver_cap == cap
    assert rs.parameters.reentry_limit is reentry
    assert _waiver_cap_literal(rs) == cap, "the waiver rule must use the era's waiver_cap"


def test_era_differences() -> None:
    def ids(rid: str) -> set[str]:
        return {n.id for _, n in nodes(load_ruleset(rid))}
    assert "watch_list" not in ids("tvpa-2001") and "watch_list" in ids("tvpa-2004")
    assert "demand_reduction" not in ids("tvpa-2004") and "demand_reduction" in ids("tvpa-2009")
    assert "downgrade_due" not in ids("tvpa-2009") and "downgrade_due" in ids("tvpa-2011")
    assert "partnerships" not in ids("tvpa-2011") and "partnerships" in ids("tvpa-2013")
    assert "wl_commitments" in ids("tvpa-2013") and "wl_commitments" not in ids("tvpa-2019")
    assert {"policy_or_pattern", "reentry_limit_applies"} <= ids("tvpa-2019") - ids("tvpa-2013")
    outputs = {rid: load_ruleset(rid).decision("tier").outputs for rid in RULESET_IDS if rid != "tvpa-base"}
    assert "2WL" not in outputs["tvpa-2001"]["tier"] and "downgrade" not in outputs["tvpa-2009"]
    assert outputs["tvpa-2011"]["downgrade"] == ("not_applicable", "applied", "waived")


# ------------------------------------------------------------------ the seeds


def test_mali_2004_is_tier_2() -> None:
    rs, _, ev = score(ROOT / "fixtures" / "mali" / "2004.yaml")
    assert rs.id == "tvpa-2004"
    assert ev.outputs["tier"] == {"tier": "2"}
    assert ev.outputs["special_watch_list"] == {"member": "no"}


def test_mali_2015_is_watch_list_with_a_waiver() -> None:
    from scoring.explain import fill
    from scoring.ruleset.walk import facts_read

    rs, facts, ev = score(ROOT / "fixtures" / "mali" / "2015.yaml")
    assert rs.id == "tvpa-2013"
    assert ev.outputs["tier"] == {"tier": "2WL", "downgrade": "waived"}
    assert facts["history.consecutive_watch_list_years"] == 2 and facts["history.waivers_used"] == 0
    assert ev.statuses["wl_no_increasing_efforts"] == "met"
    assert ev.statuses["significant_efforts"] == "met"
    node = rs.decision("wl_no_increasing_efforts")
    text = fill(node.explain, facts, facts_read(node.when))
    assert "investigations 1 (previous 13)" in text
    assert "victims identified 48 (previous 79)" in text


# ------------------------------------------------------------------ the synthetic fixtures


def expectation(path: Path) -> dict[str, Any]:
    """The intended outcome stated in a synthetic fixture's header.

    A line ``# expect: tier=3 downgrade=applied`` (``tier=none`` for no tier) wins; otherwise the
    header's "Intended outcome: ..." sentence is read: "special case", "no tier", "not Tier N",
    "Tier 2 Watch List" (+ "waiver"), "Tier N" (+ "automatic downgrade").
    """
    lines = path.read_text(encoding="utf-8").splitlines()
    for line in lines:
        if m := re.match(r"#\s*expect:\s*(.+)", line):
            pairs = dict(item.split("=", 1) for item in m.group(1).split())
            return {k: (None if v == "none" else v) for k, v in pairs.items()}
    header = " ".join(line.lstrip("#").strip() for line in lines if line.startswith("#"))
    m = re.search(r"Intended outcome:\s*(.+?)(?:\.\s|$)", header)
    assert m, f"{path.name}: no intended outcome in the header"
    text = m.group(1)
    if re.search(r"special case", text, re.I):
        return {"tier": "special"}
    if re.search(r"\bno tier\b", text):
        return {"tier": None}
    if m := re.search(r"\bnot Tier (\d)\b", text):
        return {"tier_not": m.group(1)}
    if "Tier 2 Watch List" in text:
        return {"tier": "2WL", **({"downgrade": "waived"} if "waiver" in text else {})}
    m = re.search(r"\bTier (\d)\b", text)
    assert m, f"{path.name}: cannot read the intended outcome {text!r}"
    return {"tier": m.group(1), **({"downgrade": "applied"} if "automatic downgrade" in text else {})}


def test_expectations_are_read() -> None:
    read = {p.name: expectation(p) for p in SYNTHETIC}
    assert read["tier1.yaml"] == {"tier": "1"}
    assert read["downgrade-no-waiver.yaml"] == {"tier": "3", "downgrade": "applied"}
    assert read["second-waiver-2011-2018.yaml"] == {"tier": "2WL", "downgrade": "waived"}
    assert read["all-unknown-2016.yaml"] == {"tier": None}


@pytest.mark.parametrize("path", SYNTHETIC, ids=_ids(SYNTHETIC))
def test_synthetic_fixture_gets_its_intended_outcome(path: Path) -> None:
    want = expectation(path)
    _, _, ev = score(path)
    got = ev.outputs.get("tier", {})
    if "tier_not" in want:
        assert got.get("tier") != want["tier_not"], got
        assert got.get("tier") is not None, "a tier should still be derived"
        return
    assert got.get("tier") == want["tier"], f"{path.name}: got {got or 'undetermined'}, want {want}"
    if "downgrade" in want:
        assert got.get("downgrade") == want["downgrade"]


def test_all_unknown_document_assesses_nothing() -> None:
    rs, _, ev = score(ROOT / "fixtures" / "synthetic" / "all-unknown-2016.yaml")
    assert ev.tables["tier"].row is None and ev.tables["tier"].reason == "unknown"
    assert {c.id: ev.statuses[c.id] for c in rs.criteria if ev.statuses[c.id] != "unknown"} == {}


def test_missing_data_presumption_applies() -> None:
    _, _, ev = score(ROOT / "fixtures" / "synthetic" / "missing-law-enforcement-data-2006.yaml")
    assert ev.statuses["law_enforcement_data"] == "unmet"
    assert ev.statuses["prosecution_efforts"] == "unmet"
    assert ev.statuses["fully_meets"] == "unmet"


@pytest.mark.parametrize(("name", "row"), [
    ("reentry-limit-2019.yaml", "reentry_limit"),
    ("second-waiver-refused-2019.yaml", "downgrade_applied"),
    ("policy-or-pattern-2020.yaml", "policy_or_pattern"),
    ("downgrade-no-waiver.yaml", "downgrade_applied"),
    ("second-waiver-2011-2018.yaml", "downgrade_waived"),
])
def test_the_statutory_row_decides(name: str, row: str) -> None:
    rs, _, ev = score(ROOT / "fixtures" / "synthetic" / name)
    hit = ev.tables["tier"].row
    assert hit is not None and rs.decision("tier").rows[hit].id == row  # type: ignore[union-attr]


# ------------------------------------------------------------------ the 2004/2005 disregard


@pytest.mark.parametrize(("year", "status"), [(2004, "met"), (2005, "met"), (2006, "unmet")])
def test_good_faith_disregard_only_for_2004_and_2005(year: int, status: str) -> None:
    from scoring.engine.reference import evaluate

    rs = load_ruleset("tvpa-2004")
    facts = {"report_year": year, "entity": "country", "prosecution.law_enforcement_data_provided": False,
             "prosecution.law_enforcement_data_requested": True, "prosecution.law_enforcement_data_capacity": True,
             "prosecution.law_enforcement_data_good_faith": True}
    assert evaluate(rs, facts).statuses["law_enforcement_data"] == status
