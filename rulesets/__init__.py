"""Shipped rulesets (package data): one per statutory era."""
