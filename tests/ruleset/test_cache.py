"""The cache of passed checks: a hit skips the checks, any change to the files re-runs them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import scoring.ruleset.load as load
from scoring.ruleset.load import load_ruleset

VALID = Path(__file__).parent / "valid"


@pytest.fixture
def ruleset(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("TIPSCORE_NO_CACHE", raising=False)
    source = sorted(VALID.glob("*.yaml"))[0]
    target = tmp_path / source.name
    shutil.copy(source, target)
    return target


def _markers(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "cache" / "tipscore" / "checked"
    return sorted(folder.iterdir()) if folder.exists() else []


def _checks_fail(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise AssertionError("the checks ran")

    monkeypatch.setattr(load, "check_conditions", boom)


def test_a_passed_ruleset_is_not_checked_again(ruleset: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = load_ruleset(str(ruleset))
    assert len(_markers(tmp_path)) == 1  # only a hash is stored
    _checks_fail(monkeypatch)
    assert load_ruleset(str(ruleset)).digest == first.digest


def test_a_changed_file_is_checked_again(ruleset: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    load_ruleset(str(ruleset))
    ruleset.write_text(ruleset.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    _checks_fail(monkeypatch)
    with pytest.raises(AssertionError, match="the checks ran"):
        load_ruleset(str(ruleset))


def test_the_cache_can_be_turned_off(ruleset: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIPSCORE_NO_CACHE", "1")
    load_ruleset(str(ruleset))
    assert _markers(tmp_path) == []
    _checks_fail(monkeypatch)
    with pytest.raises(AssertionError, match="the checks ran"):
        load_ruleset(str(ruleset))


def test_a_ruleset_with_warnings_is_not_remembered(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("TIPSCORE_NO_CACHE", raising=False)
    warned = Path(__file__).parent / "invalid" / "never_fires.yaml"
    load_ruleset(str(warned))  # TS113 is a warning: it loads
    assert _markers(tmp_path) == []
