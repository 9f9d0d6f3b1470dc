"""contract_kit: the Adobe Offer Library fallback-offer contract, executable.

Importing this package is light: jsonschema and the schemas load on the first check.
"""

from contract_kit.assertions import (
    ContractViolation,
    assert_receipt,
    assert_request_valid,
    assert_valid,
)
from contract_kit.cassette import CassetteError
from contract_kit.checks import violations
from contract_kit.errors import SchemaBundleError, UnknownKindError
from contract_kit.fake import OfferLibrary, OfferLibraryOptions
from contract_kit.recording import record_cassette
from contract_kit.redaction import Redactions
from contract_kit.replay import ReplayMismatch, replay_cassette
from contract_kit.request_check import check_request
from contract_kit.rules import rules
from contract_kit.schema_bundle import kinds, load_schema
from contract_kit.violation import Violation

__all__ = (
    "CassetteError",
    "ContractViolation",
    "OfferLibrary",
    "OfferLibraryOptions",
    "Redactions",
    "ReplayMismatch",
    "SchemaBundleError",
    "UnknownKindError",
    "Violation",
    "assert_receipt",
    "assert_request_valid",
    "assert_valid",
    "check_request",
    "kinds",
    "load_schema",
    "record_cassette",
    "replay_cassette",
    "rules",
    "violations",
)
