"""The operations of the repository API every stored kind goes through, and how to tell them apart.

Each operation names its method and path, what its Accept must admit, the body it carries
(as a bundled kind, or :data:`NAMED_KIND`: the stored kind the call names) and the kind of its
successful answer. Request checks, the fake and the
recorder all route a call through :func:`find_operation`, so they agree on what a call is.
Media types per operation follow the Adobe repository conventions (docs/contract.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

__all__ = [
    "CONTAINER_SCHEMA",
    "NAMED_KIND",
    "OFFER_SCHEMA_PREFIX",
    "OPERATIONS",
    "Operation",
    "answer_kind",
    "checks_answer",
    "find_operation",
    "path_templates",
]

HOME_MEDIA_TYPE: Final = "application/vnd.adobe.platform.xcore.home.hal+json"
HAL_MEDIA_TYPE: Final = "application/vnd.adobe.platform.xcore.hal+json"
PATCH_MEDIA_TYPE: Final = "application/vnd.adobe.platform.xcore.patch.hal+json"
RECEIPT_MEDIA_TYPE: Final = "application/vnd.adobe.platform.xcore.xdm.receipt+json"
SCHEMA_INSTANCE_MEDIA_TYPE: Final = "application/schema-instance+json"

#: Adobe's schema ids of offer-management kinds start with this, then the kind's name
#: (object-kinds.json's ``schema_prefix``; a test keeps the two equal).
OFFER_SCHEMA_PREFIX: Final = "https://ns.adobe.com/experience/offer-management/"
#: Deprecated: the table's fallback-offer ``versions``, kept only until strategies.queries
#: reads the table (``object_kind(name).versions``). Nothing in core or api uses it.
FALLBACK_OFFER_VERSIONS: Final = ("0.1", "0.5")
#: An operation's ``body`` or ``response`` that is the stored kind the call is about: the kind
#: its Content-Type or ``schema=`` names (see contract_kit.core.call_kind), or the kind a
#: stored instance's ``schemas`` names.
NAMED_KIND: Final = "named-kind"
#: What a container reports in ``schemas``, and the schema its read is answered with.
CONTAINER_SCHEMA: Final = "https://ns.adobe.com/experience/xcore/container;version=0.5"

_ROOT = "/data/core/xcore"
#: The media type of a decision request and its answer; the schema parameter tells them apart.
XDM_MEDIA_TYPE: Final = "application/vnd.adobe.xdm+json"
_ID = "[^/]+"


@dataclass(frozen=True, slots=True)
class Operation:
    """One call of the API: what is sent, and what comes back when it works."""

    name: str
    method: str
    template: str
    pattern: re.Pattern[str]
    #: Media types (besides wildcards) an Accept may name to admit the answer.
    accept: tuple[str, ...]
    #: The version parameter an Accept naming ``accept[0]`` must carry, if any.
    accept_version: str | None = None
    #: The bundled kind of the body sent, NAMED_KIND for a stored kind's body (create, PUT),
    #: or None for a call without a body.
    body: str | None = None
    #: Content-Type media types the body may be sent as.
    content_types: tuple[str, ...] = ()
    #: Whether the Content-Type must carry a schema parameter.
    schema_required: bool = False
    #: The bundled kind of a successful answer's body, NAMED_KIND for a stored instance, or
    #: None for an empty answer.
    response: str | None = None
    #: Query parameters the call needs.
    required_query: tuple[str, ...] = ()
    #: A call of the Decisioning API (the Offer Decision Engine), not of the repository:
    #: its headers and body have a contract of their own (spec B.2, B.3).
    decision: bool = False

    def __hash__(self) -> int:
        # Equal operations share their name and method: hashing every field (the compiled
        # pattern, the tuples) cost thousands of instructions wherever one keys a table.
        return hash((self.name, self.method))

    @property
    def label(self) -> str:
        """How messages name the call: ``POST /data/core/xcore/{CONTAINER_ID}/instances``."""
        return f"{self.method} {self.template}"


def _path(template: str) -> re.Pattern[str]:
    regex = re.escape(template).replace(r"\{CONTAINER_ID\}", f"(?P<container>{_ID})")
    regex = regex.replace(r"\{INSTANCE_ID\}", f"(?P<instance>{_ID})")
    regex = regex.replace(r"\{DELETION_ID\}", f"(?P<deletion>{_ID})")
    return re.compile(regex + "/?")


_HOME = f"{_ROOT}/"
_INSTANCES = f"{_ROOT}/{{CONTAINER_ID}}/instances"
_INSTANCE = f"{_ROOT}/{{CONTAINER_ID}}/instances/{{INSTANCE_ID}}"
_SEARCH = f"{_ROOT}/{{CONTAINER_ID}}/queries/core/search"
_CONTAINER = f"{_ROOT}/containers/{{CONTAINER_ID}}"
_DELETION = f"{_ROOT}/{{CONTAINER_ID}}/deletions/{{DELETION_ID}}"
_WRITE_TYPES = (SCHEMA_INSTANCE_MEDIA_TYPE, HAL_MEDIA_TYPE)
# The ODE form names the container; the newer ODS form decides in the caller's one container.
_DECISIONS = "/data/core/ode/{CONTAINER_ID}/decisions"
_ODS_DECISIONS = "/data/core/ods/decisions"

OPERATIONS: Final = (
    Operation(
        "discover", "GET", _HOME, re.compile(re.escape(_ROOT) + "/?"),
        accept=(HOME_MEDIA_TYPE,), response="container-list",
    ),
    Operation(
        "create", "POST", _INSTANCES, _path(_INSTANCES),
        accept=(RECEIPT_MEDIA_TYPE,), accept_version="1", body=NAMED_KIND,
        content_types=_WRITE_TYPES, schema_required=True, response="receipt",
    ),
    Operation(
        "lookup", "GET", _INSTANCES, _path(_INSTANCES),
        accept=(HAL_MEDIA_TYPE,), response="search-results", required_query=("schema",),
    ),
    Operation(
        "read", "GET", _INSTANCE, _path(_INSTANCE),
        accept=(HAL_MEDIA_TYPE, SCHEMA_INSTANCE_MEDIA_TYPE), response=NAMED_KIND,
    ),
    Operation(
        "update", "PUT", _INSTANCE, _path(_INSTANCE),
        accept=(RECEIPT_MEDIA_TYPE,), accept_version="1", body=NAMED_KIND,
        content_types=_WRITE_TYPES, response="receipt",
    ),
    Operation(
        "patch", "PATCH", _INSTANCE, _path(_INSTANCE),
        accept=(RECEIPT_MEDIA_TYPE,), accept_version="1", body="fallback-offer-patch",
        content_types=(PATCH_MEDIA_TYPE,), response="receipt",
    ),
    Operation(
        "delete", "DELETE", _INSTANCE, _path(_INSTANCE),
        accept=(RECEIPT_MEDIA_TYPE,), accept_version="1",
    ),
    Operation(
        "search", "GET", _SEARCH, _path(_SEARCH),
        accept=(HAL_MEDIA_TYPE,), response="search-results", required_query=("schema",),
    ),
    # The link a listed container carries; its answer is one item of container-list.
    Operation(
        "read-container", "GET", _CONTAINER, _path(_CONTAINER), accept=(HAL_MEDIA_TYPE,),
    ),
    # The Location a DELETE answers 202 with: 202 again while the outcome is pending, then
    # 200 and the outcome. The path is contract_kit's own: the service's is undocumented.
    Operation(
        "delete-outcome", "GET", _DELETION, _path(_DELETION),
        accept=(RECEIPT_MEDIA_TYPE,), accept_version="1", response="delete-outcome",
    ),
    # The Decisioning API: one contract for both path forms (spec B.1).
    *(
        Operation(
            name, "POST", template, _path(template),
            accept=(XDM_MEDIA_TYPE, "application/json"), body="decision-request",
            content_types=(XDM_MEDIA_TYPE, "application/json"), schema_required=True,
            response="decision-response", decision=True,
        )
        for name, template in (("decide", _DECISIONS), ("decide-ods", _ODS_DECISIONS))
    ),
)  # fmt: skip


#: Each operation's answer kind by its name: read on every answer checked.
_ANSWERS: Final[dict[str | None, str | None]] = {op.name: op.response for op in OPERATIONS}


def find_operation(method: str, path: str) -> tuple[Operation | None, list[Operation]]:
    """The operation ``method`` and ``path`` make, and every operation served at ``path``.

    No operation with a non-empty list means the path is the API's but the method is not;
    an empty list means the path is not the API's at all. Methods are case-sensitive
    (RFC 9110, section 9.1): ``get`` is not ``GET``.
    """
    at_path = [op for op in OPERATIONS if op.pattern.fullmatch(path)]
    return next((op for op in at_path if op.method == method), None), at_path


def path_templates() -> list[str]:
    """Every path the API serves, once each, for messages."""
    return list(dict.fromkeys(op.template for op in OPERATIONS))


def checks_answer(operation: str | None, status: int) -> bool:
    """Whether an answer of ``status`` to the named operation has a body the contract defines.

    True for every error, and for a success of an operation that answers a kind (a stored
    instance among them, whose kind its body tells).
    """
    return status >= 300 or _ANSWERS.get(operation) is not None


def answer_kind(operation: str | None, status: int, body: object = None) -> str | None:
    """The bundled kind an answer of ``status`` to the named operation carries, if it has a body.

    Errors are ``"error"`` whatever the call; a success is the operation's own answer kind, and
    None where the operation is unknown or answers without a body. A read answers a stored
    instance of any kind: pass its parsed ``body``, and the kind its ``schemas`` names (or its
    ``@id``) comes back; without one it is None, since no kind can be told.
    """
    if status >= 300:
        return "error"
    kind = _ANSWERS.get(operation)
    if kind != NAMED_KIND:
        return kind
    from contract_kit.core.object_kinds import kind_of_instance

    stored = kind_of_instance(body)
    return stored.instance_kind if stored is not None else None
