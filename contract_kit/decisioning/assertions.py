"""Assertions on decision responses whose failures say why each candidate was left out.

Given the trace ``propose()`` returned, a failure lists, per proposition, the offer asked
about first and then every other candidate in rank order, each with the first reason that
excluded it; without a trace it lists what was served. The text does not depend on
pytest's assertion rewriting.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterator

    from contract_kit.decisioning.trace import DecisionTrace, PropositionTrace

__all__ = ["DecisionMismatch", "assert_fallback_served", "assert_offer_proposed"]

#: Bullets shown before the rest are summed up as "and N more".
MAX_SHOWN = 10
_NO_TRACE = (
    "Hint: pass trace= (the DecisionTrace the decision returned) to see why each candidate "
    "was excluded."
)


class DecisionMismatch(AssertionError):  # noqa: N818 - an assertion failure, named as one
    """Raised when a decision response is not what the test expected.

    Its text is a headline, one ``- <pointer>: ...`` line per finding (at most ``MAX_SHOWN``,
    then "and N more"), a blank line and a hint.
    """

    def __init__(self, headline: str, lines: list[str], hint: str) -> None:
        shown = [f"- {line}" for line in lines[:MAX_SHOWN]]
        if len(lines) > MAX_SHOWN:
            shown.append(f"- and {len(lines) - MAX_SHOWN} more")
        super().__init__("\n".join([headline, *shown, "", hint]))


def _body(response: object) -> Mapping[str, Any]:
    """The response body: a dict, or an HTTP response of requests or httpx (its JSON)."""
    if isinstance(response, Mapping):
        return response
    read = getattr(response, "json", None)
    body = read() if callable(read) else None
    if not isinstance(body, Mapping) or not isinstance(body.get("xdm:propositions"), list):
        msg = "expected a decision response: a dict with xdm:propositions, or an HTTP response"
        raise TypeError(msg)
    return body


def _selected(
    body: Mapping[str, Any], placement: str | None, trace: DecisionTrace | None
) -> Iterator[tuple[int, Mapping[str, Any], PropositionTrace | None]]:
    traced = trace.propositions if trace is not None else ()
    for index, proposition in enumerate(body.get("xdm:propositions", [])):
        if placement is None or proposition.get("xdm:placement", {}).get("xdm:id") == placement:
            yield index, proposition, traced[index] if index < len(traced) else None


def _option_ids(proposition: Mapping[str, Any]) -> list[str]:
    return [option.get("xdm:id") for option in proposition.get("xdm:options", [])]


def _served(proposition: Mapping[str, Any]) -> str:
    if "xdm:fallback" in proposition:
        return f"served the fallback {proposition['xdm:fallback'].get('xdm:id')}"
    return "served " + ", ".join(_option_ids(proposition))


def assert_offer_proposed(
    response: object,
    offer_id: str,
    *,
    placement: str | None = None,
    trace: DecisionTrace | None = None,
) -> None:
    """Pass when ``offer_id`` is among the options (of the propositions for ``placement``)."""
    __tracebackhide__ = True
    body = _body(response)
    chosen = list(_selected(body, placement, trace))
    if any(offer_id in _option_ids(proposition) for _, proposition, _ in chosen):
        return
    where = f" for placement {placement}" if placement else ""
    lines: list[str] = []
    for index, proposition, traced in chosen:
        at = f"/xdm:propositions/{index}"
        lines.append(f"{at}: {_served(proposition)}")
        if traced is None:
            continue
        asked = traced.candidate(offer_id)
        lines.append(f"{at}: {offer_id}: {_because(asked.reason, asked.detail, traced)}")
        lines.extend(
            f"{at}: {c.offer}: {_because(c.reason, c.detail, traced)}"
            for c in traced.candidates
            if c.offer != offer_id and c.reason != "chosen"
        )
    if not chosen:
        lines.append(f"/xdm:propositions: no proposition{where}")
    hint = _NO_TRACE if trace is None else (
        "Hint: change the library or the profile so that the offer qualifies; each line gives "
        "the first reason a candidate was excluded."
    )  # fmt: skip
    raise DecisionMismatch(f"{offer_id} was not proposed{where}:", lines, hint)


def _because(reason: str, detail: str, traced: PropositionTrace) -> str:
    if reason == "not-in-collection":
        listed = ", ".join(traced.collections) or "of the activity's criteria"
        return f"not in the collection {listed}"
    if reason == "not-evaluated":
        return f"{detail} while itemCount is {traced.item_count}"
    return detail


def assert_fallback_served(
    response: object, *, placement: str | None = None, trace: DecisionTrace | None = None
) -> None:
    """Pass when every proposition (or those for ``placement``) served the fallback."""
    __tracebackhide__ = True
    body = _body(response)
    chosen = list(_selected(body, placement, trace))
    where = f" for placement {placement}" if placement else ""
    lines: list[str] = []
    for index, proposition, traced in chosen:
        if "xdm:fallback" in proposition:
            continue
        at = f"/xdm:propositions/{index}"
        details = {c.offer: c.detail for c in traced.candidates} if traced else {}
        for offer in _option_ids(proposition):
            why = f" ({details[offer]})" if offer in details else ""
            lines.append(f"{at}: {offer} was proposed{why}")
    if not chosen:
        lines.append(f"/xdm:propositions: no proposition{where}")
    if not lines:
        return
    hint = _NO_TRACE if trace is None else (
        "Hint: these offers qualified; make them ineligible for this profile (status, dates, "
        "representation, rule or caps) for the fallback to be served."
    )  # fmt: skip
    raise DecisionMismatch(f"the fallback was not served{where}:", lines, hint)
