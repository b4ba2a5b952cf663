"""The ruleset language: parse, check and resolve declarative YAML rulesets."""
