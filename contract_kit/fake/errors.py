"""What the fake raises: a dropped connection, a bug of its own, or a seed it cannot store."""

from __future__ import annotations

__all__ = ["FakeConnectionError", "FakeContractError", "SeedError"]


class FakeConnectionError(ConnectionError):
    """A fault made the fake drop the connection; adapters turn it into their library's error."""


class FakeContractError(AssertionError):
    """The fake produced an answer that breaks the contract: a bug in contract_kit, not in you."""


class SeedError(ValueError):
    """The objects given to seed the fake cannot all be stored, so none was.

    The message lists each problem at ``file:line:column`` (for files) or at its pointer.
    """
