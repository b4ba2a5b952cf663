"""Ruleset files are data: they never run code, never exhaust memory, never reach outside the search path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from scoring.ruleset.diagnostics import CODES
from scoring.ruleset.load import check_ruleset
from tests.ruleset.fixtures import run_cli

TIER_TABLE = """\
tables:
  - id: tier
    title: Tier placement
    citation: {section: 22 U.S.C. 7107(b), enacted_by: TVPA 2000 §110}
    hit_policy: first
    outputs: {tier: ["2", "3"]}
    rows:
      - {when: {met: convicts}, then: {tier: "2"}}
      - {when: {always: true}, then: {tier: "3"}}
"""


def ruleset_text(ruleset_id: str = "probe", extra: str = "", when: str = '{fact: prosecution.convictions, ">": 0}',
                 tables: str = TIER_TABLE) -> str:
    return f"""\
ruleset: {ruleset_id}
title: Probe
version: "1"
report_years: {{first: 2001}}
{extra}criteria:
  - id: convicts
    title: Convicts traffickers
    citation: {{section: 22 U.S.C. 7106(b)(1), enacted_by: TVPA 2000 §108}}
    pillar: prosecution
    weight: 1
    when: {when}
{tables}"""


def only(checked, code: str) -> str:
    """The single diagnostic's message, asserting its code."""
    assert checked.ruleset is None
    assert [d.code for d in checked.diagnostics] == [code], "\n".join(map(str, checked.diagnostics))
    return checked.diagnostics[0].message


def test_probe_ruleset_is_valid(tmp_path: Path) -> None:
    (tmp_path / "probe.yaml").write_text(ruleset_text(), "utf-8")
    checked = check_ruleset(str(tmp_path / "probe.yaml"))
    assert checked.diagnostics == [] and checked.ruleset is not None


# --- no code execution ------------------------------------------------------------------------

PYTHON_TAGS = [
    "!!python/object/apply:os.system ['touch {marker}']",
    "!!python/object/apply:os.system\n      args: ['touch {marker}']",
    "!!python/object/new:os.system ['touch {marker}']",
    "!!python/object/apply:subprocess.check_output [['touch', '{marker}']]",
    "!!python/name:os.system",
    "!!python/module:os",
    "!python/object/apply:os.system ['touch {marker}']",
    "!<tag:yaml.org,2002:python/object/apply:os.system> ['touch {marker}']",
]


@pytest.mark.parametrize("tagged", PYTHON_TAGS)
def test_python_tags_are_refused_and_never_run(tmp_path: Path, tagged: str) -> None:
    marker = tmp_path / "executed"
    path = tmp_path / "evil.yaml"
    path.write_text(ruleset_text(extra=f"description: {tagged.format(marker=marker)}\n"), "utf-8")
    message = only(check_ruleset(str(path)), "TS001")
    assert "tag" in message and "\n" not in message, message
    assert not marker.exists(), "the ruleset ran a command"
    result = run_cli("validate", str(path))
    assert result.returncode == 2 and "TS001" in result.stderr and "Traceback" not in result.stderr
    assert not marker.exists()


@pytest.mark.parametrize("tagged", ["!!binary aGVsbG8=", "!!set {a: null}", "!!omap [{a: 1}]", "!!float .inf", "!custom x"])
def test_other_tags_and_values_are_refused(tmp_path: Path, tagged: str) -> None:
    path = tmp_path / "tagged.yaml"
    path.write_text(ruleset_text(extra=f"description: {tagged}\n"), "utf-8")
    only(check_ruleset(str(path)), "TS001")


# --- no resource exhaustion --------------------------------------------------------------------


def test_alias_bomb_is_refused_before_any_alias_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for prev, name in zip("abcdefghi", "bcdefghij"):
        lines.append(f"{name}: &{name} [{', '.join([f'*{prev}'] * 10)}]")
    path = tmp_path / "bomb.yaml"
    path.write_text(ruleset_text(extra="\n".join(lines).replace("a: &a", "x_a: &a", 1) + "\n"), "utf-8")
    consumed: list[object] = []
    real_parse = yaml.parse

    def counting_parse(*args, **kwargs):  # type: ignore[no-untyped-def]
        for event in real_parse(*args, **kwargs):
            consumed.append(event)
            yield event

    monkeypatch.setattr(yaml, "parse", counting_parse)
    checked = check_ruleset(str(path))
    # refused at the first anchor, from the event stream: nothing after it is read, no alias is
    # ever resolved, so the billion "lol"s are never built (no timing needed to show it)
    assert consumed and getattr(consumed[-1], "anchor", None) == "a"
    assert not any(isinstance(event, yaml.AliasEvent) for event in consumed)
    message = only(checked, "TS001")
    assert message == "YAML anchors and aliases are not allowed"
    assert checked.diagnostics[0].line == 5  # the first anchor


def test_merge_keys_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "merge.yaml"
    path.write_text(ruleset_text(extra="parameters: {<<: {waiver_cap: 2}}\n"), "utf-8")
    assert "merge" in only(check_ruleset(str(path)), "TS001")


@pytest.mark.parametrize("style", ["flow", "block", "json"])
def test_200_deep_nesting_is_refused(tmp_path: Path, style: str) -> None:
    if style == "json":
        condition: dict = {"fact": "prosecution.convictions", ">": 0}
        for _ in range(200):
            condition = {"not": condition}
        path = tmp_path / "deep.json"
        path.write_text(json.dumps({"ruleset": "deep", "title": "Deep", "version": "1",
                                    "report_years": {"first": 2001}, "determinations": [
                                        {"id": "d", "title": "d", "citation": {"section": "abc", "enacted_by": "abc"},
                                         "when": condition}]}), "utf-8")
    else:
        when = '{fact: prosecution.convictions, ">": 0}'
        if style == "flow":
            for _ in range(200):
                when = "{not: " + when + "}"
        else:
            when = "\n" + "".join(f"{'  ' * (i + 3)}not:\n" for i in range(200)) + f"{'  ' * 203}{{fact: prosecution.convictions, \">\": 0}}"
        path = tmp_path / "deep.yaml"
        path.write_text(ruleset_text(when=when), "utf-8")
    message = only(check_ruleset(str(path)), "TS001")
    assert "nesting is too deep" in message and "64" in message  # tipscore's own limit, not the parser's


def test_nesting_just_under_the_limit_is_checked_without_recursion_errors(tmp_path: Path) -> None:
    for depth, bad in ((58, False), (58, True)):
        inner = '{fact: prosecution.convictions, "~": 0}' if bad else '{fact: prosecution.convictions, ">": 0}'
        when = inner
        for _ in range(depth):
            when = "{not: " + when + "}"
        path = tmp_path / f"deep{bad}.yaml"
        path.write_text(ruleset_text(when=when), "utf-8")
        checked = check_ruleset(str(path))
        assert [d.code for d in checked.diagnostics] == (["TS003"] if bad else [])


def test_3mb_file_is_refused_before_parsing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "huge.yaml"
    filler = "# " + "x" * 1000 + "\n"
    path.write_text(ruleset_text() + filler * 3100, "utf-8")
    assert path.stat().st_size > 3_000_000
    monkeypatch.setattr(yaml, "parse", lambda *a, **k: pytest.fail("the file was parsed"))
    message = only(check_ruleset(str(path)), "TS001")
    assert "limit" in message and "bytes" in message


@pytest.mark.parametrize("content", [b"ruleset: x\x00\n", b"ruleset: \xff\xfe\n", b"", b"   \n"])
def test_binary_and_empty_files_are_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "odd.yaml"
    path.write_bytes(content)
    only(check_ruleset(str(path)), "TS001")


def test_two_documents_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "two.yaml"
    path.write_text(ruleset_text() + "---\n" + ruleset_text(), "utf-8")
    only(check_ruleset(str(path)), "TS001")


@pytest.mark.parametrize("number", ["9" * 5000, "0x" + "f" * 5000, "99999999999999999999"])
def test_huge_integers_are_refused_not_crashed_on(tmp_path: Path, number: str) -> None:
    path = tmp_path / "huge_int.yaml"
    path.write_text(ruleset_text(when=f'{{fact: prosecution.convictions, ">": {number}}}'), "utf-8")
    checked = check_ruleset(str(path))
    assert checked.ruleset is None
    assert [d.code for d in checked.diagnostics] in (["TS001"], ["TS002"])


# --- extends stays on the search path ----------------------------------------------------------


@pytest.mark.parametrize("target", ["/etc/passwd", "../rulesets/tvpa-base", "../../etc/passwd", "./base",
                                    "sub/base", "base/../base", "C:\\base", "~/base", "BASE", ".base", ""])
def test_extends_is_an_id_not_a_path(tmp_path: Path, target: str) -> None:
    (tmp_path / "base.yaml").write_text(ruleset_text("base", "abstract: true\n"), "utf-8")
    path = tmp_path / "child.yaml"
    path.write_text(ruleset_text("child", f"extends: {json.dumps(target)}\n"), "utf-8")
    checked = check_ruleset(str(path))
    assert [d.code for d in checked.diagnostics] == ["TS002"], "\n".join(map(str, checked.diagnostics))
    assert checked.diagnostics[0].line == 5  # the extends line


def test_extends_with_a_file_name_does_not_read_the_working_directory(tmp_path: Path, monkeypatch) -> None:
    cwd, folder = tmp_path / "cwd", tmp_path / "rules"
    cwd.mkdir()
    folder.mkdir()
    (cwd / "base.yaml").write_text(ruleset_text("base", "abstract: true\n"), "utf-8")
    (folder / "child.yaml").write_text(ruleset_text("child", "extends: base.yaml\n"), "utf-8")
    monkeypatch.chdir(cwd)
    checked = check_ruleset(str(folder / "child.yaml"))
    assert [d.code for d in checked.diagnostics] == ["TS107"]


def test_extends_resolves_next_to_the_file_then_on_the_search_path(tmp_path: Path, monkeypatch) -> None:
    here, elsewhere, cwd = tmp_path / "here", tmp_path / "elsewhere", tmp_path / "cwd"
    for folder in (here, elsewhere, cwd):
        folder.mkdir()
    base = ruleset_text("base", "abstract: true\n", tables="").replace("convicts", "prosecutes")
    (elsewhere / "base.yaml").write_text(base, "utf-8")
    reads_both = TIER_TABLE.replace("{met: convicts}", "{all: [{met: convicts}, {met: prosecutes}]}")
    (here / "child.yaml").write_text(ruleset_text("child", "extends: base\n", tables=reads_both), "utf-8")
    (cwd / "base.yaml").write_text("this would not even parse: [", "utf-8")
    monkeypatch.chdir(cwd)
    assert [d.code for d in check_ruleset(str(here / "child.yaml")).diagnostics] == ["TS107"]
    checked = check_ruleset(str(here / "child.yaml"), search_path=[str(elsewhere)])
    assert checked.diagnostics == [] and checked.ruleset is not None
    assert checked.ruleset.extends == ("base",)
    assert {c.id for c in checked.ruleset.criteria} == {"convicts", "prosecutes"}


def test_safety_codes_are_errors() -> None:
    assert CODES["TS001"][0] == "error" and CODES["TS002"][0] == "error"
