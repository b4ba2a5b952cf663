"""scoring.listing: the catalog and one ruleset, as `tipscore rulesets` prints them."""

from __future__ import annotations

from pathlib import Path

from scoring import api
from scoring.listing import describe, list_rulesets, shown
from scoring.ruleset.shipped import shipped_dir
from tests.ruleset.authoring import write_era


def test_the_listing_names_origins_and_years_in_force(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    write_era(tmp_path / "my")
    found = api.catalog(["my"])
    lines = {line.split()[0]: line for line in list_rulesets(found).splitlines()}
    assert len(lines) == 8 and "abstract base" in lines["tvpa-base"]
    assert "report years 2019-2026 (of 2019-)" in lines["tvpa-2019"] and "shipped" in lines["tvpa-2019"]
    assert "report years 2027-" in lines["tvpa-2027"] and "my/tvpa-2027.yaml" in lines["tvpa-2027"]


def test_describe_lists_every_rule_with_its_origin(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    found = api.catalog(())
    ruleset = api.load_ruleset("tvpa-2013")
    text = describe(ruleset, found.find("tvpa-2013"), found)
    assert "file:       rulesets/tvpa-2013.yaml (shipped)" in text and "in force:   report years 2013-2018" in text
    for node in [*ruleset.criteria, *ruleset.determinations]:
        assert f"{node.id}" in text and f"[{node.origin}]" in text


def test_shipped_files_are_shown_as_in_the_repository(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    assert shown(str(Path(shipped_dir()) / "tvpa-2019.yaml")) == "rulesets/tvpa-2019.yaml"
    assert shown(str(tmp_path / "my" / "x.yaml")) == "my/x.yaml"
    assert shown("/elsewhere/x.yaml") == "/elsewhere/x.yaml"
