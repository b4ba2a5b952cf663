"""Read a report text, refusing what is not one (one line, exit 2, nothing written).

A PDF, a word-processor file or any binary is refused rather than mined for text: a quote
must be checkable against the file the draft names, byte for byte.
"""

from __future__ import annotations

import os

from scoring.errors import InputError
from scoring.load.source import MAX_FILE_BYTES

_MAGIC = {b"%PDF": "a PDF", b"PK\x03\x04": "a ZIP archive (e.g. a .docx)", b"\xd0\xcf\x11\xe0": "an OLE file (e.g. a .doc)",
          b"{\\rtf": "an RTF document"}
_HINT = "; extract reads plain UTF-8 text (convert it first, e.g. with pdftotext)"


def read_report(name: str) -> str:
    """The text of ``name``, which must be a non-empty UTF-8 text file."""
    if not os.path.exists(name):
        raise InputError(name, None, "no such file")
    if os.path.isdir(name):
        raise InputError(name, None, "is a directory; expected a text file")
    try:
        size = os.path.getsize(name)
        if size > MAX_FILE_BYTES:
            raise InputError(name, None, f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}")
        with open(name, "rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as err:
        raise InputError(name, None, f"cannot read: {err.strerror}") from None
    for magic, kind in _MAGIC.items():
        if raw.startswith(magic):
            raise InputError(name, None, f"is {kind}{_HINT}")
    if b"\x00" in raw:
        raise InputError(name, f"byte {raw.index(0)}", f"binary data (NUL byte){_HINT}")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError(name, f"byte {err.start}", f"not valid UTF-8 text{_HINT}") from None
    if not text.strip():
        raise InputError(name, None, "the file is empty; expected the text of a report chapter")
    return text
