"""How faithful `tipscore extract` is: drafts from the development texts against hand-coded fixtures.

Usage: python benchmarks/extract_fidelity.py [--verbose]

Development pairs (text -> hand-coded fixture):
- fixtures/sources/mali-2015-tip.txt and mali-2004-tip.txt -> fixtures/mali/2015.yaml, 2004.yaml
- ../shared/narratives/<name>.txt -> fixtures/narratives/<name>.yaml (chapter openings)
For each pair the draft is compared field by field with the fixture, per family: counts
(this period), previous values, trends (stated), yes/no facts, law numbers (penalty years).
A predicted value is correct if the fixture has the same value; precision = correct /
predicted, recall = correct / known in the fixture. Also: quote validity (every quote occurs
verbatim in its source), whether the draft validates, and the tier the draft scores against
the fixture's tier (as drafted, and with the fixture's tier_history added, since the draft
never codes placements). The Factbook summaries (../shared/factbook/summaries.csv) have no
hand-coded fixtures: only coverage is measured there (facts per summary, conclusion-only
sentences, and facts read from outcome-only summaries, which must be none).
Timings are printed, never asserted.
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))

from scoring import api  # noqa: E402
from scoring.efforts.facts import catalog, flatten, is_stated  # noqa: E402
from scoring.efforts.model import EffortsDocument  # noqa: E402
from scoring.efforts.validate import load_efforts  # noqa: E402
from scoring.efforts.values import Count, as_fact  # noqa: E402
from scoring.extract import extract_text  # noqa: E402
from scoring.extract.write import render  # noqa: E402

FAMILIES = ("counts", "previous", "trends", "yes/no", "law numbers")


def pairs() -> list[tuple[str, Path, Path]]:
    """(name, text, hand-coded fixture) for every development text that has a fixture."""
    out = [(f"mali-{y}", ROOT / "fixtures" / "sources" / f"mali-{y}-tip.txt", ROOT / "fixtures" / "mali" / f"{y}.yaml")
           for y in (2004, 2015)]
    for fixture in sorted((ROOT / "fixtures" / "narratives").glob("*.yaml")):
        text = SHARED / "narratives" / f"{fixture.stem}.txt"
        if text.is_file():
            out.append((fixture.stem, text, fixture))
    return out


def facts_by_family(document: EffortsDocument) -> dict[str, dict[str, Any]]:
    """The document's known facts split into families (stated trends, not computed changes)."""
    families: dict[str, dict[str, Any]] = {f: {} for f in FAMILIES}
    known = flatten(document)
    for path, spec in catalog().items():
        if spec.kind == "count" and is_stated(spec) and "." in path:
            raw = as_fact(_get(document, path), Count)
            assert isinstance(raw, Count)
            if raw.value is not None:
                families["counts"][path] = raw.value
            if raw.previous is not None:
                families["previous"][path] = raw.previous
            if raw.trend is not None:
                families["trends"][path] = raw.trend
        elif spec.kind == "flag" and path in known:
            families["yes/no"][path] = known[path]
        elif spec.kind == "number" and path in known:
            families["law numbers"][path] = known[path]
    return families


def _get(document: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        document = getattr(document, part)
    return document


@dataclass
class Tally:
    predicted: int = 0
    correct: int = 0
    known: int = 0
    wrong: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)

    def precision(self) -> float | None:
        return self.correct / self.predicted if self.predicted else None

    def recall(self) -> float | None:
        return self.correct / self.known if self.known else None


@dataclass
class PairResult:
    name: str
    seconds: float
    quotes: int
    quotes_valid: int
    valid: bool
    tier_fixture: str | None
    tier_draft: str | None
    tier_draft_with_history: str | None
    tallies: dict[str, Tally]


def compare(name: str, text_path: Path, fixture_path: Path) -> PairResult:
    """Extract from one text and compare with its hand-coded fixture."""
    fixture = load_efforts(fixture_path)
    text = text_path.read_text("utf-8")
    start = time.perf_counter()
    draft = extract_text(text, fixture.iso3, fixture.report_year, os.path.relpath(text_path, ROOT).replace(os.sep, "/"))
    render(draft)
    seconds = time.perf_counter() - start
    document = EffortsDocument.model_validate(draft.data)
    quotes = [e.quote for e in _evidence(document)]
    tallies = {f: Tally() for f in FAMILIES}
    mine, theirs = facts_by_family(document), facts_by_family(fixture)
    for family in FAMILIES:
        tally = tallies[family]
        tally.known = len(theirs[family])
        for path, value in mine[family].items():
            tally.predicted += 1
            if theirs[family].get(path) == value:
                tally.correct += 1
            else:
                tally.wrong.append(f"{path}={value} (hand-coded: {theirs[family].get(path, 'unknown')})")
        tally.missed = [f"{p}={v}" for p, v in theirs[family].items() if mine[family].get(p) != v]
    with_history = document.model_copy(update={"tier_history": fixture.tier_history})
    return PairResult(name, seconds, len(quotes), sum(q in text for q in quotes), True,
                      api.score(fixture).tier, api.score(document).tier, api.score(with_history).tier, tallies)


def _evidence(document: EffortsDocument) -> list[Any]:
    found = []
    for path, spec in catalog().items():
        if not is_stated(spec):
            continue
        value = _get(document, path)
        found.extend(getattr(value, "evidence", []) or [])
    return found


def factbook_coverage() -> dict[str, Any]:
    """Facts read from the Factbook summaries (no hand-coded fixtures: coverage only)."""
    rows = list(csv.DictReader((SHARED / "factbook" / "summaries.csv").open(encoding="utf-8")))
    per_family = {f: 0 for f in FAMILIES}
    with_facts = outcome_only_facts = conclusions = unmatched = quotes = valid_quotes = 0
    seconds: list[float] = []
    for row in rows:
        text = row["tier_rating_text"]
        start = time.perf_counter()
        draft = extract_text(text, row["iso3"], int(row["report_year"]), "../shared/factbook/summaries.csv")
        seconds.append(time.perf_counter() - start)
        document = EffortsDocument.model_validate(draft.data)
        found = facts_by_family(document)
        for family in FAMILIES:
            per_family[family] += len(found[family])
        with_facts += draft.facts > 0
        if row["summary_kind"] == "outcome-only":
            outcome_only_facts += draft.facts
        conclusions += len(draft.conclusions)
        unmatched += len(draft.unmatched)
        evidence = [e.quote for e in _evidence(document)]
        quotes += len(evidence)
        valid_quotes += sum(q in text for q in evidence)
    return {"rows": len(rows), "full": sum(r["summary_kind"] == "full" for r in rows), "with_facts": with_facts,
            "per_family": per_family, "outcome_only_facts": outcome_only_facts, "conclusion_sentences": conclusions,
            "unmatched_sentences": unmatched, "quotes": quotes, "valid_quotes": valid_quotes,
            "median_ms": statistics.median(seconds) * 1000, "max_ms": max(seconds) * 1000}


def unpaired_coverage() -> list[tuple[str, int, int, int]]:
    """(name, values coded, conclusion-only clauses, clauses to review) for narratives with no fixture."""
    paired = {name for name, _, _ in pairs()}
    out = []
    for text in sorted((SHARED / "narratives").glob("*.txt")):
        if text.stem in paired:
            continue
        iso3, year = text.stem[:3].upper(), int(text.stem[4:8])
        draft = extract_text(text.read_text("utf-8"), iso3, year, f"../shared/narratives/{text.name}")
        out.append((text.stem, draft.facts, len(draft.conclusions), len(draft.unmatched)))
    return out


def totals(results: list[PairResult]) -> dict[str, Tally]:
    """Tallies summed over all development pairs, per family."""
    out = {f: Tally() for f in FAMILIES}
    for result in results:
        for family, tally in result.tallies.items():
            out[family].predicted += tally.predicted
            out[family].correct += tally.correct
            out[family].known += tally.known
            out[family].wrong += [f"{result.name}: {w}" for w in tally.wrong]
            out[family].missed += [f"{result.name}: {m}" for m in tally.missed]
    return out


def _tier(tier: str | None) -> str:
    return "undet." if tier is None else tier


def _fmt(x: float | None) -> str:
    return "  n/a" if x is None else f"{x:5.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="list every wrong and missed value")
    args = parser.parse_args()
    results = [compare(*pair) for pair in pairs()]
    print(f"{'text':<10} {'ms':>6} {'quotes ok':>10} {'tier (fixture)':>15} {'draft':>6} {'+history':>9}  "
          + "  ".join(f"{f} P/R" for f in FAMILIES))
    for r in results:
        cells = "  ".join(f"{_fmt(t.precision())}/{_fmt(t.recall())}" for t in r.tallies.values())
        print(f"{r.name:<10} {r.seconds * 1000:6.1f} {r.quotes_valid:>4}/{r.quotes:<5} {_tier(r.tier_fixture):>15} "
              f"{_tier(r.tier_draft):>6} {_tier(r.tier_draft_with_history):>9}  {cells}")
    print()
    print(f"{'family':<12} {'predicted':>9} {'correct':>8} {'known':>6} {'precision':>10} {'recall':>7}")
    for family, t in totals(results).items():
        print(f"{family:<12} {t.predicted:>9} {t.correct:>8} {t.known:>6} {_fmt(t.precision()):>10} {_fmt(t.recall()):>7}")
        if args.verbose:
            for w in t.wrong:
                print(f"    wrong:  {w}")
            for m in t.missed:
                print(f"    missed: {m}")
    determined = [r for r in results if r.tier_fixture is not None]
    same_determined = sum(r.tier_draft == r.tier_fixture for r in determined)
    same = sum(r.tier_draft == r.tier_fixture for r in results)
    same_h = sum(r.tier_draft_with_history == r.tier_fixture for r in results)
    quotes = sum(r.quotes for r in results)
    valid = sum(r.quotes_valid for r in results)
    print(f"\ntier: {same}/{len(results)} drafts score the fixture's tier as drafted ({same_determined}/{len(determined)} where "
          f"the fixture's tier is determined; 'undet.' = not determined from the facts), {same_h}/{len(results)} with the "
          f"fixture's tier_history; quotes valid: {valid}/{quotes}; slowest text: "
          f"{max(r.seconds for r in results) * 1000:.1f} ms")
    cover = ", ".join(f"{n} {f} coded/{c} skipped/{u} to review" for n, f, c, u in unpaired_coverage())
    print(f"narratives without a fixture (no reference, coverage only): {cover}")
    fb = factbook_coverage()
    fam = ", ".join(f"{k} {v}" for k, v in fb["per_family"].items())
    print(f"factbook: {fb['rows']} summaries ({fb['full']} full), {fb['with_facts']} with at least one fact; facts: {fam}; "
          f"facts from outcome-only summaries: {fb['outcome_only_facts']}; conclusion-only clauses skipped: "
          f"{fb['conclusion_sentences']}; clauses to review: {fb['unmatched_sentences']}; quotes valid: "
          f"{fb['valid_quotes']}/{fb['quotes']}; median {fb['median_ms']:.1f} ms, max {fb['max_ms']:.1f} ms per summary")


if __name__ == "__main__":
    main()
