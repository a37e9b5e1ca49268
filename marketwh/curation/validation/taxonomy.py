"""The taxonomy is a tree: each row of seeds/segments.csv that names a parent (parent_dimension,
parent_key) names a segment of the seed, and following parents always ends at a root.

A dangling parent leaves its segment out of every rollup under the parent it meant; a cycle (a country
whose region's parent is the country) has no root, so a rollup never ends or counts a value twice. Both
are refused: a dangling parent at its own line, a cycle once, at its first row, naming every row in it."""

from __future__ import annotations

from ..seedfiles import SeedTable
from .common import Add, at, rows, suggest

Node = tuple[str, str]  # (dimension, segment_key)


def check_parents(segments: SeedTable | None, add: Add) -> None:
    """Every parent exists and no segment is its own ancestor."""
    lines = {(row["dimension"], row["segment_key"]): row for row in rows(segments)}
    parent_of: dict[Node, Node] = {}
    for row in rows(segments):
        parent = (row["parent_dimension"], row["parent_key"])
        if parent == ("", ""):
            continue
        if "" in parent:
            add(at(segments, row, "parent_incomplete", "parent_dimension and parent_key go together: fill both, or neither for a root"))
        elif parent not in lines:
            known = [key for dimension, key in lines if dimension == parent[0]]
            add(
                at(
                    segments,
                    row,
                    "unknown_parent",
                    f"parent {parent[0]}:{parent[1]} of {row['dimension']}:{row['segment_key']} is not a segment of "
                    f"{segments.display_path}" + suggest(parent[1], known),
                )
            )
        else:
            parent_of[row["dimension"], row["segment_key"]] = parent
    for cycle in _cycles(parent_of):
        first = min(cycle, key=lambda node: lines[node].line)
        members = ", ".join(f"{dimension}:{key} (line {lines[dimension, key].line})" for dimension, key in _from(cycle, first))
        add(
            at(
                segments,
                lines[first],
                "taxonomy_cycle",
                f"the parents of {len(cycle)} segment(s) form a cycle: {members}, back to the first; "
                "a segment cannot be its own ancestor: give one of them another parent or none",
            )
        )


def _cycles(parent_of: dict[Node, Node]) -> list[list[Node]]:
    """Each cycle of the parent links once, in link order; every node is walked once."""
    walked: dict[Node, int] = {}  # node -> the walk that reached it first
    found = []
    for walk, start in enumerate(parent_of):
        path, node = [], start
        while node in parent_of and node not in walked:
            walked[node] = walk
            path.append(node)
            node = parent_of[node]
        if node in walked and walked[node] == walk:  # this walk came back onto itself
            found.append(path[path.index(node) :])
    return found


def _from(cycle: list[Node], first: Node) -> list[Node]:
    at_first = cycle.index(first)
    return cycle[at_first:] + cycle[:at_first]
