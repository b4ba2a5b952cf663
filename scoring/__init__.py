"""tipscore: score governments' anti-trafficking efforts against the TVPA.

The public API is small; the CLI is a thin layer over it::

    import scoring
    outcome = scoring.score("fixtures/mali/2015.yaml")

The names below are imported on first use (PEP 562), so that importing one
submodule (the CLI, the engine driver) does not pay for pydantic and the
whole pipeline at start-up.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

_HOME = {
    "evaluate": "scoring.api", "load_ruleset": "scoring.api", "ruleset_for": "scoring.api", "score": "scoring.api",
    "EffortsDocument": "scoring.efforts.model", "load_efforts": "scoring.efforts.validate",
    "EngineError": "scoring.errors", "InputError": "scoring.errors", "InputErrors": "scoring.errors",
    "TipscoreError": "scoring.errors", "Outcome": "scoring.outcome",
}

__all__ = [
    "EffortsDocument", "EngineError", "InputError", "InputErrors", "Outcome", "TipscoreError",
    "evaluate", "load_efforts", "load_ruleset", "ruleset_for", "score",
]

if TYPE_CHECKING:
    from scoring.api import evaluate, load_ruleset, ruleset_for, score
    from scoring.efforts.model import EffortsDocument
    from scoring.efforts.validate import load_efforts
    from scoring.errors import EngineError, InputError, InputErrors, TipscoreError
    from scoring.outcome import Outcome


def __getattr__(name: str) -> Any:
    if name in _HOME:
        value = getattr(import_module(_HOME[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'scoring' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
