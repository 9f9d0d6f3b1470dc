"""What one container's Decisioning runtime keeps between calls: caps, profiles, traces.

One per container, so a sandbox's decisions never count against another's caps. The
candidate rankings are cached for speed and thrown away whenever the container changes
(its ``version`` moves on every insert, replace, remove and touch): a stale ranking would
propose a deleted offer. ``reset()`` makes a new store, and with it new caps.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from contract_kit.decisioning.candidates import Rankings
from contract_kit.decisioning.selection import Caps

if TYPE_CHECKING:
    from collections.abc import Mapping

    from contract_kit.decisioning.trace import DecisionTrace

__all__ = ["TRACES_KEPT", "DecisionState"]

#: The traces kept for GET /_contract-kit/decisions/{propositionId}, newest last.
TRACES_KEPT = 1000


@dataclass
class DecisionState:
    """Caps, request ids seen, profiles by identity, recent traces, and the ranking cache."""

    caps: Caps = field(default_factory=Caps)
    rankings: Rankings = field(default_factory=Rankings)
    seen_request_ids: set[str] = field(default_factory=set)
    profiles: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    traces: OrderedDict[str, DecisionTrace] = field(default_factory=OrderedDict)
    _version: int = -1
    _library: dict[str, dict[str, Mapping[str, Any]]] = field(default_factory=dict)

    def library(
        self, kinds: Mapping[str, Mapping[str, Mapping[str, Any]]], version: int
    ) -> dict[str, dict[str, Mapping[str, Any]]]:
        """The container's objects by kind and ``@id``, rebuilt (rankings cleared) on a change."""
        if version != self._version:
            self.rankings.clear()
            self._library = {
                kind: {envelope["_instance"]["@id"]: envelope for envelope in held.values()}
                for kind, held in kinds.items()
            }
            self._version = version
        return self._library

    def keep(self, trace: DecisionTrace) -> None:
        """Remember a decision's trace by its propositionId, forgetting the oldest past the cap."""
        self.traces[trace.proposition_id] = trace
        while len(self.traces) > TRACES_KEPT:
            self.traces.popitem(last=False)
