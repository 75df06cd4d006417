"""Hypothesis: arbitrary JSON and mutated valid reports never raise anything but the engine's own error."""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.errors import ReportError
from engine.model import dump_report, load_report, read_report

from .conftest import VALID

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=25,
)


def _load(raw: bytes) -> None:
    try:
        report = load_report(raw)
    except ReportError:
        return
    # whatever loads must save and load back to the same thing
    assert load_report(dump_report(report).encode()) == report


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=200))
def test_arbitrary_bytes(raw):
    _load(raw)


@settings(max_examples=150, deadline=None)
@given(json_values)
def test_arbitrary_json(value):
    _load(json.dumps(value).encode())


def json_paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    """The path (keys and indexes) of every value inside parsed JSON, the root's () first."""
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += json_paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += json_paths(value, (*prefix, i))
    return found


ALL_PATHS = [p for p in json_paths(VALID) if p]


def _mutate(data: Any, path: tuple, action: str, value: Any) -> Any:
    data = copy.deepcopy(data)
    parent = data
    for key in path[:-1]:
        parent = parent[key]
    last = path[-1]
    if action == "delete":
        del parent[last]
    elif action == "set":
        parent[last] = value
    elif action == "add_key" and isinstance(parent[last], dict):
        parent[last][str(value)[:10] or "k"] = value
    elif action == "duplicate" and isinstance(parent, list):
        parent.append(copy.deepcopy(parent[last]))
    return data


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.sampled_from(ALL_PATHS),
            st.sampled_from(["delete", "set", "add_key", "duplicate"]),
            json_values,
        ),
        min_size=1,
        max_size=4,
    )
)
def test_mutated_valid_reports(mutations):
    data = VALID
    for path, action, value in mutations:
        try:
            data = _mutate(data, path, action, value)
        except (KeyError, IndexError, TypeError):
            continue
    result = read_report(json.dumps(data).encode())
    assert (result.report is None) == bool(result.errors)
    for d in result.diagnostics:
        assert d.message
    _load(json.dumps(data).encode())


def test_deeply_nested_json_is_a_clear_error():
    raw = (
        b'{"format": "ashr", "version": 1, "name": "x", "x_deep": '
        + b"[" * 100_000
        + b"]" * 100_000
        + b"}"
    )
    result = read_report(raw)
    assert result.report is None or result.report.name == "x"
    if result.report is None:
        assert result.diagnostics[0].message in (
            "objects and arrays nest more than 100 deep; a report nests about 12",
            "invalid JSON: nested too deeply",
            "the file is nested too deeply to be a report",
        )
