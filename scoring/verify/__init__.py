"""Rule consistency, verified: property-based checks against any ruleset.

Hypothesis searches efforts documents for a violation of each property and
shrinks it to a minimal one, written out as a ready-to-run efforts file (a pair
of files for monotonicity) with the explanation diff. Runs are deterministic:
the seed is fixed unless given, and nothing is read from or written to
hypothesis' example database.
"""

from scoring.verify.pairs import PAIRS, PROPERTIES, improve
from scoring.verify.runner import Report, Violation, run, write_counterexample
from scoring.verify.single import SINGLE

__all__ = ["PAIRS", "PROPERTIES", "SINGLE", "Report", "Violation", "improve", "run", "write_counterexample"]
