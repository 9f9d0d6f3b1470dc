"""Keep secrets out of recordings: replace them with fixed placeholders before anything is saved.

Redaction is always on: the defaults cover the credentials every Platform call carries, and
users can only add to them. Each placeholder still satisfies the contract (``Bearer
REDACTED`` is a Bearer token, ``REDACTED@AdobeOrg`` an org id), so replayed requests check
clean. Besides the named headers, query parameters and body members, the values found there
are scrubbed wherever else they appear (an echoed token in a response body, say).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["DEFAULT_HEADER_PLACEHOLDERS", "PLACEHOLDER", "Redactions", "scrub"]

PLACEHOLDER: Final = "REDACTED"
#: Header (lower-cased) → what is written instead of its value.
DEFAULT_HEADER_PLACEHOLDERS: Final[Mapping[str, str]] = {
    "authorization": f"Bearer {PLACEHOLDER}",
    "proxy-authorization": f"Bearer {PLACEHOLDER}",
    "x-api-key": PLACEHOLDER,
    "x-gw-ims-org-id": f"{PLACEHOLDER}@AdobeOrg",
    "x-user-token": PLACEHOLDER,
    "cookie": PLACEHOLDER,
    "set-cookie": PLACEHOLDER,
}
DEFAULT_QUERY_PARAMETERS: Final = ("access_token", "api_key", "client_secret", "code")
DEFAULT_BODY_KEYS: Final = (
    "access_token",
    "refresh_token",
    "id_token",
    "client_secret",
    "password",
)
# Shorter values would scrub ordinary text ("prod", "1") along with the secret.
_MIN_SCRUBBED_LENGTH = 6


@dataclass(frozen=True)
class Redactions:
    """What to keep out of a recording, on top of the defaults (which always apply).

    ``headers`` maps more header names to their placeholders; ``query`` and ``body_keys``
    name query parameters and JSON members (at any depth) whose values become ``REDACTED``;
    ``values`` lists literal secrets to scrub wherever they appear.
    """

    headers: Mapping[str, str] = field(default_factory=dict)
    query: tuple[str, ...] = ()
    body_keys: tuple[str, ...] = ()
    values: tuple[str, ...] = ()

    def header_placeholders(self) -> dict[str, str]:
        """Every redacted header (lower-cased) with its placeholder."""
        extra = {name.lower(): value for name, value in self.headers.items()}
        return {**DEFAULT_HEADER_PLACEHOLDERS, **extra}

    def secrets_in(self, headers: Mapping[str, str], url: str, body: str) -> set[str]:
        """The secret values a message carries, to scrub everywhere they appear."""
        placeholders = self.header_placeholders()
        found = set(self.values)
        for name, value in headers.items():
            if name.lower() in placeholders:
                found.add(value)
                found.add(value.partition(" ")[2])  # the token without its scheme
        secret_query = {*DEFAULT_QUERY_PARAMETERS, *self.query}
        found.update(v for k, v in parse_qsl(urlsplit(url).query) if k in secret_query)
        found.update(_body_values(body, {*DEFAULT_BODY_KEYS, *self.body_keys}))
        # A placeholder is no secret: scrubbing it would make re-saving a cassette change it.
        harmless = {PLACEHOLDER, *placeholders.values()}
        return {v for v in found if len(v) >= _MIN_SCRUBBED_LENGTH and v not in harmless}

    def headers_of(self, headers: Mapping[str, str]) -> dict[str, str]:
        """``headers`` with every secret header's value replaced by its placeholder."""
        placeholders = self.header_placeholders()
        return {k: placeholders.get(k.lower(), v) for k, v in headers.items()}

    def url_of(self, url: str) -> str:
        """``url`` with the values of secret query parameters replaced."""
        parts = urlsplit(url)
        if not parts.query:
            return url
        secret = {*DEFAULT_QUERY_PARAMETERS, *self.query}
        pairs = [
            (k, PLACEHOLDER if k in secret else v)
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
        ]
        if pairs == parse_qsl(parts.query, keep_blank_values=True):
            return url
        return urlunsplit(parts._replace(query=urlencode(pairs, safe=":;/=,*")))

    def body_of(self, body: str) -> str:
        """A JSON ``body`` with the values of secret members replaced (other text unchanged)."""
        keys = {*DEFAULT_BODY_KEYS, *self.body_keys}
        try:
            parsed = json.loads(body)
        except ValueError:
            return body
        redacted, changed = _redact_members(parsed, keys)
        return json.dumps(redacted, ensure_ascii=False) if changed else body


def _body_values(body: str, keys: set[str]) -> set[str]:
    try:
        parsed = json.loads(body)
    except ValueError:
        return set()
    found: set[str] = set()
    stack = [parsed]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            for key, inner in value.items():
                if key in keys and isinstance(inner, str):
                    found.add(inner)
                stack.append(inner)
        elif isinstance(value, list):
            stack.extend(value)
    return found


def _redact_members(value: Any, keys: set[str]) -> tuple[Any, bool]:
    if isinstance(value, dict):
        changed = False
        out = {}
        for key, inner in value.items():
            if key in keys:
                out[key], changed = PLACEHOLDER, True
            else:
                out[key], inner_changed = _redact_members(inner, keys)
                changed = changed or inner_changed
        return out, changed
    if isinstance(value, list):
        items = [_redact_members(item, keys) for item in value]
        return [item for item, _ in items], any(c for _, c in items)
    return value, False


def scrub(text: str, secrets: set[str]) -> str:
    """``text`` with every secret value (longest first) replaced by the placeholder."""
    for secret in sorted(secrets, key=len, reverse=True):
        text = text.replace(secret, PLACEHOLDER)
    return text
