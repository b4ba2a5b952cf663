"""Every diagnostic code has a failure-named fixture that gives exactly that code at exactly that place.

The fixtures' header comments say what to expect (see tests/ruleset/fixtures.py). Each is
checked through ``check_ruleset`` and through the real CLI (exit 2 on errors, 0 on warnings
only, 1 on warnings with ``--strict``, never a traceback).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scoring.ruleset.diagnostics import CODES
from scoring.ruleset.load import check_ruleset
from scoring.ruleset.registry import coverage_diagnostics, read_entry
from tests.ruleset import docgen
from tests.ruleset.fixtures import (
    DOC,
    HERE,
    INVALID,
    UNREACHABLE,
    VALID,
    Expected,
    Fixture,
    catalog_fixtures,
    invalid_fixtures,
    rel,
    run_cli,
)

FIXTURES = invalid_fixtures()
CATALOG_FIXTURES = catalog_fixtures()
SINGLE = [f for f in FIXTURES if f.pair is None and not f.engine]
PAIRS = sorted({tuple(sorted((f.name, f.pair))) for f in FIXTURES if f.pair})
ENGINE = [f for f in FIXTURES if f.engine]
LINE = re.compile(r"^(?P<place>\S+?): (?P<code>TS\d{3}) \S", re.M)


def _ids(fixtures: list[Fixture]) -> list[str]:
    return [f.path.stem for f in fixtures]


def _found(diagnostics: list) -> list[Expected]:
    return sorted(Expected(d.code, Path(d.file).name, d.line, d.col) for d in diagnostics)


def _expected_exit(codes: set[str]) -> tuple[int, int]:
    """(exit code, exit code with --strict) for a run that reports these codes."""
    if any(CODES[c][0] == "error" for c in codes):
        return 2, 2
    return 0, (1 if codes else 0)


def _assert_clean_output(result) -> None:
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output


# --- the fixtures themselves ------------------------------------------------------------


@pytest.mark.parametrize("fixture", FIXTURES, ids=_ids(FIXTURES))
def test_fixture_header(fixture: Fixture) -> None:
    assert fixture.description, f"{fixture.name}: start with a comment saying what it demonstrates"
    assert fixture.codes or fixture.pair, f"{fixture.name}: no '# expect:' line"
    assert fixture.codes <= set(CODES), fixture.codes - set(CODES)
    if fixture.pair:
        assert (INVALID / fixture.pair).is_file(), fixture.pair


def test_every_code_has_a_fixture_or_a_reason() -> None:
    covered = set().union(*(f.codes for f in FIXTURES + CATALOG_FIXTURES))
    missing = set(CODES) - covered - set(UNREACHABLE)
    assert not missing, f"no fixture in tests/ruleset/invalid/ for {sorted(missing)}"
    assert set(UNREACHABLE) <= set(CODES)
    assert all(reason.strip() for reason in UNREACHABLE.values())


def test_every_code_has_a_section_in_the_docs() -> None:
    text = DOC.read_text("utf-8")
    for code, (_, name) in CODES.items():
        assert re.search(rf"^## {code} \S", text, re.M), f"docs/diagnostics.md has no '## {code} ...' section ({name})"


def test_docs_examples_are_current() -> None:
    """The fixture excerpts and outputs in docs/diagnostics.md are what the checker gives today."""
    text = DOC.read_text("utf-8")
    assert docgen.refresh(text) == text, "run: .venv/bin/python -m tests.ruleset.docgen  (regenerates the examples)"


# --- one fixture at a time ------------------------------------------------------------


@pytest.mark.parametrize("fixture", SINGLE, ids=_ids(SINGLE))
def test_check_ruleset_gives_exactly_the_expected_diagnostics(fixture: Fixture) -> None:
    checked = check_ruleset(str(fixture.path))
    assert _found(checked.diagnostics) == sorted(fixture.expected), "\n".join(map(str, checked.diagnostics))
    for d in checked.diagnostics:
        assert d.file and d.message.strip() and d.code in CODES
    has_errors = any(CODES[e.code][0] == "error" for e in fixture.expected)
    assert (checked.ruleset is None) == has_errors


@pytest.mark.parametrize("fixture", SINGLE, ids=_ids(SINGLE))
def test_cli_validate(fixture: Fixture) -> None:
    exit_code, strict_code = _expected_exit(fixture.codes)
    result = run_cli("validate", rel(fixture.path))
    _assert_clean_output(result)
    assert result.returncode == exit_code, result.stderr
    printed = sorted((m["code"], m["place"]) for m in LINE.finditer(result.stderr))
    wanted = sorted((e.code, f"{rel(INVALID / e.file)}:{e.line}:{e.col}" if e.line else rel(INVALID / e.file))
                    for e in fixture.expected)
    assert printed == wanted, result.stderr
    if exit_code == 0:
        strict = run_cli("validate", "--strict", rel(fixture.path))
        _assert_clean_output(strict)
        assert strict.returncode == strict_code, strict.stderr


# --- fixtures validated together (report-year coverage) ------------------------------------


@pytest.mark.parametrize("pair", PAIRS, ids=["+".join(p) for p in PAIRS])
def test_coverage_pair(pair: tuple[str, str]) -> None:
    fixtures = [f for f in FIXTURES if f.name in pair]
    expected = sorted(e for f in fixtures for e in f.expected)
    for f in fixtures:
        assert check_ruleset(str(f.path)).diagnostics == [], f"{f.name} alone should be clean"
    entries = [read_entry(str(INVALID / name)) for name in pair]
    assert None not in entries
    found = coverage_diagnostics(entries)  # type: ignore[arg-type]
    assert _found(found) == expected
    assert all(d.file and d.message for d in found)

    codes = {e.code for e in expected}
    exit_code, strict_code = _expected_exit(codes)
    result = run_cli("validate", *(rel(INVALID / name) for name in pair))
    _assert_clean_output(result)
    assert result.returncode == exit_code, result.stderr
    assert sorted(m["code"] for m in LINE.finditer(result.stderr)) == sorted(e.code for e in expected)
    strict = run_cli("validate", "--strict", *(rel(INVALID / name) for name in pair))
    assert strict.returncode == strict_code, strict.stderr


# --- conflicts among the shipped rulesets and a user's folder (TS114, TS124, TS125) ---------


@pytest.mark.parametrize("fixture", CATALOG_FIXTURES, ids=[f.path.parent.name for f in CATALOG_FIXTURES])
def test_catalog_conflict(fixture: Fixture) -> None:
    from scoring.ruleset.registry import catalog

    folder = fixture.path.parent
    found = catalog((str(folder),)).diagnostics
    assert _found(found) == sorted(fixture.expected), "\n".join(map(str, found))
    result = run_cli("validate", "--rulesets", rel(folder), rel(fixture.path))
    _assert_clean_output(result)
    assert result.returncode == 2, result.stderr
    printed = sorted((m["code"], m["place"]) for m in LINE.finditer(result.stderr))
    assert printed == sorted((e.code, f"{rel(folder / e.file)}:{e.line}:{e.col}") for e in fixture.expected)


@pytest.mark.parametrize("fixture", CATALOG_FIXTURES, ids=[f.path.parent.name for f in CATALOG_FIXTURES])
def test_catalog_conflict_stops_every_command_in_one_line(fixture: Fixture) -> None:
    """score (or any command using the folder) refuses: exit 2, one line per conflict, no traceback."""
    folder = fixture.path.parent
    result = run_cli("score", "fixtures/mali/2015.yaml", "--rulesets", rel(folder))
    _assert_clean_output(result)
    assert result.returncode == 2 and not result.stdout
    lines = result.stderr.splitlines()
    assert len(lines) == len(fixture.expected), result.stderr
    assert all(line.startswith(f"{rel(folder)}/") and " TS1" in line for line in lines), result.stderr


# --- diagnostics the engine raises (TS118) ------------------------------------------------


def test_engine_unsafe_ruleset_is_refused_before_scoring() -> None:
    """TS118 comes from compiling for durable-rules; validate and score both refuse the file."""
    path = INVALID / "engine_unsafe.yaml"
    checked = check_ruleset(str(path))
    assert checked.ruleset is None and [d.code for d in checked.diagnostics] == ["TS118"]
    document = HERE / "efforts_unknown.yaml"  # everything unknown: only the compile step matters
    result = run_cli("score", rel(document), "--ruleset", rel(path))
    _assert_clean_output(result)
    assert result.returncode == 2, result.stderr
    assert "TS118" in result.stderr


# --- valid rulesets -----------------------------------------------------------------------

VALID_FILES = sorted(VALID.glob("*.yaml"))


@pytest.mark.parametrize("path", VALID_FILES, ids=[p.stem for p in VALID_FILES])
def test_valid_ruleset_has_no_diagnostics(path: Path) -> None:
    checked = check_ruleset(str(path))
    assert checked.diagnostics == [], "\n".join(map(str, checked.diagnostics))
    assert checked.ruleset is not None
    result = run_cli("validate", "--strict", rel(path))
    _assert_clean_output(result)
    assert result.returncode == 0 and not result.stderr, result.stderr


def test_every_condition_form_is_used() -> None:
    from scoring.ruleset import ast
    from scoring.ruleset.walk import leaves

    ruleset = check_ruleset(str(VALID / "every_condition.yaml")).ruleset
    assert ruleset is not None
    conditions = [n.when for n in (*ruleset.criteria, *ruleset.determinations)]
    conditions += [row.when for t in ruleset.tables for row in t.rows]
    seen: set[str] = set()
    stack = list(conditions)
    while stack:
        node = stack.pop()
        seen.add(type(node).__name__)
        if isinstance(node, (ast.All, ast.Any_)):
            stack.extend(node.items)
        elif isinstance(node, ast.Not):
            stack.append(node.item)
    compares = [leaf for c in conditions for leaf in leaves(c) if isinstance(leaf, ast.Compare)]
    assert {"All", "Any_", "Not", "Always", "Known", "Met", "StatusIn", "AtLeast", "Score", "OutputIn", "Compare"} <= seen
    assert {c.op for c in compares} == {"==", "!=", ">", ">=", "<", "<=", "in"}
    assert any(isinstance(c.value, ast.FactRef) for c in compares)
    assert [(c.param, c.value) for c in compares if c.param] == [("penalty_floor_years", 4)]
    assert {leaf.negate for c in conditions for leaf in leaves(c) if isinstance(leaf, ast.Known)} == {True, False}
    assert {leaf.op for c in conditions for leaf in leaves(c) if isinstance(leaf, ast.Score)} == {">=", ">", "<=", "<"}
