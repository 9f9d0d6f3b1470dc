"""Recordings on disk: YAML that ``responses`` itself reads, plus the request side we replay.

A cassette is ``{"responses": [{"response": {...}, "request": {...}}, ...]}``: each
``response`` entry has the keys ``responses._add_from_file`` reads, and ``request`` holds what
the client sent (method, url, headers, body). Files load with safe YAML only and are written
atomically: a crash leaves the old file or the new one, never half of one.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from contract_kit.cassettes.redaction import Redactions, scrub

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

__all__ = ["CassetteError", "Exchange", "load_cassette", "save_cassette"]

_HEADER = (
    "# Recorded by contract_kit. Secrets are replaced by placeholders (REDACTED); see the\n"
    "# README's record and replay section. Loadable by responses._add_from_file as well.\n"
)
# Headers that describe a transfer, not the answer; responses' own recorder drops them too.
_TRANSFER_HEADERS = frozenset(
    {"content-length", "content-type", "date", "server", "connection", "content-encoding",
     "transfer-encoding", "keep-alive"}
)  # fmt: skip


class CassetteError(ValueError):
    """A recording file that cannot be used; the message names the file and the place."""


@dataclass(frozen=True)
class Exchange:
    """One recorded request and the answer it got; bodies are text (JSON for this API)."""

    method: str
    url: str
    request_headers: dict[str, str] = field(default_factory=dict)
    request_body: str = ""
    status: int = 200
    response_headers: dict[str, str] = field(default_factory=dict)
    response_body: str = ""
    content_type: str | None = None

    def redacted(self, redactions: Redactions) -> Exchange:
        """This exchange with every secret replaced (see the redaction module)."""
        secrets = redactions.secrets_in(self.request_headers, self.url, self.request_body)
        secrets |= redactions.secrets_in(self.response_headers, "", self.response_body)

        def clean(text: str) -> str:
            return scrub(text, secrets)

        return Exchange(
            self.method,
            clean(redactions.url_of(self.url)),
            {k: clean(v) for k, v in redactions.headers_of(self.request_headers).items()},
            clean(redactions.body_of(self.request_body)),
            self.status,
            {k: clean(v) for k, v in redactions.headers_of(self.response_headers).items()},
            clean(redactions.body_of(self.response_body)),
            self.content_type,
        )

    def with_base(self, served: str, recorded_as: str) -> Exchange:
        """This exchange as if the server at ``served`` were at ``recorded_as``."""

        def moved(text: str) -> str:
            return text.replace(served, recorded_as)

        return Exchange(
            self.method,
            moved(self.url),
            self.request_headers,
            self.request_body,
            self.status,
            {k: moved(v) for k, v in self.response_headers.items()},
            self.response_body,
            self.content_type,
        )

    def to_entry(self) -> dict[str, Any]:
        """The cassette entry: responses' keys under ``response``, ours under ``request``."""
        kept = {
            k: v for k, v in self.response_headers.items() if k.lower() not in _TRANSFER_HEADERS
        }
        return {
            "response": {
                "method": self.method,
                "url": self.url,
                "body": self.response_body,
                "status": self.status,
                "headers": kept,
                "content_type": self.content_type,
                "auto_calculate_content_length": False,
            },
            "request": {
                "method": self.method,
                "url": self.url,
                "headers": dict(self.request_headers),
                "body": self.request_body,
            },
        }

    def body_json(self) -> Any:
        """The request body parsed, or None when it is empty or not JSON."""
        try:
            return json.loads(self.request_body) if self.request_body else None
        except ValueError:
            return None


def _yaml() -> Any:
    import yaml

    return yaml


def _require(entry: Mapping[str, Any], key: str, kind: type, where: str) -> Any:
    value = entry.get(key)
    if not isinstance(value, kind):
        expected = {str: "a string", int: "an integer", dict: "a mapping"}[kind]
        raise CassetteError(f"{where}: {key} must be {expected}")
    return value


def _entry_lines(text: str) -> list[int]:
    """The 1-based line of each entry under ``responses``, for messages."""
    yaml = _yaml()
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if not isinstance(root, yaml.MappingNode):
        return []
    for key, value in root.value:
        if getattr(key, "value", None) == "responses" and isinstance(value.value, list):
            return [node.start_mark.line + 1 for node in value.value]
    return []


def load_cassette(path: Path) -> list[Exchange]:
    """Read a cassette; a file that is missing, not YAML or not a cassette is a CassetteError."""
    yaml = _yaml()
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CassetteError(f"{path}: cannot read the recording: {error}") from error
    try:
        data = yaml.safe_load(text)
        lines = _entry_lines(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        problem = getattr(error, "problem", None) or str(error)
        raise CassetteError(
            f"{where}: not a recording: the YAML is malformed ({problem})"
        ) from error
    if not isinstance(data, dict) or not isinstance(data.get("responses"), list) or not lines:
        raise CassetteError(f"{path}:1:1: not a recording: expected a top-level responses: list")
    return [
        _exchange(entry, f"{path}:{line}")
        for entry, line in zip(data["responses"], lines, strict=True)
    ]


def _exchange(entry: Any, where: str) -> Exchange:
    if not isinstance(entry, dict):
        raise CassetteError(f"{where}: each item of responses must be a mapping")
    response = _require(entry, "response", dict, where)
    request = entry.get("request") or {}
    if not isinstance(request, dict):
        raise CassetteError(f"{where}: request must be a mapping")
    return Exchange(
        method=_require(response, "method", str, where).upper(),
        url=_require(response, "url", str, where),
        request_headers={str(k): str(v) for k, v in (request.get("headers") or {}).items()},
        request_body=str(request.get("body") or ""),
        status=_require(response, "status", int, where),
        response_headers={str(k): str(v) for k, v in (response.get("headers") or {}).items()},
        response_body=str(response.get("body") or ""),
        content_type=response.get("content_type"),
    )


def save_cassette(path: Path, exchanges: Iterable[Exchange], redactions: Redactions) -> None:
    """Write ``exchanges`` to ``path``, redacted, atomically (never a half-written file)."""
    yaml = _yaml()
    entries = [exchange.redacted(redactions).to_entry() for exchange in exchanges]
    text = _HEADER + yaml.safe_dump(
        {"responses": entries}, sort_keys=False, allow_unicode=True, width=100
    )
    write_atomically(path, text)


def write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` in one step: write a sibling file, sync it, rename it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)  # the rename itself survives a crash
    finally:
        os.close(directory)
