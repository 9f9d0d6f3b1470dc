"""contract_kit: the Adobe Offer Library fallback-offer contract, executable.

Importing this package is light: jsonschema and the schemas load on the first check.
"""

from contract_kit.assertions import (
    ContractViolation,
    assert_receipt,
    assert_request_valid,
    assert_valid,
)
from contract_kit.checks import violations
from contract_kit.errors import SchemaBundleError, UnknownKindError
from contract_kit.fake import OfferLibrary, OfferLibraryOptions
from contract_kit.request_check import check_request
from contract_kit.rules import rules
from contract_kit.schema_bundle import kinds, load_schema
from contract_kit.violation import Violation

__all__ = (
    "ContractViolation",
    "OfferLibrary",
    "OfferLibraryOptions",
    "SchemaBundleError",
    "UnknownKindError",
    "Violation",
    "assert_receipt",
    "assert_request_valid",
    "assert_valid",
    "check_request",
    "kinds",
    "load_schema",
    "rules",
    "violations",
)
