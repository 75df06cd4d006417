"""The Report model → a JSON Schema document of the `.ashr` format."""

from __future__ import annotations

from typing import Any

from .migrations import CURRENT_VERSION
from .report import Report


def report_schema() -> dict[str, Any]:
    """JSON Schema (2020-12) of an `.ashr` file, generated from the models; `x_` keys allowed everywhere."""
    schema = Report.model_json_schema(by_alias=True, mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://ashreports.org/schema/ashr-{CURRENT_VERSION}.json"
    schema["title"] = "AshReports report definition (.ashr)"
    _allow_extensions(schema)
    return schema


def _allow_extensions(node: Any) -> None:
    """Where an object forbids extra keys, allow those that start with `x_`."""
    if isinstance(node, dict):
        if node.get("additionalProperties") is False and "properties" in node:
            node["patternProperties"] = {"^x_": {}}
        for value in node.values():
            _allow_extensions(value)
    elif isinstance(node, list):
        for value in node:
            _allow_extensions(value)
