"""Pure rules for forming groups and balancing caseloads (no database).

Group size: RULES.md "P2K2 / FDS curriculum" (10-30 families in sources; Bondowoso averaged
≈ 32) and issue 3 (band 10-35, target 32); caseload band per pendamping: issue 3 (150-350).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

UNDER = "under"
WITHIN = "within"
OVER = "over"


def split_sizes(n: int, *, minimum: int, maximum: int, target: int) -> list[int]:
    """Sizes of the groups formed from ``n`` families of one desa: the fewest groups near
    ``target`` with every size inside [minimum, maximum], sizes differing by at most one.

    A desa with fewer than ``minimum`` families forms one small group (see ``is_small``).
    When no split fits the band (a narrow band), the sizes never exceed ``maximum``.
    """
    if n <= 0:
        return []
    if n < minimum:
        return [n]
    fewest = math.ceil(n / maximum)
    most = max(n // minimum, 1)
    count = max(fewest, round(n / target), 1)
    count = min(count, most) if fewest <= most else fewest
    size, extra = divmod(n, count)
    return [size + 1] * extra + [size] * (count - extra)


def is_small(size: int, *, minimum: int) -> bool:
    """A group below the band (a small desa): shown flagged for the operator."""
    return size < minimum


def load_status(load: int, *, min_load: int, max_load: int) -> str:
    if load < min_load:
        return UNDER
    if load > max_load:
        return OVER
    return WITHIN


@dataclass
class Assignment:
    pendamping_of_group: list[int]  # the pendamping id of each group, in input order
    loads: dict[int, int] = field(default_factory=dict)
    statuses: dict[int, str] = field(default_factory=dict)


def assign_groups_to_pendamping(
    group_sizes: Sequence[int],
    pendamping_ids: Sequence[int],
    *,
    min_load: int,
    max_load: int,
    existing_loads: dict[int, int] | None = None,
) -> Assignment:
    """Greedy balancing: the largest group first, each to the least-loaded pendamping (ties to
    the earlier one in ``pendamping_ids``), starting from ``existing_loads``."""
    if not pendamping_ids:
        raise ValueError("no pendamping to assign groups to")
    loads = {pid: (existing_loads or {}).get(pid, 0) for pid in pendamping_ids}
    rank = {pid: i for i, pid in enumerate(pendamping_ids)}
    result = [0] * len(group_sizes)
    for index in sorted(range(len(group_sizes)), key=lambda i: (-group_sizes[i], i)):
        chosen = min(pendamping_ids, key=lambda pid: (loads[pid], rank[pid]))
        result[index] = chosen
        loads[chosen] += group_sizes[index]
    statuses = {pid: load_status(load, min_load=min_load, max_load=max_load) for pid, load in loads.items()}
    return Assignment(pendamping_of_group=result, loads=loads, statuses=statuses)
