"""Data shipped with tipscore (ISO 3166 codes, the published tier history), read as files.

tipscore is installed as files on disk (never run from a zip archive), so a package's folder
is its module spec's location. ``importlib.resources`` would find the same files, but importing
it costs about 7 ms of every CLI call (it brings in tempfile and more, for archives).
"""

from __future__ import annotations

import csv
import importlib.util
import os
from functools import cache


def package_folder(package: str) -> str:
    """The folder of an installed package, whose data files sit beside its modules."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"{package} is not an installed package")
    return os.fspath(list(spec.submodule_search_locations)[0])


def read_text(name: str, package: str = "scoring.data") -> str:
    """A data file shipped in ``package`` (by default this one), as text."""
    with open(os.path.join(package_folder(package), name), encoding="utf-8") as handle:
        return handle.read()


@cache
def country_names() -> dict[str, str]:
    """ISO 3166-1 alpha-3 code -> short name (plus XKX and ANT, as the TIP tier data uses them)."""
    lines = (line for line in read_text("iso3166-alpha3.csv").splitlines() if not line.startswith("#"))
    return {row["iso3"]: row["name"] for row in csv.DictReader(lines)}
