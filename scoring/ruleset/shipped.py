"""Where the shipped rulesets live (package data mapped from the top-level rulesets/ folder)."""

from __future__ import annotations

from functools import cache

from scoring.data import package_folder


@cache
def shipped_dir() -> str:
    """The folder holding the shipped ``*.yaml`` rulesets."""
    return package_folder("scoring.rulesets")
