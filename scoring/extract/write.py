"""The draft as YAML with the reviewer's lists in comments, written atomically.

The YAML is what ``tipscore check`` reads; the comments at its head say where it came from,
which sentences were skipped as conclusions, which relevant sentences matched no field,
which numbers were bounds rather than counts and which facts the text contradicts. The
file is written to a temporary file beside the target and renamed into place, so an
interrupted run never leaves half a draft, and the source text is never the target.
"""

from __future__ import annotations

import os

import yaml

from scoring.errors import InputError
from scoring.extract.draft import Draft
from scoring.extract.split import Clause

_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
SUFFIXES = (".yaml", ".yml")


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _listed(title: str, items: list[Clause]) -> list[str]:
    if not items:
        return [f"# {title}: none."]
    return [f"# {title} ({len(items)}):", *(f"#   line {s.line}: {_one_line(s.text)}" for s in items)]


def header(draft: Draft) -> list[str]:
    """The comment block: provenance, what is not coded and why, and what to review."""
    lines = [
        f"# Draft efforts document written by `tipscore extract` from {draft.source_path}",
        f"# ({draft.sentences} sentences read, {draft.facts} values coded, {draft.recommendations} recommendation sentences not read).",
        "# Every value is quoted verbatim from the text; review each one before use. Facts the text does not",
        "# state are left out (unknown is not zero). The report's own conclusions (the tier, \"significant",
        "# efforts\", \"increasing efforts\", placements) are never coded: tipscore derives them. A recorded",
        "# waiver grant is coded (waiver.granted): it is the President's determination, not the assessment.",
        "# tier_history is not coded: scoring uses the shipped tier-history dataset unless you add it.",
        "#",
        *_listed("Skipped: clauses that state only a conclusion", draft.conclusions),
        "#",
        *_listed("To review: relevant clauses that matched no field (code them by hand if they hold a fact)",
                 draft.unmatched),
    ]
    if draft.bounds:
        lines += ["#", f"# Not coded: bounds, not exact counts (the model has no at-least count) ({len(draft.bounds)}):",
                  *(f"#   line {s.line}: \"{_one_line(bound)}\" in: {_one_line(s.text)}" for s, bound in draft.bounds)]
    if draft.conflicts:
        lines += ["#", f"# Left unknown: the text gives different values ({len(draft.conflicts)}):",
                  *(f"#   {c}" for c in draft.conflicts)]
    return lines


def render(draft: Draft) -> str:
    """The whole draft file: comments, then the document (deterministic for the same input)."""
    body = yaml.dump(draft.data, Dumper=_DUMPER, sort_keys=False, allow_unicode=True, width=1_000_000,
                     default_flow_style=False)
    return "\n".join(header(draft)) + "\n\n" + body


def check_target(out: str, source: str) -> None:
    """Refuse an output path that cannot be written or that is the source text itself."""
    if not out.lower().endswith(SUFFIXES):
        raise InputError(out, None, "expected an output file ending in .yaml or .yml")
    if os.path.isdir(out):
        raise InputError(out, None, "is a directory; expected a file name ending in .yaml or .yml")
    folder = os.path.dirname(os.path.abspath(out))
    if not os.path.isdir(folder):
        raise InputError(out, None, f"the folder {os.path.dirname(out) or folder} does not exist")
    same = os.path.exists(out) and os.path.samefile(out, source)
    if same or os.path.abspath(out) == os.path.abspath(source):
        raise InputError(out, None, "is the source text; the draft must go to another file")


def write_atomically(out: str, text: str) -> None:
    """Write ``text`` to ``out`` through a temporary file renamed into place (scoring.output)."""
    from scoring.output import write_text_atomically

    write_text_atomically(out, text)
