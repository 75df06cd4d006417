"""Arranging elements: the selected boxes in, their aligned, equally sized or distributed boxes out."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from .geometry import Box

K = TypeVar("K")

#: operation name → (menu caption, function of the boxes in selection order)
ARRANGEMENTS: dict[str, tuple[str, Callable[[dict[Any, Box]], dict[Any, Box]]]] = {}


def arrangement(name: str, caption: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register an arrange operation under a name with its menu caption."""

    def register(func: Callable[..., Any]) -> Callable[..., Any]:
        ARRANGEMENTS[name] = (caption, func)
        return func

    return register


def _r(value: float) -> float:
    return round(value, 3)


def arrange(name: str, boxes: Mapping[K, Box]) -> dict[K, Box]:
    """The new boxes of an operation (only those that change); fewer than 2 boxes change nothing.

    Raises:
        KeyError: for an unknown operation name.
    """
    func = ARRANGEMENTS[name][1]
    if len(boxes) < 2:
        return {}
    result = func(dict(boxes))
    return {k: Box(*map(_r, b)) for k, b in result.items() if tuple(b) != tuple(boxes[k])}


@arrangement("left", "Align &Left Edges")
def _left(boxes: dict[Any, Box]) -> dict[Any, Box]:
    left = min(b.x for b in boxes.values())
    return {k: b._replace(x=left) for k, b in boxes.items()}


@arrangement("right", "Align &Right Edges")
def _right(boxes: dict[Any, Box]) -> dict[Any, Box]:
    right = max(b.x + b.width for b in boxes.values())
    return {k: b._replace(x=right - b.width) for k, b in boxes.items()}


@arrangement("top", "Align &Top Edges")
def _top(boxes: dict[Any, Box]) -> dict[Any, Box]:
    top = min(b.y for b in boxes.values())
    return {k: b._replace(y=top) for k, b in boxes.items()}


@arrangement("bottom", "Align &Bottom Edges")
def _bottom(boxes: dict[Any, Box]) -> dict[Any, Box]:
    bottom = max(b.y + b.height for b in boxes.values())
    return {k: b._replace(y=bottom - b.height) for k, b in boxes.items()}


@arrangement("hcenter", "Align &Horizontal Centres")
def _hcenter(boxes: dict[Any, Box]) -> dict[Any, Box]:
    left = min(b.x for b in boxes.values())
    right = max(b.x + b.width for b in boxes.values())
    middle = (left + right) / 2
    return {k: b._replace(x=middle - b.width / 2) for k, b in boxes.items()}


@arrangement("vcenter", "Align &Vertical Centres")
def _vcenter(boxes: dict[Any, Box]) -> dict[Any, Box]:
    top = min(b.y for b in boxes.values())
    bottom = max(b.y + b.height for b in boxes.values())
    middle = (top + bottom) / 2
    return {k: b._replace(y=middle - b.height / 2) for k, b in boxes.items()}


@arrangement("same_width", "Same &Width")
def _same_width(boxes: dict[Any, Box]) -> dict[Any, Box]:
    width = next(iter(boxes.values())).width  # the first selected element sets the size
    return {k: b._replace(width=width) for k, b in boxes.items()}


@arrangement("same_height", "Same H&eight")
def _same_height(boxes: dict[Any, Box]) -> dict[Any, Box]:
    height = next(iter(boxes.values())).height
    return {k: b._replace(height=height) for k, b in boxes.items()}


@arrangement("distribute_h", "Distribute H&orizontally")
def _distribute_h(boxes: dict[Any, Box]) -> dict[Any, Box]:
    order = sorted(boxes, key=lambda k: (boxes[k].x, boxes[k].y))
    first, last = boxes[order[0]], boxes[order[-1]]
    span = last.x + last.width - first.x
    gap = (span - sum(b.width for b in boxes.values())) / (len(order) - 1)
    result, x = {}, first.x
    for k in order:
        result[k] = boxes[k]._replace(x=x)
        x += boxes[k].width + gap
    return result


@arrangement("distribute_v", "Distribute Vert&ically")
def _distribute_v(boxes: dict[Any, Box]) -> dict[Any, Box]:
    order = sorted(boxes, key=lambda k: (boxes[k].y, boxes[k].x))
    first, last = boxes[order[0]], boxes[order[-1]]
    span = last.y + last.height - first.y
    gap = (span - sum(b.height for b in boxes.values())) / (len(order) - 1)
    result, y = {}, first.y
    for k in order:
        result[k] = boxes[k]._replace(y=y)
        y += boxes[k].height + gap
    return result
