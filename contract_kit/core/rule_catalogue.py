"""The catalogue of rule ids: every id a check can report, with a one-line summary.

Rule ids are stable: users select and ignore them; ``contract-kit rules`` lists each one with
the kinds it applies to (docs/rules.md in the repository describes them).
A test keeps this catalogue, the schemas and the docs in step.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["RULES", "rules"]

RULES: Mapping[str, str] = MappingProxyType(
    {
        # Shape, as the schemas state it.
        "type": "A value has the wrong JSON type (or the headers are not headers at all).",
        "required": "A required member or header is missing; reported at its own pointer.",
        "unknown-key": "A member in a namespace the contract owns (xdm:, dc:, repo:, @) that it "
        "does not define: most often a typo.",
        "min-items": "An array has fewer items than the contract needs.",
        "min-length": "A string is shorter than allowed (mostly: empty).",
        "minimum": "A number is below its lower bound.",
        "maximum": "A number is above its upper bound.",
        "format": "A string is not of its format (date-time, uuid, uri, uri-reference).",
        # Named rules, as the schemas state them.
        "status": "xdm:status is not one of draft, approved, archived, pending, rejected.",
        "channel": "xdm:channel is not a channel type under "
        "https://ns.adobe.com/xdm/channel-types/.",
        "component-type": "A component's @type is not one of the four offer-management "
        "content component types.",
        "xcore-id": "An xcore id (fallback offer, placement, tag) is not "
        "xcore:<kind>: and 1 to 16 lowercase hex digits.",
        "media-type": "dc:format is not a media type.",
        "language": "A dc:language item is not a BCP 47 language tag.",
        "not-for-fallback": "A fallback offer carries xdm:rank, xdm:selectionConstraint or "
        "xdm:cappingConstraint, which only personalized offers have.",
        "authorization": "Authorization is not the Bearer scheme with a token.",
        "api-key": "x-api-key is not an API key.",
        "ims-org": "x-gw-ims-org-id is not an IMS organization id (...@AdobeOrg).",
        "sandbox-name": "x-sandbox-name is not a lower-case sandbox name.",
        "error-code": "A gateway error_code is not six digits led by an HTTP status.",
        "schema-id": "A stored instance's schemas list names another schema than the "
        "fallback-offer's.",
        "patch-op": "A JSON Patch operation is not one of add, remove, replace, move, copy, test.",
        "patch-path": "A JSON Patch path or from is not a pointer under /_instance or /_links.",
        # Rules only code checks.
        "duplicate-placement": "Two representations of one offer name the same placement.",
        "date-order": "repo:lastModifiedDate is before repo:createdDate.",
        "duplicate-header": "One header is sent twice (names differ only in case, or not at all).",
        "accept": "Accept does not admit the receipt media type, version 1.",
        "content-type": "Content-Type is not the create call's media type with version=1 and "
        "a schema parameter naming the body's schema (parsed, so quoting and spacing may vary).",
        "schema-mismatch": "The Content-Type schema parameter names another kind than the body "
        "sent.",
        "method": "The method is not one the API takes at the path (methods are case-sensitive: "
        "post is not POST).",
        "path": "The path is not one the API serves, or a container or instance id in it is not "
        "a UUID.",
        "body": "A call that sends a body has none, or a call without one (GET, DELETE) has one.",
        "response-status": "A response expected to carry a receipt has an unsuccessful status.",
        "query": "A query parameter of a lookup or search is malformed: the schema it names, "
        "id with name, a limit below 1, a property filter or orderby it cannot read.",
        "recording": "A recording (cassette) is not one the replay can use: an exchange without "
        "its response's method, url or status, or without its request side.",
        "secret": "A recording keeps a credential: a secret header, query parameter or body "
        "member not replaced by its placeholder.",
        "json": "The body is not one JSON document: a syntax error, a byte order mark, invalid "
        "UTF-8, NaN or Infinity, or a duplicated member name; or a value goes past what the "
        "checks read: nesting deeper than 256 levels, an integer of more than 4300 digits.",
    }
)


def rules() -> dict[str, str]:
    """Every rule id the checks can report, with a one-line summary (``contract-kit rules``)."""
    return dict(RULES)
