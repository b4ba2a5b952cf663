"""The statute as an oracle: every outcome checked against scoring.statute for its report year.

Nothing here reads the parameters of the ruleset under test. History facts are
derived again with the statute's own parameters, and the outcome's tier is
compared with what the statute fixes. The ruleset is consulted only for the
judgements the statute leaves to the assessor: whether the country "fully
complies", is "making significant efforts", or shows "increasing efforts"
(its determinations ``fully_meets``, ``significant_efforts``, ``watch_list``).
A waiver is discretionary ("may waive"): the oracle never demands one, it only
bounds it (a grant the document records, no condition shown false, the cap,
the re-entry limit).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scoring.efforts.facts import WAIVER_CONDITIONS
from scoring.efforts.model import EffortsDocument
from scoring.engine.reference import Evaluation
from scoring.engine.reference import evaluate as reference
from scoring.history import choose, derive
from scoring.ruleset import ast
from scoring.statute import Law, law_for
from scoring.verify import coverage
from scoring.verify.common import Data

TIER_TABLE = "tier"


@dataclass(frozen=True)
class Finding:
    """An outcome the statute forbids: what happened, the provision broken, the rule that produced it."""

    message: str
    provision: str  #: the statute's rule, cited
    culprit: str  #: "kind id at file:line:col"
    kind: str = ""  #: tells apart findings under one provision (shrinking keeps the same kind)

    @property
    def rule_kind(self) -> str:
        return f"{self.provision}|{self.kind}"


@dataclass
class Scored:
    """One document under one ruleset: what the rules read and what they concluded."""

    document: EffortsDocument
    facts: dict[str, Any]
    evaluation: Evaluation
    statute_history: dict[str, Any]
    law: Law

    @property
    def tier(self) -> str | None:
        return self.evaluation.outputs.get(TIER_TABLE, {}).get("tier")

    def status(self, node_id: str) -> str | None:
        return self.evaluation.statuses.get(node_id)


def scored(ruleset: ast.Ruleset, data: Data) -> Scored:
    from scoring.api import facts_for

    document = EffortsDocument.model_validate(data)
    _, facts = facts_for(document, ruleset)
    law = law_for(document.report_year)
    source, placements = choose(document)
    statute_history = derive(document.report_year, placements, law.parameters, source).facts
    evaluation = reference(ruleset, facts)
    coverage.CURRENT.record(ruleset, evaluation)
    return Scored(document, facts, evaluation, statute_history, law)


def _at(where: ast.Where | str) -> str:
    """A place, its file relative to the current folder when it lies below it."""
    import os

    text = str(where)
    cwd = os.getcwd() + os.sep
    return text[len(cwd):] if text.startswith(cwd) else text


def where_of(ruleset: ast.Ruleset, node_id: str) -> str:
    """``kind id at file:line:col`` for a criterion, determination, or ``table.row``."""
    return _where_of(ruleset, node_id).replace("\0", "")


def _where_of(ruleset: ast.Ruleset, node_id: str) -> str:
    table_id, _, row_id = node_id.partition(".")
    for node in ruleset.criteria:
        if node.id == node_id:
            return f"criterion {node.id} at {_at(node.where)}"
    for node in ruleset.determinations:
        if node.id == node_id:
            return f"determination {node.id} at {_at(node.where)}"
    for table in ruleset.tables:
        if table.id == table_id:
            for row in table.rows:
                if row.id == row_id:
                    return f"table {table.id} row {row.id} at {_at(row.where)}"
            return f"table {table.id} at {_at(table.where)}"
    return f"ruleset {ruleset.id} at {_at(ruleset.file)}"


def deciding_row(ruleset: ast.Ruleset, s: Scored, table_id: str = TIER_TABLE) -> str:
    hit = s.evaluation.tables.get(table_id)
    table = next((t for t in ruleset.tables if t.id == table_id), None)
    if table is None or hit is None or hit.row is None:
        return where_of(ruleset, table_id)
    return where_of(ruleset, f"{table_id}.{table.rows[hit.row].id}")


def reader_of(ruleset: ast.Ruleset, s: Scored, fact: str) -> str | None:
    """The first met determination (else criterion) reading ``fact``: where a history bound is applied."""
    from scoring.ruleset.walk import facts_read, leaves

    for node in (*ruleset.determinations, *ruleset.criteria):
        reads = {p for leaf in leaves(node.when) for p in facts_read(leaf)}
        if fact in reads and s.status(node.id) == "met":
            return where_of(ruleset, node.id)
    return None


def statutory_bounds(ruleset: ast.Ruleset, data: Data) -> Finding | None:
    """The outcome stays within what 22 U.S.C. 7107 fixes for the document's report year."""
    s = scored(ruleset, data)
    for check in (_special_case, _policy_or_pattern, _commitments, _no_significant_efforts, _watch_list_exists,
                  _downgrade, _reentry, _watch_list_criteria, _special_watch_list):
        finding = check(ruleset, s)
        if finding is not None:
            return finding
    return None


def _finding(ruleset: ast.Ruleset, s: Scored, message: str, provision: str, culprit: str | None = None) -> Finding:
    return Finding(message, s.law.cite(provision), culprit or deciding_row(ruleset, s))


def _special_case(ruleset: ast.Ruleset, s: Scored) -> Finding | None:
    special = s.facts.get("special_case") is True
    if special and s.tier != "special":
        return _finding(ruleset, s, f"a special case got {_tier_words(s.tier)}", "special_case_has_no_tier")
    if not special and s.tier == "special":
        return _finding(ruleset, s, "no tier, though the report designates no special case", "special_case_has_no_tier")
    return None


def _policy_or_pattern(ruleset: ast.Ruleset, s: Scored) -> Finding | None:
    if (s.law.has("policy_or_pattern_is_tier_3") and s.facts.get("context.policy_or_pattern_of_trafficking") is True
            and s.tier not in (None, "3", "special")):
        return _finding(ruleset, s, f"a government policy or pattern of trafficking, yet Tier {s.tier}",
                        "policy_or_pattern_is_tier_3")
    return None


def _commitments(ruleset: ast.Ruleset, s: Scored) -> Finding | None:
    if (s.law.has("commitments_excluded") and s.facts.get("context.significant_efforts_based_on_commitments") is True
            and s.tier in ("2", "2WL")):
        culprit = where_of(ruleset, "significant_efforts") if s.status("significant_efforts") == "met" else None
        return _finding(ruleset, s, f"efforts resting on commitments to future steps gave Tier {s.tier}",
                        "commitments_excluded", culprit)
    return None


def _no_significant_efforts(ruleset: ast.Ruleset, s: Scored) -> Finding | None:
    if (s.status("significant_efforts") == "unmet" and s.status("fully_meets") != "met"
            and s.tier not in (None, "3", "special")):
        return _finding(ruleset, s, f"not making significant efforts, yet Tier {s.tier}",
                        "no_significant_efforts_is_tier_3")
    return None


def _watch_list_exists(ruleset: ast.Ruleset, s: Scored) -> Finding | None:
    if s.tier == "2WL" and not s.law.has("watch_list"):
        return _finding(ruleset, s, f"Tier 2 Watch List in the {s.law.year} report", "watch_list")
    return None


def _downgrade(ruleset: ast.Ruleset, s: Scored) -> Finding | None:
    """After the counted years, Tier 2 Watch List only by a waiver within its conditions and cap."""
    after = s.law.value("downgrade_after_years")
    years = s.statute_history.get("history.consecutive_watch_list_years")
    if not isinstance(after, int) or not isinstance(years, int) or years < after:
        return _unexplained_tier_3(ruleset, s, due=False)
    if s.tier != "2WL":
        return None
    cap = s.law.value("waiver_cap")
    used = s.statute_history.get("history.waivers_used")
    granted = s.facts.get("waiver.granted")
    if granted is not True:
        said = "records that none was granted" if granted is False else "does not record a grant"
        return _finding(ruleset, s, f"watch-list year {years + 1} in a row kept by a waiver the report {said}",
                        "waiver_is_discretionary" if granted is None else "downgrade_after_years")
    # a recorded grant is the President's finding that the conditions hold: only one shown false defeats it
    if any(s.facts.get(p) is False for p in WAIVER_CONDITIONS):
        shown = {p.split(".")[1]: s.facts.get(p) for p in WAIVER_CONDITIONS}
        return _finding(ruleset, s, f"watch-list year {years + 1} in a row kept by a waiver whose conditions the "
                        f"report shows unmet ({shown})", "waiver_conditions")
    if isinstance(cap, int) and (isinstance(used, int) and used >= cap or years >= after + cap):
        return _finding(ruleset, s, f"watch-list year {years + 1} in a row with {used} waived years already used in "
                        f"this run; the statute allows {cap}", "waiver_cap",
                        reader_of(ruleset, s, "history.waivers_used"))
    return None


def _unexplained_tier_3(ruleset: ast.Ruleset, s: Scored, due: bool) -> Finding | None:
    """Tier 3 for a country making significant efforts needs a statutory reason."""
    if s.tier != "3" or s.status("significant_efforts") != "met" or s.facts.get("special_case") is True:
        return None
    reasons = [s.law.has("policy_or_pattern_is_tier_3") and s.facts.get("context.policy_or_pattern_of_trafficking") is not False,
               s.law.has("commitments_excluded") and s.facts.get("context.significant_efforts_based_on_commitments") is not False,
               s.law.has("reentry_limit") and s.statute_history.get("history.reentry_limited") is not False,
               s.law.has("downgrade_after_years") and "history.consecutive_watch_list_years" not in s.statute_history]
    if due or any(reasons):
        return None
    return _finding(ruleset, s, "Tier 3 for a country making significant efforts, with no downgrade due",
                    "no_significant_efforts_is_tier_3")


def _reentry(ruleset: ast.Ruleset, s: Scored) -> Finding | None:
    if s.law.has("reentry_limit") and s.tier == "2WL" and s.statute_history.get("history.reentry_limited") is True:
        years = s.statute_history.get("history.consecutive_watch_list_years")
        if isinstance(years, int) and years >= 1:
            return _finding(ruleset, s, f"watch-list year {years + 1} in a row after a run ended by Tier 3",
                            "reentry_limit")
    return None


def _watch_list_criteria(ruleset: ast.Ruleset, s: Scored) -> Finding | None:
    """Plain Tier 2 although a watch-list criterion the report states applies."""
    if s.tier != "2" or not s.law.has("watch_list_criteria_facts"):
        return None
    if s.law.has("reentry_limit") and s.statute_history.get("history.reentry_limited") is True:
        return None  # (F): off the watch list whatever the criteria
    victims = s.facts.get("context.victims_very_significant_or_increasing") is True
    if s.law.has("commitments_excluded"):
        hit = victims and s.facts.get("context.proportional_concrete_actions") is False
        what = "very many estimated victims and no proportional concrete actions"
    else:
        hit = victims or s.facts.get("context.significant_efforts_based_on_commitments") is True
        what = "very many victims or efforts based on commitments"
    if hit:
        return _finding(ruleset, s, f"plain Tier 2 with {what}", "watch_list_criteria_facts")
    return None


def _special_watch_list(ruleset: ast.Ruleset, s: Scored) -> Finding | None:
    """Membership of the special watch list follows its groups (i)-(iii)."""
    if not s.law.has("special_watch_list_groups") or s.tier in (None, "special"):
        return None
    previous = s.facts.get("history.previous_tier")
    expected: bool | None
    if s.tier == "2WL" or (s.tier == "1" and previous in ("2", "2WL")) or (s.tier in ("2", "2WL") and previous == "3"):
        expected = True
    elif previous is None:
        return None
    else:
        expected = False
    if s.law.has("upgrade_from_tier_3_is_watch_list") and s.tier == "2" and previous == "3":
        return _finding(ruleset, s, "plain Tier 2 after Tier 3", "upgrade_from_tier_3_is_watch_list")
    member = s.evaluation.outputs.get("special_watch_list", {}).get("member")
    if expected and member != "yes":
        group = "iii" if s.tier == "2WL" else "i" if s.tier == "1" else "ii"
        return _finding(ruleset, s, f"Tier {s.tier} after Tier {previous} is special watch list group ({group}), "
                        f"but the outcome says {'not a member' if member else 'nothing about membership'}",
                        "special_watch_list_groups", deciding_row(ruleset, s, "special_watch_list"))
    if not expected and member == "yes":
        return _finding(ruleset, s, f"Tier {s.tier} after Tier {previous} is in no special watch list group, "
                        "yet listed", "special_watch_list_groups", deciding_row(ruleset, s, "special_watch_list"))
    return None


def _tier_words(tier: str | None) -> str:
    return "no determined tier" if tier is None else f"Tier {tier}"
