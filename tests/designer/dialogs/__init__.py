"""Tests of the Report menu dialogs."""
