"""``contract-kit lint``: its options, and running it.

The ``contract-kit`` parser only names the subcommand; its options are read here, when the
command runs, so that the other subcommands never import the linter.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

    from contract_kit.lint.config import Config
    from contract_kit.lint.file_lint import LintOptions
    from contract_kit.lint.globs import GlobSet
    from contract_kit.lint.runner import LintRun

__all__ = ["lint_parser", "run_lint_command"]

_FORMATS = ("text", "json", "json-summary", "github", "sarif")
_DESCRIPTION = """\
Check payload files (JSON or YAML) against the Offer Library contract. Each violation is
reported at file:line:column (columns in Unicode code points) with its severity (error: the
service refuses it; warning: it takes it), its JSON pointer, what is wrong and the rule id. A
missing member is reported at the object that lacks it.

Files named are linted whatever their name; folders are walked for --include globs (default
*.json, *.yaml, *.yml), skipping --exclude globs and .git, .venv, node_modules and the like.
A file's kind comes from --kind, from [tool.contract-kit.kinds] in pyproject.toml, or from its
content: a stored instance by its schemas, a body of a stored kind by its @id, else by the
members that tell the kinds apart (so a body with xdm:rank and no @id is a personalized
offer: lint a fallback offer that has one with --kind fallback-offer, or give it its @id).
Recordings (cassettes) are linted exchange by exchange; a secret left in one is an error."""
_EPILOG = """\
exit codes:
  0  every file passes the contract, or has warnings only (without --strict)
  1  errors found, or warnings with --strict
  2  usage error, or a file could not be checked: unreadable, not a regular file, larger
     than 10 MiB, not valid UTF-8 JSON or YAML (including a byte order mark in JSON, NaN or
     Infinity, a member given twice, nesting deeper than 256 levels), or of a kind that
     cannot be told from its content; 2 wins over 1
  3  contract-kit itself failed (a bug, or a worker process that died): no verdict on the
     files it failed on; 3 wins over 2 and 1

configuration: [tool.contract-kit] in the nearest pyproject.toml takes select, ignore,
include, exclude, strict and a kinds table of glob = kind (docs/lint.md in the contract_kit
repository shows an example); --select replaces the configured select, --ignore and
--exclude add to theirs. contract-kit rules lists the rule ids, contract-kit kinds the kinds."""


class _Unprinted(argparse.RawDescriptionHelpFormatter):
    """The formatter argparse makes to check each argument added, which prints nothing.

    Of a fixed width: the formatter that prints asks the terminal's, and asking imports
    shutil (with zlib, bz2 and lzma), about 2 ms of every run.
    """

    def __init__(self, prog: str) -> None:
        super().__init__(prog, width=80)


def lint_parser() -> argparse.ArgumentParser:
    """The parser of ``contract-kit lint``'s arguments."""
    lint = argparse.ArgumentParser(
        prog="contract-kit lint",
        description=_DESCRIPTION,
        epilog=_EPILOG,
        formatter_class=_Unprinted,
    )
    lint.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="files and folders to lint; - reads standard input (reported as <stdin>)",
    )
    lint.add_argument(
        "--kind", help="lint every file as this kind (see contract-kit kinds), not inferred"
    )
    lint.add_argument(
        "--select",
        action="append",
        metavar="RULE[,RULE...]",
        help="report only these rule ids (repeatable); replaces the configured select",
    )
    lint.add_argument(
        "--ignore",
        action="append",
        metavar="RULE[,RULE...]",
        help="do not report these rule ids (repeatable); adds to the configured ignore",
    )
    lint.add_argument(
        "--strict",
        action="store_true",
        help="exit with 1 on warnings too (rules the service does not enforce); "
        "[tool.contract-kit] strict = true does the same",
    )
    lint.add_argument(
        "--include",
        action="append",
        metavar="GLOB",
        help="files to lint in folders (repeatable; default *.json, *.yaml, *.yml)",
    )
    lint.add_argument(
        "--exclude", action="append", metavar="GLOB", help="paths to skip (repeatable)"
    )
    lint.add_argument(
        "--format",
        choices=_FORMATS,
        default="text",
        help="output format (default: text); json is an array of findings, json-summary an "
        "object with a summary and the findings",
    )
    lint.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour the text output: auto (default) colours a terminal unless NO_COLOR is set",
    )
    lint.add_argument(
        "--config", metavar="FILE", help="read [tool.contract-kit] from FILE, not the nearest"
    )
    lint.add_argument(
        "--jobs",
        type=int,
        metavar="N",
        help="processes to lint many files with (default: one per core)",
    )
    # Usage, errors and help are printed by the formatter that fits the terminal.
    lint.formatter_class = argparse.RawDescriptionHelpFormatter
    return lint


def _rule_ids(values: list[str] | None) -> tuple[str, ...] | None:
    if values is None:
        return None
    return tuple(rule.strip() for value in values for rule in value.split(",") if rule.strip())


def _globs(patterns: tuple[str, ...] | list[str]) -> GlobSet:
    from contract_kit.lint.config import ConfigError
    from contract_kit.lint.globs import Glob, GlobError, GlobSet

    try:
        return GlobSet(Glob(pattern) for pattern in patterns)
    except GlobError as error:
        raise ConfigError(str(error)) from None


def _options(arguments: argparse.Namespace, config: Config, known: tuple[str, ...]) -> LintOptions:
    from contract_kit.lint.config import ConfigError, check_rule_ids
    from contract_kit.lint.file_lint import LintOptions

    if arguments.kind is not None and arguments.kind not in known:
        from contract_kit.core.messages import did_you_mean

        hint = did_you_mean(arguments.kind, known, aside=True)
        raise ConfigError(
            f"--kind: unknown kind {arguments.kind!r}{hint}; contract-kit kinds lists them"
        )
    select = _rule_ids(arguments.select)
    select = config.select if select is None else check_rule_ids("--select", select)
    ignore = config.ignore + check_rule_ids("--ignore", _rule_ids(arguments.ignore) or ())
    return LintOptions(
        root=config.root,
        kind=arguments.kind,
        kinds=tuple((_globs([pattern]), kind) for pattern, kind in config.kinds),
        select=None if select is None else frozenset(select),
        ignore=frozenset(ignore),
        strict=arguments.strict or config.strict,
    )


def _colour(choice: str) -> bool:
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return sys.stdout.isatty()


def _report(run: LintRun, output_format: str, *, colour: bool) -> Iterable[str]:
    """The report in pieces to write one after the other (JSON: one per finding)."""
    if output_format == "sarif":
        from contract_kit.lint.sarif import sarif_report

        return (sarif_report(run),)
    from contract_kit.lint.output import (
        github_report,
        json_report_parts,
        json_summary_report,
        text_report,
    )

    if output_format == "json":
        return json_report_parts(run)
    if output_format == "json-summary":
        return (json_summary_report(run),)
    if output_format == "github":
        return (github_report(run),)
    return (text_report(run, colour=colour),)


def _error(message: str) -> int:
    sys.stderr.write(f"contract-kit lint: error: {message}\n")
    return 2


def run_lint_command(argv: list[str]) -> int:
    """Lint what the arguments name, print the report, and return the exit code."""
    arguments = lint_parser().parse_args(argv)
    from contract_kit.lint.config import DEFAULT_EXCLUDE, ConfigError, load_config
    from contract_kit.lint.documents import document_kinds
    from contract_kit.lint.runner import default_jobs, run_lint

    known = document_kinds()
    try:
        config = load_config(arguments.config, known)
        options = _options(arguments, config, known)
        include = _globs(arguments.include or config.include)
        exclude = _globs(DEFAULT_EXCLUDE + config.exclude + tuple(arguments.exclude or ()))
    except ConfigError as error:
        return _error(str(error))
    jobs = default_jobs() if arguments.jobs is None else arguments.jobs
    if jobs < 1:
        return _error(f"--jobs: expected at least 1, got {jobs}")
    run = run_lint(arguments.paths, options, include=include, exclude=exclude, jobs=jobs)
    if run.files == 0:
        wanted = ", ".join(glob.pattern for glob in include.globs)
        return _error(
            f"no files to lint: no file under {', '.join(arguments.paths)} matches the "
            f"--include globs ({wanted}) outside the excluded paths"
        )
    report = _report(run, arguments.format, colour=_colour(arguments.color))
    try:
        # Written as made: the JSON of 10,000 findings is never held whole with its objects.
        for part in report:
            sys.stdout.write(part)
        sys.stdout.flush()
    except BrokenPipeError:  # the reader left (``| head``): the exit code still tells
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    return run.exit_code
