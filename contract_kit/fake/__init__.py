"""A stateful, in-memory fake of the Offer Library repository API that checks every call.

The core (:class:`OfferLibrary`) knows nothing of HTTP libraries; adapters put it behind
``responses`` (for requests), an httpx transport, or a WSGI app.
"""

from contract_kit.fake.errors import FakeConnectionError, FakeContractError, SeedError
from contract_kit.fake.exchange import Call, FakeRequest, FakeResponse
from contract_kit.fake.options import OfferLibraryOptions
from contract_kit.fake.service import OfferLibrary

__all__ = (
    "Call",
    "FakeConnectionError",
    "FakeContractError",
    "FakeRequest",
    "FakeResponse",
    "OfferLibrary",
    "OfferLibraryOptions",
    "SeedError",
)
