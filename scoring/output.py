"""Writing a whole output file safely: a temporary file beside it, renamed into place when complete.

An interrupted or failed run never leaves a half-written file, and an existing file is untouched
until the new one is whole. The file gets the usual permissions (the umask's), not the private
ones of a temporary file. Used by ``tipscore extract`` and ``tipscore report``.
"""

from __future__ import annotations

import os
import tempfile


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text_atomically(out: str, text: str) -> None:
    """Write ``text`` (UTF-8, ``\\n`` line ends) to ``out`` through a temporary file renamed into place."""
    folder = os.path.dirname(os.path.abspath(out))
    handle = tempfile.NamedTemporaryFile("w", dir=folder, prefix=f".{os.path.basename(out)}.", suffix=".tmp",
                                         delete=False, encoding="utf-8", newline="\n")
    try:
        with handle:
            handle.write(text)
        os.chmod(handle.name, 0o666 & ~_umask())
        os.replace(handle.name, out)
    except BaseException:
        os.unlink(handle.name)
        raise
