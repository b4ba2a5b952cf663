"""Fidelity: the development set scored against the outcomes the State Department published.

Usage: python benchmarks/fidelity.py [--verbose]

The development set is every efforts document under fixtures/ coded from a real text:
fixtures/mali/ (the seeds), fixtures/narratives/ (chapter openings of ../shared/narratives/)
and fixtures/factbook/ (Factbook summaries of ../shared/factbook/, outcome wording masked
before coding). Each carries its published outcome in header comments only, never as a fact:

    # published-tier: 2WL
    # published-downgrade: waived        (optional: applied | waived | not_applicable)

Each document is scored with the shipped ruleset of its report year (reference evaluator)
and counted as:
- exact: the tier is determined and is the published one (and so is the downgrade, when
  the published downgrade is given and the ruleset has one);
- left open: the published outcome is among the outcomes still possible (scoring.possible);
- undetermined: more than one tier is still possible;
- wrong: the tier is determined and is not the published one.
Figures are printed per era (ruleset) and in total; nothing is asserted here (the tests
assert the properties docs/rubric.md states).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scoring import possible  # noqa: E402
from scoring.api import facts_for, ruleset_for  # noqa: E402
from scoring.efforts.validate import load_efforts  # noqa: E402
from scoring.engine.reference import evaluate  # noqa: E402

SETS = ("mali", "narratives", "factbook")


@dataclass(frozen=True)
class Published:
    tier: str
    downgrade: str | None


@dataclass(frozen=True)
class Result:
    name: str
    era: str
    published: Published
    tiers: tuple[str, ...]
    outcomes: tuple[tuple[str, str | None], ...]

    @property
    def determined(self) -> bool:
        return len(self.tiers) == 1

    @property
    def left_open(self) -> bool:
        return any(_matches(self.published, tier, dg) for tier, dg in self.outcomes)

    @property
    def exact(self) -> bool:
        return self.determined and all(_matches(self.published, tier, dg) for tier, dg in self.outcomes)

    @property
    def wrong(self) -> bool:
        return self.determined and self.tiers[0] != self.published.tier


def _matches(published: Published, tier: str, downgrade: str | None) -> bool:
    if tier != published.tier:
        return False
    return published.downgrade is None or downgrade is None or downgrade == published.downgrade


def published(path: Path) -> Published:
    """The published outcome from the document's header comments."""
    text = path.read_text(encoding="utf-8")
    tier = re.search(r"^# published-tier: (\S+)$", text, re.M)
    if tier is None:
        raise SystemExit(f"{path}: no '# published-tier:' header line")
    downgrade = re.search(r"^# published-downgrade: (\S+)$", text, re.M)
    return Published(tier.group(1), downgrade.group(1) if downgrade else None)


def development_set() -> list[Path]:
    return [p for name in SETS for p in sorted((ROOT / "fixtures" / name).glob("*.yaml"))]


def score(path: Path) -> Result:
    document = load_efforts(path)
    ruleset = ruleset_for(document.report_year)
    _, facts = facts_for(document, ruleset)
    evaluation = evaluate(ruleset, facts)
    table = ruleset.decision("tier")
    found = possible.branches(table, evaluation)  # type: ignore[arg-type]
    outcomes = tuple(dict.fromkeys((b.then["tier"], b.then.get("downgrade")) for b in found))
    tiers = tuple(dict.fromkeys(t for t, _ in outcomes))
    return Result(f"{path.parent.name}/{path.stem}", ruleset.id, published(path), tiers, outcomes)


def _line(label: str, results: list[Result]) -> str:
    n = len(results)
    return (f"{label:<12} documents {n:>3}  exact {sum(r.exact for r in results):>3}  "
            f"left-open {sum(r.left_open for r in results):>3}  "
            f"undetermined {sum(not r.determined for r in results):>3}  wrong {sum(r.wrong for r in results):>3}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="one line per document")
    args = parser.parse_args(argv)
    results = [score(p) for p in development_set()]
    if args.verbose:
        for r in results:
            flags = [k for k in ("exact", "left_open", "wrong") if getattr(r, k)]
            shown = " | ".join(f"{t}{'/' + d if d and d != 'not_applicable' else ''}" for t, d in r.outcomes)
            pub = r.published.tier + (f"/{r.published.downgrade}" if r.published.downgrade else "")
            print(f"{r.name:<24} {r.era:<10} published {pub:<12} possible {shown:<28} {' '.join(flags) or '-'}")
        print()
    by_era: dict[str, list[Result]] = defaultdict(list)
    for r in results:
        by_era[r.era].append(r)
    for era in sorted(by_era):
        print(_line(era, by_era[era]))
    print(_line("total", results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
