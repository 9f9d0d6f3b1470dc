"""The fake's fast paths agree with the slow reading they replace, on drawn inputs."""

from __future__ import annotations

import copy
import datetime as dt
import json
import string
import time
import uuid
from typing import Any

import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from requests.structures import CaseInsensitiveDict

import contract_kit.strategies as cs
from contract_kit.api.json_body import _reject_constant, _unique_members, parse_json_body
from contract_kit.api.request_check import (
    _content_type,
    _exact_pairs,
    _header_violations,
    check_call,
)
from contract_kit.core.headers import CREATE, header_violations, normalize_headers
from contract_kit.core.limits import beyond_limits, digits_limit
from contract_kit.core.object_kinds import object_kind, object_kinds, reference_values, values_at
from contract_kit.core.violation import Violation
from contract_kit.fake import FakeRequest, OfferLibrary
from contract_kit.fake.exchange import NOT_KEPT, _flat_json, json_response
from contract_kit.fake.requests_adapter import _pairs
from contract_kit.fake.store import (
    _CLOCK_SEQUENCE,
    Store,
    json_copy,
    micros_timestamp,
    new_instance_id,
    time_uuid,
    timestamp,
)

#: No test may depend on machine speed: no deadline, and the one timed health check off.
SPEED_FREE = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=20,
)
_NAMES = st.sampled_from(["Content-Type", "content-type", "CONTENT-TYPE", "Accept", "x-api-key"])
_VALUES = st.text(max_size=20) | st.binary(max_size=20) | st.integers() | st.none()
_PAIRS = st.tuples(_NAMES | st.text(max_size=12), _VALUES) | st.lists(_VALUES, max_size=3)
HEADERS = (
    st.lists(_PAIRS | JSON, max_size=6)
    | st.lists(_PAIRS, max_size=6).map(tuple)
    | st.dictionaries(_NAMES | st.text(max_size=12), _VALUES, max_size=6)
    | JSON
)


def _normalized_content_type(headers: object) -> str | None:
    """The Content-Type the slow way: every header normalized, then one read."""
    found, _ = normalize_headers(headers)
    value = found.get("content-type") if found is not None else None
    return value if isinstance(value, str) else None


@SPEED_FREE
@given(headers=HEADERS)
def test_content_type_is_read_as_normalizing_every_header_reads_it(headers: object) -> None:
    """The request check's Content-Type is the one normalize_headers keeps, whatever the form."""
    assert _content_type(headers) == _normalized_content_type(headers)


def _containers(value: object) -> list[object]:
    if isinstance(value, dict):
        return [value, *(c for item in value.values() for c in _containers(item))]
    if isinstance(value, list):
        return [value, *(c for item in value for c in _containers(item))]
    return []


@SPEED_FREE
@given(value=JSON | st.tuples(JSON, JSON) | st.lists(st.tuples(JSON), max_size=3))
def test_a_stored_copy_equals_deepcopy_and_shares_nothing(value: object) -> None:
    """json_copy gives what copy.deepcopy gives, and no dict or list of the original."""
    copied = json_copy(value)
    assert repr(copied) == repr(copy.deepcopy(value))
    held = {id(c) for c in _containers(value)}
    assert not any(id(c) in held for c in _containers(copied))


_ZONES: st.SearchStrategy[dt.tzinfo] = st.just(dt.UTC) | st.builds(
    dt.timezone,
    st.timedeltas(min_value=-dt.timedelta(hours=23), max_value=dt.timedelta(hours=23)),
)


# Year 1 has no UTC time for every zone: astimezone itself overflows there.
_EARLIEST = dt.datetime(2, 1, 1)  # noqa: DTZ001 - datetimes() takes naive bounds


@SPEED_FREE
@given(
    moment=st.datetimes(min_value=_EARLIEST, timezones=_ZONES) | st.datetimes(min_value=_EARLIEST)
)
def test_timestamps_read_as_strftime_writes_them(moment: dt.datetime) -> None:
    """A stored date is the strftime text it always was, in every year and zone."""
    assert timestamp(moment) == moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _hooked_parse(text: str) -> tuple[Any, list[Violation]]:
    """The body read as before: every object and every integer through a Python hook."""

    def members(pairs: list[tuple[str, object]]) -> dict[str, object]:
        found: dict[str, object] = {}
        for key, value in pairs:
            if key in found:
                raise ValueError(f"member {key!r} appears twice in one object, which is ambiguous")
            found[key] = value
        return found

    def integer(digits: str) -> int:
        if len(digits.lstrip("-")) > digits_limit():
            raise ValueError(digits)
        return int(digits)

    def constant(name: str) -> object:
        raise ValueError(name)

    try:
        parsed = json.loads(
            text, object_pairs_hook=members, parse_int=integer, parse_constant=constant
        )
    except ValueError as error:
        return None, [Violation("/body", str(error), "json")]
    return parsed, []


_LONG = st.integers(min_value=1, max_value=3).map(lambda n: "7" * (digits_limit() + n))
_MEMBERS = st.lists(st.sampled_from(["a", "b", "xdm:name", "@id"]), max_size=4)
BODIES = st.one_of(
    JSON.map(json.dumps),
    _MEMBERS.map(lambda keys: "{" + ", ".join(f'"{k}": {i}' for i, k in enumerate(keys)) + "}"),
    st.tuples(_LONG, st.booleans()).map(lambda d: f'["{d[0]}"]' if d[1] else f"[{d[0]}]"),
    st.text(alphabet=string.digits + '{}[]":, -', max_size=30),
)


@SPEED_FREE
@given(text=BODIES)
def test_bodies_parse_as_with_a_hook_per_member_and_integer(text: str) -> None:
    """The same value, or a json violation, for the same bodies as the hooked parse."""
    parsed, found = parse_json_body(text.encode("utf-8"))
    expected, problems = _hooked_parse(text)
    assert (parsed, bool(found)) == (expected, bool(problems))
    if "appears twice" in str(problems):
        assert found[0].message == f"the body is not usable JSON: {problems[0].message}"


@SPEED_FREE
@given(call=cs.create_calls())
def test_the_receipt_checked_is_the_body_answered(call: Any) -> None:
    """A create's receipt is checked on the very value its body says, parsed or kept."""
    answer = OfferLibrary().handle(FakeRequest.from_call(*call))
    assert answer.written_from is NOT_KEPT or answer.written_from == answer.json()
    assert answer.status >= 300 or answer.written_from is not NOT_KEPT


_HEADER_PAIRS = st.lists(
    st.tuples(_NAMES | st.text(max_size=12), st.text(max_size=20)), max_size=6
).map(tuple)


@SPEED_FREE
@given(
    headers=cs.request_headers(form="pairs").map(lambda found: tuple(map(tuple, found)))
    | _HEADER_PAIRS
)
def test_remembered_header_verdicts_are_the_checked_ones(
    headers: tuple[tuple[str, str], ...],
) -> None:
    """Headers sent again get the verdict checking them afresh gives, as often as sent."""
    checked = tuple(v.under("/headers") for v in header_violations(headers, CREATE))
    assert _header_violations(headers, CREATE, None) == checked
    assert _header_violations(headers, CREATE, None) == checked


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_YEAR_1000 = int((dt.datetime(1000, 1, 1, tzinfo=dt.UTC) - _EPOCH).total_seconds()) * 10**6
_YEAR_10000 = int((dt.datetime(9999, 12, 31, 23, 59, 59, tzinfo=dt.UTC) - _EPOCH).total_seconds())


@SPEED_FREE
@given(micros=st.integers(min_value=_YEAR_1000, max_value=_YEAR_10000 * 10**6 + 999_998))
def test_system_clock_dates_read_as_the_datetimes_of_the_same_moment(micros: int) -> None:
    """A date written from the system clock's microseconds is timestamp() of that moment."""
    moment = _EPOCH + dt.timedelta(microseconds=micros)
    assert micros_timestamp(micros) == timestamp(moment)
    assert micros_timestamp(micros + 1) == timestamp(moment + dt.timedelta(microseconds=1))


def test_system_clock_dates_are_now_and_never_repeat() -> None:
    """The store's own clock starts at the time now and moves on with every date it gives."""
    store = Store()
    before = timestamp(dt.datetime.now(dt.UTC))
    dates = [store.now() for _ in range(2000)]
    assert dates == sorted(set(dates))
    assert before <= dates[0]


_STAMPS = st.integers(min_value=0, max_value=2**60 - 1)


@SPEED_FREE
@given(stamp=_STAMPS)
def test_instance_ids_are_the_uuid1_of_their_time(stamp: int) -> None:
    """An instanceId is the version 1 UUID uuid.UUID writes for its time, node and sequence."""
    fields = (
        stamp & 0xFFFFFFFF,
        (stamp >> 32) & 0xFFFF,
        (stamp >> 48) & 0x0FFF,
        (_CLOCK_SEQUENCE >> 8) & 0x3F,
        _CLOCK_SEQUENCE & 0xFF,
        uuid.getnode(),
    )
    written = uuid.UUID(fields=fields, version=1)
    assert time_uuid(stamp) == str(written)
    assert uuid.UUID(time_uuid(stamp)).time == stamp


def test_instance_ids_carry_the_time_they_were_made_and_never_repeat() -> None:
    """Ids made at once are unique, in time order, dated now, with the process's node."""
    gregorian = 0x01B21DD213814000
    before = time.time_ns() // 100 + gregorian
    ids = [uuid.UUID(new_instance_id()) for _ in range(2000)]
    assert len(set(ids)) == len(ids)
    assert [i.time for i in ids] == sorted(i.time for i in ids)
    assert ids[0].time >= before
    assert {(i.version, i.variant, i.node, i.clock_seq) for i in ids} == {
        (1, uuid.RFC_4122, uuid.getnode(), _CLOCK_SEQUENCE)
    }


def _table_pointers() -> list[str]:
    """Every pointer the kind table names, and those the store's checks read themselves."""
    found = {"/xdm:representations/*", "/xdm:fallback", "/xdm:criteria/*/xdm:placements/*"}
    for kind in object_kinds():
        found.update(reference.pointer for reference in kind.references)
        found.update(unique.pointer for unique in kind.unique)
        found.update(kind.read_only)
    return sorted(found)


_INSTANCES = st.sampled_from([kind.name for kind in object_kinds()]).flatmap(cs.valid)
_POINTERS = st.sampled_from(_table_pointers()) | st.lists(
    st.sampled_from(["a", "*", "0", "~0", "~1", "a/b", ""]), max_size=3
).map(lambda tokens: "".join(f"/{token}" for token in tokens))


def _walked(instance: object, pointer: str) -> list[tuple[str, object]]:
    """What a table pointer reaches, read token by token depth first: the walks' oracle."""
    if pointer == "":
        return [("", instance)]
    head, _, rest = pointer[1:].partition("/")
    name = head.replace("~1", "/").replace("~0", "~")
    below = f"/{rest}" if _ or rest else ""
    if name == "*":
        items = list(enumerate(instance)) if isinstance(instance, list) else []
        return [
            (f"/{index}{at}", value) for index, item in items for at, value in _walked(item, below)
        ]
    if not (isinstance(instance, dict) and name in instance):
        return []
    return [(f"/{head}{at}", value) for at, value in _walked(instance[name], below)]


@SPEED_FREE
@given(instance=_INSTANCES | JSON, pointer=_POINTERS)
def test_values_at_reaches_what_a_plain_walk_reaches(instance: object, pointer: str) -> None:
    """values_at's compiled walks reach what reading the pointer token by token reaches, in order."""
    assert values_at(instance, pointer) == _walked(instance, pointer)


def _exactly_str_pairs(headers: object) -> bool:
    """The check the remembered readings took before: one pair at a time."""
    return type(headers) is tuple and all(
        type(pair) is tuple and len(pair) == 2 and type(pair[0]) is str and type(pair[1]) is str
        for pair in headers
    )


@SPEED_FREE
@given(headers=HEADERS | _HEADER_PAIRS)
def test_headers_are_remembered_only_as_exact_str_pairs(headers: object) -> None:
    """The headers whose reading is kept are exactly the tuples of (str, str) tuples."""
    assert _exact_pairs(headers) == _exactly_str_pairs(headers)


def _as_pairs(headers: Any) -> tuple[tuple[str, str], ...]:
    pairs = headers.items() if isinstance(headers, dict) else headers
    return tuple((str(name), str(value)) for name, value in pairs)


@SPEED_FREE
@given(
    call=cs.create_calls() | cs.invalid_create_calls().map(lambda case: case.instance),
    again=st.booleans(),
)
def test_remembered_headers_check_a_call_as_headers_checked_afresh(call: Any, again: bool) -> None:
    """A call whose headers are kept gets the violations and kind of the same call sent as a list."""
    method, url, headers, body = call
    pairs = _as_pairs(headers)
    if again:
        check_call(method, url, pairs, body)
    kept = check_call(method, url, pairs, body)
    afresh = check_call(method, url, [list(pair) for pair in pairs], body)
    assert (kept.violations, kept.kind, kept.body_kind) == (
        afresh.violations,
        afresh.kind,
        afresh.body_kind,
    )


@SPEED_FREE
@given(kind=st.sampled_from([kind.name for kind in object_kinds()]), data=st.data())
def test_references_are_every_string_a_reference_pointer_reaches(kind: str, data: Any) -> None:
    """reference_values gives each string a kind's reference pointers reach, with its kinds."""
    instance = data.draw(cs.valid(kind) | JSON)
    expected = [
        (at, value, reference.kinds_for(instance))
        for reference in object_kind(kind).references
        for at, value in _walked(instance, reference.pointer)
        if isinstance(value, str)
    ]
    assert [tuple(found) for found in reference_values(kind, instance)] == expected


@SPEED_FREE
@given(body=st.dictionaries(st.text(), st.text() | st.integers(), max_size=10))
def test_receipts_are_written_as_json_dumps_writes_them(body: dict[str, Any]) -> None:
    """A receipt's body text is json.dumps's, whatever its ids hold (quotes, controls, non-ASCII)."""
    assert _flat_json(body) == json.dumps(body, ensure_ascii=False)


_ANY_VALUE = (
    st.text() | st.integers() | st.booleans() | st.floats() | st.none() | st.lists(st.text())
)


@SPEED_FREE
@given(body=st.dictionaries(st.text(max_size=8), _ANY_VALUE, max_size=6))
def test_only_a_body_of_str_and_int_values_is_kept_as_written(body: dict[str, Any]) -> None:
    """A body handed over is kept only when it reads back as written; its text is json.dumps's."""
    answer = json_response(201, body, "application/json", keep=True)
    assert answer.body == json.dumps(body, ensure_ascii=False).encode()
    flat = all(type(value) in {str, int} for value in body.values())
    assert (answer.written_from is not NOT_KEPT) == flat


@SPEED_FREE
@given(text=BODIES, bom=st.booleans())
def test_text_bodies_are_refused_as_json_loads_refuses_them(text: str, bom: bool) -> None:
    """A body given as text, a BOM before it or not, gets json.loads's refusal word for word."""
    text = ("\ufeff" if bom else "") + text
    _, found = parse_json_body(text)
    refusal = None
    try:
        json.loads(text, object_pairs_hook=_unique_members, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        refusal = f"the body is not JSON: {error.msg} (line {error.lineno}, column {error.colno})"
    except ValueError:
        pass  # the hooks' own refusals (a repeated member, NaN): worded by another test
    if refusal is not None:
        assert [v.message for v in found] == [refusal]
    else:
        assert not any(v.message.startswith("the body is not JSON:") for v in found)


def test_header_values_requests_sends_as_bytes_reach_the_fake_as_text() -> None:
    """A header given as bytes is read as latin-1, beside the text headers taken as they are."""
    import requests
    import responses

    from contract_kit.core.examples import fallback_offer_body
    from contract_kit.fake.requests_adapter import serve_with_responses

    fake = OfferLibrary()
    schema = "https://ns.adobe.com/experience/offer-management/fallback-offer;version=0.1"
    headers: dict[str, str | bytes] = {
        "Accept": "application/vnd.adobe.platform.xcore.xdm.receipt+json; version=1",
        "Content-Type": f'application/schema-instance+json; version=1; schema="{schema}"',
        "Authorization": "Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln",
        "x-api-key": "4a6f3c1d2e8b4f0a",
        "x-gw-ims-org-id": "0123ABCD@AdobeOrg",
        "x-request-id": "caf\xe9".encode("latin-1"),
    }
    url = f"{fake.base_url}/data/core/xcore/{fake.container_id}/instances"
    mock = responses.RequestsMock(assert_all_requests_are_fired=False)
    with serve_with_responses(fake, mock):
        requests.post(url, json=fallback_offer_body(), headers=headers, timeout=5)
    sent = dict(fake.calls[-1].request.headers)
    assert sent["x-request-id"] == "caf\xe9"
    assert sent["x-api-key"] == headers["x-api-key"]
    assert {type(value) for value in sent.values()} == {str}


_TOKEN = st.text(alphabet=string.ascii_letters + string.digits + "-_", min_size=1, max_size=12)


@SPEED_FREE
@given(headers=st.dictionaries(_TOKEN, st.text(alphabet=string.printable[:94], max_size=20)))
def test_prepared_headers_are_read_as_their_items(headers: dict[str, str]) -> None:
    """The adapter reads requests' headers as items() gives them: names as sent, in order."""
    prepared = requests.Request("POST", "https://platform.adobe.io/", headers=headers).prepare()
    assert _pairs(prepared.headers) == tuple(prepared.headers.items())


def test_headers_in_another_mapping_are_read_by_their_items() -> None:
    """A mapping that is not requests' own (a subclass, a dict) is read through items()."""

    class Logged(CaseInsensitiveDict[str]):
        def items(self) -> Any:
            return [("X-Logged", "yes"), *super().items()]

    assert _pairs(Logged({"Accept": "a"})) == (("X-Logged", "yes"), ("Accept", "a"))
    assert _pairs({"Accept": "a"}) == (("Accept", "a"),)


@SPEED_FREE
@given(depth=st.integers(250, 262), padding=st.integers(0, 40), nest=st.sampled_from("[{"))
def test_a_body_is_too_deep_exactly_when_its_value_nests_too_deep(
    depth: int, padding: int, nest: str
) -> None:
    """Near the limit, short or padded, a body is refused for depth as its value would be."""
    opened = "[" * (depth - 1) if nest == "[" else '{"a":' * (depth - 1)
    closed = "]" * (depth - 1) if nest == "[" else "}" * (depth - 1)
    text = f"{opened}[{' ' * padding}]{closed}"
    parsed, found = parse_json_body(text.encode())
    assert found == [v.under("/body") for v in beyond_limits(json.loads(text))]
    assert parsed == json.loads(text)


_HEADER_NAME = st.sampled_from(
    ["x-sandbox-name", "X-Sandbox-Name", "Content-Length", "İd", "i̇d"]
) | st.text(max_size=6)


@SPEED_FREE
@given(pairs=st.lists(st.tuples(_HEADER_NAME, st.text(max_size=4)), max_size=6), name=_HEADER_NAME)
def test_a_header_is_found_as_a_lower_cased_comparison_finds_it(
    pairs: list[tuple[str, str]], name: str
) -> None:
    """header(name) is the first value whose name lower-cases to name's, even past ASCII."""
    request = FakeRequest("GET", "https://platform.adobe.io/", tuple(pairs))
    expected = next((v for k, v in pairs if k.lower() == name.lower()), None)
    assert request.header(name) == expected
