"""Which handler answers each operation of the API, by the operation's name."""

from __future__ import annotations

from typing import TYPE_CHECKING

from contract_kit.fake.decide import decide
from contract_kit.fake.handlers import discover, lookup, read, read_container, search_instances
from contract_kit.fake.writes import create, delete, delete_outcome, patch, update

if TYPE_CHECKING:
    from collections.abc import Callable

    from contract_kit.api.request_check import CallCheck
    from contract_kit.fake.exchange import FakeRequest, FakeResponse
    from contract_kit.fake.options import OfferLibraryOptions
    from contract_kit.fake.store import Store

__all__ = ["HANDLERS"]

HANDLERS: dict[
    str, Callable[[Store, OfferLibraryOptions, CallCheck, FakeRequest], FakeResponse]
] = {
    "discover": discover,
    "read-container": read_container,
    "create": create,
    "read": read,
    "lookup": lookup,
    "search": search_instances,
    "update": update,
    "patch": patch,
    "delete": delete,
    "delete-outcome": delete_outcome,
    "decide": decide,
    "decide-ods": decide,
}
