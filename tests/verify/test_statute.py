"""The statute table: every entry cited, and its evidence found in the legal reference texts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scoring.ruleset.registry import shipped
from scoring.ruleset.load import check_ruleset
from scoring.statute import PROVISIONS, law_for, parameter_disagreements

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT.parent / "shared" / "reference" / "tvpa-legal-framework.md"
RESEARCH = ROOT / "docs" / "law-research.md"


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("**", "").replace("*", ""))


@pytest.mark.parametrize("provision", PROVISIONS, ids=lambda p: f"{p.name}-{p.first}")
def test_each_provision_is_cited_and_found_in_the_legal_reference(provision) -> None:  # type: ignore[no-untyped-def]
    assert provision.section.startswith("22 U.S.C. 710") and re.search(r"P\.L\. \d+-\d+", provision.enacted_by)
    texts = _plain(RESEARCH.read_text("utf-8"))
    if REFERENCE.is_file():
        texts += _plain(REFERENCE.read_text("utf-8"))
    assert _plain(provision.evidence) in texts, provision.evidence
    section = provision.section.split(" (")[0].removeprefix("22 U.S.C. ").split("-")[0].split(",")[0]
    assert section.split("(")[0] in texts
    # the last act named is the one the reference must know (TVPA 2000 appears there as "TVPA §110")
    act = re.findall(r"P\.L\. \d+-\d+", provision.enacted_by)[-1]
    assert act in texts or (act == "P.L. 106-386" and "TVPA §110" in texts), act


def test_eras() -> None:
    assert not law_for(2003).has("watch_list") and law_for(2004).has("watch_list")
    assert law_for(2010).value("waiver_cap") is None and law_for(2011).value("waiver_cap") == 2
    assert law_for(2018).value("waiver_cap") == 2 and law_for(2019).value("waiver_cap") == 1
    assert not law_for(2018).has("reentry_limit") and law_for(2019).has("reentry_limit")
    assert law_for(2019).has("commitments_excluded") and law_for(2019).has("policy_or_pattern_is_tier_3")
    assert law_for(2008).parameters.watch_list_years_count_from is None
    assert law_for(2009).parameters.watch_list_years_count_from == 2009


@pytest.mark.parametrize("entry", [e for e in shipped() if not e.abstract], ids=lambda e: e.id)
def test_shipped_rulesets_agree_with_the_statute_table(entry) -> None:  # type: ignore[no-untyped-def]
    checked = check_ruleset(entry.path)
    assert checked.ruleset is not None
    assert not parameter_disagreements(checked.ruleset)
    assert not [d for d in checked.diagnostics if d.code == "TS126"]
