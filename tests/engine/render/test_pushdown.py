"""Summary push-down through render_report and the CLI: the same output as reading every row, totals exact."""

from __future__ import annotations

import json
import random
import sqlite3
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from engine.cli import main
from engine.model import Report, load_report
from engine.render import render_report

from .helpers import EXAMPLES


@pytest.fixture(scope="module")
def sales_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """50,000 sales in 2 group levels; NULLs in a group field and in the amount."""
    path = tmp_path_factory.mktemp("pushdown") / "sales.sqlite"
    conn = sqlite3.connect(path)
    conn.execute(
        "CREATE TABLE sales (id INTEGER PRIMARY KEY, region TEXT, product TEXT, qty INTEGER, "
        "amount NUMERIC(12,2))"
    )
    rnd = random.Random(11)
    regions = ["North", "South", "East", "West", None]
    rows = []
    for i in range(50_000):
        cents = rnd.randrange(-1000, 1_000_000)
        amount = None if i % 97 == 0 else f"{cents // 100}.{cents % 100:02d}"
        rows.append(
            (i, rnd.choice(regions), f"P{rnd.randrange(12):02d}", rnd.randrange(1, 9), amount)
        )
    conn.executemany("INSERT INTO sales VALUES (?, ?, ?, ?, ?)", rows)
    conn.commit()
    conn.close()
    return path


def _text(expression: str, x: float = 0, **keys: Any) -> dict[str, Any]:
    return {"type": "expression", "x": x, "y": 0, "width": 90, "height": 12, "expression": expression, **keys}  # fmt: skip


def _summary_report(db: Path, **overrides: Any) -> Report:
    data: dict[str, Any] = {
        "format": "ashr", "version": 1, "name": "sales_summary",
        "data_source": {"kind": "sql", "url": f"sqlite:///{db}", "table": "sales"},
        "groups": [{"name": "region", "expression": "region"}, {"name": "product", "expression": "product"}],
        "variables": [
            {"name": "region_total", "expression": "amount", "calculation": "sum", "reset": "group", "reset_group": "region"},
            {"name": "product_total", "expression": "amount", "calculation": "sum", "reset": "group", "reset_group": "product"},
            {"name": "product_avg", "expression": "amount", "calculation": "average", "reset": "group", "reset_group": "product"},
            {"name": "product_n", "expression": "amount", "calculation": "count", "reset": "group", "reset_group": "product"},
            {"name": "grand", "expression": "amount", "calculation": "sum"},
            {"name": "qty", "expression": "qty", "calculation": "sum"},
        ],
        "bands": [
            {"type": "title", "height": 20, "elements": [_text("'From ' + coalesce(region, '(none)')")]},
            {"type": "group_header", "group": "region", "height": 14, "elements": [
                {"type": "field", "x": 0, "y": 0, "width": 90, "height": 12, "field": "region", "null_text": "(none)"},
                _text("vars.region_total", 100, format={"kind": "currency", "currency": "USD"})]},
            {"type": "group_footer", "group": "product", "height": 14, "elements": [
                {"type": "field", "x": 0, "y": 0, "width": 90, "height": 12, "field": "product"},
                _text("vars.product_total", 100), _text("vars.product_avg", 200),
                _text("vars.product_n", 300),
                {"type": "aggregate", "x": 400, "y": 0, "width": 90, "height": 12, "calculation": "max", "expression": "amount", "scope": "group:product"}]},
            {"type": "summary", "height": 14, "elements": [
                _text("vars.grand"), _text("vars.qty", 100),
                {"type": "aggregate", "x": 200, "y": 0, "width": 90, "height": 12, "calculation": "min", "expression": "amount", "scope": "report"}]},
            {"type": "page_footer", "height": 14, "elements": [
                {"type": "page_number", "x": 0, "y": 0, "width": 90, "height": 12}]},
        ],
    }  # fmt: skip
    data.update(overrides)
    return Report.model_validate(data)


def _independent(db: Path) -> dict[str, Any]:
    """Totals computed with sqlite3 and Python Decimals from the stored text, not by the engine."""
    conn = sqlite3.connect(db)
    amounts = [Decimal(t) for (t,) in conn.execute("SELECT CAST(amount AS TEXT) FROM sales") if t]
    (qty,) = conn.execute("SELECT SUM(qty) FROM sales").fetchone()
    conn.close()
    return {"grand": sum(amounts), "qty": qty, "min": min(amounts)}


def _json(
    report: Report, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pushdown: bool
) -> dict[str, Any]:
    path = tmp_path / f"{report.name}.ashr"
    path.write_text(report.model_dump_json(exclude_none=True), encoding="utf-8")
    out = tmp_path / f"out_{pushdown}.json"
    monkeypatch.setenv("ASHR_PUSHDOWN", "1" if pushdown else "0")
    assert main(["render", str(path), "-o", str(out)]) == 0
    return json.loads(out.read_text(encoding="utf-8"))


def _texts(document: dict[str, Any], band_type: str) -> list[list[str]]:
    return [[e["text"] for e in b["elements"]] for b in document["bands"] if b["type"] == band_type]


def test_pushed_down_typst_equals_reading_every_row(sales_db: Path) -> None:
    report = _summary_report(sales_db)
    pushed = render_report(report, fmt="typ")
    rows = render_report(report, fmt="typ", pushdown=False)
    assert pushed.pushdown and not rows.pushdown
    assert pushed.pages[0] == rows.pages[0]
    assert pushed.page_count == rows.page_count


def test_pushed_down_json_equals_reading_every_row_and_totals_are_exact(
    sales_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = _summary_report(sales_db)
    pushed = _json(report, tmp_path, monkeypatch, True)
    assert pushed == _json(report, tmp_path, monkeypatch, False)
    truth = _independent(sales_db)
    (summary,) = _texts(pushed, "summary")
    assert summary == [str(truth["grand"]), str(truth["qty"]), str(truth["min"])]
    footers = [b for b in pushed["bands"] if b["type"] == "group_footer"]
    assert len(footers) == 5 * 12
    assert footers[-1]["row_number"] == 50_000  # row numbers as if every row were read
    assert _texts(pushed, "title") == [["From (none)"]]


def test_group_totals_are_exact_to_the_cent(
    sales_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = _summary_report(sales_db)
    pushed = _json(report, tmp_path, monkeypatch, True)
    conn = sqlite3.connect(sales_db)
    expected: dict[tuple[Any, str], Decimal] = {}
    for region, product, text in conn.execute(
        "SELECT region, product, CAST(amount AS TEXT) FROM sales"
    ):
        if text is not None:
            expected[(region, product)] = expected.get((region, product), Decimal(0)) + Decimal(
                text
            )
    conn.close()
    got = {
        (b_region, f["elements"][0]["text"]): Decimal(f["elements"][1]["text"])
        for b_region, f in _footers_with_region(pushed)
    }
    assert got == expected


def _footers_with_region(document: dict[str, Any]) -> list[tuple[Any, dict[str, Any]]]:
    region: Any = None
    out = []
    for band in document["bands"]:
        if band["type"] == "group_header":
            text = band["elements"][0]["text"]
            region = None if text == "(none)" else text
        elif band["type"] == "group_footer":
            out.append((region, band))
    return out


@pytest.mark.parametrize(
    "change",
    [
        {"filter": "qty > 2"},
        {"variables_extra": {"name": "med", "expression": "amount", "calculation": "median"}},
        {"variables_extra": {"name": "twice", "expression": "amount * 2", "calculation": "sum"}},
        {"bands_extra": {"type": "detail", "height": 12, "elements": [_text("amount")]}},
    ],
    ids=["filter", "median", "expression", "detail"],
)
def test_reports_that_are_not_pushable_read_every_row(
    sales_db: Path, change: dict[str, Any]
) -> None:
    base = _summary_report(sales_db)
    data = json.loads(base.model_dump_json(exclude_none=True))
    if "filter" in change:
        data["filter"] = change["filter"]
    if "variables_extra" in change:
        data["variables"].append(change["variables_extra"])
    if "bands_extra" in change:
        data["bands"].append(change["bands_extra"])
    report = Report.model_validate(data)
    result = render_report(report, fmt="typ")
    assert not result.pushdown
    if "filter" not in change:
        assert str(_independent(sales_db)["grand"]) in result.pages[0].decode()


def test_chinook_invoices_by_country_without_details(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = EXAMPLES / "invoices_by_country.ashr"
    report = load_report(source)
    report = report.model_copy(
        update={"bands": tuple(b for b in report.bands if b.type != "detail")}
    )
    pushed = render_report(report, fmt="typ", base_dir=source.parent)
    rows = render_report(report, fmt="typ", base_dir=source.parent, pushdown=False)
    assert pushed.pushdown and not rows.pushdown
    assert pushed.pages[0] == rows.pages[0]
    conn = sqlite3.connect(f"file:{EXAMPLES / 'chinook.sqlite'}?mode=ro", uri=True)
    total = sum(Decimal(t) for (t,) in conn.execute("SELECT CAST(Total AS TEXT) FROM Invoice"))
    conn.close()
    assert total == Decimal("2328.60")
    assert "2,328.60" in pushed.pages[0].decode()


def test_csv_output_reads_the_rows(sales_db: Path, tmp_path: Path) -> None:
    report = _summary_report(sales_db)
    path = tmp_path / "r.ashr"
    path.write_text(report.model_dump_json(exclude_none=True), encoding="utf-8")
    out = tmp_path / "rows.csv"
    assert main(["render", str(path), "-o", str(out)]) == 0
    assert len(out.read_text(encoding="utf-8").splitlines()) == 50_001
