"""Choose the options of a decision, or the fallback, from the stored library (spec B.6).

Per proposition request, in order: the activity must be live and within its dates and use
the placement; its criteria's collections give the candidates, ranked by priority (highest
first, ties by ``@id`` so a test can rely on the order; the real service documents no tie
order). Each candidate is checked for status, dates, representation, rule, caps and
duplicates, in that order, and the first reason that excludes it is kept in the trace. The
walk stops once ``itemCount`` options are found. With none, the activity's fallback.
"""

from __future__ import annotations

import uuid
from collections import Counter
from typing import TYPE_CHECKING, Any

from contract_kit.core.decision_scope import encoded_scope
from contract_kit.core.formats import parse_date_time
from contract_kit.core.violation import Violation
from contract_kit.decisioning.candidates import Rankings, Stored, ranked
from contract_kit.decisioning.candidates import criteria as criteria_of
from contract_kit.decisioning.candidates import stored as find
from contract_kit.decisioning.errors import (
    DecisionContractError,
    DecisionError,
    UnsupportedPQLError,
)
from contract_kit.decisioning.pql import compile_rule
from contract_kit.decisioning.render import detail, option_detail
from contract_kit.decisioning.response_check import check_decision_response
from contract_kit.decisioning.roles import roles
from contract_kit.decisioning.trace import Candidate, DecisionTrace, PropositionTrace, ordinal

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Mapping

__all__ = ["Caps", "Rankings", "profile_key", "propose"]


class Caps:
    """How often each offer was proposed: in total and per profile (the fake's reset clears it)."""

    def __init__(self) -> None:
        self.total: Counter[str] = Counter()
        self.per_profile: Counter[tuple[tuple[str, str], str]] = Counter()


def profile_key(request: Mapping[str, Any]) -> tuple[str, str]:
    """The identity caps and stored attributes are kept by: the primary one, else the first."""
    identities = request["xdm:profiles"][0]["xdm:identityMap"]
    first: tuple[str, str] | None = None
    for namespace, entries in identities.items():
        for entry in entries:
            key = (namespace, entry["xdm:id"])
            if entry.get("primary") is True:
                return key
            first = first or key
    assert first is not None  # noqa: S101 - the request check requires an identity
    return first


def _moment(value: object) -> dt.datetime | None:
    return parse_date_time(value) if isinstance(value, str) else None


class _Walk:
    """One decision: the library, the request's settings, and what was proposed so far."""

    def __init__(  # noqa: PLR0913 - the library, the request and the decision's state
        self,
        library: Mapping[str, Mapping[str, Mapping[str, Any]]],
        request: Mapping[str, Any],
        profiles: Mapping[tuple[str, str], Mapping[str, Any]],
        caps: Caps,
        *,
        now: dt.datetime,
        rankings: Rankings | None,
    ) -> None:
        self.library, self.request, self.caps, self.now = library, request, caps, now
        self.rankings = rankings
        self.roles = roles()
        self.key = profile_key(request)
        given = request["xdm:profiles"][0].get("xdm:attributes")
        self.profile = given if isinstance(given, dict) else profiles.get(self.key, {})
        flags = request.get("xdm:allowDuplicatePropositions", {})
        self.across_activities = flags.get("xdm:acrossActivities", False)
        self.across_placements = flags.get("xdm:acrossPlacements", False)
        form = request.get("xdm:responseFormat", {})
        self.include_content = form.get("xdm:includeContent", False)
        self.metadata = form.get("xdm:includeMetadata", {})
        self.dry_run = request.get("xdm:dryRun", False)
        self.proposed: dict[str, tuple[int, str, str]] = {}  # offer: (index, activity, placement)
        self.warnings: list[Violation] = []

    def judge(
        self, index: int, activity: str, placement: str, at_id: str, offer: Stored
    ) -> tuple[str, str]:
        """The first reason ``offer`` does not qualify, or ``("chosen", "")``."""
        instance = offer.instance
        status = instance.get("xdm:status")
        if status != "approved":
            return f"status:{status}", f"{status}, not approved"
        constraint = instance.get("xdm:selectionConstraint", {})
        start, end = (
            _moment(constraint.get("xdm:startDate")),
            _moment(constraint.get("xdm:endDate")),
        )
        if start is not None and self.now < start:
            return "not-started", f"starts on {constraint['xdm:startDate']}"
        if end is not None and self.now > end:
            return "expired", f"expired on {constraint['xdm:endDate']}"
        if not any(
            r.get("xdm:placement") == placement for r in instance.get("xdm:representations", ())
        ):
            return "no-representation", f"no representation for placement {placement}"
        rule_id = constraint.get("xdm:eligibilityRule")
        if rule_id:
            verdict = self.rule(rule_id)
            if verdict is not None:
                return verdict
        return self.limits(index, activity, placement, at_id, instance)

    def limits(
        self, index: int, activity: str, placement: str, at_id: str, instance: Mapping[str, Any]
    ) -> tuple[str, str]:
        """Caps, then duplicates: the checks that depend on what was proposed before."""
        capping = instance.get("xdm:cappingConstraint", {})
        total, mine = self.caps.total[at_id], self.caps.per_profile[self.key, at_id]
        if "xdm:globalCap" in capping and total >= capping["xdm:globalCap"]:
            return "capped-global", f"capped: {total} of globalCap {capping['xdm:globalCap']}"
        if "xdm:profileCap" in capping and mine >= capping["xdm:profileCap"]:
            return (
                "capped-profile",
                f"capped: {mine} of profileCap {capping['xdm:profileCap']} for this profile",
            )
        earlier = self.proposed.get(at_id)
        if earlier is not None and earlier[0] != index:
            other_activity = earlier[1] != activity and not self.across_activities
            other_placement = earlier[2] != placement and not self.across_placements
            if other_activity or other_placement:
                return "duplicate", f"duplicate: already proposed in proposition {earlier[0]}"
        return "chosen", ""

    def rule(self, rule_id: str) -> tuple[str, str] | None:
        stored = find(self.library, rule_id, self.roles.rule)
        if stored is None:
            return "rule-false", f"the rule {rule_id} is not stored"
        condition = stored.instance.get("xdm:condition") or stored.instance.get("condition") or {}
        text = condition.get("xdm:value", condition.get("value", ""))
        try:
            compiled = compile_rule(text)
        except UnsupportedPQLError as error:
            raise error.naming(rule_id) from None
        outcome = compiled.evaluate(self.profile)
        if outcome is True:
            return None
        if outcome is None:
            why = compiled.unknown_because(self.profile)
            return "rule-unknown", f"the rule {rule_id} is unknown for this profile: {why}"
        return (
            "rule-false",
            f"the rule {rule_id} is false for this profile: {compiled.attributes(self.profile)}",
        )

    def proposition(
        self, index: int, asked: Mapping[str, Any]
    ) -> tuple[dict[str, Any], PropositionTrace]:
        activity_id, placement_id = asked["xdm:activityId"], asked["xdm:placementId"]
        item_count = asked.get("xdm:itemCount", 1)
        at = f"/xdm:propositionRequests/{index}"
        activity = find(self.library, activity_id, self.roles.activity)
        placement = find(self.library, placement_id, self.roles.placement)
        self.check_activity(
            at=at, activity_id=activity_id, activity=activity,
            placement_id=placement_id, placement=placement,
        )  # fmt: skip
        assert activity is not None  # noqa: S101 - checked above
        assert placement is not None  # noqa: S101 - checked above
        criteria = [
            c for c in criteria_of(activity.instance) if placement_id in c.get("xdm:placements", ())
        ]
        candidates: list[Candidate] = []
        chosen: list[dict[str, Any]] = []
        collections: list[str] = []
        lists: list[list[tuple[float, str, Stored]]] = []
        seen: set[str] = set()
        for criterion in criteria:
            offers, collection = ranked(self.library, criterion, self.roles, self.rankings)
            lists.append(offers)
            if collection:
                collections.append(collection)
            for priority, at_id, offer in offers:
                if len(chosen) >= item_count:
                    break  # the trace lists the rest as not evaluated, on demand
                if at_id in seen:
                    continue  # an earlier criterion ranked it already
                seen.add(at_id)
                reason, why = self.judge(index, activity_id, placement_id, at_id, offer)
                if reason == "chosen":
                    why = f"ranked {ordinal(len(candidates) + 1)} with priority {priority}"
                    chosen.append(self.option(at_id, offer, placement_id))
                    self.count(index, activity_id, placement_id, at_id)
                candidates.append(Candidate(at_id, reason, priority, why))
        answer: dict[str, Any] = {
            "xdm:activity": detail(
                activity_id, activity.etag, activity.instance, self.metadata.get("xdm:activity", [])
            ),
            "xdm:placement": detail(
                placement_id,
                placement.etag,
                placement.instance,
                self.metadata.get("xdm:placement", []),
            ),
            "xdm:scope": encoded_scope(activity_id, placement_id),
        }
        fallback_id = activity.instance.get("xdm:fallback")
        if chosen:
            answer["xdm:options"] = chosen
        else:
            answer["xdm:fallback"] = self.fallback(at, fallback_id, placement_id)
        trace = PropositionTrace(
            activity_id, placement_id, item_count, tuple(collections), tuple(candidates),
            tuple(lists), fallback_id if not chosen else None,
            self.explainer(index, activity_id, placement_id, criteria),
        )  # fmt: skip
        return answer, trace

    def check_activity(
        self,
        *,
        at: str,
        activity_id: str,
        activity: Stored | None,
        placement_id: str,
        placement: Stored | None,
    ) -> None:
        if activity is None:
            raise DecisionError(
                [
                    Violation(
                        f"{at}/xdm:activityId",
                        f"no activity {activity_id} is stored",
                        "unknown-activity",
                    )
                ]
            )
        instance = activity.instance
        status = instance.get("xdm:status")
        start, end = _moment(instance.get("xdm:startDate")), _moment(instance.get("xdm:endDate"))
        problem = None
        if status != "live":
            problem = f"the activity {activity_id} is {status}, not live"
        elif (start is not None and self.now < start) or (end is not None and self.now > end):
            dates = f"{instance.get('xdm:startDate')} to {instance.get('xdm:endDate')}"
            problem = f"the activity {activity_id} runs from {dates}, not at {self.now.isoformat()}"
        if problem:
            raise DecisionError([Violation(f"{at}/xdm:activityId", problem, "activity-not-live")])
        if placement is None:
            raise DecisionError(
                [
                    Violation(
                        f"{at}/xdm:placementId",
                        f"no placement {placement_id} is stored",
                        "unknown-placement",
                    )
                ]
            )
        if not any(placement_id in c.get("xdm:placements", ()) for c in criteria_of(instance)):
            message = (
                f"no criterion of the activity {activity_id} lists the placement {placement_id}"
            )
            raise DecisionError(
                [Violation(f"{at}/xdm:placementId", message, "placement-not-in-activity")]
            )

    def option(self, at_id: str, offer: Stored, placement: str) -> dict[str, Any]:
        return option_detail(
            at_id, offer.etag, offer.instance, placement,
            include_content=self.include_content, metadata=self.metadata.get("xdm:option", []),
        )  # fmt: skip

    def count(self, index: int, activity: str, placement: str, at_id: str) -> None:
        self.proposed.setdefault(at_id, (index, activity, placement))
        if not self.dry_run:
            self.caps.total[at_id] += 1
            self.caps.per_profile[self.key, at_id] += 1

    def fallback(self, at: str, fallback_id: object, placement: str) -> dict[str, Any]:
        stored = find(self.library, fallback_id, self.roles.fallback)
        if stored is None or not any(
            r.get("xdm:placement") == placement
            for r in stored.instance.get("xdm:representations", ())
        ):
            why = (
                "is not stored"
                if stored is None
                else f"has no representation for placement {placement}"
            )
            message = f"no offer qualifies and the activity's fallback {fallback_id} {why}"
            raise DecisionError([Violation(f"{at}/xdm:placementId", message, "no-fallback")])
        status = stored.instance.get("xdm:status")
        if status != "approved":  # fallbacks "do not have any constraints": served all the same
            message = f"the fallback {fallback_id} served is {status}, not approved"
            self.warnings.append(
                Violation(f"{at}/xdm:activityId", message, "fallback-not-approved")
            )
        return self.option(str(fallback_id), stored, placement)

    def explainer(
        self, index: int, activity: str, placement: str, criteria: list[Mapping[str, Any]]
    ) -> Any:
        snapshot = dict(self.proposed)

        def explain(at_id: str) -> Candidate:
            offers: dict[str, tuple[int, float, Stored]] = {}
            for criterion in criteria:
                for priority, offer_id, offer in ranked(
                    self.library, criterion, self.roles, self.rankings
                )[0]:
                    offers.setdefault(offer_id, (len(offers) + 1, priority, offer))
            if at_id not in offers:
                return Candidate(at_id, "not-in-collection", 0, "not in the collection")
            position, priority, offer = offers[at_id]
            saved, self.proposed = self.proposed, snapshot
            try:
                reason, why = self.judge(index, activity, placement, at_id, offer)
            finally:
                self.proposed = saved
            if reason == "chosen":  # it qualifies, but others ranked above it took the places
                reason, why = (
                    "not-evaluated",
                    f"ranked {ordinal(position)} with priority {priority}",
                )
            return Candidate(at_id, reason, priority, why)

        return explain


def propose(  # noqa: PLR0913 - the library, the request and the decision's state
    library: Mapping[str, Mapping[str, Mapping[str, Any]]],
    request: Mapping[str, Any],
    profiles: Mapping[tuple[str, str], Mapping[str, Any]],
    caps: Caps,
    *,
    now: dt.datetime,
    proposition_id: str | None = None,
    rankings: Rankings | None = None,
) -> tuple[dict[str, Any], DecisionTrace]:
    """The response body of a checked decision ``request``, and the trace that explains it.

    Counts proposed options in ``caps`` unless the request is a dry run. Raises
    :class:`DecisionError` when the library cannot answer (the service's 422), and
    :class:`UnsupportedPQLError` when a candidate's rule is outside the PQL subset. The answer
    is held to the response contract before it is returned (:class:`DecisionContractError`).
    ``rankings`` keeps each collection's ranking between calls (see :class:`Rankings`).
    """
    walk = _Walk(library, request, profiles, caps, now=now, rankings=rankings)
    answers, traces = [], []
    for index, asked in enumerate(request["xdm:propositionRequests"]):
        answer, trace = walk.proposition(index, asked)
        answers.append(answer)
        traces.append(trace)
    identifier = proposition_id or str(uuid.uuid4())
    created = int(now.timestamp() * 1000)
    response = {
        "xdm:propositionId": identifier,
        "xdm:propositions": answers,
        "ode:createDate": created,
    }
    broken = check_decision_response(response, request)
    if broken:
        raise DecisionContractError(broken)
    return response, DecisionTrace(identifier, tuple(traces), tuple(walk.warnings))
