"""Where the shipped rulesets live (package data mapped from the top-level rulesets/ folder)."""

from __future__ import annotations

import os
from functools import cache
from importlib import resources


@cache
def shipped_dir() -> str:
    """The folder holding the shipped ``*.yaml`` rulesets."""
    return os.fspath(resources.files("scoring.rulesets"))
