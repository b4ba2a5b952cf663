"""Shared inputs for the report tests: the Mali fixtures and a document with a hostile quote."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MALI_2015 = ROOT / "fixtures" / "mali" / "2015.yaml"
HOSTILE = '<script>window.hostile = 1</script><img src="https://example.org/x.png"> & "quoted"'
HOSTILE_NOTE_COUNTRY = "Mali"


def hostile_document(folder: Path) -> Path:
    """Mali 2015 with one evidence quote replaced by markup that must show as text, never run."""
    text = MALI_2015.read_text(encoding="utf-8")
    text = text.replace("    path: fixtures/sources/mali-2015-tip.txt\n", "")
    original = '"prohibits all forms of trafficking of adults and children"'
    assert original in text
    escaped = HOSTILE.replace('"', '\\"')
    text = text.replace(original, f'"{escaped}"', 1)
    path = folder / "hostile-2015.yaml"
    path.write_text(text, encoding="utf-8")
    return path
