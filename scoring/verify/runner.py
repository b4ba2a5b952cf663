"""Running the properties with hypothesis: one job per (ruleset, property), spread over processes.

Each job searches within its example count and time budget, shrinks the first
violation it finds on the document's structure, and names the rule at fault.
Hypothesis keeps no example database and its home directory is a temporary
one, so nothing is written into the user's folders.
"""

from __future__ import annotations

import os
import tempfile
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from scoring.ruleset import ast
from scoring.testing import efforts_data
from scoring.verify import coverage
from scoring.verify.common import Data, years
from scoring.verify.oracle import Finding
from scoring.verify.pairs import PAIRS
from scoring.verify.shrink import shrink
from scoring.verify.single import SINGLE
from scoring.verify.targets import ladders, statute_variants

PROPERTIES = ["totality", "determinism", "statutory bounds", "explanation soundness", "engine agreement",
              "monotonicity", "unknown safety"]
#: What each property checks, for counterexamples (the statute oracle cites the provision itself).
RULES = {
    "totality": "totality: every document gets exactly one outcome (no table gap, no overlap under unique)",
    "determinism": "determinism: scoring twice gives byte-identical JSON",
    "explanation soundness": "explanation soundness: met criteria's compared values meet them; every line cites the statute",
    "engine agreement": "engine agreement: durable-rules and the reference evaluator give the same outcome",
}
#: Default documents (or ladders) tried per property, and seconds a job may search.
DEFAULT_EXAMPLES = 30
DEFAULT_BUDGET = 10.0
#: Properties whose examples are whole ladders (dozens of documents each): fewer are needed.
LADDER_PROPERTIES = {"statutory bounds", "monotonicity", "totality"}


@dataclass
class Violation:
    """A shrunk counterexample: the documents, what went wrong, the rule broken and the rule at fault."""

    prop: str
    message: str
    documents: list[Data]
    diff: str = ""
    rule: str = ""  #: the statute provision or property broken
    culprit: str = ""  #: "kind id at file:line:col"
    labels: list[str] = field(default_factory=list)  #: one per document: what it is and the tier it gets
    changed: str = ""  #: pair properties: the one fact that differs


@dataclass
class Report:
    ruleset: str
    examples: int
    passed: list[str] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)
    coverage: coverage.CoverageReport | None = None
    seconds: float = 0.0
    file: str = ""

    @property
    def rows_missed(self) -> tuple[str, ...]:
        return self.coverage.rows_missed if self.coverage else ()


def set_hypothesis_home() -> None:
    """Hypothesis' own files (charmap cache) go to a temporary directory, never the current folder."""
    from hypothesis.configuration import set_hypothesis_home_dir

    set_hypothesis_home_dir(os.path.join(tempfile.gettempdir(), "tipscore-hypothesis"))


def run(ruleset: ast.Ruleset, examples: int = DEFAULT_EXAMPLES, seed_value: int = 0, only: list[str] | None = None,
        on_property: Callable[[str], None] | None = None, budget: float = DEFAULT_BUDGET) -> Report:
    """Check every property (or ``only`` those) in this process."""
    report = Report(ruleset.id, examples, file=ruleset.file)
    reached = coverage.Coverage()
    start = time.perf_counter()
    for name in only or PROPERTIES:
        if on_property:
            on_property(name)
        violation, seen = check_property(ruleset, name, examples, seed_value, budget)
        reached.merge(seen)
        (report.passed.append(name) if violation is None else report.violations.append(violation))
    report.coverage = coverage.summarize(ruleset, reached) if reached.statuses else None
    report.seconds = time.perf_counter() - start
    return report


def check_property(ruleset: ast.Ruleset, name: str, examples: int, seed_value: int,
                   budget: float) -> tuple[Violation | None, coverage.Coverage]:
    """One job: search, shrink, blame. Returns the violation (or None) and the coverage reached."""
    set_hypothesis_home()
    coverage.CURRENT = coverage.Coverage()
    span = years(ruleset)
    found: list[tuple[Any, Finding | str]] = []
    deadline = time.monotonic() + budget
    count = max(4, examples // 2) if name in LADDER_PROPERTIES else examples
    config = settings(max_examples=count, deadline=None, database=None, derandomize=False, print_blob=False,
                      suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])
    strategy, check = _strategy(ruleset, name, span)

    @seed(seed_value)
    @config
    @given(drawn=strategy)
    def test(drawn: list[Any]) -> None:
        if found or time.monotonic() > deadline:
            return
        for item in drawn:
            result = check(item)
            if result:
                found.append((item, result))
                return

    try:
        with warnings.catch_warnings():  # hypothesis warns about the size of the failing example's repr
            warnings.simplefilter("ignore")
            test()
    except Exception as err:  # an engine error on some document is itself a finding
        return Violation(name, f"{type(err).__name__}: {err}", []), coverage.CURRENT
    seen = coverage.CURRENT
    if not found:
        return None, seen
    from scoring.verify.counterexample import shrunk_violation

    return shrunk_violation(ruleset, name, *found[0]), seen


def _strategy(ruleset: ast.Ruleset, name: str, span: tuple[int, int]) -> tuple[st.SearchStrategy[list[Any]], Callable[[Any], Any]]:
    if name in PAIRS:
        strategy, pair_check = PAIRS[name]
        return strategy(ruleset, span), lambda pair: pair_check(ruleset, *pair)
    prop = SINGLE[name]
    if name in LADDER_PROPERTIES:
        return _ladder_documents(ruleset, span, with_variants=name == "statutory bounds"), lambda d: prop(ruleset, d)
    return st.integers(*span).flatmap(lambda y: efforts_data(y)).map(lambda d: [d]), lambda d: prop(ruleset, d)


def _ladder_documents(ruleset: ast.Ruleset, span: tuple[int, int], with_variants: bool) -> st.SearchStrategy[list[Data]]:
    """Every rung of a ladder and, on the first rung of each tier, every mechanic-reaching variant."""

    def documents(ladder: Any) -> list[Data]:
        out = list(ladder.documents)
        if with_variants:
            from scoring.verify.oracle import scored

            first: dict[str | None, Data] = {}
            for data in ladder.documents:
                first.setdefault(scored(ruleset, _without_history(data)).tier, data)
            out += [variant for data in first.values() for _, variant in statute_variants(data)]
        return out

    return ladders(ruleset, span).map(documents)


def _without_history(data: Data) -> Data:
    """``data`` after a plain Tier 2 year: no mechanic applies and every history fact is established."""
    year = data["report_year"]
    return data | {"tier_history": [{"report_year": year - 1, "tier": "2"}] if year > 2001 else []}


# ----------------------------------------------------------------------------- many rulesets, many processes


@dataclass(frozen=True)
class Job:
    ref: str
    prop: str
    examples: int
    seed: int
    budget: float
    search_path: tuple[str, ...] = ()


def _run_job(job: Job) -> tuple[Job, Violation | None, coverage.Coverage, float]:
    from scoring.ruleset.load import check_ruleset

    start = time.perf_counter()
    ruleset = check_ruleset(job.ref, list(job.search_path), semantic=False).ruleset
    assert ruleset is not None  # the caller checked it
    violation, seen = check_property(ruleset, job.prop, job.examples, job.seed, job.budget)
    return job, violation, seen, time.perf_counter() - start


def run_many(rulesets: list[ast.Ruleset], examples: int = DEFAULT_EXAMPLES, seed_value: int = 0,
             only: list[str] | None = None, budget: float = DEFAULT_BUDGET, jobs: int = 2,
             on_done: Callable[[Job], None] | None = None, search_path: list[str] | None = None) -> list[Report]:
    """Every (ruleset, property) job over ``jobs`` processes; reports in the rulesets' order."""
    work = [Job(r.file, p, examples, seed_value, budget, tuple(search_path or ())) for r in rulesets for p in only or PROPERTIES]
    results: dict[tuple[str, str], tuple[Violation | None, coverage.Coverage, float]] = {}
    if jobs <= 1:
        for job in work:
            _, violation, seen, took = _run_job(job)
            results[(job.ref, job.prop)] = (violation, seen, took)
            if on_done:
                on_done(job)
    else:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor, as_completed

        context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            futures = [pool.submit(_run_job, job) for job in work]
            for future in as_completed(futures):
                job, violation, seen, took = future.result()
                results[(job.ref, job.prop)] = (violation, seen, took)
                if on_done:
                    on_done(job)
    reports = []
    for ruleset in rulesets:
        report = Report(ruleset.id, examples, file=ruleset.file)
        reached = coverage.Coverage()
        for prop in only or PROPERTIES:
            violation, seen, took = results[(ruleset.file, prop)]
            reached.merge(seen)
            report.seconds += took
            (report.passed.append(prop) if violation is None else report.violations.append(violation))
        report.coverage = coverage.summarize(ruleset, reached) if reached.statuses else None
        reports.append(report)
    return reports
