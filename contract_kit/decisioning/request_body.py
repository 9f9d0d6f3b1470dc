"""Build a valid decision request body from plain arguments, for ``offer_library.decide()``.

A test names the identity, the activity and the placement (or several pairs) and the
options it cares about; the body comes out in the documented form, every default left out
so the request is what a client would send.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

__all__ = ["decision_body"]


def decision_body(  # noqa: PLR0913 - one argument per documented request member
    profile: tuple[str, str],
    scopes: Sequence[tuple[str, str]],
    *,
    item_count: int = 1,
    include_content: bool = True,
    include_metadata: Mapping[str, Sequence[str]] | None = None,
    allow_duplicates: Mapping[str, bool] | None = None,
    dry_run: bool = False,
    attributes: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The body deciding ``scopes`` (``(activity, placement)`` pairs) for ``profile``.

    ``profile`` is ``(namespace, id)``; ``include_metadata`` and ``allow_duplicates`` take
    the members without their ``xdm:`` prefix (``{"option": ["name"]}``,
    ``{"acrossActivities": True}``); ``attributes`` replaces the stored profile.
    """
    propositions = []
    for activity, placement in scopes:
        asked: dict[str, Any] = {"xdm:activityId": activity, "xdm:placementId": placement}
        if item_count != 1:
            asked["xdm:itemCount"] = item_count
        propositions.append(asked)
    reference: dict[str, Any] = {"xdm:identityMap": {profile[0]: [{"xdm:id": profile[1]}]}}
    if attributes is not None:
        reference["xdm:attributes"] = dict(attributes)
    body: dict[str, Any] = {"xdm:propositionRequests": propositions, "xdm:profiles": [reference]}
    if allow_duplicates:
        body["xdm:allowDuplicatePropositions"] = {
            f"xdm:{k}": v for k, v in allow_duplicates.items()
        }
    form: dict[str, Any] = {}
    if include_content:
        form["xdm:includeContent"] = True
    if include_metadata:
        form["xdm:includeMetadata"] = {f"xdm:{k}": list(v) for k, v in include_metadata.items()}
    if form:
        body["xdm:responseFormat"] = form
    if dry_run:
        body["xdm:dryRun"] = True
    return body
