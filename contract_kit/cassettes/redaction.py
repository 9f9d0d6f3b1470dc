"""Keep secrets out of recordings and out of replay messages, by the one policy of core.secrets.

Redaction is always on: the defaults cover the credentials every Platform call carries, and
users can only add to them. What is secret, where it is found and how every copy of it is
removed is :mod:`contract_kit.core.secrets`' to say; this module applies it to exchanges. A
cassette is redacted as a whole: a value secret in one exchange (a token a login call
answered) is scrubbed from every other.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from contract_kit.cassettes.exchange import Exchange
from contract_kit.core.secrets import Scrubber, SecretPolicy, mask

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence

__all__ = ["Redactions", "masked", "redacted"]


@dataclass(frozen=True)
class Redactions:
    """What to keep out of a recording, on top of the defaults (which always apply).

    ``headers`` maps more header names to their placeholders. ``query`` and ``body_keys`` name
    more secrets: either list applies to every place a name can be (query parameters, form
    fields, JSON members at any depth, multipart fields), spelt in any case, with ``_`` or
    ``-``. ``values`` lists literal secrets to scrub wherever they appear.
    """

    headers: Mapping[str, str] = field(default_factory=dict)
    query: tuple[str, ...] = ()
    body_keys: tuple[str, ...] = ()
    values: tuple[str, ...] = ()

    @functools.cached_property
    def policy(self) -> SecretPolicy:
        """The secret policy these redactions make, the defaults included."""
        return SecretPolicy(dict(self.headers), (*self.query, *self.body_keys), self.values)


def _texts(exchange: Exchange) -> Iterator[str | bytes]:
    yield exchange.url
    yield from exchange.request_headers.values()
    yield exchange.request_body
    yield from exchange.response_headers.values()
    yield exchange.response_body


def _secrets(exchange: Exchange, policy: SecretPolicy) -> dict[str, str]:
    places = [place for text in _texts(exchange) for place in policy.places(text)]
    headers = {**exchange.request_headers}
    found = policy.secrets(places, headers)
    for name, value in exchange.response_headers.items():
        found.update(policy.header_secrets(name, value))
    return found


def _rewritten(exchange: Exchange, policy: SecretPolicy, scrub: Scrubber) -> Exchange:
    def headers(given: Mapping[str, str]) -> dict[str, str]:
        return {
            name: policy.header_placeholder(name) or scrub.text(policy.redact(value))
            for name, value in given.items()
        }

    return Exchange(
        exchange.method,
        scrub.text(policy.redact(exchange.url)),
        headers(exchange.request_headers),
        scrub.body(policy.redact(exchange.request_body)),
        exchange.status,
        headers(exchange.response_headers),
        scrub.body(policy.redact(exchange.response_body)),
        None if exchange.content_type is None else scrub.text(exchange.content_type),
    )


def redacted(exchanges: Sequence[Exchange], redactions: Redactions) -> list[Exchange]:
    """``exchanges`` with every secret replaced: named places by placeholders, copies scrubbed."""
    policy = redactions.policy
    found: dict[str, str] = {}
    for exchange in exchanges:
        found.update(_secrets(exchange, policy))
    scrub = policy.scrubber(found)
    return [_rewritten(exchange, policy, scrub) for exchange in exchanges]


def masked(text: str, live: Exchange, redactions: Redactions) -> str:
    """A message ``text`` about the live request ``live`` with its secrets masked."""
    return mask(
        text,
        url=live.url,
        headers=live.request_headers,
        body=live.request_body,
        policy=redactions.policy,
    )
