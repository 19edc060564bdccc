"""Clustering scored pairs into individuals while honouring the cannot-link rules.

Plain connected components at a threshold chain errors together: A~B and B~C put A and
C in one cluster even when A and C have different SSNs. Here edges are added strongest
first and an edge is refused when the two clusters it would join hold any cannot-link
pair (two different SSNs, Jr and Sr, a reviewer's split, twins …). Reviewer merges are
applied first and are never refused. Family vetoes the stage waived for a pair (a shared
member ID at one address, one MRN within a client, or the last four SSN digits and the
DOB, and a near-certain model) do not block a join through that pair; nor, in a case
whose member IDs are personal, does a family veto between two identities with one ID.

Memory: a singleton cluster costs one slot in two flat lists; member lists and the SSN
and suffix sets exist only for clusters that have grown past one identity.
"""

from __future__ import annotations

from collections.abc import Iterable

from breachscope.resolve.normalize import Person
from breachscope.resolve.rules import (
    WAIVABLE_VETOES,
    cannot_link,
    personal_id_waives,
    ssn_typo,
)

# Above this many cross pairs only the set-level checks (SSN, suffix, splits) run.
_MAX_CROSS_CHECKS = 2500
_EMPTY: frozenset[str] = frozenset()


class ConstrainedClusters:
    """Union-find over identity indices with cluster-level cannot-link checks."""

    def __init__(
        self,
        people: list[Person],
        splits: set[tuple[int, int]],
        waived: set[tuple[int, int]] | None = None,
        *,
        personal_member_ids: bool = False,
        soft_family_vetoes: bool = False,
    ) -> None:
        self.people = people
        self.parent = list(range(len(people)))
        self.size = [1] * len(people)
        # Only for roots of clusters with more than one identity.
        self._members: dict[int, list[int]] = {}
        self._ssns: dict[int, set[str]] = {}
        self._generations: dict[int, set[str]] = {}
        self.splits: dict[int, set[int]] = {}
        for a, b in splits:
            self.splits.setdefault(a, set()).add(b)
            self.splits.setdefault(b, set()).add(a)
        self.waived = waived or set()
        self.personal_member_ids = personal_member_ids
        # In a noisy source (``rules.family_vetoes_are_noise``) family vetoes were weighed
        # pair by pair as a penalty; between clusters only the hard vetoes block.
        self.hard_vetoes_only = soft_family_vetoes
        self.refused: dict[tuple[int, int], str] = {}

    def find(self, i: int) -> int:
        parent = self.parent
        root = i
        while parent[root] != root:
            root = parent[root]
        while parent[i] != root:
            parent[i], i = root, parent[i]
        return root

    def members(self, root: int) -> list[int]:
        return self._members.get(root) or [root]

    def _ssns_of(self, root: int) -> set[str] | frozenset[str]:
        got = self._ssns.get(root)
        if got is not None:
            return got
        s = self.people[root].ssn if root not in self._members else ""
        return frozenset((s,)) if s else _EMPTY

    def _generations_of(self, root: int) -> set[str] | frozenset[str]:
        got = self._generations.get(root)
        if got is not None:
            return got
        g = self.people[root].generation if root not in self._members else ""
        return frozenset((g,)) if g else _EMPTY

    def _union(self, ra: int, rb: int) -> None:
        if self.size[ra] < self.size[rb]:
            ra, rb = rb, ra
        ssns = set(self._ssns_of(ra)) | self._ssns_of(rb)
        gens = set(self._generations_of(ra)) | self._generations_of(rb)
        members = self.members(ra) + self.members(rb)
        self.parent[rb] = ra
        self.size[ra] += self.size[rb]
        self._members[ra] = members
        self._members.pop(rb, None)
        self._ssns[ra] = ssns
        self._ssns.pop(rb, None)
        self._generations[ra] = gens
        self._generations.pop(rb, None)

    def conflict(self, ra: int, rb: int) -> str | None:
        a_members, b_members = self.members(ra), self.members(rb)
        small, other_root = (a_members, rb) if len(a_members) <= len(b_members) else (b_members, ra)
        if self.splits:
            for x in small:
                for y in self.splits.get(x, ()):
                    if self.find(y) == other_root:
                        return "reviewer_split"
        b_ssns = self._ssns_of(rb)
        for s in self._ssns_of(ra):
            for t in b_ssns:
                if s != t and not ssn_typo(s, t):
                    return "ssn_conflict"
        if len(self._generations_of(ra) | self._generations_of(rb)) > 1:
            return "suffix_conflict"
        if len(a_members) * len(b_members) <= _MAX_CROSS_CHECKS:
            people, waived, personal = self.people, self.waived, self.personal_member_ids
            hard_only = self.hard_vetoes_only
            for x in a_members:
                px = people[x]
                for y in b_members:
                    why = cannot_link(px, people[y])
                    if (
                        why
                        and not (hard_only and why in WAIVABLE_VETOES)
                        and (min(x, y), max(x, y)) not in waived
                        and not (personal and personal_id_waives(why, px, people[y]))
                    ):
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
        out: list[list[int]] = []
        for i, parent in enumerate(self.parent):
            if parent == i:
                out.append(sorted(self._members[i]) if i in self._members else [i])
        return out
