"""Element geometry in points: an element model in, its box out, and moved or resized copies of it."""

from __future__ import annotations

from typing import Any, NamedTuple


class Box(NamedTuple):
    """An element's box relative to its band's top-left corner, in points."""

    x: float
    y: float
    width: float
    height: float


def is_line(element: Any) -> bool:
    """Lines are given by two end points instead of a box."""
    return element.type == "line"


def element_box(element: Any) -> Box:
    """The box an element occupies; a line's box spans its two end points (and may be 0 wide or high)."""
    if is_line(element):
        x, y = min(element.x, element.x2), min(element.y, element.y2)
        return Box(x, y, abs(element.x2 - element.x), abs(element.y2 - element.y))
    return Box(element.x, element.y, element.width, element.height)


def moved(element: Any, x: float, y: float) -> Any:
    """A copy of the element whose box starts at (x, y); a line keeps its direction and length."""
    box = element_box(element)
    dx, dy = x - box.x, y - box.y
    if is_line(element):
        return element.replace(
            x=element.x + dx, y=element.y + dy, x2=element.x2 + dx, y2=element.y2 + dy
        )
    return element.replace(x=float(x), y=float(y))


def resized(element: Any, box: Box) -> Any:
    """A copy of the element fitted to ``box``; a line's end points keep their corners of the box."""
    if not is_line(element):
        return element.replace(x=box.x, y=box.y, width=box.width, height=box.height)
    old = element_box(element)

    def along(
        value: float, start: float, length: float, new_start: float, new_length: float
    ) -> float:
        if length == 0:
            return new_start
        return new_start + (value - start) / length * new_length

    return element.replace(
        x=along(element.x, old.x, old.width, box.x, box.width),
        y=along(element.y, old.y, old.height, box.y, box.height),
        x2=along(element.x2, old.x, old.width, box.x, box.width),
        y2=along(element.y2, old.y, old.height, box.y, box.height),
    )


def set_field(model: Any, path: str, value: Any) -> Any:
    """A validated copy of ``model`` with the field at a dotted path (``stroke.width``) set to ``value``.

    Raises:
        pydantic.ValidationError: when the value is not allowed there.
    """
    name, _, rest = path.partition(".")
    if rest:
        value = set_field(getattr(model, name), rest, value)
    return model.replace(**{name: value})


def get_field(model: Any, path: str) -> Any:
    """The value at a dotted path, or None when a model on the way is None."""
    for name in path.split("."):
        if model is None:
            return None
        model = getattr(model, name)
    return model
