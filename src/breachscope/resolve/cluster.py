"""Clustering scored pairs into individuals while honouring the cannot-link rules.

Plain connected components at a threshold chain errors together: A~B and B~C put A and
C in one cluster even when A and C have different SSNs. Here edges are added strongest
first and an edge is refused when the two clusters it would join hold any cannot-link
pair (two different SSNs, Jr and Sr, a reviewer's split, twins …). Reviewer merges are
applied first and are never refused.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from breachscope.resolve.normalize import Person
from breachscope.resolve.rules import cannot_link, ssn_typo

# Above this many cross pairs only the set-level checks (SSN, suffix, splits) run.
_MAX_CROSS_CHECKS = 2500


@dataclass
class _Cluster:
    members: list[int]
    ssns: set[str] = field(default_factory=set)
    generations: set[str] = field(default_factory=set)


class ConstrainedClusters:
    """Union-find over identity indices with cluster-level cannot-link checks."""

    def __init__(self, people: list[Person], splits: set[tuple[int, int]]) -> None:
        self.people = people
        self.parent = list(range(len(people)))
        self.clusters: dict[int, _Cluster] = {}
        for i, p in enumerate(people):
            self.clusters[i] = _Cluster(
                [i], {p.ssn} if p.ssn else set(), {p.generation} if p.generation else set()
            )
        self.splits: dict[int, set[int]] = {}
        for a, b in splits:
            self.splits.setdefault(a, set()).add(b)
            self.splits.setdefault(b, set()).add(a)
        self.refused: dict[tuple[int, int], str] = {}

    def find(self, i: int) -> int:
        root = i
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[i] != root:
            self.parent[i], i = root, self.parent[i]
        return root

    def _union(self, ra: int, rb: int) -> None:
        a, b = self.clusters[ra], self.clusters[rb]
        if len(a.members) < len(b.members):
            ra, rb, a, b = rb, ra, b, a
        self.parent[rb] = ra
        a.members.extend(b.members)
        a.ssns |= b.ssns
        a.generations |= b.generations
        del self.clusters[rb]

    def conflict(self, ra: int, rb: int) -> str | None:
        a, b = self.clusters[ra], self.clusters[rb]
        small, other_root = (a, rb) if len(a.members) <= len(b.members) else (b, ra)
        for x in small.members:
            for y in self.splits.get(x, ()):
                if self.find(y) == other_root:
                    return "reviewer_split"
        for s in a.ssns:
            for t in b.ssns:
                if s != t and not ssn_typo(s, t):
                    return "ssn_conflict"
        if len(a.generations | b.generations) > 1:
            return "suffix_conflict"
        if len(a.members) * len(b.members) <= _MAX_CROSS_CHECKS:
            for x in a.members:
                px = self.people[x]
                for y in b.members:
                    why = cannot_link(px, self.people[y])
                    if why:
                        return why
        return None

    def force(self, i: int, j: int) -> None:
        ri, rj = self.find(i), self.find(j)
        if ri != rj:
            self._union(ri, rj)

    def add_edges(self, edges: Iterable[tuple[float, int, int]]) -> dict[tuple[int, int], float]:
        """Add edges strongest first; returns the edges that joined clusters."""
        used: dict[tuple[int, int], float] = {}
        for p, i, j in sorted(edges, key=lambda e: (-e[0], e[1], e[2])):
            ri, rj = self.find(i), self.find(j)
            if ri == rj:
                continue
            why = self.conflict(ri, rj)
            if why:
                self.refused[(i, j)] = why
                continue
            self._union(ri, rj)
            used[(i, j)] = p
        return used

    def groups(self) -> list[list[int]]:
        return [sorted(c.members) for c in self.clusters.values()]
