"""JSON Schemas tipscore publishes, and the validator it checks them with.

The input schema is generated from the pydantic model so the two cannot drift;
a property test (tests/efforts/test_schema_agreement.py) checks that they accept
and reject the same documents. jsonschema counts ``1.0`` as an integer while the
strict model does not, so the validator's type checker says "integer" means a
true ``int`` (and never a ``bool``), matching the model.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from scoring.data import read_text

SCHEMA_BASE = "https://tipscore.example/schemas"


def input_schema() -> dict[str, Any]:
    """JSON Schema of an efforts document (generated from the pydantic model)."""
    from scoring.efforts.model import EffortsDocument

    schema = EffortsDocument.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{SCHEMA_BASE}/efforts.schema.json",
        **schema,
    }


@cache
def packaged_schema(name: str) -> dict[str, Any]:
    """A schema shipped as package data (``ruleset``, ``output``)."""
    text = read_text(f"{name}.schema.json", "scoring.schemas_data")
    return json.loads(text)


def validator(schema: dict[str, Any]) -> Any:
    """A Draft 2020-12 validator whose ``integer`` excludes floats and booleans."""
    import jsonschema

    base = jsonschema.Draft202012Validator
    checker = base.TYPE_CHECKER.redefine(
        "integer", lambda _checker, value: isinstance(value, int) and not isinstance(value, bool)
    )
    strict = jsonschema.validators.extend(base, {"pattern": _pattern}, type_checker=checker)
    return strict(schema)


def _pattern(validator: Any, pattern: str, instance: Any, schema: dict[str, Any]) -> Any:
    """ECMA-262 ``$`` is the end of the text; Python's ``$`` also matches before a final newline."""
    import re

    from jsonschema.exceptions import ValidationError

    if not validator.is_type(instance, "string"):
        return
    anchored = pattern[:-1] + r"\Z" if pattern.endswith("$") and not pattern.endswith(r"\$") else pattern
    if not re.search(anchored, instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def dumps(data: Any) -> str:
    """Canonical JSON text: sorted keys, two-space indent, trailing newline."""
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
