"""``tipscore batch``: the output does not depend on --jobs or on argument order, progress goes to
stderr, and a failing document is reported as ``file: reason`` while the rest are scored."""

from __future__ import annotations

import csv
import json
import random
import re
from pathlib import Path

import pytest

from tests.cli.support import assert_clean_stderr, lines_naming, run, write_documents

TOTAL = 200
BROKEN = "docs/doc-00037.yaml"


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """200 generated documents (YAML and JSON), one of which has a wrong type."""
    root = tmp_path_factory.mktemp("batch")
    write_documents(root / "docs", TOTAL // 2, ".yaml")
    write_documents(root / "docs", TOTAL // 2, ".json", first_seed=10_000)
    for path in (root / "docs").glob("doc-*.json"):  # distinct names from the YAML ones
        path.rename(path.with_name(f"j{path.name}"))
    broken = root / BROKEN
    broken.write_text(broken.read_text("utf-8").replace("report_year: ", "report_year: next-", 1), "utf-8")
    return root


@pytest.fixture(scope="module")
def outputs(docs: Path) -> dict[tuple[str, str], tuple[bytes, str, int]]:
    """(jobs, format) -> (output bytes, stderr, exit code)."""
    names = sorted(str(p.relative_to(docs)) for p in (docs / "docs").iterdir())
    shuffled = random.Random(3).sample(names, len(names))
    out = {}
    for jobs in ("1", "2"):
        for fmt in ("csv", "jsonl"):
            # jobs 2 gets the files one by one in a shuffled order; jobs 1 gets the folder
            paths = shuffled if jobs == "2" else ["docs"]
            result = run("batch", *paths, "--out", f"out-{jobs}.{fmt}", "--jobs", jobs, cwd=docs, timeout=300)
            out[(jobs, fmt)] = ((docs / f"out-{jobs}.{fmt}").read_bytes(), result.stderr, result.returncode)
    return out


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_output_is_identical_for_one_and_two_jobs(outputs: dict, fmt: str) -> None:
    one, two = outputs[("1", fmt)][0], outputs[("2", fmt)][0]
    assert one == two
    assert len(one.decode("utf-8").splitlines()) == TOTAL + (fmt == "csv")


@pytest.mark.parametrize("key", [("1", "csv"), ("1", "jsonl"), ("2", "csv"), ("2", "jsonl")])
def test_progress_and_the_failure_on_stderr(outputs: dict, key: tuple[str, str]) -> None:
    _, stderr, code = outputs[key]
    assert code == 1
    lines = assert_clean_stderr(stderr)
    progress = [line for line in lines if re.fullmatch(r"scoring: \d+/\d+", line)]
    assert progress == [f"scoring: {n}/{TOTAL}" for n in range(TOTAL // 10, TOTAL + 1, TOTAL // 10)]
    failure = lines_naming(stderr, BROKEN)
    assert len(failure) == 1 and re.fullmatch(rf"{BROKEN}:3:1: report_year: expected a whole number, got 'next-\d+'",
                                              failure[0]), failure
    assert lines[-1] == f"out-{key[0]}.{key[1]}: {TOTAL - 1} scored, 1 failed"
    assert len(lines) == len(progress) + 2


def test_every_other_document_is_scored(outputs: dict, docs: Path) -> None:
    rows = list(csv.DictReader(outputs[("1", "csv")][0].decode("utf-8").splitlines()))
    records = [json.loads(line) for line in outputs[("1", "jsonl")][0].decode("utf-8").splitlines()]
    assert [r["file"] for r in rows] == [r["file"] for r in records] == sorted(r["file"] for r in rows)
    failed = [r for r in rows if r["error"]]
    assert [r["file"] for r in failed] == [BROKEN] and failed[0]["error"].startswith(f"{BROKEN}:")
    assert all(r["ruleset"].startswith("tvpa-") and r["country"] == "Synthetic" for r in rows if not r["error"])
    assert len({r["tier"] for r in rows}) >= 3  # the generated documents give varied outcomes
    for row, record in zip(rows, records):
        if record.get("outcome"):
            assert row["tier"] == (record["outcome"]["tier"] or "")
            assert row["report_year"] == str(record["outcome"]["report_year"])


def test_batch_agrees_with_scoring_one_document(outputs: dict, docs: Path) -> None:
    from scoring.api import score
    from scoring.render import as_json

    records = {r["file"]: r for r in map(json.loads, outputs[("2", "jsonl")][0].decode("utf-8").splitlines())}
    for name in ("docs/doc-00000.yaml", "docs/jdoc-00042.json", "docs/doc-00099.yaml"):
        # the same JSON as `score --format json`: citations by reference, in the record's own table
        assert records[name]["outcome"] == json.loads(as_json(score(docs / name)))
