"""scoring.impact: what a ruleset change does to a set of documents, and why."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from scoring.batch import expand
from scoring.impact import ABSENT, compare, render
from tests.ruleset.authoring import write_era, write_second_waiver_granted

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
REFUSED = str(FIXTURES / "synthetic" / "second-waiver-refused-2019.yaml")


@pytest.fixture(scope="module")
def era(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(write_era(tmp_path_factory.mktemp("my")))


@pytest.fixture(scope="module")
def granted(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The refused second waiver, recorded as granted: only a recorded grant is a waiver."""
    return str(write_second_waiver_granted(tmp_path_factory.mktemp("granted")))


def test_a_raised_cap_without_a_recorded_grant_makes_the_country_eligible_only(era: str) -> None:
    impact = compare("tvpa-2019", era, [REFUSED])
    (doc,) = impact.changed
    assert (doc.old.tier, doc.new.tier) == ("3", "undetermined")  # type: ignore[union-attr]
    changes = {c.id: (c.old, c.new) for c in doc.changes}
    assert changes["waiver_eligible"] == ("unmet", "met") and changes["waiver"] == ("unmet", "unknown")


def test_the_same_ruleset_changes_nothing() -> None:
    impact = compare("tvpa-2019", "tvpa-2019", expand([str(FIXTURES / "synthetic")]))
    assert impact.documents and not impact.changed and not impact.failed
    assert all(o == n for (o, n) in impact.transitions())


def test_a_raised_waiver_cap_changes_the_refused_second_waiver_and_says_why(era: str, granted: str) -> None:
    impact = compare("tvpa-2019", era, [granted])
    (doc,) = impact.changed
    assert (doc.old.tier, doc.old.row, doc.new.tier, doc.new.row) == ("3", "downgrade_applied", "2WL", "downgrade_waived")  # type: ignore[union-attr]
    waiver = next(c for c in doc.changes if c.id == "waiver")
    assert (waiver.kind, waiver.old, waiver.new) == ("determination", "unmet", "met")
    assert waiver.citation.startswith("22 U.S.C. 7107(b)(2)(D)(ii) (")
    added = next(c for c in doc.changes if c.id == "survivor_partnerships")
    assert added.old == ABSENT and added.citation == "22 U.S.C. 7106(b)(9) (Hypothetical TVPRA 2026)"
    assert impact.transitions() == {("3", "2WL"): 1}


def test_over_the_fixtures_only_outcome_changes_count(era: str) -> None:
    files = expand([str(FIXTURES)])
    impact = compare("tvpa-2019", era, files)
    assert len(impact.documents) == len(files) and not impact.failed
    for doc in impact.documents:
        assert doc.changed == ((doc.old.tier, doc.old.row) != (doc.new.tier, doc.new.row))  # type: ignore[union-attr]
    assert sum(impact.transitions().values()) == len(files)
    assert REFUSED in [d.file for d in impact.changed]


def test_jobs_give_the_same_result(era: str) -> None:
    files = expand([str(FIXTURES)])
    one = render(compare("tvpa-2019", era, files), "json")
    two = render(compare("tvpa-2019", era, files, jobs=2), "json")
    assert one == two


def test_a_bad_document_is_reported_and_the_rest_compared(era: str, granted: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("country: [", "utf-8")
    impact = compare("tvpa-2019", era, [str(bad), granted])
    assert [d.file for d in impact.failed] == [str(bad)] and len(impact.changed) == 1
    assert str(bad) in impact.failed[0].error  # type: ignore[operator]


def test_every_format_carries_the_change(era: str, granted: str) -> None:
    impact = compare("tvpa-2019", era, [granted])
    text, markdown = render(impact, "text"), render(impact, "markdown")
    for out in (text, markdown):
        assert "1 of 1 documents changed outcome" in out and "downgrade_waived" in out and "7107(b)(2)(D)(ii)" in out
    rows = list(csv.DictReader(io.StringIO(render(impact, "csv"))))
    assert {(r["id"], r["old_status"], r["new_status"]) for r in rows} >= {("waiver", "unmet", "met")}
    data = json.loads(render(impact, "json"))
    assert data["changed"] == 1 and data["transitions"] == [{"from": "3", "to": "2WL", "count": 1}]
