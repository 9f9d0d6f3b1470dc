"""Lint one file: read it, parse it, tell its kind, check it, and place what is found.

A clean file costs a read, a parse and a fast verdict; only a file with findings has its
violations explained by the engine and placed at their lines and columns. The two steps can
be taken apart (:func:`screen`, then :func:`explain_pending` for the files that need it), so
that worker processes give the verdicts while one process explains: :func:`screen` hands the
explaining process the bytes it read and the kind it told (:class:`Pending`), so that a file
is read and its kind told once.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from contract_kit.documents.json_source import parse_json
from contract_kit.documents.reading import STDIN, FileProblemError, read_file, read_stdin
from contract_kit.documents.source import ParseProblemError
from contract_kit.lint.documents import DocumentKind, document_kind, identify
from contract_kit.lint.findings import FileResult, Finding, Span, crash, unchecked

if TYPE_CHECKING:
    from contract_kit.documents.source import Source
    from contract_kit.lint.globs import GlobSet

__all__ = [
    "LintOptions",
    "Pending",
    "explain_pending",
    "lint_file",
    "screen",
    "screen_and_explain_file",
]

_YAML_SUFFIXES = (".yaml", ".yml")
#: A file screened as breaking a rule is handed on with its bytes up to this size; a larger
#: one is read again where it is explained, so that the files waiting there hold little memory.
_CARRIED = 1 << 16


class LintOptions(NamedTuple):
    """How to lint each file: the kind to use, and which rules to report."""

    root: str = "."
    kind: str | None = None  # --kind: every file is this kind
    kinds: tuple[tuple[GlobSet, str], ...] = ()  # the first glob that matches names the kind
    select: frozenset[str] | None = None  # None: every rule
    ignore: frozenset[str] = frozenset()
    strict: bool = False  # warnings fail the run too

    def reports(self, rule: str) -> bool:
        """Whether violations of ``rule`` are reported."""
        return (self.select is None or rule in self.select) and rule not in self.ignore

    def named_kind(self, path: str) -> str | None:
        """The kind ``--kind`` or the configuration gives this file, if any."""
        if self.kind is not None or not self.kinds or path == STDIN:
            return self.kind
        from contract_kit.lint.discovery import relative_to

        relative = relative_to(self.root, path)
        name = Path(path).name
        return next((kind for glob, kind in self.kinds if glob.matches_entry(name, relative)), None)


class Pending(NamedTuple):
    """A file :func:`screen` left to explain: its path, its bytes (None: read it again), kind."""

    path: str
    data: bytes | None
    kind: str


def _reads_as_yaml(data: bytes) -> bool:
    """Standard input has no name: it is JSON if it starts as every JSON payload does."""
    start = data.lstrip(b" \t\r\n")
    return bool(start) and not start.startswith((b"{", b"[", b"\xef\xbb\xbf"))


def _problem(path: str, problem: str, message: str, span: Span | None = None) -> FileResult:
    return FileResult(path, (unchecked(problem, message, span),))


def _parse(data: bytes, *, yaml: bool) -> Source:
    if yaml:
        from contract_kit.documents.yaml_source import parse_yaml

        return parse_yaml(data)
    return parse_json(data)


def _boolean_hint(source: Source, pointer: str) -> str:
    """Say so when the value at fault was an unquoted YAML 1.1 boolean word (``on``: true)."""
    from contract_kit.documents.yaml_source import YamlTree

    tree = source.tree
    word = tree.boolean_word(source.node(pointer)) if isinstance(tree, YamlTree) else None
    if word is None:
        return ""
    value = "true" if word.lower() in {"yes", "on"} else "false"
    return (
        f"; YAML 1.1 reads the unquoted word {word} as {value}: "
        f'quote it ("{word}") if the word is meant'
    )


def _kind_of(path: str, source: Source, options: LintOptions) -> DocumentKind | str:
    named = options.named_kind(path)
    return identify(source.value) if named is None else document_kind(named)


def _lint(  # noqa: C901 - the steps of one file, each a branch
    path: str, options: LintOptions, step: str, pending: Pending | None = None
) -> FileResult | Pending:
    """What linting ``path`` finds; with ``step`` "screen", a :class:`Pending` to explain.

    ``pending``: the file as :func:`screen` read it and told its kind.
    """
    data = None if pending is None else pending.data
    if data is None:
        try:
            data = read_stdin() if path == STDIN else read_file(path)
        except FileProblemError as problem:
            return _problem(path, "file", str(problem))
    yaml = path.lower().endswith(_YAML_SUFFIXES) or (path == STDIN and _reads_as_yaml(data))
    try:
        source = _parse(data, yaml=yaml)
    except ParseProblemError as problem:
        line, column = problem.line_column or (1, 1)
        span = Span(line, column, line, column + 1)
        return _problem(path, "yaml" if yaml else "json", problem.message, span)
    kind = _kind_of(path, source, options) if pending is None else document_kind(pending.kind)
    if isinstance(kind, str):
        return _problem(path, "kind", kind, source.span(""))
    if step in {"screen", "both"} and kind.valid is not None:
        if kind.valid(source.value):
            return FileResult(path)
        if step == "screen":
            return Pending(path, data if len(data) <= _CARRIED else None, kind.name)
    check = kind.check
    if step in {"explain", "both"} and kind.explain is not None:
        check = kind.explain  # the verdict was given: straight to the violations
    broken = check(source.value)
    if not broken:  # the usual file: nothing to place
        return FileResult(path)
    found = [violation for violation in broken if options.reports(violation.rule)]
    if not found:
        return FileResult(path)
    findings = [
        Finding(
            source.span(violation.pointer, violation.rule, headers=kind.headers),
            violation.pointer,
            violation.message + (_boolean_hint(source, violation.pointer) if yaml else ""),
            violation.rule,
            kind.name,
        )
        for violation in found
    ]
    findings.sort(key=lambda finding: (finding.span.line, finding.span.column))
    return FileResult(path, tuple(findings))


def lint_file(path: str, options: LintOptions) -> FileResult:
    """Everything to report about the file at ``path`` (no findings: the file is clean)."""
    return _result(path, _guarded(path, options, "check"))


def screen(path: str, options: LintOptions) -> FileResult | Pending:
    """:func:`lint_file`'s answer where it takes no explaining; a :class:`Pending` where it does.

    A pending file may break a rule of its kind: :func:`explain_pending` says which.
    """
    return _guarded(path, options, "screen")


def explain_pending(pending: Pending, options: LintOptions) -> FileResult:
    """:func:`lint_file`'s answer for a file :func:`screen` left to explain.

    The same answer, without the fast verdict :func:`screen` already gave, from the bytes it
    read and the kind it told.
    """
    return _result(pending.path, _guarded(pending.path, options, "explain", pending))


def screen_and_explain_file(path: str, options: LintOptions) -> FileResult:
    """:func:`screen`'s answer, or if it leaves the file to explain, :func:`explain_pending`'s.

    In one reading of the file: for the process that gives verdicts and explains too.
    """
    return _result(path, _guarded(path, options, "both"))


def _result(path: str, found: FileResult | Pending) -> FileResult:
    # Only the "screen" step hands a file on: the others always have the answer.
    return found if isinstance(found, FileResult) else FileResult(path)


def _guarded(
    path: str, options: LintOptions, step: str, pending: Pending | None = None
) -> FileResult | Pending:
    try:
        return _lint(path, options, step, pending)
    except RecursionError:
        return _problem(path, "file", "the file nests too deeply to be checked")
    except Exception as error:  # noqa: BLE001 - bad input must never end the run with a traceback
        message = (
            f"contract-kit failed on this file ({type(error).__name__}: {error}); "
            "this is a bug in contract-kit: please report it with the file"
        )
        return FileResult(path, (crash("exception", message),))
