"""contract_kit: the Adobe Offer Library fallback-offer contract, executable.

Importing this package is light: jsonschema and the schemas load on the first check.
"""

from contract_kit.assertions import ContractViolation, assert_valid
from contract_kit.checks import check_request, violations
from contract_kit.errors import SchemaBundleError, UnknownKindError
from contract_kit.rules import rules
from contract_kit.schema_bundle import kinds, load_schema
from contract_kit.violation import Violation

__all__ = (
    "ContractViolation",
    "SchemaBundleError",
    "UnknownKindError",
    "Violation",
    "assert_valid",
    "check_request",
    "kinds",
    "load_schema",
    "rules",
    "violations",
)
