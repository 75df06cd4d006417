"""rename_references and rename_parameters: references to renamed variables and parameters rewritten, nothing else."""

from __future__ import annotations

import pytest

from engine.data.sqlite import PARAMETER_RE, rename_parameters
from engine.expr import rename_references
from engine.expr.parse import analyse_expression


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("vars.total", "vars.grand"),
        ("vars.total + vars.totals * 2", "vars.grand + vars.totals * 2"),
        ("'vars.total' + str(vars . total)", "'vars.total' + str(vars . grand)"),
        ("total + params.total + field('total')", "total + params.total + field('total')"),
        (
            "  'é€ 日本' + str(vars.total) + (1 +\n vars.total)",
            "  'é€ 日本' + str(vars.grand) + (1 +\n vars.grand)",
        ),
        (
            "vars.count if vars.total > 0 else vars.total",
            "vars.count if vars.grand > 0 else vars.grand",
        ),
        ("vars.total +", "vars.total +"),  # not an expression: left for the validator to explain
    ],
)
def test_variable_references_follow_a_rename(text, expected):
    assert rename_references(text, "vars", {"total": "grand"}) == expected


def test_swapped_names_are_rewritten_at_once():
    text = "params.a - params.b"
    assert rename_references(text, "params", {"a": "b", "b": "a"}) == "params.b - params.a"


def test_the_rewritten_text_reads_the_new_names_only():
    text = "coalesce(vars.total, 0) / max(vars.total, 1) + vars.other"
    out = rename_references(text, "vars", {"total": "sum_all"})
    assert set(analyse_expression(out)[1].vars) == {"sum_all", "other"}


def test_query_parameters_follow_a_rename():
    sql = "SELECT * FROM t WHERE a >= :start AND b < :starting AND c = '10:30' AND d::text = :start"
    out = rename_parameters(sql, {"start": "from_date"})
    assert PARAMETER_RE.findall(out) == ["from_date", "starting", "from_date"]
    assert "'10:30'" in out and "d::text" in out
