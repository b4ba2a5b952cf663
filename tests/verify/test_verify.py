"""`tipscore verify` at its default settings catches every mutant, naming the rule at fault, and passes the shipped rulesets."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest
from scoring.efforts.facts import catalog
from scoring.efforts.validate import load_efforts
from scoring.ruleset.load import check_ruleset
from scoring.verify import PAIRS, improve

MUTANTS = Path(__file__).parent / "mutants"
ROOT = Path(__file__).resolve().parents[2]
#: mutant file -> (ruleset id, properties that may catch it, the rule at fault named in the report)
EXPECTED = {
    "lowers_tier_when_convictions_rise.yaml": ("mutant-convictions", {"monotonicity"}, "determination significant_efforts"),
    "table_gap.yaml": ("mutant-gap", {"totality"}, ""),
    "waiver_without_cap.yaml": ("mutant-waiver", {"statutory bounds"}, "table tier row downgrade_waived"),
    "unique_overlap.yaml": ("mutant-overlap", {"totality"}, ""),
    "waiver_cap_raised_everywhere.yaml": ("mutant-waiver-cap-raised", {"statutory bounds"}, "determination waiver"),
    "no_significant_efforts_watch_list.yaml": ("mutant-no-efforts-watch-list", {"statutory bounds"}, "table tier row tier_3"),
    "special_watch_list_group_ii_dropped.yaml": ("mutant-special-watch-list", {"statutory bounds"},
                                                 "table special_watch_list row not_listed"),
    "commitments_count_from_2019.yaml": ("mutant-commitments", {"statutory bounds"}, "determination significant_efforts"),
    "special_case_row_removed.yaml": ("mutant-special-case", {"statutory bounds"}, "table tier"),
    "flipped_threshold.yaml": ("mutant-flipped-threshold", {"monotonicity"}, "determination significant_efforts"),
    "non_monotone_trend_row.yaml": ("mutant-trend-row", {"monotonicity", "statutory bounds"}, "table tier row convictions_rose"),
    "unknown_data_read_as_provided.yaml": ("mutant-unknown-data", {"unknown safety"}, "criterion law_enforcement_data"),
    "reentry_limit_dropped.yaml": ("mutant-reentry", {"statutory bounds"}, "table tier row"),
}


def _verify(*args: str, out: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CI": "true"}
    return subprocess.run([sys.executable, "-m", "scoring", "verify", *args, "--out", str(out)],
                          capture_output=True, text=True, cwd=ROOT, env=env, timeout=600)


@cache
def _mutant_run(out: str) -> subprocess.CompletedProcess[str]:
    """One default-settings run over every mutant (jobs spread over two processes)."""
    return _verify(*(str(MUTANTS.relative_to(ROOT) / m) for m in sorted(EXPECTED)), out=Path(out))


@pytest.fixture(scope="module")
def mutant_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], Path]:
    out = tmp_path_factory.mktemp("counterexamples")
    return _mutant_run(str(out)), out


def test_every_mutant_validates() -> None:
    for mutant in EXPECTED:
        checked = check_ruleset(str(MUTANTS / mutant), semantic=mutant not in ("table_gap.yaml", "unique_overlap.yaml"))
        assert checked.ruleset is not None and not checked.errors, (mutant, checked.diagnostics)


@pytest.mark.parametrize("mutant", sorted(EXPECTED))
def test_each_mutant_is_caught_with_the_rule_at_fault(mutant: str, mutant_run) -> None:  # type: ignore[no-untyped-def]
    result, out = mutant_run
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    ruleset_id, props, culprit = EXPECTED[mutant]
    caught = re.findall(rf"^{re.escape(ruleset_id)}: ([a-z ]+): VIOLATED", result.stdout, re.M)
    assert set(caught) & props, (mutant, caught, result.stdout[-3000:])
    if culprit:
        faults = re.findall(rf"^{re.escape(ruleset_id)}: .*?\n  .*\n  rule at fault: (.*)$", result.stdout, re.M)
        assert any(f.startswith(culprit) for f in faults), (mutant, faults)
        assert any(re.search(r":\d+:\d+$", f) for f in faults)  # file:line:col
    files = sorted(out.glob(f"{ruleset_id}.*.yaml"))
    assert files
    for f in files:  # ready to run, and labelled with the paragraph an author reads
        assert load_efforts(f).report_year
        text = f.read_text().replace("\n# ", " ")
        assert "THIS DOCUMENT, " in text and "Rule broken: " in text


def test_counterexample_pairs_name_the_changed_fact(mutant_run) -> None:  # type: ignore[no-untyped-def]
    _, out = mutant_run
    pair = sorted(out.glob("mutant-convictions.monotonicity.*.yaml"))
    assert [p.name.split(".")[-2] for p in pair] == ["after", "before"]
    for path in pair:
        assert "# the one fact that differs: prosecution.convictions" in path.read_text()


def test_shipped_rulesets_pass_with_every_row_reached(tmp_path: Path) -> None:
    result = _verify(*sorted(str(p.relative_to(ROOT)) for p in (ROOT / "rulesets").glob("tvpa-20*.yaml")), out=tmp_path)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "VIOLATED" not in result.stdout
    reached = re.findall(r"table rows reached (\d+)/(\d+)", result.stdout)
    assert len(reached) == 6 and all(a == b for a, b in reached)
    assert not list(tmp_path.iterdir())  # nothing written when nothing is found


def test_nothing_written_to_the_current_folder(tmp_path: Path) -> None:
    env = {**os.environ, "CI": "true", "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-m", "scoring", "verify", str(MUTANTS / "special_case_row_removed.yaml"),
                             "-p", "statutory bounds"], capture_output=True, text=True, cwd=tmp_path, env=env, timeout=300)
    assert result.returncode == 1, result.stdout + result.stderr
    assert not list(tmp_path.iterdir())  # no counterexample folder, no .hypothesis
    written = re.findall(r"counterexample: (\S+)", result.stdout)
    assert written and all(not w.startswith(str(tmp_path)) for w in written)


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


DOC_EXAMPLE = re.compile(r"<!-- output of: tipscore (verify [^\n]*?) -->\n```text\n(.*?)```", re.S)


def _shown(output: str) -> str:
    """What docs/verify.md shows of a run: not the counterexample files (a temporary folder) nor the timing line."""
    return "".join(line + "\n" for line in output.splitlines()
                   if not line.lstrip().startswith("counterexample: ") and " ruleset(s) in " not in line)


def test_the_counterexample_in_docs_verify_is_what_verify_prints(tmp_path: Path) -> None:
    page = (ROOT / "docs" / "verify.md").read_text("utf-8")
    found = DOC_EXAMPLE.search(page)
    assert found, "docs/verify.md lost its example"
    args = [a.strip('"') for a in re.findall(r'"[^"]*"|\S+', found.group(1))][1:]
    result = _verify(*args, out=tmp_path)
    shown = re.sub(r"\d+\.\d s of work", "N s of work", _shown(result.stdout))
    assert re.sub(r"\d+\.\d s of work", "N s of work", found.group(2)) == shown, "refresh the example in docs/verify.md"
