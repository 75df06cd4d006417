"""engine.fill.pushdown: which reports fill from per-group rows, and that doing so prints what the rows print."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from engine.fill import compile_report, element_text, fill_report
from engine.fill.pushdown import fill_partials, plan_pushdown, pushdown_refusal
from engine.model import Report


def _report(**overrides: Any) -> Report:
    data: dict[str, Any] = {
        "format": "ashr", "version": 1, "name": "summary",
        "data_source": {"kind": "sql", "url": "sqlite:///x.sqlite", "table": "sales"},
        "groups": [
            {"name": "region", "expression": "region"},
            {"name": "product", "expression": "product", "descending": True},
        ],
        "variables": [
            {"name": "region_total", "expression": "amount", "calculation": "sum", "reset": "group", "reset_group": "region"},
            {"name": "product_avg", "expression": "amount", "calculation": "average", "reset": "group", "reset_group": "product"},
            {"name": "product_n", "expression": "amount", "calculation": "count", "reset": "group", "reset_group": "product"},
            {"name": "grand", "expression": "qty", "calculation": "sum"},
            {"name": "running", "expression": "amount", "calculation": "sum", "running": True},
        ],
        "bands": [
            {"type": "title", "height": 20, "elements": [
                {"type": "expression", "x": 0, "y": 0, "width": 100, "height": 10, "expression": "'From ' + coalesce(region, '-') + ' ' + str(vars.grand)"}]},
            {"type": "group_header", "group": "region", "height": 10, "elements": [
                {"type": "field", "x": 0, "y": 0, "width": 100, "height": 10, "field": "region", "null_text": "(none)"},
                {"type": "expression", "x": 100, "y": 0, "width": 100, "height": 10, "expression": "vars.region_total"}]},
            {"type": "group_footer", "group": "product", "height": 10, "elements": [
                {"type": "field", "x": 0, "y": 0, "width": 100, "height": 10, "field": "product"},
                {"type": "expression", "x": 100, "y": 0, "width": 100, "height": 10, "expression": "vars.product_avg",
                 "conditional_styles": [{"when": "vars.product_n > 2", "bold": True}]},
                {"type": "expression", "x": 200, "y": 0, "width": 100, "height": 10, "expression": "vars.running"},
                {"type": "aggregate", "x": 300, "y": 0, "width": 60, "height": 10, "calculation": "max", "expression": "amount", "scope": "group:product"}]},
            {"type": "group_footer", "group": "region", "height": 10, "print_when": "vars.region_total != None", "elements": [
                {"type": "aggregate", "x": 0, "y": 0, "width": 60, "height": 10, "calculation": "min", "expression": "amount", "scope": "group:region"}]},
            {"type": "summary", "height": 10, "elements": [
                {"type": "expression", "x": 0, "y": 0, "width": 100, "height": 10, "expression": "vars.grand"},
                {"type": "aggregate", "x": 100, "y": 0, "width": 60, "height": 10, "calculation": "average", "expression": "amount", "scope": "report"}]},
        ],
    }  # fmt: skip
    data.update(overrides)
    return Report.model_validate(data)


ROWS = [
    {"region": None, "product": "b", "amount": Decimal("1.50"), "qty": 1},
    {"region": None, "product": "a", "amount": None, "qty": 2},
    {"region": "N", "product": "c", "amount": Decimal("2.25"), "qty": None},
    {"region": "N", "product": "c", "amount": Decimal("-0.75"), "qty": 4},
    {"region": "N", "product": "c", "amount": Decimal("10"), "qty": 4},
    {"region": "N", "product": "a", "amount": Decimal("0.1"), "qty": 1},
    {"region": "S", "product": "b", "amount": None, "qty": None},
]


def _partials(report: Report, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What the database returns for the plan: one row per innermost group, computed independently."""
    plan = plan_pushdown(report)
    assert plan is not None
    names = [name for name, _ in plan.groups]
    out: list[dict[str, Any]] = []
    for row in rows:
        keys = {name: row[name] for name in names}
        if not out or any(out[-1][n] != v for n, v in keys.items()):
            out.append({**keys, plan.rows_alias: 0, "_values": []})
        out[-1][plan.rows_alias] += 1
        out[-1]["_values"].append(row)
    for group in out:
        values = group.pop("_values")
        for partial in plan.partials:
            seen = [v[partial.field] for v in values if v[partial.field] is not None]
            group[partial.alias] = {
                "SUM": lambda s: sum(s[1:], s[0]) if s else None,
                "COUNT": len,
                "MIN": lambda s: min(s) if s else None,
                "MAX": lambda s: max(s) if s else None,
            }[partial.function](seen)
    return out


def _texts(instances: Any) -> list[tuple[Any, ...]]:
    return [
        (b.band_type, b.group, b.row_number, b.group_keys, [(v.element_index, element_text(v), v.style) for v in b.elements])
        for b in list(instances)
    ]  # fmt: skip


def test_partials_print_exactly_what_the_rows_print() -> None:
    report = _report()
    compiled = compile_report(report)
    plan = plan_pushdown(report, compiled)
    assert plan is not None
    expected = _texts(fill_report(compiled, ROWS))
    got = _texts(fill_partials(compiled, _partials(report, ROWS), plan))
    assert got == expected
    summary = expected[-1][4]
    assert [text for _, text, _ in summary] == ["12", str(Decimal("13.10") / 5)]


def test_plan_lists_groups_and_shared_partials() -> None:
    plan = plan_pushdown(_report())
    assert plan is not None
    assert plan.groups == (("region", False), ("product", True))
    functions = sorted((p.function, p.field) for p in plan.partials)
    assert functions == [
        ("COUNT", "amount"), ("MAX", "amount"), ("MIN", "amount"), ("SUM", "amount"),
        ("SUM", "qty"),
    ]  # fmt: skip
    merges = dict(plan.merges)
    assert len(merges["product_avg"]) == 2  # (SUM, COUNT)
    assert merges["region_total"] == merges["running"]
    assert all(a.isidentifier() and a not in ("region", "product") for a, _, _ in plan.aggregates)


def test_no_rows_prints_as_the_normal_fill() -> None:
    report = _report(bands=[b.model_dump(exclude_none=True) for b in _report().bands[1:]])
    compiled = compile_report(report)
    plan = plan_pushdown(report, compiled)
    assert plan is not None
    assert _texts(fill_partials(compiled, [], plan)) == _texts(fill_report(compiled, []))


def test_equal_consecutive_group_rows_are_one_instance() -> None:
    report = _report()
    compiled = compile_report(report)
    plan = plan_pushdown(report, compiled)
    assert plan is not None
    partials = _partials(report, ROWS)
    split = [partials[0], *[dict(partials[1]) for _ in range(2)], *partials[2:]]
    for half in split[1:3]:  # the same group, split in two rows (the database saw two values)
        half[plan.rows_alias] = 1
    got = _texts(fill_partials(compiled, split, plan))
    assert [b[:2] for b in got] == [b[:2] for b in _texts(fill_report(compiled, ROWS))]


def _detail(**keys: Any) -> dict[str, Any]:
    return {"type": "detail", "height": 10, "elements": [], **keys}


def _with_band(band: dict[str, Any]) -> Report:
    base = _report()
    return _report(bands=[*(b.model_dump(exclude_none=True) for b in base.bands), band])


def _with_var(variable: dict[str, Any]) -> Report:
    base = _report()
    return _report(variables=[*(v.model_dump(exclude_none=True) for v in base.variables), variable])


def _header(element: dict[str, Any], **band: Any) -> dict[str, Any]:
    element = {"x": 0, "y": 0, "width": 10, "height": 10, **element}
    return {"type": "group_header", "group": "product", "height": 10, "elements": [element], **band}


@pytest.mark.parametrize(
    ("report", "reason"),
    [
        (_report(data_source={"kind": "csv", "path": "x.csv"}), "not SQL"),
        (_report(filter="qty > 1"), "filter"),
        (_with_band(_detail()), "detail band that prints"),
        (_report(groups=[{"name": "region", "expression": "upper(region)"}]), "not a plain field"),
        (_with_var({"name": "m", "expression": "amount", "calculation": "median"}), "median"),
        (_with_var({"name": "p", "expression": "amount", "calculation": "sum", "reset": "page"}), "per page"),
        (_with_var({"name": "x", "expression": "amount * 2", "calculation": "sum"}), "not a plain field"),
        (_with_band(_header({"type": "field", "field": "amount"})), "not a group field"),
        (_with_band(_header({"type": "expression", "expression": "qty + 1"})), "'qty', not a group field"),
        (_with_band(_header({"type": "expression", "expression": "row_number"})), "row number"),
        (_with_band(_header({"type": "expression", "expression": "vars.running"})), "before its scope ends"),
        (_with_band(_header({"type": "label", "text": "x", "print_when": "vars.grand > 1"})), "before its scope ends"),
        (_with_band(_header({"type": "label", "text": "x"}, print_when="vars.grand > 1")), "before its scope ends"),
    ],
)  # fmt: skip
def test_refusal_reasons(report: Report, reason: str) -> None:
    assert reason in (pushdown_refusal(report, compile_report(report)) or "")
    assert plan_pushdown(report) is None


def test_what_stays_pushable() -> None:
    never = _with_band(_detail(print_when="False"))
    header_total = _with_band(_header({"type": "expression", "expression": "vars.grand * 2"}))
    aggregate_in_header = _with_band(
        _header({"type": "aggregate", "calculation": "sum", "expression": "qty", "scope": "report"})
    )
    for report in (never, header_total, aggregate_in_header):
        assert pushdown_refusal(report, compile_report(report)) is None


def test_refusal_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level("INFO", logger="engine.fill.pushdown"):
        assert plan_pushdown(_report(filter="qty > 1")) is None
    assert "no summary push-down: the report has a filter" in caplog.text
