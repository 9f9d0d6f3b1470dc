"""Decision calls (POST …/decisions): valid ones, and ones breaking one rule each.

A decision call's headers differ from an Offer Library call's (its own Accept, Content-Type
and a required ``x-request-id``), so its breaks are drawn here; its body's come from the
decision-request schema like any kind's.
"""

from __future__ import annotations

import string
from typing import TYPE_CHECKING, Any

from hypothesis import strategies as st

from contract_kit.api.decision_request import REQUEST_SCHEMA, RESPONSE_SCHEMA
from contract_kit.strategies.breaks import breaks
from contract_kit.strategies.build import kind_values
from contract_kit.strategies.calls import ORIGINS, CreateCall, lifted
from contract_kit.strategies.values import containers

if TYPE_CHECKING:
    from hypothesis.strategies import DrawFn, SearchStrategy

    from contract_kit.strategies.breaks import Case

__all__ = ["decision_call_breaks", "decision_calls"]

_BODY = "decision-request"
_XDM = "application/vnd.adobe.xdm+json"
_REQUEST_ID = "x-request-id"
#: Obviously fake credentials, as every strategy draws them.
_HEADERS = {
    "Accept": f'{_XDM}; schema="{RESPONSE_SCHEMA}"',
    "Content-Type": f'{_XDM}; schema="{REQUEST_SCHEMA}"',
    "Authorization": "Bearer fake-access-token",
    "x-api-key": "fake-api-key",
    "x-gw-ims-org-id": "FAKE0123456789@AdobeOrg",
    "x-sandbox-name": "prod",
}
_REQUEST_IDS = st.text(string.ascii_letters + string.digits + "-_.", min_size=1, max_size=36)
#: x-request-id values the service refuses, and what is wrong with each.
_BAD_REQUEST_IDS = (
    ("", "empty"),
    ("request 1", "a space"),
    ("requête-1", "a non-ASCII letter"),
)


@st.composite
def _decision_calls(draw: DrawFn) -> CreateCall:
    origin = draw(st.sampled_from(ORIGINS))
    path = draw(
        st.one_of(
            containers(None).map("/data/core/ode/{}/decisions".format),
            st.just("/data/core/ods/decisions"),
        )
    )
    headers = {**_HEADERS, _REQUEST_ID: draw(_REQUEST_IDS)}
    return CreateCall("POST", origin + path, headers, draw(kind_values(_BODY)))


def decision_calls() -> SearchStrategy[CreateCall]:
    """Valid decision calls, on either path form, each with its own x-request-id."""
    return _decision_calls()


@st.composite
def _request_id_break(draw: DrawFn, valid: SearchStrategy[CreateCall]) -> Case:
    call = draw(valid)
    value, what = draw(st.sampled_from(_BAD_REQUEST_IDS))
    headers: dict[str, Any] = {**call.headers, _REQUEST_ID: value}
    return (
        call._replace(headers=headers),
        f"/headers/{_REQUEST_ID}",
        "request-id",
        f"{_REQUEST_ID}: {what}",
    )


@st.composite
def _request_id_left_out(draw: DrawFn, valid: SearchStrategy[CreateCall]) -> Case:
    """No x-request-id: the Swagger's requirement, which a released client does without."""
    call = draw(valid)
    headers = {name: value for name, value in call.headers.items() if name != _REQUEST_ID}
    where = f"/headers/{_REQUEST_ID}"
    return call._replace(headers=headers), where, "request-id-missing", f"{_REQUEST_ID}: missing"


def decision_call_breaks() -> dict[str, list[SearchStrategy[Case]]]:
    """Every break of a decision call, by rule id: its x-request-id, and its body's rules."""
    valid = decision_calls()
    found = {
        rule: [lifted(st.one_of(cases), valid, "body")] for rule, cases in breaks(_BODY).items()
    }
    found.setdefault("request-id", []).append(_request_id_break(valid))
    found.setdefault("request-id-missing", []).append(_request_id_left_out(valid))
    return found
