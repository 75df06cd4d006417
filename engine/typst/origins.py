"""A line → report object table for generated Typst source, so errors can name the band and element."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field


@dataclass
class Origins:
    """Which report object produced which lines of generated Typst source (1-based lines)."""

    starts: list[int] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)

    def mark(self, line: int, label: str) -> None:
        """Lines from `line` on come from `label`, until the next mark."""
        self.starts.append(line)
        self.labels.append(label)

    def label_of(self, line: int) -> str:
        """The report object that produced `line`, or ''."""
        i = bisect_right(self.starts, line) - 1
        return self.labels[i] if i >= 0 else ""

    def shifted(self, lines: int) -> Origins:
        """The same table for source with `lines` more lines in front."""
        return Origins([s + lines for s in self.starts], list(self.labels))
