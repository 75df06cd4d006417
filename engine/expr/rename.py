"""Renamed names in expression text: a text, a namespace (``params`` or ``vars``) and old → new names in, the text with those references rewritten out."""

from __future__ import annotations

import ast
from collections.abc import Mapping

from engine.errors import ExpressionError

from .parse import analyse_expression


def rename_references(text: str, namespace: str, renames: Mapping[str, str]) -> str:
    """``text`` with every ``namespace.OLD`` written ``namespace.NEW``; the rest (spacing, strings, fields) untouched.

    A text that is not a valid expression comes back unchanged (its diagnostics stay the
    validator's to give).
    """
    if not renames or namespace not in text:
        return text
    try:
        tree, _ = analyse_expression(text)
    except ExpressionError:
        return text
    source = text.lstrip()
    lead = len(text) - len(source)
    # ast columns count UTF-8 bytes from the start of each line
    lines = source.encode("utf-8").split(b"\n")
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    spans = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == namespace
            and node.attr in renames
            and node.end_lineno is not None
            and node.end_col_offset is not None
        ):
            end = (
                starts[node.end_lineno - 1] + node.end_col_offset
            )  # the name is the node's last token
            spans.append((end - len(node.attr.encode("utf-8")), end, renames[node.attr]))
    if not spans:
        return text
    data = source.encode("utf-8")
    for start, end, new in sorted(spans, reverse=True):
        data = data[:start] + new.encode("utf-8") + data[end:]
    return text[:lead] + data.decode("utf-8")
