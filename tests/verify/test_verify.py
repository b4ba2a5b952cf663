"""`tipscore verify` catches deliberately broken rulesets and passes the shipped ones."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from scoring.efforts.facts import catalog
from scoring.efforts.validate import load_efforts
from scoring.ruleset.load import check_ruleset
from scoring.ruleset.registry import shipped
from scoring.verify import SINGLE, PAIRS, improve, run

MUTANTS = Path(__file__).parent / "mutants"
ROOT = Path(__file__).resolve().parents[2]
#: mutant file -> the property it must break
EXPECTED = {
    "lowers_tier_when_convictions_rise.yaml": "monotonicity",
    "table_gap.yaml": "totality",
    "waiver_without_cap.yaml": "statutory bounds",
    "unique_overlap.yaml": "totality",
}


def _verify(*args: str, out: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CI": "true"}
    return subprocess.run([sys.executable, "-m", "scoring", "verify", *args, "--out", str(out)],
                          capture_output=True, text=True, cwd=ROOT, env=env, timeout=300)


@pytest.mark.parametrize("mutant", sorted(EXPECTED))
def test_each_mutant_is_caught_with_a_counterexample(mutant: str, tmp_path: Path) -> None:
    result = _verify(str(MUTANTS / mutant), out=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    prop = EXPECTED[mutant]
    assert f": {prop}: VIOLATED" in result.stdout
    assert "counterexample: " in result.stdout and "report_year:" in result.stdout  # the document is printed
    assert "Traceback" not in result.stderr
    files = sorted(tmp_path.glob(f"*.{prop.replace(' ', '-')}.*.yaml"))
    assert files, os.listdir(tmp_path)
    ruleset = check_ruleset(str(MUTANTS / mutant), semantic=False).ruleset
    assert ruleset is not None
    documents = [load_efforts(f).model_dump(mode="json", exclude_none=True) for f in files]
    for document in documents:  # ready to run: the counterexample files are valid documents
        assert document["report_year"]
    if prop in SINGLE:
        raw = [__import__("yaml").safe_load(f.read_text()) for f in files]
        assert SINGLE[prop](ruleset, raw[0]) is not None  # the written file reproduces the violation
    if prop == "monotonicity":
        assert "explanation diff:" in result.stdout
        assert len(files) == 2  # the pair: before and after


@pytest.mark.parametrize("entry", [e for e in shipped() if not e.abstract], ids=lambda e: e.id)
def test_shipped_rulesets_pass_every_property(entry) -> None:  # type: ignore[no-untyped-def]
    ruleset = check_ruleset(entry.path).ruleset
    assert ruleset is not None
    report = run(ruleset, examples=60)
    assert not report.violations, [(v.prop, v.message, v.documents) for v in report.violations]


def test_same_seed_same_counterexample(tmp_path: Path) -> None:
    ruleset = check_ruleset(str(MUTANTS / "lowers_tier_when_convictions_rise.yaml"), semantic=False).ruleset
    first = run(ruleset, examples=100, seed_value=0, only=["monotonicity"])  # type: ignore[arg-type]
    second = run(ruleset, examples=100, seed_value=0, only=["monotonicity"])  # type: ignore[arg-type]
    assert first.violations and [v.documents for v in first.violations] == [v.documents for v in second.violations]


def test_improve_follows_polarity() -> None:
    facts = catalog()
    data = {"country": "X", "iso3": "ATA", "report_year": 2015,
            "prosecution": {"convictions": {"value": 3, "previous": 5, "trend": "decreased"}},
            "protection": {"victims_penalized": True}, "context": {"victims_very_significant_or_increasing": True}}
    better = improve(data, facts["prosecution.convictions"], 10)
    assert better["prosecution"]["convictions"] == {"value": 13, "previous": 5, "trend": "increased"}
    assert improve(data, facts["protection.victims_penalized"])["protection"]["victims_penalized"] is False  # type: ignore[index]
    assert improve(data, facts["context.victims_very_significant_or_increasing"]) is None  # neutral: no direction
    assert improve(data, facts["prosecution.prosecutions"]) is None  # unknown: nothing to improve
    assert set(PAIRS) == {"monotonicity", "unknown safety"}
