"""Bad input through the real entry point (``python -m scoring``), as a user or a CI job meets it.

Every case must fail cleanly: exit 2 (``batch`` with some bad documents: exit 1, the good ones
still scored), one ``file: ...`` line per problem on stderr naming the file, no traceback, no
typer/rich error panel, and never a half-written or clobbered output file.
"""

from __future__ import annotations

import copy
import csv
import json
import os
import random
import re
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.cli.support import (
    ROOT,
    assert_clean_stderr,
    assert_fails_cleanly,
    document,
    dump,
    env,
    lines_naming,
    run,
    write_documents,
)

MALI = ROOT / "fixtures" / "mali" / "2015.yaml"
TEN_MB = 10 * 1024 * 1024
DEPTH = 10_000


# --- bad documents -------------------------------------------------------------------------------

def _good_yaml(tmp: Path) -> str:
    return dump(document(1), tmp / "scratch.yaml").read_text("utf-8")


def _tabs(tmp: Path) -> str:
    text = _good_yaml(tmp)
    return re.sub(r"(?m)^( +)", lambda m: "\t" * (len(m.group(1)) // 2 or 1), text)


def _duplicate_nested(tmp: Path) -> str:
    return "country: Mali\niso3: MLI\nreport_year: 2015\nprosecution:\n  investigations: 1\n  convictions: 0\n  investigations: 2\n"


def _alias_bomb(tmp: Path) -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [{', '.join(['*' + prev] * 9)}]")
    return "\n".join(lines) + "\n"


def _big_yaml(tmp: Path) -> str:
    text = _good_yaml(tmp)
    padding = "# " + "x" * 1022 + "\n"
    return text + padding * (TEN_MB // len(padding) + 1)


def _big_json(tmp: Path) -> str:
    data = document(2)
    data["country"] = "x" * TEN_MB
    return json.dumps(data)


# (case id, file name, content: str | bytes | None (not created) | "DIR", what the message says)
BAD_DOCUMENTS: list[tuple[str, str, Callable[[Path], Any], str]] = [
    ("nonexistent", "missing.yaml", lambda t: None, "no such file"),
    ("directory", "folder.yaml", lambda t: "DIR", "is a directory"),
    ("empty", "empty.yaml", lambda t: b"", "empty"),
    ("blank", "blank.yaml", lambda t: "\n   \n\n", "empty"),
    ("binary", "garbage.yaml", lambda t: random.Random(5).randbytes(4096) + b"\0\0\xff", "binary"),
    ("not-utf8", "latin1.yaml", lambda t: "country: Côte d'Ivoire\n".encode("latin-1"), "UTF-8"),
    ("truncated-json", "truncated.json", lambda t: json.dumps(document(3))[:700], "invalid JSON"),
    ("yaml-tabs", "tabs.yaml", _tabs, "invalid YAML"),
    ("duplicate-key", "duplicate.yaml", lambda t: "country: Mali\ncountry: Mali\niso3: MLI\nreport_year: 2015\n",
     "duplicate key 'country'"),
    ("duplicate-nested-key", "duplicate-nested.yaml", _duplicate_nested, "duplicate key 'investigations'"),
    ("duplicate-key-json", "duplicate.json", lambda t: '{"country": "Mali", "country": "Mali"}', "duplicate key"),
    ("alias-bomb", "laughs.yaml", _alias_bomb, "anchors and aliases are not allowed"),
    ("10mb-yaml", "huge.yaml", _big_yaml, "the limit is"),
    ("10mb-json", "huge.json", _big_json, "the limit is"),
    ("deep-yaml-mapping", "deep-map.yaml", lambda t: "a: " + "{a: " * DEPTH + "1" + "}" * DEPTH + "\n",
     "nesting is too deep"),
    ("deep-yaml-flow-list", "deep-list.yaml", lambda t: "[" * DEPTH + "]" * DEPTH + "\n", "nesting is too deep"),
    ("deep-yaml-block-list", "deep-block.yaml", lambda t: "- " * DEPTH + "1\n", "nesting is too deep"),
    ("deep-json-object", "deep-map.json", lambda t: '{"a": ' * DEPTH + "1" + "}" * DEPTH, "nesting is too deep"),
    ("deep-json-array", "deep-list.json", lambda t: "[" * DEPTH + "]" * DEPTH, "nesting is too deep"),
    ("top-level-list", "list.yaml", lambda t: "- country: Mali\n- iso3: MLI\n", "expected a mapping"),
    ("two-documents", "two.yaml", lambda t: "country: Mali\n---\ncountry: Niger\n", "single YAML document"),
    ("python-tag", "tag.yaml", lambda t: "country: !!python/object/apply:os.system ['echo owned']\n", "not allowed"),
    ("json-nan", "nan.json", lambda t: '{"country": "Mali", "report_year": NaN}', "finite"),
]
BAD_IDS = [case[0] for case in BAD_DOCUMENTS]


def make_bad(tmp: Path, case_id: str) -> tuple[str, str]:
    """Create the case's file in ``tmp``; (its name, the expected message fragment)."""
    _, name, content, fragment = next(c for c in BAD_DOCUMENTS if c[0] == case_id)
    data = content(tmp)
    path = tmp / name
    if data == "DIR":
        path.mkdir()
    elif isinstance(data, bytes):
        path.write_bytes(data)
    elif data is not None:
        path.write_text(data, "utf-8")
    (tmp / "scratch.yaml").unlink(missing_ok=True)
    return name, fragment


@pytest.mark.parametrize("case_id", BAD_IDS)
def test_score_refuses_bad_document(tmp_path: Path, case_id: str) -> None:
    name, fragment = make_bad(tmp_path, case_id)
    result = run("score", name, cwd=tmp_path)
    assert_fails_cleanly(result, name, fragment)
    assert result.stdout == ""


def test_check_reports_every_bad_document_and_passes_the_good_one(tmp_path: Path) -> None:
    names = {case_id: make_bad(tmp_path, case_id) for case_id in BAD_IDS}
    dump(document(0), tmp_path / "good.yaml")
    result = run("check", "good.yaml", *(name for name, _ in names.values()), cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert_clean_stderr(result.stderr)
    assert result.stdout.startswith("good.yaml: ok (Synthetic, ")
    for name, fragment in names.values():
        named = lines_naming(result.stderr, name)
        assert named and any(fragment in line for line in named), (name, result.stderr)


def test_batch_scores_the_good_documents_and_reports_each_bad_one(tmp_path: Path) -> None:
    names = {case_id: make_bad(tmp_path, case_id) for case_id in BAD_IDS if case_id != "directory"}
    good = [p.name for p in write_documents(tmp_path, 3)]
    bad = [name for name, _ in names.values()]
    result = run("batch", *good, *bad, "--out", "out.csv", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert_clean_stderr(result.stderr)
    for name, fragment in names.values():
        named = lines_naming(result.stderr, name)
        assert len(named) == 1 and fragment in named[0], (name, named)
        assert not named[0].startswith(f"{name}: {name}:"), named  # the name is not repeated
    assert f"out.csv: 3 scored, {len(bad)} failed" in result.stderr
    rows = {row["file"]: row for row in csv.DictReader((tmp_path / "out.csv").open(encoding="utf-8"))}
    assert sorted(rows) == sorted(good + bad)
    for name in good:
        assert rows[name]["error"] == "" and rows[name]["tier"] in ("1", "2", "2WL", "3", "special", "")
        assert rows[name]["ruleset"].startswith("tvpa-")
    for name in bad:
        assert rows[name]["error"] and rows[name]["country"] == ""


def test_batch_expands_a_directory_and_reports_bad_documents_inside_it(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    write_documents(folder / "nested", 2, ".json")
    (folder / "empty.yaml").write_text("")
    (folder / "notes.txt").write_text("not a document")  # not picked up from a folder
    (tmp_path / "empty-folder").mkdir()
    result = run("batch", "docs", "empty-folder", "--out", "out.jsonl", cwd=tmp_path)
    assert result.returncode == 1
    assert_clean_stderr(result.stderr)
    records = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text("utf-8").splitlines()]
    files = [r["file"] for r in records]
    assert files == sorted(files) and len(files) == 3
    assert [r for r in records if "error" in r] == [
        {"file": os.path.join("docs", "empty.yaml"), "error": lines_naming(result.stderr, "docs/empty.yaml")[0]}]


# --- wrong types in every section ----------------------------------------------------------------

# section -> (replacement of top-level keys, field paths the errors must name)
WRONG_TYPES: dict[str, tuple[dict[str, Any], list[str]]] = {
    "identity": ({"country": ["Mali"], "iso3": 12, "report_year": "soon"}, ["country", "iso3", "report_year"]),
    "tier_history": ({"tier_history": [{"report_year": "last year", "tier": 7}]},
                     ["tier_history[0].report_year", "tier_history[0].tier"]),
    "prosecution": ({"prosecution": "many"}, ["prosecution"]),
    "prosecution.law": ({"prosecution": {"investigations": 3, "law": ["Penal Code art. 1"]}}, ["prosecution.law"]),
    "protection": ({"protection": {"victims_identified": "48"}}, ["protection.victims_identified"]),
    "prevention": ({"prevention": {"action_plan_adopted": 1}}, ["prevention.action_plan_adopted"]),
    "partnership": ({"partnership": {"agreements_signed": 2.5}}, ["partnership.agreements_signed"]),
    "context": ({"context": True}, ["context"]),
    "waiver": ({"waiver": {"written_plan": {"value": "yes"}}}, ["waiver.written_plan.value"]),
    "sources": ({"sources": {"id": "tip-2015"}}, ["sources"]),
}
NEGATIVE_COUNTS: dict[str, tuple[dict[str, Any], list[str]]] = {
    "bare": ({"prosecution": {"investigations": -3}}, ["prosecution.investigations"]),
    "value": ({"protection": {"victims_identified": {"value": -1, "previous": 4}}},
              ["protection.victims_identified.value"]),
    "previous": ({"partnership": {"agreements_signed": {"value": 2, "previous": -2}}},
                 ["partnership.agreements_signed.previous"]),
}


def _patched(patch: dict[str, Any]) -> dict[str, Any]:
    data = copy.deepcopy(document(11))
    data.update(patch)
    return data


def _assert_field_errors(result: subprocess.CompletedProcess[str], path: Path, fields: list[str],
                         expected: str) -> None:
    named = assert_fails_cleanly(result, path.name, expected)
    text_lines = path.read_text("utf-8").splitlines()
    for field in fields:
        if path.suffix == ".json":  # JSON has no line numbers: file: field: message
            assert any(line.startswith(f"{path.name}: {field}: expected") for line in named), (field, named)
            continue
        found = [m for line in named if (m := re.match(rf"{re.escape(path.name)}:(\d+):(\d+): {re.escape(field)}: "
                                                        rf"expected", line))]
        assert found, (field, named)
        key = [part for part in re.split(r"[.\[\]]", field) if part and not part.isdigit()][-1]
        assert key in text_lines[int(found[0].group(1)) - 1], (field, found[0].group(0))


@pytest.mark.parametrize("section", list(WRONG_TYPES))
def test_wrong_types_in_each_section(tmp_path: Path, section: str) -> None:
    patch, fields = WRONG_TYPES[section]
    path = dump(_patched(patch), tmp_path / f"wrong-{section}.yaml")
    _assert_field_errors(run("score", path.name, cwd=tmp_path), path, fields, "expected")


def test_wrong_types_in_json_name_the_field(tmp_path: Path) -> None:
    paths = [dump(_patched(patch), tmp_path / f"wrong-{section}.json") for section, (patch, _) in WRONG_TYPES.items()]
    result = run("check", *(p.name for p in paths), cwd=tmp_path)
    assert result.returncode == 2
    for path, (_, fields) in zip(paths, WRONG_TYPES.values()):
        text = path.read_text("utf-8")  # one line: json.dumps without indent
        for field in fields:
            # JSON documents get line:col too, at the field's key
            found = re.findall(rf"^{re.escape(path.name)}:1:(\d+): {re.escape(field)}: expected", result.stderr, re.M)
            assert found, (field, result.stderr)
            key = [part for part in re.split(r"[.\[\]]", field) if part and not part.isdigit()][-1]
            assert text[int(found[0]) - 1:].startswith(f'"{key}"'), (field, text[int(found[0]) - 1:][:40])


@pytest.mark.parametrize("where", list(NEGATIVE_COUNTS))
def test_negative_counts(tmp_path: Path, where: str) -> None:
    patch, fields = NEGATIVE_COUNTS[where]
    path = dump(_patched(patch), tmp_path / f"negative-{where}.yaml")
    _assert_field_errors(run("score", path.name, cwd=tmp_path), path, fields, "expected a count >= 0")


def test_batch_with_every_wrong_section_scores_the_good_ones(tmp_path: Path) -> None:
    bad = [dump(_patched(patch), tmp_path / f"wrong-{name}.yaml").name
           for name, (patch, _) in {**WRONG_TYPES, **NEGATIVE_COUNTS}.items()]
    good = [p.name for p in write_documents(tmp_path, 2, ".json")]
    result = run("batch", *bad, *good, "--out", "out.jsonl", "--jobs", "2", cwd=tmp_path)
    assert result.returncode == 1
    assert_clean_stderr(result.stderr)
    records = {r["file"]: r for r in map(json.loads, (tmp_path / "out.jsonl").read_text("utf-8").splitlines())}
    assert sorted(records) == sorted(bad + good)
    assert all("outcome" in records[name] for name in good)
    for name in bad:
        assert records[name]["error"].startswith(f"{name}:") and len(lines_naming(result.stderr, name)) == 1


# --- bad options ---------------------------------------------------------------------------------

def _bad_rulesets(tmp: Path) -> None:
    (tmp / "broken-rules.yaml").write_text("ruleset: x\ncriteria: [\n", "utf-8")
    (tmp / "not-rules.yaml").write_text("id: x\nfoo: 1\n", "utf-8")
    (tmp / "rules-folder").mkdir()
    (tmp / "rules.bin").write_bytes(b"\x00\x01\x02 garbage")
    (tmp / "no-columns.csv").write_text("a,b\n1,2\n", "utf-8")
    (tmp / "history.bin").write_bytes(bytes(range(256)))
    (tmp / "bad-tier.csv").write_text("iso3,report_year,tier\nATA,2010,4\n", "utf-8")
    (tmp / "bad-year.csv").write_text("iso3,report_year,tier\nATA,last,2\n", "utf-8")


# (args after FILE, the name stderr must start a line with, a fragment of that line)
BAD_OPTIONS = [
    (["--ruleset", "nonesuch"], "nonesuch", "no such ruleset"),
    (["--ruleset", "broken-rules.yaml"], "broken-rules.yaml", "invalid YAML"),
    (["--ruleset", "not-rules.yaml"], "not-rules.yaml", "TS002"),
    (["--ruleset", "rules-folder"], "rules-folder", "TS001"),
    (["--ruleset", "rules.bin"], "rules.bin", "TS001"),
    (["--ruleset", str(MALI)], str(MALI), "TS002"),  # an efforts document is not a ruleset
    (["--history", "missing.csv"], "missing.csv", "cannot read"),
    (["--history", "no-columns.csv"], "no-columns.csv", "1:1: expected the columns iso3, report_year, tier"),
    (["--history", "history.bin"], "history.bin", "binary data"),
    (["--history", "bad-tier.csv"], "bad-tier.csv", "2:10: tier: expected one of 1, 2, 2WL, 3, special, got '4'"),
    (["--history", "bad-year.csv"], "bad-year.csv", "2:5: report_year: expected a report year from 2001 to 2100, got 'last'"),
    (["--history", "rules-folder"], "rules-folder", "cannot read"),
    (["--engine", "drools"], "--engine", "expected durable-rules or reference"),
]


@pytest.mark.parametrize("args,name,fragment", BAD_OPTIONS + [(["--format", "xml"], "--format", "expected text")],
                         ids=lambda v: v if isinstance(v, str) else None)
def test_score_refuses_bad_options(tmp_path: Path, args: list[str], name: str, fragment: str) -> None:
    _bad_rulesets(tmp_path)
    dump(document(4), tmp_path / "good.yaml")
    result = run("score", "good.yaml", *args, cwd=tmp_path)
    assert_fails_cleanly(result, name, fragment)
    assert result.stdout == ""


@pytest.mark.parametrize("args,name,fragment", BAD_OPTIONS, ids=lambda v: v if isinstance(v, str) else None)
def test_batch_refuses_bad_options_before_touching_the_output(tmp_path: Path, args: list[str], name: str,
                                                             fragment: str) -> None:
    _bad_rulesets(tmp_path)
    write_documents(tmp_path / "docs", 3)
    old = b"file,tier\nprevious-run.yaml,2\n"
    (tmp_path / "out.csv").write_bytes(old)
    before = sorted(os.listdir(tmp_path))
    result = run("batch", "docs", "--out", "out.csv", *args, cwd=tmp_path)
    assert_fails_cleanly(result, name, fragment)
    assert (tmp_path / "out.csv").read_bytes() == old
    assert sorted(os.listdir(tmp_path)) == before  # no temporary file left behind


@pytest.mark.parametrize("out,name,fragment", [
    ("missing/x.csv", "missing/x.csv", "does not exist"),
    ("a-folder.csv", "a-folder.csv", "is a directory"),
    ("a-folder.csv/", "a-folder.csv/", "expected an output file"),
    ("scores.txt", "scores.txt", "expected an output file ending in .csv, .jsonl or .md, or - for stdout"),
])
def test_batch_refuses_bad_output_paths(tmp_path: Path, out: str, name: str, fragment: str) -> None:
    write_documents(tmp_path, 2)
    (tmp_path / "a-folder.csv").mkdir()
    before = sorted(os.listdir(tmp_path))
    result = run("batch", "doc-00000.yaml", "doc-00001.yaml", "--out", out, cwd=tmp_path)
    assert_fails_cleanly(result, name, fragment)
    assert sorted(os.listdir(tmp_path)) == before and os.listdir(tmp_path / "a-folder.csv") == []
    assert not (tmp_path / "missing").exists()


def test_batch_glob_that_matches_nothing(tmp_path: Path) -> None:
    assert_fails_cleanly(run("batch", "nothing-*.yaml", "--out", "x.csv", cwd=tmp_path), "nothing-*.yaml",
                         "matches no file")
    assert not (tmp_path / "x.csv").exists()


@pytest.mark.parametrize("args,fragment", [
    (["batch", "a.yaml", "--out", "x.csv", "--jobs", "0"], "Invalid value for '--jobs'"),
    (["batch", "a.yaml", "--out", "x.csv", "--jobs", "two"], "Invalid value for '--jobs'"),
    (["batch", "a.yaml"], "Missing option '--out'"),
    (["score"], "Missing argument"),
    (["score", "a.yaml", "--colour"], "No such option: --colour"),
    (["scroe", "a.yaml"], "No such command"),
])
def test_usage_errors_are_one_line(tmp_path: Path, args: list[str], fragment: str) -> None:
    result = run(*args, cwd=tmp_path)
    assert result.returncode == 2
    lines = assert_clean_stderr(result.stderr)
    assert len(lines) == 1 and fragment in lines[0], lines
    assert lines[0].startswith("python -m scoring"), lines  # the command, then the problem
    assert not list(tmp_path.iterdir())


# --- interrupted and failed runs leave the old output alone --------------------------------------

@pytest.mark.parametrize("jobs", ["1", "2"])
def test_interrupted_batch_leaves_old_output_unchanged(tmp_path: Path, jobs: str) -> None:
    total = 300
    write_documents(tmp_path / "docs", total, ".json")
    old = "file,tier\nlast-week.yaml,2WL\n"
    (tmp_path / "out.csv").write_text(old, "utf-8")
    before = sorted(os.listdir(tmp_path))
    # a new session, so the signal can go to the whole process group as Ctrl-C in a terminal does
    proc = subprocess.Popen([sys.executable, "-m", "scoring", "batch", "docs", "--out", "out.csv", "--jobs", jobs],
                            cwd=tmp_path, env=env(), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        assert proc.stderr is not None
        seen = []
        for line in proc.stderr:
            seen.append(line)
            if re.fullmatch(rf"scoring: \d+/{total}\n", line):
                break
        assert seen and seen[-1].startswith("scoring: "), seen
        os.killpg(proc.pid, signal.SIGINT)
        _, rest = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 130, rest
    assert_clean_stderr("".join(seen) + rest)
    assert "out.csv: interrupted" in rest
    assert (tmp_path / "out.csv").read_text("utf-8") == old
    assert sorted(os.listdir(tmp_path)) == before  # no stray temporary file


def test_failed_documents_still_give_a_complete_output(tmp_path: Path) -> None:
    write_documents(tmp_path, 4)
    (tmp_path / "doc-00002.yaml").write_text("country: [\n", "utf-8")
    (tmp_path / "out.csv").write_text("old\n", "utf-8")
    result = run("batch", ".", "--out", "out.csv", cwd=tmp_path)
    assert result.returncode == 1
    rows = list(csv.reader((tmp_path / "out.csv").open(encoding="utf-8")))
    assert len(rows) == 5 and all(len(row) == len(rows[0]) for row in rows)
    assert [r[0] for r in rows[1:]] == [f"./doc-0000{i}.yaml" for i in range(4)]
    assert sorted(os.listdir(tmp_path)) == ["doc-00000.yaml", "doc-00001.yaml", "doc-00002.yaml", "doc-00003.yaml",
                                            "out.csv"]


# --- debug and colour ----------------------------------------------------------------------------

def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    quiet = run("score", "missing.yaml", cwd=tmp_path)
    loud = run("--debug", "score", "missing.yaml", cwd=tmp_path)
    assert quiet.returncode == 2 and "Traceback" not in quiet.stderr
    assert loud.returncode != 0 and "Traceback" in loud.stderr and "InputError" in loud.stderr
    assert "missing.yaml: no such file" in loud.stderr


def test_no_color_means_no_escape_codes_even_on_a_terminal(tmp_path: Path) -> None:
    pty = pytest.importorskip("pty")
    dump(document(6), tmp_path / "good.yaml")
    (tmp_path / "bad.yaml").write_text("country: [\n", "utf-8")
    write_documents(tmp_path / "docs", 3)
    base = {k: v for k, v in env(NO_COLOR="1", TERM="xterm-256color").items() if k != "CI"}

    def on_terminal(*args: str) -> tuple[int, str]:
        leader, follower = pty.openpty()
        proc = subprocess.Popen([sys.executable, "-m", "scoring", *args], cwd=tmp_path, env=base, stdin=follower,
                                stdout=follower, stderr=follower, close_fds=True)
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        os.close(leader)
        return proc.wait(timeout=60), b"".join(chunks).decode("utf-8", "replace")

    for args in (["score", "good.yaml"], ["score", "good.yaml", "--format", "markdown"], ["check", "good.yaml"],
                 ["score", "bad.yaml"], ["score", "good.yaml", "--format", "xml"], ["score", "--nope"]):
        code, output = on_terminal(*args)
        assert output.strip() and "\x1b" not in output, (args, output[:500])
    # the batch progress bar moves the cursor on a terminal, but uses no colour or style
    code, output = on_terminal("batch", "docs", "--out", "out.csv")
    assert code == 0 and not re.search(r"\x1b\[[0-9;]*m", output), output
