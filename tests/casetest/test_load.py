"""Malformed test files: every problem is one line naming the file, line:col and what was expected,
before anything is scored; test files are data and never execute anything."""

from __future__ import annotations

import json
from pathlib import Path

from scoring.casetest.expect import READERS
from scoring.casetest.load import load_cases
from scoring.efforts.facts import flatten
from scoring.schemas import packaged_schema
from tests.casetest.support import ROOT, STRONG, errors, write

MALI_2004 = ROOT / "fixtures" / "mali" / "2004.yaml"


def _case(expect: str, document: str | None = None, extra: str = "") -> str:
    return (f"cases:\n  - name: one\n    document: {document or MALI_2004}\n{extra}"
            f"    expect:\n{expect}")


def test_the_schema_lists_exactly_the_expectations_the_runner_reads() -> None:
    schema = packaged_schema("casetest")
    assert list(schema["$defs"]["expect"]["properties"]) == list(READERS)


def test_unknown_expectation_key_is_named_at_its_place_with_a_suggestion(tmp_path: Path) -> None:
    path = write(tmp_path, _case("      teir: 2\n"))
    [line] = errors(path)
    assert line.startswith(f"{path}:5:7: cases[0].expect.teir: unknown expectation 'teir'; did you mean 'tier'?")


def test_unknown_top_level_and_case_keys(tmp_path: Path) -> None:
    path = write(tmp_path, "rulset: tvpa-2019\n" + _case("      tier: 2\n", extra="    documnet: x\n"))
    lines = errors(path)
    assert any(line.startswith(f"{path}:1:1: rulset: unknown key 'rulset'; did you mean 'ruleset'?") for line in lines)
    assert any("cases[0].documnet: unknown key 'documnet'; did you mean 'document'?" in line for line in lines)


def test_wrong_values_say_what_was_expected(tmp_path: Path) -> None:
    path = write(tmp_path, _case("      tier: Tier 2\n      criteria: {investigates: yes}\n      waiver_number: 0\n"))
    lines = errors(path)
    assert lines == [
        f"{path}:5:7: cases[0].expect.tier: expected 1, 2, 2WL, 3, special or undetermined, got 'Tier 2'",
        f"{path}:6:18: cases[0].expect.criteria.investigates: expected met, unmet or unknown, got True",
        f"{path}:7:7: cases[0].expect.waiver_number: expected a whole number (1 or more) or null, got 0"]


def test_missing_keys(tmp_path: Path) -> None:
    path = write(tmp_path, "cases:\n  - name: one\n    document: x.yaml\n")
    assert errors(path) == [f"{path}:2:5: cases[0]: missing required key 'expect'"]
    empty = write(tmp_path, "description: nothing\n", "empty.test.yaml")
    assert errors(empty) == [f"{empty}:1:1: missing required key 'cases'"]


def test_missing_file_folder_and_document(tmp_path: Path) -> None:
    assert errors(tmp_path / "nonesuch.test.yaml") == [
        f"{tmp_path / 'nonesuch.test.yaml'}: no such file or folder; expected a test file (*.test.yaml) or a folder of them"]
    (tmp_path / "empty").mkdir()
    assert errors(tmp_path / "empty") == [f"{tmp_path / 'empty'}: no test files (*.test.yaml) in this folder"]
    path = write(tmp_path, _case("      tier: 2\n", document="missing.yaml"))
    assert errors(path) == [f"{path}:3:5: cases[0].document: no such efforts document 'missing.yaml' "
                            "(paths are relative to the test file)"]


def test_unknown_ruleset_with_a_suggestion(tmp_path: Path) -> None:
    path = write(tmp_path, "ruleset: tvpa-2091\n" + _case("      tier: 2\n"))
    assert errors(path) == [f"{path}:1:1: ruleset: unknown ruleset 'tvpa-2091'; did you mean 'tvpa-2019'?; expected a "
                            "shipped ruleset id (see `tipscore rulesets`) or a ruleset file relative to the test file"]
    base = write(tmp_path, _case("      tier: 2\n", extra="    ruleset: tvpa-base\n"), "base.test.yaml")
    assert errors(base) == [f"{base}:4:5: cases[0].ruleset: tvpa-base is an abstract base ruleset; "
                            "name a ruleset with report years"]


def test_ids_the_ruleset_does_not_have(tmp_path: Path) -> None:
    path = write(tmp_path, _case("      criteria: {investigate: met, watch_list: met}\n"
                                 "      table_rows: {special_watch_list: group_iv}\n      tier_row: tier2\n"))
    lines = errors(path)
    assert any("cases[0].expect.criteria.investigate: tvpa-2004 has no criterion 'investigate'; did you mean 'investigates'?"
               in line for line in lines)
    assert any("cases[0].expect.criteria.watch_list: tvpa-2004 has no criterion 'watch_list'; it is one of the determinations"
               in line for line in lines)
    assert any("table 'special_watch_list' of tvpa-2004 has no row 'group_iv'; did you mean 'group_i'?" in line for line in lines)
    assert any("the tier table of tvpa-2004 has no row 'tier2'; did you mean 'tier_2'?" in line for line in lines)


def test_invalid_inline_document_is_reported_at_its_line_in_the_test_file(tmp_path: Path) -> None:
    text = ("cases:\n  - name: inline\n    document:\n      report_year: 2015\n"
            "      prosecution: {investigations: many, convicions: 3}\n    expect: {tier: 2}\n")
    path = write(tmp_path, text)
    lines = errors(path)
    assert any(line.startswith(f"{path}:5:") and "cases[0].document.prosecution.investigations" in line for line in lines), lines
    assert f"{path}:5:43: cases[0].document.prosecution.convicions: unknown field 'convicions'; did you mean 'convictions'?" in lines


def test_based_on_a_missing_document(tmp_path: Path) -> None:
    path = write(tmp_path, "cases:\n  - name: x\n    document: {based_on: nope.yaml, report_year: 2015}\n    expect: {tier: 2}\n")
    [line] = errors(path)
    assert line.startswith(f"{path}:3:") and "expected an efforts document file relative to the test file, got 'nope.yaml'" in line


def test_duplicate_case_names(tmp_path: Path) -> None:
    text = _case("      tier: 2\n") + f"  - name: one\n    document: {MALI_2004}\n    expect: {{tier: 2}}\n"
    path = write(tmp_path, text)
    assert errors(path) == [f"{path}:6:5: cases[1].name: a second case named 'one'; names tell cases apart"]


def test_tags_are_refused_never_executed(tmp_path: Path) -> None:
    marker = tmp_path / "executed"
    path = write(tmp_path, f"cases: !!python/object/apply:os.system ['touch {marker}']\n")
    [line] = errors(path)
    assert line.startswith(f"{path}:1:8: tag tag:yaml.org,2002:python/object/apply:os.system is not allowed")
    assert not marker.exists()


def test_invalid_yaml_and_json(tmp_path: Path) -> None:
    path = write(tmp_path, "cases: [\n")
    [line] = errors(path)
    assert line.startswith(f"{path}:2:1: invalid YAML")
    as_json = write(tmp_path, json.dumps({"cases": [{"name": "x", "document": str(MALI_2004), "expect": {"tier": 9}}]}),
                    "cases.test.json")
    [line] = errors(as_json)
    assert "cases[0].expect.tier: expected 1, 2, 2WL, 3, special or undetermined, got 9" in line


def test_every_file_is_reported_before_anything_is_scored(tmp_path: Path) -> None:
    first = write(tmp_path, _case("      teir: 2\n"), "a.test.yaml")
    second = write(tmp_path, _case("      tier: 7\n"), "b.test.yaml")
    lines = errors(tmp_path)
    assert [line.split(":")[0] for line in lines] == [str(first), str(second)]


def test_inline_documents_read_no_shipped_history_and_take_placeholders(tmp_path: Path) -> None:
    path = write(tmp_path, "cases:\n  - name: x\n    document: {report_year: 2015, iso3: MLI}\n    expect: {tier: 2}\n")
    [case] = load_cases([str(path)])
    assert case.document.tier_history == [] and case.document.country == "Test case"
    assert case.document_label == "inline" and case.ruleset.id == "tvpa-2013"


def test_based_on_merges_mapping_by_mapping_and_null_makes_unknown(tmp_path: Path) -> None:
    text = (f"cases:\n  - name: x\n    document:\n      based_on: {STRONG}\n      report_year: 2006\n"
            "      prosecution: {law: {covers_adults: null}, investigations: 3}\n    expect: {tier: 2}\n")
    [case] = load_cases([str(write(tmp_path, text))])
    facts = flatten(case.document)
    assert case.document.report_year == 2006 and "prosecution.law.covers_adults" not in facts
    assert facts["prosecution.law.covers_children"] is True and facts["prosecution.investigations"] == 3
    assert "prosecution.investigations.previous" not in facts and facts["prosecution.prosecutions.previous"] == 20


def test_a_test_file_beside_a_ruleset_tests_it(tmp_path: Path) -> None:
    child = ("ruleset: my-era\ntitle: My era\nversion: '1.0.0'\nextends: tvpa-2019\nreport_years: {first: 2019}\n")
    (tmp_path / "my-era.yaml").write_text(child, "utf-8")
    path = write(tmp_path, "cases:\n  - name: x\n    document: {report_year: 2020}\n    expect: {tier: undetermined}\n",
                 "my-era.test.yaml")
    [case] = load_cases([str(path)])
    assert case.ruleset.id == "my-era"
