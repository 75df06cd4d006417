"""Fixtures of the render tests: the fill tests' Chinook rows (the data writers take band instances)."""

from tests.engine.fill.conftest import chinook, invoices, sql  # noqa: F401  (fixtures)
