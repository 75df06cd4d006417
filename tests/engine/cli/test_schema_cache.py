"""The Report schema cache of the command line's start-up: a validator read back from the file accepts and refuses exactly what pydantic's own does, and a file is only ever trusted for our own code."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError
from pydantic_core import SchemaValidator

from engine.cli.startup import encode_schema, read_schema
from engine.model import Report
from engine.model.diagnostics import diagnostics_from

from ..model.conftest import VALID

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = ROOT / "resources" / "examples"


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = data
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        if value is _DELETE:
            del node[last]
        elif isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value

    return change


_DELETE = object()

ODD_ELEMENTS = [
    {"type": "chart", "x": 0, "y": 0, "width": 100, "height": 80,
     "chart": {"kind": "bar", "category": "a", "value": "b", "max_points": 0}},
    {"type": "image", "x": 0, "y": 0, "width": 10, "height": 10, "source": {}},
    {"type": "subreport", "x": 0, "y": 0, "width": 10, "height": 10, "report": "r.ashr",
     "parameters": {"2x": ""}},
]  # fmt: skip

CHANGES = [
    _set("name", "ok_name"),
    _set("bands.2.elements.0.width", 0),
    _set("bands.2.elements.0.width", -1.5),
    _set("bands.1.elements.0.heigth", 3),
    _set("bands.0.height", "tall"),
    _set("page.size", "a9"),
    _set("name", _DELETE),
    _set("bands.1.elements.0.bold", "yes"),
    _set("page.columns", 2.5),
    _set("bands.1.elements.0.type", "textbox"),
    _set("styles.0.color", "red"),
    _set("name", "2fast"),
    _set("data_source.table", "Invoice"),
    _set("page.size", "custom"),
    _set("styles.0.size", 2000),
    _set("bands.2.elements.0.format", {"kind": "currency", "currency": "euro"}),
    _set("bands.2.elements.0.format", {"kind": "money"}),
    _set("bands.0.elements.0.x", 1.23456),
    _set("bands.0.elements.0.x_other", [1, 2]),
    _set("bands.3.type", "gutter"),
    _set("page.margins.top", float("inf")),
    _set("bands.2.elements.1.stroke", {"width": -1, "color": "#12"}),
    _set("bands.0.elements", ODD_ELEMENTS),
]


def _outcome(validate: Callable[[Any], Any], data: dict[str, Any]) -> Any:
    try:
        report = validate(data)
    except ValidationError as exc:
        return ("errors", exc.json(include_url=False), [str(d) for d in diagnostics_from(exc, data, Report)])  # fmt: skip
    return ("report", report.model_dump(mode="json", round_trip=True), report.extensions)


@pytest.mark.parametrize("change", range(len(CHANGES)))
def test_the_cached_validator_accepts_and_refuses_what_pydantic_does(change: int) -> None:
    Report.model_rebuild(force=True)  # pydantic's own, built from the models
    schema, config = Report.__pydantic_validator__.__reduce__()[1][:2]  # type: ignore[index]
    stored = read_schema(
        json.dumps({"schema": encode_schema(schema), "config": encode_schema(config)})
    )
    cached = SchemaValidator(stored["schema"], stored["config"])
    data = copy.deepcopy(VALID)
    CHANGES[change](data)
    expected = _outcome(Report.model_validate, copy.deepcopy(data))
    assert _outcome(cached.validate_python, copy.deepcopy(data)) == expected


_SCRIPT = """
import sys
from engine.cli.startup import load_report_validator
from engine.model import read_report
print("from cache:", load_report_validator())
result = read_report(sys.argv[1])
print("report:", result.report.name if result.report else None, len(result.errors))
"""


def _run(cache: Path, report: Path, **env: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT, str(report)],
        capture_output=True, text=True, timeout=120, check=True, cwd=ROOT,
        env={**os.environ, "XDG_CACHE_HOME": str(cache), **env},
    )  # fmt: skip
    return done.stdout


def test_the_first_process_writes_the_file_the_next_reads_it(tmp_path: Path) -> None:
    report = EXAMPLES / "invoices_by_country.ashr"
    first = _run(tmp_path, report)
    assert "from cache: False" in first and "report: invoices_by_country 0" in first
    [written] = (tmp_path / "ashreports").glob("report-schema-*.json")
    second = _run(tmp_path, report)
    assert "from cache: True" in second and "report: invoices_by_country 0" in second
    assert list((tmp_path / "ashreports").glob("report-schema-*.json")) == [written]


def test_a_file_naming_other_code_is_ignored(tmp_path: Path) -> None:
    report = EXAMPLES / "invoices_by_country.ashr"
    _run(tmp_path, report)
    [path] = (tmp_path / "ashreports").glob("report-schema-*.json")
    text = path.read_text(encoding="utf-8")
    evil = '{"__ashr__":"ref","ref":"os:system"}'
    path.write_text(
        text.replace('{"__ashr__":"ref","ref":"engine.model.base:_color"}', evil, 1),
        encoding="utf-8",
    )
    assert evil in path.read_text(encoding="utf-8")
    out = _run(tmp_path, report)
    assert "from cache: False" in out and "report: invoices_by_country 0" in out
    path.write_text("{not json", encoding="utf-8")
    out = _run(tmp_path, report)
    assert "from cache: False" in out and "report: invoices_by_country 0" in out


def test_the_cache_can_be_turned_off(tmp_path: Path) -> None:
    out = _run(tmp_path, EXAMPLES / "invoices_by_country.ashr", ASHR_SCHEMA_CACHE="0")
    assert "report: invoices_by_country 0" in out
    assert not (tmp_path / "ashreports").exists()
