"""Build the parts of a decision response from stored objects, as the request's format asks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["content", "detail", "option_detail"]

_STORED_TYPES = "https://ns.adobe.com/experience/offer-management/content-component-"
_ANSWERED_TYPES = "https://ns.adobe.com/experience/decisioning/content-component-"
#: Requested metadata name to the stored member it is read from (the Swagger's include-metadata).
_METADATA = {
    "name": "xdm:name",
    "channel": "xdm:channel",
    "componentType": "xdm:componentType",
    "characteristics": "xdm:characteristics",
    "priority": "xdm:priority",
}
_CONTENT = ("dc:format", "dc:language", "xdm:content", "xdm:deliveryURL")


def detail(
    at_id: str, etag: object, instance: Mapping[str, Any], asked: list[str]
) -> dict[str, Any]:
    """An activity or placement detail: its id and etag, and the metadata asked for."""
    found: dict[str, Any] = {"xdm:id": at_id, "repo:etag": etag}
    for name in asked:
        member = _METADATA[name]
        if member in instance:
            found[member] = instance[member]
    return found


def content(instance: Mapping[str, Any], placement: str) -> dict[str, Any]:
    """The content of an offer for ``placement``: the first component of its representation.

    An option has one ``@type`` and one content while a representation may hold several
    components (languages); the request names no language to choose by.
    """
    for representation in instance.get("xdm:representations", ()):
        if representation.get("xdm:placement") != placement:
            continue
        components = representation.get("xdm:components") or [{}]
        component = components[0]
        found: dict[str, Any] = {}
        kind = component.get("@type")
        if isinstance(kind, str):
            found["@type"] = kind.replace(_STORED_TYPES, _ANSWERED_TYPES, 1)
        found.update((m, component[m]) for m in _CONTENT if component.get(m) not in (None, ""))
        return found
    return {}


def option_detail(  # noqa: PLR0913 - the parts of one option, each from a different place
    at_id: str,
    etag: object,
    instance: Mapping[str, Any],
    placement: str,
    *,
    include_content: bool,
    metadata: list[str],
) -> dict[str, Any]:
    """An option: id and etag, content when asked for, and the metadata asked for."""
    found: dict[str, Any] = {"xdm:id": at_id, "repo:etag": etag}
    if include_content:
        found.update(content(instance, placement))
    for name in metadata:
        if name == "priority":
            priority = instance.get("xdm:rank", {}).get("xdm:priority")
            if isinstance(priority, int | float):
                found["xdm:priority"] = priority
        elif _METADATA[name] in instance:
            found[_METADATA[name]] = instance[_METADATA[name]]
    return found
