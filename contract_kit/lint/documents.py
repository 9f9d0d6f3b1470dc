"""What a file holds: the kinds of document, each with a detector and a checker.

Every bundled payload kind is one, and so is ``recording`` (a cassette of recorded exchanges: a
top-level ``responses`` list), checked exchange by exchange against the contract of its
operation, with any secret left in it an error. The kinds the Offer Library stores (each body
and instance) are inferred in one step from the table of stored kinds; the others by shape.
A checker takes the parsed document and returns
:class:`~contract_kit.core.violation.Violation` s whose pointers point into it; the linter places
them in the file.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, NamedTuple

from contract_kit.core.checks import all_violations, violations
from contract_kit.core.kinds import instance_form, kind_entry
from contract_kit.core.object_kinds import object_kinds
from contract_kit.core.schema_bundle import kinds
from contract_kit.documents.content_kind import infer_kind

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from contract_kit.core.valid_path import ValidPath
    from contract_kit.core.violation import Violation

__all__ = ["DocumentKind", "document_kind", "document_kinds", "identify"]

_HEADER_NAMES = frozenset(
    {"accept", "authorization", "content-type", "x-api-key", "x-gw-ims-org-id"}
)
_NOT_HEADERS = ("xdm:", "_", "repo:")
_CONTAINER_KEY = "https://ns.adobe.com/experience/xcore/container"


class DocumentKind(NamedTuple):
    """A kind of file: how to recognise it, and how to check it.

    ``looks_like`` says in words what ``detect`` looks for (it appears in messages);
    ``check`` returns the violations of a parsed document. ``headers``: pointers name HTTP
    headers (matched without regard to case, in an object or in pairs). A bundled kind can
    also be checked in two steps, as ``check`` itself does: ``valid`` says whether the document
    breaks no rule (about one jsonschema-rs call), and for one that may, ``explain`` finds
    and words its violations, which are then those ``check`` returns.
    """

    name: str
    looks_like: str
    detect: Callable[[object], bool]
    check: Callable[[object], list[Violation]]
    headers: bool = False
    valid: Callable[[object], bool] | None = None
    explain: Callable[[object], list[Violation]] | None = None


class _Valid:
    """Whether a document of a bundled kind breaks no rule: :func:`violations`' first step.

    Asked as :func:`~contract_kit.core.checks.violations` asks it, with the kind's
    :func:`~contract_kit.core.valid_path.valid_path` (built on the first document): a doubt is
    a no, which the full check then answers.
    """

    __slots__ = ("_kind", "_path")

    def __init__(self, kind: str) -> None:
        self._kind = kind
        self._path: ValidPath | None = None

    def __call__(self, document: object) -> bool:
        if self._path is None:
            from contract_kit.core.valid_path import valid_path

            self._path = valid_path(kind_entry(self._kind))
        is_valid, holds = self._path
        try:
            return bool(is_valid(document) and (holds is None or holds(document)))
        except (ValueError, TypeError, OverflowError):  # not JSON as Rust reads it: a doubt
            return False


def _explained(kind: str, document: object) -> list[Violation]:
    return all_violations(kind_entry(kind), document)


_NONE: Mapping[str, object] = {}


def _members(value: object) -> Mapping[str, object]:
    # Parsed files hold dicts: isinstance(dict) is several times faster than the Mapping ABC.
    return value if isinstance(value, dict) else _NONE


def _is_patch(value: object) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(item, dict) for item in value)
        and any("op" in item or "path" in item for item in value)
    )


def _is_header_pair(item: object) -> bool:
    return isinstance(item, list) and len(item) == 2 and isinstance(item[0], str)


def _is_headers(value: object) -> bool:
    if isinstance(value, list) and value and all(_is_header_pair(item) for item in value):
        names = {item[0].lower() for item in value}
    elif isinstance(value, dict):
        if "_instance" in value:  # a stored instance's envelope, asked first: its first
            return False  # members (instanceId, schemas...) would each be lowered in vain
        # One pass that stops at the first member no headers have (a payload's first, mostly).
        named = False
        for name in value:
            lowered = str(name).lower()
            if lowered.startswith(_NOT_HEADERS):
                return False
            named = named or lowered in _HEADER_NAMES
        return named
    else:
        return False
    return bool(names & _HEADER_NAMES)


def _embedded(value: object) -> Mapping[str, object]:
    return _members(_members(value).get("_embedded"))


# Each detector tests ``isinstance(value, dict)`` once: they run on every file linted.
_PAYLOAD_DETECTORS: dict[str, tuple[str, Callable[[object], bool]]] = {
    "container-list": (
        f'an object whose _embedded holds "{_CONTAINER_KEY}"',
        lambda value: _CONTAINER_KEY in _embedded(value),
    ),
    "error": (
        "an object with error_code, or with title and status",
        lambda value: (
            isinstance(value, dict)
            and ("error_code" in value or ("title" in value and "status" in value))
        ),
    ),
    "fallback-offer-patch": ("an array of operations with op and path", _is_patch),
    "decision-request": (
        "an object with xdm:propositionRequests",
        lambda value: isinstance(value, dict) and "xdm:propositionRequests" in value,
    ),
    "decision-response": (
        "an object with xdm:propositions and no xdm:propositionRequests",
        lambda value: (
            isinstance(value, dict)
            and "xdm:propositions" in value
            and "xdm:propositionRequests" not in value
        ),
    ),
    "delete-outcome": (
        "an object with instanceId and outcome",
        lambda value: isinstance(value, dict) and "instanceId" in value and "outcome" in value,
    ),
    "receipt": (
        "an object with instanceId and no _instance or outcome",
        lambda value: (
            isinstance(value, dict)
            and "instanceId" in value
            and "_instance" not in value
            and "outcome" not in value
        ),
    ),
    "request-headers": (
        (
            "an object or [name, value] pairs naming Accept, Authorization, Content-Type, "
            "x-api-key or x-gw-ims-org-id"
        ),
        _is_headers,
    ),
    "search-results": (
        "an object whose _embedded holds results",
        lambda value: "results" in _embedded(value),
    ),
}


def _is_recording(value: object) -> bool:
    return isinstance(_members(value).get("responses"), list)


def _recording_violations(document: object) -> list[Violation]:
    # Imported on the first recording met: linting payloads never loads the recording checks.
    from contract_kit.cassettes.recording_check import recording_violations

    return recording_violations(document)


@functools.cache
def _stored_descriptions() -> dict[str, tuple[str, Callable[[object], bool]]]:
    """What each stored kind's body and instance look like, in words, from the table."""
    described: dict[str, tuple[str, Callable[[object], bool]]] = {}
    for entry in object_kinds():
        members = " or ".join(entry.detect.signature)
        signature = f"{members} and no other xdm: member" if entry.detect.only else members
        body = (
            f'an object (or its _instance) whose @id starts with "{entry.id_prefix}", '
            f"or without an @id, with {signature}"
        )
        instance = (
            f'an object with instanceId and _instance whose schemas names "{entry.schema_id}" '
            "(or whose _instance is a body of the kind)"
        )
        described[entry.body_kind] = (body, functools.partial(_is_stored, entry.body_kind))
        described[entry.instance_kind] = (
            instance,
            functools.partial(_is_stored, entry.instance_kind),
        )
    return described


def _is_stored(kind: str, value: object) -> bool:
    return infer_kind(value) == kind


@functools.cache
def _all_kinds() -> dict[str, DocumentKind]:
    detectors = {**_PAYLOAD_DETECTORS, **_stored_descriptions()}
    by_name: dict[str, DocumentKind] = {}
    for kind in kinds():
        looks_like, detect = detectors.get(kind, ("(never inferred)", lambda _: False))
        # Headers are checked by code alone, which is quick: no step is worth taking apart.
        headers = instance_form(kind) == "headers"
        by_name[kind] = DocumentKind(
            kind,
            looks_like,
            detect,
            functools.partial(violations, kind),
            headers=headers,
            valid=None if headers else _Valid(kind),
            explain=None if headers else functools.partial(_explained, kind),
        )
    by_name["recording"] = DocumentKind(
        "recording",
        "an object with a responses list (a cassette of recorded exchanges)",
        _is_recording,
        _recording_violations,
    )
    return by_name


@functools.cache
def _shaped_kinds() -> tuple[DocumentKind, ...]:
    """The kinds told by shape (not stored objects), tried one by one on every document."""
    stored = _stored_descriptions()
    return tuple(kind for name, kind in _all_kinds().items() if name not in stored)


#: For an object, the members one of which each shaped kind's detector needs to match
#: (none: never an object); a kind not named here, and request-headers, are always tried.
_NEEDS: dict[str, frozenset[str]] = {
    "container-list": frozenset({"_embedded"}),
    "decision-request": frozenset({"xdm:propositionRequests"}),
    "decision-response": frozenset({"xdm:propositions"}),
    "delete-outcome": frozenset({"instanceId"}),
    "error": frozenset({"error_code", "title"}),
    "fallback-offer-patch": frozenset(),
    "receipt": frozenset({"instanceId"}),
    "recording": frozenset({"responses"}),
    "search-results": frozenset({"_embedded"}),
}


@functools.cache
def _object_detectors() -> tuple[tuple[DocumentKind, ...], dict[str, tuple[DocumentKind, ...]]]:
    """The kinds tried on every object, and for each member of :data:`_NEEDS`, the kinds too.

    Each tuple lists its kinds in the order of :func:`_shaped_kinds`, the always-tried among them.
    """
    shaped = _shaped_kinds()
    always = {kind for kind in shaped if kind.name not in _NEEDS}
    members = frozenset().union(*_NEEDS.values())
    by_member = {
        member: tuple(
            kind for kind in shaped if kind in always or member in _NEEDS.get(kind.name, ())
        )
        for member in members
    }
    return tuple(kind for kind in shaped if kind in always), by_member


def _shaped_matches(value: object) -> list[DocumentKind]:
    """The kinds told by shape that ``value`` looks like, in their order.

    An object is tried only by the detectors whose members it has (and those that need
    none): a stored object has none of theirs or one, and the ten detectors cost as much as
    the check of a valid file. The same answer as trying them all (a test says so).
    """
    if not isinstance(value, dict):
        return [kind for kind in _shaped_kinds() if kind.detect(value)]
    always, by_member = _object_detectors()
    present = [by_member[member] for member in by_member.keys() & value.keys()]
    if not present:
        tried: tuple[DocumentKind, ...] = always
    elif len(present) == 1:
        tried = present[0]
    else:
        chosen = set().union(*present)
        tried = tuple(kind for kind in _shaped_kinds() if kind in chosen)
    return [kind for kind in tried if kind.detect(value)]


@functools.cache
def _positions() -> dict[DocumentKind, int]:
    return {kind: index for index, kind in enumerate(_all_kinds().values())}


def document_kinds() -> tuple[str, ...]:
    """The names ``--kind`` accepts: the bundled payload kinds, then the other documents."""
    return tuple(_all_kinds())


def document_kind(name: str) -> DocumentKind:
    """The kind ``name`` (a KeyError for another name)."""
    return _all_kinds()[name]


_HOW = (
    "name it with --kind KIND (contract-kit kinds lists them), or map a glob to a kind under "
    "[tool.contract-kit.kinds] in pyproject.toml"
)


def identify(value: object) -> DocumentKind | str:
    """The one kind ``value`` looks like, or a message saying why none can be chosen.

    A stored object's kind is inferred once (:func:`~contract_kit.documents.content_kind.
    infer_kind`, at most one kind); the other kinds each test their shape.
    """
    matching = _shaped_matches(value)
    stored = infer_kind(value)
    if stored is not None:
        if not matching:
            return _all_kinds()[stored]
        matching.append(_all_kinds()[stored])
        matching.sort(key=_positions().__getitem__)
    if len(matching) == 1:
        return matching[0]
    if not matching:
        return f"cannot tell which kind of payload this is: {_why_none(value)}; {_HOW}"
    names = ", ".join(kind.name for kind in matching[:-1]) + f" and {matching[-1].name}"
    return f"cannot tell which kind of payload this is: it looks like {names}; {_HOW}"


def _why_none(value: object) -> str:
    members = _members(value)
    body = _members(members.get("_instance")) or members
    if any(isinstance(name, str) and name.startswith("xdm:") for name in body):
        return (
            "it has xdm: members, but no @id and none of the members that tell the stored "
            "kinds apart"
        )
    return "it looks like none of them"
