"""Rule consistency, verified: property-based checks against any ruleset, and against the statute.

Hypothesis searches efforts documents, including boundary-seeking ladders and
every history shape that reaches a statutory mechanic (scoring.verify.targets),
for a violation of each property; the statute oracle (scoring.verify.oracle)
checks outcomes against scoring.statute, never against the ruleset's own
parameters. A violation is shrunk to the facts that matter and reported with
the rule at fault (scoring.verify.counterexample). Runs are deterministic: the
seed is fixed unless given, and no example database is used.
"""

from scoring.verify.counterexample import paragraph, write_counterexample
from scoring.verify.pairs import PAIRS, improve
from scoring.verify.runner import PROPERTIES, Report, Violation, run, run_many
from scoring.verify.single import SINGLE

__all__ = ["PAIRS", "PROPERTIES", "SINGLE", "Report", "Violation", "improve", "paragraph", "run", "run_many",
           "write_counterexample"]
