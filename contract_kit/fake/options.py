"""The choices a test makes about how the fake answers; read by the service and its handlers."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Literal

from contract_kit.fake.store import DEFAULT_CONTAINER

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
    #: Refuse (422) representations naming a placement the container does not have.
    check_references: bool = True
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

    def __post_init__(self) -> None:
        choices = {
            "create_status": (200, 201),
            "delete_status": (200, 202, 204),
            "delete_body": ("empty", "receipt"),
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
