"""``--shard i/n``: which complexes a shard builds.

Shard ``i`` of ``n`` takes every n-th complex of the build's sorted id list, starting at the i-th
(round robin): shards are balanced to one complex, and whether an id lands in a shard depends only
on the corpus, the split file and ``--limit`` (``misi-bench merge`` checks that every shard saw the
same inputs). Each shard still knows the whole sorted id list of every split, so tasks that pair
complexes draw the same partner as a one-shot build.
"""

from __future__ import annotations

import re

_SPEC = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


class ShardSpecError(ValueError):
    """A ``--shard`` value that is not ``i/n`` with 1 <= i <= n."""


def parse_shard(text: str) -> tuple[int, int]:
    """``"2/4"`` -> ``(2, 4)``; ShardSpecError naming the bad value."""
    match = _SPEC.match(text)
    if not match:
        raise ShardSpecError(f"--shard must look like i/n (e.g. 1/4), got {text!r}")
    index, count = int(match.group(1)), int(match.group(2))
    if not 1 <= index <= count:
        raise ShardSpecError(f"--shard {text}: need 1 <= i <= n")
    return index, count


def shard_ids(sorted_ids: list[str], shard: tuple[int, int] | None) -> list[str]:
    """The ids shard ``(i, n)`` builds, in sorted order (all of them when ``shard`` is None)."""
    if shard is None:
        return list(sorted_ids)
    index, count = shard
    return list(sorted_ids[index - 1::count])
