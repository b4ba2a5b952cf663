"""Checked and compiled rulesets, cached on disk by content hash.

Parsing, checking and compiling the shipped rulesets cost more than scoring a
document, and every CLI call paid them. An entry is keyed by the SHA-256 of
tipscore's own code, the ruleset file's path and bytes and the search path;
it records the hash of every file of the ``extends`` chain, which are re-read
and compared on every use, so any edit of any file of the chain, or any change
of tipscore's code, is a miss. Entries are JSON data only (never pickle or
code); each carries a digest of its own content, so a damaged or truncated
file is ignored and rewritten, never trusted. Nothing is executed from the
cache, and a missing, unreadable or unwritable cache only costs time. Beside whole rulesets
(``ruleset``) it keeps the shipped catalog's headers (``registry``) and, per file content that
passed the JSON Schema, the fact that it did (``schema``).

Where: ``$TIPSCORE_CACHE_DIR``, else ``$XDG_CACHE_HOME/tipscore``, else
``~/.cache/tipscore`` — only absolute paths, never the current folder.
``TIPSCORE_NO_CACHE=1`` turns the cache off.
"""

from __future__ import annotations

import hashlib
import json
import os
from functools import cache
from pathlib import Path
from typing import Any

#: Bump when the layout of entries changes.
FORMAT = 2


def folder() -> Path | None:
    """The cache folder, or None when caching is off or no absolute location is configured."""
    if os.environ.get("TIPSCORE_NO_CACHE"):
        return None
    own = os.environ.get("TIPSCORE_CACHE_DIR")
    if own and os.path.isabs(own):
        return Path(own)
    base = os.environ.get("XDG_CACHE_HOME")
    if not base or not os.path.isabs(base):  # the XDG spec: relative values are ignored
        home = os.path.expanduser("~")
        if not os.path.isabs(home):
            return None
        base = os.path.join(home, ".cache")
    return Path(base) / "tipscore"


@cache
def code_digest() -> str:
    """SHA-256 of every source and data file of the package: a new version or any edit is a miss."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    digest = hashlib.sha256(f"format {FORMAT}".encode())
    for folder, subfolders, files in sorted(os.walk(root)):
        subfolders[:] = sorted(d for d in subfolders if d != "__pycache__")
        for name in sorted(files):
            if name.endswith((".py", ".json")):
                with open(os.path.join(folder, name), "rb") as handle:
                    digest.update(os.path.relpath(os.path.join(folder, name), root).encode() + b"\0" + handle.read() + b"\0")
    return digest.hexdigest()


def file_digest(path: str) -> str | None:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return None


def key(*parts: str) -> str:
    """An entry name from the code digest and the given parts."""
    digest = hashlib.sha256(code_digest().encode())
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
    return digest.hexdigest()


def read(kind: str, name: str) -> Any | None:
    """The data stored under ``kind/name``, or None if absent, unreadable or damaged."""
    base = folder()
    if base is None:
        return None
    try:
        raw = (base / kind / f"{name}.json").read_bytes()
        envelope = json.loads(raw)
        body = envelope["body"]
        if envelope.get("format") != FORMAT or envelope.get("sha256") != _seal(body):
            return None
        return json.loads(body)
    except (OSError, ValueError, KeyError, TypeError, RecursionError):
        return None


def write(kind: str, name: str, data: Any) -> None:
    """Store ``data`` (JSON-ready) atomically: readers see the old entry or the whole new one."""
    import tempfile  # only a miss writes; a hit (every call after the first) need not import it

    base = folder()
    if base is None:
        return
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    envelope = json.dumps({"format": FORMAT, "sha256": _seal(body), "body": body}, ensure_ascii=False)
    target = base / kind
    try:
        target.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=target, prefix=f".{name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(envelope)
            os.replace(temp, target / f"{name}.json")
        except BaseException:
            os.unlink(temp)
            raise
    except OSError:
        pass


def _seal(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8", "surrogatepass")).hexdigest()
