"""One recorded request and the answer it got, as recording, replay and redaction share it."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Exchange", "as_bytes", "body_of"]


def body_of(data: object) -> str | bytes:
    """A body as an exchange holds it: text when it is UTF-8, else the exact bytes."""
    if data is None:
        return ""
    if isinstance(data, bytes | bytearray | memoryview):
        raw = bytes(data)
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            return raw
    return str(data)


def as_bytes(body: str | bytes) -> bytes:
    """The bytes a body is on the wire."""
    return body.encode("utf-8") if isinstance(body, str) else body


@dataclass(frozen=True)
class Exchange:
    """One recorded request and the answer it got.

    Bodies are text when they are UTF-8 (JSON, for this API) and bytes otherwise, so a binary
    body is replayed byte for byte.
    """

    method: str
    url: str
    request_headers: dict[str, str] = field(default_factory=dict)
    request_body: str | bytes = ""
    status: int = 200
    response_headers: dict[str, str] = field(default_factory=dict)
    response_body: str | bytes = ""
    content_type: str | None = None

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
