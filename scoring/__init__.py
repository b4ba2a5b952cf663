"""tipscore: score governments' anti-trafficking efforts against the TVPA.

The public API is small; the CLI is a thin layer over it.
"""

from scoring.efforts.model import EffortsDocument
from scoring.efforts.validate import load_efforts
from scoring.errors import EngineError, InputError, InputErrors, TipscoreError

__all__ = ["EffortsDocument", "EngineError", "InputError", "InputErrors", "TipscoreError", "load_efforts"]
