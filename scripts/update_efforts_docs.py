"""Regenerate the field reference in docs/efforts.md from the efforts model and the shipped rulesets.

Usage::

    .venv/bin/python scripts/update_efforts_docs.py          # rewrite docs/efforts.md in place
    .venv/bin/python scripts/update_efforts_docs.py --check  # exit 1 if it is out of date

tests/efforts/test_reference_doc.py fails while the document is out of date.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "efforts.md"


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(ROOT))
    from scoring.efforts.reference import refreshed

    current = DOC.read_text("utf-8")
    updated = refreshed(current)
    if "--check" in argv:
        if updated != current:
            print(f"{DOC.relative_to(ROOT)} is out of date; run {Path(__file__).relative_to(ROOT)}", file=sys.stderr)
            return 1
        return 0
    DOC.write_text(updated, "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
