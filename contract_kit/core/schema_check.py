"""Compile the bundled schemas into validators (once per kind per process) and run them.

Three keywords are re-implemented on top of jsonschema's Draft 2020-12 validator:

- ``required`` reports a missing member at its own pointer (``/xdm:name``), not at its parent;
- ``propertyNames`` reports an unknown name at that name's pointer, once;
- ``pattern`` follows ECMA-262, whose ``$`` never matches before a final newline (Python's does).

Every ``format``, ``pattern`` and ``$ref`` is checked when the validator is built: a format
without a checker, a pattern Python cannot compile or a reference outside the bundle is a
:class:`~contract_kit.errors.SchemaBundleError` then, never a silent pass later.

Most instances checked are valid, so each schema is compiled with jsonschema-rs: it answers
"valid" in a few µs where jsonschema takes about 1 ms, and lists the errors of an invalid
instance about ten times faster, which :mod:`contract_kit.core.fast_explain` words exactly as
the errors of jsonschema. The validator that answers "valid" has each ``format`` as the
equivalent ``pattern`` (:data:`~contract_kit.core.formats.FORMAT_PATTERNS`), checked in Rust:
calling contract_kit's Python format checks from Rust cost more than the rest of a stored
instance's check. The validators that word errors keep the Python checks. jsonschema is
imported only for what jsonschema-rs cannot read or report exactly. Property tests hold the
engines to the same verdicts and the same violations.
"""

from __future__ import annotations

import copy
import functools
import re
from typing import TYPE_CHECKING, Any

from contract_kit.core.fast_explain import explain, fast_form
from contract_kit.core.formats import FORMAT_PATTERNS, FORMATS, ecma
from contract_kit.core.limits import beyond_limits
from contract_kit.core.messages import to_violation
from contract_kit.core.references import bundled_document, referenced
from contract_kit.core.schema_bundle import (
    check_kind,
    load_schema,
    registry,
    schema_uri,
    subschemas,
)
from contract_kit.errors import SchemaBundleError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from jsonschema.exceptions import ValidationError
    from jsonschema.protocols import Validator
    from referencing import Registry

    from contract_kit.core.violation import Violation

__all__ = [
    "CompiledSchema",
    "build_validator",
    "format_options",
    "formats_as_patterns",
    "pattern_form",
    "schema_violations",
    "subschema_validator",
    "validator_for",
]


def _pattern(
    validator: Validator, pattern: str, instance: Any, _schema: Any
) -> Iterator[ValidationError]:
    from jsonschema.exceptions import ValidationError

    if validator.is_type(instance, "string") and not ecma(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def _required(
    validator: Validator, required: list[str], instance: Any, _schema: Any
) -> Iterator[ValidationError]:
    from jsonschema.exceptions import ValidationError

    if not validator.is_type(instance, "object"):
        return
    for name in required:
        if name not in instance:
            yield ValidationError(
                f"{name!r} is a required property", path=[name], instance=instance
            )


def _property_names(
    validator: Validator, names_schema: Any, instance: Any, _schema: Any
) -> Iterator[ValidationError]:
    from jsonschema.exceptions import ValidationError

    if not validator.is_type(instance, "object"):
        return
    for name in instance:
        errors = validator.descend(instance=name, schema=names_schema)  # type: ignore[attr-defined]
        if next(errors, None) is not None:
            yield ValidationError(f"{name!r} is not an allowed name", path=[name], instance=name)


@functools.cache
def _validator_class() -> Any:
    from jsonschema import Draft202012Validator, validators

    return validators.extend(  # type: ignore[no-untyped-call]
        Draft202012Validator,
        {"pattern": _pattern, "required": _required, "propertyNames": _property_names},
    )


def _verify(label: str, schema: dict[str, Any], schemas: Registry) -> None:
    from referencing.exceptions import Unresolvable

    resolver = schemas.resolver(base_uri=schema.get("$id", ""))
    for pointer, sub in subschemas(schema):
        where = f"{label}#{pointer}"
        fmt = sub.get("format")
        if fmt is not None and fmt not in FORMATS:
            known = ", ".join(sorted(FORMATS))
            raise SchemaBundleError(
                f"{where}: format {fmt!r} has no checker in contract_kit (it checks {known}); "
                "an unchecked format would pass every value silently"
            )
        if "pattern" in sub:
            try:
                ecma(sub["pattern"])
            except re.error as error:
                raise SchemaBundleError(f"{where}: pattern {sub['pattern']!r}: {error}") from error
        if "$ref" in sub:
            try:
                resolver.lookup(sub["$ref"])
            except Unresolvable as error:
                raise SchemaBundleError(
                    f"{where}: $ref {sub['$ref']!r}: {_reason(error)}"
                ) from error


def _reason(error: BaseException) -> str:
    """Our own refusal, if it is behind the error referencing raised, else what it says."""
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, SchemaBundleError):
            return str(cause)
        cause = cause.__cause__ or cause.__context__
    return f"cannot be resolved ({error!r})"


class CompiledSchema:
    """A schema compiled for each question: is it valid, what is wrong, and when Rust cannot say.

    ``fast`` (jsonschema-rs, the schema with its formats as patterns: see
    :func:`pattern_form`) answers whether an instance is valid.
    ``listing`` (jsonschema-rs, the schema's :func:`~contract_kit.core.fast_explain.fast_form`)
    lists the errors of an invalid one at a cost linear in their number; its patterns need a
    slower regex engine, so it is built, and asked, only once an instance fails. The
    python-jsonschema validator is built on first need too (importing jsonschema costs more
    than the rest of a one-file lint): for an instance jsonschema-rs cannot read, or whose
    errors it cannot report exactly (see :mod:`contract_kit.core.fast_explain`).
    """

    def __init__(
        self,
        schema: dict[str, Any],
        label: str,
        resources: dict[str, Any],
        build_explaining: Callable[[], Any],
    ) -> None:
        self._schema = schema
        self._label = label
        self._resources = resources
        self._build_explaining = build_explaining
        # Where each keyword location of the schemas leads: found once, for every instance.
        self._places: dict[str, Any] = {}

    @functools.cached_property
    def fast(self) -> Any:
        """jsonschema-rs's validator of the schema's pattern form, which answers "valid"."""
        return _fast_validator(self._schema, self._resources, self._label)

    @functools.cached_property
    def listing(self) -> Any:
        """jsonschema-rs's validator of the schema's fast form, which lists errors linearly."""
        return _fast_validator(self._schema, self._resources, self._label, listing=True)

    @functools.cached_property
    def explaining(self) -> Any:
        """The python-jsonschema validator of the same schema, with contract_kit's keywords."""
        return self._build_explaining()

    def is_valid(self, instance: object) -> bool:
        """Whether ``instance`` passes, by the fast validator when it can read the instance."""
        try:
            return bool(self.fast.is_valid(instance))
        except (ValueError, TypeError, OverflowError):
            # Not JSON as Rust reads it (a non-string key, a mapping that is not a dict...).
            if beyond_limits(instance):
                return False  # too deep to check at all, or holding a number Python cannot print
            return not any(True for _ in self.explaining.iter_errors(instance))

    def violations(
        self,
        instance: object,
        noun: str = "member",
        limit: int | None = None,
        *,
        screened: bool = False,
    ) -> list[Violation]:
        """What the schema finds wrong with ``instance`` (unsorted); ``noun`` names a member.

        With a ``limit``, violations past the first ``limit`` in order may be left unworded
        (see :func:`contract_kit.core.fast_explain.explain`): they are there to be counted.
        ``screened``: the instance failed a fast verdict already (a kind's valid path), so it
        is listed straight away, and a process that only explains never compiles ``fast``.
        The same answer: both validators give the same verdicts (a property test says so).
        """
        try:
            if screened:
                errors = list(self.listing.iter_errors(instance))
                if not errors:  # the schema holds: the fault is a code rule's
                    return []
            elif self.fast.is_valid(instance):
                return []
            else:
                errors = self.listing.iter_errors(instance)
            explained = explain(errors, self._resources, instance, noun, limit, places=self._places)
        except (ValueError, TypeError, OverflowError):
            explained = None  # not JSON as Rust reads it
        if explained is None:
            return self.jsonschema_violations(instance, noun)
        return explained

    def jsonschema_violations(self, instance: object, noun: str = "member") -> list[Violation]:
        """What python-jsonschema finds wrong with ``instance``: the reference explanation.

        Past the checks' limits (nesting deeper than 256 levels, an integer longer than Python
        prints) the violations say so, and python-jsonschema, which would recurse or fail to
        print the value, is not asked.
        """
        beyond = beyond_limits(instance)
        if beyond:
            return beyond
        return [to_violation(error, noun) for error in self.explaining.iter_errors(instance)]


def _refuse_remote(uri: str) -> Any:
    raise SchemaBundleError(f"the $ref {uri!r} points outside contract_kit's bundled schemas")


def pattern_form(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` with each format it names replaced by the pattern accepting the same strings.

    A subschema that has a ``pattern`` already gets the format's in an ``allOf``. A format
    without a pattern is left as it is.
    """
    form = copy.deepcopy(schema)
    formats_as_patterns(form)
    return form


def formats_as_patterns(schema: dict[str, Any]) -> bool:
    """Make ``schema`` its :func:`pattern_form` in place; whether a format is left in it.

    For a schema made fresh for the purpose (as :func:`~contract_kit.core.schema_export.
    export_schema` makes one), where copying it first would cost as much as the change.
    """
    sites = [sub for _, sub in subschemas(schema) if "format" in sub]
    left = False
    for site in sites:
        if site["format"] not in FORMAT_PATTERNS:
            left = True
            continue
        pattern = FORMAT_PATTERNS[site.pop("format")]
        if "pattern" in site:
            site["allOf"] = [*site.get("allOf", []), {"pattern": pattern}]
        else:
            site["pattern"] = pattern
    return left


def _fast_validator(
    schema: dict[str, Any], resources: dict[str, Any], label: str, *, listing: bool = False
) -> Any:
    """jsonschema-rs's validator of ``schema`` and the schemas it refers to, in one form.

    The form is :func:`pattern_form`, or for ``listing``
    :func:`~contract_kit.core.fast_explain.fast_form`.
    """
    import jsonschema_rs

    def form(uri: str | None, document: dict[str, Any]) -> dict[str, Any]:
        if uri is not None and document is bundled_document(uri):
            return _bundled_form(uri, document, listing=listing)
        return fast_form(document) if listing else pattern_form(document)

    others = [(uri, form(uri, other)) for uri, other in resources.items() if other is not schema]
    own = schema.get("$id")
    document = form(own if isinstance(own, str) else None, schema)
    try:
        return jsonschema_rs.validator_for(
            document,
            registry=jsonschema_rs.Registry(others, retriever=_refuse_remote) if others else None,
            retriever=_refuse_remote,
            **format_options([document, *(other for _, other in others)]),
        )
    except ValueError as error:  # jsonschema-rs refuses a schema it cannot compile
        raise SchemaBundleError(f"{label}: {error}") from error


def format_options(documents: list[dict[str, Any]]) -> dict[str, Any]:
    """jsonschema-rs's options checking each ``format`` of ``documents`` by contract_kit's code.

    None are given when no ``format`` is left (each one a pattern, see :func:`pattern_form`):
    a validator given Python checks is slower on every instance, even one they never see.
    """
    if not any("format" in sub for document in documents for _, sub in subschemas(document)):
        return {}
    return {"formats": dict(FORMATS), "validate_formats": True, "ignore_unknown_formats": False}


#: Each bundled schema's forms, made once: every kind referring to it shares them.
_BUNDLED_FORMS: dict[tuple[str, bool], dict[str, Any]] = {}


def _bundled_form(uri: str, document: dict[str, Any], *, listing: bool) -> dict[str, Any]:
    """The form of the bundled schema ``document`` (whose ``$id`` is ``uri``)."""
    key = (uri, listing)
    if key not in _BUNDLED_FORMS:
        _BUNDLED_FORMS[key] = fast_form(document) if listing else pattern_form(document)
    return _BUNDLED_FORMS[key]


def _explaining(schema: dict[str, Any], label: str, schemas: Registry | None) -> Validator:
    from jsonschema import FormatChecker

    schemas = registry() if schemas is None else schemas
    _verify(label, schema, schemas)
    checker = FormatChecker(formats=())
    for name, check in FORMATS.items():
        checker.checks(name)(check)
    explaining: Validator = _validator_class()(schema, registry=schemas, format_checker=checker)
    return explaining


def build_validator(
    schema: dict[str, Any], label: str, schemas: Registry | None = None
) -> CompiledSchema:
    """Build a validator for ``schema`` with every format checked and every reference verified.

    ``label`` names the schema in errors (e.g. ``fallback-offer.schema.json``); ``schemas`` is
    the registry references resolve in, the bundle by default.
    """
    explaining = _explaining(schema, label, schemas)  # verifies formats, patterns, references
    compiled = _compile(schema, label, lambda: explaining)
    compiled.fast  # noqa: B018 - a schema jsonschema-rs refuses is an error now, not at first use
    return compiled


def _compile(
    schema: dict[str, Any], label: str, build_explaining: Callable[[], Any]
) -> CompiledSchema:
    return CompiledSchema(schema, label, referenced(schema), build_explaining)


@functools.cache
def validator_for(kind: str) -> CompiledSchema:
    """The validator of a bundled kind, built on first use and kept for the process.

    Each of its validators is compiled on first need (the linter's explaining processes never
    need the fast one); the bundle's own tests build every explaining validator, which
    verifies every format, pattern and reference.
    """
    label = f"{check_kind(kind)}.schema.json"
    # The bundle's shared copy, not a fresh one: nothing here changes it, and the forms
    # jsonschema-rs is given are then made once for every kind that refers to it.
    schema = bundled_document(schema_uri(kind)) or load_schema(kind)
    return _compile(schema, label, lambda: _explaining(schema, label, None))


@functools.cache
def subschema_validator(kind: str, pointer: str) -> CompiledSchema:
    """The validator of one subschema of a bundled kind (``pointer`` as ``/$defs/call-headers``).

    Built like :func:`validator_for`: each validator on first need.
    """
    schema = {"$ref": f"{schema_uri(kind)}#{pointer}"}
    label = f"{check_kind(kind)}.schema.json#{pointer}"
    return _compile(schema, label, lambda: _explaining(schema, label, None))


def schema_violations(
    kind: str,
    instance: object,
    noun: str = "member",
    limit: int | None = None,
    *,
    screened: bool = False,
) -> list[Violation]:
    """What the bundled schema of ``kind`` finds wrong with ``instance``, unsorted.

    ``limit`` and ``screened`` as :meth:`CompiledSchema.violations` takes them.
    """
    return validator_for(kind).violations(instance, noun, limit, screened=screened)
