"""``contract-kit openapi``: the contract as an OpenAPI 3.1 document, for every other tool."""

from __future__ import annotations

from contract_kit.openapi.document import openapi_document
from contract_kit.openapi.render import FORMATS, render, write_atomically

__all__ = ("FORMATS", "openapi_document", "render", "write_atomically")
