"""What the writes do to the store: create, PUT, PATCH and DELETE, and the poll of a delete.

Every write of every kind meets the same store checks (:mod:`contract_kit.fake.integrity`):
references must name stored objects, tag names stay unique, counts are watched. What they
find is recorded with the call, as the request checks' findings are, so a dangling
reference fails the test as well as getting its 422.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from contract_kit.core.object_kinds import ObjectKind, object_kind, values_at
from contract_kit.core.violation import Violation
from contract_kit.fake.call_kinds import DEFAULT_KIND, written_kind
from contract_kit.fake.error_bodies import problem
from contract_kit.fake.exchange import FakeResponse, json_response
from contract_kit.fake.handlers import RECEIPT_TYPE, container_of, writable
from contract_kit.fake.integrity import (
    REFUSING_UNIQUE,
    dangling_references,
    guardrail_warnings,
    placement_fit_warnings,
    referenced_by,
    unique_problems,
)
from contract_kit.fake.store import Deletion, offer_of, receipt

if TYPE_CHECKING:
    from contract_kit.api.request_check import CallCheck
    from contract_kit.fake.exchange import FakeRequest
    from contract_kit.fake.options import OfferLibraryOptions
    from contract_kit.fake.store import Container, Store

__all__ = ["create", "delete", "delete_outcome", "patch", "update"]

#: The rule whose repeat refuses a write; the table's other unique rules only warn.


def _receipt(
    status: int, envelope: dict[str, Any], extra: tuple[tuple[str, str], ...] = ()
) -> FakeResponse:
    # A receipt is a new dict nobody else holds, so the answer check reads it as written.
    return json_response(status, receipt(envelope), RECEIPT_TYPE, extra, keep=True)


def _base(body: object) -> str:
    """Where the object sits in the body: bare, or under the HAL envelope's ``_instance``."""
    wrapped = isinstance(body, dict) and isinstance(body.get("_instance"), dict)
    return "/body/_instance" if wrapped else "/body"


def _located(options: OfferLibraryOptions, location: str) -> tuple[tuple[str, str], ...]:
    return (("Location", location), ("Content-Base", f"{options.base_url}/data/core/xcore/"))


def store_refusal(  # noqa: PLR0913 - the call, where its object goes, and the object
    container: Container,
    options: OfferLibraryOptions,
    check: CallCheck,
    kind: str,
    instance: object,
    *,
    base: str,
    instance_id: str | None = None,
) -> FakeResponse | None:
    """Why the store refuses to hold ``instance`` (dangling reference 422, tag name 409), or None.

    Everything found is recorded on the call; warnings (a reused offer name) refuse nothing.
    """
    if options.check_references:
        dangling = dangling_references(container, kind, instance, base)
        if dangling:
            check.violations.extend(dangling)
            return problem(422, dangling[0].message, violations=dangling)
    repeats = unique_problems(container, kind, instance, base=base, instance_id=instance_id)
    if repeats:
        check.violations += repeats
        refusing = [v for v in repeats if v.rule == REFUSING_UNIQUE]
        if refusing:
            return problem(409, refusing[0].message, violations=refusing)
    check.violations += placement_fit_warnings(container, instance, base)
    return None


def create(
    store: Store, options: OfferLibraryOptions, check: CallCheck, request: FakeRequest
) -> FakeResponse:
    """Store a new object of the kind the Content-Type names; answer with its receipt."""
    container, refused = container_of(store, options, check, request)
    if refused:
        return refused
    # The Content-Type's kind, as the request check read it.
    kind = (check.kind or object_kind(DEFAULT_KIND)).name
    # The body check_call parsed from the request's bytes: nobody else holds it, so the
    # store keeps it as it is, without a copy.
    instance: dict[str, Any] = check.body.get("_instance", check.body)
    if "@id" in instance and container.by_at_id(instance["@id"]) is not None:
        return problem(409, f"an instance with @id {instance['@id']} exists already")
    refused = store_refusal(container, options, check, kind, instance, base=_base(check.body))
    if refused:
        return refused
    envelope = container.insert(kind, instance)
    check.violations.extend(guardrail_warnings(container, kind, "/body"))
    location = f"{container.container_id}/instances/{envelope['instanceId']}"
    return _receipt(options.create_status, envelope, _located(options, location))


def _read_only_change(kind: ObjectKind, before: object, after: object) -> str | None:
    """The first read-only member of ``kind`` a write changes, said as the refusal says it.

    ``@id`` may not go either; the others (a component's ``repo:id``) may be left out.
    """
    for pointer in kind.read_only:
        old, new = dict(values_at(before, pointer)), dict(values_at(after, pointer))
        for at, value in old.items():
            changed = new.get(at) != value if pointer == "/@id" else new.get(at, value) != value
            if changed:
                return f"{at.lstrip('/')} is read-only: it stays {value}"
    return None


def _kind_mismatch(check: CallCheck, request: FakeRequest, stored: ObjectKind) -> Violation | None:
    named = written_kind(request)
    if named is None or named.name == stored.name:
        return None
    instance = check.path_params.get("instance", "")
    message = (
        f"the Content-Type's schema names {named.name}, but instance {instance} is a "
        f'{stored.name}: send schema="{stored.request_schema}"'
    )
    return Violation("/headers/content-type", message, "schema-mismatch")


def _unnamed_put_problems(
    check: CallCheck, request: FakeRequest, stored: ObjectKind
) -> FakeResponse | None:
    """Why a PUT naming no kind is refused as the stored object's kind, or None.

    The request check could only guess the kind from the body; the store knows it. The
    errors are recorded with the call.
    """
    from contract_kit.core.checks import violations

    if written_kind(request) is not None:
        return None
    found = [v.under("/body") for v in violations(stored.body_kind, check.body)]
    new = [v for v in found if v not in check.violations]
    check.violations.extend(new)
    errors = [v for v in new if v.is_error]
    if not errors:
        return None
    first = errors[0]
    detail = f"the body breaks the contract of a {stored.name} at {first.pointer}: {first.message}"
    return problem(400, detail, violations=errors)


def _written_object(
    store: Store, options: OfferLibraryOptions, check: CallCheck, request: FakeRequest
) -> tuple[Container, str, ObjectKind] | FakeResponse:
    """The stored object a PUT or PATCH names, with its kind; or why it cannot be written.

    A body of another kind than the stored object's is a 400, recorded as a violation.
    """
    container, instance_id, refused = writable(store, options, check, request)
    if refused:
        return refused
    kind = object_kind(str(container.kind_of(instance_id)))
    mismatch = _kind_mismatch(check, request, kind)
    if mismatch is not None:
        check.violations.append(mismatch)
        return problem(400, mismatch.message, violations=[mismatch])
    return container, instance_id, kind


def update(
    store: Store, options: OfferLibraryOptions, check: CallCheck, request: FakeRequest
) -> FakeResponse:
    """Replace an object whole, as its own kind; its read-only members cannot change."""
    target = _written_object(store, options, check, request)
    if isinstance(target, FakeResponse):
        return target
    container, instance_id, kind = target
    unnamed = _unnamed_put_problems(check, request, kind)
    if unnamed:
        return unnamed
    instance = offer_of(check.body)
    current = container.kinds[kind.name][instance_id]["_instance"]
    instance.setdefault("@id", current["@id"])
    read_only = _read_only_change(kind, current, instance)
    if read_only:
        return problem(422, read_only)
    refused = store_refusal(
        container,
        options,
        check,
        kind.name,
        instance,
        base=_base(check.body),
        instance_id=instance_id,
    )
    if refused:
        return refused
    envelope = container.replace(instance_id, instance)
    check.violations.extend(guardrail_warnings(container, kind.name, "/body"))
    return _receipt(200, envelope)


def patch(
    store: Store, options: OfferLibraryOptions, check: CallCheck, request: FakeRequest
) -> FakeResponse:
    """Apply a JSON Patch to the HAL envelope, then check the result as a PUT would be."""
    from contract_kit.api.json_patch import PatchError, apply_patch
    from contract_kit.core.checks import violations

    target = _written_object(store, options, check, request)
    if isinstance(target, FakeResponse):
        return target
    container, instance_id, kind = target
    envelope = container.kinds[kind.name][instance_id]
    document = {"_instance": envelope["_instance"], "_links": envelope["_links"]}
    try:
        patched = apply_patch(document, check.body)
    except PatchError as error:
        return problem(422, str(error))
    if not isinstance(patched, dict) or not isinstance(patched.get("_instance"), dict):
        return problem(422, "the patch leaves no _instance object")
    read_only = _read_only_change(kind, envelope["_instance"], patched["_instance"])
    if read_only:
        return problem(422, read_only)
    found = violations(kind.body_kind, {"_instance": patched["_instance"], "_links": {}})
    # Warnings of the result are the call's (under /patched: where in the patched envelope);
    # only errors change the answer, as for any other call.
    check.violations.extend(v.under("/patched") for v in found if not v.is_error)
    found = [v for v in found if v.is_error]
    if found:
        first = found[0]
        detail = f"the patched {kind.name} breaks the contract at {first.pointer}: {first.message}"
        return problem(400, detail, violations=found)
    refused = store_refusal(
        container,
        options,
        check,
        kind.name,
        patched["_instance"],
        base="/patched/_instance",
        instance_id=instance_id,
    )
    if refused:
        return refused
    return _receipt(200, container.replace(instance_id, patched["_instance"]))


def _remember(container: Container, options: OfferLibraryOptions, deletion: Deletion) -> str:
    """Keep a delete's outcome for its poll; the oldest go first, so a long run stays small."""
    deletion_id = str(uuid.uuid4())
    container.deletions[deletion_id] = deletion
    while len(container.deletions) > options.call_log_size:
        del container.deletions[next(iter(container.deletions))]
    return f"{container.container_id}/deletions/{deletion_id}"


def delete(
    store: Store, options: OfferLibraryOptions, check: CallCheck, request: FakeRequest
) -> FakeResponse:
    """Remove an object: 202 and no body by default, as the xcore pages document.

    An object others reference stays: the poll of the Location says the delete was
    rejected (or, with ``delete_integrity="immediate"``, the delete is a 409 at once).
    """
    container, instance_id, refused = writable(store, options, check, request)
    if refused:
        return refused
    envelope = container.envelope(instance_id) or {}
    at_id = envelope["_instance"]["@id"]
    referencing = referenced_by(container, at_id) if options.check_references else []
    identity = {"instanceId": instance_id, "@id": at_id}
    if referencing:
        detail = f"{at_id} is referenced by {len(referencing)} instance(s)"
        if options.delete_integrity == "immediate":
            hint = "; remove the references first, then delete it"
            return problem(409, detail + hint, report={"referencedBy": referencing})
        outcome = {**identity, "outcome": "rejected", "detail": detail}
        outcome["referencedBy"] = referencing
        polls = options.delete_pending_polls
        location = _remember(container, options, Deletion(outcome, polls))
        return FakeResponse(202, _located(options, location))
    container.remove(instance_id)
    done = {**receipt(envelope), "outcome": "deleted"}
    polls = options.delete_pending_polls
    location = _remember(container, options, Deletion(done, polls))
    if options.delete_body == "receipt":
        return _receipt(options.delete_status, envelope, _located(options, location))
    return FakeResponse(options.delete_status, _located(options, location))


def delete_outcome(
    store: Store, options: OfferLibraryOptions, check: CallCheck, request: FakeRequest
) -> FakeResponse:
    """What a delete came to: 202 while undecided, then 200 with ``deleted`` or ``rejected``."""
    container, refused = container_of(store, options, check, request)
    if refused:
        return refused
    deletion_id = urlsplit(request.target).path.rstrip("/").rsplit("/", 1)[-1].lower()
    deletion = container.deletions.get(deletion_id)
    if deletion is None:
        detail = f"no deletion {deletion_id} in container {container.container_id}"
        return problem(404, detail)
    if deletion.polls_left > 0:
        deletion.polls_left -= 1
        location = f"{container.container_id}/deletions/{deletion_id}"
        return FakeResponse(202, _located(options, location))
    return json_response(200, deletion.body, RECEIPT_TYPE)
