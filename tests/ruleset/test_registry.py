"""The catalog: shipped rulesets plus the user's folders, picked by report year; replaces; conflicts."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from scoring import api
from scoring.errors import InputError
from scoring.ruleset.diagnostics import CatalogError
from scoring.ruleset.registry import catalog, catalog_diagnostics, read_entry, shipped
from tests.ruleset.authoring import ERA_2027, write_era


def test_without_user_folders_the_shipped_rulesets_are_picked() -> None:
    found = catalog(())
    assert found.entries == shipped() and not found.diagnostics
    assert [found.for_year(y).id for y in (2001, 2004, 2010, 2011, 2018, 2019, 2040)] == [  # type: ignore[union-attr]
        "tvpa-2001", "tvpa-2004", "tvpa-2009", "tvpa-2011", "tvpa-2013", "tvpa-2019", "tvpa-2019"]


def test_a_replacing_ruleset_takes_over_its_years_and_the_replaced_one_keeps_the_rest(tmp_path: Path) -> None:
    folder = tmp_path / "my"
    write_era(folder)
    found = catalog((str(folder),))
    assert not found.diagnostics
    assert found.for_year(2026).id == "tvpa-2019" and found.for_year(2027).id == "tvpa-2027"  # type: ignore[union-attr]
    assert found.in_force(found.find("tvpa-2019")) == [(2019, 2026)]  # type: ignore[arg-type]
    assert found.find("tvpa-2027").origin == str(folder)  # type: ignore[union-attr]


def test_a_replacement_in_the_middle_leaves_the_replaced_ruleset_both_sides(tmp_path: Path) -> None:
    folder = tmp_path / "my"
    write_era(folder, ERA_2027.replace("{first: 2027}", "{first: 2027, last: 2028}"))
    found = catalog((str(folder),))
    assert found.in_force(found.find("tvpa-2019")) == [(2019, 2026), (2029, None)]  # type: ignore[arg-type]
    assert [found.for_year(y).id for y in (2026, 2027, 2028, 2029)] == [  # type: ignore[union-attr]
        "tvpa-2019", "tvpa-2027", "tvpa-2027", "tvpa-2019"]


def test_adding_an_era_needs_no_other_edit(tmp_path: Path) -> None:
    """A new file in the folder is the whole change: it is picked by year and scores."""
    folder = tmp_path / "my"
    write_era(folder)
    document = dict(_mali_2015(), report_year=2027)
    outcome = api.score(_write_doc(tmp_path, document), search_path=[str(folder)])
    assert outcome.ruleset.id == "tvpa-2027"


def _mali_2015() -> dict:  # type: ignore[type-arg]
    from scoring.load.source import read_source
    from tests.ruleset.fixtures import ROOT

    return read_source(str(ROOT / "fixtures" / "mali" / "2015.yaml")).data  # type: ignore[no-any-return]


def _write_doc(tmp_path: Path, data: dict) -> str:  # type: ignore[type-arg]
    import yaml

    path = tmp_path / "doc.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
    return str(path)


def test_the_environment_variable_is_a_path_list_after_the_option(tmp_path: Path) -> None:
    first, second, third = (tmp_path / n for n in ("a", "b", "c"))
    for folder in (first, second, third):
        folder.mkdir()
    env = {"TIPSCORE_RULESETS": os.pathsep.join([str(second), "", str(third)])}
    assert api.search_path([str(first)], env) == (str(first), str(second), str(third))
    assert api.search_path(None, {}) == ()


def test_a_missing_folder_is_bad_input_naming_who_gave_it(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"no such folder \(given by --rulesets\)"):
        api.search_path([str(tmp_path / "nowhere")], {})
    with pytest.raises(InputError, match=r"no such folder \(given by TIPSCORE_RULESETS\)"):
        api.search_path(None, {"TIPSCORE_RULESETS": str(tmp_path / "nowhere")})


def test_conflicts_stop_the_api_in_one_line_each(tmp_path: Path) -> None:
    folder = tmp_path / "my"
    write_era(folder, ERA_2027.replace("replaces: tvpa-2019\n", ""))
    with pytest.raises(CatalogError) as caught:
        api.catalog([str(folder)])
    assert str(caught.value).count("\n") == 0 and "TS114" in str(caught.value) and "replaces: tvpa-2019" in str(caught.value)


def test_two_user_rulesets_overlapping_each_other(tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    write_era(one)
    write_era(two, ERA_2027.replace("tvpa-2027", "tvpa-2030").replace("{first: 2027}", "{first: 2030}"), "tvpa-2030.yaml")
    entries = [read_entry(str(one / "tvpa-2027.yaml"), str(one)), read_entry(str(two / "tvpa-2030.yaml"), str(two))]
    codes = [d.code for d in catalog_diagnostics(entries, list(shipped()))]  # type: ignore[arg-type]
    assert codes == ["TS114"]  # 2030- overlaps 2027-: each replaces tvpa-2019, not the other


def test_test_files_beside_rulesets_are_not_rulesets(tmp_path: Path) -> None:
    folder = tmp_path / "my"
    write_era(folder)
    (folder / "tvpa-2027.test.yaml").write_text("cases: []\nreport_years: {first: 2027}\n", "utf-8")
    assert [e.id for e in catalog((str(folder),)).entries if e.origin == str(folder)] == ["tvpa-2027"]


def test_naming_the_shipped_folder_adds_nothing() -> None:
    from scoring.ruleset.shipped import shipped_dir

    assert api.search_path([shipped_dir()], {}) == ()


def test_a_broken_ruleset_in_the_folder_is_reported_not_skipped(tmp_path: Path) -> None:
    """Otherwise a typo in the 2027 file would score 2027 reports with the 2019 rules, silently."""
    folder = tmp_path / "my"
    write_era(folder, ERA_2027.replace("report_years: {first: 2027}", "report_years: {first: 2027"))
    (folder / "notes.yaml").write_text("just: notes\n", "utf-8")  # not a ruleset: no `ruleset:` key
    (folder / "tvpa-2030.yaml").write_text("ruleset: tvpa-2030\nreport_years: 2030\n", "utf-8")
    found = catalog((str(folder),))
    assert [(d.code, Path(d.file).name, d.line, d.col) for d in found.diagnostics] == [
        ("TS001", "tvpa-2027.yaml", 7, 11), ("TS002", "tvpa-2030.yaml", 2, 1)]
    with pytest.raises(CatalogError):
        api.catalog([str(folder)])
