"""decision_body(): the plain arguments of decide() as a valid, documented request body."""

from __future__ import annotations

from decisioning_library import ACTIVITY, JOE, OTHER_PLACEMENT, PLACEMENT

from contract_kit.core.schema_check import validator_for
from contract_kit.decisioning.request_body import decision_body


def test_the_least_body_names_the_scope_and_asks_for_content() -> None:
    """Defaults are left out; content is asked for, since a test usually renders it."""
    assert decision_body(JOE, [(ACTIVITY, PLACEMENT)]) == {
        "xdm:propositionRequests": [{"xdm:activityId": ACTIVITY, "xdm:placementId": PLACEMENT}],
        "xdm:profiles": [{"xdm:identityMap": {"Email": [{"xdm:id": "joe@example.com"}]}}],
        "xdm:responseFormat": {"xdm:includeContent": True},
    }


def test_every_option_lands_in_its_documented_member() -> None:
    """itemCount, metadata, duplicates, dry run and attributes, each where the Swagger puts it."""
    body = decision_body(
        JOE,
        [(ACTIVITY, PLACEMENT), (ACTIVITY, OTHER_PLACEMENT)],
        item_count=2,
        include_content=False,
        include_metadata={"option": ["name", "priority"], "placement": ["channel"]},
        allow_duplicates={"acrossPlacements": True},
        dry_run=True,
        attributes={"person": {"name": {"firstName": "Joe"}}},
    )
    assert validator_for("decision-request").violations(body) == []
    assert body["xdm:propositionRequests"][1] == {
        "xdm:activityId": ACTIVITY, "xdm:placementId": OTHER_PLACEMENT, "xdm:itemCount": 2,
    }  # fmt: skip
    assert body["xdm:responseFormat"] == {
        "xdm:includeMetadata": {"xdm:option": ["name", "priority"], "xdm:placement": ["channel"]}
    }
    assert body["xdm:allowDuplicatePropositions"] == {"xdm:acrossPlacements": True}
    assert body["xdm:dryRun"] is True
    assert body["xdm:profiles"][0]["xdm:attributes"] == {"person": {"name": {"firstName": "Joe"}}}
