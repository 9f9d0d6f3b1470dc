"""contract_kit: the Adobe Offer Library contract, every kind and the decision call, executable.

Importing the package loads none of its parts: each name below is imported on first use, so
``import contract_kit`` (and the pytest plugin, which lives in it) stays cheap for every suite.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from contract_kit.api.decision_request import check_decision_request
    from contract_kit.api.request_check import check_request
    from contract_kit.assertions import (
        ContractViolation,
        assert_receipt,
        assert_request_valid,
        assert_valid,
    )
    from contract_kit.cassettes.cassette import CassetteError
    from contract_kit.cassettes.recording import record_cassette
    from contract_kit.cassettes.redaction import Redactions
    from contract_kit.cassettes.replay import ReplayMismatch, replay_cassette
    from contract_kit.cassettes.use import use_cassette
    from contract_kit.core.checks import violations
    from contract_kit.core.object_kinds import ObjectKind, object_kind, object_kinds
    from contract_kit.core.rule_catalogue import rule_details, rules
    from contract_kit.core.schema_bundle import kinds, load_schema
    from contract_kit.core.violation import Violation
    from contract_kit.decisioning.assertions import (
        DecisionMismatch,
        assert_fallback_served,
        assert_offer_proposed,
    )
    from contract_kit.decisioning.errors import UnsupportedPQLError
    from contract_kit.decisioning.request_body import decision_body
    from contract_kit.decisioning.response_check import check_decision_response
    from contract_kit.errors import SchemaBundleError, UnknownKindError
    from contract_kit.fake import OfferLibrary, OfferLibraryOptions, SeedError

__all__ = (
    "CassetteError",
    "ContractViolation",
    "DecisionMismatch",
    "ObjectKind",
    "OfferLibrary",
    "OfferLibraryOptions",
    "Redactions",
    "ReplayMismatch",
    "SchemaBundleError",
    "SeedError",
    "UnknownKindError",
    "UnsupportedPQLError",
    "Violation",
    "assert_fallback_served",
    "assert_offer_proposed",
    "assert_receipt",
    "assert_request_valid",
    "assert_valid",
    "check_decision_request",
    "check_decision_response",
    "check_request",
    "decision_body",
    "kinds",
    "load_schema",
    "object_kind",
    "object_kinds",
    "record_cassette",
    "replay_cassette",
    "rule_details",
    "rules",
    "use_cassette",
    "violations",
)

_EXPORTS = {
    "CassetteError": "contract_kit.cassettes.cassette",
    "ContractViolation": "contract_kit.assertions",
    "DecisionMismatch": "contract_kit.decisioning.assertions",
    "ObjectKind": "contract_kit.core.object_kinds",
    "OfferLibrary": "contract_kit.fake",
    "OfferLibraryOptions": "contract_kit.fake",
    "Redactions": "contract_kit.cassettes.redaction",
    "ReplayMismatch": "contract_kit.cassettes.replay",
    "SchemaBundleError": "contract_kit.errors",
    "SeedError": "contract_kit.fake",
    "UnknownKindError": "contract_kit.errors",
    "UnsupportedPQLError": "contract_kit.decisioning.errors",
    "Violation": "contract_kit.core.violation",
    "assert_fallback_served": "contract_kit.decisioning.assertions",
    "assert_offer_proposed": "contract_kit.decisioning.assertions",
    "assert_receipt": "contract_kit.assertions",
    "assert_request_valid": "contract_kit.assertions",
    "assert_valid": "contract_kit.assertions",
    "check_decision_request": "contract_kit.api.decision_request",
    "check_decision_response": "contract_kit.decisioning.response_check",
    "check_request": "contract_kit.api.request_check",
    "decision_body": "contract_kit.decisioning.request_body",
    "kinds": "contract_kit.core.schema_bundle",
    "load_schema": "contract_kit.core.schema_bundle",
    "object_kind": "contract_kit.core.object_kinds",
    "object_kinds": "contract_kit.core.object_kinds",
    "record_cassette": "contract_kit.cassettes.recording",
    "replay_cassette": "contract_kit.cassettes.replay",
    "rule_details": "contract_kit.core.rule_catalogue",
    "rules": "contract_kit.core.rule_catalogue",
    "use_cassette": "contract_kit.cassettes.use",
    "violations": "contract_kit.core.checks",
}


def __getattr__(name: str) -> Any:
    """Import a public name the first time it is used."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
