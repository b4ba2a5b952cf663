"""The fidelity benchmark's guarantees on the development set (benchmarks/fidelity.py).

Sound on partial evidence: for every coded real document the published outcome is among the
outcomes still possible, no document gets a determined wrong tier, the seeds stay exact, and
docs/rubric.md quotes the benchmark's own figures.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("tipscore_fidelity", ROOT / "benchmarks" / "fidelity.py")
assert _spec and _spec.loader
fidelity = importlib.util.module_from_spec(_spec)
sys.modules["tipscore_fidelity"] = fidelity
_spec.loader.exec_module(fidelity)

DOCUMENTS = fidelity.development_set()
RESULTS = {f"{p.parent.name}/{p.stem}": fidelity.score(p) for p in DOCUMENTS}


def test_the_development_set_holds_every_source() -> None:
    sets = {name.split("/")[0] for name in RESULTS}
    assert sets == {"mali", "narratives", "factbook"}
    assert sum(name.startswith("narratives/") for name in RESULTS) == 13, "all 13 chapter openings are coded"


@pytest.mark.parametrize("name", sorted(RESULTS))
def test_published_outcome_is_left_open(name: str) -> None:
    result = RESULTS[name]
    assert result.left_open, f"{name}: published {result.published} not among {result.outcomes}"
    assert not result.wrong


@pytest.mark.parametrize("name", ["mali/2004", "mali/2015"])
def test_seeds_are_exact(name: str) -> None:
    assert RESULTS[name].exact


def test_rubric_quotes_the_benchmark() -> None:
    text = (ROOT / "docs" / "rubric.md").read_text(encoding="utf-8")
    total = fidelity._line("total", list(RESULTS.values()))
    assert total in text, f"docs/rubric.md does not show the current figures: {total}"


def test_exact_count_is_at_least_the_count_before_partial_evidence() -> None:
    """Before what-was-read and the possible outcomes, 3 documents were exact (Mali 2004, 2015, Somalia 2009)."""
    assert sum(r.exact for r in RESULTS.values()) >= 3


def test_published_outcome_comes_from_header_comments_only(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("# published-tier: 2WL\n# published-downgrade: waived\ncountry: X\n", encoding="utf-8")
    assert fidelity.published(path) == fidelity.Published("2WL", "waived")
    assert re.search(r"^published", path.read_text(encoding="utf-8"), re.M) is None
