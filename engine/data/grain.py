"""Query grains: the field sets of a report's pushed-down charts and a sample of the source in, the field sets to GROUP BY (merged while small) out.

A database groups by sorting every row, so each GROUP BY costs about one sort of the
whole source whatever its fields. Charts whose field sets differ (by product, by
quantity, by day and region) can instead share one GROUP BY over the union of their
fields — the finest common grain — and each chart rolls its points up from those
partial aggregates (a sum of sums, a count of counts, min of mins, ...: exact). That
pays only while the union gives few groups: every group comes back to Python and is
merged into each chart. So sets are merged only while the estimated group count of the
union stays within a cap; the estimate comes from a sample of the rows (Chao1: the
distinct keys seen, plus more the more keys were seen only once). The query still
checks the real count (``queries``) and falls back to one query per set past the cap.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

FieldSet = tuple[str, ...]


def widest(wanted: Sequence[FieldSet]) -> list[FieldSet]:
    """The announced field sets that no other one holds, each where its first subset was announced."""
    found: list[FieldSet] = []
    for fields in wanted:
        mine = frozenset(fields)
        if any(mine <= frozenset(other) for other in found):
            continue
        held = [i for i, other in enumerate(found) if frozenset(other) < mine]
        at = held[0] if held else len(found)
        found = [other for i, other in enumerate(found) if i not in held]
        found.insert(at, fields)
    return found


def estimate_groups(keys: Sequence[tuple[Any, ...]], *, complete: bool = False) -> float:
    """How many distinct keys the whole source holds, judged from a sample of its keys (Chao1).

    With ``complete`` the sample is every row: the count of distinct keys itself.
    """
    counts: dict[tuple[Any, ...], int] = {}
    for key in keys:
        counts[key] = counts.get(key, 0) + 1
    if complete:
        return len(counts)
    once = sum(1 for n in counts.values() if n == 1)
    twice = sum(1 for n in counts.values() if n == 2)
    if twice:
        return len(counts) + once * once / (2 * twice)
    return len(counts) + once * (once - 1) / 2


def merge_grains(
    sets: Sequence[FieldSet],
    sample: Sequence[tuple[Any, ...]],
    columns: Sequence[str],
    cap: int,
    *,
    complete: bool = False,
) -> list[tuple[FieldSet, tuple[FieldSet, ...]]]:
    """The GROUP BYs to run: (fields, the announced sets they cover) with an estimate within `cap`.

    Greedy, in announcement order: each set joins the merged grain whose union with it
    has the fewest estimated groups, if that is within `cap`, else starts its own.
    `sample` rows hold the values of `columns` (every field of `sets`); ``complete``: they
    are all of the source's rows.
    """
    position = {name: i for i, name in enumerate(columns)}

    def estimate(fields: FieldSet) -> float:
        at = [position[name] for name in fields]
        return estimate_groups([tuple(row[i] for i in at) for row in sample], complete=complete)

    merged: list[tuple[FieldSet, list[FieldSet]]] = []
    for fields in sets:
        best: tuple[float, int, FieldSet] | None = None
        for i, (grain, _) in enumerate(merged):
            union = tuple(dict.fromkeys((*grain, *fields)))
            guess = estimate(union)
            if guess <= cap and (best is None or guess < best[0]):
                best = (guess, i, union)
        if best is None:
            merged.append((fields, [fields]))
        else:
            _, i, union = best
            merged[i] = (union, [*merged[i][1], fields])
    return [(grain, tuple(parts)) for grain, parts in merged]
