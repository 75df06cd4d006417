"""Benchmark results (sections of tables and notes) → the Markdown of docs/performance.md."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Table:
    """A Markdown table: a header row and rows of already formatted cells."""

    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)
    title: str = ""

    def add(self, *cells: object) -> None:
        self.rows.append([str(cell) for cell in cells])

    def markdown(self) -> str:
        lines = [f"**{self.title}**", ""] if self.title else []
        lines.append("| " + " | ".join(self.columns) + " |")
        lines.append("|" + "|".join("---" for _ in self.columns) + "|")
        lines += ["| " + " | ".join(row) + " |" for row in self.rows]
        return "\n".join(lines)


@dataclass
class Section:
    """One benchmark's results: what was measured, its tables, targets missed, where time goes."""

    name: str
    title: str
    intro: str = ""
    tables: list[Table] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    met: list[str] = field(default_factory=list)
    profile: list[str] = field(default_factory=list)
    #: every target checked with `target`, in the order checked
    checked: list[tuple[str, bool]] = field(default_factory=list)
    #: target description → the measured value(s) it was judged on, for the Targets table
    measured: dict[str, str] = field(default_factory=dict)
    #: the 1, 5 and 15 min load averages just before and just after the benchmark ran
    load_before: tuple[float, float, float] | None = None
    load_after: tuple[float, float, float] | None = None
    #: wall time of the whole benchmark (data generation included)
    duration: float = 0.0

    def target(self, description: str, ok: bool, measured: str = "") -> str:
        """Record a target as met or missed (with what was measured); returns the cell text."""
        (self.met if ok else self.missed).append(description)
        self.checked.append((description, ok))
        if measured:
            self.measured[description] = measured
        return "yes" if ok else "**no**"

    def markdown(self) -> str:
        parts = [f"## {self.title}"]
        if self.intro:
            parts.append(self.intro.strip())
        parts += [table.markdown() for table in self.tables]
        parts += [note.strip() for note in self.notes]
        if self.profile:
            parts.append(
                "### Where the time goes\n\n" + "\n\n".join(p.strip() for p in self.profile)
            )
        return "\n\n".join(parts)


def seconds(value: float) -> str:
    return f"{value:.3f} s" if value < 10 else f"{value:.1f} s"


def millis(value: float) -> str:
    return f"{value * 1000:.1f} ms"


def megabytes(kb: float) -> str:
    return f"{kb / 1024:.0f} MiB"


def memory(summed_kb: float, largest_kb: float) -> str:
    """The process tree's summed peak, the largest single process's in brackets."""
    return f"{megabytes(summed_kb)} ({megabytes(largest_kb)})"


def load(value: tuple[float, float, float] | None) -> str:
    return " / ".join(f"{v:.2f}" for v in value) if value is not None else "—"


def rate(value: float) -> str:
    return f"{value:,.0f}"


def code_block(text: str) -> str:
    return "```\n" + text.rstrip() + "\n```"
