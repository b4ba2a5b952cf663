"""scoring.data: the package's data files, found without importlib.resources."""

from __future__ import annotations

from pathlib import Path

import pytest

from scoring.data import country_names, package_folder, read_text
from scoring.efforts.model import ISO3_CODES
from scoring.ruleset.shipped import shipped_dir


def test_read_text_gives_the_shipped_file() -> None:
    expected = (Path(package_folder("scoring.data")) / "iso3166-alpha3.csv").read_text(encoding="utf-8")
    text = read_text("iso3166-alpha3.csv")
    assert text == expected
    assert "MLI" in text


def test_files_of_another_package_are_read_from_its_folder() -> None:
    assert '"$schema"' in read_text("ruleset.schema.json", "scoring.schemas_data")


def test_the_shipped_rulesets_folder_is_the_mapped_package() -> None:
    names = {p.name for p in Path(shipped_dir()).glob("*.yaml")}
    assert "tvpa-2013.yaml" in names and "tvpa-2004.yaml" in names


@pytest.mark.parametrize("name", ["scoring.no_such_package", "scoring.api"])
def test_a_module_that_is_not_an_installed_package_is_refused(name: str) -> None:
    with pytest.raises(ModuleNotFoundError, match=name):
        package_folder(name)


def test_the_iso_table_is_read_once_for_codes_and_names() -> None:
    names = country_names()
    assert names["MLI"] == "Mali" and names["XKX"]  # Kosovo, as the tier data codes it
    assert ISO3_CODES == tuple(sorted(names))  # the model's codes are the table's, not a second reading
