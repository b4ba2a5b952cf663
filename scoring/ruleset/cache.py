"""Remember which exact ruleset files already passed every check.

Schema validation and table enumeration cost ~100 ms, paid by every CLI call.
The cache stores only *hashes*: of the files of an ``extends`` chain, together
with the code of the checker and the efforts model. A hit means these very
bytes passed these very checks with no diagnostic, so the checks are skipped;
the files are still parsed and built. Nothing is executed from the cache, and a
missing, unreadable or unwritable cache only costs time. ``TIPSCORE_NO_CACHE=1``
turns it off.
"""

from __future__ import annotations

import hashlib
import os
from functools import cache
from pathlib import Path

_CODE = ("ruleset/parse.py", "ruleset/check.py", "ruleset/never.py", "ruleset/tables.py", "ruleset/load.py",
         "ruleset/walk.py", "ruleset/order.py", "efforts/model.py", "efforts/values.py", "efforts/facts.py",
         "schemas_data/ruleset.schema.json", "semantics.py", "engine/compile.py", "engine/durable_driver.py",
         "engine/evaluate.py")


def _folder() -> Path | None:
    if os.environ.get("TIPSCORE_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "tipscore" / "checked"


@cache
def _code_digest() -> bytes:
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for name in _CODE:
        digest.update((root / name).read_bytes())
    return digest.digest()


def key(paths: list[str]) -> str:
    """The cache key of an extends chain (nearest file first)."""
    digest = hashlib.sha256(_code_digest())
    for path in paths:
        digest.update(os.path.abspath(path).encode() + b"\0")
        digest.update(Path(path).read_bytes() + b"\0")
    return digest.hexdigest()


def passed(chain_key: str) -> bool:
    folder = _folder()
    return folder is not None and (folder / chain_key).is_file()


def remember(chain_key: str) -> None:
    folder = _folder()
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / chain_key).touch()
    except OSError:
        pass
