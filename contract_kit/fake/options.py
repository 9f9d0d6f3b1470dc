"""The choices a test makes about how the fake answers; read by the service and its handlers."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

from contract_kit.fake.store import DEFAULT_CONTAINER, DEFAULT_SANDBOX, check_sandbox

__all__ = ["BASE_URL", "OfferLibraryOptions"]

BASE_URL = "https://platform.adobe.io"


@dataclass(frozen=True, slots=True)
class OfferLibraryOptions:
    """How the fake answers where the docs leave a choice (see docs/contract.md).

    Given as keywords of ``@pytest.mark.offer_library(...)``; an unknown keyword is an error.
    """

    #: Status of a successful create: 201 (default; a Location header comes with it) or 200.
    create_status: Literal[200, 201] = 201
    #: Status of a successful delete: 202 as the xcore pages document, or 200 or 204.
    delete_status: Literal[200, 202, 204] = 202
    #: Body of a successful delete: none (the xcore pages), or the receipt (the older tutorial).
    delete_body: Literal["empty", "receipt"] = "empty"
    #: Refuse (422) a write whose references name no stored object of their kinds in the
    #: container, and keep referenced objects from being deleted.
    check_references: bool = True
    #: A delete of an object others reference: "poll" answers 202 and lets the Location's
    #: poll say "rejected", as the xcore pages document; "immediate" answers 409 at once.
    delete_integrity: Literal["poll", "immediate"] = "poll"
    #: How many polls of a delete's Location answer 202 (undecided) before its outcome.
    delete_pending_polls: int = 0
    #: Page size of searches and lookups that send no ``limit``.
    page_size: int = 50
    #: Let requests that break the contract pass the test (they still get error answers).
    allow_violations: bool = False
    #: Fail the test on warnings too (calls the service takes although the docs differ).
    strict: bool = False
    container_id: str = DEFAULT_CONTAINER
    base_url: str = BASE_URL
    #: How many of the latest calls ``calls`` keeps (broken ones beyond them are kept too,
    #: as many again, so they still fail the test), so a long-lived fake stays small.
    call_log_size: int = 1000
    #: The sandboxes the fake holds, each with its container id: ``{"prod": ..., "dev": ...}``.
    #: Prod is always there, with ``container_id``; a call without x-sandbox-name goes to it.
    sandboxes: Mapping[str, str] = field(default_factory=dict)
    #: A call to the container of another sandbox than its x-sandbox-name names (absent:
    #: prod): answered from that container with a ``sandbox-mismatch`` warning ("warn", as a
    #: recorded client saw), or refused with 404 ("strict", as other Platform APIs would).
    sandbox_isolation: Literal["warn", "strict"] = "warn"

    def __post_init__(self) -> None:
        choices = {
            "create_status": (200, 201),
            "delete_status": (200, 202, 204),
            "delete_body": ("empty", "receipt"),
            "sandbox_isolation": ("warn", "strict"),
            "delete_integrity": ("poll", "immediate"),
        }
        for name, allowed in choices.items():
            if getattr(self, name) not in allowed:
                listed = ", ".join(map(repr, allowed))
                raise ValueError(
                    f"offer_library option {name}={getattr(self, name)!r}: expected one of {listed}"
                )
        for name in ("page_size", "call_log_size"):
            if getattr(self, name) < 1:
                raise ValueError(
                    f"offer_library option {name}={getattr(self, name)}: expected at least 1"
                )
        polls = self.delete_pending_polls
        if isinstance(polls, bool) or not isinstance(polls, int) or polls < 0:
            raise ValueError(
                f"offer_library option delete_pending_polls={polls!r}: expected a whole number, "
                "0 or more"
            )
        self._settle_sandboxes()

    def _settle_sandboxes(self) -> None:
        """Check ``sandboxes`` and make prod's entry and ``container_id`` one and the same."""
        if not isinstance(self.sandboxes, Mapping):
            raise TypeError(
                f"offer_library option sandboxes={self.sandboxes!r}: expected a mapping of "
                'sandbox name to container id, such as {"prod": "<uuid>", "dev": "<uuid>"}'
            )
        for name, container_id in self.sandboxes.items():
            try:
                check_sandbox(name, container_id)
            except ValueError as error:
                raise ValueError(f"offer_library option sandboxes: {error}") from None
        prod = self.sandboxes.get(DEFAULT_SANDBOX, self.container_id).lower()
        if self.container_id.lower() not in {DEFAULT_CONTAINER, prod}:
            raise ValueError(
                f"offer_library options container_id={self.container_id!r} and "
                f"sandboxes['prod']={prod!r} disagree; give prod's container once"
            )
        ids = [prod, *(c.lower() for n, c in self.sandboxes.items() if n != DEFAULT_SANDBOX)]
        if len(set(ids)) < len(ids):
            raise ValueError(
                "offer_library option sandboxes: two sandboxes name the same container; a "
                "container belongs to one sandbox"
            )
        # Frozen: the settled values are set once, here.
        object.__setattr__(self, "container_id", prod)
        object.__setattr__(
            self,
            "sandboxes",
            MappingProxyType(
                {
                    DEFAULT_SANDBOX: prod,
                    **{
                        name: container_id.lower()
                        for name, container_id in self.sandboxes.items()
                        if name != DEFAULT_SANDBOX
                    },
                }
            ),
        )

    @classmethod
    def from_keywords(cls, **keywords: Any) -> OfferLibraryOptions:
        """Options from marker keywords; a misspelt keyword fails loudly, naming the known ones."""
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(keywords) - known)
        if unknown:
            listed = ", ".join(sorted(known))
            raise TypeError(
                f"unknown offer_library option {unknown[0]!r}; the options are {listed}"
            )
        return cls(**keywords)
