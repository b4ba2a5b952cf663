"""The environment `make setup` builds holds exactly the locked versions.

A fresh machine must reproduce the project's own install: if a dependency
drifts from requirements/test.lock (someone installed by hand, or the lock was
edited without `make lock`), this fails and names the package.
"""

from __future__ import annotations

import re
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

LOCK = Path(__file__).resolve().parents[1] / "requirements" / "test.lock"


def _locked() -> dict[str, str]:
    pins = re.findall(r"^([A-Za-z0-9._-]+)==([^\s\\]+)", LOCK.read_text(), flags=re.M)
    return {name.lower().replace("_", "-"): ver for name, ver in pins}


def test_every_locked_package_is_installed_at_its_locked_version() -> None:
    wrong = []
    for name, pinned in sorted(_locked().items()):
        try:
            installed = version(name)
        except PackageNotFoundError:
            installed = "missing"
        if installed != pinned:
            wrong.append(f"{name}: locked {pinned}, installed {installed}")
    assert not wrong, "environment differs from requirements/test.lock (run `make setup`):\n" + "\n".join(wrong)


def test_the_lock_pins_every_runtime_dependency_with_hashes() -> None:
    text = LOCK.read_text()
    for name in ("durable-rules", "pydantic", "typer", "jsonschema", "pyyaml", "hypothesis"):
        assert re.search(rf"^{name}==\S+ \\\n\s+--hash=sha256:", text, flags=re.M), name
