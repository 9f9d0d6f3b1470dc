"""Facts of the Offer Library (xcore) API that code checks, where a schema cannot say them.

Each value is documented in docs/contract.md with its source; the decisions taken where public
sources disagree are there too.
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "CREATE_PATH",
    "HAL_MEDIA_TYPE",
    "OFFER_SCHEMA_PREFIX",
    "OFFER_SCHEMA_VERSIONS",
    "RECEIPT_MEDIA_TYPE",
    "SCHEMA_INSTANCE_MEDIA_TYPE",
]

#: The create call's path; ``{CONTAINER_ID}`` is a UUID.
CREATE_PATH: Final = "/data/core/xcore/{CONTAINER_ID}/instances"

RECEIPT_MEDIA_TYPE: Final = "application/vnd.adobe.platform.xcore.xdm.receipt+json"
SCHEMA_INSTANCE_MEDIA_TYPE: Final = "application/schema-instance+json"
HAL_MEDIA_TYPE: Final = "application/vnd.adobe.platform.xcore.hal+json"

#: Adobe's schema ids of offer-management kinds start with this, then the kind's name.
OFFER_SCHEMA_PREFIX: Final = "https://ns.adobe.com/experience/offer-management/"

#: The ``;version=`` values a request may name, per contract_kit kind: 0.1 is what the docs'
#: requests send, 0.5 what stored fallback offers report.
OFFER_SCHEMA_VERSIONS: Final = {"fallback-offer": ("0.1", "0.5")}
