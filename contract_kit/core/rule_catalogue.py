"""The catalogue of rule ids: every id a check can report, its severity and a one-line summary.

Rule ids are stable: users select and ignore them; ``contract-kit rules`` lists each one with
its severity and the kinds it applies to (docs/rules.md in the repository describes them).
A test keeps this catalogue, the schemas and the docs in step.

Severity belongs to the rule id, one per id: an ``error`` is what the service refuses (the
fake answers as the service would, lint exits 1); a ``warning`` is what the service takes
although the docs show otherwise or it is likely to break (the fake answers normally and
records it; lint exits 0 unless strict). Where one check has both kinds of outcome, the
warning part has an id of its own. docs/contract.md gives the evidence behind each severity.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import TYPE_CHECKING, Literal, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = [
    "CHECKED_BY_THE_FAKE",
    "RULES",
    "WARNINGS",
    "Rule",
    "Severity",
    "rule_details",
    "rules",
    "severity_of",
]

Severity = Literal["error", "warning"]


class Rule(NamedTuple):
    """What ``rule_details()`` says of one rule id: its severity and its one-line summary."""

    severity: Severity
    summary: str


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
        "status": "xdm:status is not one of its kind's values: draft, approved, archived, "
        "pending, rejected for offers; draft, live, complete, archived for decisions (or a "
        "delete outcome is not deleted or rejected).",
        "channel": "xdm:channel is not a channel type under "
        "https://ns.adobe.com/xdm/channel-types/.",
        "component-type": "A component's @type is not one of the four offer-management "
        "content component types.",
        "xcore-id": "An xcore id is not xcore:<kind>: and 1 to 16 lowercase hex digits, with "
        "<kind> the kind the member references (or, for an @id, the object's own kind).",
        "media-type": "dc:format or an xdm:contentTypes item holds no media type.",
        "media-type-form": "dc:format or an xdm:contentTypes item holds a media type but is not "
        "a bare type/subtype (text/html; charset=utf-8).",
        "language": "A dc:language item is not a BCP 47 language tag.",
        "not-for-fallback": "A fallback offer carries xdm:rank, xdm:selectionConstraint or "
        "xdm:cappingConstraint, which only personalized offers have.",
        "authorization": "Authorization is not the Bearer scheme with a token.",
        "api-key": "x-api-key is not an API key.",
        "ims-org": "x-gw-ims-org-id is not an IMS organization id (...@AdobeOrg).",
        "sandbox-name": "x-sandbox-name is not a lower-case sandbox name.",
        "error-code": "A gateway error_code is not six digits led by an HTTP status.",
        "schema-id": "A stored instance's schemas list names another schema than its kind's "
        "(or, in a page of results, no stored kind's).",
        "filter-type": "A collection's xdm:filterType is not one of offers, anyTags, allTags.",
        "option-selection": "A decision criterion's option selection, profile constraint or "
        "ranking order type is not one of its documented values.",
        "patch-op": "A JSON Patch operation is not one of add, remove, replace, move, copy, test.",
        "patch-path": "A JSON Patch path or from is not a pointer under /_instance or /_links.",
        # Rules only code checks.
        "duplicate-placement": "Two representations of one offer name the same placement.",
        "date-order": "repo:lastModifiedDate is before repo:createdDate.",
        "duplicate-header": "One header is sent twice (names differ only in case, or not at all).",
        "date-range": "xdm:endDate is before xdm:startDate (an offer's selection constraint, a "
        "decision): taken, but nothing is ever selected.",
        "guardrail": "A documented guardrail is exceeded: tags or characteristics per offer, "
        "offers per collection, placements or collections per decision, a rule's 15K bytes; "
        "in the fake, objects per container.",
        "accept": "Accept admits none of the media types the call answers with (or names a "
        "version of them the contract does not know).",
        "content-type": "Content-Type is not the call's media type with version=1 and a schema "
        "parameter naming a stored kind's schema in a documented version (parsed, so quoting and "
        "spacing may vary).",
        "schema-mismatch": "The Content-Type schema parameter names another kind than the body "
        "sent (its @id), or more than one kind.",
        "method": "The method is not one the API takes at the path (methods are case-sensitive: "
        "post is not POST).",
        "path": "The path is not one the API serves, or a container or instance id in it is not "
        "a UUID.",
        "body": "A call that sends a body has none, or a call without one (GET, DELETE) has one.",
        "response-status": "A response expected to carry a receipt has an unsuccessful status.",
        "query": "A query parameter is malformed: a schema version no source shows, id with name, "
        "a limit that is not a whole number of at least 1, a property, orderby, field or q it "
        "cannot read, a qop other than AND or OR, or a start token it cannot read.",
        "recording": "A recording (cassette) is not one the replay can use: an exchange without "
        "its response's method, url or status, or without its request side.",
        "secret": "A recording keeps a credential: a secret header, query parameter or body "
        "member not replaced by its placeholder.",
        # Rules of the decision call (the Decisioning API, issue 16).
        "proposition-count": "A decision request has 1 to 30 proposition requests.",
        "profile-count": "A decision request names exactly one profile.",
        "item-count": "A proposition request's xdm:itemCount is 1 to 30.",
        "identity-map": "A profile's xdm:identityMap has a namespace with at least one identity.",
        "include-metadata": "xdm:includeMetadata asks only for the fields the Swagger lists per "
        "entity.",
        "request-id": "A decision call's x-request-id is a non-empty string of visible ASCII.",
        "request-id-missing": "A decision call sends no x-request-id: the Swagger requires one, "
        "but a released client decides without it.",
        "request-id-reused": "An x-request-id already sent; the service wants one per request.",
        "options-or-fallback": "A proposition has xdm:options or xdm:fallback, never both nor "
        "neither.",
        "empty-options": "xdm:options, when present, is never empty.",
        "content-not-requested": "An option carries content although the request's includeContent "
        "is false.",
        "metadata-not-requested": "A response carries a metadata member the request's "
        "includeMetadata did not ask for.",
        "scope": "xdm:scope is the base64 of the proposition's own activity and placement ids.",
        "unknown-activity": "A proposition request names no stored activity.",
        "unknown-placement": "A proposition request names no stored placement.",
        "activity-not-live": "The activity is not live, or the decision is outside its dates.",
        "placement-not-in-activity": "No criterion of the activity lists the requested placement.",
        "no-fallback": "No offer qualifies and the activity's fallback cannot be served for the "
        "placement.",
        "fallback-not-approved": "The fallback served is not approved; the service serves it all "
        "the same.",
        "pql-unsupported": "An eligibility rule uses PQL outside the subset the fake evaluates.",
        # Warnings of what the service takes although the docs show it otherwise.
        "accept-missing": "No Accept header: taken as */* (RFC 9110), as the service does "
        "for clients that send none.",
        "version-param": "A Content-Type of a create, PUT or PATCH without version=1, as "
        "Adobe's Postman collection and the repository tutorial send it.",
        "schema-version": "A schema id without ;version= (in schema= or in the Content-Type "
        "schema parameter): the kind is still resolved.",
        "quoting": "A media-type parameter in single quotes: read as if double-quoted.",
        "unknown-parameter": "A query parameter the operation does not document (most often a "
        "typo): the service ignores it.",
        "query-mismatch": "A lookup or search id is not an @id of the kind schema= names, so "
        "it matches nothing.",
        "recommended": "A member every documented example shows, but no source requires, is "
        "missing or empty.",
        "legacy-form": "A member or value spelt as an older source spells it, where the current "
        "API pages and stored instances use another: taken, but write the current form.",
        "sandbox-mismatch": "x-sandbox-name (absent means prod) is not the sandbox of the "
        "container the call names.",
        "reference": "A reference member names no stored object of a kind it may name in the "
        "container: refused 422.",
        "unique-name": "A second tag with the same xdm:name in one container: refused 409.",
        "name-reuse": "An offer's xdm:name is already used by another offer of its kind.",
        "placement-fit": "A representation's channel, component type or format disagrees with "
        "its placement's, or a decision's fallback has no representation for one of its "
        "placements.",
        "json": "The body is not one JSON document: a syntax error, a byte order mark, invalid "
        "UTF-8, NaN or Infinity, or a duplicated member name; or a value goes past what the "
        "checks read: nesting deeper than 256 levels, an integer of more than 4300 digits.",
    }
)


#: The rule ids whose severity is ``warning``; every other id of the catalogue is an error.
WARNINGS: frozenset[str] = frozenset(
    {
        "unknown-key",
        "min-length",
        "channel",
        "not-for-fallback",
        "duplicate-header",
        "accept-missing",
        "version-param",
        "schema-version",
        "quoting",
        "unknown-parameter",
        "query-mismatch",
        "recommended",
        "sandbox-mismatch",
        "legacy-form",
        "media-type-form",
        "date-range",
        "guardrail",
        "name-reuse",
        "placement-fit",
        "request-id-reused",
        "request-id-missing",
        "fallback-not-approved",
        "pql-unsupported",
    }
)

#: Rules no bundled kind's check reports, only the fake's store: what ``contract-kit rules``
#: names as checking them.
CHECKED_BY_THE_FAKE: frozenset[str] = frozenset(
    {"sandbox-mismatch", "reference", "unique-name", "name-reuse", "placement-fit"}
    # A decision answered from the fake's library.
    | {"unknown-activity", "unknown-placement", "activity-not-live", "placement-not-in-activity"}
    | {"no-fallback", "fallback-not-approved", "pql-unsupported"}
)


def severity_of(rule: str) -> Severity:
    """The severity of ``rule``: an id outside the catalogue (a user's own kind) is an error."""
    return "warning" if rule in WARNINGS else "error"


def rule_details() -> dict[str, Rule]:
    """Every rule id with its severity and summary, in the catalogue's order."""
    return {rule: Rule(severity_of(rule), summary) for rule, summary in RULES.items()}


def rules() -> dict[str, str]:
    """Every rule id the checks can report, with a one-line summary (``contract-kit rules``)."""
    return dict(RULES)
