"""The ``contract-kit`` command line.

Exit codes: 0 success; 1 violations found (``lint``); 2 a usage error, or a file ``lint``
could not check; 3 contract-kit itself failed, so that CI never reads a crash as "violations
found". A crash prints one paragraph, and its traceback only when ``CONTRACT_KIT_DEBUG`` is set.
Each subcommand imports only what it needs, so the command starts fast.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Sequence

    from contract_kit.documents.source import Source

__all__ = ["CRASHED", "DEBUG_VARIABLE", "main", "version"]

#: The exit code of a run in which contract-kit itself failed.
CRASHED = 3
#: Set (to anything but "" or "0") to print the traceback of a crash.
DEBUG_VARIABLE = "CONTRACT_KIT_DEBUG"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="contract-kit",
        description="The Adobe Offer Library (xcore) fallback-offer contract, executable.",
        epilog="Exit codes: 0 success, 1 violations found (lint), 2 usage error or a file "
        "lint could not check, 3 contract-kit itself failed (a bug; no verdict). "
        "contract-kit rules lists the rule ids, contract-kit kinds the kinds.",
    )
    parser.add_argument("--version", action=_Version, help="print contract-kit's version and exit")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    serve = commands.add_parser(
        "serve",
        help="serve the fake Offer Library over HTTP until Ctrl-C or SIGTERM",
        description=(
            "Serve a fresh, in-memory fake of the Offer Library API under /data/core/xcore/. "
            "The first line printed is its base URL. Requests that break the contract get the "
            "error answer the real service would give. stderr gets one line per request: "
            "method, path (without its query), status, operation and the rules it broke. A "
            "body over 10 MiB gets 413, unread. GET /openapi.json answers the OpenAPI document "
            "of what it serves; /_contract-kit/ is its control plane: seed, reset, faults, calls."
        ),
        epilog="Exit codes: 0 stopped by Ctrl-C or SIGTERM; 2 a usage error, or the server "
        "cannot start (host unknown or not of this machine, port in use, no permission). A "
        "--seed file that breaks the contract is a usage error: nothing is served.",
    )
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to bind (default: %(default)s); a name or an IPv4 or IPv6 address",
    )
    serve.add_argument(
        "--port",
        type=_port,
        default=0,
        help="port to bind; 0 picks a free one (default: %(default)s)",
    )
    serve.add_argument(
        "--sandbox",
        type=_sandbox,
        action="append",
        default=[],
        metavar="NAME[=CONTAINER_ID]",
        help="also hold sandbox NAME with its own container (a stable id if none is given); "
        "repeatable. prod is always held; prod=CONTAINER_ID sets its container",
    )
    serve.add_argument(
        "--seed",
        action="append",
        default=[],
        metavar="PATH",
        help="store the objects of a payload file, or of the *.json, *.yaml and *.yml files "
        "of a folder, before serving: a body or a stored instance of any stored kind (see "
        "contract-kit kinds), a fallback offer with the placements it names; repeatable. Each "
        "is checked as lint checks it: any error and nothing is served",
    )
    serve.add_argument(
        "--token",
        metavar="TOKEN",
        help="the one bearer token taken; any other gets the gateway's 401013 (default: any "
        "well-formed token)",
    )
    # lint's options live with the linter (contract_kit.lint.command), read only to lint.
    commands.add_parser(
        "lint",
        help="check payload files against the contract, with file:line:column",
        add_help=False,
    )
    commands.add_parser(
        "kinds",
        help="list the bundled kinds, one per line, with their titles",
        description=(
            "List the bundled kinds (what --kind and the other commands accept), each with its "
            "title; a kind the Offer Library stores also shows the schema id its requests name "
            "(its body) or its stored instances report (its instance). recording is for lint "
            "only: it has no schema and no example."
        ),
    )
    rules = commands.add_parser(
        "rules",
        help="list the rule ids, each with what it reports and the kinds it applies to",
        description=(
            "List every rule id a check can report (what --select and --ignore take), with "
            "its severity (error: the service refuses it; warning: it takes it, and only "
            "strict mode fails on it), what it reports and the kinds whose checks report it. "
            "A recording is checked exchange by exchange with the rules of each body's kind."
        ),
    )
    rules.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text (default), or a JSON array of objects with rule, severity, summary, kinds "
        "and checked_by (what checks the rule besides the kinds)",
    )
    schema = commands.add_parser(
        "schema",
        help="print the self-contained JSON Schema of a kind, for editors and other tools",
        description=(
            "Print the JSON Schema of KIND with every reference inlined, so that editors, IDEs "
            "and validators such as check-jsonschema can use it offline. Its $comment names "
            "the rules only code checks, which contract-kit lint adds."
        ),
    )
    schema.add_argument("kind", metavar="KIND", help="a kind, as contract-kit kinds lists them")
    example = commands.add_parser(
        "example",
        help="print a valid example of a kind",
        description="Print a valid instance of KIND as JSON: a file to start from.",
    )
    example.add_argument("kind", metavar="KIND", help="a kind, as contract-kit kinds lists them")
    _openapi_parser(commands)
    return parser


def _openapi_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    openapi = commands.add_parser(
        "openapi",
        help="print the OpenAPI 3.1 document of the contract, for schemathesis, Prism and others",
        description=(
            "Print the OpenAPI 3.1 document of the contract: every operation with its "
            "parameters, request media types, answers and both error shapes; what a schema "
            "cannot say is in x-contract-kit-* extensions (docs/openapi.md)."
        ),
        epilog="Exit codes: 0 written; 2 a usage error, or --output cannot be written.",
    )
    openapi.add_argument(
        "--format", choices=("json", "yaml"), default="json", help="json (default) or yaml"
    )
    openapi.add_argument(
        "--output",
        metavar="PATH",
        help="write to PATH instead of stdout, whole or not at all (a file beside it, renamed)",
    )


def _openapi(output_format: str, output: str | None) -> int:
    from pathlib import Path

    from contract_kit.lint.examples import example
    from contract_kit.openapi import openapi_document, render, write_atomically

    text = render(openapi_document(example), output_format)
    if output is None:
        sys.stdout.write(text)
        return 0
    try:
        write_atomically(Path(output), text)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        sys.stderr.write(
            f"contract-kit openapi: error: cannot write {output}: {reason}\n"
            "Name a file in a folder that exists and that you may write to.\n"
        )
        return 2
    return 0


class _Version(argparse.Action):
    """``--version``: the installed distribution's version, read only when asked."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        sys.stdout.write(f"contract-kit {version()}\n")
        parser.exit()


def version() -> str:
    """The version of the installed contract-kit distribution, or why there is none."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return installed("contract-kit")
    except PackageNotFoundError:  # imported from a source tree that was never installed
        return "(version unknown: contract_kit is not installed as a distribution)"


def _port(text: str) -> int:
    """A TCP port for serve: 0 to 65535."""
    if not text.isascii() or not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"expected a port from 0 to 65535, got {text!r}")
    return int(text)


def _sandbox(text: str) -> tuple[str, str | None]:
    """A sandbox for serve: ``dev`` or ``dev=8a4838ca-dc7c-31d8-9983-2fbb0c224f3a``."""
    from contract_kit.fake.store import check_sandbox

    name, _, container_id = text.partition("=")
    try:
        check_sandbox(name, container_id or None)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return name, container_id or None


def _serve(arguments: argparse.Namespace) -> int:
    from contract_kit.fake.server import CANNOT_START, serve
    from contract_kit.lint.examples import example
    from contract_kit.openapi.served import served_document

    seeds = _serve_seeds(arguments.seed)
    if seeds is None:
        return CANNOT_START
    return serve(
        arguments.host,
        arguments.port,
        sandboxes=arguments.sandbox,
        seeds=seeds,
        token=arguments.token,
        document=served_document(example),
    )


def _serve_seeds(paths: list[str]) -> list[Any] | None:
    """The objects of ``--seed`` files, read and checked as lint does; None after an error.

    Each error is a lint line on stderr (``file:line:column: pointer: message [rule]``);
    warnings do not stop the seeding, as they would not refuse a create.
    """
    from contract_kit.core.object_kinds import object_kinds
    from contract_kit.fake.seeding import Seed
    from contract_kit.lint.config import DEFAULT_EXCLUDE, DEFAULT_INCLUDE
    from contract_kit.lint.discovery import discover
    from contract_kit.lint.documents import identify
    from contract_kit.lint.file_lint import LintOptions, lint_file
    from contract_kit.lint.findings import display_path
    from contract_kit.lint.globs import Glob, GlobSet

    found = discover(
        paths,
        GlobSet(Glob(p) for p in DEFAULT_INCLUDE),
        GlobSet(Glob(p) for p in DEFAULT_EXCLUDE),
        ".",
    )
    errors = [
        f"{display_path(path)}: {message} [unchecked/file]" for path, message in found.problems
    ]
    seeds: list[Any] = []
    sources: list[tuple[str, Source]] = []
    # A body or a stored instance of a kind seeds an object of that kind.
    seedable = {
        document: entry.name
        for entry in object_kinds()
        for document in (entry.body_kind, entry.instance_kind)
    }
    for path in found.files:
        result = lint_file(path, LintOptions())
        blocking = [f for f in result.findings if not f.is_violation or _is_error(f.rule)]
        for finding in blocking:
            where = f"{display_path(path)}:{finding.span.line}:{finding.span.column}:"
            pointer = f" {finding.pointer or '(root)'}:" if finding.is_violation else ""
            errors.append(f"{where}{pointer} {finding.message} [{finding.rule}]")
        if blocking:
            continue
        source = _source(path)
        value = source.value
        kind = identify(value)
        stored = None if isinstance(kind, str) else seedable.get(kind.name)
        if stored is None:
            name = kind if isinstance(kind, str) else f"a {kind.name}"
            errors.append(
                f"{display_path(path)}:1:1: {name} cannot be seeded: serve seeds the bodies "
                "and stored instances of the kinds the Offer Library stores [kind]"
            )
            continue
        seeds.append(Seed(stored, value))
        sources.append((path, source))
    hint = "contract-kit lint shows the same"
    if not errors:
        errors = _batch_problems(seeds, sources)
        hint = "they are checked together, as one batch: what an object names must be seeded too"
    if errors:
        for line in errors:
            sys.stderr.write(f"contract-kit serve: error: {line}\n")
        sys.stderr.write(
            f"contract-kit serve: nothing was served: fix the --seed "
            f"{'file' if len(errors) == 1 else 'files'} above ({hint})\n"
        )
        return None
    return seeds


def _batch_problems(seeds: list[Any], sources: list[tuple[str, Source]]) -> list[str]:
    """What storing the seeds together would refuse (a reference to nothing, a name twice)."""
    from contract_kit.fake import OfferLibrary
    from contract_kit.lint.findings import display_path

    problems = OfferLibrary().check_seeds(seeds)
    errors = []
    for (path, source), seed, found in zip(sources, seeds, problems, strict=True):
        # A stored instance is seeded as its _instance: the pointers are inside it.
        base = "/_instance" if "instanceId" in seed.body else ""
        for violation in found:
            span = source.span(base + violation.pointer, violation.rule)
            # The message names the member itself ("/xdm:fallback names ...").
            where = f"{display_path(path)}:{span.line}:{span.column}:"
            errors.append(f"{where} {violation.message} [{violation.rule}]")
    return errors


def _is_error(rule: str) -> bool:
    from contract_kit.core.rule_catalogue import severity_of

    return severity_of(rule) == "error"


def _source(path: str) -> Source:
    """A file lint has just read without a problem, parsed."""
    from contract_kit.documents.json_source import parse_json
    from contract_kit.documents.reading import read_file

    data = read_file(path)
    if path.lower().endswith((".yaml", ".yml")):
        from contract_kit.documents.yaml_source import parse_yaml

        return parse_yaml(data)
    return parse_json(data)


def _kinds() -> int:
    from contract_kit.core.object_kinds import object_kinds
    from contract_kit.core.schema_bundle import kinds, load_schema

    schemas = {}
    for stored in object_kinds():
        schemas[stored.body_kind] = stored.request_schema
        schemas[stored.instance_kind] = stored.stored_schema
    rows = [
        (kind, str(load_schema(kind).get("title", "")), schemas.get(kind, "")) for kind in kinds()
    ]
    rows.append(("recording", "A cassette of recorded exchanges (lint only)", ""))
    name_width = max(len(name) for name, _, _ in rows)
    title_width = max(len(title) for _, title, _ in rows)
    for name, title, schema in rows:
        line = (
            f"{name:<{name_width}}  {title:<{title_width}}  {schema}"
            if schema
            else f"{name:<{name_width}}  {title}"
        )
        sys.stdout.write(line.rstrip() + "\n")
    return 0


def _rules(output_format: str) -> int:
    from contract_kit.lint.rule_index import rule_index

    entries = rule_index()
    if output_format == "json":
        import json

        listed = [
            {
                "rule": entry.rule,
                "severity": entry.severity,
                "summary": entry.summary,
                "kinds": list(entry.kinds),
                "checked_by": list(entry.checked_by),
            }
            for entry in entries
        ]
        sys.stdout.write(json.dumps(listed, indent=2, ensure_ascii=False) + "\n")
        return 0
    for entry in entries:
        line = f"{entry.rule}  {entry.severity}  ({entry.applies_to()})"
        sys.stdout.write(f"{line}\n    {entry.summary}\n")
    return 0


def _print_json(kind: str, command: str) -> int:
    import json

    from contract_kit.core.schema_bundle import check_kind
    from contract_kit.errors import UnknownKindError

    try:
        check_kind(kind)
    except UnknownKindError as error:
        sys.stderr.write(f"contract-kit {command}: error: {error}\n")
        return 2
    if command == "schema":
        from contract_kit.core.schema_export import export_schema

        value = export_schema(kind)
    else:
        from contract_kit.lint.examples import example

        value = example(kind)
    sys.stdout.write(json.dumps(value, indent=2, ensure_ascii=False) + "\n")
    return 0


def _crashed(error: Exception) -> int:
    """Say in one paragraph that contract-kit failed (the traceback only when debugging)."""
    if os.environ.get(DEBUG_VARIABLE, "") not in {"", "0"}:
        import traceback

        traceback.print_exception(error, file=sys.stderr)
        hint = "The traceback is above"
    else:
        hint = f"Set {DEBUG_VARIABLE}=1 to see the traceback"
    sys.stderr.write(
        f"contract-kit: internal error: {type(error).__name__}: {error}\n"
        f"This is a bug in contract-kit, not a verdict on your files (exit code {CRASHED}). "
        f"{hint}; please report it with the command you ran.\n"
    )
    return CRASHED


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return its exit code (:data:`CRASHED` if contract-kit failed)."""
    try:
        return _run(argv)
    except Exception as error:  # noqa: BLE001 - a crash must never read as a verdict (exit 1)
        return _crashed(error)


def _run(argv: Sequence[str] | None) -> int:
    given = sys.argv[1:] if argv is None else list(argv)
    if given[:1] == ["lint"]:
        # Straight to the linter's own parser: the top-level one would hand it every argument
        # after "lint" unread anyway, and building it, with the parsers of all the commands,
        # costs a lint run several milliseconds before the first file (pre-commit runs many).
        from contract_kit.lint.command import run_lint_command

        return run_lint_command(given[1:])
    parser = _parser()
    arguments, rest = parser.parse_known_args(given)
    if arguments.command == "lint":
        from contract_kit.lint.command import run_lint_command

        return run_lint_command(rest)
    if rest:
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    if arguments.command == "serve":
        return _serve(arguments)
    if arguments.command == "kinds":
        return _kinds()
    if arguments.command == "rules":
        return _rules(arguments.format)
    if arguments.command == "openapi":
        return _openapi(arguments.format, arguments.output)
    if arguments.command in {"schema", "example"}:
        return _print_json(arguments.kind, arguments.command)
    return 2  # pragma: no cover - argparse refuses unknown commands first


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
