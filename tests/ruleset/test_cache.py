"""The ruleset cache: a hit skips parsing, checking and compiling; any change misses; damage is ignored."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import scoring.engine.evaluate as evaluate
import scoring.ruleset.load as load
from scoring.engine import durable_driver
from scoring.ruleset import cache
from scoring.ruleset.load import load_ruleset

VALID = Path(__file__).parent / "valid"


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("TIPSCORE_CACHE_DIR", raising=False)
    monkeypatch.delenv("TIPSCORE_NO_CACHE", raising=False)
    return tmp_path / "cache" / "tipscore"


@pytest.fixture
def ruleset(tmp_path: Path, cache_home: Path) -> Path:
    source = sorted(VALID.glob("*.yaml"))[0]
    target = tmp_path / source.name
    shutil.copy(source, target)
    return target


def _entries(cache_home: Path) -> list[Path]:
    folder = cache_home / "ruleset"
    return sorted(folder.glob("*.json")) if folder.exists() else []


def _work_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make parsing, checking and engine compilation raise, so a test sees whether they ran."""
    def boom(*args: object, **kwargs: object) -> None:
        raise AssertionError("the work ran")

    monkeypatch.setattr(load, "check_conditions", boom)
    monkeypatch.setattr(load, "read_source", boom)
    monkeypatch.setattr(evaluate, "compile_plan", boom)
    monkeypatch.setattr(durable_driver, "_Checker", boom)


def _forget_compiled(monkeypatch: pytest.MonkeyPatch) -> None:
    """A fresh process: nothing compiled in memory."""
    monkeypatch.setattr(evaluate, "_compiled", {})
    monkeypatch.setattr(evaluate, "_exported", {})
    monkeypatch.setattr(evaluate, "_programs", {})


def test_a_hit_skips_parsing_checking_and_the_driver_checks(ruleset: Path, cache_home: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    first = load_ruleset(str(ruleset))
    assert len(_entries(cache_home)) == 1
    _forget_compiled(monkeypatch)
    monkeypatch.setattr(load, "check_conditions", lambda *a, **k: pytest.fail("checked again"))
    monkeypatch.setattr(load, "read_source", lambda *a, **k: pytest.fail("parsed again"))
    monkeypatch.setattr(durable_driver, "_Checker", lambda *a, **k: pytest.fail("driver checks ran again"))
    again = load_ruleset(str(ruleset))
    assert repr(again) == repr(first) and again.digest == first.digest
    from scoring.engine.reference import evaluate as reference

    got, want = evaluate.evaluate(again, {}), reference(first, {})  # the restored engine answers
    assert (got.statuses, got.tables, got.outputs) == (want.statuses, want.tables, want.outputs)


def test_an_edited_ruleset_misses(ruleset: Path, cache_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    load_ruleset(str(ruleset))
    ruleset.write_text(ruleset.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    _work_fails(monkeypatch)
    with pytest.raises(AssertionError, match="the work ran"):
        load_ruleset(str(ruleset))


def test_an_edited_parent_misses(tmp_path: Path, cache_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shipped = Path(__file__).resolve().parents[2] / "rulesets"
    base = tmp_path / "tvpa-base.yaml"  # found next to the child before the shipped one
    shutil.copy(shipped / "tvpa-base.yaml", base)
    child = tmp_path / "child.yaml"
    shutil.copy(shipped / "tvpa-2001.yaml", child)
    assert load_ruleset(str(child)).extends == ("tvpa-base",)
    base.write_text(base.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    _forget_compiled(monkeypatch)
    monkeypatch.setattr(load, "check_conditions", lambda *a, **k: pytest.fail("the work ran"))
    with pytest.raises(pytest.fail.Exception, match="the work ran"):
        load_ruleset(str(child))


def test_new_tipscore_code_misses(ruleset: Path, cache_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    load_ruleset(str(ruleset))
    monkeypatch.setattr(cache, "code_digest", lambda: "another tipscore version")
    _work_fails(monkeypatch)
    with pytest.raises(AssertionError, match="the work ran"):
        load_ruleset(str(ruleset))


def test_the_code_digest_covers_every_module() -> None:
    root = Path(load.__file__).resolve().parents[1]
    digest = cache.code_digest()
    cache.code_digest.cache_clear()
    assert cache.code_digest() == digest
    assert len({p.name for p in root.rglob("*.py")}) > 20  # the walk sees the package, not one folder


@pytest.mark.parametrize("damage", [
    lambda text: text[: len(text) // 2],  # truncated
    lambda text: "\x00garbage",
    lambda text: text.replace("Where", "Wherever"),  # well-formed JSON, content changed: the seal breaks
    lambda text: json.dumps({**json.loads(text), "sha256": "0" * 64}),
])
def test_a_damaged_entry_is_ignored_and_rebuilt(ruleset: Path, cache_home: Path, monkeypatch: pytest.MonkeyPatch,
                                                damage) -> None:  # type: ignore[no-untyped-def]
    first = load_ruleset(str(ruleset))
    entry, = _entries(cache_home)
    text = entry.read_text(encoding="utf-8")
    assert damage(text) != text
    entry.write_text(damage(text), encoding="utf-8")
    _forget_compiled(monkeypatch)
    checks = []
    real = load.check_conditions
    monkeypatch.setattr(load, "check_conditions", lambda *a, **k: checks.append(1) or real(*a, **k))
    rebuilt = load_ruleset(str(ruleset))
    assert checks  # the damaged entry was not used
    assert repr(rebuilt) == repr(first)
    assert cache.read("ruleset", entry.stem) is not None  # rewritten whole
    assert json.loads(entry.read_text(encoding="utf-8"))["sha256"]


def test_a_sealed_entry_with_foreign_content_is_refused(ruleset: Path, cache_home: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Even a correctly sealed entry is read back only into ruleset classes, never anything else."""
    load_ruleset(str(ruleset))
    entry, = _entries(cache_home)
    data = cache.read("ruleset", entry.stem)
    data["ruleset"] = {"@": "os.system", "f": ["echo pwned"]}
    cache.write("ruleset", entry.stem, data)
    _forget_compiled(monkeypatch)
    assert load_ruleset(str(ruleset)).id  # rebuilt from the file
    assert cache.read("ruleset", entry.stem)["ruleset"]["@"] == "Ruleset"


def test_the_cache_can_be_turned_off(ruleset: Path, cache_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIPSCORE_NO_CACHE", "1")
    load_ruleset(str(ruleset))
    assert _entries(cache_home) == []
    _work_fails(monkeypatch)
    with pytest.raises(AssertionError, match="the work ran"):
        load_ruleset(str(ruleset))


def test_where_the_cache_lives(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TIPSCORE_NO_CACHE", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.delenv("TIPSCORE_CACHE_DIR", raising=False)
    assert cache.folder() == tmp_path / "home" / ".cache" / "tipscore"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")  # never the current folder
    assert cache.folder() == tmp_path / "home" / ".cache" / "tipscore"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.folder() == tmp_path / "xdg" / "tipscore"
    monkeypatch.setenv("TIPSCORE_CACHE_DIR", "relative")
    assert cache.folder() == tmp_path / "xdg" / "tipscore"
    monkeypatch.setenv("TIPSCORE_CACHE_DIR", str(tmp_path / "own"))
    assert cache.folder() == tmp_path / "own"


def test_an_unwritable_cache_only_costs_time(ruleset: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("TIPSCORE_CACHE_DIR", str(blocker))
    assert load_ruleset(str(ruleset)).id
    assert load_ruleset(str(ruleset)).id


def test_a_ruleset_with_warnings_is_not_remembered(cache_home: Path) -> None:
    warned = Path(__file__).parent / "invalid" / "never_fires.yaml"
    load_ruleset(str(warned))  # TS113 is a warning: it loads
    assert _entries(cache_home) == []


def test_validate_of_an_unchanged_clean_ruleset_takes_the_cache(ruleset: Path, cache_home: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """A clean check is stored; checking the same bytes again reads the cache, and an edit checks again."""
    first = load.checked_ruleset(str(ruleset))
    assert first.diagnostics == [] and len(_entries(cache_home)) == 1
    _forget_compiled(monkeypatch)
    monkeypatch.setattr(load, "check_conditions", lambda *a, **k: pytest.fail("checked again"))
    again = load.checked_ruleset(str(ruleset))
    assert (again.file, again.diagnostics, repr(again.ruleset)) == (first.file, [], repr(first.ruleset))
    ruleset.write_text(ruleset.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    with pytest.raises(pytest.fail.Exception, match="checked again"):
        load.checked_ruleset(str(ruleset))


def test_a_ruleset_with_warnings_is_checked_every_time(tmp_path: Path, cache_home: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Only a result with no diagnostic at all is stored: a warning is reported on every validate."""
    source = Path(__file__).parent / "invalid" / "criterion_unread.yaml"
    target = tmp_path / source.name
    shutil.copy(source, target)
    codes = [[d.code for d in load.checked_ruleset(str(target)).diagnostics] for _ in range(2)]
    assert codes == [["TS121"], ["TS121"]] and _entries(cache_home) == []


def test_content_that_passed_the_schema_is_not_schema_checked_again(ruleset: Path, cache_home: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Checking a ruleset reads its whole chain; the schema check is skipped for content that passed it
    before (the same data, whatever its path), and runs again on new content."""
    assert load.check_ruleset(str(ruleset)).diagnostics == []
    monkeypatch.setattr(load, "schema_diagnostics", lambda *a, **k: pytest.fail("schema-checked again"))
    copy = ruleset.with_name("elsewhere.yaml")
    copy.write_text(ruleset.read_text(encoding="utf-8") + "\n# a comment changes no content\n", encoding="utf-8")
    assert load.check_ruleset(str(copy)).diagnostics == []
    copy.write_text(ruleset.read_text(encoding="utf-8").replace("title: ", "title: Edited ", 1), encoding="utf-8")
    with pytest.raises(pytest.fail.Exception, match="schema-checked again"):
        load.check_ruleset(str(copy))


def test_content_with_schema_problems_is_checked_every_time(tmp_path: Path, cache_home: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    source = Path(__file__).parent / "invalid" / "schema_misspelled_key.yaml"
    calls = []
    real = load.schema_diagnostics
    monkeypatch.setattr(load, "schema_diagnostics", lambda *a, **k: calls.append(1) or real(*a, **k))
    codes = [[d.code for d in load.check_ruleset(str(source)).diagnostics] for _ in range(2)]
    assert codes == [["TS002"], ["TS002"]] and len(calls) == 2
