"""The generated JSON Schema accepts the examples and the canonical saves, and rejects broken files."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from engine.model import dump_report, load_report, report_schema

from .conftest import VALID, to_bytes

EXAMPLES = sorted((Path(__file__).parents[3] / "resources" / "examples").glob("*.ashr"))


@pytest.fixture(scope="module")
def validator():
    schema = report_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_examples_are_valid(validator, path):
    validator.validate(json.loads(path.read_text(encoding="utf-8")))


def test_valid_report_and_its_save_are_valid(validator):
    validator.validate(VALID)
    validator.validate(json.loads(dump_report(load_report(to_bytes(VALID)))))


@pytest.mark.parametrize(
    "breakage",
    [
        lambda d: d.pop("format"),
        lambda d: d["bands"][2]["elements"][0].update(width=0),
        lambda d: d["bands"][1]["elements"][0].update(heigth=3),
        lambda d: d["bands"][1]["elements"][0].update(type="textbox"),
        lambda d: d["page"].update(size="a9"),
        lambda d: d.update(theme="neon"),
        lambda d: d["styles"][0].update(color="red"),
    ],
    ids=["no-format", "zero-width", "unknown-key", "unknown-type", "page-size", "theme", "colour"],
)
def test_broken_files_are_rejected(validator, breakage):
    data = json.loads(json.dumps(VALID))
    breakage(data)
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(data)


def test_extension_keys_allowed_everywhere(validator):
    data = json.loads(json.dumps(VALID))
    data["page"]["x_printer"] = "tray 2"
    data["bands"][0]["x_collapsed"] = True
    validator.validate(data)
