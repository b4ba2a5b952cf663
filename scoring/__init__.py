"""tipscore: score governments' anti-trafficking efforts against the TVPA.

The public API is small; the CLI is a thin layer over it::

    import scoring
    outcome = scoring.score("fixtures/mali/2015.yaml")
"""

from scoring.api import evaluate, load_ruleset, ruleset_for, score
from scoring.efforts.model import EffortsDocument
from scoring.efforts.validate import load_efforts
from scoring.errors import EngineError, InputError, InputErrors, TipscoreError
from scoring.outcome import Outcome

__all__ = [
    "EffortsDocument", "EngineError", "InputError", "InputErrors", "Outcome", "TipscoreError",
    "evaluate", "load_efforts", "load_ruleset", "ruleset_for", "score",
]
