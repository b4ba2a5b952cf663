"""The full JSON form of an outcome (``--format json``): the typed ``Outcome``, each citation given once.

Every criterion, determination, table and explanation node carries a citation, and
most share one (Mali 2015: 111 citations, 59 distinct); repeating the whole object
at every node made the JSON about 120 KB. Here a node's ``citation`` is a reference
into the top-level ``citations`` table, keyed by ``CitationOut.ref``:
``7106(b)(1)#1a2b3c4d``. The part before ``#`` is the section as the summary
(scoring.summary) keys it; the digest after it tells apart the different citations
of one section (other enacting acts, quoted text or notes). The table is sorted by
id, so the same input and ruleset give byte-identical JSON.

``read_outcome_json`` is the way back, for a tool that reads an outcome from JSON.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from scoring.outcome import Outcome

#: what an id looks like: the section key, ``#``, 8 hex digits of the citation's digest
REF_PATTERN = r"^.+#[0-9a-f]{8}$"


def outcome_data(outcome: Outcome) -> dict[str, Any]:
    """The outcome as JSON-ready data, citations by reference, the table (sorted by id) last."""
    table: dict[str, Any] = {}
    data = outcome.model_dump(mode="json", context={"citations": table})
    data["citations"] = dict(sorted(table.items()))
    return data


def as_json(outcome: Outcome) -> str:
    """``--format json --detail full``: byte-identical for the same input and ruleset."""
    return json.dumps(outcome_data(outcome), indent=2, ensure_ascii=False) + "\n"


def read_outcome_json(text: str | bytes) -> Outcome:
    """The typed outcome back from its JSON form, each reference resolved through the table
    (a citation written out in full is read as it is)."""
    data = json.loads(text)
    return Outcome.model_validate(data, context={"citations": data.pop("citations", {})})


def output_schema() -> dict[str, Any]:
    """The JSON Schema of the full JSON (``tipscore schema output``): the model's, with every
    citation a reference into the top-level ``citations`` table."""
    schema = copy.deepcopy(Outcome.model_json_schema())
    by_reference = {"$ref": "#/$defs/CitationRef"}
    for name, definition in [*schema["$defs"].items(), ("Outcome", schema)]:
        if name != "CitationOut":
            _refer(definition, by_reference)
    schema["$defs"]["CitationRef"] = {
        "type": "string", "pattern": REF_PATTERN,
        "description": "A key of the top-level citations table: the section (7106(b)(1)), '#', and a digest "
                       "of the citation."}
    schema["properties"]["citations"] = {
        "type": "object", "propertyNames": by_reference, "additionalProperties": {"$ref": "#/$defs/CitationOut"},
        "description": "Every citation of the outcome once, keyed by the id the nodes refer to it by."}
    schema["required"].append("citations")
    return schema


def _refer(node: Any, by_reference: dict[str, str]) -> None:
    """Replace, in place, every use of the citation object under ``node`` by a reference."""
    if isinstance(node, dict):
        for key, value in node.items():
            if value == {"$ref": "#/$defs/CitationOut"}:
                node[key] = dict(by_reference)
            else:
                _refer(value, by_reference)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            if value == {"$ref": "#/$defs/CitationOut"}:
                node[i] = dict(by_reference)
            else:
                _refer(value, by_reference)
