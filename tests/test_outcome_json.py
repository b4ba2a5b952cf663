"""--format json (full detail): each citation written once, in a table, referenced from every node (issue 14, item 5)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Iterator

import pytest
from pydantic import ValidationError

from scoring.api import catalog, load_ruleset, score
from scoring.explain import citation
from scoring.outcome_json import as_json, output_schema, read_outcome_json
from scoring.schemas import validator
from scoring.summary import summary
from tests.cli.support import run

ROOT = Path(__file__).resolve().parents[1]
MALI = ROOT / "fixtures" / "mali" / "2015.yaml"
#: decided (Mali 2004, 2015) and undetermined (a chapter opening) outcomes
DOCUMENTS = [MALI, ROOT / "fixtures" / "mali" / "2004.yaml", ROOT / "fixtures" / "narratives" / "hnd-2007.yaml"]
CITATION_KEYS = {"section", "enacted_by", "text", "note"}


def _citations(data: Any, where: str = "") -> Iterator[tuple[str, Any]]:
    """Every value under a ``citation`` key, outside the top-level table, with its path."""
    if isinstance(data, dict):
        for key, value in data.items():
            if where == "" and key == "citations":
                continue
            if key == "citation":
                yield f"{where}.{key}", value
            else:
                yield from _citations(value, f"{where}.{key}")
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _citations(value, f"{where}[{i}]")


def _citation_objects(data: Any) -> int:
    """How many citation objects (section, enacted_by, text, note) the data holds, wherever they are."""
    if isinstance(data, dict):
        return int(set(data) == CITATION_KEYS) + sum(_citation_objects(v) for v in data.values())
    if isinstance(data, list):
        return sum(_citation_objects(v) for v in data)
    return 0


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.stem)
def test_each_citation_is_written_once_and_every_reference_resolves(path: Path) -> None:
    data = json.loads(as_json(score(path)))
    table = data["citations"]
    refs = [value for _, value in _citations(data) if value is not None]
    assert refs and all(isinstance(ref, str) for ref in refs)
    assert set(refs) == set(table)  # every reference resolves, every entry is used
    assert _citation_objects(data) == len(table)  # the only citation objects are the table's
    assert len({json.dumps(c, sort_keys=True) for c in table.values()}) == len(table)  # no entry twice
    assert list(table) == sorted(table)
    for ref, entry in table.items():
        assert ref.split("#")[0] == entry["section"].removeprefix("22 U.S.C. ")


def test_mali_2015_full_json_shrinks_by_its_repeated_citations() -> None:
    outcome = score(MALI)
    by_reference = as_json(outcome)
    inline = json.dumps(outcome.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"
    data = json.loads(by_reference)
    refs = [ref for _, ref in _citations(data) if ref is not None]
    print(f"full JSON for Mali 2015: {len(inline.encode())} bytes with citations inline, "
          f"{len(by_reference.encode())} by reference ({len(refs)} references to {len(data['citations'])} citations)")
    assert len(refs) > len(data["citations"])  # Mali 2015 cites the same citation from several nodes
    # the citation objects repeated inline are what the references save (each reference is shorter than its object)
    repeated = sum(len(json.dumps(data["citations"][r], ensure_ascii=False)) for r in refs) - sum(
        len(json.dumps(c, ensure_ascii=False)) for c in data["citations"].values())
    assert len(by_reference) < len(inline) - repeated / 2


def test_the_full_and_the_summary_detail_cite_the_same_sections() -> None:
    outcome = score(MALI)
    full, small = json.loads(as_json(outcome)), summary(outcome)
    for kind in ("criteria", "determinations"):
        for node in full[kind]:
            assert small[kind][node["id"]][1] == node["citation"].split("#")[0]
    rows = {r["id"]: r["citation"] for r in full["explanation"]["children"]}
    assert [r for r, _ in small["rows_tried"]["rows"]] == list(rows)
    assert {small["rows_tried"]["citation"]} == {ref.split("#")[0] for ref in rows.values()}
    # the summary merges one section's citations: its acts are exactly those of the full table's entries
    used = [*rows.values(), *(n["citation"] for k in ("criteria", "determinations") for n in full[k])]
    acts: dict[str, set[str]] = {}
    for ref in used:
        acts.setdefault(ref.split("#")[0], set()).add(full["citations"][ref]["enacted_by"])
    assert {k: set(v) for k, v in small["citations"]["enacted_by"].items()} == acts


def test_a_citation_has_the_same_id_in_every_outcome() -> None:
    """The id depends only on the citation: two outcomes never give one id to different citations."""
    seen: dict[str, dict[str, Any]] = {}
    for path in DOCUMENTS:
        for ref, entry in json.loads(as_json(score(path)))["citations"].items():
            assert seen.setdefault(ref, entry) == entry, ref


def test_every_citation_of_the_shipped_rulesets_has_its_own_id() -> None:
    ids: dict[str, object] = {}
    for entry in catalog().entries:
        ruleset = load_ruleset(entry.id)
        cited = [n.citation for n in (*ruleset.criteria, *ruleset.determinations, *ruleset.tables)]
        cited += [row.citation for table in ruleset.tables for row in table.rows if row.citation is not None]
        for c in map(citation, cited):
            assert ids.setdefault(c.ref(), c) == c, f"{c.ref()} names two citations"
    assert len(ids) > 59  # more than Mali 2015 alone cites: every era was read


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.stem)
def test_the_json_reads_back_as_the_same_outcome(path: Path) -> None:
    outcome = score(path)
    assert read_outcome_json(as_json(outcome)) == outcome


def test_a_reference_missing_from_the_table_is_refused() -> None:
    data = json.loads(as_json(score(MALI)))
    ref = data["criteria"][0]["citation"]
    del data["citations"][ref]
    with pytest.raises(ValidationError, match=re.escape(f"citation '{ref}' is not in the citations table")):
        read_outcome_json(json.dumps(data))


def test_the_output_schema_describes_references() -> None:
    outcome = score(MALI)
    check = validator(output_schema())
    assert list(check.iter_errors(json.loads(as_json(outcome)))) == []
    inline = outcome.model_dump(mode="json")  # citation objects where the schema wants references
    assert any(e.validator == "type" and list(e.path)[-1] == "citation" for e in check.iter_errors(inline))
    printed = run("schema", "output")
    assert printed.returncode == 0 and json.loads(printed.stdout) == output_schema()


def test_the_cli_writes_this_form() -> None:
    result = run("score", MALI, "--format", "json")
    assert result.returncode == 0 and result.stdout == as_json(score(MALI))
    assert '"citation": {' not in result.stdout  # never an object in a node's place
