"""What the fake's tests send: the credentials, the media types and the URLs, in one place."""

from __future__ import annotations

from contract_kit.fake.store import DEFAULT_CONTAINER

ROOT = "https://platform.adobe.io/data/core/xcore"
BASE = f"{ROOT}/{DEFAULT_CONTAINER}"
SCHEMA = "https://ns.adobe.com/experience/offer-management/fallback-offer;version=0.1"
#: The three headers every call carries (a well-formed token, key and organization).
CREDENTIALS = (
    ("Authorization", "Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln"),
    ("x-api-key", "4a6f3c1d2e8b4f0a"),
    ("x-gw-ims-org-id", "0123ABCD@AdobeOrg"),
)
HOME = ("Accept", "application/vnd.adobe.platform.xcore.home.hal+json")
HAL = ("Accept", "application/vnd.adobe.platform.xcore.hal+json")
RECEIPT = ("Accept", "application/vnd.adobe.platform.xcore.xdm.receipt+json; version=1")
CREATE_TYPE = ("Content-Type", f'application/schema-instance+json; version=1; schema="{SCHEMA}"')
#: The container of the second sandbox the tests name (the previewer's recorded sandbox1).
DEV = "8a4838ca-dc7c-31d8-9983-2fbb0c224f3a"
