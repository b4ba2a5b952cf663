"""What a case may expect, and where each expectation is read in an ``Outcome``.

One table (``READERS``) names every expectation key a test file may use; the
JSON Schema (scoring/schemas_data/casetest.schema.json) lists the same keys and
a test checks the two agree. Each reader takes the outcome and the ruleset that
produced it and returns the actual value in the form the test file writes it,
so "expected" and "actual" are compared, and shown, in the author's terms.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scoring.outcome import Outcome
from scoring.ruleset import ast

TIER_ORDER = ("1", "2", "2WL", "3", "special")
UNDETERMINED = "undetermined"
#: Names an outcome field listing the tiers still possible may have; read when present
#: (an explicit field is authoritative), else the tiers are derived from the tier table.
POSSIBLE_FIELDS = ("possible_tiers", "possible_outcomes")


def tier_text(value: Any) -> str:
    """``1`` and ``"1"`` are the same tier in a test file."""
    return str(value)


def possible_tiers(outcome: Outcome, ruleset: ast.Ruleset) -> list[str]:
    """The tiers still possible, in tier order.

    An undetermined outcome stops at a tier-table row that could not be assessed; every
    row from the first that is not unmet up to the first met one could still apply.
    """
    for name in POSSIBLE_FIELDS:
        explicit = getattr(outcome, name, None)
        if explicit is not None:
            return _in_order({tier_text(t.get("tier") if isinstance(t, dict) else getattr(t, "tier", t))
                              for t in explicit})
    table = ruleset.decision("tier")
    result = next(t for t in outcome.tables if t.id == "tier")
    statuses = {row.id: row.status for row in result.rows}
    possible: set[str] = set()
    for row in table.ordered_rows():  # type: ignore[union-attr]
        if statuses[row.id] == "unmet":
            continue
        possible.add(row.then["tier"])
        if statuses[row.id] == "met":
            break
    return _in_order(possible)


def _in_order(tiers: set[str]) -> list[str]:
    return [t for t in TIER_ORDER if t in tiers] + sorted(tiers - set(TIER_ORDER))


def _waiver(outcome: Outcome, field: str) -> Any:
    waiver = outcome.watch_list.waiver
    return getattr(waiver, field) if waiver is not None else None


Reader = Callable[[Outcome, ast.Ruleset], Any]

#: expectation key -> (what it checks, in the words of the docs; how to read it)
READERS: dict[str, tuple[str, Reader]] = {
    "tier": ("the tier (1, 2, 2WL, 3, special) or undetermined",
             lambda o, _: o.tier if o.tier is not None else UNDETERMINED),
    "determined": ("whether a tier could be derived", lambda o, _: o.determined),
    "possible_tiers": ("every tier still possible", possible_tiers),
    "tier_row": ("the tier table row that decided (null: none)", lambda o, _: o.tier_row),
    "table_rows": ("the row that decided each named table",
                   lambda o, _: {t.id: t.row for t in o.tables}),
    "consecutive_watch_list_years": ("consecutive Tier 2 Watch List years, this one included",
                                     lambda o, _: o.watch_list.consecutive_years),
    "counted_watch_list_years": ("of those, the years counted toward the automatic downgrade (from the 2009 report)",
                                 lambda o, _: o.watch_list.counted_years),
    "automatic_downgrade": ("not_applicable, applied or waived",
                            lambda o, _: o.watch_list.automatic_downgrade),
    "waiver_eligible": ("whether the waiver conditions are shown and the cap not reached (null: no downgrade due, or cannot be decided)",
                        lambda o, _: _waiver(o, "eligible")),
    "waiver_granted": ("whether the document records the waiver as granted (null: it does not say, or no downgrade due)",
                       lambda o, _: _waiver(o, "granted")),
    "waiver_number": ("which waiver of the current watch-list run", lambda o, _: _waiver(o, "number")),
    "special_watch_list": ("special watch list membership", lambda o, _: o.watch_list.special_watch_list),
    "criteria": ("criterion id -> met, unmet or unknown", lambda o, _: {c.id: c.status for c in o.criteria}),
    "determinations": ("determination id -> met, unmet or unknown",
                       lambda o, _: {d.id: d.status for d in o.determinations}),
}

#: keys whose value maps ids to expected values; each id is compared (and reported) on its own
PER_ID = ("table_rows", "criteria", "determinations")


def normalize(key: str, value: Any) -> Any:
    """The expected value as the reader returns it (tiers as text, possible tiers in order)."""
    if key == "tier":
        return tier_text(value)
    if key == "possible_tiers":
        return _in_order({tier_text(v) for v in value})
    return value


def label(key: str, item: str | None = None) -> str:
    """How a mismatch names what it is about: ``tier``, ``criterion investigates``, ..."""
    if item is None:
        return key
    return f"{dict(table_rows='row of table', criteria='criterion', determinations='determination')[key]} {item}"


def compare(key: str, expected: Any, outcome: Outcome, ruleset: ast.Ruleset) -> list[tuple[str, Any, Any]]:
    """Mismatches of one expectation: (what, expected, actual); empty when it holds."""
    actual = READERS[key][1](outcome, ruleset)
    if key in PER_ID:
        return [(label(key, item), want, actual.get(item))
                for item, want in expected.items() if actual.get(item) != want]
    want = normalize(key, expected)
    return [] if actual == want else [(label(key), want, actual)]
